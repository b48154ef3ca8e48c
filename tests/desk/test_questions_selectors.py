"""Reads of the desk: what waits for a user, the statistics per category."""

import datetime

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from sinergia.desk.models import Category, Question
from sinergia.desk.selectors.questions import desk_stats, percentile, questions_waiting_for
from tests import factories
from tests.factories import ExpertFactory, QuestionFactory, person

pytestmark = pytest.mark.django_db


def test_questions_waiting_for_an_expert_and_an_asker():
    museum = factories.OrganisationFactory()
    asker = person(museum, "member", "asker@example.org")
    ExpertFactory(user=asker, category=Category.DIGITAL)
    to_answer = QuestionFactory(category=Category.DIGITAL)
    answered = QuestionFactory(organisation=museum, status=Question.Status.ANSWERED)
    QuestionFactory(organisation=museum, status=Question.Status.RESOLVED)
    waiting = questions_waiting_for(user=asker)
    assert ([q.pk for q in waiting.to_answer], [q.pk for q in waiting.answered]) == ([to_answer.pk], [answered.pk])


def test_questions_waiting_for_nobody_is_empty(outsider):
    QuestionFactory()
    assert questions_waiting_for(user=outsider).is_empty is True


def _answered_after(hours: float, category: str = Category.COPYRIGHT, asked_days_ago: int = 1) -> Question:
    question = QuestionFactory(category=category)
    asked = timezone.now() - datetime.timedelta(days=asked_days_ago)
    first = asked + datetime.timedelta(hours=hours) if hours >= 0 else None
    Question.objects.filter(pk=question.pk).update(created_at=asked, first_answered_at=first,
                                                   status=Question.Status.ANSWERED if first else Question.Status.OPEN)
    return question


def test_desk_stats_median_p90_open_and_stale():
    for hours in (1, 2, 3, 4, 10):
        _answered_after(hours)
    _answered_after(-1, asked_days_ago=10)
    _answered_after(-1, asked_days_ago=1)
    now = timezone.now()
    row = next(r for r in desk_stats(since=now - datetime.timedelta(days=30), until=now, stale_days=7)
               if r.category == Category.COPYRIGHT)
    assert (row.asked, row.answered, row.median_hours, row.p90_hours, row.open_now, row.stale) == (
        7, 5, 3.0, 10.0, 2, 1)


def test_desk_stats_period_leaves_out_older_questions():
    _answered_after(2, asked_days_ago=40)
    now = timezone.now()
    row = next(r for r in desk_stats(since=now - datetime.timedelta(days=30), until=now, stale_days=7)
               if r.category == Category.COPYRIGHT)
    assert (row.asked, row.median_hours) == (0, None)


@given(st.lists(st.floats(min_value=0, max_value=1e6), min_size=1, max_size=50))
def test_percentile_is_a_value_of_the_list_between_min_and_max(values):
    found = percentile(values, 0.9)
    assert found in values and min(values) <= found <= max(values)
