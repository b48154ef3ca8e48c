"""The desk's pages: home, knowledge base (and its htmx partial), ask, a question, answer, accept, queues, stats."""

import pytest
from django.test import Client
from django.urls import reverse

from sinergia.desk.models import Category, FundingCall, Question
from tests import factories
from tests.factories import AnswerFactory, ExpertFactory, QuestionFactory, person, resolved

pytestmark = pytest.mark.django_db


@pytest.fixture
def museum():
    return factories.OrganisationFactory(name="Museo del jazz")


@pytest.fixture
def asker(museum):
    return person(museum, "member", "asker@jazz.example.org")


@pytest.fixture
def expert():
    user = factories.UserFactory(email="expert@example.org")
    ExpertFactory(user=user, category=Category.COPYRIGHT)
    return user


def client_of(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_home_shows_ask_button_to_members(asker):
    response = client_of(asker).get(reverse("desk:home"))
    assert (response.status_code, reverse("desk:question_create") in response.content.decode()) == (200, True)


def test_home_list_queries_pinned(asker, museum, expert, django_assert_max_num_queries):
    for _ in range(8):
        resolved(QuestionFactory(organisation=museum, asked_by=asker))
    client = client_of(expert)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("desk:home")).status_code == 200


def test_knowledge_base_finds_and_marks(asker, museum):
    resolved(QuestionFactory(title="Licenza SIAE per lo streaming", organisation=museum))
    response = Client().get(reverse("desk:knowledge"), {"q": "siae"})
    assert "Licenza <mark>SIAE</mark> per lo streaming" in response.content.decode()


def test_knowledge_base_htmx_gets_the_partial(museum):
    resolved(QuestionFactory(title="Licenza SIAE per lo streaming", organisation=museum))
    response = Client().get(reverse("desk:knowledge"), {"q": "siae"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert (content.lstrip().startswith("<!DOCTYPE"), 'hx-swap-oob="true"' in content) == (False, True)


def test_knowledge_base_queries_pinned(museum, django_assert_max_num_queries):
    for number in range(25):
        resolved(QuestionFactory(title=f"Licenza SIAE numero {number}", organisation=museum))
    with django_assert_max_num_queries(8):
        assert Client().get(reverse("desk:knowledge"), {"q": "siae"}).status_code == 200


def test_ask_get_presets_a_published_call(asker):
    call = FundingCall.objects.create(title="Bando musei 2026", funder="Regione", summary="x", language="it",
                                      deadline="2099-01-01T00:00:00Z", status=FundingCall.Status.PUBLISHED)
    response = client_of(asker).get(reverse("desk:question_create"), {"call": call.pk})
    assert f'value="{call.pk}"' in response.content.decode()


def test_ask_get_ignores_a_draft_call(asker):
    call = FundingCall.objects.create(title="Bando segreto", funder="Regione", summary="x", language="it",
                                      deadline="2099-01-01T00:00:00Z", status=FundingCall.Status.DRAFT)
    response = client_of(asker).get(reverse("desk:question_create"), {"call": call.pk})
    assert "Bando segreto" not in response.content.decode()


def test_ask_post_creates_and_redirects(asker, museum):
    response = client_of(asker).post(reverse("desk:question_create"), {
        "organisation": museum.pk, "category": "streaming", "title": "Diritti per lo streaming di un concerto",
        "body": "Dettagli", "language": "it", "visibility": "private"})
    question = Question.objects.get()
    assert (response.status_code, response.url, question.visibility) == (302, question.get_absolute_url(), "private")


def test_ask_post_with_bad_language_shows_the_error(asker, museum):
    response = client_of(asker).post(reverse("desk:question_create"), {
        "organisation": museum.pk, "category": "streaming", "title": "Diritti per lo streaming",
        "language": "notalang-", "visibility": "public"})
    assert (response.status_code, "is not a known language tag" in response.content.decode()) == (200, True)


def test_ask_refused_without_organisation(outsider):
    assert client_of(outsider).get(reverse("desk:question_create")).status_code == 403


def test_ask_redirects_anonymous_to_sign_in():
    assert Client().get(reverse("desk:question_create")).status_code == 302


def test_detail_of_private_question_is_404_for_outsiders(outsider, museum):
    question = QuestionFactory(organisation=museum, private=True)
    assert client_of(outsider).get(question.get_absolute_url()).status_code == 404


def test_detail_shows_accepted_answer_first_and_sanitised(museum, asker):
    question = QuestionFactory(organisation=museum, asked_by=asker)
    AnswerFactory(question=question, body="First, not accepted")
    resolved(question, "Accepted <script>alert(1)</script> **bold**")
    content = client_of(None).get(question.get_absolute_url()).content.decode()
    assert (content.index("Accepted") < content.index("First, not accepted"), "<script>alert" in content,
            "<strong>bold</strong>" in content) == (True, False, True)


def test_answer_post_htmx_returns_the_answers(museum, asker, expert):
    question = QuestionFactory(organisation=museum, asked_by=asker)
    response = client_of(expert).post(reverse("desk:answer_create", args=[question.pk]), {"body": "Serve la licenza."},
                                      headers={"HX-Request": "true"})
    content = response.content.decode()
    assert (response.status_code, "Serve la licenza." in content, "<!DOCTYPE" in content) == (200, True, False)


def test_answer_post_empty_shows_the_error(museum, asker, expert):
    question = QuestionFactory(organisation=museum, asked_by=asker)
    response = client_of(expert).post(reverse("desk:answer_create", args=[question.pk]), {"body": ""})
    assert "Write your answer." in response.content.decode()


def test_answer_post_private_by_stranger_is_404(museum, asker):
    question = QuestionFactory(organisation=museum, asked_by=asker, private=True)
    stranger = person(factories.OrganisationFactory(), "admin", "stranger@example.org")
    response = client_of(stranger).post(reverse("desk:answer_create", args=[question.pk]), {"body": "x"})
    assert (response.status_code, question.answers.count()) == (404, 0)


def test_accept_post_resolves(museum, asker, expert):
    question = QuestionFactory(organisation=museum, asked_by=asker)
    answer = AnswerFactory(question=question, author=expert)
    response = client_of(asker).post(reverse("desk:answer_accept", args=[question.pk, answer.pk]))
    question.refresh_from_db()
    assert (response.status_code, question.status, question.accepted_answer_id) == (302, "resolved", answer.pk)


def test_accept_post_by_the_expert_is_404(museum, asker, expert):
    question = QuestionFactory(organisation=museum, asked_by=asker)
    answer = AnswerFactory(question=question, author=expert)
    assert client_of(expert).post(reverse("desk:answer_accept", args=[question.pk, answer.pk])).status_code == 404


def test_expert_queue_lists_unanswered_first(expert, django_assert_max_num_queries):
    answered = QuestionFactory(status=Question.Status.ANSWERED, title="Già risposta")
    Question.objects.filter(pk=answered.pk).update(first_answered_at=answered.created_at)
    for number in range(5):
        QuestionFactory(title=f"In attesa {number}", private=True)
    QuestionFactory(category=Category.FUNDING, title="Altra categoria")
    client = client_of(expert)
    with django_assert_max_num_queries(8):
        content = client.get(reverse("desk:expert_queue")).content.decode()
    assert (content.index("In attesa 0") < content.index("Già risposta"), "Altra categoria" in content) == (
        True, False)


def test_my_questions_lists_the_organisations_questions(asker, museum, django_assert_max_num_queries):
    for number in range(5):
        QuestionFactory(organisation=museum, title=f"Nostra {number}")
    QuestionFactory(title="Altrui")
    client = client_of(asker)
    with django_assert_max_num_queries(8):
        content = client.get(reverse("desk:my_questions")).content.decode()
    assert ("Nostra 4" in content, "Altrui" in content) == (True, False)


@pytest.mark.parametrize("name", ["desk:experts", "desk:stats"])
def test_operator_pages_refused_to_others(asker, name):
    assert client_of(asker).get(reverse(name)).status_code == 403


def test_experts_page_names_an_expert(operator, outsider):
    response = client_of(operator).post(reverse("desk:experts"), {"email": outsider.email, "category": "digital"})
    assert (response.status_code, list(outsider.desk_expertise.values_list("category", flat=True))) == (
        302, ["digital"])


def test_experts_page_remove(operator, expert):
    expertise = expert.desk_expertise.get()
    response = client_of(operator).post(reverse("desk:expert_remove", args=[expertise.pk]))
    assert (response.status_code, expert.desk_expertise.count()) == (302, 0)


def test_stats_page_shows_median_time(operator, expert):
    import datetime

    question = QuestionFactory()
    Question.objects.filter(pk=question.pk).update(first_answered_at=question.created_at + datetime.timedelta(hours=5),
                                                   status=Question.Status.ANSWERED)
    response = client_of(operator).get(reverse("desk:stats"), {"stale_days": "3"})
    assert (response.status_code, "5.0" in response.content.decode()) == (200, True)


def test_stats_page_with_a_reversed_period_falls_back(operator):
    response = client_of(operator).get(reverse("desk:stats"), {"since": "2025-05-01", "until": "2025-01-01"})
    assert (response.status_code, "The period must start before it ends." in response.content.decode()) == (200, True)
