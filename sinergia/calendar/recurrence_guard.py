"""Bounds on walking an RFC 5545 repetition rule with dateutil, shared by the iCalendar reader and the occurrences.

dateutil finds a rule's next instance by walking its periods one by one and stops only at an instance or after the
year 9999: a rule that never matches again (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30) walks day by day for eight thousand
years, and one with thousands of BYSETPOS values scans each period thousands of times. So:

- `walk_cost` estimates, before any walk, the candidates a rule goes through from its start to the end of a window
  and past it; callers refuse the rules, and the files, that would cost too much;
- `bounded_instances` walks a rule in a later stretch of years with the very same calendar (leap years and weekdays,
  so the same instances), chosen so that once past the window the walk meets the year 9999 within a few decades.
"""

import calendar
from collections.abc import Iterator
from datetime import MAXYEAR, UTC, date, datetime
from functools import lru_cache

import icalendar
from dateutil.rrule import rrule as RRule

__all__ = ["bounded_instances", "cycle_shift", "may_skip", "rrule_steps", "walk_cost"]

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
# Parts every period satisfies, the rule's start filling in what they leave open.
_FILLING_PARTS = frozenset({"FREQ", "INTERVAL", "COUNT", "UNTIL", "WKST"})
# Times of day add instances to a day (or longer) period; they only filter shorter ones.
_TIME_PARTS = frozenset({"BYHOUR", "BYMINUTE", "BYSECOND"})
_DAY_OR_LONGER = frozenset({"DAILY", "WEEKLY", "MONTHLY", "YEARLY"})
_WEEKDAYS = frozenset({"MO", "TU", "WE", "TH", "FR", "SA", "SU"})
# The most values a list part can hold without repeating one (BYSETPOS and BYYEARDAY: ±366; BYDAY: ±53 of each
# weekday and the plain ones); dateutil keeps repeated BYSETPOS and BYMONTHDAY values and scans them all.
_MAX_PART_VALUES = 7 * 107


def rrule_steps(rule: icalendar.vRecur, start: date, until: datetime) -> float:
    """An upper estimate of the candidates dateutil walks from DTSTART to `until` for this rule."""
    freq = _freq(rule)
    periods = _periods(rule, freq, (until - _aware(start)).total_seconds())
    count = rule.get("COUNT")
    if count and not may_skip(rule):
        # COUNT ends the walk early only when every period has an instance to count.
        periods = min(periods, float(count[0]))
    return periods * _per_period(rule, freq)


def walk_cost(rule: icalendar.vRecur, start: date, until: datetime) -> float:
    """`rrule_steps`, plus for a rule that may skip periods the walk past `until` that `bounded_instances` allows."""
    steps = rrule_steps(rule, start, until)
    if not may_skip(rule):
        return steps
    freq = _freq(rule)
    years = MAXYEAR - until.year - cycle_shift(_aware(start).year, until.year) + 1
    return steps + _periods(rule, freq, years * 366 * 86400.0) * _per_period(rule, freq)


def may_skip(rule: icalendar.vRecur) -> bool:
    """Whether some periods of the rule can have no instance, so that the walk to the next one can be long."""
    freq = _freq(rule)
    parts = set(rule) - _FILLING_PARTS
    if freq in _DAY_OR_LONGER:
        parts -= _TIME_PARTS
    if freq == "YEARLY":
        parts.discard("BYMONTH")  # it picks months of every year
    daily_by_weekday = freq == "DAILY" and _interval(rule) == 1  # every n days (n > 1) may never be a Monday
    if parts == {"BYDAY"} and (daily_by_weekday or freq in ("WEEKLY", "MONTHLY", "YEARLY")):
        # Plain weekdays come every week; the first to fourth (or last to fourth-last) of one, every month.
        return not all(abs(_ordinal(day)) <= (4 if freq in ("MONTHLY", "YEARLY") else 0) for day in rule["BYDAY"])
    if parts == {"BYMONTHDAY"} and freq in ("MONTHLY", "YEARLY"):
        return not all(1 <= abs(int(day)) <= 28 for day in rule["BYMONTHDAY"])  # days every month has
    return bool(parts)


def _ordinal(day: object) -> int:
    """The n of an "nMO" BYDAY value (0 for a plain weekday)."""
    text = str(day).strip().upper()
    if text[-2:] not in _WEEKDAYS:
        raise ValueError(text)
    return int(text[:-2] or 0)


def bounded_instances(rule: RRule, *, last: date) -> Iterator[datetime]:
    """The rule's instances in order (its UNTIL and COUNT applied), walked where, once past `last`, the walk to the
    next instance ends within a few decades even if the rule never matches again."""
    # dateutil keeps the start, the end and its own extensions only as private attributes.
    first, until = rule._dtstart, rule._until
    if rule._byeaster:
        raise ValueError("BYEASTER is not RFC 5545, and Easter does not repeat with the calendar.")
    shift = cycle_shift(first.year, last.year)
    zone = first.tzinfo
    walked = iter(rule.replace(dtstart=_moved(first.replace(tzinfo=None), shift), until=None))
    while True:
        try:
            moved = next(walked)
        except StopIteration:
            return
        except (ValueError, OverflowError) as error:
            if "out of range" not in str(error):
                raise
            return  # dateutil stepped past the year 9999 as its walk ended, which is always past `last`
        value = _moved(moved, -shift).replace(tzinfo=zone)
        if until is not None and value > until:
            return
        yield value


@lru_cache(maxsize=4096)
def cycle_shift(first_year: int, last_year: int) -> int:
    """The most years a walk over first_year..last_year can move forward to, staying clear of 9999, with every year
    (and the one either side) keeping its calendar: a multiple of 400 years always does; a few decades often do."""
    years = range(max(first_year - 1, 1), last_year + 2)
    for shift in range(MAXYEAR - 1 - last_year, 0, -1):
        if all(_year_kind(year) == _year_kind(year + shift) for year in years):
            return shift
    return 0


def _year_kind(year: int) -> tuple[bool, int]:
    return calendar.isleap(year), date(year, 1, 1).weekday()


def _moved(value: datetime, years: int) -> datetime:
    return value.replace(year=value.year + years) if years else value


def _freq(rule: icalendar.vRecur) -> str:
    freq = str((rule.get("FREQ") or [""])[0]).upper()
    if freq not in _FREQ_SECONDS:
        raise ValueError(freq)
    return freq


def _aware(start: date) -> datetime:
    first = start if isinstance(start, datetime) else datetime(start.year, start.month, start.day, tzinfo=UTC)
    return first if first.tzinfo else first.replace(tzinfo=UTC)


def _interval(rule: icalendar.vRecur) -> int:
    return max(int((rule.get("INTERVAL") or [1])[0] or 1), 1)


def _periods(rule: icalendar.vRecur, freq: str, seconds: float) -> float:
    """How many periods of the rule start within that many seconds (at least one)."""
    return (max(seconds, 0) + 86400) / (_FREQ_SECONDS[freq] * _interval(rule)) + 1


def _per_period(rule: icalendar.vRecur, freq: str) -> float:
    """How many candidates one period of the rule can expand to (BYxxx lists multiply; BYSETPOS rescans them)."""
    if any(len(values) > _MAX_PART_VALUES for values in rule.values() if isinstance(values, list)):
        raise ValueError("A part of the rule repeats its values.")
    size = 1.0
    for part in ("BYHOUR", "BYMINUTE", "BYSECOND", "BYMONTH"):
        size *= max(len(rule.get(part) or []), 1)
    if any(rule.get(part) for part in _DAY_PARTS):
        size *= _PERIOD_DAYS.get(freq, 1)
    return size * (1 + len(rule.get("BYSETPOS") or []))
