"""Recurrence rules in words, in the user's language."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from sinergia.calendar.describe import describe_recurrence

ROME = ZoneInfo("Europe/Rome")
SATURDAY_14_JUNE = datetime(2025, 6, 14, 10, tzinfo=ROME)
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last", -2: "second to last"}
WEEKDAYS = {"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday", "FR": "Friday", "SA": "Saturday",
            "SU": "Sunday"}


def words(rrule: str, **kwargs) -> str:
    return describe_recurrence(rrule=rrule, start=SATURDAY_14_JUNE, timezone="Europe/Rome", **kwargs)


@pytest.mark.parametrize(("rrule", "expected"), [
    ("FREQ=WEEKLY;BYDAY=SA;COUNT=10", "Every week on Saturday, 10 times"),
    ("FREQ=WEEKLY;COUNT=1", "Every week on Saturday, once"),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE,FR", "Every 2 weeks on Monday, Wednesday and Friday"),
    ("FREQ=DAILY", "Every day"),
    ("FREQ=DAILY;INTERVAL=3;COUNT=5", "Every 3 days, 5 times"),
    ("FREQ=MONTHLY", "Every month on day 14"),
    ("FREQ=MONTHLY;BYMONTHDAY=1,15", "Every month on days 1 and 15"),
    ("FREQ=MONTHLY;BYMONTHDAY=-1", "Every month on the last day"),
    ("FREQ=MONTHLY;BYMONTHDAY=1,-1", "Every month on day 1 and the last day"),
    ("FREQ=MONTHLY;BYDAY=2SA", "Every month on the second Saturday"),
    ("FREQ=MONTHLY;INTERVAL=2;BYDAY=-1SU", "Every 2 months on the last Sunday"),
    ("FREQ=MONTHLY;BYDAY=+1MO,-2FR", "Every month on the first Monday and the second to last Friday"),
    ("FREQ=YEARLY", "Every year on June 14"),
    ("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=24", "Every year on December 24"),
    ("RRULE:FREQ=WEEKLY;BYDAY=SA;UNTIL=20250830T215959Z", "Every week on Saturday, until Aug. 30, 2025"),
    ("FREQ=WEEKLY;BYDAY=SA;UNTIL=20250830T220000Z", "Every week on Saturday, until Aug. 30, 2025"),
    ("FREQ=DAILY;UNTIL=20250620", "Every day, until June 20, 2025"),
])
def test_describes_the_rules_people_write(rrule, expected):
    assert words(rrule) == expected


@pytest.mark.parametrize("rrule", [
    "FREQ=MONTHLY;BYDAY=SA;BYSETPOS=-1", "FREQ=HOURLY", "FREQ=WEEKLY;BYDAY=1SA", "FREQ=MONTHLY;BYDAY=9SA",
    "FREQ=WEEKLY;INTERVAL=0", "garbage", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=31",
])
def test_other_rules_are_a_custom_schedule(rrule):
    assert words(rrule) == "Repeats on a custom schedule"


def test_single_event_has_no_words():
    assert words("") == ""


def test_extra_and_excluded_dates_are_counted():
    assert words("FREQ=WEEKLY;BYDAY=SA;COUNT=10", extra_dates=2, excluded_dates=1) == (
        "Every week on Saturday, 10 times, and on 2 more dates, except on 1 date")


def test_extra_dates_alone_are_counted():
    assert words("", extra_dates=1) == "On 1 more date"


def test_words_follow_the_active_language():
    with translation.override("it"):
        text = words("FREQ=WEEKLY;BYDAY=SA;COUNT=10")

    assert text.startswith("Ogni settimana")


@pytest.mark.parametrize("number", ORDINALS)
@pytest.mark.parametrize("code", WEEKDAYS)
def test_describes_every_nth_weekday_of_the_month(number, code):
    assert words(f"FREQ=MONTHLY;BYDAY={number}{code}") == f"Every month on the {ORDINALS[number]} {WEEKDAYS[code]}"


@pytest.fixture
def shown_with_context(monkeypatch):
    """Messages with a context come out prefixed with it, so a test sees what translators are given."""
    monkeypatch.setattr(translation._trans, "pgettext", lambda context, message: f"[{context}] {message}",
                        raising=False)


def test_nth_weekday_is_one_phrase_to_translate(shown_with_context):
    # One message per ordinal and weekday lets the article and ordinal agree with the weekday's gender.
    assert words("FREQ=MONTHLY;BYDAY=1SU") == "Every month on [monthly rule] the first Sunday"


def test_weekday_of_a_weekly_rule_is_named_for_a_sentence(shown_with_context):
    assert words("FREQ=WEEKLY;BYDAY=MO,SU") == (
        "Every week on [weekday in a sentence] Monday and [weekday in a sentence] Sunday")
