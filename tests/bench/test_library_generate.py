"""The bench library at a tiny scale: written in bulk in five languages, indexed, reproducible, aimed at by the run."""

import random
from datetime import UTC, date, datetime

import pytest
from django.db.models import Count

from bench import library_builders, library_plans, library_targets, targets
from bench.generate import generate
from bench.library_lexicon import LEXICONS
from bench.library_text import Subject, Writer, label_lower
from sinergia.core.models import Concept
from sinergia.library.models import Resource, ResourceText
from sinergia.library.search import resource_search
from sinergia.networks.models import Membership

TINY = 0.002  # 20 organisations, 200 resources, 20 extracted texts
TODAY = date(2026, 3, 2)


@pytest.fixture
def generated(db) -> dict:
    return generate(scale=TINY, seed=42, library=True)


def _words(text: str) -> int:
    return len(text.split())


def test_generate_writes_the_resources_and_texts_of_the_scale(generated):
    assert (generated["library"]["created"]["resources"], Resource.objects.count()) == (200, 200)
    assert (generated["library"]["created"]["texts"], ResourceText.objects.count()) == (20, 20)


def test_resources_are_in_the_five_languages(generated):
    assert set(Resource.objects.values_list("language", flat=True)) == {"it", "en", "fr", "es", "pt"}


def test_abstracts_hold_100_to_300_words_and_a_last_sentence(generated):
    counts = [_words(text) for text in Resource.objects.filter(deleted_at=None).values_list("abstract", flat=True)]
    assert min(counts) >= 100 and max(counts) <= 340


def test_extracted_texts_hold_about_20_pages_of_2500_characters(generated):
    texts = list(ResourceText.objects.values_list("pages", "body", "resource__text_status"))
    assert all(16 <= pages <= 24 and 2200 * pages <= len(body) <= 3500 * pages and status == "done"
               for pages, body, status in texts)


def test_resources_have_one_to_four_creators_and_translations_a_translator_more(generated):
    alive = Resource.objects.filter(deleted_at=None).annotate(n=Count("creators"))
    assert set(alive.filter(original=None).values_list("n", flat=True)) <= {1, 2, 3, 4}
    assert set(alive.exclude(original=None).values_list("n", flat=True)) <= {2, 3, 4, 5}


def test_topics_come_from_the_thesaurus_topic_scheme(generated):
    schemes = set(Resource.topics.through.objects.values_list("concept__scheme", flat=True))
    per_resource = set(Resource.objects.annotate(n=Count("topics")).values_list("n", flat=True))
    assert (schemes, per_resource <= {1, 2, 3, 4}) == ({Concept.Scheme.TOPIC}, True)


def test_translations_point_to_an_original_in_another_language(generated):
    translations = Resource.objects.exclude(original=None).select_related("original")
    assert translations.exists()
    assert all(t.original.original_id is None and t.original.language != t.language for t in translations)


def test_the_library_has_every_visibility_and_moderation_state(generated):
    states = set(Resource.objects.values_list("visibility", "moderation"))
    assert {("public", "approved"), ("networks", "approved"), ("private", "approved"), ("public", "pending")} <= states


def test_resources_are_shared_only_with_networks_their_organisation_is_admitted_in(generated):
    admitted = set(Membership.objects.filter(status="admitted").values_list("organisation_id", "network_id"))
    shared = set(Resource.networks.through.objects.values_list("resource__organisation_id", "network_id"))
    assert shared and shared <= admitted


def test_public_approved_resources_are_public_since_they_were_added(generated):
    public = Resource.objects.filter(visibility="public", moderation="approved", deleted_at=None)
    assert all(r.public_since == r.created_at <= r.updated_at for r in public)


def test_the_search_index_is_built(generated):
    assert generated["library"]["index"]["resources"] == 200
    assert resource_search(viewer=None, query="museo").total > 0


def test_generating_again_leaves_the_library_as_it_is(generated):
    again = generate(scale=TINY, seed=42, library=True)
    assert (again["library"]["created"], again["library"]["index"], Resource.objects.count()) == (None, None, 200)


@pytest.mark.django_db
def test_generate_without_the_library_writes_no_resource():
    generate(scale=TINY, seed=42)
    assert not Resource.objects.exists()


def _plans(seed: int) -> list[library_plans.Plan]:
    context = library_builders.load_context(random.Random(f"{seed}-library"), seed, today=TODAY)
    return list(library_plans.plans(random.Random(f"{seed}-library"), 50, context))


def test_plans_are_the_same_for_the_same_seed(generated):
    assert _plans(42) == _plans(42)


def test_plans_differ_for_another_seed(generated):
    assert [p.title for p in _plans(42)] != [p.title for p in _plans(7)]


def test_datestamps_stay_before_the_anchor_day(generated):
    plans = _plans(42)
    assert all(p.created_at <= p.updated_at < datetime(2026, 3, 2, tzinfo=UTC)
               for p in plans)


def test_isbns_have_a_valid_check_digit():
    isbn = library_plans.isbn13("97888", 1234)
    assert (len(isbn), sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(isbn)) % 10) == (13, 0)


def test_labels_read_in_lower_case_inside_a_sentence_unless_a_name():
    assert [label_lower("Raccolta fondi"), label_lower("Art Bonus"), label_lower("Ecomusei")] == [
        "raccolta fondi", "Art Bonus", "ecomusei"]


def test_two_topics_of_a_sentence_are_two_different_ones():
    subject = Subject(("Raccolta fondi",), "Bra", "Piemonte", "Museo Civico di Bra", ("Raccolta fondi", "Paesaggio"))
    filled = {Writer(LEXICONS["it"]).fill(random.Random(n), "{topic} e {topic2}", subject) for n in range(20)}
    assert filled == {"raccolta fondi e paesaggio"}


def test_every_search_page_request_of_the_run_answers(generated, client):
    requests = library_targets.search_requests(library_targets.ONE_WORD + library_targets.THREE_WORDS)
    answers = [client.get(request.path) for request in requests]
    assert [answer.status_code for answer in answers] == [200] * 11


def test_the_api_search_requests_answer(generated, client):
    answers = [client.get(r.path) for r in library_targets.api_requests(library_targets.ONE_WORD)]
    assert [answer.status_code for answer in answers] == [200] * 6


def test_resumption_pages_list_records(generated, client):
    requests = library_targets.oai_resumptions()
    first = client.get(requests[0].path)
    assert (first.status_code, library_targets.entries(first.content, "oai") > 0) == (200, True)


def test_the_export_holds_the_results_it_was_sized_for(generated, client):
    path, results = library_targets.export_path(results=10)
    response = client.get(path)
    body = b"".join(response.streaming_content)
    assert (response.status_code, library_targets.entries(body, "bibtex")) == (200, results)
    assert results >= 10


def test_generation_jobs_report_the_wall_times(generated):
    jobs = library_targets.generation_jobs(generated)
    assert [job.name for job in jobs] == ["library resources written (bulk_create, one transaction)",
                                          "library search index built (index_all_resources)"]


def test_unseen_queries_are_distinct_of_one_language_new_and_the_same_at_every_run():
    one, three = library_targets.unseen_queries(1), library_targets.unseen_queries(3, count=300)
    vocabulary = library_targets.lexicon_words()
    every_word = {word for words in vocabulary.values() for word in words}

    assert len(set(one)) == len(one) == len(every_word - set(library_targets.ONE_WORD)) > 1_000
    assert len(set(three)) == len(three) == 300
    assert all(len(query.split()) == 3 and any(set(query.split()) <= set(words) for words in vocabulary.values())
               for query in three)
    assert three == library_targets.unseen_queries(3, count=300) and three != tuple(sorted(three))
    assert not {*library_targets.ONE_WORD, *library_targets.THREE_WORDS} & {*one, *three}


def test_unseen_queries_answer_on_the_page_and_in_the_api(generated, client):
    queries = library_targets.unseen_queries(1)[:3] + library_targets.unseen_queries(3)[:3]
    requests = library_targets.search_requests(queries) + library_targets.api_requests(queries)
    assert [client.get(request.path).status_code for request in requests] == [200] * 12


def test_targets_of_queries_asked_once_never_send_a_measured_query_twice(generated):
    asked_once = [target for target in targets.library() if "asked once" in target.name]

    assert len(asked_once) == 4
    for target in asked_once:
        measured = {request.path for request in target.requests}
        assert len(measured) == len(target.requests) == target.max_requests
        assert target.warm and not measured & {request.path for request in target.warm}
