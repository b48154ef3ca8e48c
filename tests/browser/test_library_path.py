"""The library's path of the issue, in a browser: a member uploads an Italian PDF and imports a RIS file (whose
keywords become topics); someone searching in English finds the Italian PDF through a shared topic, opens it, exports
three results as BibTeX; an OAI-PMH harvest lists them; a search in Italian finds an imported English article."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from sinergia.core.thesaurus import thesaurus_ensure_loaded
from sinergia.library.models import Resource
from tests import factories
from tests.browser.conftest import verified_user
from tests.library.files import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF_TITLE = "Raccolta fondi per i piccoli musei di montagna"
PDF_PAGES = ("Come abbiamo finanziato il restauro della segheria con una campagna di crowdfunding.",
             "Le donazioni dei residenti e l'Art Bonus hanno coperto metà della spesa.")
RIS = """TY  - JOUR
AU  - Lindqvist, Karin
TI  - Fundraising strategies of small museums
T2  - Museum Management and Curatorship
PY  - 2019
LA  - en
KW  - Raccolta fondi
KW  - Case studies from Sweden
ER  -

TY  - BOOK
AU  - Hughes, Anne
TI  - Fundraising for heritage organisations: a practical guide
PB  - Heritage Press
PY  - 2016
LA  - en
ER  -

TY  - RPRT
AU  - Moreau, Claire
TI  - Fundraising and volunteering in rural ecomuseums
PY  - 2021
LA  - en
ER  -
""".replace("ER  -\n", "ER  - \n")  # the RIS end-of-record tag ends with a space


@pytest.fixture
def member():
    thesaurus_ensure_loaded()
    user = verified_user(email="lucia.neri@ecomuseo.example.org", full_name="Lucia Neri")
    user.date_joined = timezone.now() - datetime.timedelta(days=90)
    user.save()
    factories.OrganisationMemberFactory(user=user, editor=True, organisation__name="Ecomuseo della segheria")
    return user


def add_the_pdf(page: Page, tmp_path) -> None:
    pdf = tmp_path / "raccolta-fondi.pdf"
    pdf.write_bytes(pdf_bytes(PDF_PAGES))
    page.goto("/en/library/new/")
    page.get_by_label("Kind").select_option("report")
    page.get_by_label("Title").fill(PDF_TITLE)
    page.locator("#id_language").fill("it")
    page.get_by_label("Authors").fill("Neri, Lucia")
    page.get_by_label("Year").fill("2025")
    page.locator("summary", has_text="Funding").click()
    page.get_by_text("Fundraising", exact=True).click()
    page.get_by_label("File", exact=True).set_input_files(str(pdf))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PDF_TITLE)


def import_the_ris(page: Page, tmp_path) -> None:
    ris = tmp_path / "fundraising.ris"
    ris.write_text(RIS, encoding="utf-8")
    page.goto("/en/library/import/")
    page.get_by_label("Citations file").set_input_files(str(ris))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("Fundraising strategies of small museums")).to_be_visible()
    expect(page.get_by_text("Topics: Fundraising")).to_be_visible()  # its keyword "Raccolta fondi", in Italian
    expect(page.get_by_text("(not kept): Case studies from Sweden")).to_be_visible()
    page.get_by_role("button", name="Import all").click()  # the task worker runs it; its page shows the outcome
    expect(page.get_by_role("heading", level=1)).to_have_text("Import of fundraising.ris")
    expect(page.get_by_text(re.compile(r"3 resources added on behalf of"))).to_be_visible()


def test_a_search_in_english_finds_the_italian_pdf_and_exports_bibtex_and_oai_lists_it(open_page, member,
                                                                                         tmp_path, live_server):
    page = open_page(member)
    add_the_pdf(page, tmp_path)
    import_the_ris(page, tmp_path)
    assert Resource.objects.get(title=PDF_TITLE).text_status == Resource.TextStatus.DONE

    reader = open_page()
    reader.goto("/en/library/")
    reader.get_by_label("Search the library").fill("fundraising")
    results = reader.locator("#library-results")
    expect(results.get_by_role("link", name=PDF_TITLE)).to_be_visible()
    pdf_card = results.locator("li.card", has=reader.get_by_role("link", name=PDF_TITLE))
    expect(pdf_card.get_by_text("Found through the topic:")).to_be_visible()
    expect(results.get_by_role("link", name="Fundraising strategies of small museums")).to_be_visible()

    reader.get_by_role("link", name=PDF_TITLE).click()
    expect(reader.get_by_role("heading", level=1)).to_have_text(PDF_TITLE)
    expect(reader.get_by_role("link", name=re.compile(r"Download raccolta-fondi\.pdf"))).to_be_visible()
    reader.go_back()

    for title in (PDF_TITLE, "Fundraising strategies of small museums", "Fundraising and volunteering in rural "
                  "ecomuseums"):
        reader.locator("li.card", has=reader.get_by_role("link", name=title)).get_by_text("Select for export").click()
    reader.locator("#selection-format").select_option("bibtex")
    with reader.expect_download() as download:
        reader.get_by_role("button", name="Export the selection").click()
    bibtex = download.value.path().read_text(encoding="utf-8")
    assert bibtex.count("@") == 3
    assert "Raccolta fondi per i piccoli musei di montagna" in bibtex
    assert "keywords = {Raccolta fondi}" in bibtex  # the Italian PDF's topic, in Italian

    reader.goto("/oai?verb=ListRecords&metadataPrefix=oai_dc")
    harvest = reader.content()
    for title in (PDF_TITLE, "Fundraising strategies of small museums", "Fundraising for heritage organisations"):
        assert title in harvest

    reader.goto("/en/library/?q=segheria")
    expect(reader.locator("#library-results").get_by_role("link", name=PDF_TITLE)).to_be_visible()

    reader.goto("/en/library/?q=raccolta+fondi")  # the imported English article, through its keyword's topic
    expect(reader.locator("#library-results").get_by_role("link", name="Fundraising strategies of small "
                                                                         "museums")).to_be_visible()
