"""Who sees, answers and accepts desk questions: the role matrix, for one object and as a query."""

import pytest

from sinergia.desk.models import Category, Question
from sinergia.desk.rules.questions import visible_questions_q
from tests import factories
from tests.factories import AnswerFactory, ExpertFactory, QuestionFactory, person

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "outsider", "asker", "colleague", "org_editor", "other_org", "expert", "other_expert",
         "operator")


@pytest.fixture
def world(operator, outsider):
    """A question's world: the asker's organisation and its people, another organisation, experts, an operator."""
    asking = factories.OrganisationFactory(name="Museo del jazz")
    asker = person(asking, "member", "asker@jazz.example.org")
    expert = factories.UserFactory(email="expert@example.org")
    ExpertFactory(user=expert, category=Category.COPYRIGHT)
    other_expert = factories.UserFactory(email="other.expert@example.org")
    ExpertFactory(user=other_expert, category=Category.FUNDING)
    return {"anonymous": None, "outsider": outsider, "asker": asker,
            "colleague": person(asking, "member", "colleague@jazz.example.org"),
            "org_editor": person(asking, "editor", "editor@jazz.example.org"),
            "other_org": person(factories.OrganisationFactory(name="Pinacoteca"), "admin", "boss@pinacoteca.org"),
            "expert": expert, "other_expert": other_expert, "operator": operator, "organisation": asking}


def _question(world, **kwargs) -> Question:
    return QuestionFactory(organisation=world["organisation"], asked_by=world["asker"], index=False, **kwargs)


def _as_user(user):
    from django.contrib.auth.models import AnonymousUser

    return user or AnonymousUser()


PRIVATE_VIEWERS = {"asker", "colleague", "org_editor", "expert", "operator"}


@pytest.mark.parametrize("role", ROLES)
def test_private_question_is_seen_only_by_its_organisation_experts_and_operators(world, role):
    question = _question(world, private=True)
    viewer = _as_user(world[role])
    in_query = Question.objects.filter(visible_questions_q(viewer)).filter(pk=question.pk).exists()
    assert (in_query, viewer.has_perm("desk.view_question", question)) == (role in PRIVATE_VIEWERS,) * 2


@pytest.mark.parametrize("role", ROLES)
def test_public_question_is_seen_by_everyone(world, role):
    question = _question(world)
    viewer = _as_user(world[role])
    in_query = Question.objects.filter(visible_questions_q(viewer)).filter(pk=question.pk).exists()
    assert (in_query, viewer.has_perm("desk.view_question", question)) == (True, True)


def test_visible_questions_q_follows_a_prefix(world):
    question = _question(world, private=True)
    answer = AnswerFactory(question=question)
    from sinergia.desk.models import Answer

    seen = {role: list(Answer.objects.filter(visible_questions_q(_as_user(world[role]), prefix="question__"))
                       .values_list("pk", flat=True)) for role in ("outsider", "expert")}
    assert seen == {"outsider": [], "expert": [answer.pk]}


PRIVATE_ANSWERERS = {"asker", "colleague", "org_editor", "expert"}
PUBLIC_ANSWERERS = {"asker", "colleague", "org_editor", "other_org", "expert"}


@pytest.mark.parametrize("role", ROLES)
def test_answer_on_private_question_by_experts_and_follow_ups_only(world, role):
    question = _question(world, private=True)
    assert _as_user(world[role]).has_perm("desk.answer_question", question) is (role in PRIVATE_ANSWERERS)


@pytest.mark.parametrize("role", ROLES)
def test_answer_on_public_question_by_experts_and_members_of_organisations(world, role):
    question = _question(world)
    assert _as_user(world[role]).has_perm("desk.answer_question", question) is (role in PUBLIC_ANSWERERS)


def test_answer_on_closed_question_refused_even_to_experts(world):
    question = _question(world, status=Question.Status.CLOSED)
    assert world["expert"].has_perm("desk.answer_question", question) is False


ACCEPTERS = {"asker", "org_editor"}


@pytest.mark.parametrize("role", ROLES)
def test_accept_by_asker_or_editor_of_the_asking_organisation(world, role):
    question = _question(world, status=Question.Status.ANSWERED)
    assert _as_user(world[role]).has_perm("desk.accept_answer", question) is (role in ACCEPTERS)


@pytest.mark.parametrize("role", ROLES)
def test_ask_needs_a_membership(world, role):
    expected = role in {"asker", "colleague", "org_editor", "other_org"}
    assert _as_user(world[role]).has_perm("desk.ask_question") is expected


@pytest.mark.parametrize("role", ROLES)
def test_experts_and_stats_for_operators_only(world, role):
    viewer = _as_user(world[role])
    allowed = role == "operator"
    assert (viewer.has_perm("desk.manage_experts"), viewer.has_perm("desk.view_stats")) == (allowed, allowed)
