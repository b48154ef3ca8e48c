"""The same path in Italian: sign in, apply, admit, sign; every step shows the Italian interface."""

import re

import pytest
from playwright.sync_api import Page, expect

from sinergia.networks import services
from tests import factories
from tests.browser.conftest import fill_sign_in, verified_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NETWORK = "Rete dei musei del Delta"
FOUNDER_ORG = "Museo del Delta antico"
APPLICANT_ORG = "Museo della Bonifica"


@pytest.fixture
def network():
    coordinator = verified_user(email="coordinatrice@example.org", full_name="Anna Neri", language="it")
    founder = factories.OrganisationMemberFactory(user=coordinator, organisation__name=FOUNDER_ORG)
    return services.network_found(founder=founder.organisation, by=coordinator, name=NETWORK, kind="territorial",
                                  scale="local", governance="mou", objectives="Un biglietto unico.",
                                  charter_text="## Carta\n\nI musei condividono il calendario.")


def test_network_path_in_italian(network, open_page, browser_errors):
    applicant_user = verified_user(email="direttore@example.org", full_name="Marco Verdi", language="it")
    factories.OrganisationMemberFactory(user=applicant_user, organisation__name=APPLICANT_ORG,
                                        organisation__latitude=44.6, organisation__longitude=12.0)
    applicant = open_page(locale="it-IT")
    _sign_in_in_italian(applicant, applicant_user.email)
    _apply_in_italian(applicant)

    coordinator = open_page(network.created_by, locale="it-IT")
    _admit_in_italian(coordinator)

    applicant.goto(f"/it/networks/{network.slug}/charter/")
    expect(applicant.get_by_role("heading", level=1)).to_have_text(f"Carta di {NETWORK}")
    applicant.get_by_role("button", name="Firma la versione 1").click()
    expect(applicant.locator(".messages")).to_have_text(f"{APPLICANT_ORG} ha firmato la carta.")
    expect(applicant.locator("#members tbody tr", has_text=APPLICANT_ORG)).to_contain_text("Firmata v1")
    assert browser_errors == []


def _sign_in_in_italian(page: Page, email: str) -> None:
    page.goto("/it/")
    expect(page.locator("html")).to_have_attribute("lang", "it")
    navigation = page.get_by_role("navigation", name="Navigazione principale")
    expect(navigation.get_by_role("link")).to_have_text(["Elenco", "Reti", "Calendario", "Biblioteca", "Scambi", "Sportello"])
    page.get_by_role("link", name="Accedi", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accedi")
    fill_sign_in(page, email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Salve, Marco Verdi")
    expect(navigation.get_by_role("link")).to_have_text(["Elenco", "Reti", "Calendario", "Biblioteca", "Scambi", "Sportello",
                                                         "Area personale"])
    expect(page.get_by_role("button", name="Esci")).to_be_visible()


def _apply_in_italian(page: Page) -> None:
    page.get_by_role("navigation", name="Navigazione principale").get_by_role("link", name="Reti").click()
    page.locator("main").get_by_role("link", name=NETWORK).first.click()
    expect(page.get_by_role("heading", level=2, name="Obiettivi")).to_be_visible()
    page.get_by_role("link", name="Chiedi di aderire").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Richiesta di adesione a {NETWORK}")
    page.get_by_label(re.compile("^Richiedente")).select_option(label=APPLICANT_ORG)
    page.get_by_label(re.compile("^Motivazione")).fill("Custodiamo la storia della bonifica del Delta.")
    page.get_by_role("button", name="Invia la richiesta").click()
    expect(page.locator(".messages")).to_have_text("La richiesta è stata inviata; decideranno i coordinatori.")
    expect(page.locator("#mine-heading + ul")).to_contain_text("Richiesta inviata")


def _admit_in_italian(page: Page) -> None:
    page.goto("/it/")
    page.get_by_role("link", name=re.compile("^Notifiche")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifiche")
    page.get_by_role("link", name=f"{APPLICANT_ORG} ha chiesto di aderire a {NETWORK}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Richieste di adesione a {NETWORK}")
    application = page.locator("li.card", has_text=APPLICANT_ORG)
    application.get_by_role("button", name="Ammetti").click()
    expect(application.get_by_role("status")).to_have_text(f"{APPLICANT_ORG} è ora membro della rete.")
    expect(application).to_contain_text("Ammessa")
