"""The browsing pages: month, week, list, map and its GeoJSON, an event's page; filters, feeds, visibility, queries."""

import json
import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.formats import date_format

from sinergia.calendar.grid import shift_month
from sinergia.calendar.models import Event, Occurrence
from sinergia.core.models import Concept
from sinergia.directory.models import OrganisationMember
from tests import factories
from tests.factories import person

pytestmark = pytest.mark.django_db
ROME = ZoneInfo("Europe/Rome")
MONTH, WEEK, LIST, MAP, GEOJSON = ("/en/calendar/", "/en/calendar/week/", "/en/calendar/list/", "/en/calendar/map/",
                                   "/en/calendar/map.geojson")
ACTORS = ("anonymous", "outsider", "org_member", "org_editor", "org_admin", "network_member", "operator")


def today() -> date:
    return timezone.localdate()


def next_month() -> date:
    return shift_month(today().replace(day=1), 1)


def at(day: date, hour: int = 10, zone: ZoneInfo = ROME) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=zone)


def event_on(day: date, hour: int = 10, **kwargs) -> Event:
    return factories.EventFactory(start=at(day, hour), end=at(day, hour + 2), **kwargs)


def content_of(response) -> str:
    return response.content.decode()


@pytest.fixture
def museum(db):
    return factories.OrganisationFactory(name="Museo della Musica", slug="museo-musica", region="Emilia-Romagna",
                                         province="Bologna")


@pytest.fixture
def network(museum):
    network = factories.NetworkFactory(name="Rete dei musei di Bologna", slug="musei-bologna", founded_by=museum)
    factories.MembershipFactory(network=network, organisation=museum)
    return network


@pytest.fixture
def anonymous(db):
    return AnonymousUser()


@pytest.fixture
def org_member(museum):
    return person(museum, OrganisationMember.Role.MEMBER, "member@musica.example.org")


@pytest.fixture
def org_editor(museum):
    return person(museum, OrganisationMember.Role.EDITOR, "editor@musica.example.org")


@pytest.fixture
def org_admin(museum):
    return person(museum, OrganisationMember.Role.ADMIN, "admin@musica.example.org")


@pytest.fixture
def network_member(network):
    partner = factories.OrganisationFactory(name="Archivio partner")
    factories.MembershipFactory(network=network, organisation=partner)
    return person(partner, OrganisationMember.Role.MEMBER, "partner@archivio.example.org")


@pytest.fixture
def actor(request):
    return request.getfixturevalue(request.param)


def as_actor(client, user) -> None:
    if user.is_authenticated:
        client.force_login(user)


def days_with(grid, title: str) -> list[date]:
    return [day.date for day in grid.days if any(entry.item.event.title == title for entry in day.entries)]


# --- Month -----------------------------------------------------------------------------------------------------


def test_month_is_a_table_with_a_caption_and_weekday_headers(client):
    month = next_month()

    content = content_of(client.get(MONTH, {"month": f"{month:%Y-%m}"}))

    title = date_format(month, "YEAR_MONTH_FORMAT")
    assert f"<caption>Events in {title}, day by day</caption>" in content
    assert content.count('<th scope="col">') == 7
    assert '<th scope="col"><span aria-hidden="true">Sun</span><span class="visually-hidden">Sunday</span></th>' in content
    assert f'<h2 id="calendar-results-heading" class="h3 mb-0">{title}</h2>' in content


def test_month_weeks_start_on_monday_in_italian(client):
    response = client.get("/it/calendar/", {"month": f"{next_month():%Y-%m}"})

    assert response.context["weekday_names"][0] == ("Lun", "Lunedì")


def test_month_shows_each_occurrence_of_a_recurring_event(client, museum):
    first = next_month() + timedelta(days=2)
    event_on(first, organisation=museum, title="Weekly tour", rrule="FREQ=WEEKLY;COUNT=3")

    grid = client.get(MONTH, {"month": f"{next_month():%Y-%m}"}).context["grid"]

    assert days_with(grid, "Weekly tour") == [first, first + timedelta(days=7), first + timedelta(days=14)]


def test_month_lists_a_long_exhibition_once_above_the_grid_and_keeps_the_days_for_short_events(client, museum):
    first = next_month() + timedelta(days=1)
    factories.EventFactory(organisation=museum, title="Three-month exhibition", start=at(first, 9),
                           end=at(first + timedelta(days=90), 18))
    event_on(first + timedelta(days=3), organisation=museum, title="Talk")

    response = client.get(MONTH, {"month": f"{next_month():%Y-%m}"})

    grid = response.context["grid"]
    assert [entry.item.event.title for entry in grid.ongoing] == ["Three-month exhibition"]
    assert days_with(grid, "Three-month exhibition") == []
    assert days_with(grid, "Talk") == [first + timedelta(days=3)]
    assert content_of(response).count("Three-month exhibition") == 1


def test_month_marks_cancelled_occurrences_in_words(client, museum):
    day = next_month() + timedelta(days=4)
    event_on(day, organisation=museum, title="Called off", cancelled=True)
    event_on(day, 15, organisation=museum, title="Still on")

    content = content_of(client.get(MONTH, {"month": f"{next_month():%Y-%m}"}))

    assert re.search(r'calendar-cancelled">\s*<span class="badge bg-danger">Cancelled</span>.*?Called off', content,
                     re.DOTALL)
    assert content.count('<span class="badge bg-danger">Cancelled</span>') == 1


def test_month_bounds_a_crowded_day_and_links_the_others_to_that_days_list(client, museum):
    day = next_month() + timedelta(days=9)
    for hour in range(9, 15):
        event_on(day, hour, organisation=museum, title=f"Tour at {hour}")

    response = client.get(MONTH, {"category": "guided_tour", "month": f"{next_month():%Y-%m}"})

    cell = next(cell for cell in response.context["grid"].days if cell.date == day)
    assert [entry.item.event.title for entry in cell.entries] == ["Tour at 9", "Tour at 10", "Tour at 11",
                                                                  "Tour at 12"]
    assert (f'href="/en/calendar/list/?category=guided_tour&amp;start={day}&amp;end={day}">+2 more'
            in content_of(response))


def test_month_without_a_valid_month_shows_the_current_one(client):
    response = client.get(MONTH, {"month": "2025-13"})

    assert response.context["month"] == today().replace(day=1)


def test_month_marks_today_in_words(client):
    content = content_of(client.get(MONTH))

    assert content.count('aria-current="date"') == 1
    assert re.search(rf'aria-current="date">\s*<time class="calendar-day-number" datetime="{today()}">.*?'
                     r'<span class="badge bg-primary">Today</span>', content, re.DOTALL)


def test_month_of_a_date_range_after_it_moves_to_the_range(client):
    later = shift_month(next_month(), 2) + timedelta(days=3)

    response = client.get(MONTH, {"month": f"{next_month():%Y-%m}", "start": later.isoformat()})

    assert response.context["month"] == later.replace(day=1)


def test_month_filters_by_region(client, museum):
    day = next_month() + timedelta(days=5)
    event_on(day, organisation=museum, title="In Emilia")
    event_on(day, organisation=factories.OrganisationFactory(region="Piemonte", province="Torino"),
             title="In Piemonte")

    grid = client.get(MONTH, {"region": "Piemonte", "month": f"{next_month():%Y-%m}"}).context["grid"]

    assert (days_with(grid, "In Piemonte"), days_with(grid, "In Emilia")) == ([day], [])


def test_network_calendar_is_named_after_the_network_and_shows_only_its_events(client, museum, network):
    day = next_month() + timedelta(days=5)
    event_on(day, organisation=museum, title="Shared", shared_with=[network])
    event_on(day, organisation=museum, title="Not shared")

    response = client.get(MONTH, {"network": "musei-bologna", "month": f"{next_month():%Y-%m}"})

    assert '<h1 id="calendar-heading" class="mb-0">Calendar of Rete dei musei di Bologna</h1>' in content_of(response)
    assert (days_with(response.context["grid"], "Shared"), days_with(response.context["grid"], "Not shared")) == (
        [day], [])


def test_network_only_calendar_keeps_the_network_among_the_choices(client, museum, network, network_member):
    event_on(next_month(), organisation=museum, shared_with=[network], networks_only=True)
    client.force_login(network_member)

    content = content_of(client.get(MONTH, {"network": "musei-bologna"}))

    assert '<option value="musei-bologna" selected>Rete dei musei di Bologna</option>' in content


def test_organisation_calendar_is_named_after_it(client, museum):
    content = content_of(client.get(MONTH, {"organisation": "museo-musica"}))

    assert '<h1 id="calendar-heading" class="mb-0">Calendar of Museo della Musica</h1>' in content
    assert '<option value="museo-musica" selected>Museo della Musica</option>' in content


def test_month_of_many_occurrences_takes_few_queries(client, museum, network, network_member,
                                                     django_assert_max_num_queries):
    for n in range(12):
        event_on(next_month() + timedelta(days=n), organisation=museum, rrule="FREQ=DAILY;COUNT=5",
                 shared_with=[network], networks_only=n % 2 == 0)
    client.force_login(network_member)

    with django_assert_max_num_queries(13):
        response = client.get(MONTH, {"month": f"{next_month():%Y-%m}", "network": "musei-bologna"})

    assert sum(len(day.entries) for day in response.context["grid"].days) >= 30


# --- Week ------------------------------------------------------------------------------------------------------


def test_week_shows_the_seven_days_holding_the_day_from_the_locale_first_weekday(client, museum):
    day = next_month() + timedelta(days=10)
    event_on(day, organisation=museum, title="Talk")

    response = client.get(WEEK, {"week": day.isoformat()})

    grid = response.context["grid"]
    first = day - timedelta(days=(day.weekday() + 1) % 7)  # English weeks start on Sunday
    assert [d.date for d in grid.days] == [first + timedelta(days=n) for n in range(7)]
    assert days_with(grid, "Talk") == [day]
    assert content_of(response).count('<h3 class="h6">') == 7


def test_week_links_the_weeks_around_it_with_the_filters(client):
    day = next_month() + timedelta(days=10)

    response = client.get(WEEK, {"region": "Emilia-Romagna", "week": day.isoformat()})

    first = response.context["first"]
    assert response.context["previous_url"] == f"/en/calendar/week/?region=Emilia-Romagna&week={first - timedelta(days=7)}"
    assert response.context["next_url"] == f"/en/calendar/week/?region=Emilia-Romagna&week={first + timedelta(days=7)}"


def test_week_of_many_occurrences_takes_few_queries(client, museum, django_assert_max_num_queries):
    day = next_month() + timedelta(days=10)
    for hour in range(8, 20):
        event_on(day - timedelta(days=3), hour, organisation=museum, rrule="FREQ=DAILY;COUNT=7")

    with django_assert_max_num_queries(8):
        response = client.get(WEEK, {"week": day.isoformat()})

    assert sum(len(d.entries) for d in response.context["grid"].days) >= 30


# --- List ------------------------------------------------------------------------------------------------------


def test_list_shows_the_next_30_days_by_default(client, museum):
    event_on(today() + timedelta(days=5), organisation=museum, title="Soon")
    event_on(today() + timedelta(days=35), organisation=museum, title="Later")

    response = client.get(LIST)

    assert (response.context["first"], response.context["last"]) == (today(), today() + timedelta(days=29))
    assert [entry.item.event.title for day in response.context["days"] for entry in day.entries] == ["Soon"]


def test_list_puts_occurrences_under_their_day(client, museum):
    day = next_month() + timedelta(days=3)
    event_on(day, organisation=museum, title="Weekly", rrule="FREQ=WEEKLY;COUNT=2")

    response = client.get(LIST, {"start": day.isoformat(), "end": (day + timedelta(days=13)).isoformat()})

    content = content_of(response)
    assert [d.date for d in response.context["days"]] == [day, day + timedelta(days=7)]
    assert f'<h3 id="day-{day}" class="h5"><time datetime="{day}">' in content
    assert "2 occurrences" in content


def test_list_of_one_day_says_so(client):
    day = next_month()

    content = content_of(client.get(LIST, {"start": day.isoformat(), "end": day.isoformat()}))

    assert f"Events on {date_format(day, 'DATE_FORMAT')}" in content


def test_list_is_paginated_with_the_filters_in_its_links(client, museum):
    first = next_month()
    for hour in range(8, 20):
        event_on(first, hour, organisation=museum, rrule="FREQ=DAILY;COUNT=5")
    query = {"category": "guided_tour", "start": first.isoformat(), "end": (first + timedelta(days=6)).isoformat()}

    response = client.get(LIST, query)

    assert (len(response.context["page"].object_list), response.context["page"].paginator.count) == (50, 60)
    assert (f'href="?category=guided_tour&amp;start={query["start"]}&amp;end={query["end"]}&amp;page=2"'
            in content_of(response))


def test_list_of_many_occurrences_takes_few_queries(client, museum, django_assert_max_num_queries):
    for hour in range(8, 20):
        event_on(today() + timedelta(days=2), hour, organisation=museum, rrule="FREQ=DAILY;COUNT=5")

    with django_assert_max_num_queries(8):
        response = client.get(LIST)

    assert len(response.context["page"].object_list) == 50


# --- Map -------------------------------------------------------------------------------------------------------


def test_map_page_loads_the_geojson_of_the_same_filters_and_dates(client, settings):
    content = content_of(client.get(MAP, {"region": "Emilia-Romagna"}))

    first, last = today(), today() + timedelta(days=29)
    assert (f'data-geojson-url="/en/calendar/map.geojson?region=Emilia-Romagna&amp;start={first}&amp;end={last}"'
            in content)
    assert f'data-tile-url="{settings.MAP_TILE_URL}"' in content
    assert "/static/vendor/leaflet.markercluster/leaflet.markercluster.js" in content
    assert "/static/js/map.js" in content


def test_geojson_has_the_filtered_events_of_the_date_range(client, museum):
    event_on(today() + timedelta(days=3), organisation=museum, title="In range")
    event_on(today() + timedelta(days=40), organisation=museum, title="Too late")
    event_on(today() + timedelta(days=3), organisation=factories.OrganisationFactory(region="Piemonte"),
             title="Elsewhere")

    response = client.get(GEOJSON, {"region": "Emilia-Romagna"})

    assert response["Content-Type"] == "application/geo+json"
    assert [feature["properties"]["name"] for feature in json.loads(response.content)["features"]] == ["In range"]


def test_geojson_leaves_out_network_only_events_for_outsiders(client, museum, network, outsider):
    event_on(today() + timedelta(days=3), organisation=museum, shared_with=[network], networks_only=True)
    client.force_login(outsider)

    assert json.loads(client.get(GEOJSON).content)["features"] == []


def test_geojson_of_many_occurrences_takes_few_queries(client, museum, django_assert_max_num_queries):
    for n in range(35):
        event_on(today() + timedelta(days=n % 25 + 1), organisation=museum, rrule="FREQ=WEEKLY;COUNT=2")

    with django_assert_max_num_queries(2):
        response = client.get(GEOJSON)

    assert len(json.loads(response.content)["features"]) == 35


def test_map_page_takes_few_queries(client, museum, django_assert_max_num_queries):
    for n in range(35):
        event_on(today() + timedelta(days=n % 25 + 1), organisation=museum)

    with django_assert_max_num_queries(6):
        assert client.get(MAP).status_code == 200


# --- What every browsing page shares ----------------------------------------------------------------------------


@pytest.mark.parametrize("url", [MONTH, WEEK, LIST, MAP])
def test_every_page_advertises_the_feeds_of_its_filters(client, url):
    content = content_of(client.get(url, {"region": "Emilia-Romagna", "free": "1"}))

    head = content[:content.index("</head>")]
    assert ('<link rel="alternate" type="text/calendar" title="This calendar as iCalendar" '
            'href="http://testserver/en/calendar/feed.ics?region=Emilia-Romagna&amp;free=1">') in head
    assert ('<link rel="alternate" type="application/rss+xml" title="This calendar as RSS" '
            'href="http://testserver/en/calendar/feed.rss?region=Emilia-Romagna&amp;free=1">') in head


@pytest.mark.parametrize("url", [MONTH, WEEK, LIST, MAP])
def test_every_page_shows_the_subscribe_links_of_its_filters(client, url):
    content = content_of(client.get(url, {"theme": "music"}))

    assert 'href="webcal://testserver/en/calendar/feed.ics?theme=music">Subscribe in your calendar app</a>' in content
    assert 'href="http://testserver/en/calendar/feed.ics?theme=music" type="text/calendar">' in content
    assert 'href="http://testserver/en/calendar/feed.rss?theme=music" type="application/rss+xml">' in content
    assert 'href="/en/calendar/widget/?theme=music">Widget for your website</a>' in content


def test_switching_view_keeps_the_filters(client):
    month = next_month()
    last = shift_month(month, 1) - timedelta(days=1)

    links = {link["name"]: link["url"] for link in client.get(
        MONTH, {"category": "workshop", "month": f"{month:%Y-%m}"}).context["views"]}

    assert links == {
        "month": f"/en/calendar/?category=workshop&month={month:%Y-%m}",
        "week": f"/en/calendar/week/?category=workshop&week={month}",
        "list": f"/en/calendar/list/?category=workshop&start={month}&end={last}",
        "map": f"/en/calendar/map/?category=workshop&start={month}&end={last}",
    }


def test_filter_form_works_live_with_htmx_and_without_javascript(client):
    content = content_of(client.get(LIST))

    assert '<form method="get" action="/en/calendar/list/" class="mb-4 js-calendar-filters" role="search"' in content
    assert 'hx-get="/en/calendar/list/" hx-target="#calendar-results" hx-select="#calendar-results"' in content
    assert 'hx-push-url="true"' in content
    assert '<button type="submit" class="btn btn-primary">Apply the filters</button>' in content


def test_filters_that_do_not_fit_are_explained(client):
    content = content_of(client.get(LIST, {"start": "2030-05-10", "end": "2030-05-01"}))

    assert "<li>To: The end date cannot be before the start date.</li>" in content


# --- An event's page -------------------------------------------------------------------------------------------


def test_event_page_says_when_in_the_events_time_zone(client, museum):
    day = next_month() + timedelta(days=2)
    new_york = ZoneInfo("America/New_York")
    event = factories.EventFactory(organisation=museum, title="Jazz", start=at(day, 10, new_york),
                                   end=at(day, 12, new_york), timezone="America/New_York")

    content = content_of(client.get(f"/en/calendar/events/{event.pk}/"))

    assert f'<time datetime="{at(day, 10, new_york).isoformat()}">' in content
    assert f"{date_format(day, 'DATE_FORMAT')}, 10 a.m.</time>–" in content
    assert "Times in the time zone America/New_York." in content


def test_event_page_shows_an_all_day_event_as_dates(client, museum):
    first = next_month() + timedelta(days=2)
    start = datetime.combine(first, time.min, tzinfo=ROME)
    event = factories.EventFactory(organisation=museum, start=start, end=start + timedelta(days=3), all_day=True)

    content = content_of(client.get(f"/en/calendar/events/{event.pk}/"))

    last = first + timedelta(days=2)
    assert (f'<time datetime="{first}">{date_format(first, "DATE_FORMAT")}</time> – '
            f'<time datetime="{last}">{date_format(last, "DATE_FORMAT")}</time>') in content
    assert "Times in the time zone" not in content


def test_event_page_says_the_recurrence_and_lists_the_next_dates_with_cancelled_ones(client, museum):
    day = next_month() + timedelta(days=(5 - next_month().weekday()) % 7)  # a Saturday
    event = event_on(day, organisation=museum, rrule="FREQ=WEEKLY;BYDAY=SA;COUNT=10")
    Occurrence.objects.filter(event=event, start=at(day + timedelta(days=7))).update(cancelled=True)

    response = client.get(f"/en/calendar/events/{event.pk}/")

    content = content_of(response)
    assert "<p class=\"mb-1\">Every week on Saturday, 10 times</p>" in content
    assert [occurrence.cancelled for occurrence, _span in response.context["upcoming"]][:3] == [False, True, False]
    assert len(response.context["upcoming"]) == 10
    assert re.search(r'<li class="calendar-cancelled">.*?<span class="badge bg-danger">Cancelled</span></li>',
                     content)


def test_event_page_shows_labels_in_the_users_language(client, museum):
    families = factories.ConceptFactory(notation="families", scheme=Concept.Scheme.AUDIENCE,
                                        labels={"en": "Families", "it": "Famiglie"})
    music = factories.ConceptFactory(notation="music", labels={"en": "Music", "it": "Musica"})
    event = event_on(next_month(), organisation=museum)
    event.audiences.set([families])
    event.themes.set([music])

    content = content_of(client.get(f"/it/calendar/events/{event.pk}/"))

    assert "<dd>Famiglie</dd>" in content
    assert "<dd>Musica</dd>" in content


def test_event_page_shows_the_practical_information(client, museum, network):
    partner = factories.OrganisationFactory(name="Teatro Comunale", slug="teatro-comunale")
    event = event_on(next_month(), organisation=museum, is_free=True, price="Donations welcome",
                     booking_url="https://tickets.example.org/jazz", accessibility="Step-free entrance.\nLoop.",
                     shared_with=[network])
    event.co_organisers.set([partner])

    content = content_of(client.get(f"/en/calendar/events/{event.pk}/"))

    assert '<a href="/en/organisations/museo-musica/">Museo della Musica</a>' in content
    assert "<dd>Free entry · Donations welcome</dd>" in content
    assert '<a href="https://tickets.example.org/jazz" rel="noopener nofollow">Book a place</a>' in content
    assert "<p>Step-free entrance.<br>Loop.</p>" in content
    assert '<a href="/en/organisations/teatro-comunale/">Teatro Comunale</a>' in content
    assert '<a href="/en/calendar/?network=musei-bologna">Rete dei musei di Bologna</a>' in content
    assert f'<a href="/en/calendar/events/{event.pk}.ics" type="text/calendar">Add to your calendar</a>' in content
    assert 'class="map map-small js-map"' in content


def test_event_page_never_links_a_booking_address_that_is_not_a_web_page(client, museum):
    event = event_on(next_month(), organisation=museum, booking_url="javascript:alert(1)")

    assert "javascript:" not in content_of(client.get(f"/en/calendar/events/{event.pk}/"))


def test_event_page_renders_the_description_as_safe_markdown(client, museum):
    event = event_on(next_month(), organisation=museum, description="A **great** night <script>alert(1)</script>")

    content = content_of(client.get(f"/en/calendar/events/{event.pk}/"))

    assert "<strong>great</strong>" in content
    assert "<script>alert(1)" not in content


def test_event_page_carries_schema_org_data(client, museum):
    event = event_on(next_month(), organisation=museum, title="Concerto </script> di Natale")

    content = content_of(client.get(f"/en/calendar/events/{event.pk}/"))

    text = re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.DOTALL).group(1)
    data = json.loads(text)
    assert (data["@type"], data["name"], data["url"]) == (
        "Event", "Concerto </script> di Natale", f"http://testserver/en/calendar/events/{event.pk}/")


@pytest.mark.parametrize(("actor", "sees_buttons"), [
    ("anonymous", False), ("outsider", False), ("org_member", False), ("network_member", False),
    ("org_editor", True), ("org_admin", True), ("operator", True),
], indirect=["actor"])
def test_event_page_offers_editing_to_editors_only(client, museum, network, actor, sees_buttons):
    event = event_on(next_month(), organisation=museum)
    as_actor(client, actor)

    content = content_of(client.get(f"/en/calendar/events/{event.pk}/"))

    assert (f'href="/en/calendar/events/{event.pk}/edit/"' in content) is sees_buttons
    assert (f'href="/en/calendar/events/{event.pk}/cancel/"' in content) is sees_buttons


def test_draft_page_offers_publishing_to_its_editor(client, museum, org_editor):
    event = event_on(next_month(), organisation=museum, draft=True)
    client.force_login(org_editor)

    content = content_of(client.get(f"/en/calendar/events/{event.pk}/"))

    assert f'<form method="post" action="/en/calendar/events/{event.pk}/publish/">' in content
    assert "Draft: not on the calendar yet" in content


@pytest.mark.parametrize(("actor", "status"), [
    ("anonymous", 404), ("outsider", 404), ("org_member", 404), ("network_member", 404),
    ("org_editor", 200), ("org_admin", 200), ("operator", 200),
], indirect=["actor"])
def test_draft_is_seen_only_by_its_editors(client, museum, network, actor, status):
    event = event_on(next_month(), organisation=museum, draft=True, shared_with=[network])
    as_actor(client, actor)

    assert client.get(f"/en/calendar/events/{event.pk}/").status_code == status


@pytest.mark.parametrize(("actor", "status"), [
    ("anonymous", 404), ("outsider", 404), ("org_member", 200), ("network_member", 200),
    ("org_editor", 200), ("org_admin", 200), ("operator", 200),
], indirect=["actor"])
def test_network_only_event_is_seen_only_by_its_networks_and_organisation(client, museum, network, actor, status):
    event = event_on(next_month(), organisation=museum, networks_only=True, shared_with=[network])
    as_actor(client, actor)

    assert client.get(f"/en/calendar/events/{event.pk}/").status_code == status


def test_cancelled_event_page_says_so(client, museum):
    event = event_on(next_month(), organisation=museum, cancelled=True)

    content = content_of(client.get(f"/en/calendar/events/{event.pk}/"))

    assert '<div class="alert alert-danger" role="status">This event has been cancelled.</div>' in content
    assert f'href="/en/calendar/events/{event.pk}/cancel/"' not in content


def test_event_page_of_many_occurrences_takes_few_queries(client, museum, network, org_editor,
                                                          django_assert_max_num_queries):
    event = event_on(today() + timedelta(days=1), organisation=museum, rrule="FREQ=DAILY;COUNT=40",
                     shared_with=[network])
    event.co_organisers.set(factories.OrganisationFactory.create_batch(3))
    client.force_login(org_editor)

    with django_assert_max_num_queries(16):
        response = client.get(f"/en/calendar/events/{event.pk}/")

    assert response.context["upcoming_total"] == 40
