"""Private feed tokens: the secret in a member's feed URL that also shows network-only events."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from sinergia.calendar.models import FeedToken, new_token
from sinergia.core.services import audit_record


def _signed_in(user: Any) -> Any:
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("Sign in to get a private calendar feed."))
    return user


@transaction.atomic
def feed_token_for(*, user: Any) -> FeedToken:
    """The user's private feed token, created on first use."""
    token, _created = FeedToken.objects.get_or_create(user=_signed_in(user))
    return token


@transaction.atomic
def feed_token_reset(*, user: Any) -> FeedToken:
    """Replace the user's token with a new secret: the old private feed URL stops working at once."""
    token = FeedToken.objects.select_for_update().filter(user=_signed_in(user)).first()
    if token is None:
        token = FeedToken.objects.create(user=user)
    else:
        token.token = new_token()
        token.save(update_fields=["token"])
    audit_record(actor=user, action="calendar.feed_token_reset", target=token)
    return token
