"""The bench calendar's seeded plans: inside the horizon, the occurrences they promise, a third recurring."""

import random
from datetime import UTC, date, datetime, timedelta

from dateutil.rrule import rrulestr

from bench import calendar_plans
from bench.calendar_plans import FIRST_WEEK, LAST_WEEK, Template, plan, reference_monday

MONDAY = date(2026, 11, 16)


def plans(count: int, seed: int = 7, country: str = "IT") -> list[calendar_plans.Plan]:
    rng = random.Random(seed)
    return [plan(rng, calendar_plans.choose_template(rng), monday=MONDAY, country=country, town="Bologna")
            for _ in range(count)]


def starts(planned: calendar_plans.Plan) -> list:
    """Every start of the plan, as dateutil expands it, without its exceptions."""
    if not planned.rrule:
        return [planned.start]
    excluded = {datetime.fromisoformat(value) for value in planned.exdates}
    return [s for s in rrulestr(planned.rrule, dtstart=planned.start) if s not in excluded]


def test_reference_monday_is_the_monday_of_the_week():
    assert reference_monday(date(2026, 11, 22)) == date(2026, 11, 16)


def test_plans_are_the_same_for_the_same_seed():
    assert plans(200) == plans(200)


def test_plans_differ_for_another_seed():
    assert plans(50) != plans(50, seed=8)


def test_every_occurrence_falls_inside_the_weeks_around_the_monday():
    first, last = MONDAY + timedelta(weeks=FIRST_WEEK), MONDAY + timedelta(weeks=LAST_WEEK)
    outside = [p for p in plans(1500) for s in starts(p)
               if not (first <= s.date() and (s + (p.end - p.start)).date() <= last)]
    assert outside == []


def test_every_plan_makes_the_occurrences_it_expects():
    wrong = [p for p in plans(1500) if len(starts(p)) != p.expected]
    assert wrong == []


def test_recurring_series_start_on_their_first_occurrence():
    assert all(starts(p)[0] == p.start for p in plans(1500) if p.recurring)


def test_about_a_third_of_the_plans_recur():
    share = sum(p.recurring for p in plans(3000)) / 3000
    assert 0.28 < share < 0.40


def test_plans_average_over_twenty_occurrences_so_fifty_thousand_events_make_a_million():
    assert sum(p.expected for p in plans(3000)) / 3000 > 20.5


def test_all_day_plans_run_from_local_midnight_to_local_midnight():
    all_day = [p for p in plans(800) if p.all_day]
    assert all_day and all((p.start.hour, p.start.minute, p.end.hour, p.end.minute) == (0, 0, 0, 0)
                           for p in all_day)


def test_exceptions_are_utc_starts_of_the_series():
    excepted = [p for p in plans(1500) if p.exdates]
    strays = [p for p in excepted
              if not set(p.exdates) <= {s.astimezone(UTC).isoformat() for s in rrulestr(p.rrule, dtstart=p.start)}]
    assert excepted and strays == []


def test_an_until_rule_ends_on_its_last_occurrence_across_daylight_saving():
    rng = random.Random(3)
    template = Template("guided_tour", 1, "weekly", (60, 60), ("15:00",), (30, 30), ("SU",))
    planned = next(p for p in (plan(rng, template, monday=MONDAY, country="IT", town="Bologna") for _ in range(50))
                   if "UNTIL" in p.rrule)
    assert len(starts(planned)) == 30 - len(planned.exdates)


def test_monthly_plans_fall_on_their_nth_weekday():
    rng = random.Random(5)
    template = Template("open_day", 1, "monthly", (480, 480), ("10:00",), (12, 12), ("1SU",))
    planned = plan(rng, template, monday=MONDAY, country="PT", town="Porto")
    assert planned.timezone == "Europe/Lisbon"
    assert all(s.weekday() == 6 and s.day <= 7 for s in starts(planned))
