"""The free-date finder page: a GET form (shareable, htmx-updated), the month heat map and the quietest days."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from sinergia.calendar.selectors import Crowding, DayCrowding
from sinergia.calendar.views.finder import heat_months
from sinergia.core.models import Concept
from tests import factories
from tests.factories import person

pytestmark = pytest.mark.django_db
BOLOGNA = {"where": "point", "lat": "44.4949", "lon": "11.3426"}
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "finder-results"}


@pytest.fixture
def url():
    return reverse("calendar:free_dates")


@pytest.fixture
def museum():
    return factories.OrganisationFactory(name="Museo della città")


@pytest.fixture
def editor(museum):
    return person(museum, "editor", "editor@museo.example.org")


def event_day(event) -> date:
    return timezone.localtime(event.start).date()


def cell(response, day: date):
    """The heat map's cell of that day."""
    for month in response.context["months"]:
        for week in month.weeks:
            for found in week:
                if found is not None and found.day == day:
                    return found
    raise AssertionError(f"{day} is not on the heat map")


def test_finder_asks_an_anonymous_visitor_for_a_place(client, url):
    response = client.get(url)
    page = response.content.decode()
    assert (response.status_code, "Choose a place" in page, "crowding" in response.context) == (200, True, False)


def test_finder_counts_the_events_of_each_day_with_count_and_level_in_words(client, url, museum):
    event = factories.EventFactory(organisation=museum)
    response = client.get(url, BOLOGNA)
    found = cell(response, event_day(event))
    assert (found.count, found.level, found.level_label) == (1, 4, "very busy")
    assert '<span class="finder-count">1 event</span> <span class="finder-level">very busy</span>' in (
        response.content.decode())


def test_finder_counts_nothing_beyond_the_radius(client, url, museum):
    event = factories.EventFactory(organisation=museum)
    response = client.get(url, {**BOLOGNA, "lat": "45.4642", "lon": "9.19", "radius": "30"})
    assert cell(response, event_day(event)).count == 0


def test_finder_hides_network_only_events_from_anonymous_visitors(client, url, museum):
    event = factories.EventFactory(organisation=museum, networks_only=True)
    assert cell(client.get(url, BOLOGNA), event_day(event)).count == 0


def test_finder_counts_only_the_audience_chosen(client, url, museum):
    families = factories.ConceptFactory(scheme=Concept.Scheme.AUDIENCE, notation="families")
    event = factories.EventFactory(organisation=museum)
    event.audiences.set([families])
    factories.EventFactory(organisation=museum, start=event.start)
    response = client.get(url, {**BOLOGNA, "audience": "families"})
    assert cell(response, event_day(event)).count == 1


def test_finder_runs_my_organisation_search_on_a_first_visit(client, url, museum, editor):
    client.force_login(editor)
    response = client.get(url)
    assert "Quietest days within 30 km of Museo della città" in response.content.decode()


def test_finder_suggests_quiet_days_with_their_weekday(client, url, museum):
    factories.EventFactory(organisation=museum)
    response = client.get(url, BOLOGNA)
    first = response.context["quiet_days"][0]
    assert (first.count, f"<strong>{date_format(first.day, 'l j F Y')}</strong>" in response.content.decode()) == (
        0, True)


def test_finder_links_each_quiet_day_to_a_new_event_of_the_organisation_i_edit(client, url, museum, editor):
    client.force_login(editor)
    response = client.get(url, BOLOGNA)
    day = response.context["quiet_days"][0].day
    link = reverse("calendar:event_create", kwargs={"slug": museum.slug}) + f"?date={day.isoformat()}"
    assert f'href="{link}"' in response.content.decode()


def test_finder_offers_no_event_link_to_anonymous_visitors(client, url):
    response = client.get(url, BOLOGNA)
    page = response.content.decode()
    assert ("?date=" in page, "Sign in</a> to create an event on one of these days." in page) == (False, True)


def test_finder_finds_the_place_by_organisation_name(client, url, museum):
    response = client.get(url, {"where": "name", "name": "Museo della città"})
    assert response.context["place"].organisation == museum


def test_finder_shows_a_form_error_for_a_range_too_long(client, url):
    today = timezone.localdate()
    response = client.get(url, {**BOLOGNA, "start": today.isoformat(),
                                "end": (today + timedelta(days=400)).isoformat()})
    assert ("Choose at most 366 days." in response.content.decode(), "crowding" in response.context) == (True, False)


def test_finder_answers_htmx_with_the_results_alone(client, url):
    response = client.get(url, BOLOGNA, **HTMX)
    page = response.content.decode()
    assert ("<html" in page, "Month by month" in page, "HX-Target" in response["Vary"]) == (False, True, True)


def test_finder_lists_the_errors_in_the_htmx_results(client, url):
    response = client.get(url, {"where": "point", "lat": "44.5"}, **HTMX)
    assert "Longitude: Pick the place on the map, or type both its latitude and longitude." in (
        response.content.decode())


def test_finder_query_count_does_not_grow_with_the_events(client, url, museum, editor, django_assert_max_num_queries):
    start = timezone.now().replace(hour=14, minute=0, second=0, microsecond=0)
    for offset in range(40):
        factories.EventFactory(organisation=museum, start=start + timedelta(days=1 + offset % 20),
                               end=start + timedelta(days=1 + offset % 20, hours=2))
    client.force_login(editor)
    with django_assert_max_num_queries(12):
        response = client.get(url, BOLOGNA)
    assert sum(day.count for day in response.context["crowding"].days) == 40


def test_heat_map_lays_a_month_out_in_weeks_from_the_first_weekday():
    days = [DayCrowding(day=date(2026, 4, 1) + timedelta(days=i), count=i, level=i) for i in range(3)]
    months = heat_months(Crowding(days=days, quietest=[date(2026, 4, 1)], max_count=2), first_weekday=0)
    week = months[0].weeks[0]
    assert [(c.day.day, c.count, c.suggested) if c else None for c in week] == [
        None, None, (1, 0, True), (2, 1, False), (3, 2, False), None, None]


def test_heat_map_keeps_one_table_per_month():
    days = [DayCrowding(day=date(2026, 1, 30) + timedelta(days=i), count=0, level=0) for i in range(4)]
    months = heat_months(Crowding(days=days, quietest=[], max_count=0), first_weekday=0)
    assert [m.first for m in months] == [date(2026, 1, 1), date(2026, 2, 1)]
