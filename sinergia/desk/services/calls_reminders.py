"""Reminders of followed calls' deadlines, 14 and 3 days before: once per call, follower, step and deadline."""

from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sinergia.core.services import notify_in_language
from sinergia.desk.models import CallFollow, CallReminder, FundingCall
from sinergia.desk.services.calls import call_zone

REMINDER_DAYS = (14, 3)  # the steps, earliest first; only the latest step a deadline is within is sent


def reminder_step(deadline: datetime, now: datetime) -> int | None:
    """The days-before step a deadline is within now (3 rather than 14 when within both), or None."""
    left = deadline - now
    if left <= timedelta(0):
        return None
    within = [days for days in REMINDER_DAYS if left <= timedelta(days=days)]
    return min(within) if within else None


def call_reminders_send(*, now: datetime | None = None) -> int:
    """Remind the followers of published calls whose deadline is near; returns the number of reminders sent.

    A CallReminder row is written for each reminder in the transaction that notifies: a retried or concurrent run
    finds the row (or waits on it and fails to write it again) and sends nothing more.
    """
    now = now or timezone.now()
    horizon = now + timedelta(days=max(REMINDER_DAYS))
    due = FundingCall.objects.filter(status=FundingCall.Status.PUBLISHED, deadline__gt=now, deadline__lte=horizon)
    sent = 0
    for call in due.order_by("deadline", "pk").iterator():
        step = reminder_step(call.deadline, now)
        if step is not None:
            sent += call_remind(call=call, days_before=step)
    return sent


@transaction.atomic
def call_remind(*, call: FundingCall, days_before: int) -> int:
    """Notify the followers of the call not yet reminded at this step of this deadline; returns how many."""
    done = CallReminder.objects.filter(call=call, days_before=days_before, deadline=call.deadline).values("user_id")
    follows = (CallFollow.objects.filter(call=call, user__is_active=True).exclude(user_id__in=done)
               .select_related("user").order_by("pk"))
    reminded = [follow.user for follow in follows if _claimed(call, follow.user, days_before)]
    if reminded:
        notify_in_language(users=reminded, kind="desk.call_reminder", title=lambda: _reminder_title(call),
                           body=lambda: call.funder, url=lambda: reverse("desk:call_detail", args=[call.pk]))
    return len(reminded)


def _claimed(call: FundingCall, user: Any, days_before: int) -> bool:
    """Write the reminder's row; False when another run already did (the unique constraint refuses it)."""
    try:
        with transaction.atomic():
            CallReminder.objects.create(call=call, user=user, days_before=days_before, deadline=call.deadline)
    except IntegrityError:
        return False
    return True


def _reminder_title(call: FundingCall) -> str:
    local = timezone.localtime(call.deadline, call_zone(call))
    days = max(0, (call.deadline - timezone.now()).days)
    when = formats.date_format(local, "DATETIME_FORMAT")
    if days == 0:
        return _("Less than a day left for “%(title)s”: the deadline is %(when)s (%(zone)s).") % {
            "title": call.title[:100], "when": when, "zone": call.time_zone}
    return ngettext("%(days)d day left for “%(title)s”: the deadline is %(when)s (%(zone)s).",
                    "%(days)d days left for “%(title)s”: the deadline is %(when)s (%(zone)s).", days) % {
        "days": days, "title": call.title[:100], "when": when, "zone": call.time_zone}
