"""Asking, answering and accepting at the desk; naming experts: invariants, audit and notifications."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from sinergia.core.models import AuditEntry, Notification
from sinergia.desk.models import Category, Expert, FundingCall, Question
from sinergia.desk.services.questions import answer_accept, answer_add, expert_name, expert_remove, question_ask
from tests import factories
from tests.factories import AnswerFactory, ExpertFactory, QuestionFactory, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def museum():
    return factories.OrganisationFactory(name="Museo del jazz")


@pytest.fixture
def asker(museum):
    return person(museum, "member", "asker@jazz.example.org")


@pytest.fixture
def expert():
    user = factories.UserFactory(email="expert@example.org", language="it")
    ExpertFactory(user=user, category=Category.COPYRIGHT)
    return user


def _ask(asker, museum, **kwargs) -> Question:
    values = {"title": "Serve la licenza SIAE per lo streaming?", "body": "Un concerto **in diretta**.",
              "category": Category.COPYRIGHT, "language": "it", "visibility": Question.Visibility.PUBLIC}
    values.update(kwargs)
    return question_ask(by=asker, organisation=museum, **values)


def test_question_ask_notifies_the_experts_of_its_category_only(asker, museum, expert,
                                                                django_capture_on_commit_callbacks):
    ExpertFactory(category=Category.FUNDING)
    with django_capture_on_commit_callbacks(execute=True):
        question = _ask(asker, museum)
    sent = list(Notification.objects.filter(kind="desk.question").values_list("recipient__email", "url"))
    assert sent == [("expert@example.org", f"/it/desk/questions/{question.pk}/")]
    assert [message.to for message in mail.outbox] == [["expert@example.org"]]


def test_question_ask_records_an_audit_entry(asker, museum):
    question = _ask(asker, museum)
    entry = AuditEntry.objects.get(action="desk.question_asked")
    assert (entry.actor, entry.target_id, entry.data) == (asker, str(question.pk),
                                                          {"category": "copyright", "visibility": "public"})


def test_question_ask_normalises_the_language_tag(asker, museum):
    assert _ask(asker, museum, language="pt-br").language == "pt-BR"


def test_question_ask_refuses_an_unknown_language(asker, museum):
    with pytest.raises(ValidationError) as error:
        _ask(asker, museum, language="xx-notalanguage")
    assert list(error.value.message_dict) == ["language"]


def test_question_ask_refuses_an_organisation_not_ones_own(asker):
    with pytest.raises(PermissionDenied):
        _ask(asker, factories.OrganisationFactory())


def test_question_ask_refuses_someone_without_organisation(outsider, museum):
    with pytest.raises(PermissionDenied):
        _ask(outsider, museum)


def test_question_ask_refuses_a_draft_call(asker, museum):
    call = FundingCall.objects.create(title="Bando", funder="Regione", summary="x", language="it",
                                      deadline="2099-01-01T00:00:00Z", status=FundingCall.Status.DRAFT)
    with pytest.raises(ValidationError) as error:
        _ask(asker, museum, call=call)
    assert list(error.value.message_dict) == ["call"]


def test_question_ask_keeps_html_as_text(asker, museum):
    question = _ask(asker, museum, title="<script>alert(1)</script> SIAE?", body="<img src=x onerror=alert(1)>")
    assert (question.title, question.body) == ("<script>alert(1)</script> SIAE?", "<img src=x onerror=alert(1)>")


def test_question_ask_refuses_an_empty_title(asker, museum):
    with pytest.raises(ValidationError) as error:
        _ask(asker, museum, title="   \x00 ")
    assert list(error.value.message_dict) == ["title"]


def test_answer_add_by_expert_sets_first_answered_and_status(asker, museum, expert):
    question = _ask(asker, museum)
    answer = answer_add(question=question, by=expert, body="Sì, serve.")
    question.refresh_from_db()
    assert (answer.by_expert, question.status, question.first_answered_at) == (True, "answered", answer.created_at)


def test_answer_add_notifies_asker_and_editors_not_the_author(asker, museum, expert):
    person(museum, "editor", "editor@jazz.example.org")
    person(museum, "member", "member@jazz.example.org")
    question = _ask(asker, museum)
    answer_add(question=question, by=expert, body="Sì, serve.")
    recipients = sorted(Notification.objects.filter(kind="desk.answer").values_list("recipient__email", flat=True))
    assert recipients == ["asker@jazz.example.org", "editor@jazz.example.org"]


def test_answer_add_follow_up_of_the_organisation_leaves_it_open(asker, museum):
    colleague = person(museum, "member", "colleague@jazz.example.org")
    question = _ask(asker, museum, visibility=Question.Visibility.PRIVATE)
    answer = answer_add(question=question, by=colleague, body="Aggiungo: è in diretta su YouTube.")
    question.refresh_from_db()
    assert (answer.by_expert, question.status, question.first_answered_at) == (False, "open", None)


def test_answer_add_by_a_non_expert_on_a_private_question_refused(asker, museum):
    question = _ask(asker, museum, visibility=Question.Visibility.PRIVATE)
    stranger = person(factories.OrganisationFactory(), "admin", "stranger@example.org")
    with pytest.raises(PermissionDenied):
        answer_add(question=question, by=stranger, body="Io so la risposta.")


def test_answer_add_community_answer_on_public_question(asker, museum):
    question = _ask(asker, museum)
    member = person(factories.OrganisationFactory(), "member", "peer@example.org")
    answer = answer_add(question=question, by=member, body="Noi abbiamo fatto così.")
    question.refresh_from_db()
    assert (answer.by_expert, question.status) == (False, "answered")


def test_answer_add_refuses_an_empty_body(asker, museum, expert):
    question = _ask(asker, museum)
    with pytest.raises(ValidationError) as error:
        answer_add(question=question, by=expert, body="  ")
    assert list(error.value.message_dict) == ["body"]


def test_answer_accept_resolves_and_notifies_the_author(asker, museum, expert):
    question = _ask(asker, museum)
    answer = answer_add(question=question, by=expert, body="Sì, serve.")
    resolved = answer_accept(question=question, answer=answer, by=asker)
    assert (resolved.status, resolved.accepted_answer_id, resolved.resolved_at is not None) == ("resolved",
                                                                                                answer.pk, True)
    assert list(Notification.objects.filter(kind="desk.accepted").values_list("recipient__email", flat=True)) == [
        "expert@example.org"]


def test_answer_accept_by_an_editor_of_the_organisation(asker, museum, expert):
    editor = person(museum, "editor", "editor@jazz.example.org")
    question = _ask(asker, museum)
    answer = answer_add(question=question, by=expert, body="Sì, serve.")
    assert answer_accept(question=question, answer=answer, by=editor).status == "resolved"


def test_answer_accept_by_the_expert_refused(asker, museum, expert):
    question = _ask(asker, museum)
    answer = answer_add(question=question, by=expert, body="Sì, serve.")
    with pytest.raises(PermissionDenied):
        answer_accept(question=question, answer=answer, by=expert)


def test_answer_accept_of_another_questions_answer_refused(asker, museum):
    question = _ask(asker, museum)
    other = AnswerFactory(question=QuestionFactory())
    with pytest.raises(ValidationError):
        answer_accept(question=question, answer=other, by=asker)


def test_answer_accept_of_the_askers_own_follow_up_refused(asker, museum):
    question = _ask(asker, museum)
    own = answer_add(question=question, by=asker, body="Preciso meglio.")
    with pytest.raises(ValidationError):
        answer_accept(question=question, answer=own, by=asker)


def test_expert_name_is_audited_and_idempotent(operator, outsider):
    first = expert_name(user=outsider, category=Category.STREAMING, by=operator)
    again = expert_name(user=outsider, category=Category.STREAMING, by=operator)
    assert (first.pk, Expert.objects.count(), AuditEntry.objects.filter(action="desk.expert_named").count()) == (
        again.pk, 1, 1)


def test_expert_name_refused_to_non_operators(outsider):
    with pytest.raises(PermissionDenied):
        expert_name(user=outsider, category=Category.STREAMING, by=outsider)


def test_expert_remove_takes_away_the_private_questions(operator, asker, museum, expert):
    question = _ask(asker, museum, visibility=Question.Visibility.PRIVATE)
    assert expert.has_perm("desk.view_question", question) is True
    expert_remove(expert=Expert.objects.get(user=expert), by=operator)
    expert.refresh_from_db()
    assert (Expert.objects.count(), AuditEntry.objects.filter(action="desk.expert_removed").count()) == (0, 1)
