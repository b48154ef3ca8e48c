"""Feed views: .ics of an event and of any filter, the private feed and its reset, RSS, the widget and embedding."""

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.test import Client
from django.urls import reverse

from sinergia.calendar.models import Event, FeedToken
from sinergia.calendar.services import feed_token_for
from tests import factories
from tests.factories import person

ROME = ZoneInfo("Europe/Rome")

pytestmark = pytest.mark.django_db


def days_from_now(days: int) -> datetime:
    return (datetime.now(ROME) + timedelta(days=days)).replace(hour=15, minute=0, second=0, microsecond=0)


def make_event(**kwargs) -> Event:
    kwargs.setdefault("start", days_from_now(10))
    kwargs.setdefault("end", kwargs["start"] + timedelta(hours=2))
    return factories.EventFactory(**kwargs)


def titles(response) -> list[str]:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return sorted(str(c["SUMMARY"]) for c in icalendar.Calendar.from_ical(data).walk("VEVENT"))


@pytest.fixture
def network_member(db):
    """A member of an organisation admitted to a network, and that network."""
    organisation = factories.OrganisationFactory()
    network = factories.NetworkFactory(slug="rete-del-po")
    factories.MembershipFactory(network=network, organisation=organisation)
    return person(organisation, "member", "member@museo.example.org"), network


# --- feed.ics ------------------------------------------------------------------------------------------------------


def test_feed_is_streamed_icalendar_shown_inline(client):
    make_event(title="Visita")
    response = client.get(reverse("calendar:feed_ics"))
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'inline; filename="sinergia-calendar.ics"'
    assert titles(response) == ["Visita"]


def test_feed_answers_head_requests_of_calendar_apps(client):
    response = client.head(reverse("calendar:feed_ics"))
    assert (response.status_code, response["Content-Type"]) == (200, "text/calendar; charset=utf-8")


def test_feed_shows_public_events_only_even_to_members(client, network_member):
    user, network = network_member
    make_event(title="Public")
    make_event(title="Members only", networks_only=True, shared_with=[network])
    make_event(title="Draft", draft=True)
    client.force_login(user)
    assert titles(client.get(reverse("calendar:feed_ics"))) == ["Public"]


def test_feed_applies_the_filters_of_the_query(client):
    make_event(title="Workshop", category=Event.Category.WORKSHOP)
    make_event(title="Tour", category=Event.Category.GUIDED_TOUR)
    assert titles(client.get(reverse("calendar:feed_ics"), {"category": "workshop"})) == ["Workshop"]


def test_feed_starts_thirty_days_ago_by_default(client):
    make_event(title="Last week", start=days_from_now(-7))
    make_event(title="Two months ago", start=days_from_now(-60))
    assert titles(client.get(reverse("calendar:feed_ics"))) == ["Last week"]


def test_feed_with_dates_shows_that_range(client):
    make_event(title="Two months ago", start=days_from_now(-60))
    make_event(title="Next week", start=days_from_now(7))
    start = (datetime.now(ROME) - timedelta(days=70)).date().isoformat()
    end = (datetime.now(ROME) - timedelta(days=50)).date().isoformat()
    assert titles(client.get(reverse("calendar:feed_ics"), {"start": start, "end": end})) == ["Two months ago"]


def test_invalid_filters_are_a_400_in_plain_text(client):
    response = client.get(reverse("calendar:feed_ics"), {"start": "2026-05-10", "end": "2026-05-01",
                                                         "category": "nonsense"})
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "Category: Select a valid choice. nonsense is not one of the available choices." in text
    assert "To: The end date cannot be before the start date." in text


def test_feed_searched_with_a_new_line_is_still_a_calendar(client):
    make_event(title="Visita")
    assert titles(client.get(reverse("calendar:feed_ics"), {"q": "Visita\nguidata"})) == []


def test_feed_of_fifty_events_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    theme = factories.ConceptFactory()
    for _n in range(50):
        make_event(weekly=True).themes.set([theme])
    with django_assert_max_num_queries(4):
        response = client.get(reverse("calendar:feed_ics"))
        data = b"".join(response.streaming_content)
    assert data.count(b"BEGIN:VEVENT") == 50


def test_feed_may_be_cached_by_anyone(client):
    assert client.get(reverse("calendar:feed_ics"))["Cache-Control"] == "public, max-age=900"


# --- events/<pk>.ics -----------------------------------------------------------------------------------------------


def test_event_ics_is_one_event_shown_inline(client):
    event = make_event(title="Notte dei musei")
    response = client.get(reverse("calendar:event_ics", args=[event.pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'inline; filename="sinergia-event-{event.pk}.ics"'
    assert titles(response) == ["Notte dei musei"]


def test_event_ics_of_a_network_only_event_is_404_for_outsiders(client, outsider, network_member):
    _user, network = network_member
    event = make_event(networks_only=True, shared_with=[network])
    client.force_login(outsider)
    assert client.get(reverse("calendar:event_ics", args=[event.pk])).status_code == 404


def test_event_ics_of_a_network_only_event_is_private_for_members(client, network_member):
    user, network = network_member
    event = make_event(networks_only=True, shared_with=[network])
    client.force_login(user)
    response = client.get(reverse("calendar:event_ics", args=[event.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, max-age=900"


def test_event_ics_of_a_draft_is_404_for_anonymous(client):
    event = make_event(draft=True)
    assert client.get(reverse("calendar:event_ics", args=[event.pk])).status_code == 404


# --- private/<token>.ics -------------------------------------------------------------------------------------------


def private_url(user) -> str:
    return reverse("calendar:private_feed_ics", args=[feed_token_for(user=user).token])


def test_private_feed_shows_the_networks_events_of_its_owner(client, network_member):
    user, network = network_member
    make_event(title="Public")
    make_event(title="Members only", networks_only=True, shared_with=[network])
    make_event(title="Other network", networks_only=True, shared_with=[factories.NetworkFactory()])
    response = client.get(private_url(user))
    assert titles(response) == ["Members only", "Public"]
    assert response["Content-Disposition"] == 'inline; filename="sinergia-private.ics"'


def test_private_feed_leaves_out_drafts_of_its_owner(client):
    organisation = factories.OrganisationFactory()
    editor = person(organisation, "editor", "editor@museo.example.org")
    make_event(title="Draft", organisation=organisation, draft=True)
    assert titles(client.get(private_url(editor))) == []


def test_private_feed_applies_the_filters(client, network_member):
    user, network = network_member
    make_event(title="Members only", networks_only=True, shared_with=[network])
    make_event(title="Public")
    assert titles(client.get(private_url(user), {"network": "rete-del-po"})) == ["Members only"]


def test_private_feed_is_not_for_caches_nor_search_engines(client, network_member):
    response = client.get(private_url(network_member[0]))
    assert response["Cache-Control"] == "private, max-age=900"
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_unknown_token_is_404(client):
    assert client.get(reverse("calendar:private_feed_ics", args=["not-a-token"])).status_code == 404


def test_token_of_an_inactive_user_is_404(client, outsider):
    url = private_url(outsider)
    outsider.is_active = False
    outsider.save()
    assert client.get(url).status_code == 404


# --- feed.rss ------------------------------------------------------------------------------------------------------


def test_rss_lists_the_next_public_occurrences(client):
    make_event(title="Laboratorio", rrule="FREQ=WEEKLY;COUNT=3")
    make_event(title="Past", start=days_from_now(-3))
    make_event(title="Members only", networks_only=True)
    response = client.get(reverse("calendar:feed_rss"))
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    items = ET.fromstring(response.content).iter("item")
    assert [item.findtext("title").split(" · ")[0] for item in items] == ["Laboratorio"] * 3


def test_rss_applies_the_filters(client):
    make_event(title="Free", is_free=True)
    make_event(title="Paid")
    root = ET.fromstring(client.get(reverse("calendar:feed_rss"), {"free": "1"}).content)
    assert [item.findtext("title").split(" · ")[0] for item in root.iter("item")] == ["Free"]


def test_rss_links_back_to_the_list_of_the_same_filters(client):
    root = ET.fromstring(client.get(reverse("calendar:feed_rss"), {"region": "Emilia-Romagna"}).content)
    assert root.find("channel").findtext("link") == "http://testserver/en/calendar/list/?region=Emilia-Romagna"


def test_rss_with_invalid_filters_is_400(client):
    assert client.get(reverse("calendar:feed_rss"), {"start": "yesterday"}).status_code == 400


def test_rss_of_fifty_events_runs_one_query(client, django_assert_max_num_queries):
    for _n in range(50):
        make_event()
    with django_assert_max_num_queries(1):
        response = client.get(reverse("calendar:feed_rss"))
    assert len(list(ET.fromstring(response.content).iter("item"))) == 50


# --- widget and embed ----------------------------------------------------------------------------------------------


def test_widget_may_be_framed_by_other_sites(client):
    response = client.get(reverse("calendar:widget"))
    assert response.status_code == 200
    assert "X-Frame-Options" not in response


def test_other_pages_may_not_be_framed(client):
    assert client.get(reverse("calendar:embed"))["X-Frame-Options"] == "DENY"


def test_widget_lists_the_next_events_of_the_filters(client):
    make_event(title="Concerto d'estate", category=Event.Category.PERFORMANCE)
    make_event(title="Visita guidata")
    response = client.get(reverse("calendar:widget"), {"category": "performance"})
    assert [occurrence.event.title for occurrence in
            (item["occurrence"] for item in response.context["items"])] == ["Concerto d'estate"]
    assert "it-header-wrapper" not in response.content.decode()


def test_widget_marks_cancelled_events(client):
    make_event(status=Event.Status.CANCELLED)
    assert '<span class="badge bg-danger me-1">Cancelled</span>' in client.get(reverse("calendar:widget")).content.decode()


def test_widget_shows_at_most_the_limit_asked(client):
    make_event(rrule="FREQ=DAILY;COUNT=80")
    assert len(client.get(reverse("calendar:widget"), {"limit": "3"}).context["items"]) == 3
    assert len(client.get(reverse("calendar:widget"), {"limit": "500"}).context["items"]) == 50
    assert len(client.get(reverse("calendar:widget"), {"limit": "x"}).context["items"]) == 10


def test_widget_of_thirty_events_runs_one_query(client, django_assert_max_num_queries):
    for _n in range(30):
        make_event()
    with django_assert_max_num_queries(1):
        response = client.get(reverse("calendar:widget"), {"limit": "30"})
    assert len(response.context["items"]) == 30


def test_embed_shows_the_snippet_and_the_links_of_the_filters(client):
    response = client.get(reverse("calendar:embed"), {"region": "Emilia-Romagna"})
    html = response.content.decode()
    assert response.status_code == 200
    assert ("&lt;iframe src=&quot;http://testserver/en/calendar/widget/?region=Emilia-Romagna&quot; title=&quot;"
            "Sinergia · Emilia-Romagna&quot;") in html
    assert 'href="webcal://testserver/en/calendar/feed.ics?region=Emilia-Romagna"' in html
    assert 'value="http://testserver/en/calendar/feed.ics?region=Emilia-Romagna"' in html
    assert 'href="http://testserver/en/calendar/feed.rss?region=Emilia-Romagna"' in html


def test_embed_with_invalid_filters_explains_them(client):
    response = client.get(reverse("calendar:embed"), {"start": "someday"})
    assert response.status_code == 400
    assert "From: Enter a valid date." in response.content.decode()


# --- subscriptions and token reset ---------------------------------------------------------------------------------


def test_subscriptions_need_a_signed_in_user(client):
    response = client.get(reverse("calendar:subscriptions"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_subscriptions_show_the_private_address(client, network_member):
    user, _network = network_member
    client.force_login(user)
    html = client.get(reverse("calendar:subscriptions")).content.decode()
    token = FeedToken.objects.get(user=user).token
    assert f'href="webcal://testserver/en/calendar/private/{token}.ics"' in html
    assert f'value="http://testserver/en/calendar/private/{token}.ics?network=rete-del-po"' in html


def test_reset_needs_a_post(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("calendar:token_reset")).status_code == 405


def test_reset_needs_the_csrf_token(outsider):
    client = Client(enforce_csrf_checks=True)
    client.force_login(outsider)
    assert client.post(reverse("calendar:token_reset")).status_code == 403


def test_reset_of_anonymous_goes_to_sign_in(client):
    response = client.post(reverse("calendar:token_reset"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_reset_makes_the_old_address_stop_working(client, outsider):
    old = private_url(outsider)
    client.force_login(outsider)
    response = client.post(reverse("calendar:token_reset"))
    assert response["Location"] == reverse("calendar:subscriptions")
    assert client.get(old).status_code == 404
    assert client.get(private_url(outsider)).status_code == 200


@pytest.mark.parametrize("role", ["outsider", "member", "editor", "admin", "network member", "operator"])
def test_reset_changes_only_the_users_own_token(client, role, operator, outsider, network_member):
    organisation = factories.OrganisationFactory()
    users = {"outsider": outsider, "operator": operator, "network member": network_member[0],
             **{name: person(organisation, name, f"{name}@altro.example.org") for name in ("member", "editor",
                                                                                         "admin")}}
    before = {name: feed_token_for(user=user).token for name, user in users.items()}
    client.force_login(users[role])
    client.post(reverse("calendar:token_reset"))
    after = {name: FeedToken.objects.get(user=user).token for name, user in users.items()}
    assert {name for name in users if before[name] != after[name]} == {role}
