"""The bench calendar at a tiny scale: built in bulk, materialised by the project's refresh, aimed at by the run."""

from datetime import date, datetime

import pytest

from bench import calendar_builders, calendar_targets
from bench.generate import generate
from sinergia.accounts.models import ApiToken
from sinergia.calendar.models import Event, Occurrence
from sinergia.networks.models import Membership

TINY = 0.002  # 20 organisations, 100 events


@pytest.fixture
def generated(db) -> dict:
    calendar_targets.feed_query.cache_clear()  # found once per run; every test has a database of its own
    return generate(scale=TINY, seed=42, calendar=True)


def test_generate_builds_the_events_of_the_scale(generated):
    assert (generated["calendar"]["created"]["events"], Event.objects.count()) == (100, 100)


def test_the_refresh_materialises_every_planned_occurrence(generated):
    planned = generated["calendar"]["created"]["planned occurrences"]
    assert (generated["calendar"]["refresh"]["occurrences"], Occurrence.objects.count()) == (planned, planned)


def test_the_refresh_is_timed(generated):
    assert generated["calendar"]["refresh"]["seconds"] > 0


def test_events_take_their_place_from_their_venue(generated):
    events = Event.objects.select_related("venue")
    assert all((e.latitude, e.longitude, e.region, e.province) == (e.venue.latitude, e.venue.longitude,
                                                                    e.venue.region, e.venue.province) for e in events)


def test_events_are_shared_only_with_networks_their_organisation_is_admitted_in(generated):
    admitted = set(Membership.objects.filter(status="admitted").values_list("organisation_id", "network_id"))
    shared = set(Event.networks.through.objects.values_list("event__organisation_id", "network_id"))
    assert shared and shared <= admitted


def test_members_only_events_are_shared_with_a_network(generated):
    members_only = Event.objects.filter(visibility=Event.Visibility.NETWORKS)
    assert members_only.exists() and not members_only.filter(networks=None).exists()


def test_the_calendar_has_drafts_and_cancelled_events(generated):
    assert set(Event.objects.values_list("status", flat=True)) == {"draft", "published", "cancelled"}


def test_generating_again_leaves_the_calendar_as_it_is(generated):
    again = generate(scale=TINY, seed=42, calendar=True)
    assert (again["calendar"]["created"], again["calendar"]["refresh"], Event.objects.count()) == (None, None, 100)


@pytest.mark.django_db
def test_generate_without_the_calendar_builds_no_event():
    generate(scale=TINY, seed=42)
    assert not Event.objects.exists()


def test_the_bench_calendar_is_recognised(generated):
    assert calendar_builders.has_events() and calendar_targets.has_calendar()


def test_clash_subjects_are_timed_spans_or_all_day_dates_at_a_place(generated):
    bodies = [subject.body for subject in calendar_targets.clash_subjects()]
    timed = [(datetime.fromisoformat(b["start"]), datetime.fromisoformat(b["end"])) for b in bodies if not b["all_day"]]
    days = [(date.fromisoformat(b["start"]), date.fromisoformat(b["end"])) for b in bodies if b["all_day"]]
    assert (len(bodies), len(timed) + len(days)) == (calendar_targets.SUBJECTS, calendar_targets.SUBJECTS)
    assert all(start.utcoffset() is not None and start < end for start, end in timed)
    assert days and all(first <= last for first, last in days)


def test_weekly_clash_subjects_carry_a_rule(generated):
    bodies = [subject.body for subject in calendar_targets.clash_subjects(weekly=8)]
    assert {b.get("rrule") for b in bodies if not b["all_day"]} == {"FREQ=WEEKLY;COUNT=8"}


def test_the_api_answers_every_clash_request(generated, client):
    answers = [client.post(r.path, data=r.body, content_type=r.content_type, headers={"Authorization": r.authorization})
               for r in calendar_targets.clash_requests()]
    assert [answer.status_code for answer in answers] == [200] * calendar_targets.SUBJECTS


def test_clash_requests_are_sent_with_one_token_per_user(generated):
    calendar_targets.clash_requests()
    tokens_before = ApiToken.objects.count()
    calendar_targets.clash_requests()
    assert ApiToken.objects.count() == tokens_before


def test_the_feed_query_holds_the_count_nearest_to_the_events_asked_for(generated):
    query, count = calendar_targets.feed_query(20)
    assert query.startswith("start=") and 0 < count < 40


def test_the_feed_streams_the_events_it_was_sized_for(generated):
    path, count = calendar_targets.feed_path(20)
    streamed = calendar_targets.stream(path, trace=True)
    assert (streamed.status, streamed.events) == (200, count)
    assert streamed.peak > 0
