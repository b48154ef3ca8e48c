"""Writes of the desk's questions: ask, answer, accept an answer; operators name and remove experts."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergia.core.languages import language_tag_clean
from sinergia.core.services import audit_record, notify_in_language
from sinergia.core.textsearch.snippets import without_controls
from sinergia.desk.models import Answer, Category, Expert, FundingCall, Question
from sinergia.desk.rules.questions import answer_is_acceptable, expert_categories, forget_cached_expertise
from sinergia.desk.search import index_questions
from sinergia.directory.models import Organisation, OrganisationMember

TITLE_MAX, BODY_MAX, ANSWER_MAX = 200, 10_000, 20_000
TITLE_MIN = 5
NOTIFIED_TITLE_CHARS = 100
EDITING_ROLES = (OrganisationMember.Role.ADMIN, OrganisationMember.Role.EDITOR)


def _require(by: Any, perm: str, obj: Any = None) -> Any:
    """The acting user, if signed in and allowed; else PermissionDenied."""
    if by is None or not by.is_authenticated or not by.has_perm(perm, obj):
        raise PermissionDenied(_("You are not allowed to do this."))
    return by


def _text(value: str, *, field: str, maximum: int, minimum: int = 0, message: str = "") -> str:
    """A free text without control characters, stripped, within its bounds (ValidationError on the field)."""
    text = without_controls(value or "").strip() if field == "title" else (value or "").replace("\x00", "").strip()
    if len(text) < max(minimum, 1):
        raise ValidationError({field: [message or _("This field is required.")]})
    if len(text) > maximum:
        raise ValidationError({field: [_("At most %(count)d characters.") % {"count": maximum}]})
    return " ".join(text.split()) if field == "title" else text


def _language(tag: str) -> str:
    try:
        return language_tag_clean(tag)
    except ValidationError as error:
        raise ValidationError({"language": error.messages}) from error


def _check_choices(category: str, visibility: str) -> None:
    if category not in Category.values:
        raise ValidationError({"category": [_("Choose one of the desk's categories.")]})
    if visibility not in Question.Visibility.values:
        raise ValidationError({"visibility": [_("Choose whether the question is public or private.")]})


def _check_call(call: FundingCall | None) -> None:
    if call is not None and call.status != FundingCall.Status.PUBLISHED:
        raise ValidationError({"call": [_("This funding call is not published.")]})


def _question_url(question: Question) -> str:
    return reverse("desk:question_detail", args=[question.pk])


@transaction.atomic
def question_ask(*, by: Any, organisation: Organisation, title: str, body: str, category: str, language: str,
                 visibility: str = Question.Visibility.PUBLIC, call: FundingCall | None = None) -> Question:
    """A member asks the desk on behalf of one of their organisations; the category's experts are notified."""
    by = _require(by, "desk.ask_question")
    if not OrganisationMember.objects.filter(user=by, organisation=organisation).exists():
        raise PermissionDenied(_("You can only ask on behalf of an organisation you belong to."))
    _check_choices(category, visibility)
    _check_call(call)
    question = Question.objects.create(
        title=_text(title, field="title", maximum=TITLE_MAX, minimum=TITLE_MIN,
                    message=_("Write your question in a few words.")),
        body=_text(body, field="body", maximum=BODY_MAX) if (body or "").strip() else "",
        category=category, language=_language(language), visibility=visibility, asked_by=by,
        organisation=organisation, call=call)
    index_questions(ids=[question.pk])
    audit_record(actor=by, action="desk.question_asked", target=question,
                 data={"category": category, "visibility": visibility})
    _notify_experts(question)
    return question


def _notify_experts(question: Question) -> None:
    experts = [expert.user for expert in Expert.objects.filter(category=question.category, user__is_active=True)
               .exclude(user=question.asked_by).select_related("user")]
    notify_in_language(
        users=experts, kind="desk.question",
        title=lambda: _("New question on %(category)s: %(title)s") % {
            "category": question.get_category_display(), "title": question.title[:NOTIFIED_TITLE_CHARS]},
        body=lambda: question.organisation.name, url=lambda: _question_url(question))


def _is_follow_up(question: Question, author: Any, by_expert: bool) -> bool:
    """An addition of the asker's organisation (not an answer: it neither answers nor resolves anything)."""
    return not by_expert and OrganisationMember.objects.filter(user=author, organisation=question.organisation_id
                                                               ).exists()


@transaction.atomic
def answer_add(*, question: Question, by: Any, body: str) -> Answer:
    """An expert answers (or a member adds a community answer, or the asker's organisation a follow-up)."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    by = _require(by, "desk.answer_question", question)
    by_expert = question.category in expert_categories(by)
    answer = Answer.objects.create(question=question, author=by, by_expert=by_expert,
                                   body=_text(body, field="body", maximum=ANSWER_MAX,
                                              message=_("Write your answer.")))
    follow_up = _is_follow_up(question, by, by_expert)
    if not follow_up and question.first_answered_at is None:
        question.first_answered_at = answer.created_at
        if question.status == Question.Status.OPEN:
            question.status = Question.Status.ANSWERED
        question.save(update_fields=["first_answered_at", "status", "updated_at"])
    index_questions(ids=[question.pk])
    audit_record(actor=by, action="desk.answer_added", target=question,
                 data={"answer": answer.pk, "by_expert": by_expert, "follow_up": follow_up})
    _notify_answered(question, answer)
    return answer


def _notify_answered(question: Question, answer: Answer) -> None:
    """The asker and the editors of the asker's organisation, the author aside."""
    editors = get_user_model().objects.filter(
        organisation_roles__organisation=question.organisation_id, organisation_roles__role__in=EDITING_ROLES,
        is_active=True)
    users = {user.pk: user for user in [question.asked_by, *editors]
             if user is not None and user.is_active and user.pk != answer.author_id}
    notify_in_language(
        users=users.values(), kind="desk.answer",
        title=lambda: _("New answer to “%(title)s”") % {"title": question.title[:NOTIFIED_TITLE_CHARS]},
        url=lambda: _question_url(question) + f"#answer-{answer.pk}")


@transaction.atomic
def answer_accept(*, question: Question, answer: Answer, by: Any) -> Question:
    """The asker (or an editor of the asker's organisation) accepts an answer: the question is resolved."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    by = _require(by, "desk.accept_answer", question)
    if not answer_is_acceptable(answer, question):
        raise ValidationError(_("Only an answer to this question, not one of your own, can be accepted."),
                              code="not_acceptable")
    question.accepted_answer = answer
    question.status = Question.Status.RESOLVED
    question.resolved_at = timezone.now()
    question.save(update_fields=["accepted_answer", "status", "resolved_at", "updated_at"])
    index_questions(ids=[question.pk])
    audit_record(actor=by, action="desk.answer_accepted", target=question, data={"answer": answer.pk})
    if answer.author is not None and answer.author_id != by.pk:
        notify_in_language(
            users=[answer.author], kind="desk.accepted",
            title=lambda: _("Your answer to “%(title)s” was accepted") % {
                "title": question.title[:NOTIFIED_TITLE_CHARS]},
            url=lambda: _question_url(question) + f"#answer-{answer.pk}")
    return question


@transaction.atomic
def expert_name(*, user: Any, category: str, by: Any) -> Expert:
    """An operator names a user expert of a category (naming twice changes nothing)."""
    by = _require(by, "desk.manage_experts")
    if category not in Category.values:
        raise ValidationError({"category": [_("Choose one of the desk's categories.")]})
    if not user.is_active:
        raise ValidationError({"user": [_("This account is not active.")]})
    expert, created = Expert.objects.get_or_create(user=user, category=category, defaults={"named_by": by})
    if created:
        audit_record(actor=by, action="desk.expert_named", target=expert,
                     data={"user": user.pk, "category": category})
    forget_cached_expertise(user)
    return expert


@transaction.atomic
def expert_remove(*, expert: Expert, by: Any) -> None:
    """An operator removes a user from the experts of a category (their answers stay)."""
    by = _require(by, "desk.manage_experts")
    audit_record(actor=by, action="desk.expert_removed", target=expert,
                 data={"user": expert.user_id, "category": expert.category})
    expert.delete()
    forget_cached_expertise(expert.user)
