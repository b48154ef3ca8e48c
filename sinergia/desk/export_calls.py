"""Deadlines of funding calls as iCalendar (RFC 5545): one VEVENT per call, in the call's own time zone."""

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sinergia.calendar.export import markdown_text
from sinergia.desk.models import FundingCall

EVENT_LENGTH = timedelta(minutes=30)  # a deadline is shown as the half hour that ends with it (DTEND > DTSTART)
ALARM_BEFORE = timedelta(days=3)
SUMMARY_CHARS = 2000  # of the summary's text in DESCRIPTION


def site_host() -> str:
    """The host of the site's address, for stable UIDs whatever host a request came through."""
    return urlsplit(settings.SITE_URL).hostname or "sinergia.invalid"


def call_uid(call: FundingCall) -> str:
    """The call's stable iCalendar UID."""
    return f"call-{call.pk}@{site_host()}"


def call_url_builder(base_url: str) -> Callable[[int], str]:
    """A function giving a call page's absolute URL in the active language, reversing the route once."""
    head, tail = reverse("desk:call_detail", kwargs={"pk": 999_999_999}).split("999999999")
    prefix = base_url.rstrip("/") + head
    return lambda pk: f"{prefix}{pk}{tail}"


def _amounts(call: FundingCall) -> str:
    low, high = call.amount_min, call.amount_max
    shown = [formats.number_format(value, 0, use_l10n=True, force_grouping=True) for value in (low, high)
             if value is not None]
    return f"{' – '.join(shown)} {call.currency}" if shown else ""


def _description(call: FundingCall, url: str) -> str:
    deadline = timezone.localtime(call.deadline, ZoneInfo(call.time_zone))
    lines = [_("Deadline: %(when)s (%(zone)s)") % {"when": formats.date_format(deadline, "DATETIME_FORMAT"),
                                                  "zone": call.time_zone},
             _("Funder: %(funder)s") % {"funder": call.funder}]
    if call.programme:
        lines.append(_("Programme: %(programme)s") % {"programme": call.programme})
    if _amounts(call):
        lines.append(_("Amount: %(amounts)s") % {"amounts": _amounts(call)})
    lines += ["", markdown_text(call.summary)[:SUMMARY_CHARS], "", url]
    return "\n".join(lines)


def _alarm(call: FundingCall) -> icalendar.Alarm:
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", -(ALARM_BEFORE - EVENT_LENGTH))  # relative to DTSTART: three days before the deadline
    alarm.add("description", _("Three days left: %(title)s") % {"title": call.title})
    return alarm


def call_vevent(call: FundingCall, *, url: str, stamp: datetime) -> icalendar.Event:
    """The VEVENT of a call's deadline, with a display alarm three days before."""
    deadline = timezone.localtime(call.deadline, ZoneInfo(call.time_zone))
    event = icalendar.Event()
    event.add("uid", call_uid(call))
    event.add("dtstamp", stamp)
    event.add("last-modified", call.updated_at.astimezone(UTC))
    event.add("summary", _("Deadline: %(title)s") % {"title": call.title})
    event.add("dtstart", deadline - EVENT_LENGTH)
    event.add("dtend", deadline)
    event.add("url", url)
    event.add("description", _description(call, url))
    event.add("status", "CONFIRMED" if call.status == FundingCall.Status.PUBLISHED else "CANCELLED")
    event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
    labels = [topic.label for topic in call.topics.all()]
    if labels:
        event.add("categories", labels)
    event.add_component(_alarm(call))
    return event


def calls_ics(calls: Iterable[FundingCall], *, name: str, base_url: str) -> bytes:
    """A VCALENDAR of the calls' deadlines with a VTIMEZONE for each zone used, in the active language."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//Sinergia//Funding calls//{(get_language() or 'en').upper()}")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    url_of, stamp = call_url_builder(base_url), datetime.now(UTC).replace(microsecond=0)
    days: list[date] = []
    for call in calls:
        calendar.add_component(call_vevent(call, url=url_of(call.pk), stamp=stamp))
        days.append(call.deadline.date())
    if days:
        # Zones only around the deadlines: a VTIMEZONE since 1970 lists every change of fifty years.
        calendar.add_missing_timezones(first_date=min(days) - timedelta(days=366),
                                       last_date=max(days) + timedelta(days=366))
    return calendar.to_ical()
