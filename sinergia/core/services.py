"""Writes shared by every domain: audit entries and notifications."""

import logging
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import models, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sinergia.core.models import AuditEntry, DigestDelivery, EmailMode, Notification, NotificationPreference
from sinergia.core.notifications import ALL, REGISTRY, kinds_off_for, modes_for, preferences_of
from sinergia.core.notifications.emails import digest_message, notification_message
from sinergia.core.notifications.preferences import forget_choices

logger = logging.getLogger(__name__)
# Immediate e-mails are sent by tasks of this many notifications, each over one SMTP connection.
EMAIL_TASK_SIZE = 100
DIGEST_BATCH_SIZE = 500


def chunks(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    """The items in consecutive slices of at most `size`."""
    return [items[start:start + size] for start in range(0, len(items), size)]


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
    """Create one in-app notification per distinct recipient; e-mail at once, in the digest or never, as each chose.

    Two queries whatever the number of recipients (their preferences, then the insert); one when the same user
    instances were notified before (their preferences are cached on them).
    """
    from sinergia.core.tasks import send_notification_emails

    unique = {user.pk: user for user in recipients if user is not None}
    modes = modes_for(users=list(unique.values()), kind=kind)
    notifications = Notification.objects.bulk_create(
        [Notification(recipient=user, kind=kind, title=title, body=body, url=url, delivery=modes[pk])
         for pk, user in unique.items()]
    )
    ids = [n.pk for n in notifications if n.delivery == EmailMode.IMMEDIATE]
    if ids:
        transaction.on_commit(lambda: [send_notification_emails.enqueue(notification_ids=list(chunk))
                                       for chunk in chunks(ids, EMAIL_TASK_SIZE)])
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


# --- Preferences and unsubscribing ---------------------------------------------------------------------------


@transaction.atomic
def notification_preferences_set(*, user: Any, modes: Mapping[str, str], all_off: bool | None = None) -> Any:
    """Set the user's e-mail mode of the given registered kinds (and the switch of every e-mail when given)."""
    unknown = sorted(kind for kind in modes if kind not in REGISTRY)
    invalid = sorted(kind for kind, mode in modes.items() if mode not in EmailMode.values)
    if unknown or invalid:
        raise ValidationError(_("Unknown kinds or modes: %(kinds)s.") % {"kinds": ", ".join(unknown + invalid)})
    chosen = {kind: mode for kind, mode in modes.items() if mode != REGISTRY[kind].default}
    _preferences_store(user=user, chosen=chosen, defaults=[kind for kind in modes if kind not in chosen])
    if all_off is not None:
        _all_off_store(user=user, off=all_off)
    forget_choices(user)
    audit_record(actor=user, action="core.notification_preferences_set", target=user,
                 data={"modes": dict(modes), "all_off": all_off})
    return preferences_of(user=user)


def _preferences_store(*, user: Any, chosen: Mapping[str, str], defaults: Sequence[str]) -> None:
    """Rows for the modes that differ from the default; no row for the others (absent means default)."""
    NotificationPreference.objects.filter(user_id=user.pk, kind__in=list(defaults)).delete()
    NotificationPreference.objects.bulk_create(
        [NotificationPreference(user_id=user.pk, kind=kind, mode=mode) for kind, mode in chosen.items()],
        update_conflicts=True, unique_fields=["user", "kind"], update_fields=["mode"],
    )


def _all_off_store(*, user: Any, off: bool) -> None:
    if off:
        NotificationPreference.objects.update_or_create(user_id=user.pk, kind=ALL, defaults={"mode": EmailMode.OFF})
    else:
        NotificationPreference.objects.filter(user_id=user.pk, kind=ALL).delete()


@transaction.atomic
def notification_unsubscribe(*, user: Any, kind: str) -> None:
    """Switch off the e-mail of one kind (of every kind for ALL) for the user, as an unsubscribe link asks."""
    NotificationPreference.objects.update_or_create(user_id=user.pk, kind=kind, defaults={"mode": EmailMode.OFF})
    forget_choices(user)
    audit_record(actor=None, action="core.notification_unsubscribe", target=user, data={"kind": kind})


# --- E-mails ------------------------------------------------------------------------------------------------


def notifications_email(*, ids: Sequence[int]) -> int:
    """E-mail the given immediate notifications not yet e-mailed, over one connection; returns how many were sent.

    Each is claimed (emailed_at) before it is sent, so a retried or concurrent task never sends it twice.
    """
    notifications = _claim_immediate(ids)
    with translation.override(settings.LANGUAGE_CODE):
        messages = [_in_language(notification.recipient, notification_message, notification)
                    for notification in notifications if _reachable(notification.recipient)]
    return _send(messages)


@transaction.atomic
def _claim_immediate(ids: Sequence[int]) -> list[Notification]:
    due = Notification.objects.filter(pk__in=list(ids), delivery=EmailMode.IMMEDIATE, emailed_at__isnull=True)
    notifications = list(due.select_related("recipient").select_for_update(skip_locked=True, of=("self",)))
    Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(emailed_at=timezone.now())
    return notifications


def _reachable(user: Any) -> bool:
    return bool(user.email) and user.is_active


def _in_language(recipient: Any, build: Callable[..., EmailMessage], /, *args: Any, **kwargs: Any) -> EmailMessage:
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        return build(*args, **kwargs)


def _send(messages: Sequence[EmailMessage]) -> int:
    """Send the messages over one connection; a failure is logged and counted as nothing sent."""
    if not messages:
        return 0
    try:
        with get_connection() as connection:
            return connection.send_messages(list(messages)) or 0
    except Exception:  # an SMTP server away: the claimed messages are lost rather than sent twice
        logger.exception("notifications: sending %d e-mails failed", len(messages))
        return 0


# --- Daily digest -------------------------------------------------------------------------------------------


@dataclass
class DigestReport:
    """What a digest run did: digests claimed, notifications they gathered, e-mails sent and failed."""

    day: date
    users: int = 0
    notifications: int = 0
    emails: int = 0
    failed: int = 0
    seconds: float = 0.0


def digest_send_all(*, day: date | None = None, batch_size: int = DIGEST_BATCH_SIZE) -> DigestReport:
    """Send every user with pending digest notifications their digest of the day, at most once per user and day."""
    report = DigestReport(day=day or timezone.localdate())
    started, after = time.monotonic(), 0
    while user_ids := _digest_candidates(day=report.day, after=after, limit=batch_size):
        _digest_batch(user_ids, report)
        after = user_ids[-1]
    report.seconds = round(time.monotonic() - started, 3)
    return report


def _digest_candidates(*, day: date, after: int, limit: int) -> list[int]:
    """The next users (by id) with digest notifications not yet e-mailed and no digest claimed for the day."""
    claimed = DigestDelivery.objects.filter(day=day, user_id=OuterRef("recipient_id"))
    pending = Notification.objects.filter(delivery=EmailMode.DIGEST, emailed_at__isnull=True, recipient_id__gt=after)
    ids = pending.filter(~Exists(claimed)).order_by("recipient_id").values_list("recipient_id", flat=True)
    return list(ids.distinct()[:limit])


def _digest_batch(user_ids: Sequence[int], report: DigestReport) -> None:
    """Claim, build and send the digests of a batch of users over one connection, then record what was sent."""
    deliveries, pending = _digest_claim(user_ids, day=report.day)
    messages = _digest_messages(deliveries, pending)
    sent = _send(list(messages.values()))
    _digest_record(deliveries, sent_to=messages.keys() if sent == len(messages) else ())
    report.users += len(deliveries)
    report.notifications += sum(len(notes) for notes in pending.values())
    report.emails, report.failed = report.emails + sent, report.failed + len(messages) - sent


def _digest_messages(deliveries: Sequence[DigestDelivery],
                     pending: Mapping[int, list[Notification]]) -> dict[int, EmailMessage]:
    """Each claimed user's digest, without the kinds they switched off since; none for the unreachable."""
    off = kinds_off_for(user_ids=[delivery.user_id for delivery in deliveries])
    messages = {}
    for delivery in deliveries:
        wanted = [n for n in pending.get(delivery.user_id, []) if not off[delivery.user_id] & {ALL, n.kind}]
        delivery.notification_count = len(wanted)
        if wanted and _reachable(wanted[0].recipient):
            user = wanted[0].recipient
            messages[user.pk] = _in_language(user, digest_message, user=user, notifications=wanted)
    return messages


@transaction.atomic
def _digest_claim(user_ids: Sequence[int], *, day: date) -> tuple[list[DigestDelivery], dict[int, list[Notification]]]:
    """Claim the day's digest of those users no other run claimed, and mark their notifications in the same go."""
    claim = uuid.uuid4().hex
    DigestDelivery.objects.bulk_create([DigestDelivery(user_id=pk, day=day, claim=claim) for pk in user_ids],
                                       ignore_conflicts=True)
    deliveries = list(DigestDelivery.objects.filter(day=day, claim=claim).order_by("user_id"))
    due = Notification.objects.filter(recipient_id__in=[d.user_id for d in deliveries], delivery=EmailMode.DIGEST,
                                      emailed_at__isnull=True)
    notifications = list(due.select_related("recipient").select_for_update(of=("self",)).order_by("created_at", "id"))
    now = timezone.now()
    for chunk in chunks([n.pk for n in notifications], 5000):
        Notification.objects.filter(pk__in=chunk).update(emailed_at=now)
    pending: dict[int, list[Notification]] = defaultdict(list)
    for notification in notifications:
        pending[notification.recipient_id].append(notification)
    return deliveries, pending


def _digest_record(deliveries: Sequence[DigestDelivery], *, sent_to: Iterable[int]) -> None:
    """Store each digest's size, and when it was sent for those the mail server took."""
    now, sent = timezone.now(), set(sent_to)
    for delivery in deliveries:
        delivery.sent_at = now if delivery.user_id in sent else None
    DigestDelivery.objects.bulk_update(deliveries, ["notification_count", "sent_at"])
