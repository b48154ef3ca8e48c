"""axe-core on every page of the shared calendar, filled with what people see; month and event form on a phone too."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from sinergia.calendar.models import CalendarFeed, Event
from sinergia.core.models import Concept
from sinergia.core.thesaurus import thesaurus_ensure_loaded
from tests import factories
from tests.browser.conftest import DESKTOP, MOBILE, assert_accessible, verified_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROME = ZoneInfo("Europe/Rome")
MARKERS = ".js-map .leaflet-marker-icon"
# One event the importer takes and one it rejects (its end is before its start), so the report shows both.
ICS = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Museo//Calendar//IT\r
BEGIN:VEVENT\r
UID:concerto-1@museo.example.org\r
DTSTAMP:20260101T090000Z\r
DTSTART;TZID=Europe/Rome:20270115T210000\r
DTEND;TZID=Europe/Rome:20270115T230000\r
SUMMARY:Concerto d'inverno\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:broken-1@museo.example.org\r
DTSTAMP:20260101T090000Z\r
DTSTART;TZID=Europe/Rome:20270120T210000\r
DTEND;TZID=Europe/Rome:20270119T230000\r
SUMMARY:Evento sbagliato\r
END:VEVENT\r
END:VCALENDAR\r
"""


@dataclass
class World:
    """An editor's museum and a nearby member of its network, each with a families' event on the same afternoon."""

    editor: object
    museum: object
    network: object
    ours: Event
    theirs: Event
    day: date


@pytest.fixture
def world() -> World:
    thesaurus_ensure_loaded()
    families = Concept.objects.get(notation="families")
    editor = verified_user(email="editor@museo-musica.example.org", full_name="Marta Verdi")
    museum = factories.OrganisationMemberFactory(user=editor, organisation__name="Museo della musica").organisation
    nearby = factories.OrganisationFactory(name="Museo civico archeologico", latitude=44.4949, longitude=11.3173)
    network = factories.NetworkFactory(name="Rete dei musei di Bologna", founded_by=museum)
    factories.MembershipFactory(network=network, organisation=museum, coordinator=True)
    factories.MembershipFactory(network=network, organisation=nearby)
    today = timezone.localdate()
    day = today + timedelta(days=7 + (5 - today.weekday()) % 7)
    afternoon = {"start": datetime.combine(day, time(15), tzinfo=ROME),
                 "end": datetime.combine(day, time(17), tzinfo=ROME), "shared_with": [network]}
    ours = factories.EventFactory(organisation=museum, title="Piccoli musicisti", category=Event.Category.WORKSHOP,
                                  rrule="FREQ=WEEKLY;COUNT=6", price="€5", accessibility="Step-free access.",
                                  **afternoon)
    theirs = factories.EventFactory(organisation=nearby, title="Caccia al tesoro", **afternoon)
    factories.EventFactory(organisation=nearby, title="Conferenza annullata", cancelled=True,
                           start=datetime.combine(day, time(18), tzinfo=ROME),
                           end=datetime.combine(day, time(19), tzinfo=ROME))
    for event in (ours, theirs):
        event.audiences.set([families])
    factories.CalendarFeedFactory(
        organisation=museum, status=CalendarFeed.SyncStatus.PARTIAL, added_count=3,
        rejected=[{"uid": "x-1@example.org", "summary": "Mostra", "reason": "The end is before the start."}],
        warnings=["Unknown time zone “Mars/Olympus”: read as Europe/Rome."])
    factories.CalendarFeedFactory(organisation=museum, url="https://calendar.example.org/down.ics",
                                  status=CalendarFeed.SyncStatus.FAILED, error="The server did not answer in 15 s.")
    return World(editor, museum, network, ours, theirs, day)


def _wait_for_markers(page: Page) -> None:
    expect(page.locator(MARKERS).first).to_be_visible()


def _wait_for_clashes(page: Page) -> None:
    expect(page.locator("#clashes")).to_contain_text("Caccia al tesoro")
    expect(page.locator("#clashes .badge").first).to_have_text("Strong clash")


def _wait_for_quiet_days(page: Page) -> None:
    expect(page.locator(".finder-quiet > li").first).to_be_visible()
    expect(page.locator("table.finder-month").first).to_be_visible()


def _check_a_file(page: Page) -> None:
    page.locator("#id_file").set_input_files({"name": "museo.ics", "mimeType": "text/calendar", "buffer": ICS})
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("#import-report")).to_contain_text("1 event cannot be imported.")


@dataclass
class Screen:
    """A page to check: its address, who looks at it, what to do before checking, and on which screens."""

    path: Callable[[World], str]
    who: str = "anonymous"
    then: Callable[[Page], None] | None = None
    phone: bool = False


def _network(w: World) -> str:
    return f"network={w.network.slug}"


SCREENS = {
    "month": Screen(lambda w: f"/en/calendar/?{_network(w)}&month={w.day:%Y-%m}", phone=True),
    "week": Screen(lambda w: f"/en/calendar/week/?{_network(w)}&week={w.day.isoformat()}"),
    "list": Screen(lambda w: f"/en/calendar/list/?start={w.day.isoformat()}&end={w.day.isoformat()}"),
    "map": Screen(lambda w: f"/en/calendar/map/?{_network(w)}", then=_wait_for_markers),
    "event": Screen(lambda w: f"/en/calendar/events/{w.ours.pk}/", "editor", _wait_for_markers),
    "event-form": Screen(lambda w: f"/en/calendar/events/{w.ours.pk}/edit/", "editor", _wait_for_clashes, phone=True),
    "free-dates": Screen(lambda w: f"/en/calendar/free-dates/?where=organisation&organisation={w.museum.slug}"
                                   "&audience=families", "editor", _wait_for_quiet_days),
    "import": Screen(lambda w: f"/en/calendar/organisations/{w.museum.slug}/import/", "editor", _check_a_file),
    "feeds": Screen(lambda w: f"/en/calendar/organisations/{w.museum.slug}/feeds/", "editor"),
    "widget": Screen(lambda w: f"/en/calendar/widget/?{_network(w)}"),
    "embed": Screen(lambda w: f"/en/calendar/embed/?{_network(w)}"),
    "subscriptions": Screen(lambda w: "/en/calendar/subscribe/", "editor"),
}
CASES = [(name, "desktop") for name in SCREENS] + [(name, "phone") for name, s in SCREENS.items() if s.phone]


@pytest.mark.parametrize(("name", "screen_size"), CASES)
def test_calendar_page_has_no_serious_accessibility_violation(name, screen_size, world, open_page, browser_errors):
    screen = SCREENS[name]
    page = open_page(getattr(world, screen.who, None), viewport=MOBILE if screen_size == "phone" else DESKTOP)
    response = page.goto(screen.path(world))
    assert response is not None and response.status == 200, f"{name}: HTTP {response and response.status}"
    expect(page.locator("main h1")).to_have_count(1)
    if screen.then:
        screen.then(page)
    assert_accessible(page)
    if screen_size == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"]
    assert browser_errors == []
