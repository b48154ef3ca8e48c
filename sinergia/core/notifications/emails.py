"""The e-mails of notifications, one at a time or as a daily digest, each with its unsubscribe link and headers."""

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sinergia.core.models import Notification
from sinergia.core.notifications.registry import Group, kind_info
from sinergia.core.notifications.tokens import ALL, unsubscribe_headers, unsubscribe_page_url, unsubscribe_token

# A digest lists at most this many notifications; the rest wait on the notifications page.
MAX_DIGEST_ITEMS = 100


def absolute(url: str) -> str:
    """A notification's link as an absolute address."""
    return url if url.startswith(("http://", "https://")) or not url else settings.SITE_URL + url


def _site_links(user: Any, kind: str) -> dict[str, str]:
    """The links every notification e-mail ends with, in the active language."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    token = unsubscribe_token(user_id=user.pk, kind=kind)
    return {"token": token, "unsubscribe_url": unsubscribe_page_url(token=token, language=language),
            "preferences_url": settings.SITE_URL + reverse("core:notification_preferences"),
            "notifications_url": settings.SITE_URL + reverse("core:notifications")}


def _message(*, user: Any, subject: str, body: str, token: str) -> EmailMessage:
    return EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email],
                        headers=unsubscribe_headers(token=token))


def notification_message(notification: Notification) -> EmailMessage:
    """One notification's e-mail in the active language; its unsubscribe link switches off its kind."""
    user = notification.recipient
    links = _site_links(user, notification.kind)
    context = {**links, "notification": notification, "user": user, "link": absolute(notification.url),
               "kind": kind_info(notification.kind), "site_url": settings.SITE_URL}
    body = get_template("core/email/notification.txt").render(context)
    return _message(user=user, subject=f"[Sinergia] {notification.title}", body=body, token=links["token"])


def digest_groups(notifications: Sequence[Notification]) -> list[tuple[str, list[dict[str, str]]]]:
    """The notifications by group, in the groups' order, oldest first in each, with absolute links."""
    by_group: dict[Group, list[dict[str, str]]] = defaultdict(list)
    for notification in sorted(notifications, key=lambda n: (n.created_at, n.pk)):
        by_group[kind_info(notification.kind).group].append(
            {"title": notification.title, "body": notification.body, "link": absolute(notification.url)})
    return [(str(group.label), by_group[group]) for group in Group if group in by_group]


def digest_message(*, user: Any, notifications: Sequence[Notification]) -> EmailMessage:
    """The day's digest of a user in the active language; its unsubscribe link switches off every e-mail."""
    links = _site_links(user, ALL)
    shown = sorted(notifications, key=lambda n: (n.created_at, n.pk))[-MAX_DIGEST_ITEMS:]
    context = {**links, "user": user, "groups": digest_groups(shown), "count": len(notifications),
               "more": len(notifications) - len(shown)}
    subject = ngettext("[Sinergia] Your digest: %(count)d notification", "[Sinergia] Your digest: %(count)d "
                       "notifications", len(notifications)) % {"count": len(notifications)}
    body = get_template("core/email/digest.txt").render(context)
    return _message(user=user, subject=subject, body=body, token=links["token"])


def kind_label(kind: str) -> str:
    """What a kind is called on the pages, or 'every e-mail' for ALL."""
    return _("every e-mail from Sinergia") if kind == ALL else str(kind_info(kind).label)
