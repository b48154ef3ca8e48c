"""Month and week grids of the calendar: weeks of days, each with what happens on it. Pure: no queries.

A grid starts on the locale's first weekday and covers whole weeks. Each day lists at most `per_day` entries
(multi-day and all-day ones first, then by start time) and knows how many there are in all, so a page can say
"+3 more" instead of rendering a crowded day in full. Items longer than a few days (a three-month exhibition) are
listed once, as "ongoing", rather than in every cell, where they would crowd out the day's own events.
"""

import calendar
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from typing import Any, Protocol

from django.conf import settings
from django.utils import formats

from sinergia.calendar.ics.zones import iana_zone

WEEK = 7
# Items covering more local days than this are "ongoing": listed once above the grid, not in each day.
MAX_SPREAD_DAYS = 3
MIN_YEAR, MAX_YEAR = 1900, 2100


class Timed(Protocol):
    """What the grid needs of an occurrence."""

    @property
    def start(self) -> datetime: ...

    @property
    def end(self) -> datetime: ...

    @property
    def all_day(self) -> bool: ...


@dataclass(frozen=True)
class Entry:
    """An item on one day: when it starts that day (None if all day or begun earlier), whether it began earlier,
    and the last day it covers when that is a later one."""

    item: Any  # what was passed in: an occurrence
    starts_at: datetime | None
    continued: bool
    last_day: date | None = None


@dataclass
class Day:
    """One day of a grid with its first entries and the number of all its items."""

    date: date
    in_period: bool
    is_today: bool
    entries: list[Entry] = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        """How many items of the day are not listed."""
        return max(self.total - len(self.entries), 0)


@dataclass
class Grid:
    """Weeks of seven days, from the locale's first weekday."""

    weeks: list[list[Day]]
    weekdays: list[int]  # Python's numbers (Monday 0) in the order of the columns
    ongoing: list[Entry] = field(default_factory=list)  # long items overlapping the grid, by start

    @property
    def days(self) -> list[Day]:
        """All the days, in order."""
        return [day for week in self.weeks for day in week]


def locale_first_weekday() -> int:
    """The first day of the week in the active language, numbered as Python does (Monday 0)."""
    return (int(formats.get_format("FIRST_DAY_OF_WEEK")) - 1) % WEEK


@lru_cache(maxsize=128)
def zone_named(name: str) -> tzinfo:
    """The IANA time zone of that name, or the calendar's default one for a name that is not one."""
    return iana_zone(name) or iana_zone(settings.CALENDAR_DEFAULT_TIMEZONE) or UTC


def week_start(day: date, first_weekday: int) -> date:
    """The first day of the week that holds `day`."""
    return day - timedelta(days=(day.weekday() - first_weekday) % WEEK)


def month_span(month: date, first_weekday: int) -> tuple[date, date]:
    """The first and last day a month's grid shows: whole weeks around the month."""
    first = month.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return week_start(first, first_weekday), week_start(last, first_weekday) + timedelta(days=WEEK - 1)


def week_span(day: date, first_weekday: int) -> tuple[date, date]:
    """The first and last day of the week that holds `day`."""
    first = week_start(day, first_weekday)
    return first, first + timedelta(days=WEEK - 1)


def shift_month(month: date, months: int) -> date:
    """The first day of the month `months` away (negative: earlier)."""
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def parse_month(value: str | None) -> date | None:
    """The first day of a month written YYYY-MM, or None when the text is not one (years 1900-2100)."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        parsed = date(year, month, 1)
    except ValueError:
        return None
    return parsed if MIN_YEAR <= year <= MAX_YEAR else None


def parse_day(value: str | None) -> date | None:
    """A date written YYYY-MM-DD, or None when the text is not one (years 1900-2100)."""
    try:
        parsed = date.fromisoformat((value or "")[:10])
    except ValueError:
        return None
    return parsed if MIN_YEAR <= parsed.year <= MAX_YEAR else None


def local_days(item: Timed, *, zone: tzinfo) -> tuple[date, date]:
    """The first and last local day an item covers (its end is exclusive, as DTEND)."""
    first = item.start.astimezone(zone).date()
    last = (item.end - timedelta(microseconds=1)).astimezone(zone).date() if item.end > item.start else first
    return first, max(first, last)


def build_grid(*, first_day: date, last_day: date, items: Iterable[Timed], today: date, zone: tzinfo,
               period: tuple[date, date] | None = None, per_day: int, first_weekday: int,
               unlisted: Mapping[date, int] | None = None, zone_of: Callable[[Any], tzinfo] | None = None) -> Grid:
    """The grid from `first_day` to `last_day` (whole weeks) with each item on every day it covers.

    `zone` gives the local days of timed items; `zone_of` may give another one for all-day items (their own time
    zone, so that a day stays that day). `unlisted` adds, per day, items known to exist but not passed in.
    `period` marks the days that belong to what the page shows (the month); the others are shown dimmed.
    """
    placed: dict[date, list[Entry]] = defaultdict(list)
    ongoing: list[Entry] = []
    for item in items:
        local = zone_of(item) if (zone_of and item.all_day) else zone
        first, last = local_days(item, zone=local)
        if (last - first).days >= MAX_SPREAD_DAYS:
            ongoing.append(Entry(item=item, starts_at=None, continued=first < first_day, last_day=last))
            continue
        for offset in range(max((first_day - first).days, 0), (min(last, last_day) - first).days + 1):
            day = first + timedelta(days=offset)
            starts = item.start.astimezone(local) if offset == 0 and not item.all_day else None
            placed[day].append(Entry(item=item, starts_at=starts, continued=offset > 0,
                                     last_day=last if last > day else None))
    days = []
    in_period = period or (first_day, last_day)
    for offset in range((last_day - first_day).days + 1):
        day = first_day + timedelta(days=offset)
        entries = sorted(placed.get(day, []), key=_entry_order)
        days.append(Day(date=day, in_period=in_period[0] <= day <= in_period[1], is_today=day == today,
                        entries=entries[:per_day], total=len(entries) + (unlisted or {}).get(day, 0)))
    weekdays = [(first_weekday + index) % WEEK for index in range(WEEK)]
    return Grid(weeks=[days[index:index + WEEK] for index in range(0, len(days), WEEK)], weekdays=weekdays,
                ongoing=sorted(ongoing, key=lambda entry: entry.item.start))


def _entry_order(entry: Entry) -> tuple[int, datetime]:
    """Days and multi-day items first, then by the time they start."""
    return (0 if entry.starts_at is None else 1, entry.starts_at or entry.item.start)


@dataclass(frozen=True)
class Span:
    """A start and an end (exclusive) in one time zone, with the days a page names."""

    start: datetime
    end: datetime
    all_day: bool

    @property
    def last_day(self) -> date:
        """The last day it covers (for an all-day event, the day before its exclusive end)."""
        return (self.end - timedelta(microseconds=1)).date() if self.end > self.start else self.start.date()

    @property
    def one_day(self) -> bool:
        """Whether it starts and ends on the same local day."""
        return self.last_day == self.start.date()


def local_span(start: datetime, end: datetime, *, all_day: bool, zone: tzinfo) -> Span:
    """The span in the given time zone."""
    return Span(start=start.astimezone(zone), end=end.astimezone(zone), all_day=all_day)


def day_list(*, items: Iterable[Timed], first_day: date, today: date, zone: tzinfo,
             zone_of: Callable[[Any], tzinfo] | None = None) -> list[Day]:
    """Items (in order) grouped under the local day they start, those begun before `first_day` under it."""
    days: dict[date, Day] = {}
    for item in items:
        local = zone_of(item) if (zone_of and item.all_day) else zone
        first, last = local_days(item, zone=local)
        key = max(first, first_day)
        starts = item.start.astimezone(local) if key == first and not item.all_day else None
        day = days.setdefault(key, Day(date=key, in_period=True, is_today=key == today))
        day.entries.append(Entry(item=item, starts_at=starts, continued=key > first,
                                 last_day=last if last > key else None))
        day.total += 1
    return list(days.values())

