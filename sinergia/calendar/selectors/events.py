"""Reads of events and occurrences for the calendar's pages, feeds and API, always through the viewer's visibility."""

import dataclasses
import functools
import json
import operator
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.db import connections, router
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone

from sinergia.calendar.cells import box_cells
from sinergia.calendar.filters import EventFilters
from sinergia.calendar.models import Event, Occurrence
from sinergia.calendar.rules import ON_CALENDAR, visible_events_q
from sinergia.directory.models import Organisation

# A short occurrence lasts at most this long, so one overlapping [a, b) starts in [a - LONG_SPAN, b).
LONG_SPAN = timedelta(seconds=Occurrence.LONG)
MAX_SEARCH_WORDS = 8
CONCEPT_THROUGH = {"audience": Event.audiences.through, "theme": Event.themes.through}


def _short_and_long(start: datetime | None, end: datetime | None) -> tuple[Q, Q]:
    """Occurrences overlapping [start, end) as two index ranges: short ones by start, long ones by end.

    Short occurrences use the index on `start` (widened by a day, the longest a short one lasts); the few long
    ones use the partial index on `end` where is_long. Either bound may be open.
    """
    short, long = Q(is_long=False), Q(is_long=True)
    if start is not None:
        short &= Q(start__gte=start - LONG_SPAN, end__gt=start)
        long &= Q(end__gt=start)
    if end is not None:
        short &= Q(start__lt=end)
        long &= Q(start__lt=end)
    return short, long


def overlapping_any_q(windows: Sequence[tuple[datetime, datetime]]) -> Q:
    """Occurrences overlapping any of the windows: each window's range of short ones, and the long ones of the span
    from the first window to the last (a superset: they are few, and callers check each window).

    One condition on long occurrences instead of one per window: with one per window SQLite judges the OR too
    costly and scans the whole index.
    """
    short = [_short_and_long(start, end)[0] for start, end in windows]
    long = _short_and_long(min(start for start, _end in windows), max(end for _start, end in windows))[1]
    return functools.reduce(operator.or_, short, long)


def _overlap_ranges(start: datetime | None, end: datetime | None) -> list[Q]:
    """Occurrences overlapping [start, end) as disjoint index ranges: those starting inside it (of any length), the
    short ones begun at most a day before it and still on, the long ones begun before it and still on.

    The first, most of the rows, is a plain range of a time index: it reads no row to tell whether an occurrence
    is long or when it ends. Either bound may be open.
    """
    before = Q(start__lt=end) if end is not None else Q()
    if start is None:
        return [before]
    begun = Q(start__lte=start, end__gt=start) & before
    return [Q(start__gt=start) & before, begun & Q(start__gte=start - LONG_SPAN, is_long=False),
            begun & Q(is_long=True)]


def overlapping(start: datetime | None, end: datetime | None, *, field: str = "pk", region: str = "",
                box: tuple[float, float, float, float] | None = None) -> QuerySet:
    """`field` of the occurrences overlapping [start, end) as a UNION ALL of index ranges, in the region and the
    (min_lat, max_lat, min_lon, max_lon) box when given.

    Not one OR of the ranges: PostgreSQL misjudges the size of a range inside an OR by tens of times and then
    hashes the whole events table where a few index lookups would do; each branch of a UNION is estimated right.
    A box is searched by its grid squares (`sinergia.calendar.cells`) when they are few enough.
    """
    rows = Occurrence.objects.order_by()
    if region:
        rows = rows.filter(region=region)
    if box is not None:
        rows = rows.filter(latitude__gte=box[0], latitude__lte=box[1], longitude__gte=box[2], longitude__lte=box[3])
        if (cells := box_cells(box)) is not None:
            rows = rows.filter(cell__in=cells)
    first, *others = (rows.filter(q).values(field) for q in _overlap_ranges(start, end))
    return first.union(*others, all=True) if others else first


def id_list(ids: Iterable[int], *, model: type[Model] = Event) -> RawSQL | list[int]:
    """Ids for an `__in` lookup as one parameter the database unpacks: a JSON list on SQLite, an array on PostgreSQL.

    Hundreds of ids as as many parameters cost the ORM and the driver a few microseconds each, milliseconds in all;
    one parameter costs nothing. Other databases get the plain list.
    """
    ids = sorted(ids)
    vendor = connections[router.db_for_read(model)].vendor
    if vendor == "sqlite":
        return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)])
    if vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [ids])
    return ids


def day_bounds(first: date | None, last: date | None, zone: str = "") -> tuple[datetime | None, datetime | None]:
    """The instants from local midnight of `first` to local midnight after `last` (end exclusive), in `zone` or
    else the active time zone (the one the pages show days in)."""
    tz = ZoneInfo(zone) if zone else timezone.get_current_timezone()
    start = datetime.combine(first, time.min, tzinfo=tz) if first else None
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz) if last else None
    return start, end


def _related(through_model, ref: str, **lookups) -> Exists:
    """Whether the outer event (referenced by `ref`) has a many-to-many row matching the lookups."""
    return Exists(through_model.objects.filter(event_id=OuterRef(ref), **lookups))


def filters_q(filters: EventFilters, *, prefix: str = "") -> Q:
    """The filters except the date range, as a Q on Event (or on Occurrence with prefix "event__")."""
    ref = "event_id" if prefix else "pk"
    condition = Q()
    for word in filters.q.split()[:MAX_SEARCH_WORDS]:
        condition &= (Q(**{f"{prefix}title__icontains": word}) | Q(**{f"{prefix}description__icontains": word})
                      | Q(**{f"{prefix}place_name__icontains": word}) | Q(**{f"{prefix}locality__icontains": word}))
    for field in ("region", "province", "category"):
        if value := getattr(filters, field):
            condition &= Q(**{f"{prefix}{field}": value})
    if filters.free:
        condition &= Q(**{f"{prefix}is_free": True})
    for name, through in CONCEPT_THROUGH.items():
        if notation := getattr(filters, name):
            condition &= Q(_related(through, ref, concept__notation=notation))
    if filters.network:
        condition &= Q(_related(Event.networks.through, ref, network__slug=filters.network))
    if filters.organisation:
        co_organised = _related(Event.co_organisers.through, ref, organisation__slug=filters.organisation)
        condition &= Q(**{f"{prefix}organisation__slug": filters.organisation}) | Q(co_organised)
    return condition


def _on_calendar(viewer, *, prefix: str = "") -> Q:
    """Events on the calendar (published or cancelled, not drafts) that the viewer may see."""
    return visible_events_q(viewer, prefix=prefix) & Q(**{f"{prefix}status__in": ON_CALENDAR})


def event_list(*, viewer, filters: EventFilters | None = None) -> QuerySet[Event]:
    """Published and cancelled events the viewer may see, matching the filters (dates: an occurrence in range)."""
    filters = filters or EventFilters()
    events = Event.objects.filter(_on_calendar(viewer), filters_q(filters))
    if filters.start or filters.end:
        # The region is on the occurrences too: a region's range is then one range of their (region, start) index.
        first, last = day_bounds(filters.start, filters.end)
        events = events.filter(pk__in=overlapping(first, last, field="event_id", region=filters.region))
    return events.select_related("organisation").order_by("start", "id")


def occurrence_list(*, viewer, filters: EventFilters | None = None, start: datetime, end: datetime,
                    length: str | None = None) -> QuerySet[Occurrence]:
    """Occurrences overlapping [start, end) of events the viewer may see, matching the filters, by start (only the
    short or the long ones when `length` is "short" or "long")."""
    filters = filters or EventFilters()
    first, last = day_bounds(filters.start, filters.end)
    start, end = max(start, first) if first else start, min(end, last) if last else end
    # The region is copied on each occurrence so that a region's month is one range of its (region, start) index.
    event_filters = filters_q(dataclasses.replace(filters, region=""), prefix="event__")
    if length is None:
        occurrences = Occurrence.objects.filter(pk__in=overlapping(start, end, region=filters.region))
    else:
        # Short or long ones only: one range, filtered where the rows are read rather than looked up again by key.
        occurrences = Occurrence.objects.filter(_short_and_long(start, end)[length == "long"],
                                                **({"region": filters.region} if filters.region else {}))
    return (
        occurrences.filter(_on_calendar(viewer, prefix="event__"), event_filters)
        .select_related("event", "event__organisation")
        .order_by("start", "id")
    )


def event_get(*, pk: int, viewer) -> Event:
    """One event the viewer may see, with its relations loaded (Http404 otherwise, drafts included for editors)."""
    events = (Event.objects.filter(visible_events_q(viewer)).select_related("organisation", "venue")
              .prefetch_related("audiences", "themes", "networks", "co_organisers"))
    try:
        return events.get(pk=pk)
    except Event.DoesNotExist as error:
        raise Http404 from error


def event_get_for(*, user, pk: int, perm: str) -> Event:
    """The event if the user may see it (Http404 otherwise) and holds `perm` on it (PermissionDenied otherwise)."""
    event = event_get(pk=pk, viewer=user)
    if not user.has_perm(perm, event):
        raise PermissionDenied
    return event


def organisation_events(*, organisation: Organisation, viewer) -> QuerySet[Event]:
    """The organisation's events the viewer may see, drafts included for its editors, latest first."""
    return (Event.objects.filter(visible_events_q(viewer), organisation=organisation)
            .select_related("organisation").order_by("-start", "-id"))


def event_feed(*, viewer, filters: EventFilters | None = None) -> QuerySet[Event]:
    """event_list with everything an export writes loaded: venue, concepts, networks, co-organisers."""
    return (event_list(viewer=viewer, filters=filters).select_related("venue")
            .prefetch_related("audiences", "themes", "networks", "co_organisers"))
