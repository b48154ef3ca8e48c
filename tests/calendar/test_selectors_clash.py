"""The clash check's reads: which occurrences are candidates, their concepts and networks, labels, query counts."""

import math
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone, translation

from sinergia.calendar.clash import ClashSettings, ClashSubject
from sinergia.calendar.models import Event
from sinergia.calendar.selectors import clash_check, clash_labels, event_clashes, event_subjects, planned_clashes
from sinergia.core.geo import EARTH_RADIUS_KM
from sinergia.core.models import Concept
from tests import factories
from tests.factories import person

pytestmark = pytest.mark.django_db
ROME = ZoneInfo("Europe/Rome")
LAT, LON = 44.4949, 11.3426  # Bologna, where the factories' organisations are
SETTINGS = ClashSettings()


def day(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


def at(days: int, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day(days), time(hour, minute), tzinfo=ROME)


def north(km: float) -> float:
    return LAT + math.degrees(km / EARTH_RADIUS_KM)


def subject(days: int = 10, hours: tuple[int, int] = (15, 17), **overrides) -> ClashSubject:
    values = {"start": at(days, hours[0]), "end": at(days, hours[1]), "latitude": LAT, "longitude": LON}
    return ClashSubject(**{**values, **overrides})


def titles(clashes) -> list[str]:
    return [clash.candidate.title for clash in clashes]


@pytest.fixture
def museum(db):
    return factories.OrganisationFactory(name="Museo della Musica", slug="museo-della-musica")


@pytest.fixture
def network(museum):
    network = factories.NetworkFactory(name="Rete del Po", slug="rete-po", founded_by=museum)
    factories.MembershipFactory(network=network, organisation=museum, coordinator=True)
    return network


@pytest.fixture
def families(db):
    return factories.ConceptFactory(notation="families", scheme=Concept.Scheme.AUDIENCE,
                                    labels={"en": "Families", "it": "Famiglie"})


@pytest.fixture
def music(db):
    return factories.ConceptFactory(notation="music", scheme=Concept.Scheme.THEME,
                                    labels={"en": "Music", "it": "Musica"})


def event(title: str, organisation=None, days: int = 10, hours: tuple[int, int] = (15, 17), km: float = 0,
          **kwargs) -> Event:
    organisation = organisation or factories.OrganisationFactory(latitude=north(km), longitude=LON)
    kwargs.setdefault("start", at(days, hours[0]))
    kwargs.setdefault("end", at(days, hours[1]))
    return factories.EventFactory(organisation=organisation, title=title, **kwargs)


# --- Candidates ---------------------------------------------------------------------------------------------------


def test_clash_check_finds_an_event_nearby_on_the_same_afternoon(db):
    event("Guided tour", km=3)
    clashes = clash_check(subject=subject(), settings=SETTINGS)
    assert [(c.candidate.title, c.overlap, round(c.distance_km, 1)) for c in clashes] == [
        ("Guided tour", timedelta(hours=2), 3.0)]


def test_clash_check_leaves_out_events_beyond_the_radius(db):
    event("Far away", km=40)
    assert clash_check(subject=subject(), settings=SETTINGS) == []


def test_clash_check_takes_a_wider_radius(db):
    event("Far away", km=40)
    assert titles(clash_check(subject=subject(), settings=ClashSettings(radius_km=50))) == ["Far away"]


def test_clash_check_finds_a_far_event_of_a_shared_network(network):
    event("Far but shared", km=300, shared_with=[network])
    clashes = clash_check(subject=subject(network_ids=frozenset({network.pk})), settings=SETTINGS)
    assert [(c.candidate.title, c.candidate.network_ids) for c in clashes] == [
        ("Far but shared", frozenset({network.pk}))]


def test_clash_check_finds_a_shared_event_without_coordinates_on_the_subject(network):
    event("Shared", km=3, shared_with=[network])
    clashes = clash_check(subject=subject(latitude=None, longitude=None, network_ids=frozenset({network.pk})),
                          settings=SETTINGS)
    assert titles(clashes) == ["Shared"]


def test_clash_check_finds_an_event_across_a_grid_square(db):
    # 44.4949° N and 44.5039° N lie in two rows of the grid (rows change at 44.5°).
    event("Across the square", km=1)
    assert titles(clash_check(subject=subject(), settings=SETTINGS)) == ["Across the square"]


def test_clash_check_with_a_radius_too_wide_for_the_grid_finds_far_events(db):
    event("300 km north", km=300)
    assert titles(clash_check(subject=subject(), settings=ClashSettings(radius_km=400))) == ["300 km north"]


def test_clash_check_reads_an_all_day_event_of_a_far_zone_on_its_dates(db):
    angeles = ZoneInfo("America/Los_Angeles")
    event("Fair in its own zone", km=2, start=datetime.combine(day(10), time.min, tzinfo=angeles),
          end=datetime.combine(day(11), time.min, tzinfo=angeles), all_day=True, timezone="America/Los_Angeles")
    # 01:00–02:00 in Rome is the evening before in Los Angeles, yet the fair covers the whole of that date.
    assert titles(clash_check(subject=subject(hours=(1, 2)), settings=SETTINGS)) == ["Fair in its own zone"]


def test_clash_check_without_place_nor_network_finds_nothing(db):
    event("Nearby", km=1)
    assert clash_check(subject=subject(latitude=None, longitude=None), settings=SETTINGS) == []


@pytest.mark.parametrize(("hours", "expected"), [
    ((17, 18), ["Touching"]),  # starts as the subject ends
    ((18, 19), ["Within the buffer"]),  # starts an hour after: the edge of the default buffer
    ((19, 20), []),
])
def test_clash_check_time_gate_is_the_buffer(db, hours, expected):
    event(expected[0] if expected else "Too late", km=1, hours=hours)
    assert titles(clash_check(subject=subject(), settings=SETTINGS)) == expected


def test_clash_check_finds_an_exhibition_that_began_weeks_before(db):
    event("Exhibition", km=2, start=at(-20, 9), end=at(40, 19))
    clashes = clash_check(subject=subject(), settings=SETTINGS)
    assert [(c.candidate.title, c.overlap) for c in clashes] == [("Exhibition", timedelta(hours=2))]


def test_clash_check_finds_an_event_across_midnight(db):
    event("Night concert", km=2, start=at(9, 22), end=at(10, 2))
    assert titles(clash_check(subject=subject(hours=(1, 3)), settings=SETTINGS)) == ["Night concert"]


def test_clash_check_reads_an_all_day_event_in_its_own_time_zone(db):
    event("Fair", km=2, start=datetime.combine(day(11), time.min, tzinfo=ROME),
          end=datetime.combine(day(12), time.min, tzinfo=ROME), all_day=True)
    assert (titles(clash_check(subject=subject(days=10, hours=(10, 12)), settings=SETTINGS)),
            titles(clash_check(subject=subject(days=11, hours=(10, 12)), settings=SETTINGS))) == ([], ["Fair"])


@pytest.mark.parametrize("state", ["draft", "cancelled"])
def test_clash_check_leaves_out_drafts_and_cancelled_events(db, state):
    event("Not on", km=1, **{state: True})
    assert clash_check(subject=subject(), settings=SETTINGS) == []


def test_clash_check_leaves_out_a_cancelled_occurrence_of_a_published_event(db):
    weekly = event("Weekly", km=1, days=3, rrule="FREQ=WEEKLY;COUNT=3")
    weekly.occurrences.filter(start=at(10, 15)).update(cancelled=True)
    assert clash_check(subject=subject(), settings=SETTINGS) == []


def test_clash_check_leaves_out_the_subjects_own_event(db):
    own = event("Ours", km=0)
    assert clash_check(subject=subject(event_id=own.pk), settings=SETTINGS) == []


def test_clash_check_counts_the_organisations_own_other_events(museum):
    event("Our other event", organisation=museum)
    clashes = clash_check(subject=subject(organisation_id=museum.pk), settings=SETTINGS)
    assert [reason.code for reason in clashes[0].reasons][-1] == "same_organisation"


def test_clash_check_of_an_anonymous_viewer_leaves_out_network_only_events(network):
    event("Members only", km=1, networks_only=True, shared_with=[network])
    assert clash_check(subject=subject(), settings=SETTINGS, viewer=AnonymousUser()) == []


def test_clash_check_shows_a_member_the_network_only_events(network, museum):
    event("Members only", km=1, networks_only=True, shared_with=[network])
    member = person(museum, "editor", "editor@example.org")
    assert titles(clash_check(subject=subject(), settings=SETTINGS, viewer=member)) == ["Members only"]


def test_clash_check_ranks_the_strongest_first_and_keeps_the_limit(db):
    event("Two hours, 20 km", km=20)
    event("Two hours, here", km=0)
    event("One hour, here", km=0, hours=(16, 17))
    clashes = clash_check(subject=subject(), settings=SETTINGS, limit=2)
    assert titles(clashes) == ["Two hours, here", "One hour, here"]


def test_clash_check_loads_audiences_themes_and_networks(network, families, music):
    shared = event("Concert for families", km=200, shared_with=[network])
    shared.audiences.add(families)
    shared.themes.add(music)
    wanted = subject(audiences=frozenset({"families", "schools"}), themes=frozenset({"music"}),
                     network_ids=frozenset({network.pk}))
    candidate = clash_check(subject=wanted, settings=SETTINGS)[0].candidate
    assert (candidate.audiences, candidate.themes, candidate.network_ids) == (
        frozenset({"families"}), frozenset({"music"}), frozenset({network.pk}))


def test_clash_check_reasons_name_the_concepts_and_networks(network, families, music):
    shared = event("Concert for families", km=2, shared_with=[network])
    shared.audiences.add(families)
    shared.themes.add(music)
    wanted = subject(audiences=frozenset({"families"}), themes=frozenset({"music"}),
                     network_ids=frozenset({network.pk}))
    with translation.override("it"):
        messages = [str(reason.message) for reason in clash_check(subject=wanted, settings=SETTINGS)[0].reasons]
    assert messages[2:] == ["Stessa rete: Rete del Po", "Stesso pubblico: Famiglie", "Stesso tema: Musica"]


def test_clash_check_query_count(network, families, music, django_assert_max_num_queries):
    """An anonymous check reads its candidates, their events, concepts and networks in one statement."""
    for index in range(12):
        shared = event(f"Candidate {index}", km=index, shared_with=[network], hours=(15, 16 + index % 3))
        shared.audiences.add(families)
        shared.themes.add(music)
    wanted = subject(audiences=frozenset({"families"}), themes=frozenset({"music"}),
                     network_ids=frozenset({network.pk}))
    clash_labels(language="en")
    # The candidates with their events, concepts and networks, in one statement.
    with django_assert_max_num_queries(1):
        assert len(clash_check(subject=wanted, settings=SETTINGS)) == 12


def test_clash_check_of_a_member_query_count(network, museum, django_assert_max_num_queries):
    """A signed-in viewer adds one query, for their networks, however many network-only candidates there are."""
    for index in range(6):
        event(f"Members only {index}", km=index, networks_only=True, shared_with=[network])
    member = person(museum, "editor", "editor@example.org")
    clash_labels(language="en")
    # The viewer's networks, then the one statement.
    with django_assert_max_num_queries(2):
        assert len(clash_check(subject=subject(), settings=SETTINGS, viewer=member)) == 6


# --- Labels -------------------------------------------------------------------------------------------------------


def test_clash_labels_in_the_language_asked(network, families):
    labels = clash_labels(language="it")
    assert (labels.concepts["families"], labels.networks[network.pk]) == ({"it": "Famiglie"}, "Rete del Po")


def test_clash_labels_fall_back_to_english(music):
    factories.ConceptFactory(notation="schools", scheme=Concept.Scheme.AUDIENCE, labels={"en": "Schools"})
    assert clash_labels(language="fr").concepts["schools"] == {"fr": "Schools"}


def test_clash_labels_are_cached(network, django_assert_num_queries):
    clash_labels(language="en")
    with django_assert_num_queries(0):
        clash_labels(language="en")


# --- Plans and stored events --------------------------------------------------------------------------------------


def test_planned_clashes_keep_the_best_clash_of_each_occurrence(db):
    event("Exhibition", km=1, start=at(9, 9), end=at(30, 19))
    event("Tour on the second week", km=1, days=17)
    plan = [subject(days=days) for days in (10, 17, 24)]
    clashes = planned_clashes(subjects=plan, settings=SETTINGS)
    assert [(c.candidate.title, c.candidate.start) for c in clashes] == [
        ("Tour on the second week", at(17, 15)), ("Exhibition", at(9, 9))]


def test_planned_clashes_find_a_far_event_of_a_shared_network_on_any_week(network):
    event("Far, second week", km=300, days=17, shared_with=[network])
    event("Far, not shared", km=300, days=24)
    plan = [subject(days=days, latitude=None, longitude=None, network_ids=frozenset({network.pk}))
            for days in (10, 17, 24)]
    assert titles(planned_clashes(subjects=plan, settings=SETTINGS)) == ["Far, second week"]


def test_planned_clashes_with_a_limit_are_the_start_of_the_whole_ranking_with_reasons(db, families):
    for index in range(6):
        shared = event(f"Tour {index}", km=index * 3, days=(10, 17, 24)[index % 3], hours=(15, 16 + index % 2))
        if index % 2:
            shared.audiences.add(families)
    plan = [subject(days=days, audiences=frozenset({"families"}), organisation_id=1) for days in (10, 17, 24)]
    every = planned_clashes(subjects=plan, settings=SETTINGS, limit=100)
    first = planned_clashes(subjects=plan, settings=SETTINGS, limit=3)
    assert (len(every), first) == (6, every[:3])
    assert [(clash.candidate.title, clash.score, [reason.code for reason in clash.reasons]) for clash in first] == [
        ("Tour 1", 0.72, ["overlap", "near", "same_audience"]), ("Tour 3", 0.66, ["overlap", "near", "same_audience"]),
        ("Tour 5", 0.6, ["overlap", "near", "same_audience"])]


def test_planned_clashes_of_no_subject_is_empty(db):
    event("Tour", km=1)
    assert planned_clashes(subjects=[], settings=SETTINGS) == []


def test_event_clashes_use_the_events_upcoming_occurrences(db, museum):
    weekly = event("Our weekly tour", organisation=museum, days=3, rrule="FREQ=WEEKLY;COUNT=3")
    event("Their tour", km=2, days=10)
    event("Their other tour", km=2, days=30)
    clashes = event_clashes(event=weekly)
    assert [(c.candidate.title, c.candidate.start) for c in clashes] == [("Their tour", at(10, 15))]


def test_event_clashes_leave_out_the_event_itself(db, museum):
    ours = event("Ours", organisation=museum)
    assert event_clashes(event=ours) == []


def test_event_subjects_carry_the_events_concepts_networks_and_zone(network, museum, families):
    ours = event("Ours", organisation=museum, shared_with=[network])
    ours.audiences.add(families)
    [only] = event_subjects(event=ours)
    assert (only.start, only.start.tzinfo, only.audiences, only.network_ids, only.event_id) == (
        at(10, 15), ROME, frozenset({"families"}), frozenset({network.pk}), ours.pk)


def test_event_subjects_skip_past_and_cancelled_occurrences(museum):
    weekly = event("Weekly", organisation=museum, days=-6, rrule="FREQ=WEEKLY;COUNT=4")
    weekly.occurrences.filter(start=at(8, 15)).update(cancelled=True)
    assert [s.start for s in event_subjects(event=weekly)] == [at(1, 15), at(15, 15)]


def test_event_subjects_are_bounded(museum):
    daily = event("Daily", organisation=museum, days=1, rrule="FREQ=DAILY;COUNT=90")
    assert len(event_subjects(event=daily, max_occurrences=52)) == 52


def test_event_subjects_of_an_event_not_yet_materialised_use_its_own_span(museum):
    fresh = event("Fresh", organisation=museum, materialise=False)
    assert [(s.start, s.end) for s in event_subjects(event=fresh)] == [(at(10, 15), at(10, 17))]


def test_event_subjects_of_an_event_whose_occurrences_are_all_cancelled_are_none(museum):
    shown = event("Called off one by one", organisation=museum)
    shown.occurrences.update(cancelled=True)
    assert event_subjects(event=shown) == []
