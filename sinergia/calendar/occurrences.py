"""When an event happens: its occurrences in a window, expanded from its RFC 5545 recurrence and always bounded.

Stored events keep their recurrence as RFC 5545 text and JSON lists:

- `rrule`: one RRULE value per line (imported events may carry several), without the "RRULE:" prefix;
- `rdates`, `exdates`: ISO 8601 strings, an aware UTC datetime ("2026-03-20T09:00:00+00:00") for timed events or a
  date ("2026-03-20") for all-day ones (naive datetimes are read as wall time in the event's zone);
- `overrides`: the instances a RECURRENCE-ID component moved, changed or cancelled, each a dict with the keys of
  `OVERRIDE_KEYS` (see `override_json`): "recurrence_id", "start", "end" as ISO strings like the dates above,
  "status" ("confirmed", "tentative" or "cancelled") and "summary".

Expansion runs in the event's local wall time (so 14:00 stays 14:00 across daylight-saving changes) and returns
aware UTC datetimes; an all-day span runs from local midnight to local midnight.
"""

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrulestr
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone as django_timezone
from django.utils.translation import gettext as _

from sinergia.calendar.ics.expand import Expansion
from sinergia.calendar.ics.limits import DEFAULT_LIMITS
from sinergia.calendar.ics.results import IcsOverride
from sinergia.calendar.ics.zones import iana_zone
from sinergia.calendar.recurrence_guard import bounded_instances, walk_cost

__all__ = [
    "OVERRIDE_KEYS", "Spans", "event_spans", "horizon", "moment_json", "override_json", "plan_spans",
    "validate_rrule",
]

OVERRIDE_KEYS = ("recurrence_id", "start", "end", "status", "summary")
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
RULE_PARTS = frozenset({"FREQ", "UNTIL", "COUNT", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO",
                        "BYMONTH", "BYSETPOS", "WKST"})
MAX_INTERVAL = 999
# The absolute values each numeric BYxxx part may take (RFC 5545, 3.3.10); 0 is never allowed.
PART_RANGES = {"BYMONTHDAY": 31, "BYYEARDAY": 366, "BYWEEKNO": 53, "BYMONTH": 12, "BYSETPOS": 366}
MAX_RULE_CHARS = 500
# The candidates a rule may walk, from its start to the end of the window and past it (`walk_cost`), before it is
# left unexpanded.
MAX_RRULE_STEPS = DEFAULT_LIMITS.max_rrule_steps
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
SHAPE_PARTS = frozenset({"FREQ", "INTERVAL", "COUNT", "UNTIL", "WKST", "BYDAY"})
DAY = timedelta(days=1)


@dataclass(frozen=True)
class Spans(Expansion):
    """Occurrences as (start, end) aware UTC pairs, sorted, and the starts of those cancelled one by one."""

    cancelled: frozenset[datetime] = frozenset()


@dataclass(frozen=True)
class _Series:
    """The first instance in local wall time, how long each lasts on the wall clock, and the zone."""

    zone: ZoneInfo
    first: datetime
    length: timedelta
    all_day: bool


# --- Public API ---------------------------------------------------------------------------------------------------


def horizon(now: datetime | None = None) -> tuple[datetime, datetime]:
    """The rolling window of materialised occurrences: HISTORY months back to HORIZON months ahead."""
    now = now or django_timezone.now()
    return (now - relativedelta(months=settings.CALENDAR_HISTORY_MONTHS),
            now + relativedelta(months=settings.CALENDAR_HORIZON_MONTHS))


def plan_spans(*, start: datetime | date, end: datetime | date, all_day: bool, timezone: str, rrule: str = "",
               rdates: Iterable[Any] = (), exdates: Iterable[Any] = (), overrides: Iterable[Mapping] = (),
               window: tuple[datetime, datetime], limit: int) -> Spans:
    """The occurrences of a planned or stored event overlapping the window, at most `limit`; bounded for any rule."""
    series = _series(start, end, all_day, timezone)
    walk = (_local(window[0], series.zone) - DAY, _local(window[1], series.zone) + DAY)
    moved = [parsed for item in overrides if (parsed := _override(item, series)) is not None]
    excluded = {moment for value in exdates if (moment := _local_moment(value, series)) is not None}
    cap = limit + 1 + len(excluded) + len(moved)
    starts, cut = _rule_starts(rrule, series, walk, cap)
    starts += [series.first, *(m for value in rdates if (m := _local_moment(value, series)) is not None)]
    found = {local: (local + series.length, False) for local in starts if local not in excluded}
    for recurrence_id, local_start, local_end, cancelled in moved:
        found.pop(recurrence_id, None)
        found[local_start] = (local_end, cancelled)
    return _in_window(found, series.zone, window, limit, cut)


def event_spans(event: Any, *, window: tuple[datetime, datetime], limit: int | None = None) -> Spans:
    """The occurrences of a stored event (or any record with an event's date fields) overlapping the window."""
    return plan_spans(start=event.start, end=event.end, all_day=event.all_day, timezone=event.timezone,
                      rrule=event.rrule, rdates=event.rdates or (), exdates=event.exdates or (),
                      overrides=event.overrides or (), window=window,
                      limit=settings.CALENDAR_MAX_OCCURRENCES_PER_EVENT if limit is None else limit)


def validate_rrule(value: str) -> str:
    """The rule in normal RFC 5545 form, or a ValidationError on "rrule" saying what is wrong with it."""
    text = (value or "").strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:].strip()
    if "DTSTART" in text.upper() or "\n" in text:
        raise _rule_error(_("Give only the repetition rule (RRULE), without a start date (DTSTART) or other lines."))
    if len(text) > MAX_RULE_CHARS:
        raise _rule_error(_("The repetition rule is too long (at most %(limit)d characters).")
                          % {"limit": MAX_RULE_CHARS})
    recur = _parse_rule(text)
    _check_parts(recur)
    _check_ends(recur)
    normal = recur.to_ical().decode()
    try:
        rrulestr(_rule_parts(normal)[1], dtstart=datetime(2000, 1, 1), forceset=False)
    except (ValueError, TypeError, OverflowError) as error:
        raise _rule_error(_("The repetition rule is not valid.")) from error
    return normal


def moment_json(value: date) -> str:
    """A stored RDATE/EXDATE/override moment: a date as is, a datetime in UTC (naive ones are kept as wall time)."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).isoformat()
    return value.isoformat()


def override_json(override: IcsOverride) -> dict[str, str]:
    """The JSON object stored in `Event.overrides` for an imported RECURRENCE-ID override."""
    return {"recurrence_id": moment_json(override.recurrence_id), "start": moment_json(override.start),
            "end": moment_json(override.end), "status": override.status, "summary": override.summary}


# --- The series and its moments ------------------------------------------------------------------------------------


def _series(start: datetime | date, end: datetime | date, all_day: bool, timezone: str) -> _Series:
    zone = iana_zone(timezone) or iana_zone(settings.CALENDAR_DEFAULT_TIMEZONE) or ZoneInfo("UTC")
    first, last = _local_any(start, zone), _local_any(end, zone)
    if all_day:
        first = datetime.combine(first.date(), time.min)
        last = max(datetime.combine(last.date(), time.min), first + DAY)
    return _Series(zone=zone, first=first, length=max(last - first, timedelta(0)), all_day=all_day)


def _local(value: datetime, zone: ZoneInfo) -> datetime:
    """An aware instant as naive wall time in the zone."""
    return value.astimezone(zone).replace(tzinfo=None)


def _local_any(value: datetime | date, zone: ZoneInfo) -> datetime:
    """Wall time in the zone: aware instants converted, naive ones kept, dates at midnight."""
    if not isinstance(value, datetime):
        return datetime.combine(value, time.min)
    return _local(value, zone) if value.tzinfo is not None else value


def _utc(local: datetime, zone: ZoneInfo) -> datetime:
    return local.replace(tzinfo=zone).astimezone(UTC)


def _parse_moment(value: Any) -> date | None:
    """A date or datetime from a stored ISO string (or an object already parsed); None when unreadable."""
    if isinstance(value, date):
        return value
    try:
        text = str(value).strip()
        return datetime.fromisoformat(text) if len(text) > 10 else date.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def _local_moment(value: Any, series: _Series) -> datetime | None:
    """An RDATE/EXDATE/RECURRENCE-ID as the local wall time of the instance it names (a date: that day's start)."""
    moment = _parse_moment(value)
    if moment is None:
        return None
    if not isinstance(moment, datetime):
        return datetime.combine(moment, time.min if series.all_day else series.first.time())
    local = _local_any(moment, series.zone)
    return datetime.combine(local.date(), time.min) if series.all_day else local


def _override(item: Mapping, series: _Series) -> tuple[datetime, datetime, datetime, bool] | None:
    """(recurrence id, start, end, cancelled) in local wall time, or None when the stored override is unreadable."""
    if not isinstance(item, Mapping):
        return None
    recurrence_id = _local_moment(item.get("recurrence_id"), series)
    start, end = _parse_moment(item.get("start")), _parse_moment(item.get("end"))
    if recurrence_id is None or start is None:
        return None
    local_start = _local_any(start, series.zone)
    local_end = _local_any(end, series.zone) if end is not None else local_start + series.length
    return recurrence_id, local_start, max(local_end, local_start), item.get("status") == "cancelled"


def _in_window(found: dict[datetime, tuple[datetime, bool]], zone: ZoneInfo, window: tuple[datetime, datetime],
               limit: int, cut: bool) -> Spans:
    """The spans that overlap the window (an instant counts at its moment), in UTC, sorted and cut at `limit`."""
    spans: list[tuple[datetime, datetime, bool]] = []
    for local_start, (local_end, cancelled) in found.items():
        start, end = _utc(local_start, zone), _utc(local_end, zone)
        if end < start:  # a start in a spring-forward gap: the wall-clock length from the instant after it
            end = start + (local_end - local_start)
        if start < window[1] and (end > window[0] or start >= window[0]):
            spans.append((start, end, cancelled))
    spans.sort()
    kept = spans[:limit]
    return Spans(occurrences=tuple((start, end) for start, end, _cancelled in kept),
                 truncated=cut or len(spans) > limit,
                 cancelled=frozenset(start for start, _end, cancelled in kept if cancelled))


# --- Rules ---------------------------------------------------------------------------------------------------------


def _rule_starts(text: str, series: _Series, walk: tuple[datetime, datetime], cap: int) -> tuple[list, bool]:
    """Local starts of every rule line within the walk window (at most `cap` each), and whether any was cut."""
    starts: list[datetime] = []
    cut = False
    for line in (part.strip() for part in (text or "").splitlines()):
        if line:
            found, more = _one_rule(line, series, walk, cap)
            starts += found
            cut = cut or more
    return starts, cut


def _one_rule(line: str, series: _Series, walk: tuple[datetime, datetime], cap: int) -> tuple[list[datetime], bool]:
    """The rule's instances in the walk window; an unreadable or too costly rule is left out and reported as cut."""
    if series.first > walk[1]:
        return [], False
    try:
        recur, bare, shape = _rule_parts(line.removeprefix("RRULE:"))
        until = _until(recur, series)
        stop, after = (min(walk[1], until) if until else walk[1]), walk[0] - series.length
        if shape is not None:
            return _step(shape, series.first, stop, after, cap)
        # The whole walk, past the window too (where a rule that never matches again walks on), is bounded.
        if walk_cost(recur, series.first, _utc(walk[1], series.zone)) > MAX_RRULE_STEPS:
            return [], True
        rule = rrulestr(bare, dtstart=series.first, forceset=False)
        return _walk(bounded_instances(rule, last=walk[1]), stop, after, cap)
    except (ValueError, TypeError, OverflowError, KeyError, AttributeError):
        return [], True


def _walk(instances: Iterable[datetime], stop: datetime, after: datetime, cap: int) -> tuple[list[datetime], bool]:
    """Iterate the instances until `stop`; `bounded_instances` then walks at most a few decades past the window."""
    found: list[datetime] = []
    for value in instances:
        if value > stop:
            return found, False
        if value > after:
            found.append(value)
            if len(found) >= cap:
                return found, True
    return found, False


@dataclass(frozen=True)
class _Shape:
    """A rule that repeats the same days every period (DAILY, or WEEKLY on plain weekdays), so its instances are
    computed by arithmetic, straight from the window, instead of walked from the first one."""

    days: int
    weekly: bool
    weekdays: tuple[int, ...]
    wkst: int
    count: int | None


@lru_cache(maxsize=1024)
def _rule_parts(text: str) -> tuple[icalendar.vRecur, str, _Shape | None]:
    """The parsed rule, its text without UNTIL (applied by the walk, in the event's wall time), and its shape."""
    recur = icalendar.vRecur.from_ical(text)
    if not recur.get("FREQ"):
        raise ValueError(text)
    bare = icalendar.vRecur({key: value for key, value in recur.items() if key != "UNTIL"})
    return recur, bare.to_ical().decode(), _shape(recur)


def _shape(recur: icalendar.vRecur) -> _Shape | None:
    freq = str(recur["FREQ"][0]).upper()
    byday = [str(day).upper() for day in recur.get("BYDAY") or []]
    weekly = freq == "WEEKLY" and all(day in WEEKDAYS for day in byday)
    if not ((freq == "DAILY" and not byday) or weekly) or set(recur) - SHAPE_PARTS:
        return None
    interval = int(str((recur.get("INTERVAL") or [1])[0]))
    count = recur.get("COUNT")
    return _Shape(days=interval * (7 if weekly else 1), weekly=weekly,
                  weekdays=tuple(WEEKDAYS.index(day) for day in byday),
                  wkst=WEEKDAYS.index(str((recur.get("WKST") or ["MO"])[0]).upper()),
                  count=int(str(count[0])) if count else None)


def _step(shape: _Shape, first: datetime, stop: datetime, after: datetime, cap: int) -> tuple[list[datetime], bool]:
    """The instances in (after, stop] of a shaped rule, jumping over the periods before the window."""
    if shape.weekly:
        base = first - timedelta(days=(first.weekday() - shape.wkst) % 7)
        offsets = sorted({timedelta(days=(day - shape.wkst) % 7) for day in shape.weekdays or (first.weekday(),)})
    else:
        base, offsets = first, [timedelta(0)]
    period = timedelta(days=shape.days)
    skipped = max((after - base) // period, 0)
    # COUNT counts from the first instance: those of the skipped periods count too.
    index = sum(base + offset >= first for offset in offsets) + (skipped - 1) * len(offsets) if skipped else 0
    found: list[datetime] = []
    for number in itertools.count(skipped):
        for offset in offsets:
            value = base + number * period + offset
            if value < first:
                continue
            if value > stop or (shape.count is not None and index >= shape.count):
                return found, False
            index += 1
            if value > after:
                found.append(value)
                if len(found) >= cap:
                    return found, True
    return found, False


def _until(recur: icalendar.vRecur, series: _Series) -> datetime | None:
    """UNTIL as local wall time; a date includes its whole day."""
    values = recur.get("UNTIL")
    if not values:
        return None
    value = values[0]
    if not isinstance(value, datetime):
        return datetime.combine(value, time.max)
    return _local_any(value, series.zone)


# --- Validation of a rule typed by a person -------------------------------------------------------------------------


def _rule_error(message: str) -> ValidationError:
    return ValidationError({"rrule": message})


def _parse_rule(text: str) -> icalendar.vRecur:
    try:
        recur = icalendar.vRecur.from_ical(text)
    except (ValueError, TypeError, KeyError) as error:
        raise _rule_error(_("The repetition rule is not valid: %(error)s") % {"error": str(error)[:200]}) from error
    if not recur:
        raise _rule_error(_("The repetition rule is not valid."))
    return recur


def _check_parts(recur: icalendar.vRecur) -> None:
    unknown = sorted(set(recur) - RULE_PARTS)
    if unknown:
        raise _rule_error(_("The repetition rule uses parts that are not supported here: %(parts)s.")
                          % {"parts": ", ".join(unknown)})
    freq = str((recur.get("FREQ") or [""])[0]).upper()
    if freq not in FREQUENCIES:
        raise _rule_error(_("The event can repeat daily, weekly, monthly or yearly (FREQ=DAILY, WEEKLY, MONTHLY "
                            "or YEARLY)."))
    if not 1 <= _number(recur.get("INTERVAL") or [1], "INTERVAL") <= MAX_INTERVAL:
        raise _rule_error(_("The interval must be between 1 and %(max)d.") % {"max": MAX_INTERVAL})
    for part, bound in PART_RANGES.items():
        for value in recur.get(part) or []:
            if not 1 <= abs(_number([value], part)) <= bound:
                raise _rule_error(_("%(part)s takes values from 1 to %(max)d (or −1 to −%(max)d).")
                                  % {"part": part, "max": bound})


def _number(values: list, part: str) -> int:
    try:
        return int(str(values[0]))
    except (TypeError, ValueError) as error:
        raise _rule_error(_("%(part)s must be a whole number.") % {"part": part}) from error


def _check_ends(recur: icalendar.vRecur) -> None:
    """COUNT within the per-event bound, UNTIL within the years the calendar accepts, never both."""
    count, until = recur.get("COUNT"), recur.get("UNTIL")
    if count and until:
        raise _rule_error(_("End the repetition either after a number of times (COUNT) or on a date (UNTIL), not "
                            "both."))
    limit = settings.CALENDAR_MAX_OCCURRENCES_PER_EVENT
    if count and not 1 <= _number(count, "COUNT") <= limit:
        raise _rule_error(_("The event can repeat at most %(limit)d times.") % {"limit": limit})
    bounds = (DEFAULT_LIMITS.min_year, DEFAULT_LIMITS.max_year)
    if until and not bounds[0] <= until[0].year <= bounds[1]:
        raise _rule_error(_("The repetition must end between the years %(min)d and %(max)d.")
                          % {"min": bounds[0], "max": bounds[1]})
