"""The resources of a page of hits, loaded by plain statements (run on SQLite and on PostgreSQL): the same values
as the ORM gives, creators in order, topics in the thesaurus' order, unknown ids left out."""

import pytest

from sinergia.core.models import Concept
from sinergia.library.models import Creator
from sinergia.library.search.hits import hit_resources
from tests import factories

pytestmark = pytest.mark.django_db


def test_hit_resources_hold_what_a_hit_shows_as_the_orm_reads_it():
    topics = [factories.ConceptFactory(scheme=Concept.Scheme.TOPIC, notation="volunteering",
                                       labels={"en": "Volunteering", "it": "Volontariato"}),
              factories.ConceptFactory(scheme=Concept.Scheme.THEME, notation="art")]
    resource = factories.ResourceFactory(title="Musei e volontari", abstract="Un *riassunto*.", language="it-CH",
                                         year=None, topics=topics, authors=[("Rossi", "Maria"), ("Bianchi", "")],
                                         index=False)
    Creator.objects.create(resource=resource, position=3, organisation_name="ICOM Italia")

    loaded = hit_resources([resource.pk, 999_999])

    assert list(loaded) == [resource.pk]
    hit = loaded[resource.pk]
    assert (hit.kind, hit.title, hit.abstract, hit.language, hit.year) == (
        resource.kind, "Musei e volontari", "Un *riassunto*.", "it-CH", None)
    assert (hit.organisation.slug, hit.organisation.name) == (resource.organisation.slug,
                                                            resource.organisation.name)
    assert [creator.display_name for creator in hit.creator_list] == ["Rossi, Maria", "Bianchi", "ICOM Italia"]
    assert hit.creator_list == list(resource.creators.all())
    assert [topic.notation for topic in hit.topic_list] == ["art", "volunteering"]
    assert hit.topic_list[1].labels == {"en": "Volunteering", "it": "Volontariato"}
    assert not hit._state.adding


def test_hit_resources_of_no_ids_ask_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert hit_resources([]) == {}


def test_hit_resources_take_three_statements_whatever_the_page_holds(django_assert_num_queries):
    ids = [factories.ResourceFactory(topics=[factories.ConceptFactory()], index=False).pk for _ in range(5)]

    with django_assert_num_queries(3):
        loaded = hit_resources(ids)

    assert sorted(loaded) == sorted(ids)
    assert all(len(resource.creator_list) == 1 and len(resource.topic_list) == 1 for resource in loaded.values())
