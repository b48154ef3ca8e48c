"""Permission matrix: every write of the networks domain × every kind of person."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from sinergia.networks import services
from sinergia.networks.models import Membership
from tests import factories
from tests.factories import person
from tests.networks.conftest import CHARTER_V1

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "outsider", "org_member", "org_editor", "org_admin", "coordinator", "operator"]
MANAGERS = {"coordinator", "operator"}
MEMBER_SIDE = {"org_admin"}


def _member(world, **traits):
    return factories.MembershipFactory(network=world["network"], organisation=world["applicant"], **traits)


def _suspended(world):
    return _member(world, status=Membership.Status.SUSPENDED)


WRITES = {
    "network_found": (MEMBER_SIDE, lambda w, by: services.network_found(
        founder=w["applicant"], by=by, name="New network", kind="thematic", scale="local", governance="informal",
        charter_text=CHARTER_V1)),
    "network_update": (MANAGERS, lambda w, by: services.network_update(network=w["network"], by=by,
                                                                        objectives="New objectives")),
    "membership_apply": (MEMBER_SIDE, lambda w, by: services.membership_apply(
        network=w["network"], by=by, organisation=w["applicant"])),
    "membership_admit": (MANAGERS, lambda w, by: services.membership_admit(membership=_member(w, applied=True),
                                                                           by=by)),
    "membership_decline": (MANAGERS, lambda w, by: services.membership_decline(
        membership=_member(w, applied=True), by=by, reason="Not now.")),
    "membership_leave": (MEMBER_SIDE, lambda w, by: services.membership_leave(membership=_member(w), by=by)),
    "membership_suspend": (MANAGERS, lambda w, by: services.membership_suspend(membership=_member(w), by=by,
                                                                               reason="Fees unpaid.")),
    "membership_reinstate": (MANAGERS, lambda w, by: services.membership_reinstate(membership=_suspended(w),
                                                                                   by=by)),
    "membership_set_role": (MANAGERS, lambda w, by: services.membership_set_role(membership=_member(w), by=by,
                                                                                 role="observer")),
    "charter_publish": (MANAGERS, lambda w, by: services.charter_publish(network=w["network"], by=by,
                                                                         text="Version two")),
    "charter_sign": (MEMBER_SIDE, lambda w, by: services.charter_sign(membership=_member(w), by=by)),
}


@pytest.fixture
def world(network, applicant, coordinator, operator, outsider):
    return {
        "network": network, "applicant": applicant,
        "anonymous": AnonymousUser(), "outsider": outsider, "coordinator": coordinator, "operator": operator,
        "org_member": person(applicant, "member", "m@example.org"),
        "org_editor": person(applicant, "editor", "e@example.org"),
        "org_admin": person(applicant, "admin", "a@example.org"),
    }


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("write", sorted(WRITES))
def test_write_is_allowed_exactly_to_its_actors(world, write, persona):
    allowed, call = WRITES[write]
    if persona in allowed:
        assert call(world, world[persona]) is not None
    else:
        with pytest.raises(PermissionDenied):
            call(world, world[persona])


def test_every_service_of_the_domain_is_in_the_matrix():
    assert sorted(WRITES) == sorted(services.__all__)
