"""axe-core on every page of the library, filled with what people see; search and the form on a phone too."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from sinergia.core.models import Concept
from sinergia.core.thesaurus import thesaurus_ensure_loaded
from sinergia.library.models import CitationImport
from tests import factories
from tests.browser.conftest import DESKTOP, MOBILE, assert_accessible, verified_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RIS = ("TY  - JOUR\nTI  - Museums and their volunteers\nAU  - Smith, Jane\nPY  - 2020\nLA  - en\nER  - \n"
       "TY  - BOOK\nAU  - Nobody, Ann\nPY  - 2020\nER  - \n")


@pytest.fixture
def library(operator):
    thesaurus_ensure_loaded()
    editor = verified_user(email="editor@ecomuseo.example.org", full_name="Lucia Neri")
    editor.date_joined = timezone.now() - datetime.timedelta(days=90)
    editor.save()
    museum = factories.OrganisationMemberFactory(user=editor, editor=True,
                                                 organisation__name="Ecomuseo del paesaggio").organisation
    topic = Concept.objects.get(scheme="topic", notation="fundraising")
    original = factories.ResourceFactory(organisation=museum, title="Raccolta fondi in montagna", topics=[topic],
                                         abstract="Una **guida** pratica.", doi="10.1234/abc")
    factories.ResourceFactory(organisation=museum, title="Fundraising in the mountains", language="en",
                              original=original, topics=[topic])
    factories.ResourceFactory(organisation=museum, title="In attesa di moderazione", pending=True)
    return {"editor": editor, "original": original, "operator": operator}


def check(page: Page, url: str) -> None:
    page.goto(url)
    assert_accessible(page)


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["desktop", "phone"])
def test_search_and_resource_pages_are_accessible(open_page, library, viewport):
    page = open_page(viewport=viewport)
    check(page, "/en/library/?q=fundraising")
    check(page, f"/en/library/{library['original'].pk}/")


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["desktop", "phone"])
def test_contributor_pages_are_accessible(open_page, library, viewport):
    page = open_page(library["editor"], viewport=viewport)
    check(page, "/en/library/new/")
    page.locator("details summary").first.click()
    assert_accessible(page)
    check(page, f"/en/library/{library['original'].pk}/edit/")
    check(page, f"/en/library/{library['original'].pk}/delete/")
    check(page, "/en/library/organisation/" + library["original"].organisation.slug + "/")


def test_import_pages_are_accessible(open_page, library, tmp_path):
    page = open_page(library["editor"])
    check(page, "/en/library/import/")
    ris = tmp_path / "refs.ris"
    ris.write_text(RIS, encoding="utf-8")
    page.get_by_label("Citations file").set_input_files(str(ris))
    page.get_by_role("button", name="Check the file").click()
    assert_accessible(page)
    page.get_by_role("button", name="Import the valid ones, skip this one").click()
    expect(page.get_by_text("1 resource added on behalf of Ecomuseo del paesaggio.")).to_be_visible()
    assert_accessible(page)  # the outcome, with the record left out
    running = CitationImport.objects.create(organisation=library["original"].organisation, created_by=library["editor"],
                                            filename="big.bib", status="running", started_at=timezone.now())
    check(page, f"/en/library/import/{running.pk}/")  # its progress
    check(page, "/en/library/import/")  # the latest imports


def test_operator_pages_are_accessible(open_page, library):
    page = open_page(library["operator"])
    check(page, "/en/library/moderation/")
    check(page, "/en/thesaurus/")
