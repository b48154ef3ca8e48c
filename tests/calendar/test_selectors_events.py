"""Reads of events and occurrences: visibility, every filter, the overlap of a range, facets and query counts."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from sinergia.calendar.filters import EventFilters
from sinergia.calendar.models import Event, Occurrence
from sinergia.calendar.selectors import (
    calendar_facets,
    event_feed,
    event_get,
    event_get_for,
    event_list,
    occurrence_list,
    organisation_events,
    overlapping,
)
from sinergia.core.models import Concept
from tests import factories
from tests.factories import person

pytestmark = pytest.mark.django_db
ROME = ZoneInfo("Europe/Rome")
ANONYMOUS = AnonymousUser()


def day(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


def at(days: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day(days), time(hour, minute), tzinfo=ROME)


def titles(rows) -> list[str]:
    return [row.title if isinstance(row, Event) else row.event.title for row in rows]


def listed(viewer=ANONYMOUS, **filters) -> list[str]:
    return titles(event_list(viewer=viewer, filters=EventFilters(**filters)))


@pytest.fixture
def museum(db):
    return factories.OrganisationFactory(name="Museo della Musica", slug="museo-della-musica")


@pytest.fixture
def florence(db):
    return factories.OrganisationFactory(name="Museo di Firenze", slug="museo-firenze", region="Toscana",
                                         province="Firenze", latitude=43.7696, longitude=11.2558)


@pytest.fixture
def network(museum):
    network = factories.NetworkFactory(name="Rete del Po", slug="rete-po", founded_by=museum)
    factories.MembershipFactory(network=network, organisation=museum, coordinator=True)
    return network


def event(organisation, title: str, days: int = 10, hours: tuple[int, int] = (15, 17), **kwargs) -> Event:
    kwargs.setdefault("start", at(days, hours[0]))
    kwargs.setdefault("end", at(days, hours[1]))
    return factories.EventFactory(organisation=organisation, title=title, **kwargs)


# --- Visibility ---------------------------------------------------------------------------------------------------


@pytest.fixture
def visibility_world(museum, network):
    """A public event, a cancelled one, a draft and a network-only one of the museum."""
    event(museum, "Public", days=1)
    event(museum, "Cancelled", days=2, cancelled=True)
    event(museum, "Draft", days=3, draft=True)
    event(museum, "Members only", days=4, networks_only=True, shared_with=[network])
    return museum


@pytest.mark.parametrize(("who", "expected"), [
    ("anonymous", ["Public", "Cancelled"]),
    ("outsider", ["Public", "Cancelled"]),
    ("network_member", ["Public", "Cancelled", "Members only"]),
    ("org_member", ["Public", "Cancelled", "Members only"]),
    ("org_editor", ["Public", "Cancelled", "Members only"]),
    ("operator", ["Public", "Cancelled", "Members only"]),
])
def test_event_list_shows_what_the_viewer_may_see_and_never_drafts(visibility_world, network, outsider, operator,
                                                                   who, expected):
    partner = factories.OrganisationFactory(name="Partner")
    factories.MembershipFactory(network=network, organisation=partner)
    viewers = {
        "anonymous": ANONYMOUS, "outsider": outsider, "operator": operator,
        "network_member": person(partner, "member", "partner@example.org"),
        "org_member": person(visibility_world, "member", "member@example.org"),
        "org_editor": person(visibility_world, "editor", "editor@example.org"),
    }
    assert listed(viewers[who]) == expected


def test_event_list_hides_network_events_from_members_still_applying(visibility_world, network):
    applicant = factories.OrganisationFactory(name="Applicant")
    factories.MembershipFactory(network=network, organisation=applicant, applied=True)
    assert listed(person(applicant, "admin", "applicant@example.org")) == ["Public", "Cancelled"]


def test_occurrence_list_follows_the_same_visibility(visibility_world):
    rows = occurrence_list(viewer=ANONYMOUS, start=at(0, 0), end=at(30, 0))
    assert titles(rows) == ["Public", "Cancelled"]


def test_event_get_of_an_invisible_event_is_a_404(visibility_world):
    hidden = Event.objects.get(title="Members only")
    with pytest.raises(Http404):
        event_get(pk=hidden.pk, viewer=ANONYMOUS)


def test_event_get_shows_a_draft_to_its_editors(visibility_world):
    draft = Event.objects.get(title="Draft")
    editor = person(visibility_world, "editor", "editor@example.org")
    assert event_get(pk=draft.pk, viewer=editor) == draft


def test_event_get_for_without_the_permission_is_denied(visibility_world):
    public = Event.objects.get(title="Public")
    member = person(visibility_world, "member", "member@example.org")
    with pytest.raises(PermissionDenied):
        event_get_for(user=member, pk=public.pk, perm="calendar.change_event")


def test_event_get_for_an_invisible_event_is_a_404_not_a_403(visibility_world, outsider):
    draft = Event.objects.get(title="Draft")
    with pytest.raises(Http404):
        event_get_for(user=outsider, pk=draft.pk, perm="calendar.change_event")


def test_event_get_for_an_editor_returns_the_event(visibility_world):
    draft = Event.objects.get(title="Draft")
    editor = person(visibility_world, "editor", "editor@example.org")
    assert event_get_for(user=editor, pk=draft.pk, perm="calendar.change_event") == draft


def test_organisation_events_include_drafts_for_editors_latest_first(visibility_world):
    editor = person(visibility_world, "editor", "editor@example.org")
    events = organisation_events(organisation=visibility_world, viewer=editor)
    assert titles(events) == ["Members only", "Draft", "Cancelled", "Public"]


def test_organisation_events_show_outsiders_only_the_public_ones(visibility_world, outsider):
    events = organisation_events(organisation=visibility_world, viewer=outsider)
    assert titles(events) == ["Cancelled", "Public"]


# --- Filters ------------------------------------------------------------------------------------------------------


@pytest.fixture
def families(db):
    return factories.ConceptFactory(notation="families", scheme=Concept.Scheme.AUDIENCE,
                                    labels={"en": "Families", "it": "Famiglie"})


@pytest.fixture
def music(db):
    return factories.ConceptFactory(notation="music", scheme=Concept.Scheme.THEME, labels={"en": "Music"})


@pytest.fixture
def filter_world(museum, florence, network, families, music):
    """Events that differ by each filter."""
    concert = event(museum, "Jazz concert", days=5, category="performance", description="A night of **jazz**.")
    concert.themes.add(music)
    workshop = event(museum, "Workshop for children", days=6, category="workshop", is_free=True)
    workshop.audiences.add(families)
    event(florence, "Tour of Florence", days=7)
    shared = event(florence, "Shared festival", days=8, category="festival", shared_with=[network])
    shared.co_organisers.add(museum)
    return {"concert": concert, "workshop": workshop, "shared": shared}


@pytest.mark.parametrize(("filters", "expected"), [
    ({}, ["Jazz concert", "Workshop for children", "Tour of Florence", "Shared festival"]),
    ({"q": "jazz"}, ["Jazz concert"]),
    ({"q": "night"}, ["Jazz concert"]),
    ({"q": "tour florence"}, ["Tour of Florence"]),
    ({"q": "Museo di Firenze"}, ["Tour of Florence", "Shared festival"]),
    ({"region": "Toscana"}, ["Tour of Florence", "Shared festival"]),
    ({"province": "Bologna"}, ["Jazz concert", "Workshop for children"]),
    ({"category": "workshop"}, ["Workshop for children"]),
    ({"audience": "families"}, ["Workshop for children"]),
    ({"theme": "music"}, ["Jazz concert"]),
    ({"free": True}, ["Workshop for children"]),
    ({"network": "rete-po"}, ["Shared festival"]),
    ({"organisation": "museo-della-musica"}, ["Jazz concert", "Workshop for children", "Shared festival"]),
    ({"organisation": "museo-firenze"}, ["Tour of Florence", "Shared festival"]),
    ({"region": "Toscana", "category": "festival"}, ["Shared festival"]),
    ({"theme": "no-such-theme"}, []),
])
def test_event_list_filters(filter_world, filters, expected):
    assert listed(**filters) == expected


@pytest.mark.parametrize(("filters", "expected"), [
    ({}, ["Jazz concert", "Workshop for children", "Tour of Florence", "Shared festival"]),
    ({"region": "Toscana"}, ["Tour of Florence", "Shared festival"]),
    ({"organisation": "museo-della-musica", "free": True}, ["Workshop for children"]),
    ({"network": "rete-po"}, ["Shared festival"]),
    ({"audience": "families"}, ["Workshop for children"]),
])
def test_occurrence_list_applies_the_same_filters(filter_world, filters, expected):
    rows = occurrence_list(viewer=ANONYMOUS, filters=EventFilters(**filters), start=at(0, 0), end=at(30, 0))
    assert titles(rows) == expected


def test_event_list_lists_an_event_once_whatever_matches_twice(filter_world, museum):
    filter_world["shared"].co_organisers.add(factories.OrganisationFactory(slug="another"))
    assert listed(organisation="museo-della-musica", network="rete-po") == ["Shared festival"]


# --- Date ranges --------------------------------------------------------------------------------------------------


@pytest.fixture
def range_world(museum):
    """Around days 20–21: a short event, one across midnight, an exhibition, a weekly tour, an all-day fair."""
    event(museum, "Afternoon talk", days=20, hours=(15, 17))
    event(museum, "Night concert", days=19, start=at(19, 22), end=at(20, 1, 30))
    event(museum, "Exhibition", start=at(5, 9), end=at(60, 19))
    event(museum, "Weekly tour", days=6, hours=(11, 12), rrule="FREQ=WEEKLY;COUNT=4")
    event(museum, "Book fair", start=datetime.combine(day(21), time.min, tzinfo=ROME),
          end=datetime.combine(day(23), time.min, tzinfo=ROME), all_day=True)
    event(museum, "Long ago", days=-40)


def test_event_list_date_range_keeps_events_with_an_occurrence_in_it(range_world):
    assert listed(start=day(20), end=day(20)) == ["Exhibition", "Weekly tour", "Night concert", "Afternoon talk"]


def test_event_list_date_range_of_the_last_day_of_an_all_day_event(range_world):
    assert listed(start=day(22), end=day(22)) == ["Exhibition", "Book fair"]


def test_event_list_open_ended_start(range_world):
    assert listed(start=day(25)) == ["Exhibition", "Weekly tour"]


def test_event_list_open_ended_end(range_world):
    assert listed(end=day(-30)) == ["Long ago"]


def test_occurrence_list_overlapping_a_day(range_world):
    rows = occurrence_list(viewer=ANONYMOUS, start=at(20, 0), end=at(21, 0))
    assert [(row.event.title, row.start) for row in rows] == [
        ("Exhibition", at(5, 9)), ("Night concert", at(19, 22)), ("Weekly tour", at(20, 11)),
        ("Afternoon talk", at(20, 15)),
    ]


def test_occurrence_list_range_is_end_exclusive(range_world):
    rows = occurrence_list(viewer=ANONYMOUS, start=at(20, 17), end=at(20, 18))
    assert titles(rows) == ["Exhibition"]


def test_occurrence_list_starting_as_the_range_starts(range_world):
    rows = occurrence_list(viewer=ANONYMOUS, start=at(20, 15), end=at(20, 16))
    assert titles(rows) == ["Exhibition", "Afternoon talk"]


def test_occurrence_list_leaves_out_an_instant_at_the_range_start(museum):
    event(museum, "Instant", start=at(20, 15), end=at(20, 15))
    assert (titles(occurrence_list(viewer=ANONYMOUS, start=at(20, 15), end=at(20, 16))),
            titles(occurrence_list(viewer=ANONYMOUS, start=at(20, 14), end=at(20, 16)))) == ([], ["Instant"])


def test_occurrence_list_of_a_range_inside_a_long_occurrence(range_world):
    assert titles(occurrence_list(viewer=ANONYMOUS, start=at(30, 0), end=at(31, 0))) == ["Exhibition"]


@pytest.mark.parametrize(("length", "expected"), [
    ("short", ["Night concert", "Weekly tour", "Afternoon talk"]),
    ("long", ["Exhibition"]),
    (None, ["Exhibition", "Night concert", "Weekly tour", "Afternoon talk"]),
])
def test_occurrence_list_of_one_length(range_world, length, expected):
    assert titles(occurrence_list(viewer=ANONYMOUS, start=at(20, 0), end=at(21, 0), length=length)) == expected


def test_overlapping_with_an_open_start(range_world):
    rows = Occurrence.objects.filter(pk__in=overlapping(None, at(20, 0))).order_by("start")
    assert titles(rows) == ["Long ago", "Exhibition", "Weekly tour", "Weekly tour", "Night concert"]


def test_occurrence_list_lists_each_occurrence_of_a_recurring_event(range_world):
    rows = occurrence_list(viewer=ANONYMOUS, filters=EventFilters(q="weekly"), start=at(0, 0), end=at(60, 0))
    assert [row.start for row in rows] == [at(6, 11), at(13, 11), at(20, 11), at(27, 11)]


def test_occurrence_list_narrowed_by_the_filters_dates(range_world):
    rows = occurrence_list(viewer=ANONYMOUS, filters=EventFilters(q="weekly", start=day(10), end=day(20)),
                           start=at(0, 0), end=at(60, 0))
    assert [row.start for row in rows] == [at(13, 11), at(20, 11)]


def test_occurrence_list_marks_cancelled_occurrences(museum):
    event(museum, "Called off", days=3, cancelled=True)
    rows = occurrence_list(viewer=ANONYMOUS, start=at(0, 0), end=at(10, 0))
    assert [(row.event.title, row.cancelled) for row in rows] == [("Called off", True)]


def test_occurrence_list_region_uses_the_occurrences_copy(museum, florence):
    event(museum, "In Bologna", days=3)
    event(florence, "In Florence", days=3)
    rows = occurrence_list(viewer=ANONYMOUS, filters=EventFilters(region="Toscana"), start=at(0, 0),
                           end=at(10, 0))
    assert [(row.event.title, row.region) for row in rows] == [("In Florence", "Toscana")]


# --- Query counts -------------------------------------------------------------------------------------------------


@pytest.fixture
def many(museum, network, families, music):
    """Thirty events over thirty days with concepts, networks and co-organisers, to show an N+1."""
    partner = factories.OrganisationFactory(name="Partner")
    for index in range(30):
        shared = event(museum, f"Event {index:02d}", days=index + 1, shared_with=[network])
        shared.audiences.add(families)
        shared.themes.add(music)
        shared.co_organisers.add(partner)


def test_occurrence_list_query_count_is_flat(many, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        rows = list(occurrence_list(viewer=ANONYMOUS, start=at(0, 0), end=at(40, 0)))
        assert [row.event.organisation.name for row in rows] == ["Museo della Musica"] * 30


def test_occurrence_list_query_count_for_a_member(many, museum, django_assert_max_num_queries):
    member = person(museum, "member", "member@example.org")
    with django_assert_max_num_queries(3):
        assert len(list(occurrence_list(viewer=member, start=at(0, 0), end=at(40, 0)))) == 30


def test_event_list_query_count_is_flat(many, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        rows = list(event_list(viewer=ANONYMOUS, filters=EventFilters(start=day(1), end=day(40))))
        assert [row.organisation.name for row in rows] == ["Museo della Musica"] * 30


def test_event_feed_prefetches_what_an_export_writes(many, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        rows = list(event_feed(viewer=ANONYMOUS))
        shown = {(e.venue.name, *(tuple(c.notation for c in getattr(e, name).all())
                                  for name in ("audiences", "themes")),
                  tuple(n.slug for n in e.networks.all()), tuple(o.name for o in e.co_organisers.all()))
                 for e in rows}
    assert shown == {("Museo della Musica", ("families",), ("music",), ("rete-po",), ("Partner",))}
    assert len(rows) == 30


# --- Facets -------------------------------------------------------------------------------------------------------


def test_calendar_facets_list_what_public_events_use(filter_world, museum, families, music):
    hidden = factories.OrganisationFactory(region="Liguria", province="Genova")
    event(hidden, "Network secret", networks_only=True, category="course")
    facets = calendar_facets()
    assert facets.regions == ["Emilia-Romagna", "Toscana"]
    assert facets.provinces == [("Emilia-Romagna", ["Bologna"]), ("Toscana", ["Firenze"])]
    assert facets.networks == [("rete-po", "Rete del Po")]
    assert facets.categories == [("guided_tour", "Guided tour"), ("workshop", "Workshop"),
                                 ("performance", "Concert or performance"), ("festival", "Festival")]
    assert (facets.audiences, facets.themes) == ([families], [music])


def test_calendar_facets_are_cached(filter_world, django_assert_num_queries):
    calendar_facets()
    with django_assert_num_queries(0):
        calendar_facets()
