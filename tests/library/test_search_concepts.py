"""Across languages through the thesaurus: a query naming a topic or theme, in any language, finds what it tags."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache

from sinergia.core.models import Concept
from sinergia.library.search import SearchFilters, resource_search
from sinergia.library.search.concepts import LABELS_CACHE_KEY, LABELS_VERSION_KEY, concept_labels, label_key
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


def test_labels_are_read_once_per_process_until_the_thesaurus_changes(fundraising, django_assert_num_queries,
                                                                      django_capture_on_commit_callbacks):
    assert concept_labels()[label_key("Raccolta fondi")] == [fundraising.pk]
    cache.delete(LABELS_CACHE_KEY)  # the process's own copy serves while the shared version stays the same
    with django_assert_num_queries(0):
        assert concept_labels()[label_key("Raccolta fondi")] == [fundraising.pk]

    with django_capture_on_commit_callbacks(execute=True):
        fundraising.labels = {**fundraising.labels, "it": "Raccolta di fondi"}
        fundraising.save()

    assert label_key("Raccolta di fondi") in concept_labels()
    assert label_key("Raccolta fondi") not in concept_labels()


def test_a_process_reads_the_labels_again_when_another_forgets_them(fundraising):
    concept_labels()
    # Another process saved a concept: it left the shared cache without the labels and their version.
    Concept.objects.filter(pk=fundraising.pk).update(labels={"en": "Fund raising"})
    cache.delete_many([LABELS_CACHE_KEY, LABELS_VERSION_KEY])

    assert label_key("Fund raising") in concept_labels()
