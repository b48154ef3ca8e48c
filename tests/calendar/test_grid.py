"""Month and week grids: whole weeks from the locale's first weekday, items on every day they cover, bounded cells."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from sinergia.calendar.grid import (
    build_grid,
    day_list,
    local_days,
    local_span,
    locale_first_weekday,
    month_span,
    parse_day,
    parse_month,
    shift_month,
    week_span,
    zone_named,
)

ROME = ZoneInfo("Europe/Rome")
TOKYO = ZoneInfo("Asia/Tokyo")
MONDAY, SUNDAY = 0, 6


@dataclass(frozen=True)
class Item:
    title: str
    start: datetime
    end: datetime
    all_day: bool = False
    zone: ZoneInfo = ROME


def timed(title: str, day: date, hour: int, hours: int = 2) -> Item:
    start = datetime(day.year, day.month, day.day, hour, tzinfo=ROME)
    return Item(title, start, start + timedelta(hours=hours))


def all_day(title: str, first: date, last: date, zone: ZoneInfo = ROME) -> Item:
    start = datetime(first.year, first.month, first.day, tzinfo=zone)
    end = datetime(last.year, last.month, last.day, tzinfo=zone) + timedelta(days=1)
    return Item(title, start, end, all_day=True, zone=zone)


def grid_of(items, *, first=date(2025, 5, 26), last=date(2025, 7, 6), per_day=4, unlisted=None,
            today=date(2025, 6, 11)):
    return build_grid(first_day=first, last_day=last, items=items, today=today, zone=ROME,
                      period=(date(2025, 6, 1), date(2025, 6, 30)), per_day=per_day, first_weekday=MONDAY,
                      unlisted=unlisted, zone_of=lambda item: item.zone)


def titles(day) -> list[str]:
    return [entry.item.title for entry in day.entries]


def test_first_weekday_is_sunday_in_english_and_monday_in_italian():
    with translation.override("en"):
        english = locale_first_weekday()
    with translation.override("it"):
        italian = locale_first_weekday()

    assert (english, italian) == (SUNDAY, MONDAY)


def test_month_span_covers_whole_weeks_from_monday():
    assert month_span(date(2025, 6, 1), MONDAY) == (date(2025, 5, 26), date(2025, 7, 6))


def test_month_span_covers_whole_weeks_from_sunday():
    assert month_span(date(2025, 6, 1), SUNDAY) == (date(2025, 6, 1), date(2025, 7, 5))


def test_week_span_holds_the_day():
    assert week_span(date(2025, 6, 11), MONDAY) == (date(2025, 6, 9), date(2025, 6, 15))
    assert week_span(date(2025, 6, 11), SUNDAY) == (date(2025, 6, 8), date(2025, 6, 14))


def test_shift_month_crosses_years():
    assert (shift_month(date(2025, 1, 1), -1), shift_month(date(2025, 12, 1), 1)) == (date(2024, 12, 1),
                                                                                      date(2026, 1, 1))


@pytest.mark.parametrize(("text", "expected"), [
    ("2025-06", date(2025, 6, 1)), ("2025-13", None), ("9999-01", None), ("june", None), ("", None), (None, None),
])
def test_parse_month_accepts_only_real_months_in_range(text, expected):
    assert parse_month(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("2025-06-11", date(2025, 6, 11)), ("2025-02-30", None), ("1800-01-01", None), ("x", None),
])
def test_parse_day_accepts_only_real_days_in_range(text, expected):
    assert parse_day(text) == expected


def test_grid_is_weeks_of_seven_days_in_column_order():
    grid = grid_of([])

    assert [len(week) for week in grid.weeks] == [7] * 6
    assert grid.weekdays == [0, 1, 2, 3, 4, 5, 6]
    assert grid.weeks[0][0].date == date(2025, 5, 26)


def test_grid_marks_today_and_the_days_outside_the_month():
    grid = grid_of([])

    assert [day.date for day in grid.days if day.is_today] == [date(2025, 6, 11)]
    assert [day.date for day in grid.days if not day.in_period] == (
        [date(2025, 5, d) for d in range(26, 32)] + [date(2025, 7, d) for d in range(1, 7)])


def test_grid_puts_a_timed_item_on_its_local_day_with_its_local_start():
    # 23:30 in Rome is already the next day in UTC: the grid uses the local day.
    item = Item("Late concert", datetime(2025, 6, 11, 21, 30, tzinfo=UTC), datetime(2025, 6, 11, 22, 0, tzinfo=UTC))

    grid = grid_of([item])

    day = next(day for day in grid.days if day.entries)
    assert day.date == date(2025, 6, 11)
    assert day.entries[0].starts_at == datetime(2025, 6, 11, 23, 30, tzinfo=ROME)
    assert day.entries[0].continued is False


def test_grid_puts_a_short_multi_day_item_on_every_day_it_covers():
    festival = all_day("Festival", date(2025, 6, 28), date(2025, 6, 30))

    grid = grid_of([festival])

    covered = [day for day in grid.days if day.entries]
    assert [day.date for day in covered] == [date(2025, 6, 28), date(2025, 6, 29), date(2025, 6, 30)]
    assert [entry.continued for day in covered for entry in day.entries] == [False, True, True]
    assert covered[0].entries[0].last_day == date(2025, 6, 30)
    assert covered[-1].entries[0].last_day is None
    assert grid.ongoing == []


def test_grid_lists_a_long_item_once_as_ongoing_not_in_every_day():
    exhibition = all_day("Exhibition", date(2025, 6, 28), date(2025, 7, 2))

    grid = grid_of([exhibition])

    assert [day for day in grid.days if day.entries or day.total] == []
    assert [(entry.item.title, entry.continued, entry.last_day) for entry in grid.ongoing] == [
        ("Exhibition", False, date(2025, 7, 2))]


def test_grid_marks_an_ongoing_item_that_began_before_the_grid_as_continued():
    exhibition = all_day("Long exhibition", date(2025, 1, 1), date(2025, 5, 27))

    grid = grid_of([exhibition])

    assert [(entry.item.title, entry.continued) for entry in grid.ongoing] == [("Long exhibition", True)]


def test_grid_places_an_all_day_item_on_its_own_days_whatever_the_zone():
    # Midnight in Tokyo is the afternoon before in Rome: an all-day event there is still on its own day.
    festival = all_day("Tokyo festival", date(2025, 6, 11), date(2025, 6, 11), zone=TOKYO)

    grid = grid_of([festival])

    assert [day.date for day in grid.days if day.entries] == [date(2025, 6, 11)]


def test_grid_lists_all_day_and_continued_items_before_timed_ones_by_time():
    day = date(2025, 6, 11)
    items = [timed("Evening", day, 20), timed("Morning", day, 9), all_day("All day", day, day)]

    grid = grid_of(items)

    assert titles(grid.days[16]) == ["All day", "Morning", "Evening"]


def test_grid_bounds_the_entries_of_a_day_and_counts_the_others():
    day = date(2025, 6, 11)
    items = [timed(f"Tour {hour}", day, hour) for hour in range(8, 15)]

    cell = grid_of(items, per_day=4, unlisted={day: 10}).days[16]

    assert titles(cell) == ["Tour 8", "Tour 9", "Tour 10", "Tour 11"]
    assert (cell.total, cell.more) == (17, 13)


def test_local_days_of_an_instant_item_is_its_day():
    moment = datetime(2025, 6, 11, 10, tzinfo=ROME)

    assert local_days(Item("Instant", moment, moment), zone=ROME) == (date(2025, 6, 11), date(2025, 6, 11))


def test_day_list_groups_items_under_their_start_day_and_earlier_ones_under_the_first():
    first = date(2025, 6, 11)
    items = [all_day("Exhibition", date(2025, 6, 1), date(2025, 6, 20)), timed("Tour", first, 10),
             timed("Talk", date(2025, 6, 13), 18)]

    days = day_list(items=items, first_day=first, today=first, zone=ROME, zone_of=lambda item: item.zone)

    assert [(day.date, titles(day), day.is_today) for day in days] == [
        (first, ["Exhibition", "Tour"], True), (date(2025, 6, 13), ["Talk"], False)]
    assert [(entry.continued, entry.last_day) for entry in days[0].entries] == [(True, date(2025, 6, 20)),
                                                                                 (False, None)]
    assert days[0].entries[1].starts_at == datetime(2025, 6, 11, 10, tzinfo=ROME)


def test_local_span_of_an_all_day_event_ends_on_its_last_day():
    item = all_day("Weekend", date(2025, 6, 14), date(2025, 6, 15))

    span = local_span(item.start, item.end, all_day=True, zone=ROME)

    assert (span.start.date(), span.last_day, span.one_day) == (date(2025, 6, 14), date(2025, 6, 15), False)


def test_zone_named_falls_back_to_the_default_zone_for_an_unknown_name(settings):
    assert (str(zone_named("Asia/Tokyo")), str(zone_named("../etc/passwd"))) == (
        "Asia/Tokyo", settings.CALENDAR_DEFAULT_TIMEZONE)
