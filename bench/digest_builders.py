"""Notifications waiting for the daily digest (issue 5): a few for every bench user, as after a busy day.

Kinds and texts as the exchange and the desk write them; each user gets two to five, created in the last day,
routed to the digest; the digest job then sends one e-mail per user.
"""

import random
import time
from datetime import UTC, datetime, timedelta

from bench.common import bulk, own_datestamps
from sinergia.accounts.models import User
from sinergia.core.models import DigestDelivery, Notification

KINDS = (("exchange.match", "A new offer matches your need “{n}”"), ("exchange.message", "New message on “{n}”"),
         ("desk.answer", "Your question #{n} has an answer"), ("desk.question", "A new question in your category"),
         ("desk.call_reminder", "The call {n} closes in 14 days"), ("networks.application", "A new member applied"))


def has_digest_notifications() -> bool:
    """Whether the bench's digest notifications were written (waiting, or already sent by a digest)."""
    return Notification.objects.filter(delivery="digest", recipient__email__startswith="bench-user-").exists()


def notifications(rng: random.Random, users: int) -> dict:
    """Two to five digest notifications for each of the first `users` bench users; how many and how long."""
    started = time.perf_counter()
    now = datetime.now(UTC)
    recipients = list(User.objects.filter(email__startswith="bench-user-").order_by("pk").values_list(
        "pk", flat=True)[:users])
    with own_datestamps(Notification, "created_at"):
        created = bulk(Notification, (
            Notification(recipient_id=user, kind=kind, title=title.format(n=rng.randint(1, 50_000)),
                         body="", url=f"/it/exchange/{rng.randint(1, 40_000)}/", delivery="digest",
                         created_at=now - timedelta(minutes=rng.randint(1, 1400)))
            for user in recipients for kind, title in rng.sample(KINDS, rng.randint(2, 5))))
    return {"digest users": len(recipients), "digest notifications": len(created),
            "seconds": round(time.perf_counter() - started, 1)}


def digests_waiting_again() -> int:
    """The bench users' digests as before any run sent them: their claims deleted, their digest notifications
    waiting again, so that every run of the bench times the same day's work; how many notifications wait."""
    bench_users = User.objects.filter(email__startswith="bench-user-")
    DigestDelivery.objects.filter(user__in=bench_users).delete()
    return Notification.objects.filter(recipient__in=bench_users, delivery="digest").update(emailed_at=None)
