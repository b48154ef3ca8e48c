"""The event editor's form: what each field gives the services, what it refuses, and what the clash check reads."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from sinergia.calendar.forms import (
    ClashSettingsForm,
    EventForm,
    add_service_error,
    default_timezone,
    event_data,
    initial_for,
    plan,
    timezone_choices,
)
from sinergia.calendar.models import Event
from sinergia.core.models import Concept
from sinergia.networks.models import Membership
from tests import factories

pytestmark = pytest.mark.django_db
DAY = date(2026, 6, 13)  # a Saturday


@pytest.fixture
def museum():
    return factories.OrganisationFactory(name="Museo del Risorgimento", slug="museo-risorgimento", latitude=44.49,
                                         longitude=11.34, country="IT")


@pytest.fixture
def viewer(museum):
    return factories.person(museum, "editor", "editor@risorgimento.example.org")


def fields(**overrides) -> dict:
    """A valid timed event at the museum's own place, as posted."""
    values = {"title": "Visita serale", "category": "guided_tour", "place_kind": "own", "start_date": DAY.isoformat(),
              "start_time": "18:00", "end_time": "19:30", "timezone": "Europe/Rome", "repeat": "", "ends": "never",
              "visibility": "public"}
    values.update(overrides)
    return {name: value for name, value in values.items() if value is not None}


def form_for(museum, viewer, files=None, **overrides) -> EventForm:
    return EventForm(fields(**overrides), files, organisation=museum, viewer=viewer)


def valid(form: EventForm) -> EventForm:
    assert form.is_valid(), form.errors
    return form


def test_timed_event_gives_local_wall_times_and_the_own_place(museum, viewer):
    data = event_data(valid(form_for(museum, viewer)))
    assert (data.start, data.end, data.all_day, data.timezone, data.venue, data.rrule) == (
        datetime(2026, 6, 13, 18), datetime(2026, 6, 13, 19, 30), False, "Europe/Rome", museum, "")


def test_all_day_event_gives_dates_with_the_last_day_inclusive(museum, viewer):
    form = valid(form_for(museum, viewer, all_day="on", start_time=None, end_time=None, end_date="2026-06-15"))
    data = event_data(form)
    assert (data.start, data.end, data.all_day) == (DAY, date(2026, 6, 15), True)


def test_all_day_event_without_end_date_ends_the_day_it_starts(museum, viewer):
    data = event_data(valid(form_for(museum, viewer, all_day="on", start_time=None, end_time=None)))
    assert (data.start, data.end) == (DAY, DAY)


def test_timed_event_needs_a_start_time(museum, viewer):
    form = form_for(museum, viewer, start_time=None)
    assert (form.is_valid(), form.errors["start_time"]) == (False, ["Give the start time, or tick “All day”."])


def test_timed_event_needs_an_end_time(museum, viewer):
    form = form_for(museum, viewer, end_time=None)
    assert (form.is_valid(), form.errors["end_time"]) == (False, ["Give the end time, or tick “All day”."])


def test_end_before_start_is_refused_on_the_end_time(museum, viewer):
    form = form_for(museum, viewer, end_time="17:00")
    assert (form.is_valid(), form.errors["end_time"]) == (False, ["The end cannot be before the start."])


def test_end_date_before_start_date_is_refused_on_the_end_date(museum, viewer):
    form = form_for(museum, viewer, end_date="2026-06-12")
    assert (form.is_valid(), form.errors["end_date"]) == (False, ["The end cannot be before the start."])


def test_address_gives_its_fields_and_coordinates_without_venue(museum, viewer):
    form = valid(form_for(museum, viewer, place_kind="address", place_name="Piazza Maggiore", locality="Bologna",
                          country="it", latitude="44.4938", longitude="11.3430"))
    data = event_data(form)
    assert (data.venue, data.place_name, data.locality, data.country, data.latitude, data.longitude) == (
        None, "Piazza Maggiore", "Bologna", "IT", 44.4938, 11.343)


def test_address_without_coordinates_asks_to_pick_the_place_on_the_map(museum, viewer):
    form = form_for(museum, viewer, place_kind="address", place_name="Piazza Maggiore")
    assert (form.is_valid(), form.errors["latitude"]) == (
        False, ["Pick the place on the map, or type its latitude and longitude."])


def test_address_with_a_latitude_out_of_range_is_refused(museum, viewer):
    form = form_for(museum, viewer, place_kind="address", latitude="91", longitude="11")
    assert (form.is_valid(), form.errors["latitude"]) == (False, ["Ensure this value is less than or equal to 90."])


def test_venue_is_found_by_the_suggestion_written_with_its_slug(museum, viewer):
    other = factories.OrganisationFactory(name="Museo civico", slug="museo-civico-imola")
    factories.OrganisationFactory(name="Museo civico", slug="museo-civico-lugo")
    data = event_data(valid(form_for(museum, viewer, place_kind="venue", venue="Museo civico (museo-civico-imola)")))
    assert data.venue == other


def test_venue_is_found_by_its_exact_name_when_unique(museum, viewer):
    other = factories.OrganisationFactory(name="Pinacoteca Nazionale")
    data = event_data(valid(form_for(museum, viewer, place_kind="venue", venue="pinacoteca nazionale")))
    assert data.venue == other


def test_venue_with_an_ambiguous_name_asks_to_choose_a_suggestion(museum, viewer):
    factories.OrganisationFactory(name="Museo civico", slug="museo-civico-imola")
    factories.OrganisationFactory(name="Museo civico", slug="museo-civico-lugo")
    form = form_for(museum, viewer, place_kind="venue", venue="Museo civico")
    assert (form.is_valid(), form.errors["venue"]) == (
        False, ["Several organisations are called “Museo civico”: choose one from the suggestions."])


def test_venue_unknown_is_refused(museum, viewer):
    form = form_for(museum, viewer, place_kind="venue", venue="Museo che non c'è")
    assert (form.is_valid(), form.errors["venue"]) == (
        False, ["No organisation in the directory is called “Museo che non c'è”."])


def test_venue_is_required_when_another_organisation_hosts(museum, viewer):
    form = form_for(museum, viewer, place_kind="venue", venue="")
    assert (form.is_valid(), form.errors["venue"]) == (False, ["Choose the organisation where the event takes place."])


def test_weekly_builder_gives_the_rule_with_the_chosen_weekdays_and_count(museum, viewer):
    form = valid(form_for(museum, viewer, repeat="WEEKLY", interval="1", weekdays=["WE", "SA"], ends="after",
                          count="8"))
    assert event_data(form).rrule == "FREQ=WEEKLY;COUNT=8;BYDAY=WE,SA"


def test_monthly_builder_on_the_last_sunday_until_a_date(museum, viewer):
    form = valid(form_for(museum, viewer, repeat="MONTHLY", monthly_by="weekday", week_ordinal="-1", week_day="SU",
                          ends="on", until="2026-12-31"))
    assert event_data(form).rrule == "FREQ=MONTHLY;UNTIL=20261231T225959Z;BYDAY=-1SU"


def test_repetition_ending_on_a_date_needs_the_date(museum, viewer):
    form = form_for(museum, viewer, repeat="DAILY", ends="on")
    assert (form.is_valid(), form.errors["until"]) == (False, ["Give the last date, or choose another ending."])


def test_repetition_ending_before_the_start_is_refused(museum, viewer):
    form = form_for(museum, viewer, repeat="DAILY", ends="on", until="2026-06-01")
    assert (form.is_valid(), form.errors["until"]) == (False, ["The last date cannot be before the start."])


def test_repetition_count_over_the_limit_is_refused(museum, viewer, settings):
    form = form_for(museum, viewer, repeat="DAILY", ends="after", count="1001")
    assert (form.is_valid(), form.errors["count"]) == (False, ["Ensure this value is less than or equal to 1000."])


def test_stored_rule_shown_unchanged_is_kept_as_written(museum, viewer):
    form = EventForm(fields(repeat="WEEKLY", ends="after", count="10"), organisation=museum, viewer=viewer,
                     stored_rule="FREQ=WEEKLY;COUNT=10")
    assert event_data(valid(form)).rrule == "FREQ=WEEKLY;COUNT=10"


def test_stored_rule_changed_in_the_builder_is_rewritten(museum, viewer):
    form = EventForm(fields(repeat="WEEKLY", ends="after", count="12"), organisation=museum, viewer=viewer,
                     stored_rule="FREQ=WEEKLY;COUNT=10")
    assert event_data(valid(form)).rrule == "FREQ=WEEKLY;COUNT=12;BYDAY=SA"


def test_custom_rule_is_validated_on_its_field(museum, viewer):
    form = form_for(museum, viewer, repeat="CUSTOM", rrule="FREQ=HOURLY")
    assert (form.is_valid(), form.errors["rrule"]) == (False, [
        "The event can repeat daily, weekly, monthly or yearly (FREQ=DAILY, WEEKLY, MONTHLY or YEARLY)."])


def test_custom_rule_is_kept(museum, viewer):
    form = valid(form_for(museum, viewer, repeat="CUSTOM", rrule="FREQ=YEARLY;BYMONTH=6;BYDAY=2SA"))
    assert event_data(form).rrule == "FREQ=YEARLY;BYDAY=2SA;BYMONTH=6"


def test_exception_dates_are_read_sorted_without_repeats(museum, viewer):
    form = valid(form_for(museum, viewer, repeat="WEEKLY", exdates="2026-06-27, 2026-06-20\n2026-06-27"))
    assert event_data(form).exdates == [date(2026, 6, 20), date(2026, 6, 27)]


def test_exception_date_that_is_not_a_date_is_refused(museum, viewer):
    form = form_for(museum, viewer, repeat="WEEKLY", exdates="2026-06-20, 20/06/2026")
    assert (form.is_valid(), form.errors["exdates"]) == (False, ["“20/06/2026” is not a date: write it as YYYY-MM-DD."])


def test_more_than_a_hundred_exception_dates_are_refused(museum, viewer):
    days = ", ".join((DAY + timedelta(days=7 * n)).isoformat() for n in range(101))
    form = form_for(museum, viewer, repeat="WEEKLY", exdates=days)
    assert (form.is_valid(), form.errors["exdates"]) == (False, ["Give at most 100 exception dates."])


def test_networks_offered_are_only_those_the_organisation_is_admitted_to(museum, viewer):
    admitted = factories.MembershipFactory(organisation=museum).network
    factories.MembershipFactory(organisation=museum, status=Membership.Status.APPLIED)
    factories.NetworkFactory()
    form = EventForm(organisation=museum, viewer=viewer)
    assert list(form.fields["networks"].queryset) == [admitted]


def test_network_not_admitted_to_is_refused(museum, viewer):
    applied = factories.MembershipFactory(organisation=museum, status=Membership.Status.APPLIED).network
    form = form_for(museum, viewer, networks=[str(applied.pk)])
    assert form.is_valid() is False
    assert list(form.errors) == ["networks"]


def test_co_organisers_are_read_one_per_line_without_repeats(museum, viewer):
    first = factories.OrganisationFactory(name="Archivio storico", slug="archivio-storico")
    second = factories.OrganisationFactory(name="Biblioteca Salaborsa")
    text = "Archivio storico (archivio-storico)\n\nbiblioteca salaborsa\narchivio-storico"
    assert event_data(valid(form_for(museum, viewer, co_organisers=text))).co_organisers == [first, second]


def test_co_organisers_unknown_are_each_reported(museum, viewer):
    form = form_for(museum, viewer, co_organisers="Nessuno\nAltro ignoto")
    assert (form.is_valid(), form.errors["co_organisers"]) == (False, [
        "No organisation in the directory is called “Nessuno”.",
        "No organisation in the directory is called “Altro ignoto”."])


def test_more_than_twenty_co_organisers_are_refused(museum, viewer):
    form = form_for(museum, viewer, co_organisers="\n".join(f"org-{n}" for n in range(21)))
    assert (form.is_valid(), form.errors["co_organisers"]) == (False, ["Give at most 20 co-organisers."])


def test_image_over_the_limit_is_refused_on_its_field(museum, viewer, settings):
    settings.CALENDAR_IMAGE_MAX_BYTES = 10
    image = SimpleUploadedFile("poster.png", b"x" * 11, content_type="image/png")
    form = form_for(museum, viewer, files={"image": image})
    assert (form.is_valid(), form.errors["image"]) == (
        False, ["The image is 11\xa0bytes; an event's image may be at most 10\xa0bytes."])


def test_image_that_is_not_a_picture_is_refused(museum, viewer):
    image = SimpleUploadedFile("poster.png", b"not a picture", content_type="image/png")
    form = form_for(museum, viewer, files={"image": image})
    assert (form.is_valid(), form.errors["image"]) == (
        False, ["This file is not an image we can use: upload a PNG, JPEG, GIF or WebP picture."])


def test_concepts_are_labelled_in_the_user_language(museum, viewer):
    factories.ConceptFactory(scheme=Concept.Scheme.AUDIENCE, notation="families",
                             labels={"en": "Families", "it": "Famiglie"})
    with translation.override("it"):
        labels = [label for _value, label in EventForm(organisation=museum, viewer=viewer).fields["audiences"].choices]
    assert labels == ["Famiglie"]


def test_clash_fields_carry_the_live_check(museum, viewer):
    html = str(EventForm(organisation=museum, viewer=viewer)["start_date"])
    assert all(part in html for part in ('hx-post="/en/calendar/clash-check/"', 'hx-trigger="change delay:400ms"',
                                         'hx-target="#clashes"', 'hx-include="#event-form"'))


def test_time_zone_defaults_to_the_organisation_country_zone(viewer):
    lisbon = factories.OrganisationFactory(country="PT", latitude=38.72, longitude=-9.14)
    assert EventForm(organisation=lisbon, viewer=viewer).fields["timezone"].initial == "Europe/Lisbon"


@pytest.mark.parametrize(("country", "latitude", "longitude", "zone"), [
    ("IT", 44.49, 11.34, "Europe/Rome"),
    ("BR", -3.1, -60.02, "America/Manaus"),
    ("US", 34.05, -118.24, "America/Los_Angeles"),
    ("US", None, None, "America/New_York"),
    ("", None, None, "Europe/Rome"),
])
def test_default_timezone_is_the_nearest_zone_of_the_country(country, latitude, longitude, zone):
    organisation = factories.OrganisationFactory.build(country=country, latitude=latitude, longitude=longitude)
    assert default_timezone(organisation) == zone


def test_time_zone_choices_are_iana_area_names_and_utc():
    names = [name for name, _label in timezone_choices()]
    assert (names[0], "Europe/Rome" in names, "America/Argentina/Buenos_Aires" in names, "Etc/GMT+1" in names) == (
        "UTC", True, True, False)


# --- What the clash check reads -------------------------------------------------------------------------------------


def test_plan_of_an_unfinished_form_says_what_is_missing(museum, viewer):
    form = EventForm({"title": "", "place_kind": "address", "timezone": "Europe/Rome"}, organisation=museum, viewer=viewer)
    form.is_valid()
    assert plan(form) == (None, ["the start date", "the place (with its position on the map) or a network to share "
                                 "it with"])


def test_plan_of_a_timed_event_is_aware_in_its_zone_at_the_own_place(museum, viewer):
    audience = factories.ConceptFactory(scheme=Concept.Scheme.AUDIENCE, notation="families")
    form = form_for(museum, viewer, title="", audiences=[str(audience.pk)], repeat="WEEKLY", exdates="2026-06-20")
    form.is_valid()
    planned, missing = plan(form)
    rome = ZoneInfo("Europe/Rome")
    assert (missing, planned.start, planned.end, planned.rrule, planned.exdates, planned.latitude,
            planned.audiences) == ([], datetime(2026, 6, 13, 18, tzinfo=rome), datetime(2026, 6, 13, 19, 30, tzinfo=rome),
                                   "FREQ=WEEKLY;BYDAY=SA", (date(2026, 6, 20),), 44.49, frozenset({"families"}))


def test_plan_of_an_all_day_event_runs_from_midnight_to_midnight_after_the_last_day(museum, viewer):
    form = form_for(museum, viewer, all_day="on", start_time=None, end_time=None, end_date="2026-06-14")
    form.is_valid()
    planned, _missing = plan(form)
    rome = ZoneInfo("Europe/Rome")
    assert (planned.start, planned.end) == (datetime(2026, 6, 13, tzinfo=rome), datetime(2026, 6, 15, tzinfo=rome))


def test_plan_without_a_place_but_with_a_network_checks_the_network(museum, viewer):
    network = factories.MembershipFactory(organisation=museum).network
    form = form_for(museum, viewer, place_kind="address", networks=[str(network.pk)])
    form.is_valid()
    planned, _missing = plan(form)
    assert (planned.latitude, planned.network_ids) == (None, frozenset({network.pk}))


def test_plan_with_a_broken_repetition_says_what_to_fix(museum, viewer):
    form = form_for(museum, viewer, repeat="DAILY", ends="after")
    form.is_valid()
    assert plan(form) == (None, ["Give the number of times, or choose another ending."])


def test_clash_settings_default_to_25_km_and_an_hour():
    assert ClashSettingsForm({}, prefix="clash").values() == (25.0, timedelta(hours=1))


def test_clash_settings_read_the_panel_and_ignore_values_out_of_range():
    form = ClashSettingsForm({"clash-radius": "900", "clash-buffer": "30"}, prefix="clash")
    assert form.values() == (25.0, timedelta(minutes=30))


def test_service_error_on_the_rule_shows_on_the_builder(museum, viewer):
    form = valid(form_for(museum, viewer, repeat="DAILY"))
    add_service_error(form, ValidationError({"rrule": "Too many.", "end": "Too long."}))
    assert (form.errors["repeat"], form.errors["end_date"]) == (["Too many."], ["Too long."])


def test_service_error_on_the_own_place_shows_on_the_place_choice(museum, viewer):
    form = valid(form_for(museum, viewer))
    add_service_error(form, ValidationError({"venue": "No coordinates."}))
    assert form.errors["place_kind"] == ["No coordinates."]


# --- A stored event in the form -------------------------------------------------------------------------------------


def test_initial_values_of_a_weekly_event_in_its_own_zone(museum):
    start = datetime(2026, 6, 13, 16, tzinfo=UTC)  # 18:00 in Rome
    event = factories.EventFactory(organisation=museum, start=start, end=start + timedelta(hours=2),
                                   rrule="FREQ=WEEKLY;BYDAY=SA;COUNT=5", exdates=["2026-06-20T16:00:00+00:00"],
                                   materialise=False)
    initial = initial_for(event)
    assert (initial["start_date"], initial["start_time"], initial["end_time"], initial["place_kind"],
            initial["repeat"], initial["weekdays"], initial["ends"], initial["count"], initial["exdates"]) == (
        DAY, time(18), time(20), "own", "WEEKLY", ["SA"], "after", 5, "2026-06-20")


def test_initial_values_of_an_all_day_event_give_its_last_day(museum):
    rome = ZoneInfo("Europe/Rome")
    event = factories.EventFactory(organisation=museum, all_day=True, start=datetime(2026, 6, 13, tzinfo=rome),
                                   end=datetime(2026, 6, 16, tzinfo=rome), materialise=False)
    initial = initial_for(event)
    assert (initial["all_day"], initial["start_date"], initial["end_date"]) == (True, DAY, date(2026, 6, 15))


def test_initial_values_of_another_organisation_venue_name_it_with_its_slug(museum):
    venue = factories.OrganisationFactory(name="Teatro Comunale", slug="teatro-comunale")
    event = factories.EventFactory(organisation=museum, venue=venue, materialise=False)
    initial = initial_for(event)
    assert (initial["place_kind"], initial["venue"]) == ("venue", "Teatro Comunale (teatro-comunale)")


def test_imported_language_and_zone_outside_the_lists_stay_choices(museum, viewer):
    form = EventForm(fields(language="de-CH", timezone="EST5EDT"), organisation=museum, viewer=viewer,
                     initial={"language": "de-CH", "timezone": "EST5EDT"})
    data = event_data(valid(form))
    assert (data.language, data.timezone) == ("de-CH", "EST5EDT")


def test_initial_values_posted_back_give_the_same_event(museum, viewer):
    start = datetime(2026, 6, 13, 16, tzinfo=UTC)
    event = factories.EventFactory(organisation=museum, start=start, end=start + timedelta(hours=2),
                                   rrule="FREQ=MONTHLY;BYDAY=2SA;UNTIL=20261231T225959Z", materialise=False)
    initial = {name: value for name, value in initial_for(event).items() if value not in (None, "", [])}
    posted = {name: ([str(v.pk) for v in value] if isinstance(value, list) and name != "weekdays" else value)
              for name, value in initial.items()}
    data = event_data(valid(EventForm(posted, organisation=museum, viewer=viewer)))
    assert (data.start, data.end, data.rrule, data.category, data.venue) == (
        datetime(2026, 6, 13, 18), datetime(2026, 6, 13, 20), "FREQ=MONTHLY;UNTIL=20261231T225959Z;BYDAY=2SA",
        Event.Category.GUIDED_TOUR, museum)
