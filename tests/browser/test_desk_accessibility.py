"""axe-core finds no serious or critical violation on the desk's pages, on desktop and mobile."""

import pytest

from sinergia.desk.models import Category
from tests import factories
from tests.browser.conftest import MOBILE, assert_accessible
from tests.factories import AnswerFactory, ExpertFactory, QuestionFactory, resolved

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def desk(operator):
    museum = factories.OrganisationFactory(name="Museo del jazz")
    member = factories.UserFactory(email="member@jazz.example.org")
    factories.OrganisationMemberFactory(organisation=museum, user=member, role="admin")
    ExpertFactory(user=member, category=Category.STREAMING)
    question = resolved(QuestionFactory(organisation=museum, asked_by=member, title="Licenza SIAE per lo streaming"),
                        "Serve la **licenza**.")
    AnswerFactory(question=question, by_expert=False, body="Noi abbiamo fatto così.")
    QuestionFactory(organisation=museum, category=Category.STREAMING, title="Diritti di trasmissione")
    return {"member": member, "question": question, "operator": operator}


@pytest.mark.parametrize("viewport", [None, MOBILE], ids=["desktop", "mobile"])
def test_desk_member_pages_are_accessible(open_page, desk, viewport):
    page = open_page(desk["member"], viewport=viewport)
    for path in ("/en/desk/", "/en/desk/knowledge/?q=siae", "/en/desk/ask/", f"/en/desk/questions/{desk['question'].pk}/",
                 "/en/desk/mine/", "/en/desk/queue/"):
        page.goto(path)
        assert_accessible(page)


def test_desk_operator_pages_are_accessible(open_page, desk):
    page = open_page(desk["operator"])
    for path in ("/en/desk/experts/", "/en/desk/stats/"):
        page.goto(path)
        assert_accessible(page)
