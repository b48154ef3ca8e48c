"""Nothing invisible in the search: hits, totals and facet counts for every persona × every state of a resource,
whichever way a resource is found (words, full text, a concept, a corrected typo, browsing)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from sinergia.core.models import Concept
from sinergia.library.models import Resource
from sinergia.library.search import SearchFilters, index_resources, resource_search, resource_search_ids
from sinergia.networks.models import Membership
from tests import factories
from tests.factories import person

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "outsider", "org_member", "network_member", "coordinator", "operator"]
STATES = [(moderation, visibility) for moderation in Resource.Moderation.values
          for visibility in Resource.Visibility.values]
APPROVED_PUBLIC = {("approved", "public")}
IN_NETWORKS = APPROVED_PUBLIC | {("approved", "networks")}
SEES = {
    "anonymous": APPROVED_PUBLIC,
    "outsider": APPROVED_PUBLIC,
    "org_member": set(STATES),
    "network_member": IN_NETWORKS,
    "coordinator": IN_NETWORKS,
    "operator": set(STATES),
}
# A query per way of finding a resource: words, the extracted text, a concept label, a typo, browsing.
QUERIES = ["ecomuseo", "salina", "raccolta fondi", "ecomusoe", ""]


@pytest.fixture
def world(operator, outsider):
    museum = factories.OrganisationFactory(name="Museo civico")
    network = factories.NetworkFactory(name="Rete degli ecomusei")
    member_org = factories.OrganisationFactory(name="Ecomuseo membro")
    factories.MembershipFactory(network=network, organisation=member_org)
    coordinating = factories.OrganisationFactory(name="Capofila")
    factories.MembershipFactory(network=network, organisation=coordinating, role=Membership.Role.COORDINATOR)
    fundraising = factories.ConceptFactory(scheme=Concept.Scheme.TOPIC, notation="fundraising",
                                           labels={"en": "Fundraising", "it": "Raccolta fondi"})
    resources = {}
    for index, (moderation, visibility) in enumerate(STATES):
        resource = factories.ResourceFactory(
            organisation=museum, moderation=moderation, visibility=visibility, shared_with=[network],
            title=f"Ecomuseo {moderation} {visibility}", abstract="", year=2000 + index, topics=[fundraising])
        factories.ResourceTextFactory(resource=resource, body="La salina e le sue vasche.")
        index_resources(ids=[resource.pk])
        resources[(moderation, visibility)] = resource
    deleted = factories.ResourceFactory(organisation=museum, title="Ecomuseo cancellato", abstract="",
                                        topics=[fundraising], shared_with=[network])
    factories.ResourceTextFactory(resource=deleted, body="La salina e le sue vasche.")
    Resource.objects.filter(pk=deleted.pk).update(deleted_at=timezone.now())
    index_resources(ids=[deleted.pk])
    return {
        "resources": resources, "network": network, "fundraising": fundraising,
        "anonymous": AnonymousUser(), "outsider": outsider, "operator": operator,
        "org_member": person(museum, "member", "m@museo.example.org"),
        "network_member": person(member_org, "member", "m@membro.example.org"),
        "coordinator": person(coordinating, "editor", "e@capofila.example.org"),
    }


def states_of(world, resources) -> set[tuple[str, str]]:
    by_pk = {resource.pk: state for state, resource in world["resources"].items()}
    return {by_pk[resource.pk] for resource in resources}


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_search_shows_each_persona_only_what_it_may_see(world, persona, query):
    result = resource_search(viewer=world[persona], query=query, filters=SearchFilters(), page_size=100)

    assert states_of(world, [hit.resource for hit in result.hits]) == SEES[persona]
    assert result.total == len(SEES[persona])


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_facets_count_only_what_the_persona_may_see(world, persona, query):
    result = resource_search(viewer=world[persona], query=query, filters=SearchFilters())
    visible = len(SEES[persona])

    assert [(value.value, value.count) for value in result.facets["kind"]] == [("report", visible)]
    assert [value.count for value in result.facets["topic"]] == [visible]
    assert [value.count for value in result.facets["network"]] == [visible]
    assert [value.count for value in result.facets["language"]] == [visible]
    assert len(result.facets["year"]) == visible


@pytest.mark.parametrize("persona", PERSONAS)
def test_search_ids_for_exports_hold_only_what_the_persona_may_see(world, persona):
    ids = resource_search_ids(viewer=world[persona], query="ecomuseo", filters=SearchFilters())

    assert states_of(world, Resource.objects.filter(pk__in=ids)) == SEES[persona]


def test_filtering_on_a_network_shows_nothing_more(world):
    filters = SearchFilters(networks=[world["network"].pk], topics=[world["fundraising"].pk])

    result = resource_search(viewer=world["outsider"], query="", filters=filters)

    assert states_of(world, [hit.resource for hit in result.hits]) == APPROVED_PUBLIC
