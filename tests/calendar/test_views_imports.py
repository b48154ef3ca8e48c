"""An organisation imports its calendar: an .ics file checked then imported, and feeds kept in sync."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend

from sinergia.calendar.models import CalendarFeed, Event
from tests import factories
from tests.factories import person

pytestmark = pytest.mark.django_db
ICS_DIR = Path(settings.SHARED_DATA_DIR) / "ics" / "ics-icalendar-tests" / "calendars"
THREE_EVENTS = "example.ics"  # three all-day events
TWO_AND_ONE_REJECTED = "created_calendar_with_unicode_fields.ics"  # one VEVENT has no DTSTART
UNREADABLE = "issue_104_broken_calendar.ics"
PERSONAS = ["anonymous", "outsider", "org_member", "network_member", "org_editor", "org_admin", "operator"]
ALLOWED = {"org_editor", "org_admin", "operator"}
HTMX = {"HTTP_HX_REQUEST": "true"}
needs_shared_files = pytest.mark.skipif(not ICS_DIR.is_dir(), reason=f"shared iCalendar files not in {ICS_DIR}")


@pytest.fixture(autouse=True)
def _tasks_kept(settings):
    """Enqueued syncs are recorded, not run: a test never reaches the network."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def museum():
    return factories.OrganisationFactory(name="Museo del Risorgimento")


@pytest.fixture
def editor(museum):
    return person(museum, "editor", "editor@risorgimento.example.org")


@pytest.fixture
def import_url(museum):
    return reverse("calendar:import", kwargs={"slug": museum.slug})


@pytest.fixture
def feeds_url(museum):
    return reverse("calendar:feeds", kwargs={"slug": museum.slug})


def shared(name: str) -> bytes:
    return (ICS_DIR / name).read_bytes()


def ics_file(data: bytes, name: str = "calendar.ics", content_type: str = "text/calendar") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def post_import(client, url, data: bytes, action: str = "check", check: str = "", **headers):
    fields = {"file": ics_file(data), "category": "exhibition", "visibility": "public", "action": action,
              "check": check}
    return client.post(url, fields, **headers)


def check_then(client, url, data: bytes, action: str):
    """Check the file, then post it again with the button `action` and the check's note."""
    checked = post_import(client, url, data)
    note = checked.context["outcome"].check if checked.status_code == 200 and checked.context["outcome"] else ""
    return post_import(client, url, data, action=action, check=note)


def imported(museum) -> list[str]:
    return sorted(Event.objects.filter(organisation=museum).values_list("title", flat=True))


@pytest.fixture
def world(museum, operator, outsider):
    neighbour = factories.OrganisationFactory(name="Museo vicino")
    network = factories.NetworkFactory()
    factories.MembershipFactory(network=network, organisation=museum)
    factories.MembershipFactory(network=network, organisation=neighbour)
    return {
        "museum": museum, "anonymous": AnonymousUser(), "outsider": outsider, "operator": operator,
        "org_member": person(museum, "member", "member@risorgimento.example.org"),
        "network_member": person(neighbour, "admin", "admin@vicino.example.org"),
        "org_editor": person(museum, "editor", "editor@risorgimento.example.org"),
        "org_admin": person(museum, "admin", "admin@risorgimento.example.org"),
    }


def _write_import(client, w):
    url = reverse("calendar:import", kwargs={"slug": w["museum"].slug})
    data = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:one@test\r\nDTSTART:20300101T100000Z\r\n" \
           b"DTEND:20300101T120000Z\r\nSUMMARY:Concerto\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    return check_then(client, url, data, "apply"), lambda: imported(w["museum"]) == ["Concerto"]


def _write_feed_add(client, w):
    url = reverse("calendar:feeds", kwargs={"slug": w["museum"].slug})
    response = client.post(url, {"url": "https://calendar.example.org/museo.ics", "category": "other",
                                 "visibility": "public"})
    return response, lambda: CalendarFeed.objects.filter(organisation=w["museum"]).count() == 1


def _write_feed_sync(client, w):
    feed = factories.CalendarFeedFactory(organisation=w["museum"])
    response = client.post(reverse("calendar:feed_sync", kwargs={"pk": feed.pk}))
    return response, lambda: [result.args for result in default_task_backend.results] == [[feed.pk]]


def _write_feed_remove(client, w):
    feed = factories.CalendarFeedFactory(organisation=w["museum"])
    response = client.post(reverse("calendar:feed_remove", kwargs={"pk": feed.pk}))
    return response, lambda: not CalendarFeed.objects.filter(pk=feed.pk).exists()


WRITES = {"import": (_write_import, 403), "feed_add": (_write_feed_add, 403),
          "feed_sync": (_write_feed_sync, 404), "feed_remove": (_write_feed_remove, 404)}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("write", sorted(WRITES))
def test_write_changes_data_exactly_for_its_actors(client, world, write, persona):
    run, refused = WRITES[write]
    if persona != "anonymous":
        client.force_login(world[persona])
    response, changed = run(client, world)
    if persona == "anonymous":
        assert (response.status_code, response.url.split("?")[0]) == (302, reverse("account_login"))
    elif persona in ALLOWED:
        assert response.status_code in (200, 302)
    else:
        assert response.status_code == refused
    assert changed() is (persona in ALLOWED)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", ["import", "feeds", "feed_remove"])
def test_management_pages_open_exactly_for_their_actors(client, world, page, persona):
    if page == "feed_remove":
        url = reverse("calendar:feed_remove", kwargs={"pk": factories.CalendarFeedFactory(organisation=world["museum"]).pk})
    else:
        url = reverse(f"calendar:{page}", kwargs={"slug": world["museum"].slug})
    if persona != "anonymous":
        client.force_login(world[persona])
    status = client.get(url).status_code
    expected = 302 if persona == "anonymous" else 200 if persona in ALLOWED else 404 if page == "feed_remove" else 403
    assert status == expected


def test_import_of_an_unlisted_organisation_is_not_found(client, editor, museum, import_url):
    museum.is_active = False
    museum.save()
    client.force_login(editor)
    assert client.get(import_url).status_code == 404


@needs_shared_files
def test_import_check_reports_without_writing(client, editor, museum, import_url):
    client.force_login(editor)
    response = post_import(client, import_url, shared(THREE_EVENTS))
    page = response.content.decode()
    assert ("An import would add 3, update 0, cancel 0 and leave 0 unchanged." in page,
            "Nothing has been imported yet." in page, imported(museum)) == (True, True, [])


@needs_shared_files
def test_import_after_the_check_adds_the_events(client, editor, museum, import_url):
    client.force_login(editor)
    response = check_then(client, import_url, shared(THREE_EVENTS), "apply")
    assert "3 added, 0 updated, 0 cancelled, 0 unchanged." in response.content.decode()
    assert Event.objects.filter(organisation=museum, category="exhibition", status="published").count() == 3


@needs_shared_files
def test_import_without_a_check_only_checks(client, editor, museum, import_url):
    client.force_login(editor)
    response = post_import(client, import_url, shared(THREE_EVENTS), action="apply", check="forged")
    assert ("This is not the file that was checked" in response.content.decode(), imported(museum)) == (True, [])


@needs_shared_files
def test_import_of_another_file_than_the_one_checked_only_checks(client, editor, museum, import_url):
    client.force_login(editor)
    note = post_import(client, import_url, shared(THREE_EVENTS)).context["outcome"].check
    post_import(client, import_url, shared(TWO_AND_ONE_REJECTED), action="apply_skip", check=note)
    assert imported(museum) == []


@needs_shared_files
def test_import_check_of_another_person_does_not_count(client, editor, museum, import_url):
    client.force_login(editor)
    note = post_import(client, import_url, shared(THREE_EVENTS)).context["outcome"].check
    client.force_login(person(museum, "admin", "admin@risorgimento.example.org"))
    post_import(client, import_url, shared(THREE_EVENTS), action="apply", check=note)
    assert imported(museum) == []


@needs_shared_files
def test_import_check_lists_each_rejected_event_with_its_reason(client, editor, import_url):
    client.force_login(editor)
    page = post_import(client, import_url, shared(TWO_AND_ONE_REJECTED)).content.decode()
    assert ("The event has no start date (DTSTART)." in page,
            "Import the 2 others and skip this one" in page, 'value="apply"' in page) == (True, True, False)


@needs_shared_files
def test_import_skipping_the_rejected_adds_the_others(client, editor, museum, import_url):
    client.force_login(editor)
    response = check_then(client, import_url, shared(TWO_AND_ONE_REJECTED), "apply_skip")
    assert ("1 event was skipped." in response.content.decode(), len(imported(museum))) == (True, 2)


@needs_shared_files
def test_import_without_skipping_adds_nothing_when_some_are_rejected(client, editor, museum, import_url):
    client.force_login(editor)
    check_then(client, import_url, shared(TWO_AND_ONE_REJECTED), "apply")
    assert imported(museum) == []


@needs_shared_files
def test_import_of_the_same_file_again_has_nothing_to_do(client, editor, import_url):
    client.force_login(editor)
    check_then(client, import_url, shared(THREE_EVENTS), "apply")
    page = post_import(client, import_url, shared(THREE_EVENTS)).content.decode()
    assert "Everything in this file is already on the calendar: there is nothing to import." in page


@needs_shared_files
def test_import_refuses_an_unreadable_file_with_its_reason(client, editor, museum, import_url):
    client.force_login(editor)
    response = post_import(client, import_url, shared(UNREADABLE))
    errors = response.context["form"].errors["file"]
    assert (errors[0].startswith("The file is not valid iCalendar and cannot be read"), imported(museum)) == (True, [])


def test_import_refuses_a_web_page(client, editor, import_url):
    client.force_login(editor)
    response = post_import(client, import_url, b"<!doctype html><html><body>Calendar</body></html>")
    assert response.context["form"].errors["file"] == ["This is not an iCalendar file: it looks like a web page."]


def test_import_refuses_another_type_of_file(client, editor, import_url):
    client.force_login(editor)
    response = client.post(import_url, {"file": ics_file(b"%PDF-1.4", "programme.pdf", "application/pdf"),
                                        "category": "other", "visibility": "public"})
    assert response.context["form"].errors["file"] == [
        "“programme.pdf” is not an iCalendar file: choose a file ending in .ics."]


def test_import_refuses_a_file_over_the_limit(client, editor, import_url, settings):
    settings.CALENDAR_IMPORT_MAX_BYTES = 1024
    client.force_login(editor)
    response = post_import(client, import_url, b"BEGIN:VCALENDAR\r\n" + b"X" * 2000)
    assert response.context["form"].errors["file"] == [
        "The file is 2.0\xa0KB; the most that can be imported is 1.0\xa0KB."]


@needs_shared_files
def test_import_check_by_htmx_answers_with_the_report_alone(client, editor, import_url):
    client.force_login(editor)
    response = post_import(client, import_url, shared(THREE_EVENTS), **HTMX)
    page = response.content.decode()
    assert ("<html" in page, 'name="check"' in page, "choose the same file again" in page) == (False, True, False)


def test_import_errors_by_htmx_are_in_the_report(client, editor, import_url):
    client.force_login(editor)
    page = post_import(client, import_url, b"<html></html>", **HTMX).content.decode()
    assert "This is not an iCalendar file: it looks like a web page." in page


def test_feeds_page_shows_status_counts_error_and_each_rejected_reason(client, editor, museum, feeds_url):
    factories.CalendarFeedFactory(
        organisation=museum, name="Google Calendar", status=CalendarFeed.SyncStatus.PARTIAL, added_count=4,
        updated_count=2, cancelled_count=1, error="", last_attempt_at=timezone.now(),
        rejected=[{"uid": "x@google", "summary": "Senza data", "reason": "The event has no start date (DTSTART)."}])
    client.force_login(editor)
    page = client.get(feeds_url).content.decode()
    assert ("Synchronised, some events rejected" in page, "4 added, 2 updated, 1 cancelled" in page,
            "<td>Senza data</td><td class=\"text-break\">x@google</td><td>The event has no start date (DTSTART).</td>"
            in page) == (True, True, True)


def test_feeds_page_shows_the_last_error(client, editor, museum, feeds_url):
    factories.CalendarFeedFactory(organisation=museum, status=CalendarFeed.SyncStatus.FAILED,
                                  error="The server did not answer within 15 seconds.")
    client.force_login(editor)
    page = client.get(feeds_url).content.decode()
    assert ("<strong>Failed</strong>" in page, "The server did not answer within 15 seconds." in page) == (True, True)


def test_feeds_page_query_count_does_not_grow_with_the_feeds(client, editor, museum, feeds_url,
                                                             django_assert_max_num_queries):
    for number in range(10):
        factories.CalendarFeedFactory(organisation=museum, rejected=[{"uid": f"{number}", "reason": "Bad"}])
    client.force_login(editor)
    with django_assert_max_num_queries(9):
        response = client.get(feeds_url)
    assert len(response.context["feeds"]) == 10


@pytest.mark.parametrize("address", ["ftp://calendar.example.org/museo.ics", "http://127.0.0.1/museo.ics",
                                     "http://192.168.1.10/museo.ics"])
def test_feed_add_refuses_a_bad_address_on_the_form(client, editor, museum, feeds_url, address):
    client.force_login(editor)
    response = client.post(feeds_url, {"url": address, "category": "other", "visibility": "public"})
    assert (bool(response.context["form"].errors.get("url")), museum.calendar_feeds.count()) == (True, 0)


def test_feed_add_starts_the_first_sync(client, editor, museum, feeds_url, django_capture_on_commit_callbacks):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(feeds_url, {"url": "webcal://calendar.example.org/museo.ics", "category": "talk",
                                "visibility": "networks"})
    feed = museum.calendar_feeds.get()
    assert ((feed.default_category, feed.default_visibility),
            [result.args for result in default_task_backend.results]) == (("talk", "networks"), [[feed.pk]])


def test_feed_sync_now_twice_in_a_minute_enqueues_once(client, editor, museum):
    feed = factories.CalendarFeedFactory(organisation=museum)
    client.force_login(editor)
    url = reverse("calendar:feed_sync", kwargs={"pk": feed.pk})
    client.post(url)
    response = client.post(url, follow=True)
    assert ("was asked to sync less than a minute ago" in response.content.decode(),
            len(default_task_backend.results)) == (True, 1)


def test_feed_sync_now_needs_a_post(client, editor, museum):
    feed = factories.CalendarFeedFactory(organisation=museum)
    client.force_login(editor)
    assert client.get(reverse("calendar:feed_sync", kwargs={"pk": feed.pk})).status_code == 405


def test_feed_remove_asks_for_confirmation_with_the_events_to_come(client, editor, museum):
    feed = factories.CalendarFeedFactory(organisation=museum)
    factories.EventFactory(organisation=museum, feed=feed)
    client.force_login(editor)
    page = client.get(reverse("calendar:feed_remove", kwargs={"pk": feed.pk})).content.decode()
    assert ("1 event from this feed is still to come." in page, CalendarFeed.objects.filter(pk=feed.pk).exists()) == (
        True, True)


def test_feed_remove_keeps_the_events_it_brought(client, editor, museum):
    feed = factories.CalendarFeedFactory(organisation=museum)
    event = factories.EventFactory(organisation=museum, feed=feed)
    client.force_login(editor)
    client.post(reverse("calendar:feed_remove", kwargs={"pk": feed.pk}))
    assert (Event.objects.get(pk=event.pk).status, CalendarFeed.objects.filter(pk=feed.pk).exists()) == (
        Event.Status.PUBLISHED, False)


def test_feed_remove_offers_to_keep_or_cancel_the_events_to_come_keeping_by_default(client, editor, museum):
    feed = factories.CalendarFeedFactory(organisation=museum)
    factories.EventFactory(organisation=museum, feed=feed)
    client.force_login(editor)
    page = client.get(reverse("calendar:feed_remove", kwargs={"pk": feed.pk})).content.decode()
    assert ('<legend class="h5">Its events still to come</legend>' in page,
            'type="radio" name="future" value="keep" class="form-check-input" id="id_future_0" checked' in page,
            'type="radio" name="future" value="cancel" class="form-check-input" id="id_future_1">' in page) == (
        True, True, True)


def test_feed_remove_without_events_to_come_asks_nothing_about_them(client, editor, museum):
    feed = factories.CalendarFeedFactory(organisation=museum)
    client.force_login(editor)
    page = client.get(reverse("calendar:feed_remove", kwargs={"pk": feed.pk})).content.decode()
    assert ('name="future"' in page, "No event from this feed is still to come;" in page) == (False, True)


def test_feed_remove_can_cancel_the_events_to_come(client, editor, museum):
    feed = factories.CalendarFeedFactory(organisation=museum, name="Mostre")
    event = factories.EventFactory(organisation=museum, feed=feed)
    client.force_login(editor)
    response = client.post(reverse("calendar:feed_remove", kwargs={"pk": feed.pk}), {"future": "cancel"},
                           follow=True)
    assert (Event.objects.get(pk=event.pk).status, CalendarFeed.objects.filter(pk=feed.pk).exists()) == (
        Event.Status.CANCELLED, False)
    assert [str(m) for m in response.context["messages"]] == [
        "The feed “Mostre” has been removed and its 1 event still to come cancelled."]


def test_feed_remove_with_an_unknown_choice_removes_nothing(client, editor, museum):
    feed = factories.CalendarFeedFactory(organisation=museum)
    event = factories.EventFactory(organisation=museum, feed=feed)
    client.force_login(editor)
    response = client.post(reverse("calendar:feed_remove", kwargs={"pk": feed.pk}), {"future": "delete"})
    assert (response.status_code, CalendarFeed.objects.filter(pk=feed.pk).exists(),
            Event.objects.get(pk=event.pk).status) == (200, True, Event.Status.PUBLISHED)
