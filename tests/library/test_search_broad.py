"""Broad searches (more results than LIBRARY_SEARCH_EXACT_MAX), on the database in use: counts estimated from the
sample of one resource in SAMPLE_MODULUS, hits ranked among the matches of the newest resources, the same
visibility as exact searches, and the page and the API saying so."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from sinergia.core.models import Concept
from sinergia.library.models import Resource
from sinergia.library.search import SearchFilters, resource_search, search_engine, sql
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def broad(settings, monkeypatch):
    """Every search with a match is broad; the sample is the given share of the library (1: all of it)."""
    settings.LIBRARY_SEARCH_EXACT_MAX = 0

    def sample_of(modulus: int) -> None:
        monkeypatch.setattr(sql, "SAMPLE_MODULUS", modulus)

    sample_of(1)
    return sample_of


def search(query: str, viewer=None, **filters):
    return resource_search(viewer=viewer or AnonymousUser(), query=query, filters=SearchFilters(**filters))


def counts(result) -> dict[str, dict[str, int]]:
    return {name: {value.value: value.count for value in values} for name, values in result.facets.items()}


def museums(count: int, **fields) -> list[Resource]:
    return [factories.ResourceFactory(title=f"Rapporto sui musei {n}", year=2000 + n % 3,
                                      kind=("report", "book")[n % 2], **fields) for n in range(count)]


def test_a_search_within_the_bound_is_exact(settings, monkeypatch):
    settings.LIBRARY_SEARCH_EXACT_MAX = 10
    monkeypatch.setattr(sql, "SAMPLE_MODULUS", 1)  # the estimate is the count, whichever ids the museums get
    museums(6)

    result = search("musei")

    assert (result.total, result.estimated, result.reachable, result.browsable) == (6, False, None, 6)


def test_with_the_whole_library_as_sample_the_estimates_are_the_exact_counts(settings, broad):
    museums(7)
    factories.ResourceFactory(title="Altro tema", abstract="")
    settings.LIBRARY_SEARCH_EXACT_MAX = 100
    exact = search("musei")
    settings.LIBRARY_SEARCH_EXACT_MAX = 0

    estimated = search("musei")

    assert estimated.estimated and not exact.estimated
    assert (estimated.total, counts(estimated)) == (exact.total, counts(exact)) == (7, counts(exact))


def test_a_broad_search_scales_the_counts_of_its_sample(broad):
    found = museums(9)
    factories.ResourceFactory(title="Altro tema", abstract="")
    broad(2)

    result = search("musei")

    sampled = [resource for resource in found if resource.pk % 2 == 0]
    assert result.estimated
    assert result.total == 2 * len(sampled)
    assert counts(result)["kind"] == {kind: 2 * sum(r.kind == kind for r in sampled)
                                      for kind in {r.kind for r in sampled}}


def test_a_broad_search_ranks_the_matches_of_the_newest_resources(settings, broad):
    settings.LIBRARY_SEARCH_POOL, settings.LIBRARY_SEARCH_SCAN_MAX = 2, 4
    older = [factories.ResourceFactory(title=f"Ecomuseo {n}", abstract="") for n in range(6)]
    weak = factories.ResourceFactory(title="Guida alla rete", abstract="Un ecomuseo di montagna.")
    strong = factories.ResourceFactory(title="Ecomuseo di pianura", abstract="")
    factories.ResourceFactory(title="Altro tema", abstract="")

    result = search("ecomuseo")

    # Eight matches in nine resources: the pool of 2 is sought among the newest max(2, ceil(2 * 9 / 8)) = 3.
    assert result.total == 8
    assert [hit.resource for hit in result.hits] == [strong, weak]
    assert result.reachable == result.browsable == 2
    assert not {hit.resource.pk for hit in result.hits} & {resource.pk for resource in older}


def test_the_size_of_the_sample_is_counted_once_per_index_generation(settings, broad):
    settings.LIBRARY_SEARCH_POOL, settings.LIBRARY_SEARCH_SCAN_MAX = 2, 100
    museums(4)
    search("musei")
    with CaptureQueriesContext(connection) as cached:
        search("musei")
    factories.ResourceFactory(title="Altro tema", abstract="")  # indexed: a new generation

    with CaptureQueriesContext(connection) as renewed:
        result = search("musei")

    counted = [query["sql"] for query in renewed if "COUNT(*) AS" in query["sql"]]
    # The size, and the sample's matches (see the next test), are counted again; nothing else is added.
    assert (len(renewed), len(counted)) == (len(cached) + 2, 1)

    # Four matches in five resources now: the pool of 2 is sought among the newest max(2, ceil(2 * 5 / 4)) = 3, of
    # which 2 match (among the newest 2, as the stale size of 4 would give, only 1 does).
    assert result.reachable == 2


def sample_statements(queries) -> int:
    """How many statements counted matches of the sample (read with limit 0: facets and total only)."""
    return sum(" % " in query["sql"] and "'hit'" in query["sql"] for query in queries)


def test_the_counts_of_the_sample_s_matches_are_kept_per_query_viewer_and_index_generation(broad):
    museums(4)
    member = factories.OrganisationMemberFactory()
    first = search("musei")

    with CaptureQueriesContext(connection) as again:
        repeated = search("musei")
    with CaptureQueriesContext(connection) as other_query:
        search("rapporto")
    with CaptureQueriesContext(connection) as other_viewer:
        search("musei", viewer=member.user)
    factories.ResourceFactory(title="Altri musei", abstract="")  # indexed: a new generation
    with CaptureQueriesContext(connection) as renewed:
        fresh = search("musei")

    assert sample_statements(again) == 0 and counts(repeated) == counts(first)
    assert sample_statements(other_query) == sample_statements(other_viewer) == sample_statements(renewed) == 1
    assert fresh.total == first.total + 1


def test_a_broad_search_through_a_concept_counts_its_sample_and_ranks_its_newest(settings, broad):
    settings.LIBRARY_SEARCH_POOL, settings.LIBRARY_SEARCH_SCAN_MAX = 2, 3
    topic = factories.ConceptFactory(scheme=Concept.Scheme.TOPIC, notation="fundraising",
                                     labels={"en": "Fundraising", "it": "Raccolta fondi"})
    tagged = [factories.ResourceFactory(title=f"Amici del museo {n}", abstract="", topics=[topic]) for n in range(7)]
    factories.ResourceFactory(title="Altro tema", abstract="")
    broad(2)

    result = search("raccolta fondi")

    # The taggings are narrowed to the sample, and to the newest resources, as the resources are.
    assert result.total == 2 * sum(resource.pk % 2 == 0 for resource in tagged)
    assert result.hits and {hit.resource for hit in result.hits} <= set(tagged[-2:])  # "Altro tema" is newer
    assert all(hit.matched_concepts == [topic] for hit in result.hits)


def test_a_broad_search_reads_no_more_resources_than_the_scan_bound(settings, broad):
    settings.LIBRARY_SEARCH_POOL, settings.LIBRARY_SEARCH_SCAN_MAX = 50, 3
    museums(8)

    result = search("musei")

    assert (result.total, result.reachable, len(result.hits)) == (8, 3, 3)


@pytest.mark.parametrize("hidden", ["pending", "private", "networks_only"])
def test_a_broad_search_neither_counts_nor_shows_what_the_reader_may_not_see(broad, hidden):
    museums(3)
    factories.ResourceFactory(title="Museo nascosto dei musei", **{hidden: True})

    result = search("musei")

    assert result.total == 3
    assert all(hit.resource.title.startswith("Rapporto") for hit in result.hits)


def test_a_broad_search_keeps_the_filters(broad):
    museums(6)

    result = search("musei", kinds=["book"])

    assert result.total == 3
    assert {hit.resource.kind for hit in result.hits} == {"book"}


def test_broad_search_queries_stay_bounded(broad, django_assert_max_num_queries):
    museums(25, authors=[("Rossi", "Maria")])

    with django_assert_max_num_queries(10):
        result = search("musei")
        for hit in result.hits:
            _ = [str(creator) for creator in hit.creators] + [hit.resource.organisation.name]

    assert result.estimated and len(result.hits) == 20


def test_the_page_says_a_broad_search_is_estimated_and_pages_only_through_the_reachable(client, settings, broad):
    settings.LIBRARY_SEARCH_POOL, settings.LIBRARY_SEARCH_SCAN_MAX = 25, 25
    museums(30)

    page = client.get("/en/library/", {"q": "musei"}).content.decode()
    last = client.get("/en/library/", {"q": "musei", "page": 2}).content.decode()

    assert "About 30 resources" in page
    assert "the 25 most relevant among the newest" in page
    assert "≈" in page
    assert 'page=3' not in page and "page=2" in page
    assert last.count('class="card card-bg mb-3"') == 5


def test_the_api_says_a_broad_search_is_estimated_and_stops_at_the_reachable(client, settings, broad):
    settings.LIBRARY_SEARCH_POOL, settings.LIBRARY_SEARCH_SCAN_MAX = 4, 4
    museums(6)

    first = client.get("/api/library/resources", {"q": "musei", "page_size": 2}).json()
    second = client.get("/api/library/resources", {"q": "musei", "page_size": 2, "page": 2}).json()

    assert (first["count"], first["estimated"], first["reachable"]) == (6, True, 4)
    assert first["next"] is not None and second["next"] is None
    assert len(second["items"]) == 2


def test_the_api_says_an_exact_search_is_not_estimated(client):
    museums(3)

    body = client.get("/api/library/resources", {"q": "musei"}).json()

    assert (body["count"], body["estimated"], body["reachable"]) == (3, False, 3)


def test_the_sample_is_read_through_the_index_on_its_own_expression():
    index = next(index for index in Resource._meta.indexes if index.name == "library_res_sample_idx")

    assert index.expressions == (F("id") % sql.SAMPLE_MODULUS,)


def test_the_statement_of_the_newest_matches_counts_only_their_total():
    museums(3)
    every = [sql.rows(sql.compiled(Resource.objects.all()), 0)]

    counts, ranked = sql.results(every, language_sql=search_engine().LANGUAGE_SQL, limit=2, offset=0, facets=False)

    assert (counts, len(ranked)) == ([("total", "", 3)], 2)


def test_the_taggings_of_a_concept_are_indexed_with_their_resources():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "library_resource_topics")

    assert constraints["library_res_topics_concept_idx"]["columns"] == ["concept_id", "resource_id"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN indexes of the sample's vectors: PostgreSQL only")
def test_the_vectors_of_the_sample_have_gin_indexes_of_their_own():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'library_resource' "
                       "AND indexname LIKE 'library_res_sample_%%_idx'")
        definitions = dict(cursor.fetchall())

    for name, column in (("library_res_sample_vector_idx", "search_vector"),
                         ("library_res_sample_body_idx", "search_body")):
        assert f"USING gin ({column}) WHERE ((id % ({sql.SAMPLE_MODULUS})::bigint) = 0)" in definitions[name]
