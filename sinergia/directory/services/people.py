"""People of an organisation: invitations by e-mail, roles, removal; an organisation keeps an administrator."""

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from sinergia.accounts.tasks import send_prepared_email
from sinergia.core.services import audit_record, notify_in_language
from sinergia.directory.models import Invitation, Organisation, OrganisationMember
from sinergia.directory.rules import forget_cached_roles
from sinergia.directory.services.common import require_perm

INVITATION_VALID_DAYS = 14
Role = OrganisationMember.Role
ROLE_RANK = {Role.MEMBER: 0, Role.EDITOR: 1, Role.ADMIN: 2}


@transaction.atomic
def invitation_create(*, organisation: Organisation, by: Any, email: str, role: str) -> Invitation:
    """Invite an e-mail address to join the organisation with a role; the invitation is e-mailed."""
    require_perm(by, "directory.invite_people", organisation)
    email = _clean_email(email)
    _check_role(role)
    if organisation.people.filter(user__email__iexact=email).exists():
        raise ValidationError({"email": _("%(email)s is already in this organisation.") % {"email": email}})
    pending = organisation.invitations.filter(email__iexact=email, accepted_at__isnull=True).first()
    if pending is not None and pending.expires_at > timezone.now():
        raise ValidationError({"email": _("An invitation to %(email)s is already waiting to be accepted.")
                               % {"email": email}})
    if pending is not None:
        pending.delete()
    invitation = Invitation.objects.create(
        organisation=organisation, email=email, role=role, invited_by=by,
        expires_at=timezone.now() + datetime.timedelta(days=INVITATION_VALID_DAYS),
    )
    audit_record(actor=by, action="directory.invitation_created", target=organisation,
                 data={"email": email, "role": role})
    _send_invitation(invitation)
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, by: Any) -> OrganisationMember:
    """Join the organisation with the invited role, if the invitation is open and was sent to `by`'s address."""
    if not (by and by.is_authenticated):
        raise PermissionDenied(_("Sign in to accept the invitation."))
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _check_open(invitation, by)
    member, created = OrganisationMember.objects.get_or_create(
        organisation_id=invitation.organisation_id, user=by, defaults={"role": invitation.role}
    )
    if not created and ROLE_RANK[Role(invitation.role)] > ROLE_RANK[Role(member.role)]:
        member.role = invitation.role
        member.save(update_fields=["role"])
    invitation.accepted_at, invitation.accepted_by = timezone.now(), by
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    forget_cached_roles(by)
    audit_record(actor=by, action="directory.invitation_accepted", target=member.organisation,
                 data={"email": invitation.email, "role": member.role})
    if invitation.invited_by is not None:
        notify_in_language(
            users=[invitation.invited_by], kind="directory.invitation_accepted",
            title=lambda: _("%(user)s joined %(organisation)s") % {"user": by, "organisation": member.organisation},
            url=lambda: reverse("directory:people", kwargs={"slug": member.organisation.slug}),
        )
    return member


def invitation_problem(*, invitation: Invitation, by: Any) -> str:
    """Why `by` cannot accept the invitation now, or an empty string when they can."""
    try:
        _check_open(invitation, by)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: Any) -> None:
    """Withdraw an invitation that has not been accepted yet."""
    require_perm(by, "directory.manage_people", invitation.organisation)
    invitation = Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been accepted; it can no longer be withdrawn."))
    audit_record(actor=by, action="directory.invitation_revoked", target=invitation.organisation,
                 data={"email": invitation.email})
    invitation.delete()


@transaction.atomic
def member_set_role(*, member: OrganisationMember, by: Any, role: str) -> OrganisationMember:
    """Give a person another role; the last administrator cannot be demoted."""
    require_perm(by, "directory.manage_people", member.organisation)
    _check_role(role)
    member = OrganisationMember.objects.select_related("organisation", "user").get(pk=member.pk)
    if role != Role.ADMIN:
        _keep_an_admin(member)
    member.role = role
    member.save(update_fields=["role"])
    forget_cached_roles(member.user)
    forget_cached_roles(by)
    audit_record(actor=by, action="directory.member_role_changed", target=member.organisation,
                 data={"user": member.user_id, "role": role})
    if member.user_id != by.pk:
        notify_in_language(
            users=[member.user], kind="directory.member_role_changed",
            title=lambda: _("Your role in %(organisation)s is now: %(role)s")
            % {"organisation": member.organisation, "role": member.get_role_display()},
            url=lambda: reverse("directory:detail", kwargs={"slug": member.organisation.slug}),
        )
    return member


@transaction.atomic
def member_remove(*, member: OrganisationMember, by: Any) -> None:
    """Remove a person from the organisation (or let them leave); the last administrator stays."""
    if not (by and by.is_authenticated and by.pk == member.user_id):
        require_perm(by, "directory.manage_people", member.organisation)
    member = OrganisationMember.objects.select_related("organisation", "user").get(pk=member.pk)
    _keep_an_admin(member)
    audit_record(actor=by, action="directory.member_removed", target=member.organisation,
                 data={"user": member.user_id, "role": member.role})
    member.delete()
    forget_cached_roles(member.user)
    forget_cached_roles(by)
    if member.user_id != by.pk:
        notify_in_language(
            users=[member.user], kind="directory.member_removed",
            title=lambda: _("You are no longer in %(organisation)s") % {"organisation": member.organisation},
        )


def _keep_an_admin(member: OrganisationMember) -> None:
    if member.role != Role.ADMIN:
        return
    admins = OrganisationMember.objects.select_for_update().filter(organisation_id=member.organisation_id,
                                                                   role=Role.ADMIN)
    if [pk for pk in admins.values_list("pk", flat=True) if pk != member.pk]:
        return
    raise ValidationError(_("%(organisation)s must keep at least one administrator: make someone else "
                            "administrator first.") % {"organisation": member.organisation})


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a role: administrator, editor or member.")})


def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from error
    return email


def _check_open(invitation: Invitation, user: Any) -> None:
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been accepted."))
    if invitation.expires_at <= timezone.now():
        expired = formats.date_format(timezone.localtime(invitation.expires_at), "DATE_FORMAT")
        raise ValidationError(_("This invitation expired on %(date)s: ask the organisation to invite you again.")
                              % {"date": expired})
    if (user.email or "").lower() != invitation.email.lower():
        raise ValidationError(_("This invitation was sent to another e-mail address. Sign in with the address "
                                "that received it, then open the link again."))


def _send_invitation(invitation: Invitation) -> None:
    """Notify an existing user in-app and by e-mail; e-mail anyone else a link to sign up and accept."""
    organisation = invitation.organisation

    def path() -> str:
        return reverse("directory:invitation_accept", kwargs={"token": invitation.token})

    user = get_user_model().objects.filter(email__iexact=invitation.email, is_active=True).first()
    if user is not None:
        notify_in_language(
            users=[user], kind="directory.invitation",
            title=lambda: _("You are invited to join %(organisation)s as %(role)s")
            % {"organisation": organisation, "role": invitation.get_role_display()},
            url=path,
        )
        return
    context = {"invitation": invitation, "organisation": organisation, "url": settings.SITE_URL + path(),
               "valid_days": INVITATION_VALID_DAYS}
    subject = _("[Sinergia] You are invited to join %(organisation)s") % {"organisation": organisation}
    body = render_to_string("directory/email/invitation.txt", context)
    transaction.on_commit(lambda: send_prepared_email.enqueue(subject=subject, body=body, to=[invitation.email]))
