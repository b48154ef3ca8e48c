"""Bounded expansion of one event's occurrences with recurring-ical-events."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

import icalendar
from dateutil.rrule import rrule as RRule
from recurring_ical_events import CalendarQuery
from recurring_ical_events.selection.name import ComponentsWithName
from recurring_ical_events.series import Series

from sinergia.calendar.ics.limits import IcsLimits
from sinergia.calendar.ics.zones import to_utc
from sinergia.calendar.recurrence_guard import bounded_instances, rrule_steps

__all__ = ["Expansion", "expand", "horizon_end", "rrule_steps", "series_start"]


@dataclass(frozen=True)
class Expansion:
    """The occurrences found in the window, and whether a bound cut them."""

    occurrences: tuple[tuple[date, date], ...]
    truncated: bool


def expand(components: list, *, local: tzinfo, window: tuple[datetime, datetime], limit: int) -> Expansion:
    """The (start, end) pairs of the series in the window, at most `limit` of them, in UTC or dates."""
    calendar = icalendar.Calendar()
    for component in components:
        calendar.add_component(component)
    starts: list[tuple[date, date]] = []
    for series in CalendarQuery(calendar, components=[_BOUNDED_EVENTS]).series:
        span = _span_for(series_start(series), local, window)
        for occurrence in series.between(*span):
            starts.append(_utc_span(occurrence.start, occurrence.end, local))
            if len(starts) > 4 * limit + 16:
                break
    starts.sort(key=_sort_key)
    return Expansion(tuple(starts[:limit]), len(starts) > limit)


def _utc_span(start: date, end: date, local: tzinfo) -> tuple[date, date]:
    """An occurrence in UTC. One whose wall-clock start falls in a spring-forward gap starts at the instant after it
    and keeps its wall-clock length, instead of ending before it starts (as occurrences.plan_spans reads it)."""
    utc_start, utc_end = to_utc(start, local), to_utc(end, local)
    if isinstance(utc_start, datetime) and isinstance(utc_end, datetime) and utc_end < utc_start:
        utc_end = utc_start + (end - start)
    return utc_start, utc_end


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


class _BoundedRule:
    """A dateutil rule as recurring-ical-events uses it, walked through `bounded_instances`."""

    def __init__(self, rule: RRule):
        self.rule = rule
        self.until = getattr(rule, "until", None)  # the UNTIL recurring-ical-events noted on the rule
        self.string = getattr(rule, "string", "")

    def between(self, after: datetime, before: datetime, inc: bool = False) -> Iterator[datetime]:
        """The instances between the two moments, like dateutil's `rrule.between`, but lazily and bounded."""
        for value in bounded_instances(self.rule, last=before):
            if value > before or (value == before and not inc):
                return
            if value > after or (value == after and inc):
                yield value


class _BoundedSeries(Series):
    """recurring-ical-events' series, with every RRULE walked through `bounded_instances`."""

    class RecurrenceRules(Series.RecurrenceRules):
        def rrulestr(self, rule_string: str) -> RRule:
            rule = super().rrulestr(rule_string)
            if not isinstance(rule, RRule):
                raise ValueError(rule_string)
            return _BoundedRule(rule)  # type: ignore[return-value]


_BOUNDED_EVENTS = ComponentsWithName("VEVENT", series=_BoundedSeries)
