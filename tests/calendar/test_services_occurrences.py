"""Materialised occurrences: what a refresh writes for one event, and the batched refresh of every event."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from sinergia.calendar.cells import place_cell
from sinergia.calendar.models import Event, Occurrence
from sinergia.calendar.services import (
    RefreshReport,
    occurrences_refresh,
    occurrences_refresh_all,
    occurrences_refresh_events,
    occurrences_statistics,
)
from tests import factories

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
HORIZON_END = datetime(2028, 3, 1, 12, tzinfo=UTC)


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def event(**fields) -> Event:
    """An event on Friday 20 March 2026, 13:00–15:00 UTC (14:00 in Rome), occurrences not yet materialised."""
    values = {"start": at(2026, 3, 20, 13), "end": at(2026, 3, 20, 15), "materialise": False}
    return factories.EventFactory(**{**values, **fields})


def planner_statistics() -> int:
    """How many rows of planner statistics the database holds about the occurrences."""
    table = Occurrence._meta.db_table
    sql = ("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s" if connection.vendor == "sqlite"
           else "SELECT count(*) FROM pg_stats WHERE tablename = %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [table])
        return cursor.fetchone()[0]


def stored(event: Event) -> list[tuple]:
    return list(Occurrence.objects.filter(event=event).order_by("start")
                .values_list("start", "end", "all_day", "is_long", "cancelled"))


def test_occurrences_refresh_writes_the_weekly_instances_in_wall_time():
    weekly = event(rrule="FREQ=WEEKLY;COUNT=3")
    assert occurrences_refresh(event=weekly, now=NOW) == 3
    assert stored(weekly) == [
        (at(2026, 3, 20, 13), at(2026, 3, 20, 15), False, False, False),
        (at(2026, 3, 27, 13), at(2026, 3, 27, 15), False, False, False),
        (at(2026, 4, 3, 12), at(2026, 4, 3, 14), False, False, False),
    ]


def test_occurrences_refresh_copies_the_place_of_the_event():
    placed = event(latitude=45.07, longitude=7.68, region="Piemonte")
    occurrences_refresh(event=placed, now=NOW)
    assert list(Occurrence.objects.filter(event=placed).values_list("latitude", "longitude", "region")) == [
        (45.07, 7.68, "Piemonte")]


def test_occurrences_refresh_marks_an_exhibition_long_and_all_day():
    exhibition = event(start=at(2026, 3, 31, 22), end=at(2026, 6, 30, 22), all_day=True)
    occurrences_refresh(event=exhibition, now=NOW)
    assert stored(exhibition) == [(at(2026, 3, 31, 22), at(2026, 6, 30, 22), True, True, False)]


def test_occurrences_refresh_marks_every_occurrence_of_a_cancelled_event():
    cancelled = event(rrule="FREQ=WEEKLY;COUNT=2", status=Event.Status.CANCELLED)
    occurrences_refresh(event=cancelled, now=NOW)
    assert [row[4] for row in stored(cancelled)] == [True, True]


def test_occurrences_refresh_marks_only_a_cancelled_instance():
    override = {"recurrence_id": "2026-03-27T13:00:00+00:00", "start": "2026-03-27T13:00:00+00:00",
                "end": "2026-03-27T15:00:00+00:00", "status": "cancelled", "summary": ""}
    weekly = event(rrule="FREQ=WEEKLY;COUNT=3", overrides=[override])
    occurrences_refresh(event=weekly, now=NOW)
    assert [row[4] for row in stored(weekly)] == [False, True, False]


def test_occurrences_refresh_records_the_horizon_it_reached():
    weekly = event(rrule="FREQ=WEEKLY")
    count = occurrences_refresh(event=weekly, now=NOW)
    weekly.refresh_from_db()
    assert (count, weekly.occurrences_until, weekly.occurrences_truncated) == (102, HORIZON_END, False)


def test_occurrences_refresh_records_where_the_bound_cut(settings):
    settings.CALENDAR_MAX_OCCURRENCES_PER_EVENT = 4
    daily = event(rrule="FREQ=DAILY")
    assert occurrences_refresh(event=daily, now=NOW) == 4
    daily.refresh_from_db()
    assert (daily.occurrences_until, daily.occurrences_truncated) == (at(2026, 3, 23, 13), True)


def test_occurrences_refresh_replaces_what_was_stored():
    weekly = event(rrule="FREQ=WEEKLY;COUNT=3")
    occurrences_refresh(event=weekly, now=NOW)
    Event.objects.filter(pk=weekly.pk).update(rrule="FREQ=WEEKLY;COUNT=2", exdates=["2026-03-20T13:00:00+00:00"])
    occurrences_refresh(event=weekly, now=NOW)
    assert [row[0] for row in stored(weekly)] == [at(2026, 3, 27, 13)]


def test_occurrences_refresh_keeps_unchanged_rows():
    weekly = event(rrule="FREQ=WEEKLY;COUNT=3")
    occurrences_refresh(event=weekly, now=NOW)
    before = list(Occurrence.objects.filter(event=weekly).order_by("start").values_list("pk", flat=True))
    Event.objects.filter(pk=weekly.pk).update(rrule="FREQ=WEEKLY;COUNT=4")
    occurrences_refresh(event=weekly, now=NOW)
    after = list(Occurrence.objects.filter(event=weekly).order_by("start").values_list("pk", flat=True))
    assert (after[:3], len(after)) == (before, 4)


def test_occurrences_refresh_rewrites_a_row_whose_place_changed():
    single = event()
    occurrences_refresh(event=single, now=NOW)
    Event.objects.filter(pk=single.pk).update(latitude=45.0, longitude=7.0, region="Piemonte")
    occurrences_refresh(event=single, now=NOW)
    assert list(Occurrence.objects.filter(event=single).values_list("latitude", "longitude", "region")) == [
        (45.0, 7.0, "Piemonte")]


def test_occurrences_refresh_writes_the_grid_square_of_the_place():
    placed = event(latitude=45.07, longitude=7.68, region="Piemonte", rrule="FREQ=WEEKLY;COUNT=2")
    occurrences_refresh(event=placed, now=NOW)
    assert list(Occurrence.objects.filter(event=placed).values_list("cell", flat=True)) == [place_cell(45.07, 7.68)] * 2


def test_occurrences_refresh_moves_the_grid_square_with_the_place():
    single = event(latitude=45.07, longitude=7.68)
    occurrences_refresh(event=single, now=NOW)
    Event.objects.filter(pk=single.pk).update(latitude=40.85, longitude=14.27)
    occurrences_refresh(event=single, now=NOW)
    assert Occurrence.objects.get(event=single).cell == place_cell(40.85, 14.27)


def test_occurrences_refresh_of_a_place_without_coordinates_has_no_grid_square():
    unplaced = event(latitude=None, longitude=None)
    occurrences_refresh(event=unplaced, now=NOW)
    assert Occurrence.objects.get(event=unplaced).cell is None


def test_occurrences_refresh_drops_occurrences_older_than_the_history():
    old = event(start=at(2024, 1, 5, 13), end=at(2024, 1, 5, 15), rrule="FREQ=WEEKLY;COUNT=80")
    occurrences_refresh(event=old, now=NOW)
    assert stored(old)[0][0] == at(2025, 3, 7, 13)


def test_occurrences_refresh_of_a_rule_that_never_matches_again_is_quick():
    odd = event(rrule="FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30")
    began = datetime.now(UTC)
    assert occurrences_refresh(event=odd, now=NOW) == 1
    assert datetime.now(UTC) - began < timedelta(seconds=2)


def test_occurrences_refresh_all_reports_what_it_did(settings):
    settings.CALENDAR_MAX_OCCURRENCES_PER_EVENT = 5
    event(rrule="FREQ=WEEKLY;COUNT=3")
    event(rrule="FREQ=DAILY")
    event(start=at(2031, 1, 1, 10), end=at(2031, 1, 1, 11))
    report = occurrences_refresh_all(now=NOW)
    assert isinstance(report, RefreshReport)
    assert (report.events, report.occurrences, report.truncated) == (3, 8, 1)
    assert Occurrence.objects.count() == 8


def test_occurrences_refresh_all_in_small_batches_writes_what_single_refreshes_write():
    events = [event(rrule="FREQ=WEEKLY;COUNT=3"), event(), event(rrule="FREQ=DAILY;COUNT=4"),
              event(all_day=True, start=at(2026, 4, 1, 22), end=at(2026, 4, 3, 22)), event(rrule="FREQ=MONTHLY")]
    occurrences_refresh_all(now=NOW, batch_size=2)
    batched = {e.pk: stored(e) for e in events}
    Occurrence.objects.all().delete()
    for each in events:
        occurrences_refresh(event=each, now=NOW)
    assert batched == {e.pk: stored(e) for e in events}


def test_occurrences_refresh_all_removes_occurrences_that_no_longer_exist():
    weekly = event(rrule="FREQ=WEEKLY;COUNT=3")
    occurrences_refresh_all(now=NOW)
    Event.objects.filter(pk=weekly.pk).update(rrule="")
    occurrences_refresh_all(now=NOW)
    assert [row[0] for row in stored(weekly)] == [at(2026, 3, 20, 13)]


def test_occurrences_refresh_all_runs_a_bounded_number_of_queries(django_assert_max_num_queries):
    for _ in range(30):
        event(rrule="FREQ=WEEKLY;COUNT=5")
    # The batch: savepoint pair, the events, the stored occurrences, the insert, one update per (until, truncated);
    # then the savepoint pair, the query that finds no more events and the planner statistics.
    with django_assert_max_num_queries(10):
        report = occurrences_refresh_all(now=NOW, batch_size=100)
    assert (report.events, report.occurrences) == (30, 150)


def test_occurrences_refresh_all_writes_new_occurrences_in_time_order():
    monthly, weekly = event(rrule="FREQ=MONTHLY;COUNT=3"), event(start=at(2026, 3, 21, 9), end=at(2026, 3, 21, 10),
                                                                 rrule="FREQ=WEEKLY;COUNT=6")
    occurrences_refresh_all(now=NOW)
    by_id = Occurrence.objects.filter(event__in=[monthly, weekly]).order_by("pk").values_list("start", flat=True)
    assert list(by_id) == sorted(by_id)


def test_occurrences_refresh_all_gathers_planner_statistics():
    event(rrule="FREQ=WEEKLY;COUNT=3")
    occurrences_refresh_all(now=NOW)
    assert planner_statistics() > 0


def test_occurrences_statistics_of_an_empty_calendar_runs():
    occurrences_statistics()
    assert Occurrence.objects.count() == 0


def test_occurrences_refresh_events_rewrites_only_the_given_events():
    chosen, other = event(rrule="FREQ=WEEKLY;COUNT=3"), event(rrule="FREQ=WEEKLY;COUNT=2")
    assert occurrences_refresh_events(event_ids=[chosen.pk], now=NOW) == 3
    assert (len(stored(chosen)), len(stored(other))) == (3, 0)
