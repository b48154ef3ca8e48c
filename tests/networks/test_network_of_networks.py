"""Networks as members of networks: the same flow, acted by the member network's coordinators."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sinergia.core.models import Notification
from sinergia.networks.models import Membership
from sinergia.networks.services import (
    charter_publish,
    charter_sign,
    membership_admit,
    membership_apply,
    membership_leave,
)
from tests import factories
from tests.networks.conftest import found_network

pytestmark = pytest.mark.django_db


@pytest.fixture
def world_coordinator(db):
    return factories.UserFactory(email="world@example.org")


@pytest.fixture
def world(world_coordinator):
    return found_network(admin=world_coordinator, name="World ecomuseum network")


@pytest.fixture
def national(coordinator, network):
    return network


def test_member_network_applies_through_its_coordinator(world, national, coordinator, world_coordinator):
    membership = membership_apply(network=world, by=coordinator, member_network=national, motivation="We are 40.")
    assert (membership.member_network, membership.organisation, membership.status) == (
        national, None, Membership.Status.APPLIED)
    assert Notification.objects.get(recipient=world_coordinator).title == (
        f"{national.name} applied to join World ecomuseum network")


def test_member_network_application_by_an_outsider_is_denied(world, national, outsider):
    with pytest.raises(PermissionDenied):
        membership_apply(network=world, by=outsider, member_network=national)


def test_member_network_full_flow_admit_sign_publish_resign_leave(world, national, coordinator, world_coordinator):
    membership = membership_apply(network=world, by=coordinator, member_network=national)
    membership_admit(membership=membership, by=world_coordinator)
    assert Notification.objects.filter(recipient=coordinator, kind="networks.admitted").count() == 1
    assert charter_sign(membership=membership, by=coordinator).charter.number == 1
    charter_publish(network=world, by=world_coordinator, text="World charter v2")
    assert Notification.objects.filter(recipient=coordinator, kind="networks.charter_published").count() == 1
    assert charter_sign(membership=membership, by=coordinator).charter.number == 2
    membership_leave(membership=membership, by=coordinator)
    assert Membership.objects.get(pk=membership.pk).status == Membership.Status.LEFT


def test_member_network_cannot_join_itself(national, coordinator):
    with pytest.raises(ValidationError) as error:
        membership_apply(network=national, by=coordinator, member_network=national)
    assert error.value.messages == ["A network cannot be a member of itself."]


def test_member_network_cannot_join_its_own_member(world, national, coordinator, world_coordinator):
    membership_admit(membership=membership_apply(network=world, by=coordinator, member_network=national),
                     by=world_coordinator)
    with pytest.raises(ValidationError) as error:
        membership_apply(network=national, by=world_coordinator, member_network=world)
    assert error.value.messages == [
        f"{national.name} is already a member of World ecomuseum network: the two networks cannot contain each other."]


def test_member_network_cannot_close_a_transitive_cycle(world, national, coordinator, world_coordinator):
    local_admin = factories.UserFactory(email="local@example.org")
    local = found_network(admin=local_admin, name="Local network")
    membership_admit(membership=membership_apply(network=world, by=coordinator, member_network=national),
                     by=world_coordinator)
    membership_admit(membership=membership_apply(network=national, by=local_admin, member_network=local),
                     by=coordinator)
    with pytest.raises(ValidationError):
        membership_apply(network=local, by=world_coordinator, member_network=world)


def test_member_network_admission_rechecks_the_cycle(world, national, coordinator, world_coordinator):
    up = membership_apply(network=world, by=coordinator, member_network=national)
    down = Membership.objects.create(network=national, member_network=world, status=Membership.Status.APPLIED)
    membership_admit(membership=up, by=world_coordinator)
    with pytest.raises(ValidationError):
        membership_admit(membership=down, by=coordinator)
    assert Membership.objects.get(pk=down.pk).status == Membership.Status.APPLIED


def test_member_network_coordinator_role_gives_coordination_one_level_up(world, national, coordinator,
                                                                         world_coordinator):
    membership = membership_apply(network=world, by=coordinator, member_network=national)
    membership_admit(membership=membership, by=world_coordinator, role=Membership.Role.COORDINATOR)
    applicant = factories.OrganisationFactory()
    application = factories.MembershipFactory(network=world, organisation=applicant, applied=True)
    fresh = type(coordinator).objects.get(pk=coordinator.pk)
    membership_admit(membership=application, by=fresh)
    assert Membership.objects.get(pk=application.pk).status == Membership.Status.ADMITTED
