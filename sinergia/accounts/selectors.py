"""Reads of accounts: API tokens, and everything the platform holds about a person.

The personal-data export reads the other domains' tables about one user directly: it must cover every
place the person's data lives, and none of those domains has a "by user" read of its own to offer.
"""

from typing import Any

from django.db.models import QuerySet

from sinergia.accounts.models import ApiToken, User
from sinergia.core.models import Notification
from sinergia.directory.models import Claim, OrganisationMember
from sinergia.networks.models import CharterSignature, Membership


def api_tokens_of(*, user: User) -> QuerySet[ApiToken]:
    """The user's API tokens, newest first."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def api_token_get_for(*, user: User, pk: int) -> ApiToken:
    """One of the user's own tokens (raises ApiToken.DoesNotExist for anyone else's)."""
    return ApiToken.objects.get(user=user, pk=pk)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def user_profile_data(*, user: User) -> dict[str, Any]:
    """The account's own fields and e-mail addresses."""
    from allauth.account.models import EmailAddress

    return {
        "email": user.email,
        "full_name": user.full_name,
        "language": user.language,
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
        "is_operator": user.is_staff,
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
    }


def user_organisation_data(*, user: User) -> dict[str, list[dict[str, Any]]]:
    """The user's roles in organisations and claims on them."""
    roles = OrganisationMember.objects.filter(user=user).select_related("organisation").order_by("joined_at")
    claims = Claim.objects.filter(user=user).select_related("organisation").order_by("created_at")
    return {
        "organisation_roles": [
            {"organisation": r.organisation.name, "slug": r.organisation.slug, "role": r.role, "title": r.title,
             "joined_at": _iso(r.joined_at)} for r in roles
        ],
        "claims": [
            {"organisation": c.organisation.name, "message": c.message, "status": c.status, "reason": c.reason,
             "created_at": _iso(c.created_at), "decided_at": _iso(c.decided_at)} for c in claims
        ],
    }


def user_network_data(*, user: User) -> dict[str, list[dict[str, Any]]]:
    """The memberships the user applied for and the charters the user signed."""
    applied = (Membership.objects.filter(applied_by=user)
               .select_related("network", "organisation", "member_network").order_by("applied_at"))
    signed = (CharterSignature.objects.filter(signed_by=user)
              .select_related("charter__network", "membership__organisation", "membership__member_network")
              .order_by("signed_at"))
    return {
        "memberships_applied": [
            {"network": m.network.name, "member": str(m.member), "role": m.role, "status": m.status,
             "motivation": m.motivation, "applied_at": _iso(m.applied_at)} for m in applied
        ],
        "charter_signatures": [
            {"network": s.charter.network.name, "member": str(s.membership.member), "version": s.charter.number,
             "signatory_name": s.signatory_name, "signed_at": _iso(s.signed_at)} for s in signed
        ],
    }


def user_activity_data(*, user: User) -> dict[str, list[dict[str, Any]]]:
    """The user's notifications and API tokens (never the tokens themselves)."""
    return {
        "notifications": [
            {"kind": n.kind, "title": n.title, "body": n.body, "url": n.url, "created_at": _iso(n.created_at),
             "read_at": _iso(n.read_at)} for n in Notification.objects.filter(recipient=user).order_by("created_at")
        ],
        "api_tokens": [
            {"name": t.name, "prefix": t.prefix, "created_at": _iso(t.created_at), "last_used_at": _iso(t.last_used_at)}
            for t in api_tokens_of(user=user)
        ],
    }
