"""Who sees, writes, publishes, withdraws and follows funding calls: the role matrix, for one object and as a query."""

import pytest
from django.contrib.auth.models import AnonymousUser

from sinergia.desk.models import FundingCall
from sinergia.desk.rules.calls import visible_calls_q
from tests.factories import CallPublisherFactory, FundingCallFactory, calls_world

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "outsider", "org_member", "org_editor", "org_admin", "other_editor", "operator")


@pytest.fixture
def world(operator, outsider):
    return calls_world(operator, outsider)


def _user(world, role):
    return world[role] or AnonymousUser()


def _call(world, state: str) -> FundingCall:
    traits = {"published": {}, "draft": {"draft": True}, "withdrawn": {"withdrawn": True}}[state]
    return FundingCallFactory(organisation=world["publisher"], **traits)


VIEW = {
    "published": dict.fromkeys(ROLES, True),
    "draft": {"anonymous": False, "outsider": False, "org_member": True, "org_editor": True, "org_admin": True,
              "other_editor": False, "operator": True},
}
VIEW["withdrawn"] = VIEW["draft"]


@pytest.mark.parametrize("state", ["published", "draft", "withdrawn"])
@pytest.mark.parametrize("role", ROLES)
def test_view_call_matrix(world, role, state):
    call = _call(world, state)
    user = _user(world, role)
    assert user.has_perm("desk.view_fundingcall", call) is VIEW[state][role]
    visible = FundingCall.objects.filter(visible_calls_q(user)).filter(pk=call.pk).exists()
    assert visible is VIEW[state][role]


WRITERS = {"anonymous": False, "outsider": False, "org_member": False, "org_editor": True, "org_admin": True,
           "other_editor": False, "operator": True}


@pytest.mark.parametrize("perm", ["desk.change_fundingcall", "desk.publish_fundingcall", "desk.withdraw_fundingcall"])
@pytest.mark.parametrize("role", ROLES)
def test_write_call_matrix(world, role, perm):
    assert _user(world, role).has_perm(perm, _call(world, "draft")) is WRITERS[role]


@pytest.mark.parametrize("role", ROLES)
def test_add_call_for_the_publisher_matrix(world, role):
    assert _user(world, role).has_perm("desk.add_fundingcall", world["publisher"]) is WRITERS[role]


@pytest.mark.parametrize("role", ROLES)
def test_add_call_for_an_untrusted_organisation_only_operators(world, role):
    assert _user(world, role).has_perm("desk.add_fundingcall", world["other"]) is (role == "operator")


@pytest.mark.parametrize("role", ROLES)
def test_add_call_for_no_organisation_only_operators(world, role):
    assert _user(world, role).has_perm("desk.add_fundingcall", None) is (role == "operator")


@pytest.mark.parametrize("role", ROLES)
def test_publish_calls_page_matrix(world, role):
    assert _user(world, role).has_perm("desk.publish_calls") is WRITERS[role]


@pytest.mark.parametrize("role", ROLES)
def test_manage_publishers_only_operators(world, role):
    assert _user(world, role).has_perm("desk.manage_call_publishers") is (role == "operator")


@pytest.mark.parametrize("role", ROLES)
def test_follow_published_call_signed_in_only(world, role):
    assert _user(world, role).has_perm("desk.follow_fundingcall", _call(world, "published")) is (role != "anonymous")


@pytest.mark.parametrize("role", ROLES)
def test_follow_draft_call_nobody(world, role):
    assert _user(world, role).has_perm("desk.follow_fundingcall", _call(world, "draft")) is False


def test_change_call_after_trust_revoked_refused_but_withdraw_allowed(world):
    call = _call(world, "published")
    world["publisher"].call_publisher.delete()
    editor = world["org_editor"]
    assert (editor.has_perm("desk.change_fundingcall", call), editor.has_perm("desk.withdraw_fundingcall", call)) == (
        False, True)


def test_change_call_of_another_trusted_publisher_refused(world):
    other_publisher = CallPublisherFactory().organisation
    call = FundingCallFactory(organisation=other_publisher)
    assert world["org_editor"].has_perm("desk.change_fundingcall", call) is False


def test_author_without_organisation_sees_own_draft(world):
    call = FundingCallFactory(draft=True, organisation=None, created_by=world["outsider"])
    assert world["outsider"].has_perm("desk.view_fundingcall", call) is True
