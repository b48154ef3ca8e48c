"""read_calendar on every real iCalendar file in the shared data, against the peer libraries' reference counts."""

import json
from collections import Counter
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import translation

from sinergia.calendar.ics import IcsLimits, IcsReadResult, IcsRejected, read_calendar

ICS_DIR = Path(settings.SHARED_DATA_DIR) / "ics"
pytestmark = pytest.mark.skipif(not ICS_DIR.is_dir(), reason=f"shared iCalendar files not found in {ICS_DIR}")

# The reference window is naive dates; read as Europe/Rome wall time they give the same edges for
# floating and all-day events (the reference library compares those in local wall time too).
ROME = ZoneInfo("Europe/Rome")
WINDOW = {"window_start": datetime(1990, 1, 1, tzinfo=ROME), "window_end": datetime(2031, 1, 1, tzinfo=ROME)}
# Our bounds lifted, except the per-event occurrence cap, so counts compare with the reference's.
NO_HORIZON = IcsLimits(max_horizon_days=20_000)
UNBOUNDED = IcsLimits(max_horizon_days=20_000, max_occurrences_per_event=10**6, max_rrule_steps=10**7)

# The files icalendar itself cannot parse (parse_ok false in the reference): the whole file is refused.
REJECTED_FILES = {
    "ics-icalendar-tests/calendars/fuzz_testcase_invalid_month.ics",
    "ics-icalendar-tests/calendars/fuzz_testcase_vtimezone_lone_cr.ics",
    "ics-icalendar-tests/calendars/issue_104_broken_calendar.ics",
    "ics-icalendar-tests/calendars/parsing_error_in_UTC_offset.ics",
    "ics-icalendar-tests/fuzzing_corpus/Index_Error.ics",
    "ics-icalendar-tests/fuzzing_corpus/Type_Error.ics",
}

# Files where our count differs from the reference on purpose, with (reference, ours):
KNOWN_DIFFERENCES = {
    # DTEND before DTSTART: recurring-ical-events still returns the event; the issue asks that an event
    # ending before it starts is rejected with a clear reason ("The event ends before it starts.").
    "ics-recurring-ical-events/calendars/end_before_start_event.ics": (1, 0),
    "ics-recurring-ical-events/calendars/issue_132_swapped_start_and_end.ics": (1, 0),
}

# Events cut at the default 1,000 occurrences per event over 1990-2031: (reference total, our total).
TRUNCATED_AT_DEFAULT_BOUND = {
    "ics-icalendar-tests/calendars/x_location.ics": (3698, 1000),
    "ics-recurring-ical-events/calendars/issue_243_recurrence_id_is_not_identical_to_dtstart.ics": (5601, 1000),
    "ics-recurring-ical-events/calendars/issue_48_dst.ics": (7438, 6326),
    "ics-recurring-ical-events/calendars/one_day_event_repeat_every_day.ics": (4321, 1000),
    "ics-recurring-ical-events/calendars/one_event_repeat_every_3_days.ics": (1441, 1000),
}


def _reference() -> dict:
    return json.loads((ICS_DIR / "_reference_counts.json").read_text())["files"]


def _read_all(limits: IcsLimits) -> dict[str, IcsReadResult | IcsRejected]:
    results: dict[str, IcsReadResult | IcsRejected] = {}
    for path in sorted(ICS_DIR.rglob("*.ics")):
        try:
            results[str(path.relative_to(ICS_DIR))] = read_calendar(path.read_bytes(), **WINDOW, limits=limits)
        except IcsRejected as error:
            results[str(path.relative_to(ICS_DIR))] = error
    return results


@pytest.fixture(scope="module")
def unbounded():
    with translation.override("en"):  # module fixtures run before the suite's English override
        return _read_all(UNBOUNDED)


def _total(result: IcsReadResult) -> int:
    return sum(len(event.occurrences) for event in result.events)


def test_every_shared_file_is_read_or_rejected_with_a_message(unbounded):
    rejected = {name for name, result in unbounded.items() if isinstance(result, IcsRejected)}
    assert len(unbounded) == len(_reference()) == 293
    assert rejected == REJECTED_FILES
    assert all(unbounded[name].messages[0] for name in rejected)


def test_every_rejected_event_has_a_specific_reason(unbounded):
    reasons = Counter(
        r.reason for result in unbounded.values() if isinstance(result, IcsReadResult) for r in result.rejected
    )
    assert reasons == {
        "The event has no start date (DTSTART).": 58,
        "DTSTART is not a valid date or time.": 7,
        # Unknown FREQ, a missing UNTIL value, a backslash-escaped rule and RSCALE=CHINESE (RFC 7529).
        "The repetition rule (RRULE) is invalid.": 7,
        "RDATE contains an invalid date.": 5,
        "EXDATE contains an invalid date.": 1,
        "The event's duration (DURATION) is invalid or impractical.": 1,
        "The event ends before it starts.": 2,
    }


def test_shared_files_occurrence_counts_match_the_reference(unbounded):
    differences = {}
    for name, expected in _reference().items():
        result = unbounded[name]
        if expected.get("parse_ok") and "occurrences_in_window" in expected:
            ours = _total(result) if isinstance(result, IcsReadResult) else None
            if ours != expected["occurrences_in_window"]:
                differences[name] = (expected["occurrences_in_window"], ours)
    assert differences == KNOWN_DIFFERENCES


def test_shared_files_truncated_at_the_default_occurrence_bound():
    reference = _reference()
    truncated = {
        name: (reference[name]["occurrences_in_window"], _total(result))
        for name, result in _read_all(NO_HORIZON).items()
        if isinstance(result, IcsReadResult) and any(event.truncated for event in result.events)
    }
    assert truncated == TRUNCATED_AT_DEFAULT_BOUND
