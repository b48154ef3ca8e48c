"""A recurrence rule in words, in the user's language: "Every week on Saturday, 10 times". Pure, no database.

Only the rules people write are put in words (every N days, weeks on weekdays, months on days or on the nth
weekday, years on a date, ending after a count or on a date); any other rule is "a custom schedule", never wrong.
"""

from datetime import UTC, date, datetime, timedelta

from django.utils.dates import WEEKDAYS
from django.utils.formats import date_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sinergia.calendar.grid import zone_named

CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
SPOKEN_PARTS = frozenset({"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH", "WKST"})
MAX_INTERVAL = 999


class Unspoken(ValueError):
    """The rule has parts this describer does not put in words."""


def describe_recurrence(*, rrule: str, start: datetime, timezone: str, extra_dates: int = 0,
                        excluded_dates: int = 0) -> str:
    """The event's repetition in words; "" when it happens once."""
    text = ""
    if rrule:
        try:
            text = _rule_words(_parts(rrule), start.astimezone(zone_named(timezone)), timezone)
        except (Unspoken, ValueError, KeyError):
            text = _("Repeats on a custom schedule")
    if extra_dates:
        text = (ngettext("%(rule)s, and on %(count)d more date", "%(rule)s, and on %(count)d more dates",
                         extra_dates) % {"rule": text, "count": extra_dates} if text else
                ngettext("On %(count)d more date", "On %(count)d more dates", extra_dates) % {"count": extra_dates})
    if text and excluded_dates:
        text = ngettext("%(rule)s, except on %(count)d date", "%(rule)s, except on %(count)d dates",
                        excluded_dates) % {"rule": text, "count": excluded_dates}
    return text


def _parts(rrule: str) -> dict[str, str]:
    parts: dict[str, str] = {}
    for item in rrule.strip().removeprefix("RRULE:").split(";"):
        name, equals, value = item.partition("=")
        name = name.strip().upper()
        if not equals or name in parts or name not in SPOKEN_PARTS:
            raise Unspoken(name)
        parts[name] = value.strip().upper()
    return parts


def _rule_words(parts: dict[str, str], local_start: datetime, timezone: str) -> str:
    interval = int(parts.get("INTERVAL", "1"))
    if not 1 <= interval <= MAX_INTERVAL:
        raise Unspoken("INTERVAL")
    frequency = parts["FREQ"]
    if frequency == "DAILY" and not parts.keys() & {"BYDAY", "BYMONTHDAY", "BYMONTH"}:
        text = ngettext("Every day", "Every %(interval)d days", interval) % {"interval": interval}
    elif frequency == "WEEKLY" and not parts.keys() & {"BYMONTHDAY", "BYMONTH"}:
        text = ngettext("Every week on %(days)s", "Every %(interval)d weeks on %(days)s", interval) % {
            "interval": interval, "days": _weekdays(parts.get("BYDAY"), local_start)}
    elif frequency == "MONTHLY" and "BYMONTH" not in parts:
        text = ngettext("Every month on %(days)s", "Every %(interval)d months on %(days)s", interval) % {
            "interval": interval, "days": _month_days(parts, local_start)}
    elif frequency == "YEARLY" and "BYDAY" not in parts:
        text = ngettext("Every year on %(date)s", "Every %(interval)d years on %(date)s", interval) % {
            "interval": interval, "date": _year_day(parts, local_start)}
    else:
        raise Unspoken(frequency)
    return _with_end(text, parts, timezone)


def _weekdays(byday: str | None, local_start: datetime) -> str:
    codes = byday.split(",") if byday else [CODES[local_start.weekday()]]
    if not set(codes) <= set(CODES):
        raise Unspoken("BYDAY")
    return get_text_list([str(WEEKDAYS[CODES.index(code)]) for code in CODES if code in codes], _("and"))


def _month_days(parts: dict[str, str], local_start: datetime) -> str:
    if "BYDAY" in parts and "BYMONTHDAY" in parts:
        raise Unspoken("BYDAY")
    if "BYDAY" in parts:
        return get_text_list([_nth_weekday(code) for code in parts["BYDAY"].split(",")], _("and"))
    numbers = [int(day) for day in parts.get("BYMONTHDAY", str(local_start.day)).split(",")]
    if any(not (1 <= day <= 31 or day == -1) for day in numbers):
        raise Unspoken("BYMONTHDAY")
    named = [_("the last day") if day == -1 else str(day) for day in numbers if day != -1]
    words = ngettext("day %(days)s", "days %(days)s", len(named)) % {"days": get_text_list(named, _("and"))}
    if -1 in numbers:
        return get_text_list([words, _("the last day")], _("and")) if named else _("the last day")
    return words


def _ordinal(number: int) -> str:
    words = {1: _("first"), 2: _("second"), 3: _("third"), 4: _("fourth"), 5: _("fifth"), -1: _("last"),
             -2: _("second to last")}
    if number not in words:
        raise Unspoken("BYDAY")
    return words[number]


def _nth_weekday(code: str) -> str:
    number, weekday = code[:-2], code[-2:]
    if weekday not in CODES or not number.lstrip("+-").isdigit():
        raise Unspoken("BYDAY")
    return _("the %(ordinal)s %(weekday)s") % {"ordinal": _ordinal(int(number)),
                                                "weekday": WEEKDAYS[CODES.index(weekday)]}


def _year_day(parts: dict[str, str], local_start: datetime) -> str:
    month = int(parts.get("BYMONTH", str(local_start.month)))
    day = int(parts.get("BYMONTHDAY", str(local_start.day)))
    return date_format(date(2000, month, day), "MONTH_DAY_FORMAT")


def _with_end(text: str, parts: dict[str, str], timezone: str) -> str:
    if "COUNT" in parts:
        count = int(parts["COUNT"])
        return ngettext("%(rule)s, once", "%(rule)s, %(count)d times", count) % {"rule": text, "count": count}
    if "UNTIL" in parts:
        last = date_format(_until_day(parts["UNTIL"], timezone), "DATE_FORMAT")
        return _("%(rule)s, until %(date)s") % {"rule": text, "date": last}
    return text


def _until_day(value: str, timezone: str) -> date:
    """The local last day of an UNTIL (a date, a UTC instant, or a floating local time)."""
    if len(value) == 8:
        return datetime.strptime(value, "%Y%m%d").date()
    if value.endswith("Z"):
        local = datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC).astimezone(zone_named(timezone))
        # Some calendars end a rule at the local midnight after the last day.
        at_midnight = (local.hour, local.minute, local.second) == (0, 0, 0)
        return (local - timedelta(seconds=1)).date() if at_midnight else local.date()
    return datetime.strptime(value, "%Y%m%dT%H%M%S").date()
