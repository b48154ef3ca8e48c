"""The match score: its gates, its parts, and its properties (symmetry, distance, area served)."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from sinergia.core.geo import distance_km
from sinergia.exchange.scoring import (
    CATEGORY_POINTS,
    DATES_POINTS,
    KIND_POINTS,
    LANGUAGE_POINTS,
    MAX_SCORE,
    NETWORK_POINTS,
    MatchSubject,
    distance_points,
    match_score,
)

BOLOGNA = (44.4949, 11.3426)


def subject(**overrides) -> MatchSubject:
    values = {"id": 1, "organisation_id": 1, "kind": "service", "categories": frozenset({7}), "area": "radius",
              "latitude": BOLOGNA[0], "longitude": BOLOGNA[1], "radius_km": 40, "place_region": "Emilia-Romagna",
              "place_country": "IT", "languages": frozenset({"it"})}
    return MatchSubject(**{**values, **overrides})


def offer(**overrides) -> MatchSubject:
    return subject(**{"id": 2, "organisation_id": 2, **overrides})


def test_score_lists_every_reason_of_a_perfect_pair():
    need = subject(network_ids=frozenset({5}))
    score = match_score(need, offer(network_ids=frozenset({5})))
    assert score.total == MAX_SCORE
    assert score.parts == (("category", CATEGORY_POINTS), ("kind", KIND_POINTS), ("distance", 20),
                           ("languages", LANGUAGE_POINTS), ("dates", DATES_POINTS), ("networks", NETWORK_POINTS))
    assert score.distance_km == 0.0


def test_score_is_zero_for_listings_of_the_same_organisation():
    assert match_score(subject(), offer(organisation_id=1)).total == 0


def test_score_is_zero_without_a_shared_category_or_kind():
    assert match_score(subject(), offer(kind="space", categories=frozenset({8}))).fits is False


def test_score_counts_the_kind_alone_when_categories_differ():
    score = match_score(subject(), offer(categories=frozenset({8})))
    assert dict(score.parts)["kind"] == KIND_POINTS
    assert "category" not in dict(score.parts)


def test_score_is_zero_outside_the_radius_of_the_need():
    far = offer(latitude=45.4642, longitude=9.19, radius_km=500)  # Milan, about 200 km away
    assert match_score(subject(radius_km=40), far).total == 0


def test_remote_offer_covers_a_need_only_within_the_need_radius():
    far = offer(area="remote", radius_km=None, latitude=45.4642, longitude=9.19)
    assert match_score(subject(radius_km=40), far).total == 0
    assert match_score(subject(radius_km=300), far).fits is True


def test_regions_area_covers_places_in_those_regions_only():
    by_region = offer(area="regions", radius_km=None, regions=frozenset({"Emilia-Romagna"}), latitude=45.0,
                      longitude=10.0)
    assert match_score(subject(area="remote"), by_region).fits is True
    assert match_score(subject(area="remote", place_region="Toscana"), by_region).fits is False


def test_regions_area_covers_a_listed_country():
    by_country = offer(area="regions", countries=frozenset({"IT"}), latitude=None, longitude=None,
                       place_region="")
    score = match_score(subject(area="remote"), by_country)
    assert score.fits is True
    assert dict(score.parts)["country"] == 4


def test_networks_only_listing_needs_a_shared_network():
    hidden = offer(visibility="networks", network_ids=frozenset({3}))
    assert match_score(subject(network_ids=frozenset({4})), hidden).total == 0
    assert match_score(subject(network_ids=frozenset({3})), hidden).fits is True


def test_disjoint_dates_lose_the_dates_points():
    early = subject(available_from=date(2030, 1, 1), available_until=date(2030, 1, 31))
    late = offer(available_from=date(2030, 3, 1))
    assert "dates" not in dict(match_score(early, late).parts)


def test_distance_points_halve_at_25_km():
    assert (distance_points(0), distance_points(25), distance_points(475)) == (20, 10, 1)


coordinates = st.tuples(st.floats(min_value=36.0, max_value=47.0), st.floats(min_value=6.0, max_value=19.0))
radii = st.integers(min_value=1, max_value=500)
areas = st.sampled_from(["radius", "regions", "remote"])
subjects = st.builds(
    MatchSubject, id=st.integers(1, 1000), organisation_id=st.integers(1, 3), kind=st.sampled_from(["service", "space"]),
    categories=st.frozensets(st.integers(1, 4), max_size=2), area=areas, latitude=coordinates.map(lambda c: c[0]),
    longitude=coordinates.map(lambda c: c[1]), radius_km=radii,
    place_region=st.sampled_from(["", "Emilia-Romagna", "Toscana"]), place_country=st.sampled_from(["IT", "FR"]),
    regions=st.frozensets(st.sampled_from(["Emilia-Romagna", "Toscana"]), max_size=2),
    countries=st.frozensets(st.sampled_from(["IT", "FR"]), max_size=1),
    languages=st.frozensets(st.sampled_from(["it", "en", "fr"]), max_size=2),
    network_ids=st.frozensets(st.integers(1, 3), max_size=2), visibility=st.sampled_from(["public", "networks"]))


@given(subjects, subjects)
def test_score_is_symmetric(a, b):
    assert match_score(a, b) == match_score(b, a)


@given(subjects, subjects)
def test_no_match_outside_the_area_served(need, offer_):
    score = match_score(need, offer_)
    if score.fits and offer_.area == "radius":
        assert distance_km(need.latitude, need.longitude, offer_.latitude, offer_.longitude) <= offer_.radius_km
    if score.fits and need.area == "radius":
        assert distance_km(need.latitude, need.longitude, offer_.latitude, offer_.longitude) <= need.radius_km


@given(st.lists(st.floats(min_value=0.0, max_value=4.0), min_size=2, max_size=8), radii, radii)
def test_score_never_grows_with_distance(steps, need_radius, offer_radius):
    """Moving the offer further north, step by step, never raises the score; past a radius it is 0."""
    need = subject(radius_km=need_radius)
    totals = []
    for latitude_delta in sorted(steps):
        moved = offer(latitude=BOLOGNA[0] + latitude_delta, radius_km=offer_radius)
        score = match_score(need, moved)
        totals.append(score.total)
        if distance_km(*BOLOGNA, BOLOGNA[0] + latitude_delta, BOLOGNA[1]) > min(need_radius, offer_radius):
            assert score.total == 0
    assert totals == sorted(totals, reverse=True)
