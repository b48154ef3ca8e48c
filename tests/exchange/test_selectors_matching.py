"""Matches from the database: the SQL pre-filter, visibility, ranking, "matches for you", query counts."""

import datetime

import pytest
from django.utils import timezone

from sinergia.exchange.models import Listing
from sinergia.exchange.selectors import listing_matches, matches_for_user
from tests import factories
from tests.exchange.conftest import FAR_200_KM
from tests.factories import ListingFactory, service

pytestmark = pytest.mark.django_db


def at(point, **kwargs):
    return factories.OrganisationFactory(latitude=point[0], longitude=point[1], **kwargs)


def test_need_matches_the_photographer_20_km_away(museum, photographer, photo):
    need = ListingFactory(organisation=museum, categories=[photo], radius_km=40)
    offer = ListingFactory(organisation=photographer, offer=True, categories=[photo], radius_km=30)
    [match] = listing_matches(listing=need, viewer=None)
    assert match.listing == offer
    assert match.score.total == 35 + 20 + 11 + 10 + 10
    assert round(match.score.distance_km) == 20


def test_offer_sees_the_needs_it_could_answer(museum, photographer, photo):
    need = ListingFactory(organisation=museum, categories=[photo])
    offer = ListingFactory(organisation=photographer, offer=True, categories=[photo])
    assert [m.listing for m in listing_matches(listing=offer, viewer=None)] == [need]


def test_matches_leave_out_the_far_the_closed_the_expired_and_the_same_side(museum, photographer, photo):
    need = ListingFactory(organisation=museum, categories=[photo])
    ListingFactory(organisation=at(FAR_200_KM), offer=True, categories=[photo], radius_km=500)
    ListingFactory(organisation=photographer, offer=True, categories=[photo], status=Listing.Status.CLOSED)
    ListingFactory(organisation=photographer, offer=True, categories=[photo],
                   expires_on=timezone.localdate() - datetime.timedelta(days=1))
    ListingFactory(organisation=photographer, categories=[photo])
    ListingFactory(organisation=museum, offer=True, categories=[photo])
    assert listing_matches(listing=need, viewer=None) == []


def test_matches_rank_nearer_offers_first(museum, photographer, photo):
    need = ListingFactory(organisation=museum, categories=[photo])
    near = ListingFactory(organisation=at((44.50, 11.35)), offer=True, categories=[photo])
    further = ListingFactory(organisation=photographer, offer=True, categories=[photo])
    assert [m.listing for m in listing_matches(listing=need, viewer=None)] == [near, further]


def test_networks_only_offer_is_shown_to_members_of_its_networks_only(museum, photographer, photo, museum_editor,
                                                                     outsider):
    network = factories.NetworkFactory()
    factories.MembershipFactory(network=network, organisation=museum)
    factories.MembershipFactory(network=network, organisation=photographer)
    need = ListingFactory(organisation=museum, categories=[photo])
    offer = ListingFactory(organisation=photographer, offer=True, categories=[photo], networks_only=True)
    assert [m.listing for m in listing_matches(listing=need, viewer=museum_editor)] == [offer]
    assert listing_matches(listing=need, viewer=outsider) == []
    assert "networks" in dict(listing_matches(listing=need, viewer=museum_editor)[0].score.parts)


def test_remote_offer_matches_a_remote_need_anywhere(museum, photo):
    translation = service("service-translation")
    need = ListingFactory(organisation=museum, categories=[translation], remote=True)
    offer = ListingFactory(organisation=at(FAR_200_KM), offer=True, categories=[translation], remote=True)
    assert [m.listing for m in listing_matches(listing=need, viewer=None)] == [offer]


def test_matches_for_you_gather_the_matches_of_every_listing_of_the_users_organisations(museum, museum_member,
                                                                                         photographer, photo):
    graphics = service("service-graphic-design")
    photo_need = ListingFactory(organisation=museum, categories=[photo], title="Photos")
    ListingFactory(organisation=museum, categories=[graphics], kind=Listing.Kind.EXPERTISE, title="Posters")
    photo_offer = ListingFactory(organisation=photographer, offer=True, categories=[photo])
    graphics_offer = ListingFactory(organisation=photographer, offer=True, categories=[graphics],
                                    kind=Listing.Kind.EXPERTISE)
    matches = matches_for_user(user=museum_member, limit=10)
    assert {(m.subject_title, m.listing) for m in matches} == {("Photos", photo_offer), ("Posters", graphics_offer)}
    assert photo_need.pk in {m.subject_id for m in matches}


def test_matches_for_you_is_empty_without_an_organisation(outsider):
    assert matches_for_user(user=outsider, limit=10) == []


def test_matches_read_a_fixed_number_of_queries(museum, museum_member, photo, django_assert_max_num_queries):
    for index in range(5):
        ListingFactory(organisation=museum, categories=[photo], title=f"Need {index}")
    for index in range(15):
        organisation = at((44.49 + index / 1000, 11.34))
        factories.MembershipFactory(organisation=organisation)
        ListingFactory(organisation=organisation, offer=True, categories=[photo])
    with django_assert_max_num_queries(14):
        matches = matches_for_user(user=museum_member, limit=10)
    assert len(matches) == 10
    need = Listing.objects.filter(organisation=museum).first()
    with django_assert_max_num_queries(8):
        assert len(listing_matches(listing=need, viewer=museum_member, limit=20)) == 15


def test_the_sql_distance_keeps_a_pair_just_within_both_radii_far_north(photo):
    # About 490 km apart along a meridian from Sicily to Lombardy: the flat-earth distance of the SQL pre-filter
    # must not drop a pair the exact distance lets through.
    need = ListingFactory(organisation=at((37.6, 14.0)), categories=[photo], radius_km=500)
    offer = ListingFactory(organisation=at((41.98, 14.0)), offer=True, categories=[photo], radius_km=500)
    [match] = listing_matches(listing=need, viewer=None)
    assert (match.listing, round(match.score.distance_km)) == (offer, 487)


def test_an_offer_whose_own_radius_does_not_reach_the_need_is_left_out(museum, photo):
    need = ListingFactory(organisation=museum, categories=[photo], radius_km=300)
    ListingFactory(organisation=at(FAR_200_KM), offer=True, categories=[photo], radius_km=100)
    assert listing_matches(listing=need, viewer=None) == []
