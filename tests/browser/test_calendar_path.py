"""The shared calendar's path in English, as an editor does it: plan a weekly event, see the clash with a nearby
museum, move it to a quiet day the free-date finder suggests, publish, and find it in the network's calendar, map
and iCalendar feed."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import Locator, Page, expect

from sinergia.calendar.models import Event
from sinergia.core.models import Concept
from sinergia.core.thesaurus import thesaurus_ensure_loaded
from tests import factories
from tests.browser.conftest import verified_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROME = ZoneInfo("Europe/Rome")
NETWORK = "Rete dei musei di Bologna"
OUR_MUSEUM = "Museo internazionale della musica"
NEARBY_MUSEUM = "Museo civico archeologico"
NEARBY_EVENT = "Caccia al tesoro per famiglie"
OUR_EVENT = "Piccoli musicisti"
TIMES = 6


@dataclass
class Bologna:
    """The editor, their museum, the network and the nearby member's Saturday afternoon for families."""

    editor: object
    museum: object
    network: object
    busy_saturday: date


@pytest.fixture
def bologna() -> Bologna:
    thesaurus_ensure_loaded()
    families = Concept.objects.get(notation="families")
    editor = verified_user(email="marta.verdi@museomusica.example.org", full_name="Marta Verdi")
    museum = factories.OrganisationMemberFactory(
        user=editor, editor=True, organisation__name=OUR_MUSEUM, organisation__latitude=44.4949,
        organisation__longitude=11.3426).organisation
    # About 2 km west of it, in the same network.
    nearby = factories.OrganisationFactory(name=NEARBY_MUSEUM, latitude=44.4949, longitude=11.3173)
    network = factories.NetworkFactory(name=NETWORK, founded_by=museum)
    factories.MembershipFactory(network=network, organisation=museum, coordinator=True)
    factories.MembershipFactory(network=network, organisation=nearby)
    today = timezone.localdate()
    busy_saturday = today + timedelta(days=14 + (5 - today.weekday()) % 7)
    event = factories.EventFactory(
        organisation=nearby, title=NEARBY_EVENT, category=Event.Category.WORKSHOP,
        start=datetime.combine(busy_saturday, time(15), tzinfo=ROME),
        end=datetime.combine(busy_saturday, time(17), tzinfo=ROME), shared_with=[network])
    event.audiences.set([families])
    return Bologna(editor, museum, network, busy_saturday)


def test_editor_moves_a_clashing_weekly_event_to_a_quiet_day_and_finds_it_in_the_network_calendar(
        open_page, bologna, browser_errors):
    page = open_page(bologna.editor)
    saturday = bologna.busy_saturday
    _open_new_event_form(page, bologna.museum.slug)
    _fill_event(page, day=saturday)
    _check_clash_listed(page)

    quiet_day = _pick_quiet_day(page, saturday, bologna.museum.slug)
    expect(page.locator("#id_start_date")).to_have_value(quiet_day.isoformat())
    _fill_event(page)
    expect(page.locator("#clashes")).to_contain_text(f"Checked its next {TIMES} dates, within 25 km")
    expect(page.locator("#clashes")).to_contain_text("No clash: nothing else is scheduled at that time nearby")
    expect(page.locator("#clashes")).not_to_contain_text(NEARBY_EVENT)
    page.locator("#event-form").get_by_role("button", name="Publish").click()
    _check_event_page(page, quiet_day)

    _find_in_network_month(page, quiet_day)
    feed_url = page.locator('link[rel=alternate][type="text/calendar"]').get_attribute("href")
    _find_on_network_map(page)
    _find_in_feed(page, feed_url, quiet_day)
    assert browser_errors == []


def _open_new_event_form(page: Page, slug: str) -> None:
    page.goto(f"/en/organisations/{slug}/")
    page.locator("main").get_by_role("link", name="Events", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Events of {OUR_MUSEUM}")
    page.locator("main").get_by_role("link", name="New event").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"New event of {OUR_MUSEUM}")


def _fill_event(page: Page, *, day: date | None = None) -> None:
    """Fill the form as the editor does: a weekly workshop for families at our place, 15:00–17:00, 6 times."""
    form = page.locator("#event-form")
    page.locator("#id_title").fill(OUR_EVENT)
    page.locator("#id_description").fill("Un laboratorio di **strumenti** per bambini e genitori.")
    page.locator("#id_category").select_option("workshop")
    _tick(form, "Families")
    expect(form.get_by_label("At our place", exact=True)).to_be_checked()
    if day is not None:
        page.locator("#id_start_date").fill(day.isoformat())
    page.locator("#id_start_time").fill("15:00")
    page.locator("#id_end_time").fill("17:00")
    expect(page.locator("#id_timezone")).to_have_value("Europe/Rome")
    page.locator("#id_repeat").select_option("WEEKLY")
    _tick(form, "After a number of times")
    _tick(form, NETWORK)
    # The number of times last: leaving it sends the live clash check of the whole plan, as a person's next click.
    page.locator("#id_count").fill(str(TIMES))
    page.locator("#id_count").blur()


def _tick(form: Locator, label: str) -> None:
    """Bootstrap Italia draws its checkboxes and radios on their labels: people click the label."""
    form.locator("label").filter(has_text=re.compile(rf"^{re.escape(label)}$")).click()
    expect(form.get_by_label(label, exact=True)).to_be_checked()


def _check_clash_listed(page: Page) -> None:
    clashes = page.locator("#clashes")
    expect(clashes).to_contain_text(f"Checked its next {TIMES} dates, within 25 km and 60 minutes before or after.")
    expect(clashes).to_contain_text("1 event already scheduled competes with yours · 1 strong clash.")
    clash = clashes.locator("li", has=page.get_by_role("link", name=NEARBY_EVENT))
    expect(clash.locator(".badge")).to_have_text("Strong clash")
    expect(clash).to_contain_text(NEARBY_MUSEUM)
    expect(clash.locator("ul li")).to_have_text(
        ["Overlaps by 2 h", "2.0 km away", f"Same network: {NETWORK}", "Same audience: Families"])


def _pick_quiet_day(page: Page, saturday: date, slug: str) -> date:
    """Leave the unsaved form for the finder, search the fortnight from the busy Saturday, follow the first day."""
    page.locator("#event-form").get_by_role("link", name="Cancel").click()
    page.locator("main").get_by_role("link", name="Find a free date").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a free date")
    expect(page.locator("#id_organisation")).to_have_value(slug)
    last = saturday + timedelta(days=13)
    page.locator("#id_start").fill(saturday.isoformat())
    page.locator("#id_end").fill(last.isoformat())
    page.locator("#id_audience").select_option("families")
    page.get_by_role("button", name="Find the quietest days").click()
    results = page.locator("#finder-results")
    expect(results.get_by_role("heading", level=2).first).to_have_text(
        f"Quietest days within 30 km of {OUR_MUSEUM}")
    expect(results).to_contain_text("Audience: Families.")
    busy_cell = results.locator("td.finder-day", has=page.locator(".finder-date", has_text=re.compile(
        rf"^{saturday.day}$")))
    expect(busy_cell).to_contain_text("1 event")
    # The quietest days are the emptiest, earliest first: the Sunday after the busy Saturday comes first.
    sunday = saturday + timedelta(days=1)
    first = results.locator(".finder-quiet > li").first
    expect(first).to_contain_text(f"{date_format(sunday, 'l j F Y')} — 0 events")
    expect(results.locator(".finder-quiet > li")).to_have_count(5)
    first.get_by_role("link", name=f"Create an event on {date_format(sunday, 'j F')} for {OUR_MUSEUM}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"New event of {OUR_MUSEUM}")
    return sunday


def _check_event_page(page: Page, day: date) -> None:
    expect(page.locator(".messages")).to_contain_text("The event is published.")
    expect(page.get_by_role("heading", level=1)).to_have_text(OUR_EVENT)
    main = page.locator("main")
    expect(main).to_contain_text("Workshop")
    expect(main.locator(".calendar-upcoming li")).to_have_count(TIMES)
    expect(main.locator(".calendar-upcoming li").first).to_have_text(
        f"{date_format(day, 'l')}, {date_format(day, 'DATE_FORMAT')}, 3 p.m.–5 p.m.")
    expect(main.locator("dd", has_text="Families")).to_be_visible()


def _find_in_network_month(page: Page, day: date) -> None:
    """From the event's networks, open the network's calendar and go to the month of its first date."""
    page.locator("main dd").get_by_role("link", name=NETWORK).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Calendar of {NETWORK}")
    today = timezone.localdate()
    for _month in range((day.year - today.year) * 12 + day.month - today.month):
        page.get_by_role("link", name="Next month").click()
    expect(page.locator("table.calendar-month caption")).to_have_text(f"Events in {date_format(day, 'YEAR_MONTH_FORMAT')}, day by day")
    cell = page.locator("td.calendar-day", has=page.locator(f'time[datetime="{day.isoformat()}"]'))
    expect(cell.get_by_role("link", name=OUR_EVENT)).to_be_visible()
    expect(cell.locator(".calendar-time")).to_have_text("3 p.m.")


def _find_on_network_map(page: Page) -> None:
    page.locator("#calendar-views").get_by_role("link", name="Map").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Calendar of {NETWORK}")
    marker = page.locator(f'.js-map .leaflet-marker-icon[title="{OUR_EVENT}"]')
    expect(marker).to_be_visible()
    marker.click()
    expect(page.locator(".leaflet-popup-content").get_by_role("link", name=OUR_EVENT)).to_be_visible()
    expect(page.locator(".leaflet-popup-content")).to_contain_text("Workshop")


def _find_in_feed(page: Page, url: str | None, day: date) -> None:
    """The network calendar's advertised iCalendar feed holds the event with its weekly rule."""
    assert url is not None and "network=" in url, url
    response = page.request.get(url)
    assert response.status == 200, response.status
    assert response.headers["content-type"].startswith("text/calendar")
    lines = response.text().replace("\r\n ", "").replace("\r\n\t", "").splitlines()
    start = lines.index(f"SUMMARY:{OUR_EVENT}")
    event = lines[max(i for i in range(start) if lines[i] == "BEGIN:VEVENT"):]
    event = event[:event.index("END:VEVENT")]
    rules = [line.removeprefix("RRULE:") for line in event if line.startswith("RRULE:")]
    assert [dict(part.split("=") for part in rule.split(";")) for rule in rules] == [
        {"FREQ": "WEEKLY", "BYDAY": "SU", "COUNT": str(TIMES)}]
    assert f"DTSTART;TZID=Europe/Rome:{day:%Y%m%d}T150000" in event
    assert any(line.startswith("SUMMARY:") and NEARBY_EVENT in line for line in lines)
