"""The library's search on the database in use (run on SQLite and on PostgreSQL): stemming, ranking, snippets,
full text, indexing in transactions, browsing and pages, exports' ids, reindexing and query counts."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sinergia.core.models import Concept
from sinergia.library.models import Resource
from sinergia.library.search import (
    SearchFilters,
    index_resources,
    resource_search,
    resource_search_ids,
    search_engine,
)
from tests import factories

pytestmark = pytest.mark.django_db


def search(query: str, viewer=None, **filters):
    return resource_search(viewer=viewer or AnonymousUser(), query=query, filters=SearchFilters(**filters))


def titles(result) -> list[str]:
    return [hit.resource.title for hit in result.hits]


@pytest.mark.parametrize(("language", "title", "query"), [
    ("it", "Il museo diffuso", "musei"),
    ("en", "The museum as a meeting place", "museums"),
    ("fr", "Le musée et son territoire", "musées"),
    ("es", "El museo comunitario", "museos"),
    ("pt", "A biblioteca pública", "bibliotecas"),
])
def test_search_finds_other_forms_of_a_word_in_the_resource_language(language, title, query):
    factories.ResourceFactory(title=title, abstract="", language=language)
    factories.ResourceFactory(title="Unrelated report", abstract="", language=language)

    assert titles(search(query)) == [title]


def test_search_stems_with_the_language_of_a_regional_tag():
    factories.ResourceFactory(title="A biblioteca escolar", abstract="", language="pt-BR")

    assert titles(search("bibliotecas")) == ["A biblioteca escolar"]


def test_search_ranks_a_title_match_above_an_abstract_match():
    factories.ResourceFactory(title="Guida alla rete", abstract="Un ecomuseo di montagna.")
    factories.ResourceFactory(title="Ecomuseo di pianura", abstract="Guida alla rete.")

    result = search("ecomuseo")

    assert titles(result) == ["Ecomuseo di pianura", "Guida alla rete"]
    assert result.hits[0].rank > result.hits[1].rank > 0


def test_search_ranks_an_author_match_above_an_abstract_match():
    factories.ResourceFactory(title="Primo", abstract="Scritto con Bianchi.", authors=[("Verdi", "Anna")])
    factories.ResourceFactory(title="Secondo", abstract="Altro testo.", authors=[("Bianchi", "Luca")])

    assert titles(search("Bianchi")) == ["Secondo", "Primo"]


def test_search_finds_the_journal_and_the_publisher():
    factories.ResourceFactory(title="Primo", container_title="Museum International", publisher="")
    factories.ResourceFactory(title="Secondo", publisher="Edizioni Clueb")

    assert titles(search("international")) == ["Primo"]
    assert titles(search("clueb")) == ["Secondo"]


def test_search_requires_every_word():
    factories.ResourceFactory(title="Musei e scuole", abstract="")
    factories.ResourceFactory(title="Musei e turismo", abstract="")

    assert titles(search("musei scuole")) == ["Musei e scuole"]


def test_search_offers_alternatives_with_or_and_excludes_with_minus():
    factories.ResourceFactory(title="Musei e scuole", abstract="")
    factories.ResourceFactory(title="Musei e turismo", abstract="")
    factories.ResourceFactory(title="Archivi storici", abstract="")

    assert sorted(titles(search("scuole or archivi"))) == ["Archivi storici", "Musei e scuole"]
    assert titles(search("musei -turismo")) == ["Musei e scuole"]


def test_search_matches_a_quoted_phrase_in_order_only():
    factories.ResourceFactory(title="Rete dei musei civici", abstract="")
    factories.ResourceFactory(title="Musei in rete", abstract="")

    assert titles(search('"rete dei musei"')) == ["Rete dei musei civici"]


def test_search_highlights_the_matches_in_title_and_snippet():
    factories.ResourceFactory(title="Musei in rete", abstract="Come i piccoli musei collaborano.")

    hit = search("musei").hits[0]

    assert str(hit.title_html) == "<mark>Musei</mark> in rete"
    assert str(hit.snippet) == "Come i piccoli <mark>musei</mark> collaborano."


def test_search_escapes_html_in_titles_and_snippets():
    factories.ResourceFactory(title="<script>alert(1)</script> Musei & <b>reti</b>",
                              abstract="Musei <img src=x onerror=alert(1)> in rete.")

    hit = search("musei").hits[0]

    assert str(hit.title_html) == ("&lt;script&gt;alert(1)&lt;/script&gt; <mark>Musei</mark> &amp; "
                                   "&lt;b&gt;reti&lt;/b&gt;")
    assert str(hit.snippet) == "<mark>Musei</mark> &lt;img src=x onerror=alert(1)&gt; in rete."


def test_search_snippet_shows_the_abstract_without_markdown():
    factories.ResourceFactory(title="Musei", abstract="Un **museo** con [un sito](https://example.org).")

    assert str(search("musei").hits[0].snippet) == "Un <mark>museo</mark> con un sito."


def test_search_snippet_of_a_long_abstract_is_cut_around_the_match():
    words = " ".join(f"parola{n}" for n in range(60))
    factories.ResourceFactory(title="Primo", abstract=f"{words} ecomuseo {words}")

    snippet = str(search("ecomuseo").hits[0].snippet)

    assert "<mark>ecomuseo</mark>" in snippet
    assert snippet.startswith("…") and snippet.endswith("…")
    assert len(snippet.split()) <= 32


def test_search_snippet_of_a_long_abstract_ends_on_a_whole_word():
    before = " ".join(f"parola{n}" for n in range(40))
    after = " ".join(f"termine{n}" for n in range(200))
    factories.ResourceFactory(title="Primo", abstract=f"{before} ecomuseo {after}")

    snippet = str(search("ecomuseo").hits[0].snippet)

    assert "<mark>ecomuseo</mark>" in snippet
    assert snippet.startswith("…parola") and snippet.endswith("…")
    assert all(word in after.split() for word in snippet.split("</mark>")[1].rstrip("…").split())


def test_search_snippet_finds_the_match_after_a_word_that_only_contains_it():
    # "museale" holds the text "muse", a form of "museo", far before the word that matches.
    filler = " ".join(f"parola{n}" for n in range(150))
    factories.ResourceFactory(title="Primo", abstract=f"Percorso museale. {filler} Il museo diffuso. {filler}")

    assert "Il <mark>museo</mark> diffuso" in str(search("museo").hits[0].snippet)


def test_index_resources_makes_the_extracted_text_searchable():
    resource = factories.ResourceFactory(title="Rapporto annuale", abstract="Sintesi.")
    factories.ResourceTextFactory(resource=resource, body="Il bilancio partecipativo del museo di comunità.")
    assert search("partecipativo").total == 0

    index_resources(ids=[resource.pk])

    result = search("partecipativo")
    assert titles(result) == ["Rapporto annuale"]
    assert "bilancio <mark>partecipativo</mark> del museo di comunità" in str(result.hits[0].snippet)


def test_search_ranks_text_only_matches_below_description_matches():
    in_text = factories.ResourceFactory(title="Primo", abstract="Sintesi.")
    factories.ResourceTextFactory(resource=in_text, body="Ecomuseo " * 50)
    index_resources(ids=[in_text.pk])
    factories.ResourceFactory(title="Secondo", abstract="Un ecomuseo.")

    assert titles(search("ecomuseo")) == ["Secondo", "Primo"]


def indexed(resource: Resource) -> bool:
    """Whether the engine holds the resource's description (its FTS5 row, or its tsvector)."""
    sql = ("SELECT COUNT(*) FROM library_search_meta WHERE rowid = %s" if connection.vendor == "sqlite"
           else "SELECT COUNT(*) FROM library_resource WHERE id = %s AND search_vector IS NOT NULL")
    with connection.cursor() as cursor:
        cursor.execute(sql, [resource.pk])
        return cursor.fetchone()[0] == 1


def test_index_resources_drops_a_deleted_resource(operator):
    resource = factories.ResourceFactory(title="Ecomuseo del sale")
    factories.ResourceTextFactory(resource=resource, body="La salina.")
    index_resources(ids=[resource.pk])
    assert indexed(resource)
    Resource.objects.filter(pk=resource.pk).update(deleted_at=timezone.now())

    index_resources(ids=[resource.pk])

    assert not indexed(resource)
    assert search("ecomuseo", viewer=operator).total == 0
    assert search("salina", viewer=operator).total == 0


def test_index_resources_follows_a_changed_title():
    resource = factories.ResourceFactory(title="Ecomuseo del sale")
    Resource.objects.filter(pk=resource.pk).update(title="Museo della carta")

    index_resources(ids=[resource.pk])

    assert search("ecomuseo").total == 0
    assert titles(search("carta")) == ["Museo della carta"]


def test_index_resources_is_undone_with_the_callers_transaction():
    resource = factories.ResourceFactory(title="Ecomuseo del sale")

    with pytest.raises(RuntimeError), transaction.atomic():
        Resource.objects.filter(pk=resource.pk).update(title="Museo della carta")
        index_resources(ids=[resource.pk])
        raise RuntimeError

    assert titles(search("ecomuseo")) == ["Ecomuseo del sale"]
    assert search("carta").total == 0


def test_library_reindex_indexes_every_resource():
    factories.ResourceFactory(title="Ecomuseo del sale", index=False)
    factories.ResourceFactory(title="Ecomuseo della carta", index=False)
    assert search("ecomuseo").total == 0

    call_command("library_reindex", batch_size=1, verbosity=0)

    assert sorted(titles(search("ecomuseo"))) == ["Ecomuseo del sale", "Ecomuseo della carta"]


@pytest.fixture
def fundraising():
    return factories.ConceptFactory(
        scheme=Concept.Scheme.TOPIC, notation="fundraising",
        labels={"en": "Fundraising", "it": "Raccolta fondi", "fr": "Collecte de fonds", "es": "Recaudación de fondos",
                "pt": "Angariação de fundos"},
        alt_labels={"it": ["Fundraising museale"]})


# --- Browsing, pages and exports ---------------------------------------------------------------------------------


def test_empty_query_browses_everything_visible_newest_first():
    first = factories.ResourceFactory(title="Primo")
    second = factories.ResourceFactory(title="Secondo")
    factories.ResourceFactory(title="Nascosto", private=True)

    result = search("   ")

    assert [hit.resource for hit in result.hits] == [second, first]
    assert result.total == 2
    assert [(value.value, value.count) for value in result.facets["kind"]] == [("report", 2)]


def test_search_pages_through_the_results():
    for n in range(5):
        factories.ResourceFactory(title=f"Ecomuseo {n}")

    result = resource_search(viewer=AnonymousUser(), query="ecomuseo", filters=SearchFilters(), page=2, page_size=2)

    assert result.total == 5
    assert titles(result) == ["Ecomuseo 2", "Ecomuseo 1"]
    assert resource_search(viewer=AnonymousUser(), query="ecomuseo", filters=SearchFilters(), page=4,
                           page_size=2).hits == []


def test_resource_search_ids_lists_every_hit_in_rank_order():
    abstract_only = factories.ResourceFactory(title="Guida", abstract="Un ecomuseo.")
    in_title = factories.ResourceFactory(title="Ecomuseo", abstract="")

    ids = resource_search_ids(viewer=AnonymousUser(), query="ecomuseo", filters=SearchFilters(), limit=10)

    assert ids == [in_title.pk, abstract_only.pk]


def test_resource_search_ids_stops_at_the_export_limit(settings):
    settings.LIBRARY_EXPORT_MAX_RECORDS = 3
    for n in range(5):
        factories.ResourceFactory(title=f"Ecomuseo {n}")

    assert len(resource_search_ids(viewer=AnonymousUser(), query="ecomuseo", filters=SearchFilters())) == 3
    assert len(resource_search_ids(viewer=AnonymousUser(), query="ecomuseo", filters=SearchFilters(),
                                   limit=1000)) == 3


def test_search_result_says_its_query_and_engine():
    result = search("  musei\x00  in   rete ")

    assert result.query == "musei in rete"
    assert result.engine == search_engine().NAME


# --- Query counts ------------------------------------------------------------------------------------------------


@pytest.fixture
def many_resources(fundraising):
    network = factories.NetworkFactory()
    other = factories.ConceptFactory(scheme=Concept.Scheme.TOPIC, notation="governance")
    for n in range(25):
        resource = factories.ResourceFactory(title=f"Rapporto sui musei {n}", topics=[fundraising, other],
                                             shared_with=[network], authors=[("Rossi", "Maria"), ("Bianchi", "Luca")],
                                             year=2000 + n % 5)
        factories.ResourceTextFactory(resource=resource, body="Testo dei musei.")
    index_resources(ids=Resource.objects.values_list("pk", flat=True))


def test_search_queries_stay_bounded(many_resources, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        result = search("musei")
        for hit in result.hits:
            _ = [str(creator) for creator in hit.creators]
            _ = [str(topic) for topic in hit.topics] + [hit.resource.organisation.name, hit.resource.abstract]

    assert result.total == 25
    assert len(result.hits) == 20
    assert all(hit.creators == list(hit.resource.creators.all()) for hit in result.hits)
    assert all(hit.topics == list(hit.resource.topics.all()) for hit in result.hits)


def test_search_for_a_member_queries_stay_bounded(many_resources, django_assert_max_num_queries):
    museum = factories.OrganisationFactory()
    member = factories.person(museum, "member", "member@museo.example.org")

    with django_assert_max_num_queries(12):
        result = search("musei", viewer=member)

    assert result.total == 25


def test_browse_queries_stay_bounded(many_resources, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):
        result = search("")

    assert result.total == 25


def test_typo_search_queries_stay_bounded(many_resources, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        result = search("rapoprto")

    assert result.total == 25
    assert all(hit.fuzzy for hit in result.hits)


def test_facet_labels_of_topics_and_networks_are_cached_between_searches(many_resources):
    first = search("musei")

    with CaptureQueriesContext(connection) as queries:
        again = search("musei")

    labels = {name: [value.label for value in again.facets[name]] for name in ("topic", "network")}
    assert labels == {name: [value.label for value in first.facets[name]] for name in ("topic", "network")}
    assert "Fundraising" in labels["topic"] and len(labels["network"]) == 1
    assert not [q["sql"] for q in queries.captured_queries
                if 'FROM "networks_network"' in q["sql"] or 'FROM "core_concept" WHERE "core_concept"."id" IN' in q["sql"]]


def test_search_snippet_marks_each_word_of_the_query_even_far_from_the_others():
    before, between = " ".join(f"parola{n}" for n in range(40)), " ".join(f"termine{n}" for n in range(150))
    factories.ResourceFactory(title="Primo", abstract=f"{before} ecomuseo alpino. {between} Il paesaggio terrazzato.")

    snippet = str(search("ecomuseo paesaggio").hits[0].snippet)

    assert "<mark>ecomuseo</mark> alpino" in snippet


def test_search_snippet_of_a_text_marks_the_words_of_the_query_found_far_apart():
    resource = factories.ResourceFactory(title="Rapporto annuale", abstract="Sintesi.")
    before, between = " ".join(f"parola{n}" for n in range(40)), " ".join(f"termine{n}" for n in range(400))
    factories.ResourceTextFactory(resource=resource,
                                  body=f"{before} Il bilancio partecipativo. {between} Il museo diffuso.")
    index_resources(ids=[resource.pk])

    snippet = str(search("partecipativo diffuso").hits[0].snippet)

    assert "bilancio <mark>partecipativo</mark>" in snippet


def test_search_does_not_mark_a_word_the_query_excludes():
    factories.ResourceFactory(title="Paesaggio e arte", abstract="Il paesaggio come arte.")

    hit = search("museo -arte or paesaggio").hits[0]

    assert str(hit.title_html) == "<mark>Paesaggio</mark> e arte"
    assert str(hit.snippet) == "Il <mark>paesaggio</mark> come arte."
