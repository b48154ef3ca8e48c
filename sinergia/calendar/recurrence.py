"""The editor's recurrence builder and RFC 5545 RRULE strings, in both directions; pure, no database.

The builder offers what editors ask for (every N days; every N weeks on chosen weekdays; every N months on a day
of the month or on the nth weekday; never ending, ending on a date or after N times). A rule it cannot show, for
example an imported YEARLY one, is kept as it is ("custom") so saving the form never changes it by accident.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = [
    "CUSTOM", "DAILY", "ENDS_AFTER", "ENDS_NEVER", "ENDS_ON", "MONTHLY", "MONTHLY_BY_DAY", "MONTHLY_BY_WEEKDAY",
    "NONE", "ORDINALS", "WEEKDAYS", "WEEKLY", "Recurrence", "build_rrule", "nth_weekday_of", "parse_rrule",
]

NONE, DAILY, WEEKLY, MONTHLY, CUSTOM = "", "DAILY", "WEEKLY", "MONTHLY", "CUSTOM"
ENDS_NEVER, ENDS_ON, ENDS_AFTER = "never", "on", "after"
MONTHLY_BY_DAY, MONTHLY_BY_WEEKDAY = "day", "weekday"
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# The nth weekday of a month: first to fourth, or the last one (-1).
ORDINALS = (1, 2, 3, 4, -1)
_BUILDER_PARTS = frozenset({"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "COUNT", "UNTIL", "WKST"})


@dataclass(frozen=True, kw_only=True)
class Recurrence:
    """The builder's fields. Empty choices (no weekday, no month day) mean "the start's own"."""

    frequency: str = NONE
    interval: int = 1
    weekdays: tuple[str, ...] = ()
    monthly_by: str = MONTHLY_BY_DAY
    month_day: int | None = None
    week_ordinal: int | None = None
    week_day: str = ""
    ends: str = ENDS_NEVER
    until: date | None = None
    count: int | None = None
    custom: str = ""


def nth_weekday_of(day: date) -> tuple[int, str]:
    """Which weekday of its month a date is: (1..4, "SA"), or (-1, "SA") when it is the last and the fifth."""
    ordinal = (day.day - 1) // 7 + 1
    if ordinal > 4:
        ordinal = -1
    return ordinal, WEEKDAYS[day.weekday()]


def build_rrule(recurrence: Recurrence, *, start: date, timezone: str, all_day: bool) -> str:
    """The RRULE (without "RRULE:") for the builder's fields and the event's first start; "" when it does not repeat.

    `start` is the first start (a date, or a local or aware datetime) and fills in the choices left empty. An end
    date is inclusive: a timed event's UNTIL is the last second of that day in the event's time zone, in UTC.
    """
    if recurrence.frequency == NONE:
        return ""
    if recurrence.frequency == CUSTOM:
        return recurrence.custom.strip().removeprefix("RRULE:")
    first = _local_day(start, timezone)
    parts = [f"FREQ={recurrence.frequency}"]
    if recurrence.interval > 1:
        parts.append(f"INTERVAL={recurrence.interval}")
    parts += _by_parts(recurrence, first)
    if recurrence.ends == ENDS_ON and recurrence.until is not None:
        parts.append(f"UNTIL={_until_text(recurrence.until, timezone, all_day)}")
    elif recurrence.ends == ENDS_AFTER and recurrence.count:
        parts.append(f"COUNT={recurrence.count}")
    return ";".join(parts)


def _local_day(start: date, timezone: str) -> date:
    if isinstance(start, datetime):
        return (start.astimezone(ZoneInfo(timezone)) if start.tzinfo else start).date()
    return start


def _by_parts(recurrence: Recurrence, first: date) -> list[str]:
    if recurrence.frequency == WEEKLY:
        chosen = set(recurrence.weekdays) or {WEEKDAYS[first.weekday()]}
        return [f"BYDAY={','.join(day for day in WEEKDAYS if day in chosen)}"]
    if recurrence.frequency == MONTHLY and recurrence.monthly_by == MONTHLY_BY_WEEKDAY:
        ordinal, weekday = nth_weekday_of(first)
        ordinal = recurrence.week_ordinal or ordinal
        return [f"BYDAY={ordinal}{recurrence.week_day or weekday}"]
    if recurrence.frequency == MONTHLY:
        return [f"BYMONTHDAY={recurrence.month_day or first.day}"]
    return []


def _until_text(until: date, timezone: str, all_day: bool) -> str:
    if all_day:
        return until.strftime("%Y%m%d")
    last_second = datetime.combine(until, time(23, 59, 59), tzinfo=ZoneInfo(timezone))
    return last_second.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def parse_rrule(rule: str, *, start: date, timezone: str) -> Recurrence:
    """The builder's fields for a stored rule; a rule the builder cannot show comes back as CUSTOM, unchanged.

    `start` is the event's first start (a date for all-day events, else a local or aware datetime): it tells
    which local day an UNTIL instant really ends on.
    """
    text = (rule or "").strip().removeprefix("RRULE:")
    if not text:
        return Recurrence()
    custom = Recurrence(frequency=CUSTOM, custom=text)
    parts = _parts(text)
    if parts is None or not parts.keys() <= _BUILDER_PARTS or parts.get("WKST", "MO") != "MO":
        return custom
    try:
        return _from_parts(parts, start, timezone) or custom
    except ValueError:
        return custom


def _parts(text: str) -> dict[str, str] | None:
    parts: dict[str, str] = {}
    for item in text.split(";"):
        name, equals, value = item.partition("=")
        name = name.strip().upper()
        if not equals or not name or name in parts:
            return None
        parts[name] = value.strip().upper()
    return parts


def _from_parts(parts: dict[str, str], start: date, timezone: str) -> Recurrence | None:
    frequency = parts.get("FREQ", "")
    interval = int(parts.get("INTERVAL", "1"))
    if frequency not in (DAILY, WEEKLY, MONTHLY) or not 1 <= interval <= 999 or {"COUNT", "UNTIL"} <= parts.keys():
        return None
    by = _by_from_parts(frequency, parts)
    if by is None:
        return None
    ends: dict = {"ends": ENDS_NEVER}
    if "COUNT" in parts:
        ends = {"ends": ENDS_AFTER, "count": int(parts["COUNT"])}
    elif "UNTIL" in parts:
        ends = {"ends": ENDS_ON, "until": _until_date(parts["UNTIL"], start, timezone)}
    return Recurrence(frequency=frequency, interval=interval, **by, **ends)


def _by_from_parts(frequency: str, parts: dict[str, str]) -> dict | None:
    byday, bymonthday = parts.get("BYDAY"), parts.get("BYMONTHDAY")
    if frequency == DAILY:
        return None if byday or bymonthday else {}
    if frequency == WEEKLY:
        days = tuple(byday.split(",")) if byday else ()
        if bymonthday or not set(days) <= set(WEEKDAYS):
            return None
        return {"weekdays": tuple(day for day in WEEKDAYS if day in days)}
    if byday and bymonthday:
        return None
    if byday:
        return _monthly_weekday(byday)
    if bymonthday:
        day = int(bymonthday)
        return {"month_day": day} if 1 <= day <= 31 else None
    return {}


def _monthly_weekday(byday: str) -> dict | None:
    ordinal_text, weekday = byday[:-2], byday[-2:]
    if weekday not in WEEKDAYS or not ordinal_text.lstrip("+-").isdigit():
        return None
    ordinal = int(ordinal_text)
    if ordinal not in ORDINALS:
        return None
    return {"monthly_by": MONTHLY_BY_WEEKDAY, "week_ordinal": ordinal, "week_day": weekday}


def _until_date(value: str, start: date, timezone: str) -> date:
    """The last local day an UNTIL lets an occurrence start on.

    A timed rule repeats at the start's local time, so its last day is the UNTIL's local date when that time is
    not later than the UNTIL's time of day, else the day before.
    """
    zone = ZoneInfo(timezone)
    if len(value) == 8:
        limit = datetime.strptime(value, "%Y%m%d")
    elif value.endswith("Z"):
        limit = datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None)
    else:
        limit = datetime.strptime(value, "%Y%m%dT%H%M%S")
    if not isinstance(start, datetime):
        return limit.date()
    local_start = start.astimezone(zone) if start.tzinfo else start
    return limit.date() if local_start.time() <= limit.time() else limit.date() - timedelta(days=1)
