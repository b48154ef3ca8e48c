"""Typo tolerance on titles: a query that finds (almost) nothing is corrected against the words of titles."""

import pytest
from django.contrib.auth.models import AnonymousUser

from sinergia.library.search import SearchFilters, resource_search
from tests import factories

pytestmark = pytest.mark.django_db


def search(query: str):
    return resource_search(viewer=AnonymousUser(), query=query, filters=SearchFilters())


def titles(result) -> list[str]:
    return [hit.resource.title for hit in result.hits]


def test_search_tolerates_a_typo_in_a_title_word():
    factories.ResourceFactory(title="The museum as a meeting place", abstract="", language="en")
    factories.ResourceFactory(title="Visitor studies", abstract="", language="en")

    result = search("musuem")

    assert titles(result) == ["The museum as a meeting place"]
    assert result.hits[0].fuzzy is True
    assert str(result.hits[0].title_html) == "The <mark>museum</mark> as a meeting place"


def test_search_tolerates_two_typos_in_a_long_word():
    factories.ResourceFactory(title="Ecomuseums of the Alps", abstract="", language="en")

    assert titles(search("ecomusuems")) == ["Ecomuseums of the Alps"]


def test_search_tolerates_a_typo_against_a_stemmed_title_word():
    factories.ResourceFactory(title="Museums and communities", abstract="", language="en")

    assert titles(search("musuem")) == ["Museums and communities"]


def test_search_does_not_correct_words_that_are_found():
    factories.ResourceFactory(title="Museo civico", abstract="")
    for n in range(5):
        factories.ResourceFactory(title=f"Musei in rete {n}", abstract="")

    assert all(not hit.fuzzy for hit in search("musei").hits)
    assert search("musei").total == 6


def test_search_does_not_correct_a_word_too_far_from_any_title():
    factories.ResourceFactory(title="The museum as a meeting place", abstract="", language="en")

    assert search("mausoleum").total == 0


def test_search_ranks_close_titles_below_matches():
    factories.ResourceFactory(title="The museum as a meeting place", abstract="", language="en")
    factories.ResourceFactory(title="Report", abstract="Musuem (sic) in the catalogue.", language="en")

    result = search("musuem")

    assert titles(result) == ["Report", "The museum as a meeting place"]
    assert [hit.fuzzy for hit in result.hits] == [False, True]


def test_search_corrects_missing_accents_against_titles():
    factories.ResourceFactory(title="La città dei musei", abstract="", language="it")

    assert titles(search("citta")) == ["La città dei musei"]

