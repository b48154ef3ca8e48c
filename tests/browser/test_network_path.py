"""The whole path of a network in English, as people do it: sign up, found, apply, admit, sign, see the map."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.conftest import PASSWORD, sign_in, verified_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOUNDER_EMAIL = "giulia.rossi@museo-bologna.example.org"
NETWORK = "Musei della via Emilia"
FOUNDER_ORG = "Museo della Musica di Bologna"
APPLICANT_ORG = "Museo Archeologico di Palermo"
CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/en/accounts/confirm-email/[^/\s]+/)")


@pytest.fixture
def applicant_user():
    """The second person: already verified, administrator of a museum far from the founder's."""
    user = verified_user(email="paolo.bianchi@museo-palermo.example.org", full_name="Paolo Bianchi")
    factories.OrganisationMemberFactory(user=user, organisation__name=APPLICANT_ORG, organisation__municipality="Palermo",
                                        organisation__region="Sicilia", organisation__latitude=38.1157,
                                        organisation__longitude=13.3615)
    return user


def test_network_path_from_sign_up_to_signed_member_on_the_map(open_page, applicant_user, browser_errors):
    founder = open_page()
    _sign_up_and_confirm(founder)
    _create_organisation(founder)
    _found_network(founder)
    founder.get_by_role("link", name="Read and sign the charter").click()
    _sign_charter(founder, FOUNDER_ORG)

    applicant = open_page()
    sign_in(applicant, "en", applicant_user.email)
    expect(applicant.get_by_role("heading", level=1)).to_have_text("Welcome, Paolo Bianchi")
    _apply(applicant)
    assert [(m.to, m.subject) for m in mail.outbox[-1:]] == [
        ([FOUNDER_EMAIL], f"[Sinergia] {APPLICANT_ORG} applied to join {NETWORK}")]

    _admit(founder)
    admitted = f"{APPLICANT_ORG} has been admitted to {NETWORK}: please sign its charter"
    assert [(m.to, m.subject) for m in mail.outbox[-1:]] == [([applicant_user.email], f"[Sinergia] {admitted}")]
    _open_notification(applicant, admitted)
    _sign_charter(applicant, APPLICANT_ORG)
    _check_network_page(applicant)
    assert browser_errors == []


def _sign_up_and_confirm(page: Page) -> None:
    page.goto("/en/")
    page.get_by_role("link", name="Sign up", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign Up")
    page.get_by_label(re.compile("^Full name")).fill("Giulia Rossi")
    page.get_by_label(re.compile("^Email")).fill(FOUNDER_EMAIL)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verify Your Email Address")

    assert [message.to for message in mail.outbox] == [[FOUNDER_EMAIL]]
    link = CONFIRM_LINK.search(mail.outbox[0].body)
    assert link, mail.outbox[0].body
    page.goto(link.group(1))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm Email Address")
    expect(page.locator("main")).to_contain_text(FOUNDER_EMAIL)
    page.locator("main").get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Giulia Rossi")
    expect(page.locator("main")).to_contain_text("You do not belong to any organisation yet.")


def _create_organisation(page: Page) -> None:
    page.locator("main").get_by_role("link", name="Add an organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an organisation")
    page.locator("#id_name").fill(FOUNDER_ORG)
    page.locator("#id_kind").select_option("museum")
    page.locator("#id_municipality").fill("Bologna")
    page.locator("#id_province").fill("Bologna")
    page.locator("#id_region").fill("Emilia-Romagna")
    page.locator("#id_country").fill("it")
    page.locator("#id_latitude").fill("44.4949")
    page.locator("#id_longitude").fill("11.3426")
    page.get_by_role("button", name="Add the organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(FOUNDER_ORG)
    expect(page.locator(".messages")).to_contain_text(f"{FOUNDER_ORG} is now in the directory.")


def _found_network(page: Page) -> None:
    page.goto("/en/networks/")
    page.locator("main").get_by_role("link", name="Found a network").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Found a network")
    page.locator("#id_founder").select_option(label=FOUNDER_ORG)
    page.locator("#id_name").fill(NETWORK)
    page.locator("#id_kind").select_option("territorial")
    page.locator("#id_scale").select_option("national")
    page.locator("#id_governance").select_option("agreement")
    page.locator("#id_objectives").fill("Share **one** ticket and one calendar.")
    page.locator("#id_charter_text").fill("## Charter\n\nMembers share their calendars and lend objects.")
    page.get_by_role("button", name="Found the network").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(NETWORK)
    expect(page.locator(".messages")).to_contain_text("The network has been founded; your organisation coordinates it.")
    expect(page.locator("main")).to_contain_text("Territorial")
    expect(page.locator("main")).to_contain_text("National")
    expect(page.locator("main")).to_contain_text("Governance model: Agreement or convention")
    expect(page.locator("#objectives-heading + .prose strong")).to_have_text("one")
    expect(page.locator("#members tbody tr")).to_have_count(1)
    expect(page.locator("#members")).to_contain_text("Coordinator")


def _open_notification(page: Page, title: str, unread: int = 1) -> None:
    page.goto("/en/")
    notifications = page.get_by_role("link", name=re.compile("^Notifications"))
    expect(notifications.locator(".badge")).to_have_text(str(unread))
    notifications.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    page.get_by_role("link", name=title).click()


def _sign_charter(page: Page, organisation: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Charter of {NETWORK}")
    expect(page.locator("article")).to_contain_text("Members share their calendars and lend objects.")
    mine = page.locator("#sign-heading + ul li", has_text=organisation)
    expect(mine).to_contain_text("Charter not signed")
    mine.get_by_role("button", name="Sign version 1").click()
    expect(page.locator(".messages")).to_contain_text(f"{organisation} has signed the charter.")
    expect(page.locator("#sign-heading + ul li", has_text=organisation)).to_contain_text("Signed v1")


def _apply(page: Page) -> None:
    page.goto("/en/networks/")
    page.locator("main").get_by_role("link", name=NETWORK).first.click()
    page.get_by_role("link", name="Apply to join").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Apply to join {NETWORK}")
    page.get_by_label(re.compile("^Who applies")).select_option(label=APPLICANT_ORG)
    page.get_by_label(re.compile("^Motivation")).fill("Our collection of Punic objects completes the route.")
    page.get_by_role("button", name="Send the application").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NETWORK)
    expect(page.locator(".messages")).to_contain_text("Your application has been sent; the coordinators will decide.")
    expect(page.locator("#mine-heading + ul")).to_contain_text("Applied")


def _admit(page: Page) -> None:
    _open_notification(page, f"{APPLICANT_ORG} applied to join {NETWORK}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Applications to {NETWORK}")
    application = page.locator("li.card", has_text=APPLICANT_ORG)
    expect(application).to_contain_text("Our collection of Punic objects completes the route.")
    application.get_by_role("button", name="Admit").click()
    expect(application.get_by_role("status")).to_have_text(f"{APPLICANT_ORG} has been admitted.")
    expect(application).to_contain_text("Admitted")


def _check_network_page(page: Page) -> None:
    page.get_by_role("link", name=NETWORK).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NETWORK)
    expect(page.locator("#members-heading")).to_have_text("2 members")
    row = page.locator("#members tbody tr", has_text=APPLICANT_ORG)
    expect(row).to_contain_text("Member")
    expect(row).to_contain_text("Signed v1")
    expect(page.locator("#members tbody tr", has_text=FOUNDER_ORG)).to_contain_text("Signed v1")
    expect(page.locator(f'.js-map .leaflet-marker-icon[title="{APPLICANT_ORG}"]')).to_be_visible()
    expect(page.locator(f'.js-map .leaflet-marker-icon[title="{FOUNDER_ORG}"]')).to_be_visible()
