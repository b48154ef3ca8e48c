"""Every real iCalendar file of the shared data imported into an organisation, against the reference counts."""

import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.test import override_settings
from django.utils import translation

from sinergia.calendar.ics import IcsRejected
from sinergia.calendar.models import Event, Occurrence
from sinergia.calendar.services.imports import ics_import
from tests import factories

ICS_DIR = Path(settings.SHARED_DATA_DIR) / "ics"
pytestmark = pytest.mark.skipif(not ICS_DIR.is_dir(), reason=f"shared iCalendar files not found in {ICS_DIR}")

ROME = ZoneInfo("Europe/Rome")
# The reference counts occurrences between these dates (read as Europe/Rome wall time, as in the reader's test).
WINDOW = (datetime(1990, 1, 1, tzinfo=ROME), datetime(2031, 1, 1, tzinfo=ROME))

# The files icalendar itself cannot parse (parse_ok false in the reference): the whole file is refused.
REJECTED_FILES = {
    "ics-icalendar-tests/calendars/fuzz_testcase_invalid_month.ics",
    "ics-icalendar-tests/calendars/fuzz_testcase_vtimezone_lone_cr.ics",
    "ics-icalendar-tests/calendars/issue_104_broken_calendar.ics",
    "ics-icalendar-tests/calendars/parsing_error_in_UTC_offset.ics",
    "ics-icalendar-tests/fuzzing_corpus/Index_Error.ics",
    "ics-icalendar-tests/fuzzing_corpus/Type_Error.ics",
}

CALENDARS = "ics-recurring-ical-events/calendars"
# Files whose materialised occurrences differ from the reference, with (reference, ours) and why. The stored event
# keeps the file's rule, dates and changed instances; the occurrences are expanded from those stored values.
KNOWN_DIFFERENCES = {
    # DTEND before DTSTART: the reference still returns the event; here it is rejected with "The event ends
    # before it starts." (the issue asks for it), so nothing is imported from these files.
    f"{CALENDARS}/end_before_start_event.ics": (1, 0),
    f"{CALENDARS}/issue_132_swapped_start_and_end.ics": (1, 0),
    # Two instances moved onto the same time are one occurrence here (one occurrence per event and start).
    f"{CALENDARS}/same_event_recurring_at_same_time.ics": (6, 2),
    # RECURRENCE-ID;RANGE=THISANDFUTURE: the change is kept for that instance only, not for the ones after it.
    f"{CALENDARS}/issue_75_range_parameter.ics": (193, 194),
    # A changed instance without its master, carrying RDATEs: the reference shows only the instance; here the
    # reader takes it as the series, so its RDATEs are occurrences too.
    "ics-icalendar-tests/calendars/issue_156_RDATE_with_PERIOD_TZID_khal.ics": (1, 19),
    "ics-icalendar-tests/calendars/issue_156_RDATE_with_PERIOD_TZID_khal_2.ics": (1, 4),
    # EXDATEs in UTC on a floating series: here they are instants that match no instance of the local-time series.
    "ics-icalendar-tests/events/event_with_recurrence.ics": (97, 100),
    "ics-icalendar-tests/fuzzing_corpus/event_with_recurrence.ics": (97, 100),
    # UNTIL before DTSTART: DTSTART is still the first instance here (RFC 5545: it always is).
    f"{CALENDARS}/issue_117_until_before_dtstart.ics": (0, 1),
    # An invalid rule part (COUNT=-1) next to UNTIL: here the rule is left out, keeping only DTSTART.
    f"{CALENDARS}/issue_128_only_first_event.ics": (7, 1),
    # A changed instance whose RECURRENCE-ID is excluded (EXDATE) or beyond UNTIL still shows here.
    f"{CALENDARS}/issue_148_edge_case_1.ics": (2, 3),
    f"{CALENDARS}/issue_163_deleted_modification.ics": (111, 112),
    f"{CALENDARS}/issue_253_additional_recurrence_id.ics": (2, 3),
    # UNTIL in UTC (23:00Z) on an all-day series is read in the event's zone (Europe/Rome), where it is already
    # the next day: each of the two series keeps one more instance.
    f"{CALENDARS}/issue_28_rrule_with_UTC_endinginZ.ics": (24, 26),
}


def _reference() -> dict:
    return json.loads((ICS_DIR / "_reference_counts.json").read_text())["files"]


def _horizon_settings(now: datetime) -> dict:
    """A horizon reaching from before 1990 to after 2031 and a per-event bound above the largest reference count,
    so the materialised occurrences can be compared with the reference's."""
    return {
        "CALENDAR_HISTORY_MONTHS": (now.year - 1989) * 12 + now.month,
        "CALENDAR_HORIZON_MONTHS": max((2031 - now.year) * 12 + 2, 1),
        "CALENDAR_MAX_OCCURRENCES_PER_EVENT": 10_000,
    }


def _in_window() -> Q:
    """Occurrences overlapping the window (an instant counts at its moment), as the expansion decides."""
    return Q(start__lt=WINDOW[1]) & (Q(end__gt=WINDOW[0]) | Q(start__gte=WINDOW[0]))


def _import(name: str, data: bytes) -> dict:
    organisation = factories.OrganisationFactory(slug=f"org-{abs(hash(name))}", latitude=44.49, longitude=11.34)
    kept = factories.EventFactory(organisation=organisation, uid="already-here@sinergia")
    try:
        report = ics_import(organisation=organisation, data=data, by=None, skip_rejected=True)
    except IcsRejected as error:
        outcome: dict = {"refused": error.messages[0]}
    else:
        outcome = {"read": len(report.added) + len(report.updated) + len(report.unchanged) + len(report.cancelled),
                   "rejected": [r.reason for r in report.rejected]}
    imported = Event.objects.filter(organisation=organisation).exclude(pk=kept.pk)
    outcome |= {
        "events": imported.count(),
        "occurrences": Occurrence.objects.filter(_in_window(), event__in=imported).count(),
        "kept": Occurrence.objects.filter(event=kept).count() == 1 and Event.objects.filter(pk=kept.pk).exists(),
    }
    return outcome


@pytest.fixture(scope="module")
def imported(django_db_setup, django_db_blocker) -> dict[str, dict]:
    """Each file imported into its own organisation (which already had one event), then all rolled back."""
    outcomes = {}
    with (django_db_blocker.unblock(), translation.override("en"),
          override_settings(**_horizon_settings(datetime.now(UTC))), transaction.atomic()):
        for path in sorted(ICS_DIR.rglob("*.ics")):
            outcomes[str(path.relative_to(ICS_DIR))] = _import(str(path), path.read_bytes())
        transaction.set_rollback(True)
    return outcomes


def test_every_shared_file_is_imported_or_refused_with_a_message(imported):
    refused = {name for name, outcome in imported.items() if "refused" in outcome}
    assert len(imported) == len(_reference()) == 293
    assert refused == REJECTED_FILES
    assert all(imported[name]["refused"] and imported[name]["events"] == 0 for name in refused)


def test_no_import_loses_what_was_already_on_the_calendar(imported):
    assert [name for name, outcome in imported.items() if not outcome["kept"]] == []


def test_every_read_event_becomes_one_event(imported):
    assert {name: (o["read"], o["events"]) for name, o in imported.items()
            if "read" in o and o["read"] != o["events"]} == {}


def test_every_rejected_event_has_a_reason(imported):
    assert all(reason for outcome in imported.values() for reason in outcome.get("rejected", []))


def test_materialised_occurrences_match_the_reference(imported):
    differences = {}
    for name, expected in _reference().items():
        if expected.get("parse_ok") and "occurrences_in_window" in expected:
            ours = imported[name]["occurrences"]
            if ours != expected["occurrences_in_window"]:
                differences[name] = (expected["occurrences_in_window"], ours)
    assert differences == KNOWN_DIFFERENCES
