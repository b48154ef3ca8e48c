"""The membership lifecycle: apply, admit, decline, leave, suspend, reinstate, change role."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from sinergia.core.models import AuditEntry, Notification
from sinergia.networks.models import Membership
from sinergia.networks.services import (
    membership_admit,
    membership_apply,
    membership_decline,
    membership_leave,
    membership_reinstate,
    membership_set_role,
    membership_suspend,
)
from tests import factories
from tests.factories import person

pytestmark = pytest.mark.django_db
Status, Role = Membership.Status, Membership.Role


def titles(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def coordinator_membership(network) -> Membership:
    return Membership.objects.get(network=network, organisation=network.founded_by)


def test_membership_apply_creates_a_pending_application(network, applicant, applicant_admin):
    membership = membership_apply(network=network, by=applicant_admin, organisation=applicant,
                                  motivation="  We run a museum of land reclamation.  ")
    assert (membership.status, membership.role, membership.motivation, membership.applied_by) == (
        Status.APPLIED, Role.MEMBER, "We run a museum of land reclamation.", applicant_admin)


def test_membership_apply_notifies_coordinators_in_app_and_by_email(network, coordinator, applicant,
                                                                     applicant_admin,
                                                                     django_capture_on_commit_callbacks):
    editor = person(network.founded_by, "editor", "editor@capofila.example.org")
    with django_capture_on_commit_callbacks(execute=True):
        membership_apply(network=network, by=applicant_admin, organisation=applicant, motivation="Hello")
    expected = [f"Museo della bonifica applied to join {network.name}"]
    assert (titles(coordinator), titles(editor), titles(applicant_admin)) == (expected, expected, [])
    assert sorted(m.to[0] for m in mail.outbox) == ["coordinator@example.org", "editor@capofila.example.org"]


def test_membership_apply_notification_uses_the_recipients_language(network, coordinator, applicant,
                                                                     applicant_admin):
    coordinator.language = "it"
    coordinator.save()
    membership_apply(network=network, by=applicant_admin, organisation=applicant)
    notification = Notification.objects.get(recipient=coordinator)
    assert notification.url == f"/it/networks/{network.slug}/applications/"


def test_membership_apply_twice_is_refused(application, applicant, applicant_admin):
    with pytest.raises(ValidationError) as error:
        membership_apply(network=application.network, by=applicant_admin, organisation=applicant)
    assert error.value.messages == [
        f"Museo della bonifica already has a membership of {application.network.name} (Applied)."]
    assert Membership.objects.filter(organisation=applicant).count() == 1


def test_membership_apply_again_after_leaving_is_allowed(member, applicant, applicant_admin):
    membership_leave(membership=member, by=applicant_admin)
    again = membership_apply(network=member.network, by=applicant_admin, organisation=applicant)
    assert again.status == Status.APPLIED


def test_membership_apply_as_coordinator_is_refused(network, applicant, applicant_admin):
    with pytest.raises(ValidationError) as error:
        membership_apply(network=network, by=applicant_admin, organisation=applicant, role=Role.COORDINATOR)
    assert list(error.value.message_dict) == ["role"]


def test_membership_apply_needs_exactly_one_applicant(network, applicant, applicant_admin):
    with pytest.raises(ValidationError):
        membership_apply(network=network, by=applicant_admin)


def test_membership_apply_to_an_unlisted_network_is_refused(network, applicant, applicant_admin):
    network.is_active = False
    network.save()
    with pytest.raises(ValidationError) as error:
        membership_apply(network=network, by=applicant_admin, organisation=applicant)
    assert error.value.messages == [f"{network.name} does not accept applications."]


def test_membership_apply_refuses_an_over_long_motivation(network, applicant, applicant_admin):
    with pytest.raises(ValidationError) as error:
        membership_apply(network=network, by=applicant_admin, organisation=applicant, motivation="m" * 5001)
    assert list(error.value.message_dict) == ["motivation"]
    assert not Membership.objects.filter(organisation=applicant).exists()


def test_membership_apply_by_an_editor_is_denied(network, applicant, applicant_editor):
    with pytest.raises(PermissionDenied):
        membership_apply(network=network, by=applicant_editor, organisation=applicant)


def test_membership_admit_notifies_the_applicants_admins(application, coordinator, applicant_admin):
    membership_admit(membership=application, by=coordinator)
    application.refresh_from_db()
    assert (application.status, application.decided_by) == (Status.ADMITTED, coordinator)
    assert titles(applicant_admin) == [
        f"Museo della bonifica has been admitted to {application.network.name}: please sign its charter"]


def test_membership_admit_with_another_role(application, coordinator):
    membership_admit(membership=application, by=coordinator, role=Role.OBSERVER)
    application.refresh_from_db()
    assert application.role == Role.OBSERVER


def test_membership_admit_refuses_an_unknown_role(application, coordinator):
    with pytest.raises(ValidationError):
        membership_admit(membership=application, by=coordinator, role="king")
    application.refresh_from_db()
    assert application.status == Status.APPLIED


def test_membership_admit_twice_is_refused(application, coordinator):
    membership_admit(membership=application, by=coordinator)
    with pytest.raises(ValidationError) as error:
        membership_admit(membership=application, by=coordinator)
    assert error.value.messages == ["Only pending applications can be admitted; this one is Admitted."]


def test_membership_admit_sees_a_decision_taken_meanwhile(application, coordinator):
    stale = Membership.objects.get(pk=application.pk)
    membership_decline(membership=application, by=coordinator, reason="Out of our territory.")
    with pytest.raises(ValidationError):
        membership_admit(membership=stale, by=coordinator)
    assert Membership.objects.get(pk=application.pk).status == Status.DECLINED


def test_membership_admit_by_a_non_coordinator_is_denied(application, applicant_admin):
    with pytest.raises(PermissionDenied):
        membership_admit(membership=application, by=applicant_admin)
    application.refresh_from_db()
    assert application.status == Status.APPLIED


def test_membership_admit_by_an_editor_of_the_coordinating_organisation(application, network):
    editor = person(network.founded_by, "editor", "editor@capofila.example.org")
    membership_admit(membership=application, by=editor)
    assert Membership.objects.get(pk=application.pk).status == Status.ADMITTED


def test_membership_decline_needs_a_reason(application, coordinator):
    with pytest.raises(ValidationError) as error:
        membership_decline(membership=application, by=coordinator, reason="  ")
    assert error.value.message_dict == {"reason": ["Please give a reason: the member will read it."]}
    application.refresh_from_db()
    assert application.status == Status.APPLIED


def test_membership_decline_refuses_an_over_long_reason(application, coordinator):
    with pytest.raises(ValidationError) as error:
        membership_decline(membership=application, by=coordinator, reason="r" * 5001)
    assert list(error.value.message_dict) == ["reason"]


def test_membership_decline_tells_the_applicant_why(application, coordinator, applicant_admin):
    membership_decline(membership=application, by=coordinator, reason="We only take 100% local museums.")
    application.refresh_from_db()
    assert (application.status, application.decision_reason) == (Status.DECLINED, "We only take 100% local museums.")
    notification = Notification.objects.get(recipient=applicant_admin)
    assert (notification.kind, notification.body) == ("networks.declined", "We only take 100% local museums.")


def test_membership_leave_notifies_the_coordinators(member, coordinator, applicant_admin):
    membership_leave(membership=member, by=applicant_admin)
    member.refresh_from_db()
    assert (member.status, member.ended_at is not None) == (Status.LEFT, True)
    assert titles(coordinator) == [f"Museo della bonifica has left {member.network.name}"]


def test_membership_leave_withdraws_an_application(application, applicant_admin):
    membership_leave(membership=application, by=applicant_admin)
    assert Membership.objects.get(pk=application.pk).status == Status.LEFT


def test_membership_leave_twice_is_refused(member, applicant_admin):
    membership_leave(membership=member, by=applicant_admin)
    with pytest.raises(ValidationError) as error:
        membership_leave(membership=member, by=applicant_admin)
    assert error.value.messages == ["This membership has already ended (Left)."]


def test_membership_leave_by_the_last_coordinator_is_refused(network, coordinator):
    with pytest.raises(ValidationError) as error:
        membership_leave(membership=coordinator_membership(network), by=coordinator)
    assert error.value.messages == [
        f"{network.founded_by.name} is the last coordinator of {network.name}: appoint another coordinator first."]


def test_membership_leave_by_a_coordinator_with_a_colleague(network, coordinator, member):
    membership_set_role(membership=member, by=coordinator, role=Role.COORDINATOR)
    membership_leave(membership=coordinator_membership(network), by=coordinator)
    assert Membership.objects.get(network=network, organisation=network.founded_by).status == Status.LEFT


def test_membership_suspend_needs_a_reason_and_tells_the_member(member, coordinator, applicant_admin):
    with pytest.raises(ValidationError):
        membership_suspend(membership=member, by=coordinator, reason="")
    membership_suspend(membership=member, by=coordinator, reason="Fees unpaid for two years.")
    member.refresh_from_db()
    assert (member.status, member.decision_reason) == (Status.SUSPENDED, "Fees unpaid for two years.")
    assert Notification.objects.get(recipient=applicant_admin).body == "Fees unpaid for two years."


def test_membership_suspend_of_the_last_coordinator_is_refused(network, operator):
    with pytest.raises(ValidationError):
        membership_suspend(membership=coordinator_membership(network), by=operator, reason="Test")


def test_membership_suspend_of_an_application_is_refused(application, coordinator):
    with pytest.raises(ValidationError) as error:
        membership_suspend(membership=application, by=coordinator, reason="No")
    assert error.value.messages == ["Only admitted members can be suspended; this membership is Applied."]


def test_membership_reinstate_readmits_a_suspended_member(member, coordinator, applicant_admin):
    membership_suspend(membership=member, by=coordinator, reason="Fees unpaid.")
    membership_reinstate(membership=member, by=coordinator)
    member.refresh_from_db()
    assert (member.status, member.decision_reason) == (Status.ADMITTED, "")
    assert titles(applicant_admin)[0] == f"Museo della bonifica has been reinstated in {member.network.name}"


def test_membership_reinstate_of_an_admitted_member_is_refused(member, coordinator):
    with pytest.raises(ValidationError):
        membership_reinstate(membership=member, by=coordinator)


def test_membership_set_role_changes_the_role_and_audits(member, coordinator, applicant_admin):
    membership_set_role(membership=member, by=coordinator, role=Role.PARTNER)
    member.refresh_from_db()
    entry = AuditEntry.objects.get(action="membership.set_role")
    assert (member.role, entry.data) == (Role.PARTNER, {"from": "member", "to": "partner"})
    assert titles(applicant_admin) == [f"Museo della bonifica now has the role “Partner” in {member.network.name}"]


def test_membership_set_role_cannot_demote_the_last_coordinator(network, coordinator):
    with pytest.raises(ValidationError):
        membership_set_role(membership=coordinator_membership(network), by=coordinator, role=Role.MEMBER)


def test_membership_set_role_to_coordinator_grants_coordination(member, coordinator, applicant_admin):
    membership_set_role(membership=member, by=coordinator, role=Role.COORDINATOR)
    fresh = type(applicant_admin).objects.get(pk=applicant_admin.pk)
    assert fresh.has_perm("networks.decide_membership", member.network)


def test_membership_set_role_of_a_left_member_is_refused(member, coordinator, applicant_admin):
    membership_leave(membership=member, by=applicant_admin)
    with pytest.raises(ValidationError):
        membership_set_role(membership=member, by=coordinator, role=Role.OBSERVER)


def test_membership_apply_for_a_second_organisation_is_independent(network, applicant_admin):
    second = factories.OrganisationFactory(name="Secondo museo")
    factories.OrganisationMemberFactory(organisation=second, user=applicant_admin)
    membership = membership_apply(network=network, by=applicant_admin, organisation=second)
    assert membership.organisation == second
