"""schema.org Event markup: the structure search engines read, for single, recurring, priced and cancelled events."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sinergia.calendar.export.jsonld import event_jsonld
from sinergia.calendar.models import Event
from tests import factories

ROME = ZoneInfo("Europe/Rome")
URL = "https://sinergia.example.org/en/calendar/events/7/"

pytestmark = pytest.mark.django_db


def make_event(**kwargs) -> Event:
    kwargs.setdefault("start", datetime(2026, 5, 16, 15, 0, tzinfo=ROME))
    kwargs.setdefault("end", kwargs["start"] + timedelta(hours=2))
    return factories.EventFactory(materialise=False, **kwargs)


def jsonld(event: Event, **kwargs) -> dict:
    return event_jsonld(event=event, url=URL, **kwargs)


def test_event_type_name_and_url():
    data = jsonld(make_event(title="Notte dei musei"))
    assert (data["@context"], data["@type"], data["name"], data["url"]) == (
        "https://schema.org", "Event", "Notte dei musei", URL)


def test_dates_are_iso_with_the_offset_of_the_event_zone():
    data = jsonld(make_event())
    assert (data["startDate"], data["endDate"]) == ("2026-05-16T15:00:00+02:00", "2026-05-16T17:00:00+02:00")


def test_all_day_dates_are_plain_dates_ending_on_the_last_day():
    data = jsonld(make_event(all_day=True, start=datetime(2026, 5, 16, tzinfo=ROME),
                             end=datetime(2026, 5, 18, tzinfo=ROME)))
    assert (data["startDate"], data["endDate"]) == ("2026-05-16", "2026-05-17")


def test_published_event_is_scheduled_and_in_person():
    data = jsonld(make_event())
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"


def test_cancelled_event_is_event_cancelled():
    assert jsonld(make_event(status=Event.Status.CANCELLED))["eventStatus"] == "https://schema.org/EventCancelled"


def test_location_is_a_place_with_postal_address_and_coordinates():
    event = make_event(place_name="Pinacoteca", address="Via delle Belle Arti 56", locality="Bologna",
                       province="BO", country="IT", latitude=44.4969, longitude=11.3527)
    assert jsonld(event)["location"] == {
        "@type": "Place",
        "name": "Pinacoteca",
        "address": {"@type": "PostalAddress", "streetAddress": "Via delle Belle Arti 56", "addressLocality": "Bologna",
                    "addressRegion": "BO", "addressCountry": "IT"},
        "geo": {"@type": "GeoCoordinates", "latitude": 44.4969, "longitude": 11.3527},
    }


def test_organizer_is_the_organisation_with_its_page():
    organisation = factories.OrganisationFactory(name="Museo del Patrimonio", slug="museo-del-patrimonio")
    data = jsonld(make_event(organisation=organisation))
    assert data["organizer"] == {"@type": "Organization", "name": "Museo del Patrimonio",
                                 "url": "https://sinergia.example.org/en/organisations/museo-del-patrimonio/"}


def test_co_organisers_are_listed_after_the_organisation():
    event = make_event()
    partner = factories.OrganisationFactory(name="Ecomuseo partner")
    event.co_organisers.set([partner])
    assert [o["name"] for o in jsonld(event)["organizer"]] == [event.organisation.name, "Ecomuseo partner"]


def test_free_event_is_accessible_for_free_without_offers():
    data = jsonld(make_event(is_free=True))
    assert data["isAccessibleForFree"] is True
    assert "offers" not in data


def test_priced_event_has_an_offer_with_amount_and_currency():
    data = jsonld(make_event(price="€8, reduced €5", booking_url="https://tickets.example.org/8"))
    assert data["isAccessibleForFree"] is False
    assert data["offers"] == {"@type": "Offer", "url": "https://tickets.example.org/8",
                              "description": "€8, reduced €5", "price": "8", "priceCurrency": "EUR"}


def test_price_without_currency_keeps_only_the_text():
    assert jsonld(make_event(price="8 per person, at the door"))["offers"] == {
        "@type": "Offer", "url": URL, "description": "8 per person, at the door"}


def test_weekly_event_has_a_schedule_with_frequency_and_days():
    data = jsonld(make_event(rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=SA,SU;COUNT=10",
                             exdates=["2026-05-30T13:00:00+00:00"]))
    assert data["eventSchedule"] == {
        "@type": "Schedule", "repeatFrequency": "P2W", "startDate": "2026-05-16", "scheduleTimezone": "Europe/Rome",
        "startTime": "15:00:00", "endTime": "17:00:00", "duration": "PT2H",
        "byDay": ["https://schema.org/Saturday", "https://schema.org/Sunday"], "repeatCount": 10,
        "exceptDate": ["2026-05-30"],
    }


def test_monthly_rule_on_the_last_sunday_gives_the_week_of_the_month():
    data = jsonld(make_event(rrule="FREQ=MONTHLY;BYDAY=-1SU;UNTIL=20261231T225959Z"))
    schedule = data["eventSchedule"]
    assert (schedule["repeatFrequency"], schedule["byDay"], schedule["byMonthWeek"], schedule["endDate"]) == (
        "P1M", ["https://schema.org/Sunday"], [-1], "2026-12-31")


def test_single_event_has_no_schedule():
    assert "eventSchedule" not in jsonld(make_event())


def test_language_description_and_image():
    data = jsonld(make_event(language="it", description="Una **visita** guidata."),
                  image_url="https://sinergia.example.org/media/events/2026/a.jpg")
    assert (data["inLanguage"], data["description"], data["image"]) == (
        "it", "Una visita guidata.", "https://sinergia.example.org/media/events/2026/a.jpg")


def test_empty_language_and_description_are_left_out():
    data = jsonld(make_event(language="", description=""))
    assert "inLanguage" not in data
    assert "description" not in data
