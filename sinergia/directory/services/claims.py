"""Claims: a user asks to manage a listed organisation, an operator decides."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergia.core.services import audit_record, notify_in_language
from sinergia.directory.models import Claim, Organisation, OrganisationMember
from sinergia.directory.rules import forget_cached_roles, is_org_member
from sinergia.directory.services.common import clean_text, require_perm


@transaction.atomic
def claim_submit(*, organisation: Organisation, by: Any, message: str) -> Claim:
    """Ask the operators to make `by` an administrator of the organisation; they are notified."""
    require_perm(by, "directory.claim_organisation", organisation)
    if is_org_member(by, organisation):
        raise ValidationError(_("You are already in this organisation."))
    message = clean_text(message, model=Claim, field="message", required=True)
    if Claim.objects.filter(organisation=organisation, user=by, status=Claim.Status.PENDING).exists():
        raise ValidationError(_("You have already claimed this organisation; an operator will decide soon."))
    claim = Claim.objects.create(organisation=organisation, user=by, message=message)
    audit_record(actor=by, action="directory.claim_submitted", target=claim)
    notify_in_language(
        users=get_user_model().objects.filter(is_staff=True, is_active=True), kind="directory.claim_submitted",
        title=lambda: _("%(user)s claims %(organisation)s") % {"user": by, "organisation": organisation},
        body=lambda: message,
        url=lambda: reverse("core:moderation"),
    )
    return claim


@transaction.atomic
def claim_decide(*, claim: Claim, by: Any, approve: bool, reason: str = "") -> Claim:
    """Approve (the claimant becomes administrator) or reject with a reason; the claimant is notified."""
    require_perm(by, "directory.decide_claim", claim.organisation)
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claim.status != Claim.Status.PENDING:
        raise ValidationError(_("This claim has already been decided (%(status)s).")
                              % {"status": claim.get_status_display()})
    reason = clean_text(reason, model=Claim, field="reason", required=not approve)
    claim.status = Claim.Status.APPROVED if approve else Claim.Status.REJECTED
    claim.reason, claim.decided_by, claim.decided_at = reason, by, timezone.now()
    claim.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    if approve:
        OrganisationMember.objects.update_or_create(
            organisation=claim.organisation, user=claim.user, defaults={"role": OrganisationMember.Role.ADMIN}
        )
        forget_cached_roles(claim.user)
    audit_record(actor=by, action=f"directory.claim_{claim.status}", target=claim, data={"reason": reason})
    _notify_claimant(claim)
    return claim


def _notify_claimant(claim: Claim) -> None:
    organisation, approved = claim.organisation, claim.status == Claim.Status.APPROVED

    def title() -> str:
        template = _("You now manage %(organisation)s") if approved else _(
            "Your claim of %(organisation)s was rejected")
        return template % {"organisation": organisation}

    notify_in_language(
        users=[claim.user], kind=f"directory.claim_{claim.status}", title=title, body=lambda: claim.reason,
        url=lambda: reverse("directory:detail", kwargs={"slug": organisation.slug}),
    )
