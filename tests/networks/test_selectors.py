"""Reads of networks: lists, members with their signed version, access to memberships."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from sinergia.networks.models import Membership
from sinergia.networks.selectors import (
    NetworkFilters,
    applications_to_decide,
    charters_to_sign,
    membership_get_for,
    memberships_acting_for,
    memberships_of_user,
    network_coordinator_users,
    network_current_charter,
    network_get,
    network_list,
    network_members,
    networks_of,
)
from sinergia.networks.services import charter_publish, charter_sign
from tests import factories
from tests.factories import person
from tests.networks.conftest import found_network

pytestmark = pytest.mark.django_db
Status = Membership.Status


def test_network_members_annotates_the_highest_signed_version(network, coordinator, member, applicant_admin):
    charter_sign(membership=member, by=applicant_admin)
    charter_publish(network=network, by=coordinator, text="Version two")
    charter_sign(membership=member, by=applicant_admin)
    signed = {m.member_name: m.signed_version for m in network_members(network=network)}
    assert signed == {network.founded_by.name: None, "Museo della bonifica": 2}


def test_network_members_lists_coordinators_first_then_by_name(network):
    factories.MembershipFactory(network=network, organisation__name="Aaa museo")
    assert [m.member_name for m in network_members(network=network)] == [network.founded_by.name, "Aaa museo"]


def test_network_members_hides_applications_from_the_public(network, coordinator, application, outsider):
    statuses = (Status.ADMITTED, Status.APPLIED)
    assert application not in network_members(network=network, viewer=outsider, statuses=statuses)
    assert application in network_members(network=network, viewer=coordinator, statuses=statuses)


def test_network_members_makes_one_query_whatever_the_size(network, django_assert_num_queries):
    for _ in range(30):
        factories.CharterSignatureFactory(membership=factories.MembershipFactory(network=network),
                                          charter=network_current_charter(network=network))
    with django_assert_num_queries(1):
        rows = [(m.member.name, m.signed_version) for m in network_members(network=network)]
    assert len(rows) == 31


def test_network_list_counts_only_admitted_members(network, member):
    factories.MembershipFactory(network=network, status=Status.LEFT)
    factories.MembershipFactory(network=network, status=Status.APPLIED)
    assert network_list().get(pk=network.pk).member_count == 2


def test_network_list_theme_filter_does_not_duplicate(network):
    network.themes.add(factories.ConceptFactory(notation="archaeology"), factories.ConceptFactory(notation="art"))
    assert list(network_list(filters=NetworkFilters(theme="archaeology"))) == [network]


def test_network_get_hides_unlisted_networks_except_from_operators(network, operator, outsider):
    network.is_active = False
    network.save()
    with pytest.raises(type(network).DoesNotExist):
        network_get(slug=network.slug, viewer=outsider)
    assert network_get(slug=network.slug, viewer=operator).current_charter_number == 1


def test_networks_of_gives_status_signed_and_current_version(member, applicant, applicant_admin):
    charter_sign(membership=member, by=applicant_admin)
    row = networks_of(organisation=applicant).get()
    assert (row.network, row.status, row.signed_version, row.current_version) == (member.network, Status.ADMITTED, 1, 1)


def test_network_coordinator_users_include_editors_and_member_network_coordinators(network, coordinator):
    world_admin = factories.UserFactory(email="world@example.org")
    world = found_network(admin=world_admin, name="World")
    factories.MembershipFactory(network=world, organisation=None, member_network=network, role="coordinator")
    editor = person(network.founded_by, "editor", "editor@example.org")
    person(network.founded_by, "member", "plain@example.org")
    assert set(network_coordinator_users(network=world)) == {world_admin, coordinator, editor}


def test_memberships_acting_for_are_those_of_administered_organisations(member, applicant_admin, applicant_editor):
    assert list(memberships_acting_for(user=applicant_admin)) == [member]
    assert list(memberships_acting_for(user=applicant_editor)) == []


def test_memberships_of_user_include_every_role(member, applicant_member):
    assert list(memberships_of_user(user=applicant_member)) == [member]


def test_charters_to_sign_lists_unsigned_and_outdated(member, coordinator, applicant_admin):
    assert list(charters_to_sign(user=applicant_admin)) == [member]
    charter_sign(membership=member, by=applicant_admin)
    assert list(charters_to_sign(user=applicant_admin)) == []
    charter_publish(network=member.network, by=coordinator, text="Version two")
    assert list(charters_to_sign(user=applicant_admin)) == [member]


def test_applications_to_decide_are_those_of_coordinated_networks(application, coordinator, applicant_admin):
    assert (list(applications_to_decide(user=coordinator)), list(applications_to_decide(user=applicant_admin))) == (
        [application], [])


def test_membership_get_for_hides_applications_from_outsiders(application, outsider):
    with pytest.raises(Http404):
        membership_get_for(user=outsider, pk=application.pk, action="decide_membership")


def test_membership_get_for_forbids_an_action_on_a_visible_membership(member, outsider):
    with pytest.raises(PermissionDenied):
        membership_get_for(user=outsider, pk=member.pk, action="leave_network")


def test_membership_get_for_returns_it_to_its_actor(application, applicant_admin):
    assert membership_get_for(user=applicant_admin, pk=application.pk, action="leave_network") == application


def test_membership_get_for_an_unknown_id_is_404(outsider):
    with pytest.raises(Http404):
        membership_get_for(user=outsider, pk=999_999, action="view_membership")
