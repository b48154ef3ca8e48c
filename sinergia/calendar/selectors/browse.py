"""Reads for the browsing pages: a bounded sample of each day's occurrences, an event's next ones, names.

A region's month can hold thousands of occurrences; a grid lists a handful per day. The database ranks the short
occurrences within their local day and returns only the ids of the first few of each with the day's total (a narrow
query), then those few are loaded in full. Long ones (exhibitions) span many days and come apart, bounded.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from itertools import pairwise

from django.db import connections
from django.db.models import Case, Count, DateField, F, Func, QuerySet, When, Window
from django.db.models.functions import RowNumber, TruncDate

from sinergia.calendar.filters import EventFilters
from sinergia.calendar.models import Event, Occurrence
from sinergia.directory.models import Organisation
from sinergia.networks.models import Network

# Long occurrences listed at most on one grid; a day's cell shows only the first few anyway.
LONG_LIMIT = 200
# What a grid cell never shows, left in the database.
HEAVY_FIELDS = ("event__description", "event__accessibility", "event__overrides", "event__rdates", "event__exdates",
                "event__organisation__description")
# All that the grid, the list and their templates read of an occurrence (`calendar/_occurrence.html`): a hundred
# and fifty occurrences of a month with every field of their events and organisations cost a third of the page.
# A template that reads another field makes a query per occurrence, which the views' query counts would show.
LISTED_FIELDS = ("id", "event_id", "start", "end", "all_day", "is_long", "cancelled", "event__title",
                 "event__category", "event__is_free", "event__place_name", "event__locality", "event__timezone",
                 "event__organisation__name")


@dataclass(frozen=True)
class DaySample:
    """The occurrences a grid lists, and per local day how many short ones exist beyond them."""

    occurrences: list[Occurrence]
    unlisted: dict[date, int]


def occurrences_by_day(*, occurrences: QuerySet[Occurrence], zone: tzinfo, start: datetime, end: datetime,
                       per_day: int, long_limit: int = LONG_LIMIT,
                       long_occurrences: QuerySet[Occurrence] | None = None) -> DaySample:
    """The first `per_day` short occurrences of each local day of `occurrences` (overlapping [start, end)), plus up
    to `long_limit` long ones, in full; `unlisted` counts per day the short ones left out. Three queries.

    `long_occurrences` are the long ones when the caller can ask for them apart (`occurrence_list(length="long")`:
    their own index, without reading the range of the short ones again); else the long ones of `occurrences`.
    """
    day = _local_date(occurrences.db, zone, start, end)
    ranked = list(
        occurrences.filter(is_long=False).order_by().annotate(
            day=day,
            rank=Window(RowNumber(), partition_by=[day], order_by=[F("start").asc(), F("id").asc()]),
            day_total=Window(Count("id"), partition_by=[day]),
        ).filter(rank__lte=per_day).values_list("id", "day", "day_total")
    )
    unlisted: dict[date, int] = {}
    for _id, local_day, total in ranked:
        unlisted[local_day] = unlisted.get(local_day, int(total or 0)) - 1
    listed = Occurrence.objects.filter(pk__in=[row[0] for row in ranked]).select_related("event", "event__organisation")
    short = list(listed.only(*LISTED_FIELDS)) if ranked else []
    longer = occurrences.filter(is_long=True) if long_occurrences is None else long_occurrences
    long = list(longer.only(*LISTED_FIELDS)[:long_limit])
    return DaySample(occurrences=sorted(long + short, key=lambda o: (o.start, o.id)),
                     unlisted={key: value for key, value in unlisted.items() if value > 0})


class _ShiftedDate(Func):
    """SQLite: the date of a stored UTC moment moved by a number of seconds, with SQLite's own date()."""

    output_field = DateField()

    def __init__(self, expression, seconds: int) -> None:
        super().__init__(expression)
        self.seconds = int(seconds)

    def as_sqlite(self, compiler, connection, **extra_context):
        template = f"date(%(expressions)s, '{self.seconds:+d} seconds')"
        return super().as_sql(compiler, connection, template=template, **extra_context)


def _local_date(alias: str, zone: tzinfo, start: datetime, end: datetime):
    """An occurrence's local start date in `zone`, as SQL that each database computes fast.

    PostgreSQL converts natively. SQLite would call back into Python for every row, so there it is the stored UTC
    moment shifted by the zone's offset, which changes at most at the few daylight-saving switches of the range.
    """
    if connections[alias].vendor != "sqlite":
        return TruncDate("start", tzinfo=zone)
    shifts = zone_shifts(zone, start - timedelta(days=1), end)
    cases = [When(start__lt=until, then=_ShiftedDate(F("start"), seconds))
             for (_since, seconds), (until, _next) in pairwise(shifts)]
    last = _ShiftedDate(F("start"), shifts[-1][1])
    return Case(*cases, default=last, output_field=DateField()) if cases else last


def zone_shifts(zone: tzinfo, start: datetime, end: datetime) -> list[tuple[datetime, int]]:
    """The UTC offsets of `zone` (in seconds) from `start` to `end`, each from the instant it applies."""
    shifts = [(start, _offset(zone, start))]
    probe = start
    while probe < end:
        step = min(probe + timedelta(days=1), end)
        if _offset(zone, step) != shifts[-1][1]:
            switch = _first_second_with_new_offset(zone, probe, step, shifts[-1][1])
            shifts.append((switch, _offset(zone, switch)))
        probe = step
    return shifts


def _first_second_with_new_offset(zone: tzinfo, low: datetime, high: datetime, old: int) -> datetime:
    """Between `low` (old offset) and `high` (a new one), the first whole second with the new offset."""
    before, after = 0, int((high - low).total_seconds())
    while after - before > 1:
        middle = (before + after) // 2
        if _offset(zone, low + timedelta(seconds=middle)) == old:
            before = middle
        else:
            after = middle
    return low + timedelta(seconds=after)


def _offset(zone: tzinfo, moment: datetime) -> int:
    return int(moment.astimezone(zone).utcoffset().total_seconds())  # type: ignore[union-attr]


def event_upcoming(*, event: Event, now: datetime, limit: int) -> tuple[list[Occurrence], int]:
    """The event's occurrences not yet over (cancelled ones included, marked), the first `limit`, and their number."""
    upcoming = event.occurrences.filter(end__gt=now).order_by("start", "id")
    shown = list(upcoming[:limit])
    return shown, (len(shown) if len(shown) < limit else upcoming.count())


@dataclass(frozen=True)
class CalendarSubject:
    """What a filtered calendar is the calendar of: a network or an organisation (names, by their slug)."""

    network: str = ""
    organisation: str = ""


def calendar_subject(*, filters: EventFilters) -> CalendarSubject:
    """The names of the listed network and organisation the filters name (a query for each one named)."""
    network: str | None = None
    organisation: str | None = None
    if filters.network:
        network = Network.objects.filter(slug=filters.network, is_active=True).values_list("name", flat=True).first()
    if filters.organisation:
        organisation = (Organisation.objects.filter(slug=filters.organisation, is_active=True)
                        .values_list("name", flat=True).first())
    return CalendarSubject(network=network or "", organisation=organisation or "")
