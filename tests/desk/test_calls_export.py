"""Deadlines as iCalendar: one call, the list's filters, the private feed; every feed parses back."""

import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sinergia.calendar.services import feed_token_reset
from sinergia.desk.views.calls import private_feed_path
from tests import factories
from tests.factories import FundingCallFactory

pytestmark = pytest.mark.django_db


def _get(path: str, params: dict | None = None) -> icalendar.Calendar:
    response = Client(headers={"accept-language": "en"}).get(path, params or {})
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def _events(calendar: icalendar.Calendar) -> list[icalendar.Event]:
    return list(calendar.walk("VEVENT"))


def test_call_ics_round_trips_with_zone_uid_and_alarm(settings):
    settings.SITE_URL = "https://sinergia.example.org"
    deadline = datetime.datetime(2031, 5, 30, 17, 0, tzinfo=ZoneInfo("Europe/Brussels"))
    call = FundingCallFactory(title="Creative Europe", deadline=deadline, time_zone="Europe/Brussels")
    calendar = _get(reverse("desk:call_ics", args=[call.pk]))
    [event] = _events(calendar)
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert (str(event["uid"]), str(event["summary"]), end, end - start, str(end.tzinfo)) == (
        f"call-{call.pk}@sinergia.example.org", "Deadline: Creative Europe", deadline,
        datetime.timedelta(minutes=30), "Europe/Brussels")
    assert ([str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE")], str(event["url"]),
            len(event.walk("VALARM"))) == (["Europe/Brussels"], f"http://testserver/en/desk/calls/{call.pk}/", 1)


def test_call_ics_description_is_plain_text():
    call = FundingCallFactory(summary="<script>x()</script>**Bold** text", funder="Fondazione")
    [event] = _events(_get(reverse("desk:call_ics", args=[call.pk])))
    description = str(event["description"])
    assert ("Funder: Fondazione" in description, "Bold text" in description, "<script>" in description) == (
        True, True, False)


def test_deadlines_feed_has_only_published_calls_with_filters():
    shown = FundingCallFactory(title="Bando archivi", eligible_kinds=["archive"])
    FundingCallFactory(title="Bando musei", eligible_kinds=["museum"])
    FundingCallFactory(title="Bozza", draft=True)
    events = _events(_get(reverse("desk:call_deadlines_ics"), {"kind": "archive"}))
    assert [str(event["uid"]).split("@")[0] for event in events] == [f"call-{shown.pk}"]


def test_deadlines_feed_keeps_recently_closed_calls():
    recent = FundingCallFactory(deadline=timezone.now() - datetime.timedelta(days=5))
    FundingCallFactory(deadline=timezone.now() - datetime.timedelta(days=60))
    assert [str(e["uid"]).split("@")[0] for e in _events(_get(reverse("desk:call_deadlines_ics")))] == [
        f"call-{recent.pk}"]


def test_deadlines_feed_query_count_bounded(django_assert_max_num_queries):
    topic = factories.ConceptFactory(scheme="topic", notation="heritage")
    for _ in range(30):
        FundingCallFactory(topics=[topic])
    client = Client()
    with django_assert_max_num_queries(4):
        response = client.get(reverse("desk:call_deadlines_ics"))
    assert len(_events(icalendar.Calendar.from_ical(response.content))) == 30


def test_private_feed_has_calls_the_owners_organisations_may_apply_to(outsider):
    factories.OrganisationMemberFactory(user=outsider, organisation__kind="archive")
    mine = FundingCallFactory(eligible_kinds=["archive"])
    FundingCallFactory(eligible_kinds=["museum"])
    events = _events(_get(private_feed_path(outsider)))
    assert [str(e["uid"]).split("@")[0] for e in events] == [f"call-{mine.pk}"]


def test_private_feed_token_reset_stops_the_old_address(outsider):
    path = private_feed_path(outsider)
    feed_token_reset(user=outsider)
    assert Client().get(path).status_code == 404


def test_private_feed_forged_token_not_found(db):
    assert Client().get(reverse("desk:call_private_ics", kwargs={"token": "WzEsIngiXQ:forged"})).status_code == 404


def test_call_ics_of_a_draft_hidden_from_anonymous(db):
    call = FundingCallFactory(draft=True)
    assert Client().get(reverse("desk:call_ics", args=[call.pk])).status_code == 404
