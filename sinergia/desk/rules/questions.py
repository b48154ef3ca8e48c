"""Permissions on questions, answers and experts, as rules predicates and the query they share."""

import rules
from django.db.models import Q

from sinergia.core.rules import is_operator, operators_manage_models
from sinergia.desk.models import Answer, Expert, Question
from sinergia.directory.models import OrganisationMember
from sinergia.directory.rules import is_org_admin, is_org_editor, is_org_member

# The rules of the model's own fields are the whole matter of these predicates: a closed question takes no answer.
ANSWERABLE = (Question.Status.OPEN, Question.Status.ANSWERED, Question.Status.RESOLVED)


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def expert_categories(user) -> frozenset[str]:
    """The categories the user is an expert of, cached on the user object for the request."""
    if not _signed_in(user):
        return frozenset()
    cached = user.__dict__.get("_desk_expert_categories")
    if cached is None:
        cached = frozenset(Expert.objects.filter(user=user).values_list("category", flat=True))
        user.__dict__["_desk_expert_categories"] = cached
    return cached


def forget_cached_expertise(user) -> None:
    """Drop the categories cached on this user object, after a service changed them."""
    if user is not None:
        user.__dict__.pop("_desk_expert_categories", None)


def visible_questions_q(viewer, prefix: str = "") -> Q:
    """The questions the viewer may see, as a filter (on Question, or through `prefix`, e.g. "questions__").

    Public questions are seen by everyone; private ones by the people of the asker's organisation, the experts of
    the question's category and operators.
    """
    public = Q(**{f"{prefix}visibility": Question.Visibility.PUBLIC})
    if not _signed_in(viewer):
        return public
    if is_operator(viewer):
        return Q(**{f"{prefix}pk__isnull": False})
    own_orgs = OrganisationMember.objects.filter(user=viewer).values("organisation_id")
    visible = public | Q(**{f"{prefix}organisation_id__in": own_orgs})
    categories = sorted(expert_categories(viewer))
    if categories:
        visible |= Q(**{f"{prefix}category__in": categories})
    return visible


@rules.predicate
def is_expert_for(user, question) -> bool:
    """The user is an expert of the question's category."""
    return isinstance(question, Question) and question.category in expert_categories(user)


@rules.predicate
def is_asker_org_member(user, question) -> bool:
    return isinstance(question, Question) and bool(is_org_member(user, question.organisation))


@rules.predicate
def is_asker_org_editor(user, question) -> bool:
    """An admin or editor of the asker's organisation."""
    if not isinstance(question, Question):
        return False
    return bool(is_org_admin(user, question.organisation) or is_org_editor(user, question.organisation))


@rules.predicate
def is_asker(user, question) -> bool:
    return isinstance(question, Question) and _signed_in(user) and question.asked_by_id == user.pk


@rules.predicate
def is_public(user, question) -> bool:
    return isinstance(question, Question) and question.visibility == Question.Visibility.PUBLIC


@rules.predicate
def is_answerable(user, question) -> bool:
    return isinstance(question, Question) and question.status in ANSWERABLE


@rules.predicate
def belongs_to_an_organisation(user) -> bool:
    """Asking needs a membership in an organisation (on whose behalf the question is asked)."""
    return _signed_in(user) and OrganisationMember.objects.filter(user=user).exists()


@rules.predicate
def can_view_question(user, question) -> bool:
    """The rule of `visible_questions_q`, for one question in memory."""
    if not isinstance(question, Question):
        return False
    return bool(is_public(user, question) or (_signed_in(user) and (
        is_operator(user) or is_expert_for(user, question) or is_asker_org_member(user, question))))


@rules.predicate
def is_member_anywhere(user, question) -> bool:
    """Any signed-in person of some organisation (the community of a public question)."""
    return bool(belongs_to_an_organisation(user))


# Experts answer any question of their category; on a public question any member of an organisation may too (a
# community answer, shown as such); on a private one the asker's organisation adds follow-ups.
can_answer_question = is_answerable & (
    is_expert_for | (is_public & is_member_anywhere) | is_asker_org_member)
can_accept_answer = is_answerable & (is_asker | is_asker_org_editor)


def answer_is_acceptable(answer: Answer, question: Question) -> bool:
    """An answer of this question, not the asker's own (a follow-up is no answer to accept)."""
    return answer.question_id == question.pk and (answer.author_id is None or answer.author_id != question.asked_by_id)


rules.add_perm("desk.view_question", can_view_question)
rules.add_perm("desk.answer_question", can_answer_question)
rules.add_perm("desk.accept_answer", can_accept_answer)
rules.add_perm("desk.ask_question", belongs_to_an_organisation)
rules.add_perm("desk.manage_experts", is_operator)
rules.add_perm("desk.view_stats", is_operator)

operators_manage_models("desk", ("question", "answer", "expert"))
