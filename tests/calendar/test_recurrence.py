"""The recurrence builder ⇄ RRULE: what each choice writes, what each rule reads back as, and the round trip."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given
from hypothesis import strategies as st

from sinergia.calendar import recurrence as rec
from sinergia.calendar.recurrence import Recurrence, build_rrule, nth_weekday_of, parse_rrule

ROME = "Europe/Rome"
# Saturday 14 March 2026, 10:00 in Rome (09:00 UTC): the second Saturday of its month.
START = datetime(2026, 3, 14, 10, 0)


def build(recurrence: Recurrence, *, start=START, all_day=False) -> str:
    return build_rrule(recurrence, start=start, timezone=ROME, all_day=all_day)


def test_build_rrule_is_empty_when_it_does_not_repeat():
    assert build(Recurrence()) == ""


def test_build_rrule_daily_every_other_day_writes_the_interval():
    assert build(Recurrence(frequency=rec.DAILY, interval=2)) == "FREQ=DAILY;INTERVAL=2"


def test_build_rrule_weekly_without_weekdays_takes_the_start_weekday():
    assert build(Recurrence(frequency=rec.WEEKLY)) == "FREQ=WEEKLY;BYDAY=SA"


def test_build_rrule_weekly_orders_the_chosen_weekdays_monday_first():
    assert build(Recurrence(frequency=rec.WEEKLY, weekdays=("SU", "MO", "WE"))) == "FREQ=WEEKLY;BYDAY=MO,WE,SU"


def test_build_rrule_weekly_takes_the_start_weekday_in_the_event_zone_for_an_aware_start():
    late_friday_utc = datetime(2026, 3, 13, 23, 30, tzinfo=UTC)  # already Saturday in Rome
    assert build(Recurrence(frequency=rec.WEEKLY), start=late_friday_utc) == "FREQ=WEEKLY;BYDAY=SA"


def test_build_rrule_monthly_by_day_defaults_to_the_start_day():
    assert build(Recurrence(frequency=rec.MONTHLY)) == "FREQ=MONTHLY;BYMONTHDAY=14"


def test_build_rrule_monthly_by_chosen_day():
    assert build(Recurrence(frequency=rec.MONTHLY, month_day=3)) == "FREQ=MONTHLY;BYMONTHDAY=3"


def test_build_rrule_monthly_by_weekday_defaults_to_the_start_nth_weekday():
    recurrence = Recurrence(frequency=rec.MONTHLY, monthly_by=rec.MONTHLY_BY_WEEKDAY)
    assert build(recurrence) == "FREQ=MONTHLY;BYDAY=2SA"


def test_build_rrule_monthly_on_the_last_chosen_weekday():
    recurrence = Recurrence(frequency=rec.MONTHLY, monthly_by=rec.MONTHLY_BY_WEEKDAY, week_ordinal=-1, week_day="FR")
    assert build(recurrence) == "FREQ=MONTHLY;BYDAY=-1FR"


def test_build_rrule_ending_after_a_count():
    assert build(Recurrence(frequency=rec.DAILY, ends=rec.ENDS_AFTER, count=10)) == "FREQ=DAILY;COUNT=10"


def test_build_rrule_ending_on_a_date_ends_at_the_last_second_of_that_local_day_in_utc():
    recurrence = Recurrence(frequency=rec.DAILY, ends=rec.ENDS_ON, until=date(2026, 7, 31))
    assert build(recurrence) == "FREQ=DAILY;UNTIL=20260731T215959Z"


def test_build_rrule_ending_on_a_date_all_day_writes_a_date():
    recurrence = Recurrence(frequency=rec.DAILY, ends=rec.ENDS_ON, until=date(2026, 7, 31))
    assert build(recurrence, start=START.date(), all_day=True) == "FREQ=DAILY;UNTIL=20260731"


def test_build_rrule_custom_keeps_the_rule_without_its_prefix():
    recurrence = Recurrence(frequency=rec.CUSTOM, custom=" RRULE:FREQ=YEARLY;BYMONTH=5;BYDAY=2SU ")
    assert build(recurrence) == "FREQ=YEARLY;BYMONTH=5;BYDAY=2SU"


def test_build_rrule_ending_on_a_date_includes_the_occurrence_of_that_day():
    recurrence = Recurrence(frequency=rec.DAILY, ends=rec.ENDS_ON, until=date(2026, 3, 16))
    start = START.replace(tzinfo=ZoneInfo(ROME))
    rule = rrulestr(build(recurrence), dtstart=start)
    assert [moment.date() for moment in rule] == [date(2026, 3, 14), date(2026, 3, 15), date(2026, 3, 16)]


@pytest.mark.parametrize(("day", "expected"), [
    (date(2026, 3, 1), (1, "SU")),
    (date(2026, 3, 14), (2, "SA")),
    (date(2026, 3, 28), (4, "SA")),
    (date(2026, 3, 31), (-1, "TU")),
])
def test_nth_weekday_of_counts_from_the_start_of_the_month_and_calls_the_fifth_last(day, expected):
    assert nth_weekday_of(day) == expected


def parse(rule: str, *, start=START) -> Recurrence:
    return parse_rrule(rule, start=start, timezone=ROME)


def test_parse_rrule_empty_does_not_repeat():
    assert parse("") == Recurrence()


def test_parse_rrule_weekly_reads_the_weekdays_and_interval():
    assert parse("FREQ=WEEKLY;INTERVAL=2;BYDAY=SA,MO") == Recurrence(
        frequency=rec.WEEKLY, interval=2, weekdays=("MO", "SA"))


def test_parse_rrule_monthly_nth_weekday():
    assert parse("RRULE:FREQ=MONTHLY;BYDAY=-1SU;COUNT=6") == Recurrence(
        frequency=rec.MONTHLY, monthly_by=rec.MONTHLY_BY_WEEKDAY, week_ordinal=-1, week_day="SU",
        ends=rec.ENDS_AFTER, count=6)


def test_parse_rrule_reads_a_utc_until_as_the_local_day():
    assert parse("FREQ=DAILY;UNTIL=20260731T215959Z").until == date(2026, 7, 31)


def test_parse_rrule_until_before_the_daily_time_ends_the_day_before():
    # 08:00 UTC is 10:00 in Rome (summer): a rule at 10:30 local no longer happens that day.
    assert parse("FREQ=DAILY;UNTIL=20260731T080000Z", start=datetime(2026, 3, 14, 10, 30)).until == date(2026, 7, 30)


def test_parse_rrule_all_day_until_date():
    assert parse("FREQ=DAILY;UNTIL=20260731", start=date(2026, 3, 14)).until == date(2026, 7, 31)


@pytest.mark.parametrize("rule", [
    "FREQ=YEARLY;BYMONTH=5",
    "FREQ=WEEKLY;BYDAY=SA;BYHOUR=10",
    "FREQ=MONTHLY;BYDAY=SA,SU",
    "FREQ=MONTHLY;BYDAY=5SA",
    "FREQ=DAILY;BYDAY=MO",
    "FREQ=WEEKLY;WKST=SU;BYDAY=SA",
    "FREQ=DAILY;COUNT=3;UNTIL=20260731",
    "FREQ=DAILY;FREQ=WEEKLY",
    "FREQ=DAILY;INTERVAL=x",
    "not a rule",
])
def test_parse_rrule_keeps_what_the_builder_cannot_show_as_custom(rule):
    assert parse(rule) == Recurrence(frequency=rec.CUSTOM, custom=rule)


recurrences = st.builds(
    Recurrence,
    frequency=st.sampled_from([rec.DAILY, rec.WEEKLY, rec.MONTHLY]),
    interval=st.integers(1, 99),
    weekdays=st.lists(st.sampled_from(rec.WEEKDAYS), unique=True).map(
        lambda days: tuple(day for day in rec.WEEKDAYS if day in days)),
    monthly_by=st.sampled_from([rec.MONTHLY_BY_DAY, rec.MONTHLY_BY_WEEKDAY]),
    month_day=st.integers(1, 31),
    week_ordinal=st.sampled_from(rec.ORDINALS),
    week_day=st.sampled_from(rec.WEEKDAYS),
    ends=st.sampled_from([rec.ENDS_NEVER, rec.ENDS_ON, rec.ENDS_AFTER]),
    until=st.dates(date(2026, 3, 14), date(2036, 1, 1)),
    count=st.integers(1, 1000),
)


@given(recurrence=recurrences, minutes=st.integers(0, 24 * 60 - 1), all_day=st.booleans())
def test_rrule_round_trip_gives_back_the_same_rule(recurrence, minutes, all_day):
    start = START.date() if all_day else datetime(2026, 3, 14) + timedelta(minutes=minutes)
    rule = build_rrule(recurrence, start=start, timezone=ROME, all_day=all_day)
    again = build_rrule(parse_rrule(rule, start=start, timezone=ROME), start=start, timezone=ROME, all_day=all_day)
    assert again == rule
