"""ics_import: an organisation's iCalendar file into its events, by UID, all or nothing unless skipped."""

import io
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from sinergia.calendar.ics import IcsRejected, IcsRejection
from sinergia.calendar.models import Event, Occurrence
from sinergia.calendar.services.imports import ics_import
from sinergia.core.models import AuditEntry, Notification
from sinergia.directory.models import OrganisationMember
from sinergia.networks.models import Membership
from tests import factories
from tests.factories import person

pytestmark = pytest.mark.django_db
ROME = ZoneInfo("Europe/Rome")
NEXT_YEAR = datetime.now(UTC).year + 1


def vevent(uid: str, summary: str = "Visita guidata", *, start: str = f"{NEXT_YEAR}0314T100000",
           end: str = f"{NEXT_YEAR}0314T120000", extra: str = "") -> str:
    lines = [f"UID:{uid}", f"SUMMARY:{summary}", f"DTSTART;TZID=Europe/Rome:{start}",
             f"DTEND;TZID=Europe/Rome:{end}", "DTSTAMP:20260101T000000Z", *filter(None, extra.split("\n"))]
    return "BEGIN:VEVENT\r\n" + "\r\n".join(lines) + "\r\nEND:VEVENT\r\n"


def vcalendar(*events: str) -> bytes:
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Museo//Calendario//IT\r\nX-WR-CALNAME:Museo\r\n"
            + "".join(events) + "END:VCALENDAR\r\n").encode()


@pytest.fixture
def museum(db):
    return factories.OrganisationFactory(name="Museo della Musica", address="Strada Maggiore 34",
                                         municipality="Bologna", locality="", province="Bologna",
                                         region="Emilia-Romagna", latitude=44.4929, longitude=11.3516)


@pytest.fixture
def editor(museum):
    return person(museum, OrganisationMember.Role.EDITOR, "editor@musica.example.org")


def run(museum, editor, data: bytes, **kwargs):
    return ics_import(organisation=museum, data=data, by=editor, **kwargs)


def test_import_adds_published_events_at_the_organisations_place(museum, editor):
    report = run(museum, editor, vcalendar(vevent("a@museo", "Concerto d'organo")))
    event = Event.objects.get()
    assert (report.applied, report.counts(), report.calendar_name) == (
        True, {"added": 1, "updated": 0, "unchanged": 0, "cancelled": 0, "rejected": 0}, "Museo")
    assert report.added == [event]
    assert (event.title, event.uid, event.status, event.visibility, event.category, event.created_by) == (
        "Concerto d'organo", "a@museo", Event.Status.PUBLISHED, Event.Visibility.PUBLIC, Event.Category.OTHER, editor)
    assert (event.venue, event.place_name, event.address, event.locality, event.region, event.latitude,
            event.longitude) == (museum, "Museo della Musica", "Strada Maggiore 34", "Bologna", "Emilia-Romagna",
                                 44.4929, 11.3516)
    assert (event.start, event.end, event.timezone) == (
        datetime(NEXT_YEAR, 3, 14, 10, tzinfo=ROME), datetime(NEXT_YEAR, 3, 14, 12, tzinfo=ROME), "Europe/Rome")
    assert event.published_at is not None


def test_import_materialises_the_occurrences(museum, editor):
    run(museum, editor, vcalendar(vevent("a@museo")))
    occurrence = Occurrence.objects.get()
    assert (occurrence.start, occurrence.end, occurrence.latitude, occurrence.region, occurrence.cancelled) == (
        datetime(NEXT_YEAR, 3, 14, 9, tzinfo=UTC), datetime(NEXT_YEAR, 3, 14, 11, tzinfo=UTC), 44.4929,
        "Emilia-Romagna", False)


def test_import_location_text_names_the_place_at_the_organisation(museum, editor):
    run(museum, editor, vcalendar(vevent("a@museo", extra="LOCATION:Sala del Cembalo")))
    assert Event.objects.values_list("place_name", "latitude").get() == ("Sala del Cembalo", 44.4929)


def test_import_geo_far_from_the_organisation_is_its_own_place(museum, editor):
    run(museum, editor, vcalendar(vevent("a@museo", extra="GEO:44.8381;11.6198\nLOCATION:Teatro Comunale")))
    event = Event.objects.get()
    assert (event.venue, event.place_name, event.address, event.region, event.latitude, event.longitude) == (
        None, "Teatro Comunale", "", "", 44.8381, 11.6198)


def test_import_geo_at_the_organisation_takes_its_address(museum, editor):
    run(museum, editor, vcalendar(vevent("a@museo", extra="GEO:44.4930;11.3517")))
    event = Event.objects.get()
    assert (event.venue, event.region, event.latitude, event.longitude) == (museum, "Emilia-Romagna", 44.493, 11.3517)


def test_import_without_geo_when_the_organisation_has_no_position_is_rejected(editor, museum):
    museum.latitude = museum.longitude = None
    museum.save()
    report = run(museum, editor, vcalendar(vevent("a@museo", "Concerto")))
    assert report.rejected == [IcsRejection(
        uid="a@museo", summary="Concerto",
        reason="The event has no coordinates (GEO) and Museo della Musica has no position on the map to use instead.")]
    assert (report.applied, Event.objects.count()) == (False, 0)


def test_import_all_day_event_runs_from_local_midnight_to_midnight_after_its_last_day(museum, editor):
    item = vevent("mostra@museo", "Mostra", extra="").replace(
        f"DTSTART;TZID=Europe/Rome:{NEXT_YEAR}0314T100000", f"DTSTART;VALUE=DATE:{NEXT_YEAR}0314").replace(
        f"DTEND;TZID=Europe/Rome:{NEXT_YEAR}0314T120000", f"DTEND;VALUE=DATE:{NEXT_YEAR}0317")
    run(museum, editor, vcalendar(item))
    event = Event.objects.get()
    assert (event.all_day, event.start, event.end) == (
        True, datetime(NEXT_YEAR, 3, 14, tzinfo=ROME), datetime(NEXT_YEAR, 3, 17, tzinfo=ROME))
    assert Occurrence.objects.values_list("all_day", "is_long").get() == (True, True)


def test_import_weekly_event_with_exception_and_moved_instance(museum, editor):
    master = vevent("corso@museo", "Corso", extra=f"RRULE:FREQ=WEEKLY;COUNT=5\n"
                                                  f"EXDATE;TZID=Europe/Rome:{NEXT_YEAR}0321T100000")
    moved = vevent("corso@museo", "Corso (spostato)", start=f"{NEXT_YEAR}0329T150000",
                   end=f"{NEXT_YEAR}0329T170000", extra=f"RECURRENCE-ID;TZID=Europe/Rome:{NEXT_YEAR}0328T100000")
    cancelled = vevent("corso@museo", "Corso", start=f"{NEXT_YEAR}0404T100000", end=f"{NEXT_YEAR}0404T120000",
                       extra=f"RECURRENCE-ID;TZID=Europe/Rome:{NEXT_YEAR}0404T100000\nSTATUS:CANCELLED")
    run(museum, editor, vcalendar(master, moved, cancelled))
    event = Event.objects.get()
    assert (event.rrule, event.exdates) == ("FREQ=WEEKLY;COUNT=5", [f"{NEXT_YEAR}-03-21T09:00:00+00:00"])
    assert [o["status"] for o in event.overrides] == ["confirmed", "cancelled"]
    starts = [(o.start.astimezone(ROME).strftime("%m-%d %H"), o.cancelled) for o in Occurrence.objects.all()]
    assert starts == [("03-14 10", False), ("03-29 15", False), ("04-04 10", True), ("04-11 10", False)]


def test_import_cancelled_event_is_added_cancelled(museum, editor):
    run(museum, editor, vcalendar(vevent("a@museo", extra="STATUS:CANCELLED")))
    assert Event.objects.get().status == Event.Status.CANCELLED
    assert Occurrence.objects.get().cancelled is True


def test_import_chosen_category_and_visibility(museum, editor):
    run(museum, editor, vcalendar(vevent("a@museo")), category=Event.Category.PERFORMANCE,
        visibility=Event.Visibility.NETWORKS)
    assert Event.objects.values_list("category", "visibility").get() == ("performance", "networks")


def test_import_unknown_category_is_a_field_error(museum, editor):
    with pytest.raises(ValidationError) as caught:
        run(museum, editor, vcalendar(vevent("a@museo")), category="rave")
    assert caught.value.message_dict == {"category": ["Unknown category “rave”."]}


def test_import_same_file_again_leaves_events_unchanged(museum, editor):
    data = vcalendar(vevent("a@museo", extra="SEQUENCE:2"))
    run(museum, editor, data)
    before = Event.objects.get()
    report = run(museum, editor, data)
    assert report.counts() == {"added": 0, "updated": 0, "unchanged": 1, "cancelled": 0, "rejected": 0}
    assert Event.objects.get().updated_at == before.updated_at


def test_import_higher_sequence_updates_the_event(museum, editor):
    run(museum, editor, vcalendar(vevent("a@museo", "Concerto", extra="SEQUENCE:1")))
    report = run(museum, editor, vcalendar(vevent("a@museo", "Concerto spostato", start=f"{NEXT_YEAR}0315T180000",
                                                  end=f"{NEXT_YEAR}0315T200000", extra="SEQUENCE:2")))
    event = Event.objects.get()
    assert report.updated == [event]
    assert (event.title, event.sequence, event.start) == ("Concerto spostato", 2,
                                                          datetime(NEXT_YEAR, 3, 15, 18, tzinfo=ROME))
    assert Occurrence.objects.get().start == datetime(NEXT_YEAR, 3, 15, 17, tzinfo=UTC)


def test_import_later_last_modified_updates_the_event(museum, editor):
    run(museum, editor, vcalendar(vevent("a@museo", "Prima", extra="LAST-MODIFIED:20260101T000000Z")))
    run(museum, editor, vcalendar(vevent("a@museo", "Dopo", extra="LAST-MODIFIED:20260201T000000Z")))
    assert Event.objects.values_list("title", "source_modified").get() == ("Dopo", datetime(2026, 2, 1, tzinfo=UTC))


def test_import_earlier_last_modified_is_unchanged(museum, editor):
    run(museum, editor, vcalendar(vevent("a@museo", "Dopo", extra="LAST-MODIFIED:20260201T000000Z")))
    report = run(museum, editor, vcalendar(vevent("a@museo", "Prima", extra="LAST-MODIFIED:20260101T000000Z")))
    assert (len(report.unchanged), Event.objects.get().title) == (1, "Dopo")


def test_import_changed_content_without_new_revision_updates(museum, editor):
    run(museum, editor, vcalendar(vevent("a@museo", "Concerto")))
    report = run(museum, editor, vcalendar(vevent("a@museo", "Concerto per organo")))
    assert (len(report.updated), Event.objects.get().title) == (1, "Concerto per organo")


def test_import_older_revision_does_not_overwrite_a_local_edit(museum, editor):
    run(museum, editor, vcalendar(vevent("a@museo", "Concerto")))
    Event.objects.update(title="Concerto (edited here)", sequence=1)
    report = run(museum, editor, vcalendar(vevent("a@museo", "Concerto, other text")))
    assert (len(report.unchanged), Event.objects.get().title) == (1, "Concerto (edited here)")


def test_import_update_keeps_what_editors_set_here(museum, editor):
    run(museum, editor, vcalendar(vevent("a@museo", "Concerto")))
    Event.objects.update(category=Event.Category.PERFORMANCE, place_name="Cortile", latitude=44.5, longitude=11.3)
    run(museum, editor, vcalendar(vevent("a@museo", "Concerto", extra="SEQUENCE:1")))
    assert Event.objects.values_list("category", "place_name", "latitude").get() == ("performance", "Cortile", 44.5)


def test_import_cancelling_an_event_reports_it_cancelled(museum, editor):
    run(museum, editor, vcalendar(vevent("a@museo")))
    report = run(museum, editor, vcalendar(vevent("a@museo", extra="SEQUENCE:1\nSTATUS:CANCELLED")))
    event = Event.objects.get()
    assert (report.cancelled, report.updated, event.status) == ([event], [], Event.Status.CANCELLED)
    assert Occurrence.objects.get().cancelled is True


def watchers_of(*events: Event) -> tuple:
    """A co-organiser's editor and a coordinator of a network the events are shared with: they hear of
    cancellations."""
    partner = factories.OrganisationFactory(name="Museo partner")
    network = factories.NetworkFactory(name="Rete dei musei")
    coordinating = factories.OrganisationFactory(name="Capofila")
    factories.MembershipFactory(network=network, organisation=coordinating, role=Membership.Role.COORDINATOR)
    for event in events:
        event.co_organisers.set([partner])
        event.networks.set([network])
    return (person(partner, OrganisationMember.Role.EDITOR, "editor@partner.example.org"),
            person(coordinating, OrganisationMember.Role.ADMIN, "admin@capofila.example.org"))


def told(user) -> list[tuple[str, str]]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", "title"))


def test_import_cancelling_a_shared_event_tells_co_organisers_and_coordinators(museum, editor):
    run(museum, editor, vcalendar(vevent("a@museo", "Concerto")))
    partner_editor, coordinator = watchers_of(Event.objects.get())
    run(museum, editor, vcalendar(vevent("a@museo", "Concerto", extra="SEQUENCE:1\nSTATUS:CANCELLED")))
    expected = [("calendar.event_cancelled", "“Concerto” of Museo della Musica has been cancelled")]
    assert (told(partner_editor), told(coordinator), told(editor)) == (expected, expected, [])


def test_import_check_of_a_cancellation_tells_nobody(museum, editor):
    run(museum, editor, vcalendar(vevent("a@museo", "Concerto")))
    watchers_of(Event.objects.get())
    run(museum, editor, vcalendar(vevent("a@museo", "Concerto", extra="SEQUENCE:1\nSTATUS:CANCELLED")), dry_run=True)
    assert Notification.objects.count() == 0


def test_import_cancelling_many_shared_events_reads_who_to_tell_once(museum, editor, django_assert_max_num_queries):
    run(museum, editor, vcalendar(*(vevent(f"{n}@museo", f"Evento {n}") for n in range(60))))
    partner_editor, coordinator = watchers_of(*Event.objects.all())
    cancelled = vcalendar(*(vevent(f"{n}@museo", f"Evento {n}", extra="SEQUENCE:1\nSTATUS:CANCELLED") for n in range(60)))
    # One notification insert per event (each has its own title and link); who to tell is read once.
    with django_assert_max_num_queries(25 + 60):
        report = run(museum, editor, cancelled)
    assert len(report.cancelled) == 60
    assert (Notification.objects.filter(recipient=partner_editor).count(),
            Notification.objects.filter(recipient=coordinator).count()) == (60, 60)


def test_import_matches_uids_only_within_the_organisation(museum, editor):
    other = factories.EventFactory(uid="a@museo", title="Someone else's")
    run(museum, editor, vcalendar(vevent("a@museo", "Ours")))
    assert sorted(Event.objects.values_list("organisation_id", "title")) == sorted(
        [(other.organisation_id, "Someone else's"), (museum.pk, "Ours")])


def test_import_with_a_rejected_event_applies_nothing_and_says_why(museum, editor):
    data = vcalendar(vevent("good@museo", "Buono"), vevent("bad@museo", "Rotto", start=f"{NEXT_YEAR}0314T100000",
                                                           end=f"{NEXT_YEAR}0313T100000"))
    report = run(museum, editor, data)
    assert report.rejected == [IcsRejection(uid="bad@museo", summary="Rotto",
                                            reason="The event ends before it starts.")]
    assert ([e.title for e in report.added], report.applied, Event.objects.count()) == (["Buono"], False, 0)


def test_import_skipping_rejected_events_imports_the_others(museum, editor):
    data = vcalendar(vevent("good@museo", "Buono"), vevent("bad@museo", "Rotto", start=f"{NEXT_YEAR}0314T100000",
                                                           end=f"{NEXT_YEAR}0313T100000"))
    report = run(museum, editor, data, skip_rejected=True)
    assert (report.applied, len(report.rejected), list(Event.objects.values_list("title", flat=True))) == (
        True, 1, ["Buono"])


def test_import_dry_run_reports_and_writes_nothing(museum, editor):
    report = run(museum, editor, vcalendar(vevent("a@museo", "Concerto")), dry_run=True)
    assert ([e.title for e in report.added], report.applied) == (["Concerto"], False)
    assert (Event.objects.count(), AuditEntry.objects.count()) == (0, 0)


def test_import_unreadable_file_raises_and_keeps_the_calendar(museum, editor):
    run(museum, editor, vcalendar(vevent("a@museo", "Concerto")))
    with pytest.raises(IcsRejected) as caught:
        run(museum, editor, b"<!DOCTYPE html><html><body>Calendar</body></html>")
    assert caught.value.messages == ["This is not an iCalendar file: it looks like a web page."]
    assert list(Event.objects.values_list("title", flat=True)) == ["Concerto"]
    assert Occurrence.objects.count() == 1


def test_import_file_larger_than_the_limit_is_refused(museum, editor, settings):
    settings.CALENDAR_IMPORT_MAX_BYTES = 1000
    with pytest.raises(IcsRejected) as caught:
        run(museum, editor, vcalendar(*(vevent(f"{n}@museo") for n in range(10))))
    assert caught.value.code == "too_large"
    assert Event.objects.count() == 0


def test_import_repeated_uid_keeps_the_latest_revision_with_a_warning(museum, editor):
    data = vcalendar(vevent("a@museo", "Nuovo", extra="SEQUENCE:3")) + vcalendar(
        vevent("a@museo", "Vecchio", extra="SEQUENCE:1"))
    report = run(museum, editor, data)
    assert Event.objects.values_list("title", "sequence").get() == ("Nuovo", 3)
    assert report.warnings == ["The event “Vecchio” appears more than once (UID a@museo); its latest revision was kept."]


def test_import_records_an_audit_entry(museum, editor):
    run(museum, editor, vcalendar(vevent("a@museo"), vevent("b@museo")))
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.target_id, entry.data) == (
        editor, "calendar.import", str(museum.pk),
        {"added": 2, "updated": 0, "unchanged": 0, "cancelled": 0, "rejected": 0})


@pytest.mark.parametrize(("actor", "allowed"), [
    ("anonymous", False), ("outsider", False), ("org_member", False), ("org_editor", True), ("org_admin", True),
    ("network_member", False), ("operator", True),
])
def test_import_permissions(museum, actor, allowed):
    network = factories.NetworkFactory()
    factories.MembershipFactory(network=network, organisation=museum)
    peer = factories.MembershipFactory(network=network).organisation
    users = {
        "anonymous": lambda: AnonymousUser(),
        "outsider": lambda: factories.UserFactory(),
        "org_member": lambda: person(museum, OrganisationMember.Role.MEMBER, "m@musica.example.org"),
        "org_editor": lambda: person(museum, OrganisationMember.Role.EDITOR, "e@musica.example.org"),
        "org_admin": lambda: person(museum, OrganisationMember.Role.ADMIN, "a@musica.example.org"),
        "network_member": lambda: person(peer, OrganisationMember.Role.ADMIN, "a@peer.example.org"),
        "operator": lambda: factories.UserFactory(is_staff=True),
    }
    data = vcalendar(vevent("a@museo"))
    if allowed:
        assert ics_import(organisation=museum, data=data, by=users[actor]()).applied is True
    else:
        with pytest.raises(PermissionDenied):
            ics_import(organisation=museum, data=data, by=users[actor]())
        assert Event.objects.count() == 0


def test_import_of_a_thousand_events_takes_seconds(museum, editor):
    first = date(NEXT_YEAR, 1, 5)
    items = []
    for n in range(1000):
        day = (first + timedelta(days=n % 300)).strftime("%Y%m%d")
        rule = "RRULE:FREQ=WEEKLY;COUNT=8" if n % 3 == 0 else ""
        items.append(vevent(f"{n}@museo", f"Evento {n}", start=f"{day}T100000", end=f"{day}T120000", extra=rule))
    started = time.monotonic()
    report = run(museum, editor, vcalendar(*items))
    elapsed = time.monotonic() - started
    assert (len(report.added), Event.objects.count(), Occurrence.objects.count()) == (1000, 1000, 334 * 8 + 666)
    assert elapsed < 10, f"importing 1,000 events took {elapsed:.1f} s"


# --- manage.py import_calendar ---------------------------------------------------------------------------------------


def command(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_calendar", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def ics_file(tmp_path):
    def write(*events: str):
        path = tmp_path / "calendario.ics"
        path.write_bytes(vcalendar(*events))
        return str(path)
    return write


BROKEN = vevent("bad@museo", "Rotto", start=f"{NEXT_YEAR}0314T100000", end=f"{NEXT_YEAR}0313T100000")


def test_command_imports_and_reports_counts(museum, ics_file):
    out, _err = command(museum.slug, ics_file(vevent("a@museo"), vevent("b@museo")), "--category", "talk")
    assert out == ("Imported into “Museo della Musica”: 2 added, 0 updated, 0 unchanged, 0 cancelled, "
                   "0 rejected.\n")
    assert list(Event.objects.values_list("category", "created_by")) == [("talk", None), ("talk", None)]


def test_command_dry_run_writes_nothing(museum, ics_file):
    out, _err = command(museum.slug, ics_file(vevent("a@museo")), "--dry-run")
    assert out.startswith("Would import into “Museo della Musica”: 1 added,")
    assert Event.objects.count() == 0


def test_command_with_rejected_events_lists_them_and_imports_nothing(museum, ics_file):
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"^1 event\(s\) were rejected; nothing was imported\. Use "):
        call_command("import_calendar", museum.slug, ics_file(vevent("a@museo"), BROKEN), stdout=io.StringIO(),
                     stderr=err)
    assert err.getvalue() == "bad@museo “Rotto”: The event ends before it starts.\n"
    assert Event.objects.count() == 0


def test_command_skip_rejected_imports_the_others(museum, ics_file):
    out, _err = command(museum.slug, ics_file(vevent("a@museo"), BROKEN), "--skip-rejected")
    assert out.endswith("1 added, 0 updated, 0 unchanged, 0 cancelled, 1 rejected.\n")
    assert list(Event.objects.values_list("uid", flat=True)) == ["a@museo"]


def test_command_unknown_organisation_is_an_error(db, ics_file):
    with pytest.raises(CommandError, match=r"^No organisation has the slug “nessuno”\.$"):
        command("nessuno", ics_file(vevent("a@museo")))


def test_command_unreadable_file_is_an_error(museum, tmp_path):
    path = tmp_path / "page.ics"
    path.write_text("<html><body>Calendar</body></html>")
    with pytest.raises(CommandError, match=r"^This is not an iCalendar file: it looks like a web page\.$"):
        command(museum.slug, str(path))


def test_command_missing_file_is_an_error(museum, tmp_path):
    with pytest.raises(CommandError, match=r"^Cannot read .*missing\.ics: No such file or directory$"):
        command(museum.slug, str(tmp_path / "missing.ics"))


def test_import_queries_do_not_grow_with_the_number_of_events(museum, editor, django_assert_max_num_queries):
    run(museum, editor, vcalendar(*(vevent(f"old{n}@museo", f"Evento {n}") for n in range(100))))
    data = vcalendar(*(vevent(f"old{n}@museo", f"Evento {n}", extra="SEQUENCE:1") for n in range(100)),
                     *(vevent(f"new{n}@museo", f"Nuovo {n}") for n in range(100)))
    with django_assert_max_num_queries(20):
        report = run(museum, editor, data)
    assert (len(report.added), len(report.updated)) == (100, 100)
