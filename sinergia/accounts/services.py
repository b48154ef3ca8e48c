"""Writes on accounts: profile, API tokens, personal-data export and deletion."""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, ProtectedError, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergia.accounts import selectors
from sinergia.accounts.models import ApiToken, User
from sinergia.core.services import audit_record
from sinergia.directory.models import OrganisationMember
from sinergia.directory.selectors import organisations_of

MAX_API_TOKENS = 20
FULL_NAME_MAX = 150  # User.full_name
TOKEN_NAME_MAX = 100  # ApiToken.name
EXPORT_FORMAT = "sinergia-personal-data/1"


def _require(by: Any, perm: str, obj: Any) -> None:
    if by is None or not by.has_perm(perm, obj):
        raise PermissionDenied(_("You are not allowed to do this."))


@transaction.atomic
def user_update_profile(*, user: User, by: User, full_name: str, language: str) -> User:
    """Change the person's name and preferred language."""
    _require(by, "accounts.manage_account", user)
    full_name = " ".join((full_name or "").split())
    if not full_name:
        raise ValidationError({"full_name": _("Enter your full name.")})
    if len(full_name) > FULL_NAME_MAX:
        raise ValidationError({"full_name": _("The full name can be at most 150 characters long.")})
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the languages of the site.")})
    changed = [name for name, value in (("full_name", full_name), ("language", language))
               if getattr(user, name) != value]
    user.full_name, user.language = full_name, language
    user.save(update_fields=["full_name", "language"])
    audit_record(actor=by, action="account.profile_updated", target=user, data={"fields": changed})
    return user


@transaction.atomic
def api_token_create(*, user: User, by: User, name: str) -> tuple[ApiToken, str]:
    """A new API token and its raw value: shown once to the person, only its digest is stored."""
    _require(by, "accounts.manage_account", user)
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Give the token a name, e.g. the program that will use it.")})
    if len(name) > TOKEN_NAME_MAX:
        raise ValidationError({"name": _("The name can be at most 100 characters long.")})
    User.objects.select_for_update().filter(pk=user.pk).first()  # one token creation at a time per user
    if ApiToken.objects.filter(user=user).count() >= MAX_API_TOKENS:
        raise ValidationError(_("You already have %(count)s tokens; revoke one you no longer use first.")
                              % {"count": MAX_API_TOKENS})
    raw = ApiToken.generate()
    token = ApiToken.objects.create(user=user, name=name, digest=ApiToken.hash(raw), prefix=raw[:8])
    audit_record(actor=by, action="api_token.created", target=token, data={"name": name, "prefix": token.prefix})
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User) -> None:
    """Delete the token: from now on it authenticates nobody."""
    _require(by, "accounts.revoke_token", token)
    audit_record(actor=by, action="api_token.revoked", target=token, data={"name": token.name, "prefix": token.prefix})
    token.delete()


def organisations_left_without_admin(*, user: User) -> list[str]:
    """The names of the organisations of which the user is the only administrator."""
    admin = OrganisationMember.Role.ADMIN
    orphaned = (organisations_of(user=user, roles=(admin,))
                .annotate(admins=Count("people", filter=Q(people__role=admin))).filter(admins=1))
    return list(orphaned.values_list("name", flat=True))


@transaction.atomic
def user_delete(*, user: User, by: User) -> None:
    """Delete the account and the data that belongs only to it; refused while it is an organisation's last admin."""
    _require(by, "accounts.delete_account", user)
    orphaned = organisations_left_without_admin(user=user)
    if orphaned:
        raise ValidationError(
            _("You are the last administrator of %(organisations)s. Make someone else an administrator first, "
              "so that the organisation is not left without one.") % {"organisations": ", ".join(orphaned)})
    audit_record(actor=by if by.pk != user.pk else None, action="account.deleted", target=user,
                 data={"by_operator": by.pk != user.pk})
    try:
        user.delete()
    except ProtectedError as error:
        raise ValidationError(_("The account is still needed by records that must be kept; "
                                "ask an operator to delete it.")) from error


@transaction.atomic
def user_data_export(*, user: User, by: User) -> dict[str, Any]:
    """Everything the platform holds about the person, as JSON-ready data."""
    _require(by, "accounts.export_account", user)
    audit_record(actor=by, action="account.exported", target=user)
    return {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now().isoformat(),
        "profile": selectors.user_profile_data(user=user),
        **selectors.user_organisation_data(user=user),
        **selectors.user_network_data(user=user),
        **selectors.user_activity_data(user=user),
    }
