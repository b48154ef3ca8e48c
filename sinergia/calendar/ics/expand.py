"""Bounded expansion of one event's occurrences with recurring-ical-events."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

import icalendar
from recurring_ical_events import CalendarQuery

from sinergia.calendar.ics.limits import IcsLimits
from sinergia.calendar.ics.zones import to_utc

_FREQ_SECONDS = {
    "SECONDLY": 1,
    "MINUTELY": 60,
    "HOURLY": 3600,
    "DAILY": 86400,
    "WEEKLY": 7 * 86400,
    "MONTHLY": 31 * 86400,
    "YEARLY": 366 * 86400,
}
_PERIOD_DAYS = {"WEEKLY": 7, "MONTHLY": 31, "YEARLY": 366}
_DAY_PARTS = ("BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO")


@dataclass(frozen=True)
class Expansion:
    """The occurrences found in the window, and whether a bound cut them."""

    occurrences: tuple[tuple[date, date], ...]
    truncated: bool


def rrule_steps(rule: icalendar.vRecur, start: date, until: datetime) -> float:
    """An upper estimate of the candidate instants dateutil walks from DTSTART to `until` for this rule."""
    freq = str((rule.get("FREQ") or [""])[0]).upper()
    if freq not in _FREQ_SECONDS:
        raise ValueError(freq)
    interval = max(int((rule.get("INTERVAL") or [1])[0] or 1), 1)
    first = start if isinstance(start, datetime) else datetime(start.year, start.month, start.day, tzinfo=UTC)
    first = first if first.tzinfo else first.replace(tzinfo=UTC)
    span = max((until - first).total_seconds(), 0) + 86400
    periods = span / (_FREQ_SECONDS[freq] * interval) + 1
    count = rule.get("COUNT")
    if count:
        periods = min(periods, float(count[0]))
    return periods * _per_period(rule, freq)


def _per_period(rule: icalendar.vRecur, freq: str) -> float:
    """How many candidates one period of the rule can expand to (BYxxx lists multiply)."""
    size = 1.0
    for part in ("BYHOUR", "BYMINUTE", "BYSECOND", "BYMONTH"):
        size *= max(len(rule.get(part) or []), 1)
    if any(rule.get(part) for part in _DAY_PARTS):
        size *= _PERIOD_DAYS.get(freq, 1)
    return size


def expand(components: list, *, local: tzinfo, window: tuple[datetime, datetime], limit: int) -> Expansion:
    """The (start, end) pairs of the series in the window, at most `limit` of them, in UTC or dates."""
    calendar = icalendar.Calendar()
    for component in components:
        calendar.add_component(component)
    starts: list[tuple[date, date]] = []
    for series in CalendarQuery(calendar).series:
        span = _span_for(series_start(series), local, window)
        for occurrence in series.between(*span):
            starts.append((to_utc(occurrence.start, local), to_utc(occurrence.end, local)))
            if len(starts) > 4 * limit + 16:
                break
    starts.sort(key=_sort_key)
    return Expansion(tuple(starts[:limit]), len(starts) > limit)


def series_start(series) -> date:
    """The start of a series' core component (or of its first modification when it has no core)."""
    return series.components[0].start


def _span_for(start: date, local: tzinfo, window: tuple[datetime, datetime]) -> tuple[date, date]:
    """The window in the terms the series compares with: aware for zoned times, local wall time otherwise."""
    if isinstance(start, datetime) and start.tzinfo is not None:
        return window
    return (window[0].astimezone(local).replace(tzinfo=None), window[1].astimezone(local).replace(tzinfo=None))


def _sort_key(pair: tuple[date, date]) -> datetime:
    value = pair[0]
    if isinstance(value, datetime):
        return value
    return datetime(value.year, value.month, value.day, tzinfo=UTC)


def horizon_end(window: tuple[datetime, datetime], limits: IcsLimits) -> datetime:
    """The end of the window, pulled in to the horizon the limits allow."""
    try:
        return min(window[1], window[0] + timedelta(days=limits.max_horizon_days))
    except OverflowError:
        return window[1]
