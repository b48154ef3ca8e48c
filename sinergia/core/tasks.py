"""Background tasks shared by every domain: notification e-mails, one by one and as the daily digest."""

from dataclasses import asdict
from typing import Any

from django_tasks import task

from sinergia.core.services import digest_send_all, notifications_email


@task()
def send_notification_emails(*, notification_ids: list[int]) -> int:
    """E-mail these notifications over one connection, each once: a retry after success sends nothing."""
    return notifications_email(ids=notification_ids)


@task()
def send_notification_email(*, notification_id: int) -> bool:
    """E-mail one notification, once (kept for tasks enqueued before e-mails were sent in groups)."""
    return notifications_email(ids=[notification_id]) == 1


@task()
def send_daily_digest_task() -> dict[str, Any]:
    """Send today's digests; a second run the same day sends only to users who had none yet."""
    report = asdict(digest_send_all())
    report["day"] = report["day"].isoformat()
    return report
