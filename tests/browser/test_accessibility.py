"""axe-core on every page of the directory, the networks and the accounts; the small screen gets the burger menu."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from sinergia.core.thesaurus import thesaurus_ensure_loaded
from sinergia.networks import services
from tests import factories
from tests.browser.conftest import MOBILE, assert_accessible, verified_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MARKERS = ".js-map .leaflet-marker-icon"


@dataclass
class World:
    """Everything the pages show: organisations, a network with a charter, an application, a claim."""

    coordinator: object
    operator: object
    organisation: object
    network: object


@pytest.fixture
def world() -> World:
    thesaurus_ensure_loaded()
    coordinator = verified_user(email="coordinator@example.org", full_name="Carla Coordinatrice")
    founder = factories.OrganisationMemberFactory(user=coordinator, organisation__name="Museo civico di Bologna")
    factories.OrganisationMemberFactory(user=coordinator, organisation__name="Museo del Patrimonio industriale",
                                        organisation__latitude=44.51, organisation__longitude=11.35)
    network = services.network_found(founder=founder.organisation, by=coordinator, name="Rete dei musei emiliani",
                                     kind="territorial", scale="regional", governance="mou",
                                     objectives="Share **one** ticket.", charter_text="## Charter\n\nWe share.")
    applicant = factories.OrganisationMemberFactory(organisation__name="Museo di Ferrara",
                                                    organisation__latitude=44.8381, organisation__longitude=11.6198)
    services.membership_apply(network=network, by=applicant.user, organisation=applicant.organisation,
                              motivation="We bring our collection.")
    factories.OrganisationFactory.create_batch(5)
    operator = verified_user(email="operator@example.org", is_staff=True)
    factories.ClaimFactory()
    return World(coordinator, operator, founder.organisation, network)


def _submit_invalid_organisation(page: Page) -> None:
    page.locator("#id_latitude").fill("123")
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("#id_latitude_error")).to_be_visible()


def _submit_empty_network(page: Page) -> None:
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("#id_name_error")).to_be_visible()


def _has_results(page: Page) -> None:
    expect(page.locator("#directory-results").get_by_role("link", name="Museo di Ferrara")).to_be_visible()


def _wait_for_markers(page: Page) -> None:
    expect(page.locator(MARKERS).first).to_be_visible()


@dataclass
class Screen:
    """A page to check: its address, who looks at it, and what to do before checking."""

    path: Callable[[World], str]
    who: str = "anonymous"
    then: Callable[[Page], None] | None = None


SCREENS = {
    "home": Screen(lambda w: "/en/"),
    "directory-list": Screen(lambda w: "/en/organisations/?q=museo", then=_has_results),
    "directory-map": Screen(lambda w: "/en/organisations/map/", then=_wait_for_markers),
    "organisation-detail": Screen(lambda w: f"/en/organisations/{w.organisation.slug}/", then=_wait_for_markers),
    "organisation-create-errors": Screen(lambda w: "/en/organisations/new/", "coordinator", _submit_invalid_organisation),
    "organisation-edit-errors": Screen(lambda w: f"/en/organisations/{w.organisation.slug}/edit/", "coordinator",
                                       _submit_invalid_organisation),
    "network-list": Screen(lambda w: "/en/networks/"),
    "network-detail": Screen(lambda w: f"/en/networks/{w.network.slug}/", "coordinator", _wait_for_markers),
    "network-found-errors": Screen(lambda w: "/en/networks/new/", "coordinator", _submit_empty_network),
    "charter": Screen(lambda w: f"/en/networks/{w.network.slug}/charter/", "coordinator"),
    "apply": Screen(lambda w: f"/en/networks/{w.network.slug}/apply/", "coordinator"),
    "applications": Screen(lambda w: f"/en/networks/{w.network.slug}/applications/", "coordinator"),
    "dashboard": Screen(lambda w: "/en/dashboard/", "coordinator"),
    "notifications": Screen(lambda w: "/en/notifications/", "coordinator"),
    "profile": Screen(lambda w: "/en/account/", "coordinator"),
    "moderation": Screen(lambda w: "/en/moderation/", "operator"),
    "import": Screen(lambda w: "/en/organisations/import/", "operator"),
    "login": Screen(lambda w: "/en/accounts/login/"),
    "signup": Screen(lambda w: "/en/accounts/signup/"),
    "password-reset": Screen(lambda w: "/en/accounts/password/reset/"),
}


@pytest.mark.parametrize("name", SCREENS)
def test_page_has_no_serious_accessibility_violation(name, world, open_page, browser_errors):
    screen = SCREENS[name]
    page = open_page(getattr(world, screen.who, None))
    response = page.goto(screen.path(world))
    assert response is not None and response.status == 200, f"{name}: HTTP {response and response.status}"
    expect(page.locator("main h1")).to_have_count(1)
    if screen.then:
        screen.then(page)
    assert_accessible(page)
    assert browser_errors == []


@pytest.mark.parametrize("path", ["/en/organisations/", "network"])
def test_small_screen_shows_the_burger_menu(path, world, open_page):
    page = open_page(viewport=MOBILE)
    page.goto(f"/en/networks/{world.network.slug}/" if path == "network" else path)
    directory_link = page.locator("#main-nav").get_by_role("link", name="Directory")
    expect(directory_link).to_be_hidden()
    assert_accessible(page)
    burger = page.get_by_role("button", name="Show or hide the navigation")
    expect(burger).to_be_visible()
    burger.click()
    expect(directory_link).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"]
