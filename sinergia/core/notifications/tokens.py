"""Signed one-click unsubscribe tokens: a user and a kind (or ALL), with no expiry."""

import re
from typing import Any

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

from sinergia.core.models import NotificationPreference

ALL = NotificationPreference.ALL
SALT = "sinergia.core.notifications.unsubscribe"
MAX_TOKEN_LENGTH = 300
KIND_PATTERN = re.compile(r"^(\*|[a-z][a-z0-9_]*\.[a-z0-9_.]+)$")


class BadToken(ValueError):
    """The token was not signed by us, or does not say a user and a kind."""


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    """A token that switches off the kind's e-mail (every e-mail for ALL) of the user."""
    return signing.Signer(salt=SALT).sign_object([user_id, kind])


def unsubscribe_read(token: str) -> tuple[int, str]:
    """The user id and kind a token was made for; BadToken if it was forged or altered."""
    if len(token) > MAX_TOKEN_LENGTH:
        raise BadToken(token[:20])
    try:
        value: Any = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise BadToken(token[:20]) from error
    if not _is_user_and_kind(value):
        raise BadToken(token[:20])
    return value[0], value[1]


def _is_user_and_kind(value: Any) -> bool:
    return (isinstance(value, list) and len(value) == 2 and type(value[0]) is int and isinstance(value[1], str)
            and len(value[1]) <= 60 and KIND_PATTERN.match(value[1]) is not None)


def unsubscribe_page_url(*, token: str, language: str) -> str:
    """The absolute address of the confirmation page, in the user's language."""
    with translation.override(language):
        return settings.SITE_URL + reverse("core:notification_unsubscribe", args=[token])


def one_click_url(*, token: str) -> str:
    """The absolute address a mail client POSTs to for a one-click unsubscribe (RFC 8058)."""
    return settings.SITE_URL + reverse("api:notification_unsubscribe_one_click", kwargs={"token": token})


def unsubscribe_headers(*, token: str) -> dict[str, str]:
    """The List-Unsubscribe headers of a message (RFC 2369 and RFC 8058)."""
    return {"List-Unsubscribe": f"<{one_click_url(token=token)}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}

