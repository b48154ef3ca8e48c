"""The bench exchange and desk at a tiny scale: listings, questions, calls and digest notifications, aimed at."""

import pytest

from bench import desk_targets
from bench.generate import generate
from sinergia.core.models import Concept, Notification
from sinergia.desk.models import Answer, Expert, FundingCall, Question
from sinergia.desk.search import QuestionFilters, question_search
from sinergia.exchange.models import Listing

TINY = 0.005  # 50 organisations, 100 users; 100 offers, 100 needs, 250 questions, 20 calls


@pytest.fixture
def generated(db) -> dict:
    return generate(scale=TINY, seed=42, desk=True)


def test_generate_writes_the_listings_questions_and_calls_of_the_scale(generated):
    counts = (Listing.objects.filter(side="offer").count(), Listing.objects.filter(side="need").count(),
              Question.objects.count(), FundingCall.objects.count())
    assert counts == (100, 100, 250, 20)
    assert generated["desk"]["index"]["questions"] == 250


def test_listings_have_service_categories_and_a_radius_when_served_by_a_radius(generated):
    schemes = set(Listing.categories.through.objects.values_list("concept__scheme", flat=True))
    radius = Listing.objects.filter(area="radius")
    assert schemes == {Concept.Scheme.SERVICE}
    assert radius.exists() and not radius.filter(radius_km__isnull=True).exists()


def test_resolved_questions_have_an_accepted_answer_by_an_expert_of_their_category(generated):
    resolved = Question.objects.filter(status="resolved").select_related("accepted_answer")
    assert resolved.exists()
    for question in resolved:
        answer = question.accepted_answer
        assert answer is not None and answer.question_id == question.pk
        assert Expert.objects.filter(user_id=answer.author_id, category=question.category).exists()
    assert not Answer.objects.filter(question__status="open").exists()


def test_questions_are_in_the_five_languages(generated):
    assert set(Question.objects.values_list("language", flat=True)) == {"it", "en", "fr", "es", "pt"}


def test_every_user_has_notifications_waiting_for_the_digest(generated):
    waiting = Notification.objects.filter(delivery="digest", emailed_at__isnull=True)
    assert generated["desk"]["created"]["digest"]["digest users"] == 100
    assert waiting.values("recipient").distinct().count() == 100


def test_the_knowledge_base_search_finds_bench_questions(generated):
    found = question_search(viewer=None, query="SIAE", filters=QuestionFilters(), page=1, page_size=10)
    assert found.total > 0


def test_the_run_aims_at_needs_with_matches_and_an_organisation_in_three_networks(generated):
    needs = desk_targets.need_requests()
    assert needs and all(request.path.startswith("/api/exchange/listings/") for request in needs)
    assert all(request.authorization.startswith("Bearer ") for request in needs)


def test_every_run_of_the_digest_job_sends_the_same_days_digests(generated):
    waiting = Notification.objects.filter(delivery="digest", emailed_at__isnull=True).count()

    first, second = desk_targets.digest_job(), desk_targets.digest_job()

    assert "users=100" in first.details and "users=100" in second.details
    assert f"notifications={waiting}" in second.details
