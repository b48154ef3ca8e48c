"""The exchange's path of the issue, in a browser: a small museum posts a need for a photographer for its collection
within 40 km; a freelance photographer 20 km away, who posted an offer, sees the match and writes; the museum closes
the need as fulfilled."""

import pytest
from playwright.sync_api import expect

from sinergia.core.models import Concept, Notification
from sinergia.core.thesaurus import thesaurus_ensure_loaded
from sinergia.directory.models import Organisation
from sinergia.exchange.models import Listing, Partnership
from tests import factories
from tests.browser.conftest import verified_user
from tests.exchange.conftest import BOLOGNA, NEAR_20_KM
from tests.factories import ListingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEED_TITLE = "Photographer for our hemp collection"


@pytest.fixture
def people():
    thesaurus_ensure_loaded()
    photo = Concept.objects.get(notation="service-photo-video")
    museum = factories.OrganisationFactory(name="Museo della canapa", latitude=BOLOGNA[0], longitude=BOLOGNA[1],
                                           languages=["it", "en"])
    studio = factories.OrganisationFactory(name="Studio Luce", kind=Organisation.Kind.FREELANCE,
                                           latitude=NEAR_20_KM[0], longitude=NEAR_20_KM[1], languages=["it"])
    curator = verified_user(email="curator@canapa.example.org", full_name="Maria Rossi")
    factories.OrganisationMemberFactory(user=curator, organisation=museum, editor=True)
    anna = verified_user(email="anna@studioluce.example.org", full_name="Anna Bianchi")
    factories.OrganisationMemberFactory(user=anna, organisation=studio)
    offer = ListingFactory(organisation=studio, offer=True, categories=[photo], radius_km=50,
                           title="Photography of museum objects")
    return {"curator": curator, "anna": anna, "offer": offer, "studio": studio}


def post_the_need(page) -> None:
    page.goto("/en/exchange/new/?side=need")
    page.get_by_label("Kind").select_option("service")
    page.get_by_label("Title").fill(NEED_TITLE)
    page.get_by_label("Description").fill("About 200 objects to photograph for the online catalogue.")
    page.get_by_text("Photo and video", exact=True).click()
    expect(page.get_by_label("Distance (km)")).to_have_value("40")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NEED_TITLE)


def test_a_museum_finds_a_photographer_and_records_the_partnership(open_page, people, browser_errors):
    museum_page = open_page(people["curator"])
    post_the_need(museum_page)
    expect(museum_page.locator(".exchange-match").get_by_role("link", name="Photography of museum objects")) \
        .to_be_visible()
    need = Listing.objects.get(title=NEED_TITLE)
    assert Notification.objects.filter(recipient=people["anna"], kind="exchange.match").count() == 1

    photographer = open_page(people["anna"])
    photographer.goto(f"/en/exchange/{people['offer'].pk}/")
    match = photographer.locator(".exchange-match", has=photographer.get_by_role("link", name=NEED_TITLE))
    expect(match.get_by_text("20 km away")).to_be_visible()
    match.get_by_role("link", name=NEED_TITLE).click()
    photographer.get_by_label("Your message").fill("Hello, I photograph museum objects: I can come next week.")
    photographer.get_by_role("button", name="Send").click()
    expect(photographer.get_by_role("heading", level=1)).to_have_text("Conversation with Studio Luce")
    expect(photographer.get_by_text("I can come next week.")).to_be_visible()

    museum_page.goto(f"/en/exchange/{need.pk}/")
    museum_page.get_by_role("link", name="With Studio Luce").click()
    expect(museum_page.get_by_text("I can come next week.")).to_be_visible()
    museum_page.goto(f"/en/exchange/{need.pk}/")
    museum_page.get_by_role("link", name="Close as fulfilled").click()
    expect(museum_page.get_by_label("Partner organisation")).to_have_value(str(people["studio"].pk))
    museum_page.get_by_role("button", name="Record the partnership").click()
    expect(museum_page.get_by_text("Fulfilled: the partnership with Studio Luce is recorded.")).to_be_visible()
    partnership = Partnership.objects.get()
    assert (partnership.listing, partnership.partner) == (need, people["studio"])
    assert browser_errors == []
