"""read_calendar on hand-written iCalendar: time zones, recurrence, overrides and hostile input."""

import time
from datetime import UTC, date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sinergia.calendar.ics import IcsLimits, IcsRejected, read_calendar

WINDOW = {"window_start": datetime(2026, 1, 1, tzinfo=UTC), "window_end": datetime(2027, 1, 1, tzinfo=UTC)}


def ics(*events: str, header: str = "") -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{event.strip()}\r\nEND:VEVENT\r\n" for event in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{header}{body}END:VCALENDAR\r\n".encode()


def event_lines(uid: str = "e1", **props: str) -> str:
    lines = {"UID": uid, "DTSTAMP": "20260101T000000Z", "DTSTART": "20260310T100000Z", "DTEND": "20260310T120000Z"}
    lines.update(props)
    return "\r\n".join(f"{key}:{value}" for key, value in lines.items())


def test_read_calendar_returns_fields_of_a_single_event():
    data = ics(
        event_lines(
            SUMMARY="Visita guidata",
            DESCRIPTION="Al museo",
            LOCATION="Via Roma 1",
            URL="https://example.org/e",
            GEO="45.07;7.68",
            CATEGORIES="Tour,Family",
            STATUS="TENTATIVE",
            SEQUENCE="3",
        ),
        header="X-WR-CALNAME:Museo\r\n",
    )
    result = read_calendar(data, **WINDOW)
    [event] = result.events
    assert (result.calendar_name, result.timezone, result.rejected) == ("Museo", "Europe/Rome", [])
    assert (event.uid, event.sequence, event.summary, event.description) == ("e1", 3, "Visita guidata", "Al museo")
    assert (event.location, event.url, event.geo) == ("Via Roma 1", "https://example.org/e", (45.07, 7.68))
    assert (event.categories, event.status, event.all_day) == (("Tour", "Family"), "tentative", False)
    assert event.dtstart == datetime(2026, 3, 10, 10, tzinfo=UTC)
    assert event.occurrences == ((datetime(2026, 3, 10, 10, tzinfo=UTC), datetime(2026, 3, 10, 12, tzinfo=UTC)),)
    assert (event.dtstamp, event.truncated, event.warnings) == (datetime(2026, 1, 1, tzinfo=UTC), False, ())


def test_read_calendar_keeps_all_day_events_as_dates():
    data = ics("UID:d\r\nDTSTART;VALUE=DATE:20260601\r\nDTEND;VALUE=DATE:20260603")
    [event] = read_calendar(data, **WINDOW).events
    assert (event.all_day, event.dtstart, event.dtend) == (True, date(2026, 6, 1), date(2026, 6, 3))
    assert event.occurrences == ((date(2026, 6, 1), date(2026, 6, 3)),)


def test_read_calendar_reads_floating_times_in_the_calendar_x_wr_timezone():
    data = ics("UID:f\r\nDTSTART:20260710T180000\r\nDTEND:20260710T190000", header="X-WR-TIMEZONE:America/New_York\r\n")
    result = read_calendar(data, **WINDOW)
    [event] = result.events
    assert (result.timezone, event.timezone) == ("America/New_York", "America/New_York")
    assert event.dtstart == datetime(2026, 7, 10, 22, tzinfo=UTC)


def test_read_calendar_reads_floating_times_in_the_default_timezone_without_x_wr_timezone():
    [event] = read_calendar(ics("UID:f\r\nDTSTART:20260110T180000"), **WINDOW, default_timezone="Europe/Rome").events
    assert (event.timezone, event.dtstart) == ("Europe/Rome", datetime(2026, 1, 10, 17, tzinfo=UTC))


def test_read_calendar_falls_back_with_a_warning_on_an_unknown_tzid():
    [event] = read_calendar(ics("UID:u\r\nDTSTART;TZID=Mars/Olympus:20260110T180000"), **WINDOW).events
    assert (event.timezone, event.dtstart) == ("Europe/Rome", datetime(2026, 1, 10, 17, tzinfo=UTC))
    assert event.warnings == ("Unknown time zone “Mars/Olympus”; the times were read in Europe/Rome.",)


def test_read_calendar_follows_the_events_iana_zone_across_daylight_saving():
    data = ics("UID:w\r\nDTSTART;TZID=Europe/Rome:20260320T100000\r\nDURATION:PT1H\r\nRRULE:FREQ=WEEKLY;COUNT=3")
    [event] = read_calendar(data, **WINDOW).events
    assert [start.hour for start, _end in event.occurrences] == [9, 9, 8]
    assert (event.timezone, event.rrule) == ("Europe/Rome", "FREQ=WEEKLY;COUNT=3")


def test_read_calendar_moves_one_instance_with_a_recurrence_id_override():
    master = "UID:r\r\nDTSTART:20260105T100000Z\r\nDTEND:20260105T110000Z\r\nRRULE:FREQ=DAILY;COUNT=3"
    moved = "UID:r\r\nRECURRENCE-ID:20260106T100000Z\r\nDTSTART:20260106T150000Z\r\nDTEND:20260106T170000Z"
    [event] = read_calendar(ics(master, moved), **WINDOW).events
    assert [start.isoformat() for start, _end in event.occurrences] == [
        "2026-01-05T10:00:00+00:00",
        "2026-01-06T15:00:00+00:00",
        "2026-01-07T10:00:00+00:00",
    ]
    [override] = event.overrides
    assert (override.recurrence_id, override.start) == (
        datetime(2026, 1, 6, 10, tzinfo=UTC),
        datetime(2026, 1, 6, 15, tzinfo=UTC),
    )


def test_read_calendar_removes_an_instance_listed_in_exdate():
    data = ics("UID:x\r\nDTSTART:20260105T100000Z\r\nRRULE:FREQ=DAILY;COUNT=3\r\nEXDATE:20260106T100000Z")
    [event] = read_calendar(data, **WINDOW).events
    assert [start.day for start, _end in event.occurrences] == [5, 7]
    assert event.exdates == (datetime(2026, 1, 6, 10, tzinfo=UTC),)


def test_read_calendar_adds_rdates():
    data = ics("UID:x\r\nDTSTART:20260105T100000Z\r\nRDATE:20260301T100000Z,20260401T100000Z")
    [event] = read_calendar(data, **WINDOW).events
    assert [start.month for start, _end in event.occurrences] == [1, 3, 4]


def test_read_calendar_derives_a_stable_uid_when_missing():
    data = ics("SUMMARY:No uid\r\nDTSTART:20260105T100000Z")
    first, second = read_calendar(data, **WINDOW).events[0], read_calendar(data, **WINDOW).events[0]
    assert first.uid == second.uid
    assert first.uid.endswith("@import.sinergia")
    assert first.warnings == ("The event has no UID; an identifier was derived from its content.",)


def test_read_calendar_truncates_a_huge_count_at_the_bound_quickly():
    data = ics("UID:c\r\nDTSTART:20200101T100000Z\r\nRRULE:FREQ=DAILY;COUNT=1000000000")
    began = time.monotonic()
    result = read_calendar(
        data, window_start=datetime(2026, 1, 1, tzinfo=UTC), window_end=datetime(2031, 1, 1, tzinfo=UTC)
    )
    assert time.monotonic() - began < 2
    [event] = result.events
    assert (len(event.occurrences), event.truncated) == (1000, True)
    assert event.occurrences[-1][0] == datetime(2028, 9, 26, 10, tzinfo=UTC)
    assert event.warnings == (
        "The event repeats beyond what can be imported: only 1000 occurrences, until 2028-09-26, were kept.",
    )


def test_read_calendar_marks_an_endless_rule_cut_by_the_horizon():
    limits = IcsLimits(max_horizon_days=30)
    [event] = read_calendar(
        ics("UID:h\r\nDTSTART:20260101T100000Z\r\nRRULE:FREQ=WEEKLY"), **WINDOW, limits=limits
    ).events
    assert (len(event.occurrences), event.truncated) == (5, True)


def test_read_calendar_rejects_a_rule_too_dense_to_expand():
    data = ics("UID:s\r\nSUMMARY:Every second\r\nDTSTART:20200101T100000Z\r\nRRULE:FREQ=SECONDLY")
    began = time.monotonic()
    [rejection] = read_calendar(data, **WINDOW).rejected
    assert time.monotonic() - began < 2
    assert (rejection.uid, rejection.summary) == ("s", "Every second")
    assert rejection.reason == "The repetition rule (RRULE) repeats too often to be expanded."


def test_read_calendar_reads_rules_that_never_match_again_quickly_keeping_only_the_start():
    never = [
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=DAILY;COUNT=5;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=WEEKLY;BYMONTH=4;BYMONTHDAY=31",
        "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=6",
        "FREQ=DAILY;INTERVAL=999999999",
    ]
    data = ics(*(f"UID:n{n}\r\nDTSTART:20260105T100000Z\r\nRRULE:{rule}" for n, rule in enumerate(never * 3)))
    began = time.monotonic()
    result = read_calendar(data, **WINDOW)
    assert time.monotonic() - began < 2
    assert (len(result.events), result.rejected) == (18, [])
    only_start = ((datetime(2026, 1, 5, 10, tzinfo=UTC), datetime(2026, 1, 5, 10, tzinfo=UTC)),)
    assert {(event.occurrences, event.truncated) for event in result.events} == {(only_start, False)}


def test_read_calendar_rejects_rules_too_costly_to_walk_quickly_with_their_reason():
    rules = {
        "setpos": "FREQ=YEARLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYSETPOS=" + ",".join(["1"] * 5000),
        "setpos-wide": "FREQ=YEARLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYSETPOS=" + ",".join(map(str, range(1, 367))),
        "hourly-never": "FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30",
    }
    data = ics(*(f"UID:{uid}\r\nDTSTART:20260105T100000Z\r\nRRULE:{rule}" for uid, rule in rules.items()))
    began = time.monotonic()
    result = read_calendar(data, **WINDOW)
    assert time.monotonic() - began < 2
    assert [(r.uid, r.reason) for r in result.rejected] == [
        ("setpos", "The repetition rule (RRULE) is invalid."),
        ("setpos-wide", "The repetition rule (RRULE) repeats too often to be expanded."),
        ("hourly-never", "The repetition rule (RRULE) repeats too often to be expanded."),
    ]


def test_read_calendar_refuses_a_file_of_many_rules_that_never_match_before_walking_them():
    never = [f"UID:{n}\r\nDTSTART:20260105T100000Z\r\nRRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30" for n in range(500)]
    began = time.monotonic()
    with pytest.raises(IcsRejected) as error:
        read_calendar(ics(*never), **WINDOW)
    assert time.monotonic() - began < 2
    assert error.value.code == "too_many_repetitions"


@pytest.mark.parametrize(
    ("lines", "reason"),
    [
        ("SUMMARY:x", "The event has no start date (DTSTART)."),
        ("DTSTART:2026XX01", "DTSTART is not a valid date or time."),
        ("DTSTART:20260105T100000Z\r\nDTEND:20260104T100000Z", "The event ends before it starts."),
        ("DTSTART:99990105T100000Z", "The date 9999-01-05 is outside the years 1900–2100."),
        ("DTSTART:18000105T100000Z", "The date 1800-01-05 is outside the years 1900–2100."),
        (
            "DTSTART:20260105T100000Z\r\nDURATION:P999999999W",
            "The event's duration (DURATION) is invalid or impractical.",
        ),
        ("DTSTART:20260105T100000Z\r\nRRULE:FREQ=SOMETIMES", "The repetition rule (RRULE) is invalid."),
    ],
)
def test_read_calendar_rejects_an_unusable_event_with_its_reason(lines, reason):
    result = read_calendar(ics(f"UID:bad\r\n{lines}", event_lines("good")), **WINDOW)
    assert [event.uid for event in result.events] == ["good"]
    assert [(r.uid, r.reason) for r in result.rejected] == [("bad", reason)]


def test_read_calendar_rejects_html():
    with pytest.raises(IcsRejected) as error:
        read_calendar(b"<!DOCTYPE html><html><body>Login</body></html>", **WINDOW)
    assert error.value.messages == ["This is not an iCalendar file: it looks like a web page."]


def test_read_calendar_rejects_a_file_over_the_size_limit():
    with pytest.raises(IcsRejected) as error:
        read_calendar(ics(event_lines()), **WINDOW, limits=IcsLimits(max_bytes=100))
    assert error.value.messages == ["The file is 175\xa0bytes; the most that can be imported is 100\xa0bytes."]


def test_read_calendar_rejects_too_many_events_before_parsing_them():
    limits = IcsLimits()
    one = "BEGIN:VEVENT\r\nUID:{0}\r\nDTSTART:20260105T100000Z\r\nEND:VEVENT\r\n"
    data = (
        "BEGIN:VCALENDAR\r\n" + "".join(one.format(n) for n in range(limits.max_events + 1)) + "END:VCALENDAR\r\n"
    ).encode()
    began = time.monotonic()
    with pytest.raises(IcsRejected) as error:
        read_calendar(data, **WINDOW)
    assert time.monotonic() - began < 1
    assert error.value.messages == [
        "The file has 20001 events; at most 20000 can be imported at once. Nothing was imported."
    ]


def test_read_calendar_reads_windows_1252_bytes_bom_and_lone_cr():
    data = b"\xef\xbb\xbfBEGIN:VCALENDAR\rBEGIN:VEVENT\rUID:a\rSUMMARY:Caff\xe8 \x96 arte\rDTSTART:20260105T100000Z\rEND:VEVENT\rEND:VCALENDAR"
    result = read_calendar(data, **WINDOW)
    assert result.events[0].summary == "Caffè – arte"
    assert result.warnings == ["The file is not in UTF-8; it was read as Windows-1252."]


def test_read_calendar_unfolds_folded_lines():
    data = ics("UID:a\r\nSUMMARY:Una mostra\r\n  lunga\r\nDTSTART:20260105T100000Z")
    assert read_calendar(data, **WINDOW).events[0].summary == "Una mostra lunga"


def test_read_calendar_rejects_a_broken_file_with_the_parsers_reason():
    with pytest.raises(IcsRejected) as error:
        read_calendar(b"BEGIN:VCALENDAR\r\nX\r\nEND:VCALENDAR\r\n", **WINDOW)
    assert error.value.messages[0].startswith("The file is not valid iCalendar and cannot be read (")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.binary(max_size=400),
        st.lists(
            st.sampled_from(
                [
                    b"BEGIN:VCALENDAR",
                    b"END:VCALENDAR",
                    b"BEGIN:VEVENT",
                    b"END:VEVENT",
                    b"UID:a",
                    b"DTSTART:20260101",
                    b"DTSTART;TZID=X:20260101T100000",
                    b"RRULE:FREQ=DAILY;COUNT=5",
                    b"RRULE:FREQ=SECONDLY",
                    b"RECURRENCE-ID:20260102",
                    b"EXDATE:2026",
                    b"DURATION:P1D",
                    b"DTEND:20250101",
                    b"BEGIN:VTIMEZONE",
                    b"END:VTIMEZONE",
                    b" folded",
                    b"\xff\xfe",
                ]
            ),
            max_size=25,
        ).map(b"\r\n".join),
    )
)
def test_read_calendar_raises_only_ics_rejected_on_arbitrary_bytes(data):
    try:
        result = read_calendar(data, **WINDOW)
    except IcsRejected as error:
        assert error.messages[0]
    else:
        assert all(rejection.reason for rejection in result.rejected)


def test_read_calendar_rejects_a_file_whose_repetitions_together_cost_too_much():
    daily = [f"UID:{n}\r\nDTSTART:20200101T100000Z\r\nRRULE:FREQ=DAILY" for n in range(30)]
    with pytest.raises(IcsRejected) as error:
        read_calendar(ics(*daily), **WINDOW, limits=IcsLimits(max_rrule_steps_total=50_000))
    assert error.value.code == "too_many_repetitions"


def test_read_calendar_stops_expanding_when_the_files_occurrence_budget_is_spent():
    weekly = [f"UID:{n}\r\nDTSTART:20260101T100000Z\r\nRRULE:FREQ=WEEKLY" for n in range(3)]
    events = read_calendar(ics(*weekly), **WINDOW, limits=IcsLimits(max_occurrences_total=60)).events
    assert [(len(event.occurrences), event.truncated) for event in events] == [(53, False), (7, True), (0, True)]


def test_read_calendar_rejects_a_file_with_too_many_lines_before_parsing():
    data = ics(event_lines() + "\r\nX-FILL:a" * 600_000)
    began = time.monotonic()
    with pytest.raises(IcsRejected) as error:
        read_calendar(data, **WINDOW)
    assert time.monotonic() - began < 1
    assert error.value.messages == ["The file has 600010 lines; at most 500000 can be read. Nothing was imported."]
