"""Writes shared by every domain: audit entries and notifications."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone, translation

from sinergia.core.models import AuditEntry, Notification


def audit_record(*, actor: Any, action: str, target: models.Model, data: dict | None = None) -> AuditEntry:
    """Record that `actor` did `action` to `target` (actor may be None for the system)."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        data=data or {},
    )


def notify(*, recipients: Iterable[Any], kind: str, title: str, body: str = "", url: str = "") -> list[Notification]:
    """Create one in-app notification per distinct recipient and e-mail each after commit."""
    from sinergia.core.tasks import send_notification_email

    unique = {user.pk: user for user in recipients if user is not None}
    notifications = Notification.objects.bulk_create(
        [Notification(recipient=user, kind=kind, title=title, body=body, url=url) for user in unique.values()]
    )
    ids = [n.pk for n in notifications]
    transaction.on_commit(lambda: [send_notification_email.enqueue(notification_id=pk) for pk in ids])
    return notifications


def notify_in_language(*, users: Iterable[Any], kind: str, title: Callable[[], Any],
                       body: Callable[[], Any] = str, url: Callable[[], Any] = str) -> None:
    """Notify users grouped by their language, rendering title, body and link in that language."""
    by_language: dict[str, list[Any]] = defaultdict(list)
    for user in users:
        by_language[getattr(user, "language", "") or settings.LANGUAGE_CODE].append(user)
    for language, group in by_language.items():
        with translation.override(language):
            notify(recipients=group, kind=kind, title=str(title()), body=str(body()), url=str(url()))


def notifications_mark_read(*, user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications (all of them, or those with the given ids) as read."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())
