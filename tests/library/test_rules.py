"""Who sees, changes and moderates which resources: the matrix of library/rules.py and `visible_resources_q`."""

import pytest
from django.utils import timezone

from sinergia.library.models import Resource
from sinergia.library.rules import visible_resources_q
from tests import factories
from tests.factories import persona_world

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "outsider", "org_member", "org_editor", "org_admin", "network_member", "coordinator",
            "operator"]
STATES = [(moderation, visibility) for moderation in Resource.Moderation.values
          for visibility in Resource.Visibility.values]
APPROVED_PUBLIC = {("approved", "public")}
IN_NETWORKS = APPROVED_PUBLIC | {("approved", "networks")}
EVERYTHING = set(STATES)
SEES = {
    "anonymous": APPROVED_PUBLIC,
    "outsider": APPROVED_PUBLIC,
    "org_member": EVERYTHING,
    "org_editor": EVERYTHING,
    "org_admin": EVERYTHING,
    "network_member": IN_NETWORKS,
    "coordinator": IN_NETWORKS,
    "operator": EVERYTHING,
}
EDITORS = {"org_editor", "org_admin", "operator"}
CONTRIBUTORS = {"org_member", "org_editor", "org_admin", "operator"}


@pytest.fixture
def world(operator, outsider):
    world = persona_world(operator, outsider)
    resources = {(moderation, visibility): factories.ResourceFactory(
        organisation=world["museum"], moderation=moderation, visibility=visibility, shared_with=[world["network"]])
        for moderation, visibility in STATES}
    return {**world, "resources": resources}


def states_of(world, resources) -> set[tuple[str, str]]:
    by_pk = {resource.pk: state for state, resource in world["resources"].items()}
    return {by_pk[resource.pk] for resource in resources}


@pytest.mark.parametrize("persona", PERSONAS)
def test_visible_resources_q_shows_each_persona_its_resources(world, persona):
    visible = Resource.objects.filter(visible_resources_q(world[persona]))
    assert states_of(world, visible) == SEES[persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_view_resource_permission_agrees_with_visible_resources_q(world, persona):
    user = world[persona]
    allowed = [r for r in world["resources"].values() if user.has_perm("library.view_resource", r)]
    assert states_of(world, allowed) == SEES[persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_deleted_resources_are_seen_by_nobody(world, persona):
    Resource.objects.update(deleted_at=timezone.now())
    assert not Resource.objects.filter(visible_resources_q(world[persona])).exists()
    assert not any(world[persona].has_perm("library.view_resource", r) for r in Resource.objects.all())


@pytest.mark.parametrize("persona", PERSONAS)
def test_change_and_delete_are_for_the_organisation_s_editors(world, persona):
    resource = world["resources"][("approved", "public")]
    user = world[persona]
    assert user.has_perm("library.change_resource", resource) is (persona in EDITORS)
    assert user.has_perm("library.delete_resource", resource) is (persona in EDITORS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_person_of_an_organisation_contributes_on_its_behalf(world, persona):
    assert world[persona].has_perm("library.add_resource", world["museum"]) is (persona in CONTRIBUTORS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_operators_moderate(world, persona):
    assert world[persona].has_perm("library.moderate_resources") is (persona == "operator")


def test_a_networks_only_resource_of_another_network_stays_hidden(world):
    other = factories.NetworkFactory(name="Altra rete")
    hidden = factories.ResourceFactory(networks_only=True, shared_with=[other])
    assert not Resource.objects.filter(visible_resources_q(world["network_member"]), pk=hidden.pk).exists()
    assert not world["network_member"].has_perm("library.view_resource", hidden)
