"""The calendar's map data: one GeoJSON point per located event, at its next occurrence, in one query."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.formats import date_format

from sinergia.calendar.filters import EventFilters
from sinergia.calendar.models import Event, Occurrence
from sinergia.calendar.selectors import occurrence_list
from sinergia.calendar.selectors.geo import occurrence_geojson
from tests import factories

pytestmark = pytest.mark.django_db
ROME = ZoneInfo("Europe/Rome")


def local(days: int, hour: int = 10) -> datetime:
    """A local time in Rome some days from today."""
    return datetime.combine(timezone.localdate() + timedelta(days=days), time(hour), tzinfo=ROME)


def geojson(**kwargs) -> dict:
    occurrences = occurrence_list(viewer=AnonymousUser(), filters=EventFilters(), start=local(0, 0),
                                  end=local(60, 0))
    return occurrence_geojson(occurrences=occurrences, **kwargs)


def event_at(days: int, **kwargs) -> Event:
    start = local(days)
    return factories.EventFactory(start=start, end=start + timedelta(hours=2), **kwargs)


def test_one_feature_per_located_event_at_its_next_occurrence():
    event = event_at(5, title="Visita al museo", rrule="FREQ=WEEKLY;COUNT=3", place_name="Museo della Musica",
                     locality="Bologna", latitude=44.49, longitude=11.35)

    data = geojson()

    assert data == {"type": "FeatureCollection", "truncated": False, "features": [{
        "type": "Feature", "geometry": {"type": "Point", "coordinates": [11.35, 44.49]},
        "properties": {"name": "Visita al museo", "url": f"/en/calendar/events/{event.pk}/",
                       "start": local(5).astimezone(ZoneInfo("UTC")).isoformat(),
                       "when": date_format(local(5), "DATETIME_FORMAT"), "place": "Museo della Musica, Bologna",
                       "category": "Guided tour", "occurrences": 3, "cancelled": False}}]}


def test_next_occurrence_skips_a_cancelled_one():
    event = event_at(5, rrule="FREQ=WEEKLY;COUNT=3")
    Occurrence.objects.filter(event=event, start=local(5)).update(cancelled=True)

    properties = geojson()["features"][0]["properties"]

    assert (properties["start"], properties["cancelled"]) == (local(12).astimezone(ZoneInfo("UTC")).isoformat(),
                                                              False)


def test_cancelled_event_is_marked_at_its_first_occurrence():
    event_at(5, cancelled=True)

    properties = geojson()["features"][0]["properties"]

    assert (properties["when"], properties["cancelled"]) == (date_format(local(5), "DATETIME_FORMAT"), True)


def test_all_day_event_says_its_date_in_its_own_time_zone():
    start = datetime.combine(timezone.localdate() + timedelta(days=3), time.min, tzinfo=ROME)
    factories.EventFactory(start=start, end=start + timedelta(days=1), all_day=True)

    assert geojson()["features"][0]["properties"]["when"] == date_format(start.date(), "DATE_FORMAT")


def test_events_without_coordinates_are_left_out():
    event_at(5, title="Somewhere", latitude=None, longitude=None)
    event_at(6, title="Here")

    assert [feature["properties"]["name"] for feature in geojson()["features"]] == ["Here"]


def test_features_are_soonest_first_and_cut_at_the_limit():
    for days, title in ((9, "Third"), (3, "First"), (6, "Second")):
        event_at(days, title=title)

    data = geojson(limit=2)

    assert ([feature["properties"]["name"] for feature in data["features"]], data["truncated"]) == (
        ["First", "Second"], True)


def test_urls_are_absolute_with_a_base_url():
    event = event_at(5)

    url = geojson(base_url="https://sinergia.example.org")["features"][0]["properties"]["url"]

    assert url == f"https://sinergia.example.org/en/calendar/events/{event.pk}/"


def test_many_events_take_one_query(django_assert_num_queries):
    organisation = factories.OrganisationFactory()
    for days in range(40):
        event_at(days % 20 + 1, organisation=organisation, rrule="FREQ=WEEKLY;COUNT=2")

    with django_assert_num_queries(1):
        data = geojson()

    assert len(data["features"]) == 40
