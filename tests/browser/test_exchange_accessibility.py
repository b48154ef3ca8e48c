"""axe-core on the exchange's pages, filled with what people see; the list, a listing and the form on a phone too."""

import pytest
from playwright.sync_api import Page

from sinergia.core.models import Concept
from sinergia.core.thesaurus import thesaurus_ensure_loaded
from sinergia.directory.models import Organisation
from tests import factories
from tests.browser.conftest import DESKTOP, MOBILE, assert_accessible, verified_user
from tests.exchange.conftest import BOLOGNA, NEAR_20_KM
from tests.factories import ListingFactory, MessageFactory, ThreadFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def exchange():
    thesaurus_ensure_loaded()
    photo = Concept.objects.get(notation="service-photo-video")
    museum = factories.OrganisationFactory(name="Museo della canapa", latitude=BOLOGNA[0], longitude=BOLOGNA[1])
    studio = factories.OrganisationFactory(name="Studio Luce", kind=Organisation.Kind.FREELANCE,
                                           latitude=NEAR_20_KM[0], longitude=NEAR_20_KM[1])
    editor = verified_user(email="curator@canapa.example.org", full_name="Maria Rossi")
    factories.OrganisationMemberFactory(user=editor, organisation=museum, editor=True)
    need = ListingFactory(organisation=museum, categories=[photo], title="Photographer for the collection",
                          description="About **200** objects.")
    ListingFactory(organisation=studio, offer=True, categories=[photo], title="Photography of museum objects")
    thread = ThreadFactory(listing=need, counterpart=studio)
    MessageFactory(thread=thread, organisation=studio, body="I can come next week.")
    return {"editor": editor, "need": need, "thread": thread, "museum": museum}


def check(page: Page, url: str) -> None:
    page.goto(url)
    assert_accessible(page)


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["desktop", "phone"])
def test_public_pages_are_accessible(open_page, exchange, viewport):
    page = open_page(viewport=viewport)
    check(page, "/en/exchange/")
    check(page, f"/en/exchange/{exchange['need'].pk}/")
    check(page, "/en/exchange/professionals/")


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["desktop", "phone"])
def test_publisher_pages_are_accessible(open_page, exchange, viewport):
    page = open_page(exchange["editor"], viewport=viewport)
    need = exchange["need"].pk
    check(page, "/en/exchange/new/?side=need")
    check(page, f"/en/exchange/{need}/")
    check(page, f"/en/exchange/{need}/edit/")
    check(page, f"/en/exchange/{need}/renew/")
    check(page, f"/en/exchange/{need}/close/")
    check(page, f"/en/exchange/{need}/fulfil/")
    check(page, f"/en/exchange/messages/{exchange['thread'].pk}/")
    check(page, "/en/exchange/messages/")
    check(page, f"/en/exchange/organisation/{exchange['museum'].slug}/")
