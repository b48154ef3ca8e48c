"""The planning forms: the free-date finder's search, the .ics upload and a feed's address."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sinergia.calendar.forms_planning import FeedForm, FreeDateForm, IcsUploadForm, default_range
from tests import factories

ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nEND:VCALENDAR\r\n"


def finder(data, *, mine=()):
    return FreeDateForm(data, viewer=AnonymousUser(), my_organisations=list(mine))


def point(**extra):
    return {"where": "point", "lat": "44.5", "lon": "11.3", **extra}


def test_default_range_is_the_next_two_months():
    today = timezone.localdate()
    start, end = default_range(today.replace(month=1, day=15))
    assert (start, end) == (today.replace(month=1, day=15), today.replace(month=3, day=14))


@pytest.mark.django_db
def test_finder_fills_missing_dates_and_radius_with_the_defaults():
    form = finder(point())
    assert form.is_valid(), form.errors
    values = form.cleaned_data
    assert (values["start"], values["end"], values["radius"]) == (*default_range(), 30)


@pytest.mark.django_db
def test_finder_refuses_a_last_day_before_the_first():
    today = timezone.localdate()
    form = finder(point(start=today.isoformat(), end=(today - timedelta(days=1)).isoformat()))
    assert form.errors == {"end": ["The last day is before the first one."]}


@pytest.mark.django_db
def test_finder_refuses_more_than_366_days():
    today = timezone.localdate()
    form = finder(point(start=today.isoformat(), end=(today + timedelta(days=366)).isoformat()))
    assert form.errors == {"end": ["Choose at most 366 days."]}


@pytest.mark.django_db
def test_finder_refuses_days_beyond_the_materialised_horizon(settings):
    settings.CALENDAR_HORIZON_MONTHS = 1
    today = timezone.localdate()
    form = finder(point(start=today.isoformat(), end=(today + timedelta(days=60)).isoformat()))
    assert list(form.errors) == ["end"]
    assert form.errors["end"][0].startswith("The calendar knows events up to ")


@pytest.mark.django_db
@pytest.mark.parametrize("radius", ["0", "501", "-3"])
def test_finder_refuses_a_radius_outside_1_to_500_km(radius):
    assert list(finder(point(radius=radius)).errors) == ["radius"]


@pytest.mark.django_db
def test_finder_point_gives_its_coordinates():
    form = finder(point(radius="12"))
    assert form.is_valid(), form.errors
    place = form.cleaned_data["place"]
    assert (place.latitude, place.longitude, place.organisation, form.cleaned_data["radius"]) == (44.5, 11.3, None, 12)


@pytest.mark.django_db
def test_finder_point_needs_both_coordinates():
    form = finder({"where": "point", "lat": "44.5"})
    assert form.errors == {"lon": ["Pick the place on the map, or type both its latitude and longitude."]}


@pytest.mark.django_db
def test_finder_point_refuses_a_latitude_out_of_range():
    assert list(finder(point(lat="91")).errors) == ["lat"]


@pytest.mark.django_db
def test_finder_guesses_the_point_from_coordinates_without_a_choice():
    form = finder({"lat": "44.5", "lon": "11.3"})
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["where"], form.current_where()) == ("point", "point")


@pytest.mark.django_db
def test_finder_finds_an_organisation_by_a_unique_name():
    museum = factories.OrganisationFactory(name="Museo della carta", latitude=43.33, longitude=12.9)
    form = finder({"where": "name", "name": "carta"})
    assert form.is_valid(), form.errors
    place = form.cleaned_data["place"]
    assert (place.organisation, place.latitude, place.label) == (museum, 43.33, "Museo della carta")


@pytest.mark.django_db
def test_finder_prefers_the_exact_name_among_several_matches():
    exact = factories.OrganisationFactory(name="Museo del vino")
    factories.OrganisationFactory(name="Museo del vino e dell'olio")
    form = finder({"where": "name", "name": "museo del VINO"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["place"].organisation == exact


@pytest.mark.django_db
def test_finder_asks_for_more_of_an_ambiguous_name():
    factories.OrganisationFactory(name="Museo del sale", municipality="Cervia")
    factories.OrganisationFactory(name="Museo del sale antico", municipality="Comacchio")
    form = finder({"where": "name", "name": "sale"})
    assert form.errors == {"name": [
        "Several organisations match “sale” (Museo del sale (Cervia), Museo del sale antico (Comacchio)…): "
        "type more of the name."]}


@pytest.mark.django_db
def test_finder_ignores_organisations_without_a_location():
    factories.OrganisationFactory(name="Archivio senza luogo", latitude=None, longitude=None)
    form = finder({"where": "name", "name": "Archivio senza luogo"})
    assert form.errors == {"name": ["No organisation with a location matches “Archivio senza luogo”."]}


@pytest.mark.django_db
def test_finder_takes_one_of_my_organisations():
    mine = factories.OrganisationFactory(latitude=45.0, longitude=7.6)
    form = finder({"where": "organisation", "organisation": mine.slug}, mine=[mine])
    assert form.is_valid(), form.errors
    assert form.cleaned_data["place"].organisation == mine


@pytest.mark.django_db
def test_finder_takes_any_listed_organisation_from_a_shared_address():
    other = factories.OrganisationFactory(name="Museo altrui")
    form = finder({"where": "organisation", "organisation": other.slug})
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["place"].organisation, form.fields["organisation"].widget.choices) == (
        other, [(other.slug, "Museo altrui")])


@pytest.mark.django_db
def test_finder_refuses_an_unknown_organisation():
    form = finder({"where": "organisation", "organisation": "no-such-museum"})
    assert form.errors == {"organisation": ["This organisation is not in the directory or has no location."]}


@pytest.mark.django_db
def test_finder_without_a_place_asks_an_anonymous_visitor_for_a_name():
    form = finder({"start": timezone.localdate().isoformat()})
    assert form.errors == {"name": ["Search an organisation by name, or pick a point on the map."]}


@pytest.mark.django_db
def test_finder_defaults_to_my_first_located_organisation():
    mine = factories.OrganisationFactory()
    assert FreeDateForm.defaults(my_organisations=[mine])["organisation"] == mine.slug


def test_finder_defaults_to_a_name_search_without_organisations():
    assert FreeDateForm.defaults(my_organisations=[])["where"] == "name"


def upload(data: bytes = ICS, name: str = "calendar.ics", content_type: str = "text/calendar") -> dict:
    return {"file": SimpleUploadedFile(name, data, content_type=content_type)}


def ics_form(files: dict, **data) -> IcsUploadForm:
    return IcsUploadForm({"category": "other", "visibility": "public", **data}, files)


def test_upload_gives_the_bytes_of_an_ics_file():
    form = ics_form(upload())
    assert form.is_valid(), form.errors
    assert form.cleaned_data["file"] == ICS


def test_upload_accepts_text_calendar_whatever_the_name():
    assert ics_form(upload(name="export", content_type="text/calendar")).is_valid()


def test_upload_refuses_another_type_of_file():
    form = ics_form(upload(name="photo.png", content_type="image/png"))
    assert form.errors == {"file": ["“photo.png” is not an iCalendar file: choose a file ending in .ics."]}


def test_upload_refuses_a_file_over_the_limit(settings):
    settings.CALENDAR_IMPORT_MAX_BYTES = 100
    form = ics_form(upload(ICS + b"X" * 100))
    assert form.errors == {"file": ["The file is 165\xa0bytes; the most that can be imported is 100\xa0bytes."]}


def test_upload_refuses_an_empty_file():
    assert list(ics_form(upload(b"")).errors) == ["file"]


def test_upload_asks_for_a_file():
    assert ics_form({}).errors == {"file": ["Choose the .ics file to import."]}


def test_upload_refuses_an_unknown_visibility():
    assert list(ics_form(upload(), visibility="secret").errors) == ["visibility"]


def test_feed_form_strips_the_address():
    form = FeedForm({"url": "  webcal://example.org/cal.ics ", "category": "other", "visibility": "public"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["url"] == "webcal://example.org/cal.ics"


def test_feed_form_needs_an_address():
    assert list(FeedForm({"category": "other", "visibility": "public"}).errors) == ["url"]
