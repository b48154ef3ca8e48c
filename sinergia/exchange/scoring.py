"""How well an offer answers a need: a pure, explainable score (no database), shared by pages, API and tasks.

A pair fits when both are of different organisations, share a category or the kind, each one's area covers the
other's place, and each is visible to the other's organisation (a networks-only listing needs a shared network).
The score of a fitting pair adds points for each reason; every part is symmetric in the two listings, so
`match_score(a, b) == match_score(b, a)`, and the distance part never grows with the distance.
"""

from dataclasses import dataclass
from datetime import date

from sinergia.core.geo import distance_km

REMOTE, RADIUS, REGIONS = "remote", "radius", "regions"
NETWORKS_ONLY = "networks"

CATEGORY_POINTS = 35
KIND_POINTS = 20
DISTANCE_POINTS = 20
# The distance at which the distance part is worth half its points.
DISTANCE_HALF_KM = 25.0
SAME_REGION_POINTS = 8
SAME_COUNTRY_POINTS = 4
LANGUAGE_POINTS = 10
DATES_POINTS = 10
NETWORK_POINTS = 5
MAX_SCORE = CATEGORY_POINTS + KIND_POINTS + DISTANCE_POINTS + LANGUAGE_POINTS + DATES_POINTS + NETWORK_POINTS


@dataclass(frozen=True)
class MatchSubject:
    """What the score reads of a listing (built from a database row, or by hand in tests)."""

    id: int
    organisation_id: int
    kind: str
    categories: frozenset[int] = frozenset()
    area: str = RADIUS
    latitude: float | None = None
    longitude: float | None = None
    radius_km: int | None = None
    place_region: str = ""
    place_country: str = ""
    regions: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    available_from: date | None = None
    available_until: date | None = None
    network_ids: frozenset[int] = frozenset()
    visibility: str = "public"

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@dataclass(frozen=True)
class MatchScore:
    """The score of a pair (0 when it does not fit) and its reasons as (reason code, points), largest first."""

    total: int
    parts: tuple[tuple[str, int], ...] = ()
    distance_km: float | None = None

    @property
    def fits(self) -> bool:
        return self.total > 0


NO_MATCH = MatchScore(total=0)


def pair_distance(a: MatchSubject, b: MatchSubject) -> float | None:
    """The distance between the two places in km, when both are on the map."""
    if not (a.has_point and b.has_point):
        return None
    return distance_km(a.latitude, a.longitude, b.latitude, b.longitude)  # type: ignore[arg-type]


def covers(area_of: MatchSubject, place_of: MatchSubject, distance: float | None) -> bool:
    """Whether the area served by `area_of` includes the place of `place_of`."""
    if area_of.area == REMOTE:
        return True
    if area_of.area == RADIUS:
        return distance is not None and area_of.radius_km is not None and distance <= area_of.radius_km
    return place_of.place_country in area_of.countries or place_of.place_region in area_of.regions


def _sees(listing: MatchSubject, other: MatchSubject) -> bool:
    """Whether the organisation of `other` may see `listing` (networks-only listings need a shared network)."""
    return listing.visibility != NETWORKS_ONLY or bool(listing.network_ids & other.network_ids)


def fits(a: MatchSubject, b: MatchSubject, distance: float | None) -> bool:
    """The gates of a match: two organisations, a common subject, each area covering the other, mutual sight."""
    if a.organisation_id == b.organisation_id:
        return False
    if not (a.categories & b.categories or a.kind == b.kind):
        return False
    if not (covers(a, b, distance) and covers(b, a, distance)):
        return False
    return _sees(a, b) and _sees(b, a)


def distance_points(distance: float) -> int:
    """Points for closeness: all of them at 0 km, half at DISTANCE_HALF_KM, never more for a longer way."""
    return round(DISTANCE_POINTS / (1 + max(distance, 0.0) / DISTANCE_HALF_KM))


def _place_part(a: MatchSubject, b: MatchSubject, distance: float | None) -> tuple[str, int] | None:
    if distance is not None:
        return ("distance", distance_points(distance))
    if a.place_region and a.place_region == b.place_region:
        return ("region", SAME_REGION_POINTS)
    if a.place_country and a.place_country == b.place_country:
        return ("country", SAME_COUNTRY_POINTS)
    return None


def dates_overlap(a: MatchSubject, b: MatchSubject) -> bool:
    """Whether the two availability periods overlap (a missing bound is open)."""
    starts = [day for day in (a.available_from, b.available_from) if day is not None]
    ends = [day for day in (a.available_until, b.available_until) if day is not None]
    return not (starts and ends) or max(starts) <= min(ends)


def match_score(need: MatchSubject, offer: MatchSubject) -> MatchScore:
    """The explainable score of the pair: 0 when it does not fit, else the sum of its reasons' points."""
    distance = pair_distance(need, offer)
    if not fits(need, offer, distance):
        return NO_MATCH
    parts = [
        ("category", CATEGORY_POINTS if need.categories & offer.categories else 0),
        ("kind", KIND_POINTS if need.kind == offer.kind else 0),
        _place_part(need, offer, distance) or ("distance", 0),
        ("languages", LANGUAGE_POINTS if need.languages & offer.languages else 0),
        ("dates", DATES_POINTS if dates_overlap(need, offer) else 0),
        ("networks", NETWORK_POINTS if need.network_ids & offer.network_ids else 0),
    ]
    kept = tuple(sorted(((code, points) for code, points in parts if points > 0), key=lambda part: -part[1]))
    return MatchScore(total=sum(points for _code, points in kept), parts=kept, distance_km=distance)
