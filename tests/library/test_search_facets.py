"""Facets of the library's search: exact counts over the whole result set, filters, "my languages", labels."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict
from django.utils import translation

from sinergia.core.languages import language_name
from sinergia.core.models import Concept
from sinergia.directory.models import OrganisationMember
from sinergia.library.models import Resource
from sinergia.library.search import FacetValue, SearchFilters, resource_search
from sinergia.library.search.facets import _ordered
from tests import factories

pytestmark = pytest.mark.django_db


def search(query: str = "ecomuseo", **filters):
    return resource_search(viewer=AnonymousUser(), query=query, filters=SearchFilters(**filters), page_size=2)


def counts(result, facet: str) -> list[tuple[str, int]]:
    return [(value.value, value.count) for value in result.facets[facet]]


@pytest.fixture
def library():
    """Seven matching resources (and two that do not match, one private) across every facet."""
    heritage = factories.ConceptFactory(scheme=Concept.Scheme.TOPIC, notation="heritage",
                                        labels={"en": "Heritage", "it": "Patrimonio"})
    landscape = factories.ConceptFactory(scheme=Concept.Scheme.TOPIC, notation="landscape",
                                         labels={"en": "Landscape", "it": "Paesaggio"})
    alps = factories.NetworkFactory(name="Rete alpina")
    coast = factories.NetworkFactory(name="Rete costiera")
    report, book = Resource.Kind.REPORT, Resource.Kind.BOOK
    rows = [
        ("it", report, 2024, [heritage], [alps]),
        ("it", report, 2023, [heritage, landscape], [alps, coast]),
        ("it-CH", book, 2024, [], [coast]),
        ("en", book, 2024, [landscape], []),
        ("en-GB", report, None, [heritage], [alps]),
        ("fr", report, 2022, [], []),
        ("pt-BR", book, 2023, [landscape], [coast]),
    ]
    for n, (language, kind, year, topics, networks) in enumerate(rows):
        factories.ResourceFactory(title=f"Ecomuseo {n}", abstract="", language=language, kind=kind, year=year,
                                  topics=topics, shared_with=networks)
    factories.ResourceFactory(title="Altro", abstract="", language="es", topics=[heritage], shared_with=[alps])
    factories.ResourceFactory(title="Ecomuseo privato", abstract="", language="es", private=True, topics=[heritage])
    return {"heritage": heritage, "landscape": landscape, "alps": alps, "coast": coast}


def test_facets_count_the_whole_result_set_not_the_page(library):
    result = search()

    assert result.total == 7
    assert len(result.hits) == 2
    assert counts(result, "language") == [("it", 3), ("en", 2), ("fr", 1), ("pt", 1)]
    assert counts(result, "kind") == [("report", 4), ("book", 3)]
    assert counts(result, "year") == [("2024", 3), ("2023", 2), ("2022", 1)]
    assert counts(result, "topic") == [(str(library["heritage"].pk), 3), (str(library["landscape"].pk), 3)]
    assert counts(result, "network") == [(str(library["alps"].pk), 3), (str(library["coast"].pk), 3)]


def test_facets_carry_labels_in_the_readers_language(library):
    with translation.override("it"):
        result = search()
        kinds = [str(Resource.Kind.REPORT.label), str(Resource.Kind.BOOK.label)]
        italian = language_name("it")

    assert [value.label for value in result.facets["topic"]] == ["Patrimonio", "Paesaggio"]
    assert [value.label for value in result.facets["kind"]] == kinds
    assert [value.label for value in result.facets["network"]] == ["Rete alpina", "Rete costiera"]
    assert [value.label for value in result.facets["year"]] == ["2024", "2023", "2022"]
    assert result.facets["language"][0].label == italian == "Italiano"


def test_facets_count_the_filtered_query_and_mark_the_selection(library):
    result = search(languages=["it"], kinds=["report"])

    assert result.total == 2
    assert result.facets["language"] == [FacetValue(value="it", label="Italian", count=2, selected=True)]
    assert result.facets["kind"] == [FacetValue(value="report", label="Report", count=2, selected=True)]
    assert counts(result, "year") == [("2024", 1), ("2023", 1)]
    assert counts(result, "network") == [(str(library["alps"].pk), 2), (str(library["coast"].pk), 1)]


def test_language_filter_takes_regional_tags_by_their_primary_subtag(library):
    assert search(languages=["pt"]).total == 1
    assert search(languages=["it"]).total == 3
    assert search(languages=["it", "en"]).total == 5


def test_each_filter_narrows_the_results(library):
    assert search(kinds=["book"]).total == 3
    assert search(years=[2024, 2022]).total == 4
    assert search(topics=[library["landscape"].pk]).total == 3
    assert search(topics=[library["landscape"].pk, library["heritage"].pk]).total == 5
    assert search(networks=[library["coast"].pk]).total == 3
    assert search(networks=[library["coast"].pk], topics=[library["heritage"].pk]).total == 1


def test_my_languages_keeps_the_readers_languages(library):
    result = search(my_languages=["fr", "pt"])

    assert result.total == 2
    assert counts(result, "language") == [("fr", 1), ("pt", 1)]
    assert search(my_languages=["fr", "pt"], languages=["fr"]).total == 1


def test_a_selected_value_without_results_stays_in_its_facet(library):
    result = search(languages=["es"])

    assert result.total == 0
    assert result.facets["language"] == [FacetValue(value="es", label="Spanish", count=0, selected=True)]


def test_facets_of_an_empty_query_count_everything_visible(library):
    result = search("")

    assert result.total == 8
    assert counts(result, "language") == [("it", 3), ("en", 2), ("es", 1), ("fr", 1), ("pt", 1)]
    assert counts(result, "topic") == [(str(library["heritage"].pk), 4), (str(library["landscape"].pk), 3)]


def test_facets_leave_out_what_no_result_has():
    factories.ResourceFactory(title="Ecomuseo", abstract="", year=None)

    result = search()

    assert (result.facets["topic"], result.facets["network"], result.facets["year"]) == ([], [], [])


def test_invalid_filter_values_are_ignored():
    filters = SearchFilters(languages=["it", "i t", "", "IT", "x" * 20], kinds=["report", "poem"],
                            topics=["3", "x", -1, 3], years=["2024", "year", 0, 5000], networks=[None, "2"])

    assert filters == SearchFilters(languages=("it",), kinds=("report",), topics=(3,), years=(2024,),
                                    networks=(2,))


def test_filters_read_request_parameters():
    params = QueryDict("language=it&language=pt-BR&kind=book&topic=4&year=2020&network=7&my_language=fr")

    assert SearchFilters.from_params(params) == SearchFilters(
        languages=("it", "pt"), kinds=("book",), topics=(4,), years=(2020,), networks=(7,), my_languages=("fr",))


def test_filters_keep_a_bounded_number_of_values():
    assert len(SearchFilters(years=range(1900, 2100)).years) == 50


def test_browsing_facets_follow_a_new_resource():
    factories.ResourceFactory(title="Primo", language="it")
    assert counts(search(""), "language") == [("it", 1)]

    factories.ResourceFactory(title="Secondo", language="fr")

    assert counts(search(""), "language") == [("fr", 1), ("it", 1)]


def test_browsing_facets_of_a_member_are_their_own(outsider):
    museum = factories.OrganisationFactory()
    member = factories.person(museum, "member", "member@museo.example.org")
    factories.ResourceFactory(title="Pubblico", language="it")
    factories.ResourceFactory(title="Privato", language="fr", organisation=museum, private=True)
    assert counts(search(""), "language") == [("it", 1)]

    result = resource_search(viewer=member, query="", filters=SearchFilters())

    assert counts(result, "language") == [("fr", 1), ("it", 1)]


def test_browsing_facets_cached_for_one_member_are_not_shown_to_another():
    museum, archive = factories.OrganisationFactory(), factories.OrganisationFactory()
    curator = factories.person(museum, "member", "curator@museo.example.org")
    archivist = factories.person(archive, "member", "archivist@archivio.example.org")
    factories.ResourceFactory(title="Privato del museo", language="fr", organisation=museum, private=True)
    assert counts(resource_search(viewer=curator, query="", filters=SearchFilters()), "language") == [("fr", 1)]

    result = resource_search(viewer=archivist, query="", filters=SearchFilters())

    assert (result.total, result.facets["language"]) == (0, [])


def test_browsing_facets_follow_a_member_who_leaves_the_organisation():
    museum = factories.OrganisationFactory()
    curator = factories.person(museum, "member", "curator@museo.example.org")
    factories.ResourceFactory(title="Privato del museo", language="fr", organisation=museum, private=True)
    assert resource_search(viewer=curator, query="", filters=SearchFilters()).total == 1

    OrganisationMember.objects.filter(user=curator).delete()

    result = resource_search(viewer=curator, query="", filters=SearchFilters())
    assert (result.total, result.facets["language"]) == (0, [])


def test_facet_values_of_equal_count_keep_the_order_of_their_ids_as_numbers():
    counts = {"100": 3, "99": 3, "7": 5}

    assert _ordered("topic", counts, ()) == ["7", "99", "100"]
