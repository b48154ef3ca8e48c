"""The calendar API: reads with the pages' filters and visibility, every write's permission matrix and behaviour,
the clash check and the free-date finder with their bounds."""

import json
import math
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict
from django.utils import timezone
from ninja.responses import NinjaJSONEncoder

from sinergia.api.calendar.schemas import ClashOut
from sinergia.calendar.filters import EventFilterForm
from sinergia.calendar.models import Event
from sinergia.calendar.selectors import clash_labels, event_list
from sinergia.core.geo import EARTH_RADIUS_KM
from sinergia.core.models import Concept
from tests import factories
from tests.api.conftest import bearer

ACTORS = ("anonymous", "outsider", "org_member", "org_editor", "org_admin", "coordinator", "operator")
ROME = ZoneInfo("Europe/Rome")
LAT, LON = 44.4949, 11.3426  # where the factories put organisations


def matrix(*statuses: int) -> dict[str, int]:
    return dict(zip(ACTORS, statuses, strict=True))


def day(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


def at(days: int, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day(days), time(hour, minute), tzinfo=ROME)


def north(km: float) -> float:
    return LAT + math.degrees(km / EARTH_RADIUS_KM)


def send(client, method: str, url: str, user, body: dict | None = None):
    return getattr(client, method)(url, body or {}, content_type="application/json", **bearer(user))


def titles(response) -> list[str]:
    return [item["title"] for item in response.json()["items"]]


@pytest.fixture
def families(db):
    return factories.ConceptFactory(notation="families", scheme=Concept.Scheme.AUDIENCE,
                                    labels={"en": "Families", "it": "Famiglie"})


@pytest.fixture
def music(db):
    return factories.ConceptFactory(notation="music", scheme=Concept.Scheme.THEME, labels={"en": "Music"})


@pytest.fixture
def admitted(network, applicant):
    """The applicant organisation is an admitted member of the network."""
    return factories.MembershipFactory(network=network, organisation=applicant)


def event(organisation, title: str, days: int = 10, hours: tuple[int, int] = (15, 17), **kwargs) -> Event:
    kwargs.setdefault("start", at(days, hours[0]))
    kwargs.setdefault("end", at(days, hours[1]))
    return factories.EventFactory(organisation=organisation, title=title, **kwargs)


# --- Reads --------------------------------------------------------------------------------------------------------


@pytest.fixture
def calendar(applicant, network, families, music):
    """Events that differ by each filter, and one only the network's members see."""
    florence = factories.OrganisationFactory(name="Museo di Firenze", slug="museo-firenze", region="Toscana",
                                             province="Firenze")
    event(applicant, "Jazz night", days=5, category="performance").themes.add(music)
    event(applicant, "Family workshop", days=6, category="workshop", is_free=True).audiences.add(families)
    event(florence, "Florence tour", days=7)
    event(florence, "Weekly course", days=1, category="course", rrule="FREQ=WEEKLY;COUNT=5")
    event(network.founded_by, "Members' meeting", days=8, networks_only=True, shared_with=[network])
    event(applicant, "Draft", days=9, draft=True)


@pytest.mark.parametrize("query", [
    "", "q=jazz", "region=Toscana", "province=Bologna", "category=workshop", "audience=families", "theme=music",
    "free=true", "organisation=museo-firenze", f"start={day(6)}&end={day(7)}", f"start={day(14)}", "category=",
    "region=Toscana&category=course", "theme=no-such-theme",
])
def test_event_list_filters_are_the_pages(client, calendar, query):
    response = client.get(f"/api/calendar/events?{query}")
    filters = EventFilterForm(QueryDict(query.replace("free=true", "free=1"))).filters()
    assert titles(response) == [e.title for e in event_list(viewer=AnonymousUser(), filters=filters)]
    assert response.json()["count"] == event_list(viewer=AnonymousUser(), filters=filters).count()


def test_event_list_without_filters(client, calendar):
    assert titles(client.get("/api/calendar/events")) == [
        "Weekly course", "Jazz night", "Family workshop", "Florence tour"]


def test_event_list_shows_network_members_their_events(client, calendar, coordinator):
    response = client.get("/api/calendar/events?network=rete-dei-musei-del-po", **bearer(coordinator))
    assert titles(response) == ["Members' meeting"]


def test_event_list_with_a_bad_token_is_a_401(client, calendar):
    response = client.get("/api/calendar/events", HTTP_AUTHORIZATION="Bearer not-a-token")
    assert response.status_code == 401


def test_event_list_item(client, calendar):
    item = client.get("/api/calendar/events?q=florence").json()["items"][0]
    florence = Event.objects.get(title="Florence tour")
    start, end = datetime.fromisoformat(item.pop("start")), datetime.fromisoformat(item.pop("end"))
    assert (start, end) == (at(7, 15), at(7, 17))
    assert item == {
        "id": florence.pk, "url": f"http://testserver/en/calendar/events/{florence.pk}/", "title": "Florence tour",
        "organisation": {"slug": "museo-firenze", "name": "Museo di Firenze",
                         "url": "http://testserver/en/organisations/museo-firenze/"},
        "category": "guided_tour", "category_label": "Guided tour", "status": "published", "visibility": "public",
        "all_day": False, "timezone": "Europe/Rome", "rrule": "", "place_name": "Museo di Firenze", "locality": "",
        "province": "Firenze", "region": "Toscana", "country": "IT", "latitude": LAT, "longitude": LON,
        "is_free": False, "price": "",
    }


@pytest.mark.parametrize(("query", "detail"), [
    (f"start={day(10)}&end={day(1)}", "end: The end date cannot be before the start date."),
    (f"start={day(0)}&end={day(1200)}", "end: Choose a range of at most three years."),
])
def test_event_list_with_a_bad_range_is_a_422_in_words(client, calendar, query, detail):
    response = client.get(f"/api/calendar/events?{query}")
    assert (response.status_code, response.json()) == (422, {"detail": detail})


@pytest.mark.parametrize("query", ["category=picnic", "network=not%20a%20slug", "start=2026-13-01", "page_size=101",
                                   f"q={'x' * 201}"])
def test_event_list_with_bad_parameters_is_a_422(client, calendar, query):
    response = client.get(f"/api/calendar/events?{query}")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][0] == "query"


def test_event_list_queries_do_not_grow_with_rows(client, applicant, django_assert_max_num_queries):
    for index in range(30):
        event(applicant, f"Event {index}", days=index + 1)
    with django_assert_max_num_queries(2):
        response = client.get("/api/calendar/events?page_size=30")
    assert response.json()["count"] == 30


def test_event_list_paginates(client, applicant):
    for index in range(5):
        event(applicant, f"Event {index}", days=index + 1)
    first = client.get("/api/calendar/events?page_size=2").json()
    assert (first["count"], len(first["items"]), first["next"]) == (
        5, 2, "http://testserver/api/calendar/events?page_size=2&page=2")


def test_event_detail(client, network, applicant, admitted, families, music):
    partner = factories.OrganisationFactory(name="Partner", slug="partner")
    shown = event(applicant, "Concert", shared_with=[network], description="A **night** of jazz.")
    shown.audiences.add(families)
    shown.themes.add(music)
    shown.co_organisers.add(partner)
    data = client.get(f"/api/calendar/events/{shown.pk}").json()
    assert (data["title"], data["description"], data["audiences"], data["themes"]) == (
        "Concert", "A **night** of jazz.", [{"notation": "families", "label": "Families"}],
        [{"notation": "music", "label": "Music"}])
    assert [n["slug"] for n in data["networks"]] == ["rete-dei-musei-del-po"]
    assert [o["slug"] for o in data["co_organisers"]] == ["partner"]
    assert (data["venue"]["slug"], data["uid"], data["sequence"]) == (applicant.slug, shown.uid, 0)


def test_event_detail_labels_follow_the_language(client, applicant, families):
    shown = event(applicant, "Workshop")
    shown.audiences.add(families)
    data = client.get(f"/api/calendar/events/{shown.pk}?lang=it").json()
    assert (data["audiences"], data["url"]) == ([{"notation": "families", "label": "Famiglie"}],
                                                f"http://testserver/it/calendar/events/{shown.pk}/")


@pytest.mark.parametrize("actor", ACTORS)
def test_event_detail_of_a_draft_only_for_its_editors(client, actors, applicant, actor):
    draft = event(applicant, "Draft", draft=True)
    response = client.get(f"/api/calendar/events/{draft.pk}", **bearer(actors[actor]))
    assert response.status_code == matrix(404, 404, 404, 200, 200, 404, 200)[actor]


def test_event_detail_of_an_unknown_event_is_a_404(client, db):
    response = client.get("/api/calendar/events/987654")
    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})


def test_occurrence_list_lists_each_occurrence(client, calendar):
    response = client.get(f"/api/calendar/occurrences?q=weekly&start={day(0)}&end={day(40)}")
    assert [datetime.fromisoformat(item["start"]) for item in response.json()["items"]] == [
        at(1, 15), at(8, 15), at(15, 15), at(22, 15), at(29, 15)]
    assert response.json()["items"][0]["event"]["title"] == "Weekly course"


def test_occurrence_list_defaults_to_the_next_30_days(client, applicant):
    for days in (-1, 0, 30, 31):
        event(applicant, f"Day {days}", days=days, hours=(20, 21))
    items = client.get("/api/calendar/occurrences").json()["items"]
    assert [item["event"]["title"] for item in items] == ["Day 0", "Day 30"]


def test_occurrence_list_days_of_another_time_zone(client, applicant):
    event(applicant, "Late", start=at(3, 23, 30), end=at(4, 0, 30))
    tokyo = client.get(f"/api/calendar/occurrences?start={day(3)}&end={day(3)}&timezone=Asia/Tokyo").json()
    rome = client.get(f"/api/calendar/occurrences?start={day(3)}&end={day(3)}").json()
    assert (tokyo["count"], rome["count"]) == (0, 1)


def test_occurrence_list_of_an_unknown_time_zone_is_a_422(client, db):
    response = client.get("/api/calendar/occurrences?timezone=Mars/Olympus")
    assert (response.status_code, response.json()) == (
        422, {"detail": "Unknown time zone “Mars/Olympus”: choose one such as Europe/Rome."})


def test_occurrence_list_queries_do_not_grow_with_rows(client, applicant, django_assert_max_num_queries):
    event(applicant, "Daily", days=1, rrule="FREQ=DAILY;COUNT=30")
    with django_assert_max_num_queries(2):
        response = client.get(f"/api/calendar/occurrences?start={day(0)}&end={day(40)}&page_size=40")
    assert response.json()["count"] == 30


# --- Writes: permissions ------------------------------------------------------------------------------------------


def new_event(**overrides) -> dict:
    body = {"organisation": "museo-della-bonifica", "venue": "museo-della-bonifica", "title": "Guided tour of the pumps",
            "start": f"{day(20)}T10:00:00", "end": f"{day(20)}T12:00:00", "timezone": "Europe/Rome"}
    return {**body, **overrides}


@pytest.mark.parametrize("actor", ACTORS)
def test_create_permission_matrix(client, actors, applicant, actor):
    response = send(client, "post", "/api/calendar/events", actors[actor], new_event())
    expected = matrix(401, 403, 403, 201, 201, 403, 201)[actor]
    assert response.status_code == expected, response.content
    assert Event.objects.filter(organisation=applicant).count() == (1 if expected == 201 else 0)


@pytest.mark.parametrize("actor", ACTORS)
def test_update_permission_matrix(client, actors, applicant, actor):
    shown = event(applicant, "Before")
    response = send(client, "patch", f"/api/calendar/events/{shown.pk}", actors[actor], {"title": "After"})
    expected = matrix(401, 403, 403, 200, 200, 403, 200)[actor]
    assert response.status_code == expected, response.content
    shown.refresh_from_db()
    assert shown.title == ("After" if expected == 200 else "Before")


@pytest.mark.parametrize("actor", ACTORS)
def test_publish_permission_matrix(client, actors, applicant, actor):
    draft = event(applicant, "Draft", draft=True)
    response = send(client, "post", f"/api/calendar/events/{draft.pk}/publish", actors[actor])
    expected = matrix(401, 404, 404, 200, 200, 404, 200)[actor]
    assert response.status_code == expected, response.content
    draft.refresh_from_db()
    assert draft.status == ("published" if expected == 200 else "draft")


@pytest.mark.parametrize("actor", ACTORS)
def test_cancel_permission_matrix(client, actors, applicant, actor):
    shown = event(applicant, "On")
    response = send(client, "post", f"/api/calendar/events/{shown.pk}/cancel", actors[actor], {"reason": "Rain."})
    expected = matrix(401, 403, 403, 200, 200, 403, 200)[actor]
    assert response.status_code == expected, response.content
    shown.refresh_from_db()
    assert shown.status == ("cancelled" if expected == 200 else "published")


# --- Writes: behaviour --------------------------------------------------------------------------------------------


def test_create_resolves_slugs_and_notations(client, applicant, admitted, network, families, music, org_editor):
    factories.OrganisationFactory(name="Teatro comunale", slug="teatro", latitude=44.5, longitude=11.35,
                                  locality="Bologna")
    factories.OrganisationFactory(name="Partner", slug="partner")
    body = new_event(venue="teatro", audiences=["families"], themes=["music"], networks=[network.slug],
                     co_organisers=["partner"], category="performance", is_free=True)
    response = send(client, "post", "/api/calendar/events", org_editor, body)
    data = response.json()
    assert response.status_code == 201, data
    assert (data["status"], data["place_name"], data["latitude"]) == ("draft", "Teatro comunale", 44.5)
    assert ([a["notation"] for a in data["audiences"]], [t["notation"] for t in data["themes"]]) == (
        ["families"], ["music"])
    assert ([n["slug"] for n in data["networks"]], [o["slug"] for o in data["co_organisers"]]) == (
        [network.slug], ["partner"])
    assert (datetime.fromisoformat(data["start"]), datetime.fromisoformat(data["end"])) == (at(20, 10), at(20, 12))


def test_create_stores_the_venue(client, applicant, org_editor):
    factories.OrganisationFactory(name="Teatro comunale", slug="teatro")
    data = send(client, "post", "/api/calendar/events", org_editor, new_event(venue="teatro")).json()
    assert data["venue"]["slug"] == "teatro"


def test_create_an_all_day_event_with_dates(client, applicant, org_editor):
    body = new_event(start=str(day(20)), end=str(day(22)), all_day=True)
    data = send(client, "post", "/api/calendar/events", org_editor, body).json()
    midnight = datetime.combine(day(20), time.min, tzinfo=ROME)
    assert (datetime.fromisoformat(data["start"]), datetime.fromisoformat(data["end"]), data["all_day"]) == (
        midnight, midnight + timedelta(days=3), True)


def test_create_a_weekly_event_materialises_its_occurrences(client, applicant, org_editor):
    data = send(client, "post", "/api/calendar/events", org_editor,
                new_event(rrule="FREQ=WEEKLY;COUNT=4", publish=True)).json()
    assert Event.objects.get(pk=data["id"]).occurrences.count() == 4


@pytest.mark.parametrize(("overrides", "detail"), [
    ({"organisation": "no-such-museum"}, "There is no organisation “no-such-museum”."),
    ({"venue": "no-such-place"}, "There is no organisation “no-such-place”."),
    ({"co_organisers": ["partner-a", "partner-b"]}, "There are no organisations “partner-a”, “partner-b”."),
    ({"networks": ["no-such-network"]}, "There is no network “no-such-network”."),
    ({"audiences": ["aliens"]}, "The thesaurus has no audience “aliens”."),
    ({"themes": ["music", "cooking"]}, "The thesaurus has no themes “music”, “cooking”."),
    ({"audiences": ["music"]}, "The thesaurus has no audience “music”."),
])
def test_create_with_unknown_references_is_a_422_naming_them(client, applicant, org_editor, overrides, detail,
                                                             families):
    response = send(client, "post", "/api/calendar/events", org_editor, new_event(**overrides))
    assert (response.status_code, response.json()) == (422, {"detail": detail})
    assert not Event.objects.exists()


@pytest.mark.parametrize(("overrides", "detail"), [
    ({"end": f"{day(19)}T10:00:00"}, "end: The event ends before it starts."),
    ({"start": "9999-01-01T10:00:00", "end": None}, "start: The year must be between 1900 and 2100."),
    ({"start": str(day(20)), "end": str(day(21))},
     "start: Give a time as well as a date, or mark the event as all-day."),
    ({"timezone": "Mars/Olympus"}, "timezone: Unknown time zone “Mars/Olympus”: choose one such as Europe/Rome."),
    ({"rrule": "FREQ=SECONDLY"}, None),
])
def test_create_refused_by_the_service_is_a_400_naming_the_fields(client, applicant, org_editor, overrides, detail):
    response = send(client, "post", "/api/calendar/events", org_editor, new_event(**overrides))
    assert response.status_code == 400
    assert response.json()["detail"] == detail or (detail is None and response.json()["detail"].startswith("rrule: "))
    assert not Event.objects.exists()


def test_create_in_a_network_the_organisation_is_not_in_is_refused(client, applicant, network, org_editor):
    response = send(client, "post", "/api/calendar/events", org_editor, new_event(networks=[network.slug]))
    assert (response.status_code, response.json()) == (400, {"detail": (
        "networks: Museo della bonifica is not an admitted member of Rete dei musei del Po: share the event only "
        "with its networks.")})


@pytest.mark.parametrize("body", [{"title": "x" * 256}, {"start": "tomorrow"}, {"latitude": 91},
                                  {"audiences": ["a"] * 51}, {"visibility": "secret"}])
def test_create_with_malformed_fields_is_a_422(client, applicant, org_editor, body):
    response = send(client, "post", "/api/calendar/events", org_editor, new_event(**body))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][:2] == ["body", "payload"]


@pytest.fixture
def rival(db):
    """A museum next door with a published tour on day 20, 10:00–12:00."""
    neighbour = factories.OrganisationFactory(name="Museo accanto", slug="museo-accanto")
    return event(neighbour, "Tour next door", days=20, hours=(10, 12))


def test_create_published_on_a_strong_clash_is_a_409_and_creates_nothing(client, applicant, org_editor, rival):
    response = send(client, "post", "/api/calendar/events", org_editor, new_event(publish=True))
    data = response.json()
    assert response.status_code == 409
    assert data["detail"] == ("This event strongly clashes with 1 event already on the calendar: confirm to "
                              "publish it anyway.")
    assert [(c["title"], c["event_id"], c["strong"], c["overlap_minutes"]) for c in data["clashes"]] == [
        ("Tour next door", rival.pk, True, 120)]
    assert [r["code"] for r in data["clashes"][0]["reasons"]] == ["overlap", "near"]
    assert not Event.objects.filter(organisation=applicant).exists()


def test_create_published_with_confirmation_despite_a_clash(client, applicant, org_editor, rival):
    response = send(client, "post", "/api/calendar/events", org_editor, new_event(publish=True, confirm_clash=True))
    assert (response.status_code, response.json()["status"]) == (201, "published")


def test_publish_on_a_strong_clash_is_a_409_until_confirmed(client, applicant, org_editor, rival):
    draft = event(applicant, "Ours", days=20, hours=(10, 12), draft=True)
    refused = send(client, "post", f"/api/calendar/events/{draft.pk}/publish", org_editor)
    confirmed = send(client, "post", f"/api/calendar/events/{draft.pk}/publish", org_editor, {"confirm_clash": True})
    assert (refused.status_code, [c["title"] for c in refused.json()["clashes"]]) == (409, ["Tour next door"])
    assert (confirmed.status_code, confirmed.json()["status"]) == (200, "published")


def test_publish_clash_reasons_speak_the_requested_language(client, applicant, org_editor, rival):
    draft = event(applicant, "Ours", days=20, hours=(10, 12), draft=True)
    response = send(client, "post", f"/api/calendar/events/{draft.pk}/publish?lang=it", org_editor)
    assert response.json()["clashes"][0]["reasons"][0]["message"] == "Si sovrappone per 2 h"


def test_publish_a_published_event_is_refused(client, applicant, org_editor):
    shown = event(applicant, "On")
    response = send(client, "post", f"/api/calendar/events/{shown.pk}/publish", org_editor)
    assert (response.status_code, response.json()) == (
        400, {"detail": "Only drafts can be published; this event is published."})


def test_update_changes_only_the_fields_sent(client, applicant, org_editor, families):
    shown = event(applicant, "Before", description="Kept.", is_free=True)
    shown.audiences.add(families)
    response = send(client, "patch", f"/api/calendar/events/{shown.pk}", org_editor, {"title": "After"})
    data = response.json()
    assert (data["title"], data["description"], data["is_free"], data["sequence"]) == ("After", "Kept.", True, 1)
    assert [a["notation"] for a in data["audiences"]] == ["families"]
    assert datetime.fromisoformat(data["start"]) == at(10, 15)


def test_update_of_an_all_day_event_keeps_its_days(client, applicant, org_editor):
    midnight = datetime.combine(day(20), time.min, tzinfo=ROME)
    shown = event(applicant, "Fair", start=midnight, end=midnight + timedelta(days=2), all_day=True)
    data = send(client, "patch", f"/api/calendar/events/{shown.pk}", org_editor, {"price": "€5"}).json()
    assert (datetime.fromisoformat(data["start"]), datetime.fromisoformat(data["end"]), data["price"]) == (
        midnight, midnight + timedelta(days=2), "€5")


def test_update_to_another_venue_takes_its_place(client, applicant, org_editor):
    factories.OrganisationFactory(name="Teatro comunale", slug="teatro", latitude=44.5, longitude=11.35,
                                  province="Modena")
    shown = event(applicant, "Concert")
    data = send(client, "patch", f"/api/calendar/events/{shown.pk}", org_editor, {"venue": "teatro"}).json()
    assert (data["place_name"], data["province"], data["latitude"], data["longitude"]) == (
        "Teatro comunale", "Modena", 44.5, 11.35)


def test_update_moving_a_published_event_onto_a_clash_is_a_409(client, applicant, org_editor, rival):
    shown = event(applicant, "Ours", days=21)
    response = send(client, "patch", f"/api/calendar/events/{shown.pk}", org_editor,
                    {"start": f"{day(20)}T10:00:00", "end": f"{day(20)}T12:00:00"})
    shown.refresh_from_db()
    assert (response.status_code, shown.start) == (409, at(21, 15))


def test_update_of_a_cancelled_event_is_refused(client, applicant, org_editor):
    shown = event(applicant, "Off", cancelled=True)
    response = send(client, "patch", f"/api/calendar/events/{shown.pk}", org_editor, {"title": "On again"})
    assert (response.status_code, response.json()) == (
        400, {"detail": "A cancelled event cannot be changed; create a new event instead."})


def test_cancel_marks_the_occurrences(client, applicant, org_editor):
    weekly = event(applicant, "Weekly", rrule="FREQ=WEEKLY;COUNT=3")
    response = send(client, "post", f"/api/calendar/events/{weekly.pk}/cancel", org_editor, {"reason": "Works."})
    assert (response.json()["status"], set(weekly.occurrences.values_list("cancelled", flat=True))) == (
        "cancelled", {True})


def test_cancel_twice_is_refused(client, applicant, org_editor):
    shown = event(applicant, "Off", cancelled=True)
    response = send(client, "post", f"/api/calendar/events/{shown.pk}/cancel", org_editor)
    assert (response.status_code, response.json()) == (400, {"detail": "This event is already cancelled."})


# --- Clash check --------------------------------------------------------------------------------------------------


def check(**overrides) -> dict:
    return {"start": f"{day(20)}T10:30:00", "end": f"{day(20)}T12:00:00", "latitude": LAT, "longitude": LON,
            **overrides}


def test_clash_check_lists_the_clashes_with_reasons(client, rival, outsider):
    response = send(client, "post", "/api/calendar/clash-check", outsider, check())
    [clash] = response.json()
    assert (clash["title"], clash["event_id"], clash["overlap_minutes"], clash["distance_km"]) == (
        "Tour next door", rival.pk, 90, 0.0)
    assert clash["url"] == f"http://testserver/en/calendar/events/{rival.pk}/"
    assert [(r["code"], r["message"]) for r in clash["reasons"]] == [
        ("overlap", "Overlaps by 1 h 30 min"), ("near", "0 m away")]


def test_clash_check_needs_a_token(client, rival):
    response = send(client, "post", "/api/calendar/clash-check", None, check())
    assert response.status_code == 401


def test_clash_check_takes_the_radius_and_the_buffer(client, outsider):
    far = factories.OrganisationFactory(latitude=north(40), longitude=LON)
    event(far, "Far, later", days=20, hours=(13, 14))
    narrow = send(client, "post", "/api/calendar/clash-check", outsider, check())
    wide = send(client, "post", "/api/calendar/clash-check", outsider, check(radius_km=50, buffer_minutes=90))
    assert ([c["title"] for c in narrow.json()], [c["title"] for c in wide.json()]) == ([], ["Far, later"])


def test_clash_check_of_a_weekly_plan_from_a_venue(client, outsider, applicant):
    event(factories.OrganisationFactory(), "Third week", days=34, hours=(10, 12))
    body = check(latitude=None, longitude=None, venue=applicant.slug, rrule="FREQ=WEEKLY;COUNT=4")
    response = send(client, "post", "/api/calendar/clash-check", outsider, body)
    assert [c["title"] for c in response.json()] == ["Third week"]


def test_clash_check_of_an_all_day_plan(client, outsider, rival):
    body = check(start=str(day(20)), end=str(day(20)), all_day=True)
    assert [c["title"] for c in send(client, "post", "/api/calendar/clash-check", outsider, body).json()] == [
        "Tour next door"]


def test_clash_check_through_a_shared_network(client, coordinator, network):
    far = factories.OrganisationFactory(latitude=north(300), longitude=LON)
    event(far, "Far but shared", days=20, hours=(10, 12), shared_with=[network])
    body = check(latitude=None, longitude=None, networks=[network.slug])
    assert [c["title"] for c in send(client, "post", "/api/calendar/clash-check", coordinator, body).json()] == [
        "Far but shared"]


@pytest.mark.parametrize("clashes", [1, 15])
def test_clash_check_queries_do_not_grow_with_the_clashes(client, applicant, coordinator, network, families, music,
                                                           clashes, django_assert_max_num_queries):
    for index in range(clashes):
        place = factories.OrganisationFactory(latitude=north(index * 20), longitude=LON)
        shared = event(place, f"Clash {index}", days=20, hours=(10, 12), shared_with=[network])
        shared.audiences.add(families)
        shared.themes.add(music)
    body = check(networks=[network.slug], audiences=["families"], themes=["music"], organisation=applicant.slug)
    token = bearer(coordinator)
    clash_labels(language="en")  # cached for a few minutes: a running server reads them once in a while
    # The token's user and the token's last use; the network, audience, theme and organisation named (one query);
    # the viewer's networks; the candidates with their events, concepts and networks (one statement).
    with django_assert_max_num_queries(5):
        response = client.post("/api/calendar/clash-check", body, content_type="application/json", **token)
    assert len(response.json()) == clashes


def test_clash_check_answers_in_the_clash_schema(client, coordinator, network, families):
    """The answer, written without ninja's check of the response, has exactly the fields and types of ClashOut."""
    shared = event(factories.OrganisationFactory(latitude=north(2), longitude=LON), "Shared", days=20,
                   hours=(10, 12), shared_with=[network])
    shared.audiences.add(families)
    body = check(networks=[network.slug], audiences=["families"])
    response = send(client, "post", "/api/calendar/clash-check", coordinator, body)
    checked = [ClashOut.model_validate(item).model_dump() for item in response.json()]
    assert ([item["title"] for item in checked], response.content.decode()) == (
        ["Shared"], json.dumps(checked, cls=NinjaJSONEncoder))


def test_clash_check_leaves_out_the_event_being_changed(client, outsider, rival):
    response = send(client, "post", "/api/calendar/clash-check", outsider, check(event=rival.pk))
    assert response.json() == []


@pytest.mark.parametrize(("overrides", "field"), [
    ({"radius_km": 0.5}, "radius_km"), ({"radius_km": 501}, "radius_km"), ({"buffer_minutes": 1441}, "buffer_minutes"),
    ({"buffer_minutes": -1}, "buffer_minutes"), ({"limit": 101}, "limit"), ({"latitude": 90.5}, "latitude"),
    ({"networks": ["n"] * 51}, "networks"),
])
def test_clash_check_bounds_its_input(client, outsider, overrides, field):
    response = send(client, "post", "/api/calendar/clash-check", outsider, check(**overrides))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", field]


@pytest.mark.parametrize(("overrides", "detail"), [
    ({"latitude": None, "longitude": None},
     "Give the place (latitude and longitude, or a venue) or the networks to check."),
    ({"longitude": None}, "Give both the latitude and the longitude of a place, or neither."),
    ({"all_day": True}, "Give dates (YYYY-MM-DD) for an all-day event, and dates with a time otherwise."),
    ({"start": str(day(20))}, "Give dates (YYYY-MM-DD) for an all-day event, and dates with a time otherwise."),
    ({"end": f"{day(19)}T10:00:00"}, "The end is before the start."),
    ({"start": "2999-01-01T10:00:00", "end": None}, "The year must be between 1900 and 2100."),
    ({"timezone": "Mars/Olympus"}, "Unknown time zone “Mars/Olympus”: choose one such as Europe/Rome."),
    ({"networks": ["no-such-network"]}, "There is no network “no-such-network”."),
    ({"audiences": ["aliens"]}, "The thesaurus has no audience “aliens”."),
    ({"venue": "no-such-place", "latitude": None, "longitude": None}, "There is no organisation “no-such-place”."),
])
def test_clash_check_refuses_a_plan_it_cannot_check(client, outsider, overrides, detail):
    response = send(client, "post", "/api/calendar/clash-check", outsider, check(**overrides))
    assert (response.status_code, response.json()) == (422, {"detail": detail})


def test_clash_check_of_a_venue_without_coordinates_is_a_422(client, outsider):
    factories.OrganisationFactory(name="Archivio", slug="archivio", latitude=None, longitude=None)
    response = send(client, "post", "/api/calendar/clash-check", outsider,
                    check(latitude=None, longitude=None, venue="archivio"))
    assert (response.status_code, response.json()) == (
        422, {"detail": "Archivio has no coordinates on the map: give latitude and longitude."})


def test_clash_check_of_an_unreadable_rule_is_a_422(client, outsider):
    response = send(client, "post", "/api/calendar/clash-check", outsider, check(rrule="FREQ=SECONDLY"))
    assert response.status_code == 422
    assert response.json()["detail"]


# --- Free dates ---------------------------------------------------------------------------------------------------


def free(query: str = "", first: int = 10, last: int = 14) -> str:
    return f"/api/calendar/free-dates?start={day(first)}&end={day(last)}&latitude={LAT}&longitude={LON}{query}"


def test_free_dates_count_each_day_and_suggest_the_quietest(client, applicant, families):
    for days in (10, 11, 11, 12, 13):
        event(applicant, f"Day {days}", days=days)
    event(applicant, "For families", days=14).audiences.add(families)
    data = client.get(free()).json()
    assert [(entry["day"], entry["count"], entry["level"]) for entry in data["days"]] == [
        (str(day(10)), 1, 2), (str(day(11)), 2, 4), (str(day(12)), 1, 2), (str(day(13)), 1, 2),
        (str(day(14)), 1, 2)]
    assert (data["quietest"][:2], data["max_count"]) == ([str(day(10)), str(day(12))], 2)
    assert [e["count"] for e in client.get(free("&audience=families")).json()["days"]] == [0, 0, 0, 0, 1]


def test_free_dates_around_an_organisation(client, applicant):
    event(applicant, "Here", days=10)
    url = f"/api/calendar/free-dates?start={day(10)}&end={day(10)}&organisation={applicant.slug}"
    assert client.get(url).json()["max_count"] == 1


def test_free_dates_show_members_their_network_events(client, network, coordinator):
    event(network.founded_by, "Members only", days=10, networks_only=True, shared_with=[network])
    anonymous, member = client.get(free()).json(), client.get(free(), **bearer(coordinator)).json()
    assert (anonymous["max_count"], member["max_count"]) == (0, 1)


@pytest.mark.parametrize(("query", "detail"), [
    (free(first=0, last=366), "end: Choose at most 366 days."),
    (free(first=10, last=9), "end: The last day cannot be before the first day."),
    (f"/api/calendar/free-dates?start={day(1)}&end={day(2)}", "Give the place: latitude and longitude, or an "
                                                              "organisation."),
    (free("&timezone=Mars/Olympus"), "Unknown time zone “Mars/Olympus”: choose one such as Europe/Rome."),
    (free("&theme=cooking"), "The thesaurus has no theme “cooking”."),
    (free("&network=nowhere"), "There is no network “nowhere”."),
])
def test_free_dates_refuse_what_they_cannot_answer(client, db, query, detail):
    response = client.get(query)
    assert (response.status_code, response.json()) == (422, {"detail": detail})


@pytest.mark.parametrize("query", ["&radius_km=0", "&radius_km=501", "&latitude=91"])
def test_free_dates_bound_the_radius_and_the_place(client, db, query):
    response = client.get(free(query))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][0] == "query"


def test_free_dates_accept_366_days(client, db):
    assert len(client.get(free(first=0, last=365)).json()["days"]) == 366
