"""The funding calls' path in a browser: a trusted foundation's editor writes and publishes a call for museums in
Emilia-Romagna; a museum's member finds it among the calls their organisation may apply to, follows it, and gets the
deadline as iCalendar; the pages pass axe."""

import datetime

import icalendar
import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from sinergia.desk.models import CallFollow, FundingCall
from tests import factories
from tests.browser.conftest import assert_accessible, verified_user
from tests.factories import CallPublisherFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Bando per i musei dell'Emilia-Romagna"


@pytest.fixture
def editor():
    foundation = factories.OrganisationFactory(name="Fondazione del Monte", kind="foundation")
    CallPublisherFactory(organisation=foundation)
    user = verified_user(email="editor@monte.example.org", full_name="Anna Monti")
    factories.OrganisationMemberFactory(user=user, organisation=foundation, editor=True)
    return user


@pytest.fixture
def museum_member():
    user = verified_user(email="lucia@museo.example.org", full_name="Lucia Neri")
    museum = factories.OrganisationFactory(name="Museo della bonifica", kind="museum", region="Emilia-Romagna")
    factories.OrganisationMemberFactory(user=user, organisation=museum, plain=True)
    return user


def write_and_publish(page: Page) -> None:
    deadline = (timezone.localdate() + datetime.timedelta(days=20)).isoformat()
    page.goto("/en/desk/calls/new/")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_funder").fill("Fondazione del Monte")
    page.locator("#id_summary").fill("Contributi per **restauri** e accessibilità.")
    page.locator("#id_language").fill("it")
    page.locator("#id_deadline").fill(f"{deadline}T17:00")
    page.locator("label[for=id_eligible_kinds_0]").click()
    page.locator("#id_eligible_countries").select_option("IT")
    page.locator("#id_eligible_regions").fill("Emilia-Romagna")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Edit {TITLE}")
    page.get_by_role("button", name="Publish the call").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)


def test_a_member_finds_follows_and_subscribes_to_an_eligible_call(open_page, editor, museum_member):
    write_and_publish(open_page(editor))
    call = FundingCall.objects.get(title=TITLE)
    assert (call.status, timezone.localtime(call.deadline).hour) == ("published", 17)

    page = open_page(museum_member)
    page.goto("/en/desk/calls/")
    page.get_by_text("Only calls my organisations may apply to").click()
    expect(page.locator("#call-results").get_by_role("link", name=TITLE)).to_be_visible()
    assert_accessible(page)
    page.locator("#call-results").get_by_role("link", name=TITLE).click()
    expect(page.get_by_text("Museo della bonifica", exact=False)).to_be_visible()
    expect(page.locator(".badge", has_text="Eligible")).to_be_visible()
    page.get_by_role("button", name="Follow this call").click()
    expect(page.get_by_role("button", name="Stop following")).to_be_visible()
    assert CallFollow.objects.filter(call=call, user=museum_member).exists()
    assert_accessible(page)

    feed = page.request.get(f"/en/desk/calls/{call.pk}.ics")
    [event] = icalendar.Calendar.from_ical(feed.body()).walk("VEVENT")
    assert str(event["summary"]) == f"Deadline: {TITLE}"
