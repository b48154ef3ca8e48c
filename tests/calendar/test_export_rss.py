"""The RSS 2.0 export: one item per occurrence, bounded, with links, stable identifiers and safe descriptions."""

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sinergia.calendar.export.rss import occurrences_rss
from sinergia.calendar.models import Event, Occurrence
from tests import factories

ROME = ZoneInfo("Europe/Rome")
BASE = "https://sinergia.example.org"

pytestmark = pytest.mark.django_db


def start_next_month() -> datetime:
    now = datetime.now(ROME)
    return (now + timedelta(days=30)).replace(hour=15, minute=0, second=0, microsecond=0)


def make_event(**kwargs) -> Event:
    kwargs.setdefault("start", start_next_month())
    kwargs.setdefault("end", kwargs["start"] + timedelta(hours=2))
    return factories.EventFactory(**kwargs)


def occurrences():
    return Occurrence.objects.select_related("event", "event__organisation").order_by("start", "id")


def rss(items=None) -> ET.Element:
    data = occurrences_rss(occurrences=occurrences() if items is None else items, title="Sinergia · Bologna",
                           link=f"{BASE}/en/calendar/list/", description="What is on.",
                           feed_url=f"{BASE}/en/calendar/feed.rss", base_url=BASE, language="en")
    return ET.fromstring(data)


def test_feed_is_rss_2_with_its_channel():
    channel = rss().find("channel")
    assert rss().attrib["version"] == "2.0"
    assert [channel.findtext(tag) for tag in ("title", "link", "description", "language")] == [
        "Sinergia · Bologna", f"{BASE}/en/calendar/list/", "What is on.", "en"]


def test_one_item_per_occurrence():
    make_event(title="Laboratorio", rrule="FREQ=WEEKLY;COUNT=3")
    titles = [item.findtext("title") for item in rss().iter("item")]
    assert len(titles) == 3
    assert all(title.startswith("Laboratorio · ") for title in titles)


def test_item_title_shows_the_local_date_and_time():
    year = datetime.now(ROME).year + 1
    make_event(title="Visita", start=datetime(year, 5, 16, 15, 0, tzinfo=ROME))
    (item,) = rss().iter("item")
    assert item.findtext("title") == f"Visita · May 16, {year}, 3 p.m."


def test_item_links_to_the_event_page():
    event = make_event()
    (item,) = rss().iter("item")
    assert item.findtext("link") == f"{BASE}/en/calendar/events/{event.pk}/"


def test_guid_names_the_occurrence_and_is_not_a_permalink():
    event = make_event(rrule="FREQ=DAILY;COUNT=2")
    guids = [item.find("guid") for item in rss().iter("item")]
    first = event.occurrences.order_by("start").first()
    assert guids[0].text == f"{event.uid}/{first.start:%Y%m%dT%H%M%SZ}"
    assert {guid.attrib["isPermaLink"] for guid in guids} == {"false"}
    assert len({guid.text for guid in guids}) == 2


def test_cancelled_occurrence_is_marked_in_the_title():
    make_event(title="Concerto", status=Event.Status.CANCELLED)
    (item,) = rss().iter("item")
    assert item.findtext("title").startswith("Cancelled: Concerto · ")


def test_description_is_sanitised_html_with_when_and_where():
    make_event(description="**Bold** <script>alert(1)</script>", place_name="Sala grande", locality="Bologna")
    (item,) = rss().iter("item")
    description = item.findtext("description")
    assert "<strong>Bold</strong>" in description
    assert "<script" not in description
    assert "Sala grande, Bologna" in description


def test_category_and_author_are_given():
    organisation = factories.OrganisationFactory(name="Museo civico di Modena")
    make_event(organisation=organisation, category=Event.Category.WORKSHOP)
    (item,) = rss().iter("item")
    assert item.findtext("category") == "Workshop"
    assert item.findtext("{http://purl.org/dc/elements/1.1/}creator") == "Museo civico di Modena"


def test_feed_is_bounded_to_200_items():
    make_event(rrule="FREQ=DAILY;COUNT=250")
    assert len(list(rss().iter("item"))) == 200


def test_feed_of_occurrences_runs_one_query(django_assert_num_queries):
    for _n in range(20):
        make_event(rrule="FREQ=WEEKLY;COUNT=3")
    with django_assert_num_queries(1):
        root = rss()
    assert len(list(root.iter("item"))) == 60
