"""The desk's path of the issue, in a browser: a member asks about SIAE rights for a streamed concert, an expert
answers, the member accepts the answer, and another user finds it by searching the knowledge base."""

import re

import pytest
from playwright.sync_api import expect

from sinergia.desk.models import Category
from tests import factories
from tests.factories import ExpertFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Serve una licenza SIAE per lo streaming di un concerto?"
ANSWER = "Sì: oltre al permesso per il concerto serve la licenza SIAE per la trasmissione online."


@pytest.fixture
def people():
    museum = factories.OrganisationFactory(name="Museo del jazz")
    asker = factories.UserFactory(email="asker@jazz.example.org", full_name="Anna Blu")
    factories.OrganisationMemberFactory(organisation=museum, user=asker, role="admin")
    expert = factories.UserFactory(email="expert@example.org", full_name="Ettore Diritti")
    ExpertFactory(user=expert, category=Category.COPYRIGHT)
    reader = factories.UserFactory(email="reader@example.org", full_name="Rita Lettrice")
    return {"asker": asker, "expert": expert, "reader": reader}


def test_question_answered_accepted_and_found_in_the_knowledge_base(open_page, people, browser_errors):
    asker_page = open_page(people["asker"])
    asker_page.goto("/en/desk/")
    asker_page.get_by_role("link", name="Ask the desk").first.click()
    asker_page.get_by_label("Category").select_option("copyright")
    asker_page.get_by_label("Your question").fill(TITLE)
    asker_page.get_by_label("Details").fill("Trasmettiamo in diretta un concerto jazz dal chiostro.")
    asker_page.locator("#id_language").fill("it")
    asker_page.get_by_role("button", name="Send the question").click()
    expect(asker_page.get_by_role("heading", level=1)).to_have_text(TITLE)
    question_url = asker_page.url

    expert_page = open_page(people["expert"])
    expert_page.goto("/en/desk/queue/")
    expert_page.get_by_role("link", name=TITLE).click()
    expert_page.get_by_label("Your answer").fill(ANSWER)
    expert_page.get_by_role("button", name="Publish the answer").click()
    expect(expert_page.locator("#question-answers")).to_contain_text(ANSWER)
    expect(expert_page.locator("#question-answers .badge", has_text="Expert")).to_be_visible()

    asker_page.goto(question_url)
    asker_page.get_by_role("button", name=re.compile("Accept this answer")).click()
    expect(asker_page.get_by_text("Accepted answer")).to_be_visible()

    reader_page = open_page(people["reader"])
    reader_page.goto("/en/desk/knowledge/")
    reader_page.get_by_label("Search the knowledge base").fill("streaming concerti")
    expect(reader_page.locator("#knowledge-results mark").first).to_be_visible()
    reader_page.get_by_role("link", name=TITLE).click()
    expect(reader_page.locator("#question-answers")).to_contain_text(ANSWER)
    assert browser_errors == []
