"""Across languages through the thesaurus: a query naming a topic or theme, in any language, finds what it tags."""

import pytest
from django.contrib.auth.models import AnonymousUser

from sinergia.core.models import Concept
from sinergia.library.search import SearchFilters, resource_search
from tests import factories

pytestmark = pytest.mark.django_db


def search(query: str):
    return resource_search(viewer=AnonymousUser(), query=query, filters=SearchFilters())


def titles(result) -> list[str]:
    return [hit.resource.title for hit in result.hits]


@pytest.fixture
def fundraising():
    return factories.ConceptFactory(
        scheme=Concept.Scheme.TOPIC, notation="fundraising",
        labels={"en": "Fundraising", "it": "Raccolta fondi", "fr": "Collecte de fonds", "es": "Recaudación de fondos",
                "pt": "Angariação de fundos"},
        alt_labels={"it": ["Fundraising museale"]})


def test_search_finds_resources_in_other_languages_through_a_concept_label(fundraising):
    factories.ResourceFactory(title="Friends of the museum", abstract="Membership schemes.", language="en",
                              topics=[fundraising])
    factories.ResourceFactory(title="Raccolta fondi per i musei", abstract="", language="it")
    factories.ResourceFactory(title="Visitor studies", abstract="", language="en")

    result = search("raccolta fondi")

    assert titles(result) == ["Raccolta fondi per i musei", "Friends of the museum"]
    assert [hit.matched_concepts for hit in result.hits] == [[], [fundraising]]
    assert result.hits[1].rank == 0.0
    assert result.total == 2


def test_search_matches_concept_labels_without_case_or_accents(fundraising):
    factories.ResourceFactory(title="Friends of the museum", language="en", topics=[fundraising])

    assert titles(search("RECAUDACION de fondos")) == ["Friends of the museum"]
    assert titles(search("fundraising museale")) == ["Friends of the museum"]


def test_search_does_not_match_a_concept_named_by_part_of_the_query_only(fundraising):
    factories.ResourceFactory(title="Friends of the museum", language="en", topics=[fundraising])

    assert search("raccolta fondi ecomusei").total == 0


def test_search_matches_theme_concepts_too():
    theme = factories.ConceptFactory(scheme=Concept.Scheme.THEME, notation="landscape",
                                     labels={"en": "Landscape", "it": "Paesaggio"})
    factories.ResourceFactory(title="Terraced fields", language="en", topics=[theme])

    assert titles(search("paesaggio")) == ["Terraced fields"]
