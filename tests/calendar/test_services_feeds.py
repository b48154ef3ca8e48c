"""Feeds: registering a calendar URL and keeping it in sync by UID from a real HTTP server on 127.0.0.1."""

import hashlib
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sinergia.calendar.models import CalendarFeed, Event, Occurrence
from sinergia.calendar.services.feeds import (
    feed_add,
    feed_remove,
    feed_sync,
    feed_update,
    feeds_claim_due,
    feeds_due,
)
from sinergia.core.models import AuditEntry, Notification
from sinergia.directory.models import OrganisationMember
from sinergia.networks.models import Membership
from tests import factories
from tests.factories import person

pytestmark = pytest.mark.django_db
Status = CalendarFeed.SyncStatus
NEXT_YEAR = datetime.now(UTC).year + 1


def vevent(uid: str, summary: str, day: str = f"{NEXT_YEAR}0314", extra: str = "") -> str:
    lines = [f"UID:{uid}", f"SUMMARY:{summary}", f"DTSTART:{day}T090000Z", f"DTEND:{day}T110000Z",
             "DTSTAMP:20260101T000000Z", *filter(None, extra.split("\n"))]
    return "BEGIN:VEVENT\r\n" + "\r\n".join(lines) + "\r\nEND:VEVENT\r\n"


def vcalendar(*events: str) -> bytes:
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Museo//IT\r\nX-WR-CALNAME:Calendario del museo\r\n"
            + "".join(events) + "END:VCALENDAR\r\n").encode()


class Handler(BaseHTTPRequestHandler):
    """Serves the server's current calendar with an ETag; or the failure the test set."""

    def do_GET(self):
        server = self.server
        server.hits += 1
        if server.failure == "slow":
            time.sleep(1.5)
        if server.failure == "error":
            return self._send(500, b"oops", "text/plain")
        if server.failure == "html":
            return self._send(200, b"<!DOCTYPE html><html></html>", "text/html")
        etag = '"' + hashlib.sha256(server.calendar).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return None
        return self._send(200, server.calendar, "text/calendar", etag)

    def _send(self, status: int, body: bytes, content_type: str, etag: str = ""):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if etag:
            self.send_header("ETag", etag)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        """A client that gave up (the timeout test) is expected here."""


@pytest.fixture
def server(settings):
    settings.CALENDAR_FEED_ALLOW_PRIVATE_ADDRESSES = ["127.0.0.1/32"]
    settings.CALENDAR_FEED_TIMEOUT_SECONDS = 5  # generous: under load a slow answer must not read as a timeout
    httpd = Server(("127.0.0.1", 0), Handler)
    httpd.calendar, httpd.failure, httpd.hits = vcalendar(), "", 0
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def museum(db):
    return factories.OrganisationFactory(name="Museo Morandi", latitude=44.4949, longitude=11.3426)


@pytest.fixture
def admin(museum):
    return person(museum, OrganisationMember.Role.ADMIN, "admin@morandi.example.org")


@pytest.fixture
def feed(museum, server):
    return factories.CalendarFeedFactory(organisation=museum, name="",
                                         url=f"http://127.0.0.1:{server.server_port}/calendar.ics")


def titles(**filters) -> list[tuple[str, str]]:
    return list(Event.objects.filter(**filters).order_by("uid").values_list("uid", "status"))


# --- feed_sync ---------------------------------------------------------------------------------------------------


def test_sync_adds_the_feeds_events_as_published(feed, server):
    server.calendar = vcalendar(vevent("a@m", "Mostra"), vevent("b@m", "Concerto"))
    feed_sync(feed=feed)
    assert titles(feed=feed) == [("a@m", "published"), ("b@m", "published")]
    assert Occurrence.objects.filter(event__feed=feed).count() == 2
    assert (feed.status, feed.added_count, feed.updated_count, feed.cancelled_count, feed.error) == (
        Status.OK, 2, 0, 0, "")


def test_sync_records_validators_times_and_the_calendar_name(feed, server):
    now = timezone.now()
    feed_sync(feed=feed, now=now)
    feed.refresh_from_db()
    assert feed.etag.startswith('"') and feed.name == "Calendario del museo"
    assert (feed.last_attempt_at, feed.last_success_at, feed.next_sync_at) == (now, now, now + timedelta(hours=1))


def test_sync_new_events_take_the_feeds_defaults(feed, server):
    feed.default_category, feed.default_visibility = Event.Category.WORKSHOP, Event.Visibility.NETWORKS
    server.calendar = vcalendar(vevent("a@m", "Laboratorio"))
    feed_sync(feed=feed)
    assert Event.objects.values_list("category", "visibility").get() == ("workshop", "networks")


def test_sync_unchanged_feed_is_not_modified(feed, server):
    server.calendar = vcalendar(vevent("a@m", "Mostra"))
    feed_sync(feed=feed)
    before = Event.objects.get().updated_at
    feed_sync(feed=feed)
    feed.refresh_from_db()
    assert (feed.status, feed.added_count, Event.objects.get().updated_at) == (Status.NOT_MODIFIED, 0, before)


def test_sync_updates_changed_and_cancels_vanished_future_events(feed, server):
    past = (datetime.now(UTC) - timedelta(days=30)).strftime("%Y%m%d")
    server.calendar = vcalendar(vevent("keep@m", "Mostra"), vevent("move@m", "Concerto"),
                                vevent("gone@m", "Conferenza"), vevent("old@m", "Passato", day=past))
    feed_sync(feed=feed)
    server.calendar = vcalendar(vevent("keep@m", "Mostra"), vevent("move@m", "Concerto", extra="SEQUENCE:1"),
                                vevent("new@m", "Laboratorio"))
    feed_sync(feed=feed)
    assert titles() == [("gone@m", "cancelled"), ("keep@m", "published"), ("move@m", "published"),
                        ("new@m", "published"), ("old@m", "published")]
    assert (feed.added_count, feed.updated_count, feed.cancelled_count) == (1, 1, 1)
    assert Occurrence.objects.get(event__uid="gone@m").cancelled is True
    assert Event.objects.get(uid="gone@m").sequence == 1


def watchers_of(event: Event, *also: Any) -> tuple:
    """A co-organiser's editor and a network's coordinator (the event is shared with both); `also` coordinate too."""
    partner = factories.OrganisationFactory(name="Museo partner")
    network = factories.NetworkFactory(name="Rete dei musei")
    coordinating = factories.OrganisationFactory(name="Capofila")
    factories.MembershipFactory(network=network, organisation=coordinating, role=Membership.Role.COORDINATOR)
    coordinator = person(coordinating, OrganisationMember.Role.ADMIN, "admin@capofila.example.org")
    for user in also:
        factories.OrganisationMemberFactory(organisation=coordinating, user=user, role=OrganisationMember.Role.ADMIN)
    event.co_organisers.set([partner])
    event.networks.set([network])
    return person(partner, OrganisationMember.Role.EDITOR, "editor@partner.example.org"), coordinator


def told(user) -> list[tuple[str, str]]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", "title"))


def test_sync_cancelling_a_vanished_shared_event_tells_co_organisers_and_coordinators(feed, server, museum):
    server.calendar = vcalendar(vevent("keep@m", "Mostra"), vevent("gone@m", "Conferenza"))
    feed_sync(feed=feed)
    partner_editor, coordinator = watchers_of(Event.objects.get(uid="gone@m"))
    server.calendar = vcalendar(vevent("keep@m", "Mostra"))
    feed_sync(feed=feed)
    expected = [("calendar.event_cancelled", "“Conferenza” of Museo Morandi has been cancelled")]
    assert (told(partner_editor), told(coordinator)) == (expected, expected)


def test_sync_cancelling_an_event_the_feed_marks_cancelled_tells_them_too(feed, server, museum):
    server.calendar = vcalendar(vevent("a@m", "Mostra"))
    feed_sync(feed=feed)
    partner_editor, _coordinator = watchers_of(Event.objects.get())
    server.calendar = vcalendar(vevent("a@m", "Mostra", extra="SEQUENCE:1\nSTATUS:CANCELLED"))
    feed_sync(feed=feed)
    assert told(partner_editor) == [("calendar.event_cancelled", "“Mostra” of Museo Morandi has been cancelled")]


def test_sync_adopts_the_same_events_imported_by_hand_and_later_cancels_them(feed, server, museum):
    factories.EventFactory(organisation=museum, uid="a@m", title="Mostra", sequence=5)
    server.calendar = vcalendar(vevent("a@m", "Mostra"), vevent("b@m", "Concerto"))
    feed_sync(feed=feed)
    server.calendar = vcalendar(vevent("b@m", "Concerto"))
    feed_sync(feed=feed)
    assert titles() == [("a@m", "cancelled"), ("b@m", "published")]


def test_sync_stores_rejected_items_with_reasons_and_imports_the_others(feed, server):
    server.calendar = vcalendar(vevent("a@m", "Mostra"), vevent("bad@m", "Rotto", extra="RRULE:FREQ=SOMETIMES"))
    feed_sync(feed=feed)
    assert feed.status == Status.PARTIAL
    assert feed.rejected == [{"uid": "bad@m", "summary": "Rotto", "reason": "The repetition rule (RRULE) is invalid."}]
    assert titles() == [("a@m", "published")]


def test_sync_does_not_cancel_an_event_that_is_only_rejected_this_time(feed, server):
    server.calendar = vcalendar(vevent("a@m", "Mostra"))
    feed_sync(feed=feed)
    server.calendar = vcalendar(vevent("a@m", "Mostra", extra="SEQUENCE:1\nRRULE:FREQ=SOMETIMES"))
    feed_sync(feed=feed)
    assert (feed.status, titles()) == (Status.PARTIAL, [("a@m", "published")])


def test_sync_failure_is_recorded_and_changes_no_event(feed, server):
    server.calendar = vcalendar(vevent("a@m", "Mostra"))
    feed_sync(feed=feed)
    server.failure = "error"
    feed_sync(feed=feed)
    feed.refresh_from_db()
    assert (feed.status, feed.error) == (Status.FAILED, "The server answered 500 Internal Server Error.")
    assert titles() == [("a@m", "published")]


def test_sync_of_an_unreadable_calendar_fails_and_keeps_the_events(feed, server):
    server.calendar = vcalendar(vevent("a@m", "Mostra"))
    feed_sync(feed=feed)
    server.calendar = b"Calendar temporarily unavailable"
    feed_sync(feed=feed)
    assert (feed.status, feed.error) == (Status.FAILED, "This is not an iCalendar file.")
    assert titles() == [("a@m", "published")]


def test_sync_of_a_feed_that_became_empty_fails_and_cancels_nothing(feed, server):
    server.calendar = vcalendar(vevent("a@m", "Mostra"))
    feed_sync(feed=feed)
    server.calendar = vcalendar()
    feed_sync(feed=feed)
    assert feed.status == Status.FAILED
    assert feed.error == ("The feed has no events at all now; its events were kept as they were. If the calendar "
                          "really is empty, remove the feed.")
    assert titles() == [("a@m", "published")]


def test_sync_timeout_fails_with_a_clear_message(feed, server, settings):
    settings.CALENDAR_FEED_TIMEOUT_SECONDS = 0.5
    server.failure = "slow"
    feed_sync(feed=feed)
    assert (feed.status, feed.error) == (Status.FAILED, "The server did not send the calendar within 0.5 seconds.")


def test_sync_html_answer_fails(feed, server):
    server.failure = "html"
    feed_sync(feed=feed)
    assert feed.error == "The address gives a web page, not a calendar: use the calendar's iCalendar (.ics) link."


def test_sync_to_a_private_address_fails_when_not_allowed(feed, server, settings):
    settings.CALENDAR_FEED_ALLOW_PRIVATE_ADDRESSES = False
    feed_sync(feed=feed)
    assert (feed.status, server.hits) == (Status.FAILED, 0)
    assert "a local or private network address" in feed.error


def test_sync_failure_notifies_the_admins_once_in_their_language(feed, server, museum, admin):
    italian = person(museum, OrganisationMember.Role.ADMIN, "direttrice@morandi.example.org")
    italian.language = "it"
    italian.save()
    person(museum, OrganisationMember.Role.EDITOR, "editor@morandi.example.org")
    server.failure = "error"
    feed_sync(feed=feed)
    feed_sync(feed=feed)
    notes = {n.recipient.email: n for n in Notification.objects.all()}
    assert sorted(notes) == ["admin@morandi.example.org", "direttrice@morandi.example.org"]
    note = notes["admin@morandi.example.org"]
    assert (note.kind, note.title, note.url) == (
        "calendar.feed_failed", f"The calendar feed “{feed.url}” cannot be synchronised",
        f"/en/calendar/organisations/{museum.slug}/feeds/")
    assert note.body == ("The server answered 500 Internal Server Error. Its events are kept as they were; the feed "
                         "will be tried again.")
    assert notes["direttrice@morandi.example.org"].url.startswith("/it/")


def test_sync_recovery_clears_the_error(feed, server):
    server.failure = "error"
    feed_sync(feed=feed)
    server.failure = ""
    feed_sync(feed=feed)
    assert (feed.status, feed.error) == (Status.OK, "")


def test_sync_audits_changes_only(feed, server):
    server.calendar = vcalendar(vevent("a@m", "Mostra"))
    feed_sync(feed=feed)
    feed_sync(feed=feed)
    assert list(AuditEntry.objects.values_list("action", "data")) == [
        ("calendar.feed_sync", {"added": 1, "updated": 0, "unchanged": 0, "cancelled": 0, "rejected": 0})]


# --- feeds_due, feeds_claim_due ------------------------------------------------------------------------------------


def test_feeds_due_are_active_feeds_whose_time_has_come(museum):
    now = timezone.now()
    due = factories.CalendarFeedFactory(organisation=museum, next_sync_at=now - timedelta(minutes=1))
    never = factories.CalendarFeedFactory(organisation=museum, next_sync_at=None)
    factories.CalendarFeedFactory(organisation=museum, next_sync_at=now + timedelta(minutes=1))
    factories.CalendarFeedFactory(organisation=museum, next_sync_at=None, is_active=False)
    assert list(feeds_due(now=now)) == [never, due]


def test_feeds_claim_due_claims_each_feed_once(museum):
    now = timezone.now()
    feed = factories.CalendarFeedFactory(organisation=museum, next_sync_at=now)
    assert feeds_claim_due(now=now) == [feed.pk]
    assert feeds_claim_due(now=now) == []
    feed.refresh_from_db()
    assert feed.next_sync_at == now + timedelta(minutes=15)


# --- feed_add, feed_update, feed_remove ------------------------------------------------------------------------------


def test_feed_add_registers_the_https_url_of_a_webcal_address(museum, admin):
    feed = feed_add(organisation=museum, url="webcal://musei.example.org/morandi.ics", by=admin, name="Morandi",
                    category=Event.Category.EXHIBITION)
    assert (feed.url, feed.name, feed.default_category, feed.status, feed.created_by) == (
        "https://musei.example.org/morandi.ics", "Morandi", "exhibition", Status.PENDING, admin)
    assert feed.next_sync_at is not None
    assert AuditEntry.objects.get().action == "calendar.feed_add"


def test_feed_add_enqueues_its_first_sync_after_commit(museum, admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        feed_add(organisation=museum, url="https://musei.example.org/morandi.ics", by=admin)
    assert len(callbacks) == 1


def test_feed_add_same_url_twice_is_refused(museum, admin):
    feed_add(organisation=museum, url="https://musei.example.org/a.ics", by=admin)
    with pytest.raises(ValidationError) as caught:
        feed_add(organisation=museum, url="webcal://musei.example.org/a.ics", by=admin)
    assert caught.value.message_dict == {"url": ["This calendar is already kept in sync for Museo Morandi."]}


def test_feed_add_refuses_an_address_that_is_not_a_calendar_url(museum, admin):
    with pytest.raises(ValidationError) as caught:
        feed_add(organisation=museum, url="ftp://musei.example.org/a.ics", by=admin)
    assert caught.value.message_dict == {
        "url": ["Enter the address of a calendar starting with https://, http:// or webcal://."]}


@pytest.mark.parametrize("url", ["http://127.0.0.1/a.ics", "http://localhost:8000/a.ics", "http://[::1]/a.ics",
                                 "https://192.168.0.10/a.ics"])
def test_feed_add_refuses_a_local_address(museum, admin, url, settings):
    settings.CALENDAR_FEED_ALLOW_PRIVATE_ADDRESSES = False
    with pytest.raises(ValidationError) as caught:
        feed_add(organisation=museum, url=url, by=admin)
    assert caught.value.message_dict == {"url": [
        "This address is on a local or private network: calendars are only fetched from public Internet addresses."]}


def test_feed_update_to_another_url_forgets_the_old_state(museum, admin):
    feed = factories.CalendarFeedFactory(organisation=museum, etag='"x"', status=Status.FAILED, error="boom",
                                         next_sync_at=None)
    feed_update(feed=feed, by=admin, url="https://musei.example.org/new.ics")
    feed.refresh_from_db()
    assert (feed.url, feed.etag, feed.status, feed.error) == ("https://musei.example.org/new.ics", "", "pending", "")
    assert feed.next_sync_at is not None


def test_feed_update_name_defaults_and_pause(museum, admin):
    feed = factories.CalendarFeedFactory(organisation=museum)
    feed_update(feed=feed, by=admin, name="Mostre", category=Event.Category.EXHIBITION, is_active=False)
    feed.refresh_from_db()
    assert (feed.name, feed.default_category, feed.is_active) == ("Mostre", "exhibition", False)


def test_feed_remove_keeps_its_events(museum, admin):
    feed = factories.CalendarFeedFactory(organisation=museum)
    event = factories.EventFactory(organisation=museum, feed=feed)
    assert feed_remove(feed=feed, by=admin) == 0
    event.refresh_from_db()
    assert (CalendarFeed.objects.count(), event.feed, event.status) == (0, None, Event.Status.PUBLISHED)
    assert AuditEntry.objects.values_list("action", "data").get() == (
        "calendar.feed_remove", {"url": feed.url, "cancelled": 0})


def test_feed_remove_can_cancel_its_future_events_as_a_sync_does(museum, admin):
    feed = factories.CalendarFeedFactory(organisation=museum)
    future = factories.EventFactory(organisation=museum, feed=feed, weekly=True)
    past = factories.EventFactory(organisation=museum, feed=feed, start=timezone.now() - timedelta(days=3),
                                  end=timezone.now() - timedelta(days=3, hours=-2))
    own = factories.EventFactory(organisation=museum)
    assert feed_remove(feed=feed, by=admin, cancel_future=True) == 1
    statuses = dict(Event.objects.values_list("pk", "status"))
    assert (statuses[future.pk], statuses[past.pk], statuses[own.pk]) == ("cancelled", "published", "published")
    assert list(Occurrence.objects.filter(event=future).values_list("cancelled", flat=True)) == [True] * 10
    assert (Event.objects.get(pk=future.pk).sequence, CalendarFeed.objects.count()) == (1, 0)
    assert AuditEntry.objects.values_list("actor", "action", "data").get() == (
        admin.pk, "calendar.feed_remove", {"url": feed.url, "cancelled": 1})


def test_feed_remove_cancelling_tells_co_organisers_and_coordinators_but_not_the_remover(museum, admin):
    feed = factories.CalendarFeedFactory(organisation=museum)
    event = factories.EventFactory(organisation=museum, feed=feed, title="Mostra")
    partner_editor, coordinator = watchers_of(event, admin)
    feed_remove(feed=feed, by=admin, cancel_future=True)
    expected = [("calendar.event_cancelled", "“Mostra” of Museo Morandi has been cancelled")]
    assert (told(partner_editor), told(coordinator), told(admin)) == (expected, expected, [])


ACTORS = ("anonymous", "outsider", "org_member", "org_editor", "org_admin", "network_member", "operator")
ALLOWED = {"org_editor", "org_admin", "operator"}


def _actor(name: str, museum):
    if name == "anonymous":
        return AnonymousUser()
    if name == "operator":
        return factories.UserFactory(is_staff=True)
    if name == "outsider":
        return factories.UserFactory()
    if name == "network_member":
        network = factories.NetworkFactory()
        factories.MembershipFactory(network=network, organisation=museum)
        peer = factories.MembershipFactory(network=network).organisation
        return person(peer, OrganisationMember.Role.ADMIN, "admin@peer.example.org")
    role = {"org_member": "member", "org_editor": "editor", "org_admin": "admin"}[name]
    return person(museum, role, f"{role}@museo.example.org")


@pytest.mark.parametrize("actor", ACTORS)
def test_feed_add_permissions(museum, actor):
    by = _actor(actor, museum)
    if actor in ALLOWED:
        assert feed_add(organisation=museum, url="https://musei.example.org/a.ics", by=by).pk
    else:
        with pytest.raises(PermissionDenied):
            feed_add(organisation=museum, url="https://musei.example.org/a.ics", by=by)


@pytest.mark.parametrize("actor", ACTORS)
def test_feed_update_permissions(museum, actor):
    feed = factories.CalendarFeedFactory(organisation=museum, name="Before")
    by = _actor(actor, museum)
    if actor in ALLOWED:
        feed_update(feed=feed, by=by, name="After")
    else:
        with pytest.raises(PermissionDenied):
            feed_update(feed=feed, by=by, name="After")
    feed.refresh_from_db()
    assert feed.name == ("After" if actor in ALLOWED else "Before")


@pytest.mark.parametrize("actor", ACTORS)
def test_feed_remove_permissions(museum, actor):
    feed = factories.CalendarFeedFactory(organisation=museum)
    by = _actor(actor, museum)
    if actor in ALLOWED:
        feed_remove(feed=feed, by=by)
    else:
        with pytest.raises(PermissionDenied):
            feed_remove(feed=feed, by=by)
    assert CalendarFeed.objects.filter(pk=feed.pk).exists() is (actor not in ALLOWED)
