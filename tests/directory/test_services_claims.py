"""claim_submit and claim_decide: who may, what happens, and each error."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from sinergia.core.models import Notification
from sinergia.directory.models import Claim, OrganisationMember
from sinergia.directory.services import claim_decide, claim_submit
from tests import factories

pytestmark = pytest.mark.django_db

MESSAGE = "I direct this museum; the front desk can confirm it."


def test_submit_creates_a_pending_claim_and_notifies_operators(outsider, operator, museum,
                                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        claim = claim_submit(organisation=museum, by=outsider, message=f"  {MESSAGE}  ")

    assert (claim.status, claim.message, claim.user) == (Claim.Status.PENDING, MESSAGE, outsider)
    notification = Notification.objects.get(recipient=operator)
    assert notification.title == f"{outsider.display_name} claims Museo del Patrimonio Industriale"
    assert notification.url == "/en/moderation/"
    assert [message.to for message in mail.outbox] == [["operator@example.org"]]


def test_submit_twice_is_refused(outsider, museum):
    claim_submit(organisation=museum, by=outsider, message=MESSAGE)

    with pytest.raises(ValidationError) as error:
        claim_submit(organisation=museum, by=outsider, message=MESSAGE)

    assert error.value.messages == ["You have already claimed this organisation; an operator will decide soon."]
    assert Claim.objects.count() == 1


def test_submit_without_a_message_is_refused(outsider, museum):
    with pytest.raises(ValidationError) as error:
        claim_submit(organisation=museum, by=outsider, message="   ")
    assert error.value.message_dict == {"message": ["Please fill in the message."]}


def test_submit_of_an_overlong_message_is_refused(outsider, museum):
    with pytest.raises(ValidationError) as error:
        claim_submit(organisation=museum, by=outsider, message="x" * 2001)
    assert error.value.message_dict == {"message": ["The message is too long: 2001 characters, at most 2000."]}


def test_submit_by_someone_already_in_the_organisation_is_refused(org_member, museum):
    with pytest.raises(PermissionDenied):
        claim_submit(organisation=museum, by=org_member, message=MESSAGE)


def test_approve_makes_the_claimant_admin_and_tells_them(outsider, operator, museum,
                                                         django_capture_on_commit_callbacks):
    claim = factories.ClaimFactory(organisation=museum, user=outsider)

    with django_capture_on_commit_callbacks(execute=True):
        decided = claim_decide(claim=claim, by=operator, approve=True)

    assert (decided.status, decided.decided_by) == (Claim.Status.APPROVED, operator)
    assert museum.people.get(user=outsider).role == OrganisationMember.Role.ADMIN
    assert outsider.has_perm("directory.manage_people", museum)
    notification = Notification.objects.get(recipient=outsider)
    assert (notification.title, notification.url) == (
        "You now manage Museo del Patrimonio Industriale", "/en/organisations/museo-patrimonio-industriale/")
    assert [message.to for message in mail.outbox] == [[outsider.email]]


def test_reject_keeps_the_claimant_out_and_gives_the_reason(outsider, operator, museum):
    claim = factories.ClaimFactory(organisation=museum, user=outsider)

    claim_decide(claim=claim, by=operator, approve=False, reason="The museum does not know you.")

    claim.refresh_from_db()
    assert (claim.status, claim.reason) == (Claim.Status.REJECTED, "The museum does not know you.")
    assert not museum.people.filter(user=outsider).exists()
    notification = Notification.objects.get(recipient=outsider)
    assert (notification.title, notification.body) == (
        "Your claim of Museo del Patrimonio Industriale was rejected", "The museum does not know you.")


def test_reject_without_a_reason_is_refused(outsider, operator, museum):
    claim = factories.ClaimFactory(organisation=museum, user=outsider)

    with pytest.raises(ValidationError) as error:
        claim_decide(claim=claim, by=operator, approve=False, reason=" ")

    assert error.value.message_dict == {"reason": ["Please fill in the reason of the decision."]}
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PENDING


def test_deciding_twice_is_refused(outsider, operator, museum):
    claim = factories.ClaimFactory(organisation=museum, user=outsider)
    claim_decide(claim=claim, by=operator, approve=True)

    with pytest.raises(ValidationError) as error:
        claim_decide(claim=claim, by=operator, approve=False, reason="Changed my mind.")

    assert error.value.messages == ["This claim has already been decided (Approved)."]


@pytest.mark.parametrize("who", ["outsider", "org_admin", "coordinator"])
def test_only_operators_decide(request, who, museum):
    claim = factories.ClaimFactory(organisation=museum)

    with pytest.raises(PermissionDenied):
        claim_decide(claim=claim, by=request.getfixturevalue(who), approve=True)

    claim.refresh_from_db()
    assert claim.status == Claim.Status.PENDING


def test_submit_by_a_superuser_already_in_the_organisation_is_refused(museum):
    root = factories.UserFactory(is_staff=True, is_superuser=True)
    factories.OrganisationMemberFactory(organisation=museum, user=root)

    with pytest.raises(ValidationError) as error:
        claim_submit(organisation=museum, by=root, message=MESSAGE)
    assert error.value.messages == ["You are already in this organisation."]
