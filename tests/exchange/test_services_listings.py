"""Publishing, changing, renewing, closing and fulfilling offers and needs; bad input gets clear errors."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sinergia.core.models import AuditEntry, Notification
from sinergia.exchange.models import Listing, MatchNotice, Partnership
from sinergia.exchange.services import (
    ListingData,
    listing_close,
    listing_create,
    listing_fulfil,
    listing_renew,
    listing_update,
)
from tests.factories import ListingFactory

pytestmark = pytest.mark.django_db


def need_data(photo, **overrides) -> ListingData:
    values = {"side": "need", "kind": "service", "title": "A photographer for our collection",
              "description": "About **200** objects.", "categories": [photo], "area": "radius", "radius_km": 40,
              "languages": ["it"]}
    return ListingData(**{**values, **overrides})


def messages_of(excinfo) -> dict:
    return excinfo.value.message_dict


def test_create_places_a_need_at_its_organisation_by_default(museum, museum_editor, photo):
    listing = listing_create(organisation=museum, by=museum_editor, data=need_data(photo))
    assert (listing.latitude, listing.longitude, listing.radius_km) == (museum.latitude, museum.longitude, 40)
    assert (listing.place_region, listing.place_country, listing.status) == ("Emilia-Romagna", "IT", "open")
    assert list(listing.categories.all()) == [photo]
    assert listing.expires_on == timezone.localdate() + datetime.timedelta(days=90)
    assert AuditEntry.objects.filter(action="exchange.listing_created").count() == 1


def test_create_is_refused_to_a_plain_member(museum, museum_member, photo):
    with pytest.raises(PermissionDenied):
        listing_create(organisation=museum, by=museum_member, data=need_data(photo))


def test_create_is_refused_to_an_outsider(museum, outsider, photo):
    with pytest.raises(PermissionDenied):
        listing_create(organisation=museum, by=outsider, data=need_data(photo))


def test_create_without_an_area_says_so(museum, museum_editor, photo):
    with pytest.raises(ValidationError) as excinfo:
        listing_create(organisation=museum, by=museum_editor, data=need_data(photo, area=""))
    assert messages_of(excinfo) == {"area": ["Choose the area served: a distance around a place, regions or "
                                             "countries, or remotely."]}


@pytest.mark.parametrize("radius", [-5, 0, 501, 1e9], ids=["negative", "zero", "over", "absurd"])
def test_create_with_a_radius_out_of_range_says_so(museum, museum_editor, photo, radius):
    with pytest.raises(ValidationError) as excinfo:
        listing_create(organisation=museum, by=museum_editor, data=need_data(photo, radius_km=radius))
    assert messages_of(excinfo) == {"area": ["The radius must be between 1 and 500 km."]}


def test_create_by_regions_needs_a_region_or_a_country(museum, museum_editor, photo):
    with pytest.raises(ValidationError) as excinfo:
        listing_create(organisation=museum, by=museum_editor, data=need_data(photo, area="regions"))
    assert messages_of(excinfo) == {"area": ["List the regions or the countries served."]}


def test_create_rejects_unknown_countries(museum, museum_editor, photo):
    with pytest.raises(ValidationError) as excinfo:
        listing_create(organisation=museum, by=museum_editor,
                       data=need_data(photo, area="regions", countries=["IT", "XX"]))
    assert messages_of(excinfo) == {"area": ["Use two-letter ISO 3166 country codes, e.g. IT, FR or DE (not XX)."]}


def test_create_with_a_radius_needs_a_place(museum, museum_editor, photo):
    museum.latitude = museum.longitude = None
    museum.save()
    with pytest.raises(ValidationError) as excinfo:
        listing_create(organisation=museum, by=museum_editor, data=need_data(photo))
    assert messages_of(excinfo) == {"area": ["Pick the place on the map: a distance is measured from a place."]}


def test_create_with_an_expiry_in_the_past_says_so(museum, museum_editor, photo):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as excinfo:
        listing_create(organisation=museum, by=museum_editor, data=need_data(photo, expires_on=yesterday))
    assert messages_of(excinfo) == {"expires_on": ["The expiry date is in the past: choose a date from today on."]}


def test_create_with_dates_out_of_order_says_so(museum, museum_editor, photo):
    today = timezone.localdate()
    data = need_data(photo, available_from=today + datetime.timedelta(days=9),
                     available_until=today + datetime.timedelta(days=2))
    with pytest.raises(ValidationError) as excinfo:
        listing_create(organisation=museum, by=museum_editor, data=data)
    assert messages_of(excinfo) == {"available_until": ["The end of the availability comes before its start."]}


@pytest.mark.parametrize("field", ["title", "conditions_note"])
def test_create_refuses_html_in_plain_fields(museum, museum_editor, photo, field):
    with pytest.raises(ValidationError) as excinfo:
        listing_create(organisation=museum, by=museum_editor,
                       data=need_data(photo, **{field: "Hi <script>alert(1)</script>"}))
    assert list(messages_of(excinfo)) == [field]
    assert "remove the HTML tags" in messages_of(excinfo)[field][0]


def test_create_needs_a_service_category(museum, museum_editor, photo):
    with pytest.raises(ValidationError) as excinfo:
        listing_create(organisation=museum, by=museum_editor, data=need_data(photo, categories=[]))
    assert messages_of(excinfo) == {"categories": ["Choose at least one category."]}


def test_create_rejects_unknown_languages(museum, museum_editor, photo):
    with pytest.raises(ValidationError) as excinfo:
        listing_create(organisation=museum, by=museum_editor, data=need_data(photo, languages=["it", "klingonish"]))
    assert list(messages_of(excinfo)) == ["languages"]


def test_update_keeps_the_side(museum, museum_editor, photo):
    listing = ListingFactory(organisation=museum, categories=[photo])
    listing_update(listing=listing, by=museum_editor, data=need_data(photo, side="offer", title="Changed"))
    listing.refresh_from_db()
    assert (listing.side, listing.title) == ("need", "Changed")


def test_renew_opens_an_expired_listing_again(museum, museum_editor):
    listing = ListingFactory(organisation=museum, status=Listing.Status.EXPIRED,
                             expires_on=timezone.localdate() - datetime.timedelta(days=3))
    listing_renew(listing=listing, by=museum_editor)
    listing.refresh_from_db()
    assert (listing.status, listing.expires_on) == ("open", timezone.localdate() + datetime.timedelta(days=90))


def test_renew_beyond_a_year_says_so(museum, museum_editor):
    listing = ListingFactory(organisation=museum)
    with pytest.raises(ValidationError) as excinfo:
        listing_renew(listing=listing, by=museum_editor,
                      expires_on=timezone.localdate() + datetime.timedelta(days=400))
    assert messages_of(excinfo) == {"expires_on": ["Choose a date from today to one year from now."]}


def test_close_withdraws_an_open_listing(museum, museum_admin):
    listing = listing_close(listing=ListingFactory(organisation=museum), by=museum_admin)
    assert listing.status == "closed"


def test_fulfil_records_the_partnership_and_tells_the_partner(museum, museum_editor, photographer,
                                                              photographer_admin, django_capture_on_commit_callbacks):
    listing = ListingFactory(organisation=museum)
    partnership = listing_fulfil(listing=listing, by=museum_editor, partner=photographer)
    assert (partnership.organisation, partnership.partner, partnership.listing) == (museum, photographer, listing)
    assert Listing.objects.get(pk=listing.pk).status == "fulfilled"
    notification = Notification.objects.get(recipient=photographer_admin)
    assert (notification.kind, notification.title) == (
        "exchange.fulfilled", f"Museo della canapa recorded a partnership with you: “{listing.title}”.")


def test_fulfil_with_oneself_says_so(museum, museum_editor):
    with pytest.raises(ValidationError) as excinfo:
        listing_fulfil(listing=ListingFactory(organisation=museum), by=museum_editor, partner=museum)
    assert messages_of(excinfo) == {"partner": ["Choose another organisation than your own."]}
    assert Partnership.objects.count() == 0


def test_fulfil_twice_says_so(museum, museum_editor, photographer):
    listing = ListingFactory(organisation=museum)
    listing_fulfil(listing=listing, by=museum_editor, partner=photographer)
    with pytest.raises(ValidationError):
        listing_fulfil(listing=listing, by=museum_editor, partner=photographer)


def test_publishing_notifies_good_matches_on_commit(museum, museum_editor, photographer, photographer_admin, photo,
                                                    django_capture_on_commit_callbacks):
    offer = ListingFactory(organisation=photographer, offer=True, categories=[photo], radius_km=50)
    with django_capture_on_commit_callbacks(execute=True):
        need = listing_create(organisation=museum, by=museum_editor, data=need_data(photo))
    assert list(MatchNotice.objects.values_list("need", "offer")) == [(need.pk, offer.pk)]
    assert Notification.objects.get(recipient=photographer_admin).kind == "exchange.match"
    assert Notification.objects.get(recipient=museum_editor).title == (
        "New good matches for “A photographer for our collection”: 1.")
