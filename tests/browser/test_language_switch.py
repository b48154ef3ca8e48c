"""The header's language select moves the page to the other language's address and texts; content stays as written."""

import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# (option shown in the select, URL prefix, navigation labels, heading of the network's objectives)
LANGUAGES = [
    ("Italiano", "it", ["Elenco", "Reti", "Calendario", "Biblioteca", "Scambi", "Sportello"], "Obiettivi"),
    ("Français", "fr", ["Annuaire", "Réseaux", "Calendrier", "Bibliothèque", "Échanges", "Guichet"], "Objectifs"),
    ("Español", "es", ["Directorio", "Redes", "Calendario", "Biblioteca", "Intercambio", "Ventanilla"], "Objetivos"),
    ("Português", "pt", ["Diretório", "Redes", "Calendário", "Biblioteca", "Intercâmbio", "Balcão"], "Objetivos"),
    ("English", "en", ["Directory", "Networks", "Calendar", "Library", "Exchange", "Desk"], "Objectives"),
]


def test_language_select_switches_url_prefix_and_texts(page, browser_errors):
    network = factories.NetworkFactory(name="Rete dei musei del Po", objectives="Condividere un biglietto unico.",
                                       language="it")
    factories.MembershipFactory(network=network, organisation=network.founded_by, coordinator=True)
    page.goto(f"/en/networks/{network.slug}/?page=1")
    expect(page.get_by_role("heading", level=2, name="Objectives")).to_be_visible()

    for option, prefix, navigation, objectives in LANGUAGES:
        page.locator("#language-select").select_option(label=option)
        page.wait_for_url(f"**/{prefix}/networks/{network.slug}/?page=1")
        expect(page.locator("html")).to_have_attribute("lang", prefix)
        expect(page.locator("#main-nav .nav-link")).to_have_text(navigation)
        expect(page.get_by_role("heading", level=2, name=objectives)).to_be_visible()
        expect(page.get_by_role("heading", level=1)).to_have_text("Rete dei musei del Po")
        expect(page.locator("#objectives-heading + .prose")).to_have_text("Condividere un biglietto unico.")

    assert browser_errors == []
