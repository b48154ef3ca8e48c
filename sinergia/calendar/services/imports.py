"""Importing an organisation's iCalendar file: by UID, all or nothing unless the rejected events are skipped."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergia.calendar.ics import DEFAULT_LIMITS, IcsEvent, IcsLimits, IcsReadResult, IcsRejection, read_calendar
from sinergia.calendar.models import CalendarFeed, Event
from sinergia.calendar.occurrences import horizon, moment_json, override_json
from sinergia.calendar.services.events import events_cancel_notify
from sinergia.calendar.services.occurrences import occurrences_refresh_events
from sinergia.core.geo import distance_km
from sinergia.core.services import audit_record
from sinergia.directory.models import Organisation

__all__ = ["ImportReport", "calendar_merge", "calendar_read", "checked_choices", "ics_import"]

# The fields an import writes on an event it already has; what editors add here (category, audiences, networks…)
# is theirs and stays.
SOURCE_FIELDS = ("title", "description", "start", "end", "all_day", "timezone", "rrule", "rdates", "exdates",
                 "overrides", "status", "booking_url")
PLACE_FIELDS = ("venue", "place_name", "address", "locality", "province", "region", "country", "latitude",
                "longitude")
TRACKING_FIELDS = ("sequence", "source_modified", "feed", "updated_at")
# A point this close to the organisation is taken as its own place (address, region) rather than an unnamed one.
VENUE_RADIUS_KM = 1.0
MAX_WARNINGS = 100
RRULE_MAX_CHARS = Event._meta.get_field("rrule").max_length or 0
LINK_MAX_CHARS = Event._meta.get_field("booking_url").max_length or 0
BATCH = 500


@dataclass
class ImportReport:
    """What an import did (or, when not applied, would do): events by outcome, rejected items and warnings."""

    added: list[Event] = field(default_factory=list)
    updated: list[Event] = field(default_factory=list)
    unchanged: list[Event] = field(default_factory=list)
    cancelled: list[Event] = field(default_factory=list)
    rejected: list[IcsRejection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    applied: bool = False
    calendar_name: str = ""

    def counts(self) -> dict[str, int]:
        """How many events each outcome has, for the audit trail and summaries."""
        return {"added": len(self.added), "updated": len(self.updated), "unchanged": len(self.unchanged),
                "cancelled": len(self.cancelled), "rejected": len(self.rejected)}


@dataclass(frozen=True)
class _Target:
    """Where the events go and what new ones take."""

    organisation: Organisation
    by: Any
    now: datetime
    category: str
    visibility: str
    feed: CalendarFeed | None

    @property
    def creator(self) -> Any:
        return self.by if getattr(self.by, "is_authenticated", False) else None


def ics_import(*, organisation: Organisation, data: bytes, by: Any, dry_run: bool = False,
               skip_rejected: bool = False, category: str | None = None, visibility: str | None = None) -> ImportReport:
    """Add or update the organisation's events from an iCalendar file by UID; published, as the editor chose.

    If any event is rejected nothing is applied unless `skip_rejected` (the editor confirmed skipping them); an
    unreadable file raises IcsRejected. `by` None is the system (management command).
    """
    if by is not None and not by.has_perm("calendar.add_event", organisation):
        raise PermissionDenied(_("You are not allowed to import events for this organisation."))
    category, visibility = checked_choices(category, visibility)
    now = timezone.now()
    read = calendar_read(data, now=now, max_bytes=settings.CALENDAR_IMPORT_MAX_BYTES)
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=organisation.pk).exists()
        report = calendar_merge(organisation=organisation, read=read, by=by, now=now, category=category,
                                visibility=visibility, write=not dry_run, skip_rejected=skip_rejected)
        if report.applied:
            audit_record(actor=by, action="calendar.import", target=organisation, data=report.counts())
    return report


def calendar_read(data: bytes, *, now: datetime, max_bytes: int, max_events: int | None = None) -> IcsReadResult:
    """Read a calendar against the materialised horizon and the configured bounds (IcsRejected if unreadable)."""
    window = horizon(now)
    limits = IcsLimits(
        max_bytes=max_bytes,
        max_events=max_events or DEFAULT_LIMITS.max_events,
        max_occurrences_per_event=settings.CALENDAR_MAX_OCCURRENCES_PER_EVENT,
        max_horizon_days=(window[1] - window[0]).days + 1,
    )
    return read_calendar(data, window_start=window[0], window_end=window[1], limits=limits,
                         default_timezone=settings.CALENDAR_DEFAULT_TIMEZONE)


def calendar_merge(*, organisation: Organisation, read: IcsReadResult, by: Any, now: datetime, category: str,
                   visibility: str, feed: CalendarFeed | None = None, write: bool = True,
                   skip_rejected: bool = False) -> ImportReport:
    """Match the read events with the organisation's by UID and, if allowed, write them (call in a transaction)."""
    report = ImportReport(rejected=list(read.rejected), warnings=list(read.warnings),
                          calendar_name=read.calendar_name)
    target = _Target(organisation=organisation, by=by, now=now, category=category, visibility=visibility, feed=feed)
    items = _unique(read.events, report)
    existing = _existing(organisation, [item.uid for item in items])
    for item in items:
        _sort(item, existing.get(item.uid), target, report)
    report.warnings = _bounded(report.warnings)
    report.applied = write and (skip_rejected or not report.rejected)
    if report.applied:
        _write(report, now=now)
        events_cancel_notify(event_ids=[event.pk for event in report.cancelled], by=by)
    return report


def checked_choices(category: str | None, visibility: str | None) -> tuple[str, str]:
    """The category and visibility imported events take (defaults: other, public), or a field error."""
    category = category or Event.Category.OTHER
    visibility = visibility or Event.Visibility.PUBLIC
    if category not in Event.Category.values:
        raise ValidationError({"category": _("Unknown category “%(value)s”.") % {"value": category}})
    if visibility not in Event.Visibility.values:
        raise ValidationError({"visibility": _("Unknown visibility “%(value)s”.") % {"value": visibility}})
    return category, visibility


def _unique(events: Iterable[IcsEvent], report: ImportReport) -> list[IcsEvent]:
    """One event per UID (a file joining several calendars may repeat one): the latest revision is kept."""
    by_uid: dict[str, IcsEvent] = {}
    for item in events:
        kept = by_uid.get(item.uid)
        if kept is not None:
            report.warnings.append(_("The event “%(title)s” appears more than once (UID %(uid)s); its latest "
                                     "revision was kept.") % {"title": item.summary[:80], "uid": item.uid[:80]})
            if _revision(kept) > _revision(item):
                continue
        by_uid[item.uid] = item
    return list(by_uid.values())


def _revision(item: IcsEvent) -> tuple[int, datetime]:
    return item.sequence, item.last_modified or datetime.min.replace(tzinfo=ZoneInfo("UTC"))


def _existing(organisation: Organisation, uids: list[str]) -> dict[str, Event]:
    found: dict[str, Event] = {}
    for offset in range(0, len(uids), BATCH):
        chunk = uids[offset:offset + BATCH]
        found.update((event.uid, event) for event in Event.objects.filter(organisation=organisation, uid__in=chunk))
    return found


def _sort(item: IcsEvent, event: Event | None, target: _Target, report: ImportReport) -> None:
    """Put one read event in its outcome list, with its new values set (not saved) when it is added or updated."""
    values = _values(item, event, target.organisation)
    if isinstance(values, str):
        report.rejected.append(IcsRejection(uid=item.uid, summary=item.summary, reason=values))
        return
    report.warnings += [_("“%(title)s”: %(warning)s") % {"title": item.summary[:80], "warning": warning}
                        for warning in item.warnings]
    if event is None:
        event = Event(organisation=target.organisation, uid=item.uid, category=target.category,
                      visibility=target.visibility, created_by=target.creator, published_at=target.now)
        _set(event, values, item, target)
        report.added.append(event)
    elif _is_newer(item, event, values):
        was_cancelled = event.status == Event.Status.CANCELLED
        _set(event, values, item, target)
        cancelled_now = event.status == Event.Status.CANCELLED and not was_cancelled
        (report.cancelled if cancelled_now else report.updated).append(event)
    else:
        report.unchanged.append(event)


def _values(item: IcsEvent, event: Event | None, organisation: Organisation) -> dict[str, Any] | str:
    """The fields the file sets on the event (its place only when new or given by GEO), or why it cannot."""
    problem = _problem(item)
    place = _place(item, organisation) if event is None or item.geo else {}
    if problem is None and place is None:
        problem = _("The event has no coordinates (GEO) and %(organisation)s has no position on the map to use "
                    "instead.") % {"organisation": organisation.name}
    if problem is not None:
        return problem
    values = {**_source_values(item), **(place or {})}
    # Without a SUMMARY the title stays what it is (or a neutral one), so a sync in another language changes nothing.
    values["title"] = values["title"] or (event.title if event is not None else _("Untitled event"))
    return values


def _problem(item: IcsEvent) -> str | None:
    """What the reader accepts but an event here cannot hold."""
    if len(item.rrule) > RRULE_MAX_CHARS:
        return _("The event's repetition rules are too long to be kept.")
    bound = settings.CALENDAR_MAX_OCCURRENCES_PER_EVENT
    if max(len(item.rdates), len(item.exdates), len(item.overrides)) > bound:
        return _("The event has more than %(n)d extra, excluded or changed dates.") % {"n": bound}
    return None


def _source_values(item: IcsEvent) -> dict[str, Any]:
    """The event's own fields as the file gives them."""
    start, end = _instant(item.dtstart, item.timezone), _instant(item.dtend, item.timezone)
    return {
        "title": item.summary[:255],
        "description": item.description[:20_000],
        "start": start, "end": max(end, start), "all_day": item.all_day, "timezone": item.timezone,
        "rrule": item.rrule,
        "rdates": [moment_json(value) for value in item.rdates],
        "exdates": [moment_json(value) for value in item.exdates],
        "overrides": [override_json(override) for override in item.overrides],
        "status": Event.Status.CANCELLED if item.status == "cancelled" else Event.Status.PUBLISHED,
        "booking_url": _link(item.url),
    }


def _instant(value: date, zone: str) -> datetime:
    """Aware UTC times as they are; an all-day date as local midnight of the event's zone."""
    if isinstance(value, datetime):
        return value
    return datetime.combine(value, time.min, tzinfo=ZoneInfo(zone))


def _link(url: str) -> str:
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return ""
    return url if len(url) <= LINK_MAX_CHARS else ""


def _place(item: IcsEvent, organisation: Organisation) -> dict[str, Any] | None:
    """Where the event is: its GEO (at the organisation's place when that close), else the organisation's place."""
    org_point = _point_of(organisation)
    if item.geo is None and org_point is None:
        return None
    if item.geo is not None and (org_point is None or distance_km(*item.geo, *org_point) > VENUE_RADIUS_KM):
        return {"venue_id": None, "place_name": item.location[:255], "address": "", "locality": "", "province": "",
                "region": "", "country": "", "latitude": item.geo[0], "longitude": item.geo[1]}
    latitude, longitude = item.geo or org_point or (None, None)
    return {"venue_id": organisation.pk, "place_name": (item.location or organisation.name)[:255],
            "address": organisation.address, "locality": organisation.locality or organisation.municipality,
            "province": organisation.province, "region": organisation.region, "country": organisation.country,
            "latitude": latitude, "longitude": longitude}


def _point_of(organisation: Organisation) -> tuple[float, float] | None:
    if organisation.latitude is None or organisation.longitude is None:
        return None
    return organisation.latitude, organisation.longitude


def _is_newer(item: IcsEvent, event: Event, values: dict[str, Any]) -> bool:
    """A higher SEQUENCE, else a later LAST-MODIFIED, else different content; an older revision never wins."""
    if item.sequence != event.sequence:
        return item.sequence > event.sequence
    if item.last_modified and event.source_modified and item.last_modified != event.source_modified:
        return item.last_modified > event.source_modified
    return any(getattr(event, name) != value for name, value in values.items())


def _set(event: Event, values: dict[str, Any], item: IcsEvent, target: _Target) -> None:
    for name, value in values.items():
        setattr(event, name, value)
    event.sequence, event.source_modified, event.updated_at = item.sequence, item.last_modified, target.now
    if target.feed is not None:
        event.feed = target.feed
    if event.status == Event.Status.PUBLISHED and event.published_at is None:
        event.published_at = target.now


def _write(report: ImportReport, *, now: datetime) -> None:
    """Insert and update in batches, then materialise the occurrences of every event that changed."""
    Event.objects.bulk_create(report.added, batch_size=BATCH)
    changed = report.updated + report.cancelled
    fields = [*SOURCE_FIELDS, *PLACE_FIELDS, *TRACKING_FIELDS, "published_at"]
    Event.objects.bulk_update(changed, fields=fields, batch_size=BATCH)
    occurrences_refresh_events(event_ids=[event.pk for event in report.added + changed], now=now)


def _bounded(warnings: list[str]) -> list[str]:
    if len(warnings) <= MAX_WARNINGS:
        return warnings
    more = len(warnings) - MAX_WARNINGS
    return [*warnings[:MAX_WARNINGS], _("… and %(n)d more warnings.") % {"n": more}]
