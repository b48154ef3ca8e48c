"""Reads of the desk's questions shared by pages and the API: one question, lists, queues, experts, statistics."""

import datetime
import math
from dataclasses import dataclass, field
from statistics import median

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from sinergia.desk.models import Answer, Category, Expert, FundingCall, Question
from sinergia.desk.rules.questions import expert_categories, visible_questions_q
from sinergia.directory.models import OrganisationMember

WAITING_MAX = 10
QUEUE_STATUSES = (Question.Status.OPEN, Question.Status.ANSWERED)


def _with_related(qs: QuerySet[Question]) -> QuerySet[Question]:
    """What every list of questions shows: organisation, asker, accepted answer."""
    return qs.select_related("organisation", "asked_by", "accepted_answer")


def question_get_for(*, viewer, pk: int, perm: str | None = None) -> Question:
    """One question the viewer may see (Http404 otherwise, so hidden ones are not revealed), checked against `perm`.

    An invisible question and a missing permission both answer 404: a 403 would tell that the question exists.
    """
    question = _with_related(Question.objects.filter(visible_questions_q(viewer))).select_related("call").filter(
        pk=pk).first()
    if question is None or (perm and not viewer.has_perm(perm, question)):
        raise Http404
    return question


def question_answers(*, question: Question) -> list[Answer]:
    """The question's answers, the accepted one first, then in the order they were written, authors loaded."""
    answers = list(question.answers.select_related("author").order_by("created_at", "id"))
    return sorted(answers, key=lambda answer: answer.pk != question.accepted_answer_id)


def organisation_questions(*, viewer) -> QuerySet[Question]:
    """The questions of the viewer's organisations, newest first."""
    if not viewer.is_authenticated:
        return Question.objects.none()
    own = OrganisationMember.objects.filter(user=viewer).values("organisation_id")
    return _with_related(Question.objects.filter(organisation_id__in=own)).annotate(
        answer_count=Count("answers")).order_by("-created_at", "-id")


def expert_queue(*, viewer) -> QuerySet[Question]:
    """Unresolved questions of the viewer's categories: unanswered first, oldest first (empty for non-experts)."""
    categories = sorted(expert_categories(viewer))
    if not categories:
        return Question.objects.none()
    return _with_related(Question.objects.filter(category__in=categories, status__in=QUEUE_STATUSES)).annotate(
        answer_count=Count("answers")).order_by(F("first_answered_at").asc(nulls_first=True), "created_at", "id")


def call_for_question(*, pk: int | str | None) -> FundingCall | None:
    """The published funding call a question may be about (None for any other id)."""
    text = str(pk or "")
    if not text.isdigit() or len(text) > 12:
        return None
    return FundingCall.objects.filter(pk=int(text), status=FundingCall.Status.PUBLISHED).first()


@dataclass
class Waiting:
    """What waits for a user at the desk: questions to answer, and their organisations' questions answered."""

    to_answer: list[Question] = field(default_factory=list)
    answered: list[Question] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.to_answer or self.answered)


def questions_waiting_for(*, user) -> Waiting:
    """The expert queue's unanswered questions and the user's organisations' questions awaiting acceptance."""
    if not user.is_authenticated:
        return Waiting()
    to_answer = expert_queue(viewer=user).filter(status=Question.Status.OPEN)[:WAITING_MAX]
    answered = organisation_questions(viewer=user).filter(status=Question.Status.ANSWERED)[:WAITING_MAX]
    return Waiting(to_answer=list(to_answer), answered=list(answered))


def expert_list() -> list[tuple[str, str, list[Expert]]]:
    """Every category (value, label) with its experts (users loaded), in the categories' order."""
    by_category: dict[str, list[Expert]] = {value: [] for value in Category.values}
    for expert in Expert.objects.select_related("user").order_by("category", "user__full_name", "user__email"):
        by_category.setdefault(expert.category, []).append(expert)
    return [(value, str(label), by_category[value]) for value, label in Category.choices]


@dataclass
class CategoryStats:
    """A category's load over a period: questions asked and answered, time to first answer, what still waits."""

    category: str
    label: str
    open_now: int = 0
    stale: int = 0
    asked: int = 0
    answered: int = 0
    median_hours: float | None = None
    p90_hours: float | None = None


def percentile(values: list[float], fraction: float) -> float | None:
    """The nearest-rank percentile of the values (None when there are none)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(fraction * len(ordered)) - 1, 0)]


def _hours(asked: datetime.datetime, answered: datetime.datetime) -> float:
    return (answered - asked).total_seconds() / 3600


def desk_stats(*, since: datetime.datetime, until: datetime.datetime, stale_days: int) -> list[CategoryStats]:
    """Per category: open questions now, those unanswered for over stale_days, and the period's time to answer."""
    stats = {value: CategoryStats(category=value, label=str(label)) for value, label in Category.choices}
    stale_before = timezone.now() - datetime.timedelta(days=stale_days)
    waiting = Question.objects.filter(status=Question.Status.OPEN).values("category").annotate(
        open_now=Count("id"), stale=Count("id", filter=Q(first_answered_at__isnull=True, created_at__lt=stale_before)))
    for row in waiting:
        stats[row["category"]].open_now, stats[row["category"]].stale = row["open_now"], row["stale"]
    durations: dict[str, list[float]] = {value: [] for value in stats}
    period = Question.objects.filter(created_at__gte=since, created_at__lt=until).order_by()
    for category, asked, answered in period.values_list("category", "created_at", "first_answered_at").iterator():
        stats[category].asked += 1
        if answered is not None:
            durations[category].append(_hours(asked, answered))
    for category, values in durations.items():
        stats[category].answered = len(values)
        stats[category].median_hours = median(values) if values else None
        stats[category].p90_hours = percentile(values, 0.9)
    return list(stats.values())
