"""The desk API: questions and answers with the pages' visibility (404 for what one may not see), writes by token."""

import pytest

from sinergia.desk.models import Category, Question
from tests import factories
from tests.api.conftest import bearer
from tests.factories import AnswerFactory, ExpertFactory, QuestionFactory, person, resolved

pytestmark = pytest.mark.django_db


@pytest.fixture
def museum():
    return factories.OrganisationFactory(name="Museo del jazz", slug="museo-del-jazz")


@pytest.fixture
def asker(museum):
    return person(museum, "member", "asker@jazz.example.org")


@pytest.fixture
def expert():
    user = factories.UserFactory(email="expert@example.org")
    ExpertFactory(user=user, category=Category.COPYRIGHT)
    return user


@pytest.fixture
def private(museum, asker):
    return QuestionFactory(organisation=museum, asked_by=asker, private=True, title="Domanda riservata SIAE")


def test_list_knowledge_base_search(client, museum):
    resolved(QuestionFactory(organisation=museum, title="Licenza SIAE per lo streaming"))
    QuestionFactory(title="Aperta SIAE")
    body = client.get("/api/desk/questions", {"q": "siae", "knowledge_base": "true"}).json()
    assert ([item["question"]["title"] for item in body["items"]], body["items"][0]["title"]) == (
        ["Licenza SIAE per lo streaming"], "Licenza <mark>SIAE</mark> per lo streaming")


def test_list_hides_private_questions_from_anonymous(client, private):
    assert client.get("/api/desk/questions").json()["count"] == 0


def test_list_shows_private_questions_to_the_expert(client, private, expert):
    body = client.get("/api/desk/questions", **bearer(expert)).json()
    assert [item["question"]["id"] for item in body["items"]] == [private.pk]


def test_list_mine_filters_to_the_requesters_organisations(client, private, asker):
    QuestionFactory(title="Altrui")
    body = client.get("/api/desk/questions", {"mine": "true"}, **bearer(asker)).json()
    assert [item["question"]["id"] for item in body["items"]] == [private.pk]


def test_list_mine_for_anonymous_is_empty(client, private):
    QuestionFactory()
    assert client.get("/api/desk/questions", {"mine": "true"}).json()["count"] == 0


def test_list_rejects_an_unknown_category(client):
    assert client.get("/api/desk/questions", {"category": "nonsense"}).status_code == 422


def test_list_queries_pinned(client, museum, django_assert_max_num_queries):
    for number in range(25):
        resolved(QuestionFactory(organisation=museum, title=f"Licenza SIAE {number}"))
    with django_assert_max_num_queries(6):
        body = client.get("/api/desk/questions", {"q": "siae", "page_size": 20}).json()
    assert (body["count"], len(body["items"])) == (25, 20)


@pytest.mark.parametrize(("role", "status"), [("anonymous", 404), ("outsider", 404), ("asker", 200),
                                              ("expert", 200), ("operator", 200)])
def test_detail_of_a_private_question(client, private, expert, asker, operator, outsider, role, status):
    user = {"anonymous": None, "outsider": outsider, "asker": asker, "expert": expert, "operator": operator}[role]
    assert client.get(f"/api/desk/questions/{private.pk}", **bearer(user)).status_code == status


def test_detail_lists_the_accepted_answer_first(client, museum):
    question = QuestionFactory(organisation=museum)
    AnswerFactory(question=question, body="Prima")
    resolved(question, "Accettata")
    answers = client.get(f"/api/desk/questions/{question.pk}").json()["answers"]
    assert [(answer["body"], answer["accepted"]) for answer in answers] == [("Accettata", True), ("Prima", False)]


def test_create_question(client, museum, asker):
    response = client.post("/api/desk/questions", {
        "organisation": "museo-del-jazz", "category": "streaming", "title": "Streaming di un concerto",
        "language": "it", "visibility": "private"}, content_type="application/json", **bearer(asker))
    assert (response.status_code, response.json()["visibility"], Question.objects.count()) == (201, "private", 1)


def test_create_question_needs_a_token(client, museum):
    response = client.post("/api/desk/questions", {"organisation": "museo-del-jazz", "category": "streaming",
                                                   "title": "Streaming", "language": "it"},
                           content_type="application/json")
    assert response.status_code == 401


def test_create_question_for_another_organisation_refused(client, museum, outsider):
    response = client.post("/api/desk/questions", {"organisation": "museo-del-jazz", "category": "streaming",
                                                   "title": "Streaming di un concerto", "language": "it"},
                           content_type="application/json", **bearer(outsider))
    assert response.status_code == 403


def test_create_question_bad_language_is_400(client, museum, asker):
    response = client.post("/api/desk/questions", {"organisation": "museo-del-jazz", "category": "streaming",
                                                   "title": "Streaming di un concerto", "language": "zz-!!"},
                           content_type="application/json", **bearer(asker))
    assert (response.status_code, response.json()["detail"].startswith("language:")) == (400, True)


def test_answer_by_expert(client, private, expert):
    response = client.post(f"/api/desk/questions/{private.pk}/answers", {"body": "Serve la licenza."},
                           content_type="application/json", **bearer(expert))
    assert (response.status_code, response.json()["by_expert"]) == (201, True)


def test_answer_private_by_stranger_is_404(client, private):
    stranger = person(factories.OrganisationFactory(), "admin", "stranger@example.org")
    response = client.post(f"/api/desk/questions/{private.pk}/answers", {"body": "x"},
                           content_type="application/json", **bearer(stranger))
    assert response.status_code == 404


def test_answer_public_by_outsider_without_organisation_is_403(client, museum, outsider):
    question = QuestionFactory(organisation=museum)
    response = client.post(f"/api/desk/questions/{question.pk}/answers", {"body": "x"},
                           content_type="application/json", **bearer(outsider))
    assert response.status_code == 403


def test_accept_by_asker(client, private, asker, expert):
    answer = AnswerFactory(question=private, author=expert)
    response = client.post(f"/api/desk/questions/{private.pk}/accept", {"answer": answer.pk},
                           content_type="application/json", **bearer(asker))
    assert (response.status_code, response.json()["status"], response.json()["accepted_answer_id"]) == (
        200, "resolved", answer.pk)


def test_accept_by_expert_is_403(client, private, expert):
    answer = AnswerFactory(question=private, author=expert)
    response = client.post(f"/api/desk/questions/{private.pk}/accept", {"answer": answer.pk},
                           content_type="application/json", **bearer(expert))
    assert response.status_code == 403


def test_accept_an_answer_of_another_question_is_404(client, private, asker):
    other = AnswerFactory()
    response = client.post(f"/api/desk/questions/{private.pk}/accept", {"answer": other.pk},
                           content_type="application/json", **bearer(asker))
    assert response.status_code == 404
