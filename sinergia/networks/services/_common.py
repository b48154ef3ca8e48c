"""Helpers shared by the networks' services: permission checks, notifications, invariants."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sinergia.accounts.models import User
from sinergia.core.services import notify_in_language
from sinergia.networks.models import Membership, Network

REASON_MAX_LENGTH = 5000
# Whoever acts: services check permissions, so an anonymous user is refused rather than rejected by typing.
Actor = User | AnonymousUser


def require_perm(by: Actor | None, perm: str, obj: models.Model) -> User:
    """The acting user, if signed in and holding the permission on the object; else PermissionDenied."""
    if not isinstance(by, User) or not by.has_perm(perm, obj):
        raise PermissionDenied(_("You are not allowed to do this."))
    return by


def clean_reason(reason: str) -> str:
    """A decision's reason: required, stripped, bounded."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Please give a reason: the member will read it.")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": _("The reason is too long (at most %(limit)d characters).")
                               % {"limit": REASON_MAX_LENGTH}})
    return reason


def text_length_errors(instance: models.Model) -> dict[str, list]:
    """Errors for text fields longer than their max_length (Django does not enforce it on TextField)."""
    errors: dict[str, list] = {}
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        if isinstance(field, models.TextField) and field.max_length and len(value or "") > field.max_length:
            errors[field.name] = [_("This text is too long: at most %(limit)d characters (it has %(count)d).")
                                  % {"limit": field.max_length, "count": len(value)}]
    return errors


def check_role(role: str) -> str:
    """Reject roles that do not exist."""
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Unknown role “%(role)s”.") % {"role": role}})
    return role


def lock_status(membership: Membership) -> Membership:
    """Re-read the membership's status and role under a row lock, so two decisions cannot cross."""
    status, role = (Membership.objects.select_for_update().filter(pk=membership.pk)
                    .values_list("status", "role").get())
    membership.status, membership.role = status, role
    return membership


def require_status(membership: Membership, allowed: Iterable[str], message: Any) -> None:
    """Raise ValidationError with `message` (formatted with the status label) unless the status is allowed."""
    if membership.status not in allowed:
        raise ValidationError(message % {"status": membership.get_status_display()})


def require_other_coordinator(membership: Membership) -> None:
    """A network keeps at least one admitted coordinator."""
    if membership.role != Membership.Role.COORDINATOR or membership.status != Membership.Status.ADMITTED:
        return
    others = Membership.objects.filter(network_id=membership.network_id, status=Membership.Status.ADMITTED,
                                       role=Membership.Role.COORDINATOR).exclude(pk=membership.pk)
    if not others.exists():
        raise ValidationError(_("%(member)s is the last coordinator of %(network)s: appoint another coordinator "
                                "first.") % {"member": membership.member, "network": membership.network})


def is_transitive_member(*, network: Network, of: Network, statuses: Iterable[str] = Membership.CURRENT) -> bool:
    """Whether `network` is a member (in the statuses) of `of`, directly or through member networks."""
    frontier, seen = {of.pk}, {of.pk}
    while frontier:
        children = set(Membership.objects.filter(network_id__in=frontier, status__in=list(statuses),
                                                 member_network__isnull=False)
                       .values_list("member_network_id", flat=True)) - seen
        if network.pk in children:
            return True
        seen |= children
        frontier = children
    return False


def require_no_cycle(membership: Membership, statuses: Iterable[str] = Membership.CURRENT) -> None:
    """A network cannot join itself nor a network that is (transitively) its own member (in the statuses)."""
    child = membership.member_network
    if child is None:
        return
    if child.pk == membership.network_id:
        raise ValidationError(_("A network cannot be a member of itself."))
    if is_transitive_member(network=membership.network, of=child, statuses=statuses):
        raise ValidationError(_("%(network)s is already a member of %(member)s: the two networks cannot contain "
                                "each other.") % {"network": membership.network, "member": child})


def save_unique(instance: models.Model, message: Any) -> None:
    """Save, turning a concurrent duplicate caught by a unique constraint into a ValidationError."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        raise ValidationError(message) from error


def send(users: Iterable[Any], *, kind: str, title: Any, params: Mapping[str, Any], url_name: str,
         url_kwargs: Mapping[str, Any], body: Any = "", exclude: Any = None) -> None:
    """Notify users in their own language, with a link to the page in that language."""
    notify_in_language(
        users=[user for user in users if exclude is None or user.pk != exclude.pk], kind=kind,
        title=lambda: str(title) % params, body=lambda: str(body) % params,
        url=lambda: reverse(url_name, kwargs=dict(url_kwargs)),
    )
