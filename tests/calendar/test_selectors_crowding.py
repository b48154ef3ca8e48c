"""Crowding by day for the free-date finder: counts within the radius, filters, levels, quietest days, bounds."""

import math
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils import timezone

from sinergia.calendar.selectors import Crowding, DayCrowding, day_crowding
from sinergia.core.geo import EARTH_RADIUS_KM
from sinergia.core.models import Concept
from tests import factories
from tests.factories import person

pytestmark = pytest.mark.django_db
ROME = ZoneInfo("Europe/Rome")
LAT, LON = 44.4949, 11.3426
ANONYMOUS = AnonymousUser()


def day(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


def at(days: int, hour: int) -> datetime:
    return datetime.combine(day(days), time(hour), tzinfo=ROME)


def moved(km_north: float = 0, km_east: float = 0) -> tuple[float, float]:
    latitude = LAT + math.degrees(km_north / EARTH_RADIUS_KM)
    longitude = LON + math.degrees(km_east / (EARTH_RADIUS_KM * math.cos(math.radians(LAT))))
    return latitude, longitude


def event(days: int = 10, km_north: float = 0, km_east: float = 0, **kwargs):
    latitude, longitude = moved(km_north, km_east)
    organisation = kwargs.pop("organisation", None) or factories.OrganisationFactory(latitude=latitude,
                                                                                      longitude=longitude)
    kwargs.setdefault("start", at(days, 15))
    kwargs.setdefault("end", at(days, 17))
    return factories.EventFactory(organisation=organisation, **kwargs)


def counts(crowding: Crowding) -> dict[date, int]:
    return {entry.day: entry.count for entry in crowding.days if entry.count}


def crowding(first: int = 10, last: int = 16, **kwargs) -> Crowding:
    kwargs.setdefault("viewer", ANONYMOUS)
    return day_crowding(start=day(first), end=day(last), latitude=LAT, longitude=LON, **kwargs)


def test_day_crowding_counts_events_within_the_radius_by_local_day(db):
    event(days=11)
    event(days=11, km_north=10)
    event(days=12, km_east=25)
    event(days=12, km_north=40)
    assert counts(crowding()) == {day(11): 2, day(12): 1}


def test_day_crowding_leaves_out_a_corner_of_the_box_beyond_the_radius(db):
    event(days=11, km_north=25, km_east=25)  # inside the square around the place, 35 km away
    assert counts(crowding()) == {}


def test_day_crowding_takes_the_radius(db):
    event(days=11, km_north=40)
    assert counts(crowding(radius_km=50)) == {day(11): 1}


def test_day_crowding_lists_every_day_of_the_range(db):
    assert [entry.day for entry in crowding(10, 12).days] == [day(10), day(11), day(12)]


def test_day_crowding_counts_a_long_event_on_each_day_it_runs_within_the_range(db):
    event(start=at(5, 10), end=at(12, 18))
    assert counts(crowding()) == {day(10): 1, day(11): 1, day(12): 1}


def test_day_crowding_counts_an_all_day_event_on_its_own_days(db):
    event(start=datetime.combine(day(11), time.min, tzinfo=ROME),
          end=datetime.combine(day(13), time.min, tzinfo=ROME), all_day=True)
    assert counts(crowding()) == {day(11): 1, day(12): 1}


def test_day_crowding_counts_days_in_the_time_zone_asked(db):
    event(start=at(11, 23), end=at(11, 23) + timedelta(minutes=30))
    assert counts(crowding(timezone="Europe/London")) == {day(11): 1}
    assert counts(crowding(timezone="Asia/Tokyo")) == {day(12): 1}


def test_day_crowding_counts_each_occurrence_of_a_recurring_event(db):
    event(days=3, rrule="FREQ=WEEKLY;COUNT=4")
    assert counts(crowding(0, 30)) == {day(3): 1, day(10): 1, day(17): 1, day(24): 1}


@pytest.mark.parametrize("state", ["draft", "cancelled"])
def test_day_crowding_leaves_out_drafts_and_cancelled_events(db, state):
    event(days=11, **{state: True})
    assert counts(crowding()) == {}


def test_day_crowding_filters_by_audience_theme_and_network(db):
    families = factories.ConceptFactory(notation="families", scheme=Concept.Scheme.AUDIENCE)
    music = factories.ConceptFactory(notation="music", scheme=Concept.Scheme.THEME)
    network = factories.NetworkFactory(slug="rete-po")
    event(days=11).audiences.add(families)
    event(days=12).themes.add(music)
    event(days=13, shared_with=[network])
    assert (counts(crowding(audience="families")), counts(crowding(theme="music")),
            counts(crowding(network="rete-po"))) == ({day(11): 1}, {day(12): 1}, {day(13): 1})


def test_day_crowding_shows_members_their_network_only_events(db):
    network = factories.NetworkFactory()
    museum = factories.OrganisationFactory()
    factories.MembershipFactory(network=network, organisation=museum)
    event(days=11, networks_only=True, shared_with=[network])
    member = person(museum, "member", "member@example.org")
    assert (counts(crowding()), counts(crowding(viewer=member))) == ({}, {day(11): 1})


def test_day_crowding_levels_follow_the_busiest_day(db):
    for days, how_many in ((11, 1), (12, 2), (13, 4), (14, 3)):
        for _ in range(how_many):
            event(days=days)
    result = crowding(10, 14)
    assert result.days == [DayCrowding(day(10), 0, 0), DayCrowding(day(11), 1, 1), DayCrowding(day(12), 2, 2),
                           DayCrowding(day(13), 4, 4), DayCrowding(day(14), 3, 3)]
    assert result.max_count == 4


def test_day_crowding_quietest_days_are_the_emptiest_earliest_first(db):
    for days in (10, 11, 12, 13, 14, 15):
        event(days=days)
    event(days=10)
    result = crowding(10, 16)
    assert result.quietest == [day(16), day(11), day(12), day(13), day(14)]


def test_day_crowding_of_an_empty_calendar(db):
    result = crowding(10, 11)
    assert result == Crowding(days=[DayCrowding(day(10), 0, 0), DayCrowding(day(11), 0, 0)],
                              quietest=[day(10), day(11)], max_count=0)


def test_day_crowding_reads_in_one_query(db, django_assert_num_queries):
    for days in range(10, 17):
        event(days=days)
    with django_assert_num_queries(1):
        assert sum(counts(crowding()).values()) == 7


def test_day_crowding_accepts_366_days(db):
    assert len(crowding(0, 365).days) == 366


@pytest.mark.parametrize(("kwargs", "errors"), [
    ({"first": 10, "last": 9}, {"end": ["The last day cannot be before the first day."]}),
    ({"first": 0, "last": 366}, {"end": ["Choose at most 366 days."]}),
    ({"radius_km": 0.5}, {"radius_km": ["The radius must be between 1 and 500 km."]}),
    ({"radius_km": 501}, {"radius_km": ["The radius must be between 1 and 500 km."]}),
    ({"radius_km": float("nan")}, {"radius_km": ["The radius must be between 1 and 500 km."]}),
    ({"timezone": "Mars/Olympus"}, {"timezone": ["Unknown time zone “Mars/Olympus”."]}),
])
def test_day_crowding_refuses_unbounded_input(db, kwargs, errors):
    with pytest.raises(ValidationError) as caught:
        crowding(**kwargs)
    assert caught.value.message_dict == errors


def test_day_crowding_refuses_a_latitude_off_the_globe(db):
    with pytest.raises(ValidationError) as caught:
        day_crowding(viewer=ANONYMOUS, start=day(1), end=day(2), latitude=91, longitude=LON)
    assert caught.value.messages == ["Latitude must be between -90 and 90 (got 91)."]
