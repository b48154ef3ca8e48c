"""Invitations, roles and removal; an organisation always keeps an administrator."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sinergia.core.models import Notification
from sinergia.directory.models import Invitation, OrganisationMember
from sinergia.directory.services import (
    invitation_accept,
    invitation_create,
    invitation_problem,
    invitation_revoke,
    member_remove,
    member_set_role,
)
from tests import factories

pytestmark = pytest.mark.django_db
Role = OrganisationMember.Role


def test_invite_a_new_address_sends_an_email_with_the_link(org_admin, museum, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(organisation=museum, by=org_admin, email=" New@Example.org ", role=Role.EDITOR)

    assert (invitation.email, invitation.role, invitation.invited_by) == ("new@example.org", Role.EDITOR, org_admin)
    assert timezone.now() + datetime.timedelta(days=13) < invitation.expires_at
    [message] = mail.outbox
    assert message.to == ["new@example.org"]
    assert message.subject == "[Sinergia] You are invited to join Museo del Patrimonio Industriale"
    assert f"http://127.0.0.1:8000/en/organisations/invitations/{invitation.token}/" in message.body


def test_invite_an_existing_user_notifies_them_in_app(org_admin, museum, outsider,
                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(organisation=museum, by=org_admin, email=outsider.email, role=Role.MEMBER)

    notification = Notification.objects.get(recipient=outsider)
    assert notification.title == "You are invited to join Museo del Patrimonio Industriale as Member"
    assert notification.url == f"/en/organisations/invitations/{invitation.token}/"
    assert [message.to for message in mail.outbox] == [[outsider.email]]


def test_invite_someone_already_in_is_refused(org_admin, org_member, museum):
    with pytest.raises(ValidationError) as error:
        invitation_create(organisation=museum, by=org_admin, email="MEMBER@mpi.example.org", role=Role.ADMIN)
    assert error.value.message_dict == {"email": ["member@mpi.example.org is already in this organisation."]}


def test_invite_twice_is_refused_while_the_first_is_open(org_admin, museum):
    invitation_create(organisation=museum, by=org_admin, email="new@example.org", role=Role.MEMBER)

    with pytest.raises(ValidationError) as error:
        invitation_create(organisation=museum, by=org_admin, email="new@example.org", role=Role.EDITOR)

    assert error.value.message_dict == {"email": ["An invitation to new@example.org is already waiting to be "
                                                  "accepted."]}


def test_invite_again_after_expiry_replaces_the_old_invitation(org_admin, museum):
    old = factories.InvitationFactory(organisation=museum, email="new@example.org",
                                      expires_at=timezone.now() - datetime.timedelta(days=1))

    fresh = invitation_create(organisation=museum, by=org_admin, email="new@example.org", role=Role.EDITOR)

    assert list(Invitation.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert fresh.pk != old.pk


@pytest.mark.parametrize(("email", "role", "errors"), [
    ("not-an-address", Role.MEMBER, {"email": ["Enter a valid e-mail address."]}),
    ("new@example.org", "owner", {"role": ["Choose a role: administrator, editor or member."]}),
])
def test_invite_with_bad_input_is_refused(org_admin, museum, email, role, errors):
    with pytest.raises(ValidationError) as error:
        invitation_create(organisation=museum, by=org_admin, email=email, role=role)
    assert error.value.message_dict == errors
    assert Invitation.objects.count() == 0


@pytest.mark.parametrize("who", ["org_editor", "org_member", "outsider", "coordinator"])
def test_invite_is_for_admins_only(request, who, museum):
    with pytest.raises(PermissionDenied):
        invitation_create(organisation=museum, by=request.getfixturevalue(who), email="x@example.org", role="member")


def test_accept_joins_with_the_invited_role(org_admin, museum, outsider):
    invitation = factories.InvitationFactory(organisation=museum, email="OUTSIDER@example.org", role=Role.EDITOR,
                                             invited_by=org_admin)

    member = invitation_accept(invitation=invitation, by=outsider)

    assert (member.user, member.role) == (outsider, Role.EDITOR)
    invitation.refresh_from_db()
    assert (invitation.accepted_by, invitation.accepted_at is not None) == (outsider, True)
    assert outsider.has_perm("directory.change_organisation", museum)
    assert Notification.objects.get(recipient=org_admin).title == (
        f"{outsider.display_name} joined Museo del Patrimonio Industriale")


def test_accept_raises_but_never_lowers_an_existing_role(museum, org_member, org_editor):
    up = factories.InvitationFactory(organisation=museum, email=org_member.email, role=Role.ADMIN)
    down = factories.InvitationFactory(organisation=museum, email=org_editor.email, role=Role.MEMBER)

    assert invitation_accept(invitation=up, by=org_member).role == Role.ADMIN
    assert invitation_accept(invitation=down, by=org_editor).role == Role.EDITOR


def test_accept_by_another_address_is_refused(museum, outsider):
    invitation = factories.InvitationFactory(organisation=museum, email="someone.else@example.org")

    with pytest.raises(ValidationError) as error:
        invitation_accept(invitation=invitation, by=outsider)

    assert error.value.messages == ["This invitation was sent to another e-mail address. Sign in with the address "
                                    "that received it, then open the link again."]
    assert not museum.people.filter(user=outsider).exists()


def test_accept_after_expiry_is_refused(museum, outsider):
    invitation = factories.InvitationFactory(organisation=museum, email=outsider.email,
                                             expires_at=datetime.datetime(2024, 3, 1, 12, tzinfo=datetime.UTC))

    with pytest.raises(ValidationError) as error:
        invitation_accept(invitation=invitation, by=outsider)

    assert error.value.messages == ["This invitation expired on March 1, 2024: ask the organisation to invite you "
                                    "again."]
    assert invitation_problem(invitation=invitation, by=outsider) == error.value.messages[0]


def test_accept_twice_is_refused(museum, outsider):
    invitation = factories.InvitationFactory(organisation=museum, email=outsider.email)
    invitation_accept(invitation=invitation, by=outsider)

    with pytest.raises(ValidationError) as error:
        invitation_accept(invitation=invitation, by=outsider)
    assert error.value.messages == ["This invitation has already been accepted."]


def test_accept_needs_a_signed_in_user(museum, anonymous):
    invitation = factories.InvitationFactory(organisation=museum)
    with pytest.raises(PermissionDenied):
        invitation_accept(invitation=invitation, by=anonymous)


def test_revoke_deletes_an_open_invitation(org_admin, museum):
    invitation = factories.InvitationFactory(organisation=museum)

    invitation_revoke(invitation=invitation, by=org_admin)

    assert Invitation.objects.count() == 0


def test_revoke_refuses_an_accepted_invitation(org_admin, museum, outsider):
    invitation = factories.InvitationFactory(organisation=museum, email=outsider.email)
    invitation_accept(invitation=invitation, by=outsider)

    with pytest.raises(ValidationError):
        invitation_revoke(invitation=invitation, by=org_admin)


def test_revoke_refuses_an_editor(org_editor, museum):
    with pytest.raises(PermissionDenied):
        invitation_revoke(invitation=factories.InvitationFactory(organisation=museum), by=org_editor)


def test_set_role_changes_the_role_and_tells_the_person(org_admin, org_member, museum):
    member = museum.people.get(user=org_member)

    member_set_role(member=member, by=org_admin, role=Role.EDITOR)

    assert museum.people.get(user=org_member).role == Role.EDITOR
    assert Notification.objects.get(recipient=org_member).title == (
        "Your role in Museo del Patrimonio Industriale is now: Editor")


def test_the_last_admin_cannot_be_demoted(org_admin, museum):
    member = museum.people.get(user=org_admin)

    with pytest.raises(ValidationError) as error:
        member_set_role(member=member, by=org_admin, role=Role.EDITOR)

    assert error.value.messages == ["Museo del Patrimonio Industriale must keep at least one administrator: make "
                                    "someone else administrator first."]
    assert museum.people.get(user=org_admin).role == Role.ADMIN


def test_an_admin_may_step_down_when_another_admin_remains(org_admin, org_member, museum):
    member_set_role(member=museum.people.get(user=org_member), by=org_admin, role=Role.ADMIN)

    member_set_role(member=museum.people.get(user=org_admin), by=org_admin, role=Role.MEMBER)

    assert dict(museum.people.values_list("user__email", "role")) == {
        "admin@mpi.example.org": Role.MEMBER, "member@mpi.example.org": Role.ADMIN}


def test_set_role_refuses_an_editor(org_editor, org_member, museum):
    with pytest.raises(PermissionDenied):
        member_set_role(member=museum.people.get(user=org_member), by=org_editor, role=Role.ADMIN)


def test_remove_takes_the_person_out(org_admin, org_editor, museum):
    member_remove(member=museum.people.get(user=org_editor), by=org_admin)

    assert list(museum.people.values_list("user__email", flat=True)) == ["admin@mpi.example.org"]
    assert not org_editor.has_perm("directory.change_organisation", museum)


def test_the_last_admin_cannot_be_removed_even_by_an_operator(org_admin, operator, museum):
    with pytest.raises(ValidationError):
        member_remove(member=museum.people.get(user=org_admin), by=operator)
    assert museum.people.filter(user=org_admin).exists()


def test_a_member_may_leave(org_admin, org_member, museum):
    member_remove(member=museum.people.get(user=org_member), by=org_member)

    assert not museum.people.filter(user=org_member).exists()


def test_a_member_may_not_remove_someone_else(org_editor, org_member, museum):
    with pytest.raises(PermissionDenied):
        member_remove(member=museum.people.get(user=org_editor), by=org_member)
