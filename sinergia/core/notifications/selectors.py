"""Reads of a user's notifications, shared by the notifications page and the API."""

from typing import Any

from django.db.models import QuerySet

from sinergia.core.models import Notification


def notification_list(*, viewer: Any, unread: bool = False) -> QuerySet[Notification]:
    """The viewer's own notifications, newest first (only the unread ones if asked); none for anonymous."""
    notifications = Notification.objects.filter(recipient_id=viewer.pk) if viewer.is_authenticated \
        else Notification.objects.none()
    return notifications.filter(read_at__isnull=True) if unread else notifications
