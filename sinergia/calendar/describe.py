"""A recurrence rule in words, in the user's language: "Every week on Saturday, 10 times". Pure, no database.

Only the rules people write are put in words (every N days, weeks on weekdays, months on days or on the nth
weekday, years on a date, ending after a count or on a date); any other rule is "a custom schedule", never wrong.
"""

from datetime import UTC, date, datetime, timedelta

from django.utils.formats import date_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy

from sinergia.calendar.grid import zone_named

CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
SPOKEN_PARTS = frozenset({"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH", "WKST"})
MAX_INTERVAL = 999

# Whole phrases rather than fragments: the ordinal and the article agree with the weekday's gender in many
# languages, which also write weekday names in lowercase inside a sentence.
WEEKDAY_NAMES = {
    # Translators: a weekday inside a sentence ("Every week on Monday and Friday"): lowercase if your language
    # writes weekdays so.
    "MO": pgettext_lazy("weekday in a sentence", "Monday"),
    "TU": pgettext_lazy("weekday in a sentence", "Tuesday"),
    "WE": pgettext_lazy("weekday in a sentence", "Wednesday"),
    "TH": pgettext_lazy("weekday in a sentence", "Thursday"),
    "FR": pgettext_lazy("weekday in a sentence", "Friday"),
    "SA": pgettext_lazy("weekday in a sentence", "Saturday"),
    "SU": pgettext_lazy("weekday in a sentence", "Sunday"),
}
NTH_WEEKDAYS = {
    # Translators: the object of "Every month on %(days)s"; write the article and ordinal that agree with the
    # weekday (it: "il primo lunedì", "la prima domenica").
    (1, "MO"): pgettext_lazy("monthly rule", "the first Monday"),
    (1, "TU"): pgettext_lazy("monthly rule", "the first Tuesday"),
    (1, "WE"): pgettext_lazy("monthly rule", "the first Wednesday"),
    (1, "TH"): pgettext_lazy("monthly rule", "the first Thursday"),
    (1, "FR"): pgettext_lazy("monthly rule", "the first Friday"),
    (1, "SA"): pgettext_lazy("monthly rule", "the first Saturday"),
    (1, "SU"): pgettext_lazy("monthly rule", "the first Sunday"),
    (2, "MO"): pgettext_lazy("monthly rule", "the second Monday"),
    (2, "TU"): pgettext_lazy("monthly rule", "the second Tuesday"),
    (2, "WE"): pgettext_lazy("monthly rule", "the second Wednesday"),
    (2, "TH"): pgettext_lazy("monthly rule", "the second Thursday"),
    (2, "FR"): pgettext_lazy("monthly rule", "the second Friday"),
    (2, "SA"): pgettext_lazy("monthly rule", "the second Saturday"),
    (2, "SU"): pgettext_lazy("monthly rule", "the second Sunday"),
    (3, "MO"): pgettext_lazy("monthly rule", "the third Monday"),
    (3, "TU"): pgettext_lazy("monthly rule", "the third Tuesday"),
    (3, "WE"): pgettext_lazy("monthly rule", "the third Wednesday"),
    (3, "TH"): pgettext_lazy("monthly rule", "the third Thursday"),
    (3, "FR"): pgettext_lazy("monthly rule", "the third Friday"),
    (3, "SA"): pgettext_lazy("monthly rule", "the third Saturday"),
    (3, "SU"): pgettext_lazy("monthly rule", "the third Sunday"),
    (4, "MO"): pgettext_lazy("monthly rule", "the fourth Monday"),
    (4, "TU"): pgettext_lazy("monthly rule", "the fourth Tuesday"),
    (4, "WE"): pgettext_lazy("monthly rule", "the fourth Wednesday"),
    (4, "TH"): pgettext_lazy("monthly rule", "the fourth Thursday"),
    (4, "FR"): pgettext_lazy("monthly rule", "the fourth Friday"),
    (4, "SA"): pgettext_lazy("monthly rule", "the fourth Saturday"),
    (4, "SU"): pgettext_lazy("monthly rule", "the fourth Sunday"),
    (5, "MO"): pgettext_lazy("monthly rule", "the fifth Monday"),
    (5, "TU"): pgettext_lazy("monthly rule", "the fifth Tuesday"),
    (5, "WE"): pgettext_lazy("monthly rule", "the fifth Wednesday"),
    (5, "TH"): pgettext_lazy("monthly rule", "the fifth Thursday"),
    (5, "FR"): pgettext_lazy("monthly rule", "the fifth Friday"),
    (5, "SA"): pgettext_lazy("monthly rule", "the fifth Saturday"),
    (5, "SU"): pgettext_lazy("monthly rule", "the fifth Sunday"),
    (-1, "MO"): pgettext_lazy("monthly rule", "the last Monday"),
    (-1, "TU"): pgettext_lazy("monthly rule", "the last Tuesday"),
    (-1, "WE"): pgettext_lazy("monthly rule", "the last Wednesday"),
    (-1, "TH"): pgettext_lazy("monthly rule", "the last Thursday"),
    (-1, "FR"): pgettext_lazy("monthly rule", "the last Friday"),
    (-1, "SA"): pgettext_lazy("monthly rule", "the last Saturday"),
    (-1, "SU"): pgettext_lazy("monthly rule", "the last Sunday"),
    (-2, "MO"): pgettext_lazy("monthly rule", "the second to last Monday"),
    (-2, "TU"): pgettext_lazy("monthly rule", "the second to last Tuesday"),
    (-2, "WE"): pgettext_lazy("monthly rule", "the second to last Wednesday"),
    (-2, "TH"): pgettext_lazy("monthly rule", "the second to last Thursday"),
    (-2, "FR"): pgettext_lazy("monthly rule", "the second to last Friday"),
    (-2, "SA"): pgettext_lazy("monthly rule", "the second to last Saturday"),
    (-2, "SU"): pgettext_lazy("monthly rule", "the second to last Sunday"),
}


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
        # Translators: %(days)s lists weekdays: "Monday", "Monday, Wednesday and Friday".
        text = ngettext("Every week on %(days)s", "Every %(interval)d weeks on %(days)s", interval) % {
            "interval": interval, "days": _weekdays(parts.get("BYDAY"), local_start)}
    elif frequency == "MONTHLY" and "BYMONTH" not in parts:
        # Translators: %(days)s is "day 14", "days 1 and 15", "the last day" or "the second Saturday".
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
    return get_text_list([str(WEEKDAY_NAMES[code]) for code in CODES if code in codes], _("and"))


def _month_days(parts: dict[str, str], local_start: datetime) -> str:
    if "BYDAY" in parts and "BYMONTHDAY" in parts:
        raise Unspoken("BYDAY")
    if "BYDAY" in parts:
        return get_text_list([_nth_weekday(code) for code in parts["BYDAY"].split(",")], _("and"))
    numbers = [int(day) for day in parts.get("BYMONTHDAY", str(local_start.day)).split(",")]
    if any(not (1 <= day <= 31 or day == -1) for day in numbers):
        raise Unspoken("BYMONTHDAY")
    named = [str(day) for day in numbers if day != -1]
    words = ngettext("day %(days)s", "days %(days)s", len(named)) % {"days": get_text_list(named, _("and"))}
    if -1 in numbers:
        return get_text_list([words, _("the last day")], _("and")) if named else _("the last day")
    return words


def _nth_weekday(code: str) -> str:
    number, weekday = code[:-2], code[-2:]
    if not number.lstrip("+-").isdigit() or (int(number), weekday) not in NTH_WEEKDAYS:
        raise Unspoken("BYDAY")
    return str(NTH_WEEKDAYS[int(number), weekday])


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
