"""Checking what a call says: deadline in its zone, amounts, and eligibility that someone can meet."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from sinergia.desk.services.calls_data import CallData, call_data_clean, local_to_utc
from tests import factories

pytestmark = pytest.mark.django_db

ROME = ZoneInfo("Europe/Rome")


def _data(**changes) -> CallData:
    values = {"title": "Bando musei", "funder": "Regione", "summary": "Testo", "language": "it",
              "deadline": (timezone.now() + datetime.timedelta(days=20)).astimezone(ROME).replace(tzinfo=None)}
    return CallData(**{**values, **changes})


def _errors(data: CallData, *, require_future: bool = True) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call_data_clean(data, require_future=require_future)
    return caught.value.message_dict


def test_clean_deadline_wall_time_stored_in_utc():
    values = call_data_clean(_data(deadline=datetime.datetime(2031, 7, 1, 17, 0), time_zone="Europe/Rome"),
                             require_future=True)
    assert values["deadline"] == datetime.datetime(2031, 7, 1, 15, 0, tzinfo=datetime.UTC)


def test_clean_past_deadline_refused_when_publishing():
    errors = _errors(_data(deadline=datetime.datetime(2020, 1, 1, 12, 0)))
    assert errors == {"deadline": ["The deadline has passed: a published call needs a deadline in the future."]}


def test_clean_past_deadline_kept_in_a_draft():
    values = call_data_clean(_data(deadline=datetime.datetime(2020, 1, 1, 12, 0)), require_future=False)
    assert values["deadline"].year == 2020


def test_clean_opening_after_deadline_refused():
    errors = _errors(_data(deadline=datetime.datetime(2031, 1, 1, 12), opens_at=datetime.datetime(2031, 2, 1, 12)))
    assert errors == {"opens_at": ["The call must open before its deadline."]}


def test_clean_time_skipped_by_the_clocks_refused():
    errors = _errors(_data(deadline=datetime.datetime(2031, 3, 30, 2, 30)))
    assert errors == {"deadline": ["2031-03-30 02:30 does not exist in Europe/Rome: the clocks skip that hour. "
                                   "Choose another time."]}


def test_clean_unknown_time_zone_refused():
    errors = _errors(_data(time_zone="Mars/Olympus"))
    assert errors == {"time_zone": ["“Mars/Olympus” is not a time zone: choose one such as Europe/Rome or "
                                    "Europe/Brussels."]}


def test_clean_amounts_in_wrong_order_refused():
    errors = _errors(_data(amount_min=Decimal("5000"), amount_max=Decimal("1000")))
    assert errors == {"amount_max": ["The maximum amount must not be less than the minimum."]}


def test_clean_negative_amount_refused():
    assert _errors(_data(amount_min=Decimal("-1"))) == {"amount_min": ["An amount cannot be negative."]}


def test_clean_currency_not_iso_refused():
    assert _errors(_data(currency="EURO")) == {
        "currency": ["Give the currency as its three-letter ISO 4217 code, e.g. EUR or CHF."]}


def test_clean_co_financing_over_100_refused():
    assert _errors(_data(co_financing_percent=120)) == {
        "co_financing_percent": ["The co-financing is a percentage between 0 and 100."]}


def test_clean_unknown_kind_refused():
    assert _errors(_data(eligible_kinds=["museum", "castle"])) == {
        "eligible_kinds": ["Unknown: “castle”. Choose among the kinds of organisation of the directory."]}


def test_clean_unknown_country_refused():
    assert _errors(_data(eligible_countries=["it", "XX"])) == {
        "eligible_countries": ["Unknown: “XX”. Use two-letter ISO 3166 country codes, e.g. IT, FR or DE."]}


def test_clean_region_not_in_the_countries_refused():
    factories.OrganisationFactory(region="Emilia-Romagna", country="IT")
    errors = _errors(_data(eligible_countries=["FR"], eligible_regions=["Emilia-Romagna"]))
    assert errors == {"eligible_regions": ["“Emilia-Romagna” is not a region of FR."]}


def test_clean_region_unknown_to_the_directory_refused():
    errors = _errors(_data(eligible_regions=["Atlantide"]))
    assert errors == {"eligible_regions": ["There is no region “Atlantide” in the directory."]}


def test_clean_region_without_an_eligible_kind_refused():
    factories.OrganisationFactory(region="Molise", kind="museum")
    errors = _errors(_data(eligible_kinds=["archive", "library"], eligible_regions=["Molise"]))
    assert errors == {"eligible_regions": ["No organisation of the eligible kinds (archive, library) is in “Molise”: "
                                           "nobody could apply."]}


def test_clean_region_in_the_directory_spelling():
    factories.OrganisationFactory(region="Emilia-Romagna", country="IT")
    values = call_data_clean(_data(eligible_countries=["it"], eligible_regions=["  emilia-romagna "]),
                             require_future=True)
    assert (values["eligible_countries"], values["eligible_regions"]) == (["IT"], ["Emilia-Romagna"])


def test_clean_html_in_texts_kept_as_text():
    values = call_data_clean(_data(title="<script>alert(1)</script> Bando", funder="<b>Regione</b>"),
                             require_future=True)
    assert (values["title"], values["funder"]) == ("<script>alert(1)</script> Bando", "<b>Regione</b>")


def test_clean_every_error_reported_at_once():
    errors = _errors(_data(title="", funder="", amount_min=Decimal("-2"), eligible_kinds=["x"]))
    assert sorted(errors) == ["amount_min", "eligible_kinds", "funder", "title"]


@given(st.datetimes(min_value=datetime.datetime(2001, 1, 1), max_value=datetime.datetime(2099, 12, 31)),
       st.sampled_from(["Europe/Rome", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC"]))
def test_local_to_utc_round_trips_or_refuses(value, zone_name):
    zone = ZoneInfo(zone_name)
    try:
        utc = local_to_utc(value, zone)
    except ValidationError:
        assert value.replace(tzinfo=zone).astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None) != value
    else:
        assert utc.astimezone(zone).replace(tzinfo=None) == value
