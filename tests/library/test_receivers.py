"""The library forgets what it caches of the thesaurus and of networks as soon as they change: a renamed topic or
network shows its new name in the facets, and a new label of a topic finds its resources, at the next search."""

import pytest
from django.contrib.auth.models import AnonymousUser

from sinergia.core.models import Concept
from sinergia.core.thesaurus import thesaurus_import
from sinergia.library.search import SearchFilters, index_resources, resource_search
from tests import factories

pytestmark = pytest.mark.django_db
PREFIXES = "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n@prefix t: <https://other.example/t/> .\n"


def search(query: str):
    return resource_search(viewer=AnonymousUser(), query=query, filters=SearchFilters())


def facet_labels(result, name: str) -> list[str]:
    return [value.label for value in result.facets[name]]


@pytest.fixture
def tagged():
    """A resource on a topic, shared with a network, searched once so that the labels are cached."""
    topic = factories.ConceptFactory(scheme=Concept.Scheme.TOPIC, notation="storytelling",
                                     labels={"en": "Storytelling", "it": "Narrazione"})
    network = factories.NetworkFactory(name="Ecomusei del Piemonte")
    resource = factories.ResourceFactory(title="Rapporto sui musei", language="it", topics=[topic],
                                         shared_with=[network])
    index_resources(ids=[resource.pk])
    first = search("musei")
    assert (facet_labels(first, "topic"), facet_labels(first, "network")) == (["Storytelling"],
                                                                              ["Ecomusei del Piemonte"])
    assert search("narrazione").total == 1
    return topic, network


def test_a_topic_renamed_one_by_one_shows_its_new_label_at_once(tagged, django_capture_on_commit_callbacks):
    topic, _network = tagged
    with django_capture_on_commit_callbacks(execute=True):
        topic.labels = {"en": "Digital storytelling", "it": "Racconto digitale"}
        topic.save()

    assert facet_labels(search("musei"), "topic") == ["Digital storytelling"]
    assert search("racconto digitale").total == 1


def test_a_thesaurus_import_reaches_the_search_and_the_facets_at_once(tagged, django_capture_on_commit_callbacks):
    turtle = (PREFIXES + 't:storytelling a skos:Concept ; skos:notation "storytelling" ; '
              'skos:inScheme <https://sinergia.example/thesaurus/scheme/topic> ; '
              'skos:prefLabel "Oral history"@en , "Storia orale"@it , "Histoire orale"@fr , "Historia oral"@es , '
              '"História oral"@pt .\n')
    with django_capture_on_commit_callbacks(execute=True):
        result = thesaurus_import(content=turtle.encode(), format="turtle", by=None)

    assert (result.errors, result.updated_notations) == ((), ("storytelling",))
    assert facet_labels(search("musei"), "topic") == ["Oral history"]
    assert search("storia orale").total == 1


def test_a_renamed_network_shows_its_new_name_at_once(tagged, django_capture_on_commit_callbacks):
    _topic, network = tagged
    with django_capture_on_commit_callbacks(execute=True):
        network.name = "Rete degli ecomusei piemontesi"
        network.save()

    assert facet_labels(search("musei"), "network") == ["Rete degli ecomusei piemontesi"]


def test_a_deleted_topic_is_no_longer_found_by_its_label(tagged, django_capture_on_commit_callbacks):
    topic, _network = tagged
    with django_capture_on_commit_callbacks(execute=True):
        topic.delete()

    assert search("narrazione").total == 0
