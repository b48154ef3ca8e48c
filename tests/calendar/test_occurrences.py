"""Occurrence expansion: wall time across daylight saving, all-day spans, RDATE/EXDATE/overrides, bounds, rules."""

import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sinergia.calendar.ics.expand import expand
from sinergia.calendar.ics.results import IcsOverride
from sinergia.calendar.models import Event
from sinergia.calendar.occurrences import (
    event_spans,
    horizon,
    moment_json,
    override_json,
    plan_spans,
    validate_rrule,
)

ROME = ZoneInfo("Europe/Rome")
WINDOW = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2028, 1, 1, tzinfo=UTC))


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def rome(*args: int) -> datetime:
    return datetime(*args, tzinfo=ROME).astimezone(UTC)


def spans(rrule: str = "", *, start: datetime | None = None, hours: int = 2, limit: int = 1000, **extra):
    """A Friday 20 March 2026, 14:00–16:00 in Rome (13:00–15:00 UTC, before the change to summer time)."""
    start = start or rome(2026, 3, 20, 14)
    return plan_spans(start=start, end=start + timedelta(hours=hours), all_day=False, timezone="Europe/Rome",
                      rrule=rrule, window=extra.pop("window", WINDOW), limit=limit, **extra)


def starts(result) -> list[datetime]:
    return [start for start, _end in result.occurrences]


# --- horizon ------------------------------------------------------------------------------------------------------


def test_horizon_spans_history_and_horizon_months(settings):
    settings.CALENDAR_HISTORY_MONTHS, settings.CALENDAR_HORIZON_MONTHS = 12, 24
    assert horizon(utc(2026, 3, 31, 10)) == (utc(2025, 3, 31, 10), utc(2028, 3, 31, 10))


# --- single events ------------------------------------------------------------------------------------------------


def test_plan_spans_of_a_single_event_is_its_own_span():
    result = spans()
    assert (result.occurrences, result.truncated, result.cancelled) == (
        ((utc(2026, 3, 20, 13), utc(2026, 3, 20, 15)),), False, frozenset())


def test_plan_spans_leaves_out_an_event_outside_the_window():
    assert spans(start=utc(2030, 1, 1, 10)).occurrences == ()


def test_plan_spans_keeps_a_long_event_that_began_before_the_window():
    result = spans(start=utc(2025, 12, 1, 9), hours=24 * 60)
    assert result.occurrences == ((utc(2025, 12, 1, 9), utc(2026, 1, 30, 9)),)


def test_plan_spans_reads_naive_times_as_wall_time_in_the_zone():
    result = plan_spans(start=datetime(2026, 7, 1, 18), end=datetime(2026, 7, 1, 20), all_day=False,
                        timezone="Europe/Rome", window=WINDOW, limit=10)
    assert result.occurrences == ((utc(2026, 7, 1, 16), utc(2026, 7, 1, 18)),)


def test_plan_spans_of_an_all_day_event_runs_between_local_midnights():
    result = plan_spans(start=rome(2026, 2, 10, 0), end=rome(2026, 2, 12, 0), all_day=True,
                        timezone="Europe/Rome", window=WINDOW, limit=10)
    assert result.occurrences == ((utc(2026, 2, 9, 23), utc(2026, 2, 11, 23)),)


def test_plan_spans_accepts_dates_for_an_all_day_event():
    result = plan_spans(start=date(2026, 7, 1), end=date(2026, 7, 2), all_day=True, timezone="Europe/Rome",
                        window=WINDOW, limit=10)
    assert result.occurrences == ((utc(2026, 6, 30, 22), utc(2026, 7, 1, 22)),)


def test_plan_spans_reads_an_unknown_zone_in_the_default_one(settings):
    settings.CALENDAR_DEFAULT_TIMEZONE = "Europe/Rome"
    result = plan_spans(start=datetime(2026, 7, 1, 18), end=datetime(2026, 7, 1, 20), all_day=False,
                        timezone="Mars/Olympus_Mons", window=WINDOW, limit=10)
    assert starts(result) == [utc(2026, 7, 1, 16)]


# --- rules --------------------------------------------------------------------------------------------------------


def test_plan_spans_keeps_the_wall_time_across_the_change_to_summer_time():
    result = spans("FREQ=WEEKLY;COUNT=3")
    assert result.occurrences == (
        (utc(2026, 3, 20, 13), utc(2026, 3, 20, 15)),
        (utc(2026, 3, 27, 13), utc(2026, 3, 27, 15)),
        (utc(2026, 4, 3, 12), utc(2026, 4, 3, 14)),
    )


def test_plan_spans_of_a_weekly_all_day_event_starts_at_each_local_midnight():
    # Sunday 29 March 2026 has 23 hours: summer time starts at 02:00.
    result = plan_spans(start=rome(2026, 3, 22, 0), end=rome(2026, 3, 23, 0), all_day=True, timezone="Europe/Rome",
                        rrule="FREQ=WEEKLY;COUNT=2", window=WINDOW, limit=10)
    assert result.occurrences == ((utc(2026, 3, 21, 23), utc(2026, 3, 22, 23)),
                                  (utc(2026, 3, 28, 23), utc(2026, 3, 29, 22)))


def test_plan_spans_stops_at_a_utc_until_inclusive():
    assert starts(spans("FREQ=WEEKLY;UNTIL=20260403T120000Z")) == [
        utc(2026, 3, 20, 13), utc(2026, 3, 27, 13), utc(2026, 4, 3, 12)]


def test_plan_spans_includes_the_whole_day_of_a_date_until():
    assert starts(spans("FREQ=WEEKLY;UNTIL=20260327")) == [utc(2026, 3, 20, 13), utc(2026, 3, 27, 13)]


def test_plan_spans_expands_every_rule_line():
    result = spans("FREQ=WEEKLY;COUNT=2\nFREQ=WEEKLY;COUNT=2;BYDAY=SA")
    assert starts(result) == [utc(2026, 3, 20, 13), utc(2026, 3, 21, 13), utc(2026, 3, 27, 13),
                              utc(2026, 3, 28, 13)]


def test_plan_spans_counts_only_the_window_against_the_limit():
    result = spans("FREQ=DAILY", start=rome(2025, 6, 1, 10), limit=5)
    assert (starts(result), result.truncated) == (
        [utc(2026, 1, 1, 9), utc(2026, 1, 2, 9), utc(2026, 1, 3, 9), utc(2026, 1, 4, 9), utc(2026, 1, 5, 9)], True)


def test_plan_spans_is_not_truncated_when_the_rule_ends_within_the_limit():
    result = spans("FREQ=DAILY;COUNT=5", limit=5)
    assert (len(result.occurrences), result.truncated) == (5, False)


def test_plan_spans_of_a_rule_that_never_matches_again_is_quick():
    began = time.process_time()
    result = spans("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30")
    assert (starts(result), result.truncated) == ([utc(2026, 3, 20, 13)], False)
    assert time.process_time() - began < 1


@pytest.mark.parametrize("rule", ["FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "FREQ=DAILY;BYMONTH=4;BYMONTHDAY=31"])
def test_plan_spans_of_a_rule_that_never_matches_walks_a_few_decades_not_centuries(rule):
    # Walked through the recurrence guard's bounded walk: about 30 years of days past the window (~0.012 s of CPU
    # here), not the 400-year cycles it used to shift by (~0.14 s).
    began = time.process_time()
    result = spans(rule, start=rome(2025, 6, 1, 14))
    assert (starts(result), result.truncated) == ([], False)
    assert time.process_time() - began < 0.05


def test_plan_spans_leaves_a_too_costly_rule_unexpanded_and_says_so():
    result = spans("FREQ=SECONDLY")
    assert (starts(result), result.truncated) == ([utc(2026, 3, 20, 13)], True)


def test_plan_spans_leaves_an_unreadable_stored_rule_unexpanded_and_says_so():
    result = spans("FREQ=FORTNIGHTLY;BYDAY=XX")
    assert (starts(result), result.truncated) == ([utc(2026, 3, 20, 13)], True)


# --- extra and excluded dates, overrides --------------------------------------------------------------------------


def test_plan_spans_removes_an_excluded_instance():
    result = spans("FREQ=WEEKLY;COUNT=3", exdates=["2026-03-27T13:00:00+00:00"])
    assert starts(result) == [utc(2026, 3, 20, 13), utc(2026, 4, 3, 12)]


def test_plan_spans_reads_an_excluded_day_as_that_day_s_instance():
    result = spans("FREQ=WEEKLY;COUNT=3", exdates=["2026-04-03"])
    assert starts(result) == [utc(2026, 3, 20, 13), utc(2026, 3, 27, 13)]


def test_plan_spans_adds_extra_dates_at_the_event_s_time():
    result = spans(rdates=["2026-05-01", "2026-05-02T07:00:00+00:00"])
    assert result.occurrences == ((utc(2026, 3, 20, 13), utc(2026, 3, 20, 15)),
                                  (utc(2026, 5, 1, 12), utc(2026, 5, 1, 14)),
                                  (utc(2026, 5, 2, 7), utc(2026, 5, 2, 9)))


def test_plan_spans_ignores_unreadable_stored_dates():
    assert starts(spans(rdates=["someday", None], exdates=["2026-13-45"])) == [utc(2026, 3, 20, 13)]


def test_plan_spans_moves_an_overridden_instance():
    moved = {"recurrence_id": "2026-03-27T13:00:00+00:00", "start": "2026-03-28T09:00:00+00:00",
             "end": "2026-03-28T10:00:00+00:00", "status": "confirmed", "summary": "Moved"}
    result = spans("FREQ=WEEKLY;COUNT=3", overrides=[moved])
    assert (result.occurrences, result.cancelled) == (
        ((utc(2026, 3, 20, 13), utc(2026, 3, 20, 15)), (utc(2026, 3, 28, 9), utc(2026, 3, 28, 10)),
         (utc(2026, 4, 3, 12), utc(2026, 4, 3, 14))), frozenset())


def test_plan_spans_marks_a_cancelled_override():
    override = IcsOverride(recurrence_id=utc(2026, 3, 27, 13), start=utc(2026, 3, 27, 13),
                           end=utc(2026, 3, 27, 15), status="cancelled", summary="")
    result = spans("FREQ=WEEKLY;COUNT=3", overrides=[override_json(override)])
    assert (starts(result), result.cancelled) == (
        [utc(2026, 3, 20, 13), utc(2026, 3, 27, 13), utc(2026, 4, 3, 12)], frozenset({utc(2026, 3, 27, 13)}))


def test_override_json_is_the_stored_shape():
    override = IcsOverride(recurrence_id=date(2026, 3, 27), start=date(2026, 3, 28), end=date(2026, 3, 29),
                           status="tentative", summary="Moved")
    assert override_json(override) == {"recurrence_id": "2026-03-27", "start": "2026-03-28", "end": "2026-03-29",
                                       "status": "tentative", "summary": "Moved"}


def test_moment_json_stores_aware_times_in_utc():
    assert moment_json(datetime(2026, 7, 1, 18, tzinfo=ROME)) == "2026-07-01T16:00:00+00:00"


def test_event_spans_reads_a_stored_event():
    event = Event(start=rome(2026, 3, 20, 14), end=rome(2026, 3, 20, 16), timezone="Europe/Rome",
                  rrule="FREQ=WEEKLY;COUNT=2", rdates=[], exdates=[], overrides=[])
    assert starts(event_spans(event, window=WINDOW)) == [utc(2026, 3, 20, 13), utc(2026, 3, 27, 13)]


# --- the same instances as the iCalendar reader -------------------------------------------------------------------

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@st.composite
def rules(draw) -> tuple[datetime, int, str]:
    start = datetime(2025, 10, 1, tzinfo=ROME) + timedelta(days=draw(st.integers(0, 600)),
                                                          minutes=15 * draw(st.integers(0, 95)))
    freq = draw(st.sampled_from(["DAILY", "WEEKLY", "MONTHLY"]))
    end = draw(st.sampled_from([f"COUNT={draw(st.integers(1, 40))}", "UNTIL=20270615T000000Z", ""]))
    rule = ";".join(part for part in (f"FREQ={freq}", f"INTERVAL={draw(st.integers(1, 3))}", end) if part)
    if freq == "WEEKLY":
        days = draw(st.sets(st.sampled_from(WEEKDAYS))) | {WEEKDAYS[start.weekday()]}
        rule += ";BYDAY=" + ",".join(sorted(days, key=WEEKDAYS.index))
        rule += f";WKST={draw(st.sampled_from(WEEKDAYS))}"
    return start, draw(st.integers(0, 300)), rule


@given(rules())
@example((datetime(2025, 10, 1, 2, 15, tzinfo=ROME), 45, "FREQ=DAILY;UNTIL=20270615T000000Z"))  # a spring gap
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_plan_spans_agrees_with_the_ics_reader_expansion(plan):
    start, minutes, rule = plan
    end = start + timedelta(minutes=minutes)
    component = icalendar.Event()
    component.add("UID", "x")
    component.add("DTSTART", start)
    component.add("DTEND", end)
    component.add("RRULE", icalendar.vRecur.from_ical(rule))
    expected = expand([component], local=ROME, window=WINDOW, limit=1000)
    result = plan_spans(start=start, end=end, all_day=False, timezone="Europe/Rome", rrule=rule, window=WINDOW,
                        limit=1000)
    assert (result.occurrences, result.truncated) == (expected.occurrences, expected.truncated)


def test_an_occurrence_starting_in_the_spring_forward_gap_keeps_its_length():
    # 02:15 does not exist in Rome on 29 March 2026: the occurrence starts at 03:15 and still lasts 45 minutes,
    # where its wall-clock end (03:00) would come before its start.
    spans = plan_spans(start=rome(2026, 3, 28, 2, 15), end=rome(2026, 3, 28, 3, 0), all_day=False,
                       timezone="Europe/Rome", rrule="FREQ=DAILY;COUNT=2", window=WINDOW, limit=10)
    assert spans.occurrences[1] == (datetime(2026, 3, 29, 1, 15, tzinfo=UTC), datetime(2026, 3, 29, 2, 0, tzinfo=UTC))


# --- validate_rrule -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    ("freq=weekly;byday=sa,su;count=10", "FREQ=WEEKLY;COUNT=10;BYDAY=SA,SU"),
    ("RRULE:FREQ=MONTHLY;BYDAY=-1FR", "FREQ=MONTHLY;BYDAY=-1FR"),
    ("FREQ=WEEKLY;UNTIL=20260501T000000Z", "FREQ=WEEKLY;UNTIL=20260501T000000Z"),
    ("FREQ=YEARLY;BYMONTH=5;INTERVAL=2;BYMONTHDAY=1", "FREQ=YEARLY;INTERVAL=2;BYMONTHDAY=1;BYMONTH=5"),
])
def test_validate_rrule_normalises_a_rule(value, expected):
    assert validate_rrule(value) == expected


@pytest.mark.parametrize(("value", "message"), [
    ("FREQ=HOURLY", "The event can repeat daily, weekly, monthly or yearly (FREQ=DAILY, WEEKLY, MONTHLY or "
                    "YEARLY)."),
    ("FREQ=DAILY;COUNT=1001", "The event can repeat at most 1000 times."),
    ("FREQ=DAILY;COUNT=0", "The event can repeat at most 1000 times."),
    ("FREQ=DAILY;COUNT=2;UNTIL=20260101", "End the repetition either after a number of times (COUNT) or on a date "
                                          "(UNTIL), not both."),
    ("FREQ=DAILY;UNTIL=99991231", "The repetition must end between the years 1900 and 2100."),
    ("FREQ=DAILY;BYHOUR=3", "The repetition rule uses parts that are not supported here: BYHOUR."),
    ("DTSTART:20260101T100000Z\nRRULE:FREQ=DAILY", "Give only the repetition rule (RRULE), without a start date "
                                                  "(DTSTART) or other lines."),
    ("FREQ=MONTHLY;BYMONTHDAY=40", "BYMONTHDAY takes values from 1 to 31 (or −1 to −31)."),
    ("FREQ=WEEKLY;INTERVAL=0", "The interval must be between 1 and 999."),
    ("every tuesday", "The repetition rule is not valid."),
    ("FREQ=WEEKLY;" + "BYDAY=MO;" * 60, "The repetition rule is too long (at most 500 characters)."),
])
def test_validate_rrule_refuses_with_the_reason(value, message):
    with pytest.raises(ValidationError) as error:
        validate_rrule(value)
    assert error.value.message_dict == {"rrule": [message]}


def test_validate_rrule_bounds_count_by_the_setting(settings):
    settings.CALENDAR_MAX_OCCURRENCES_PER_EVENT = 10
    with pytest.raises(ValidationError) as error:
        validate_rrule("FREQ=DAILY;COUNT=11")
    assert error.value.messages == ["The event can repeat at most 10 times."]
