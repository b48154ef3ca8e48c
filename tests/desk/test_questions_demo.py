"""The desk's demo data: realistic questions asked, answered and accepted through the services."""

import pytest

from sinergia.desk.demo_questions import demo_questions
from sinergia.desk.search import question_search
from tests import factories
from tests.factories import person

pytestmark = pytest.mark.django_db


def test_demo_questions_fill_the_knowledge_base(operator):
    museums = [factories.OrganisationFactory(), factories.OrganisationFactory()]
    askers = [person(museums[0], "admin", "a@example.org"), person(museums[1], "admin", "b@example.org")]
    experts = [factories.UserFactory(), factories.UserFactory()]
    asked = demo_questions(organisations=museums, users=[operator, *askers, *experts])
    statuses = [question.status for question in asked]
    found = [hit.question.language for hit in question_search(viewer=None, query="SIAE streaming").hits]
    assert (statuses, found) == (["resolved", "resolved", "answered", "open"], ["it"])
