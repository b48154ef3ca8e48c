"""The shared bounds on walking a repetition rule: the same instances as dateutil, a short walk past the window."""

import calendar
import itertools
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from dateutil.rrule import rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st

from sinergia.calendar.recurrence_guard import bounded_instances, cycle_shift, may_skip, rrule_steps, walk_cost

START = datetime(2026, 1, 5, 10, tzinfo=UTC)
WINDOW_END = datetime(2027, 1, 1, tzinfo=UTC)
RULES = [
    "FREQ=DAILY",
    "FREQ=DAILY;INTERVAL=3;BYMONTH=3,4",
    "FREQ=WEEKLY;BYDAY=MO,FR;WKST=SU",
    "FREQ=WEEKLY;INTERVAL=2;BYMONTHDAY=1,15",
    "FREQ=MONTHLY;BYDAY=-1FR",
    "FREQ=MONTHLY;BYMONTHDAY=31",
    "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
    "FREQ=YEARLY;BYWEEKNO=53;BYDAY=TH",
    "FREQ=YEARLY;BYYEARDAY=-1,100",
    "FREQ=YEARLY;BYDAY=20MO",
    "FREQ=DAILY;COUNT=40;BYDAY=SA,SU",
]


def recur(text: str) -> icalendar.vRecur:
    return icalendar.vRecur.from_ical(text)


def test_cycle_shift_moves_a_recent_window_to_within_three_decades_of_9999():
    shift = cycle_shift(2026, 2027)
    assert (shift, 9999 - (2027 + shift)) == (7944, 28)


def test_cycle_shift_keeps_every_year_of_the_walk_and_the_ones_around_it():
    shift = cycle_shift(2026, 2027)
    assert [(calendar.isleap(y), date(y, 1, 1).weekday()) for y in range(2025, 2029)] == [
        (calendar.isleap(y + shift), date(y + shift, 1, 1).weekday()) for y in range(2025, 2029)
    ]


def test_cycle_shift_falls_back_to_whole_gregorian_cycles_across_a_century_that_is_not_leap():
    assert cycle_shift(1900, 2027) == 7600


def test_cycle_shift_is_zero_when_no_year_is_left_to_move_to():
    assert cycle_shift(9990, 9998) == 0


@settings(max_examples=120, deadline=None)
@given(
    rule=st.sampled_from(RULES),
    start=st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2030, 12, 31)),
    zone=st.sampled_from([None, ZoneInfo("Europe/Rome"), ZoneInfo("America/New_York")]),
)
def test_bounded_instances_are_dateutils_instances(rule, start, zone):
    dtstart = start.replace(second=0, microsecond=0, tzinfo=zone)
    first, last = dtstart + timedelta(days=365), dtstart + timedelta(days=4 * 365)  # a 29 February starts too
    parsed = rrulestr(rule, dtstart=dtstart)
    ours = list(itertools.takewhile(lambda v: v <= last, bounded_instances(parsed, last=last)))
    assert [value for value in ours if value >= first] == parsed.between(first, last, inc=True)


def test_bounded_instances_applies_the_rules_until_in_its_zone():
    rome = ZoneInfo("Europe/Rome")
    parsed = rrulestr("FREQ=WEEKLY;UNTIL=20260330T080000Z", dtstart=datetime(2026, 3, 16, 10, tzinfo=rome))
    assert list(bounded_instances(parsed, last=datetime(2027, 1, 1, tzinfo=rome))) == [
        datetime(2026, 3, 16, 10, tzinfo=rome),
        datetime(2026, 3, 23, 10, tzinfo=rome),
        datetime(2026, 3, 30, 10, tzinfo=rome),
    ]


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=HOURLY;BYMONTH=4;BYMONTHDAY=31",
        "FREQ=DAILY;BYSETPOS=2",
        "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=6",
    ],
)
def test_bounded_instances_of_a_rule_that_never_matches_end_quickly(rule):
    """Unbounded, these walk to the year 9999 (minutes to hours); bounded, a fraction of a second of CPU time."""
    parsed = rrulestr(rule, dtstart=datetime(2026, 1, 5, 10))
    began = time.process_time()
    assert list(bounded_instances(parsed, last=datetime(2027, 1, 1))) == []
    assert time.process_time() - began < 1.0


def test_bounded_instances_refuses_byeaster():
    with pytest.raises(ValueError):
        next(bounded_instances(rrulestr("FREQ=YEARLY;BYEASTER=0", dtstart=datetime(2026, 1, 1)), last=WINDOW_END))


@pytest.mark.parametrize(
    ("rule", "skips"),
    [
        ("FREQ=DAILY;COUNT=5", False),
        ("FREQ=DAILY;BYHOUR=9,15", False),
        ("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", False),
        ("FREQ=WEEKLY;BYDAY=MO,TH;UNTIL=20270101", False),
        ("FREQ=MONTHLY;INTERVAL=2;BYDAY=2MO", False),
        ("FREQ=MONTHLY;BYDAY=-1FR", False),
        ("FREQ=MONTHLY;BYMONTHDAY=1,15,-1", False),
        ("FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", False),
        ("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25", False),
        ("FREQ=DAILY;INTERVAL=7;BYDAY=MO", True),
        ("FREQ=WEEKLY;BYDAY=1MO", True),
        ("FREQ=MONTHLY;BYDAY=5MO", True),
        ("FREQ=MONTHLY;BYMONTHDAY=31", True),
        ("FREQ=MONTHLY;BYDAY=MO;BYMONTHDAY=13", True),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", True),
        ("FREQ=DAILY;BYMONTH=2", True),
        ("FREQ=HOURLY;BYHOUR=9", True),
        ("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", True),
    ],
)
def test_may_skip_tells_rules_that_can_leave_a_period_empty(rule, skips):
    assert may_skip(recur(rule)) is skips


def test_rrule_steps_does_not_trust_count_when_periods_can_be_empty():
    assert rrule_steps(recur("FREQ=DAILY;COUNT=3"), START, WINDOW_END) == 3
    never = rrule_steps(recur("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"), START, WINDOW_END)
    assert rrule_steps(recur("FREQ=DAILY;COUNT=3;BYMONTH=2;BYMONTHDAY=30"), START, WINDOW_END) == never > 360


def test_rrule_steps_counts_each_bysetpos_value_as_a_rescan_of_the_period():
    plain = rrule_steps(recur("FREQ=MONTHLY;BYDAY=MO,FR"), START, WINDOW_END)
    assert rrule_steps(recur("FREQ=MONTHLY;BYDAY=MO,FR;BYSETPOS=1,-1"), START, WINDOW_END) == 3 * plain


def test_rrule_steps_refuses_a_part_that_repeats_its_values():
    with pytest.raises(ValueError):
        rrule_steps(recur("FREQ=YEARLY;BYSETPOS=" + ",".join(["1"] * 800)), START, WINDOW_END)


def test_walk_cost_adds_the_walk_past_the_window_for_a_rule_that_may_skip_periods():
    never = recur("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30")
    # 29 years from 2027 (moved 7944 years on) to the end of 9999, a day each, one more for the last period.
    assert walk_cost(never, START, WINDOW_END) == rrule_steps(never, START, WINDOW_END) + 29 * 366 + 2
    assert walk_cost(recur("FREQ=DAILY"), START, WINDOW_END) == rrule_steps(recur("FREQ=DAILY"), START, WINDOW_END)


def test_bounded_instances_ends_when_dateutil_steps_past_9999():
    # Moved 7972 years on, the week holding 31 December 9999 would end in the year 10000.
    parsed = rrulestr("FREQ=WEEKLY;BYMONTHDAY=1,15", dtstart=datetime(2000, 2, 1))
    assert list(bounded_instances(parsed, last=datetime(2004, 2, 1)))[-1] == datetime(2027, 12, 15)


def test_bounded_instances_lets_dateutils_other_errors_through():
    with pytest.raises(ValueError, match="Invalid combination"):
        next(bounded_instances(rrulestr("FREQ=MINUTELY;INTERVAL=1440;BYHOUR=5", dtstart=datetime(2026, 1, 5, 10)),
                               last=datetime(2027, 1, 1)))
