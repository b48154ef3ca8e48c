"""Matches of offers and needs: candidates narrowed in SQL by indexes, then scored in Python (`match_score`).

The candidates of a listing are the open listings of the other side, of other organisations, that share its kind or
one of its categories (through the indexed category table), whose place can be within its area and whose area can
cover its place (a bounding box, then a flat-earth distance with a margin, in arithmetic both engines run). At most
MAX_CANDIDATES are read and scored, those sharing a category and the nearest first; the exact gates (areas, mutual
visibility) and the ranking are `sinergia.exchange.scoring`'s.
"""

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, ExpressionWrapper, F, FloatField, OuterRef, Q
from django.db.models.functions import Cast

from sinergia.core.geo import bounding_box
from sinergia.exchange.models import MAX_RADIUS_KM, Listing, ListingCategory
from sinergia.exchange.rules import organisation_ids_of, visible_listings_q
from sinergia.exchange.scoring import MatchScore, MatchSubject, match_score
from sinergia.exchange.selectors.listings import open_q, with_related
from sinergia.networks.selectors import admitted_networks_by_organisation

# A bound on the work of one listing's matches: those sharing a category, then the nearest (or the newest, away
# from a point), are scored.
MAX_CANDIDATES = 120
# "Matches for you" scores fewer candidates of each listing: it shows only the best few over all of them.
MAX_CANDIDATES_PER_SUBJECT = 25
KM_PER_DEGREE = 111.32
# The flat-earth distance of SQL errs by a few per cent over hundreds of km: candidates get this much slack.
SQL_DISTANCE_MARGIN = 1.1
# "Matches for you" looks at this many of the organisations' newest open listings (the dashboard shows five matches).
MAX_SUBJECTS = 5
FIELDS = ("id", "title", "organisation_id", "side", "kind", "area", "latitude", "longitude", "radius_km",
          "place_region", "place_country", "regions", "countries", "languages", "available_from", "available_until",
          "visibility")


@dataclass(frozen=True)
class Match:
    """A listing that fits `subject_id`'s listing, with its score and reasons."""

    listing: Listing
    score: MatchScore
    subject_id: int
    subject_title: str = ""


def _categories_of(listing_ids: Iterable[int]) -> dict[int, frozenset[int]]:
    found: dict[int, set[int]] = defaultdict(set)
    rows = ListingCategory.objects.filter(listing_id__in=set(listing_ids)).values_list("listing_id", "concept_id")
    for listing_id, concept_id in rows:
        found[listing_id].add(concept_id)
    return {key: frozenset(value) for key, value in found.items()}


def _language_families(tags: list) -> frozenset[str]:
    return frozenset(str(tag).split("-", 1)[0].lower() for tag in tags or [])


def subjects_of(rows: list[dict]) -> list[MatchSubject]:
    """The scored view of listing rows (values of FIELDS), with their categories and networks (two queries)."""
    categories = _categories_of(row["id"] for row in rows)
    networks = admitted_networks_by_organisation(organisation_ids=(row["organisation_id"] for row in rows))
    return [MatchSubject(
        id=row["id"], organisation_id=row["organisation_id"], kind=row["kind"],
        categories=categories.get(row["id"], frozenset()), area=row["area"], latitude=row["latitude"],
        longitude=row["longitude"], radius_km=row["radius_km"], place_region=row["place_region"],
        place_country=row["place_country"], regions=frozenset(row["regions"] or []),
        countries=frozenset(row["countries"] or []), languages=_language_families(row["languages"]),
        available_from=row["available_from"], available_until=row["available_until"],
        network_ids=networks.get(row["organisation_id"], frozenset()), visibility=row["visibility"],
    ) for row in rows]


def _box(latitude: float, longitude: float, radius: float) -> Q:
    south, north, west, east = bounding_box(latitude, longitude, radius)
    return Q(latitude__range=(south, north), longitude__range=(west, east))


def _distance2(subject: MatchSubject) -> ExpressionWrapper:
    """The squared flat-earth distance (km²) of a row's place from the subject's: arithmetic only, on both engines."""
    latitude, longitude = float(subject.latitude), float(subject.longitude)  # type: ignore[arg-type]
    north = (F("latitude") - latitude) * KM_PER_DEGREE
    east = (F("longitude") - longitude) * (KM_PER_DEGREE * math.cos(math.radians(latitude)))
    return ExpressionWrapper(north * north + east * east, output_field=FloatField())


def _within(radius: Any) -> Q:
    """The row's place within `radius` km (a number, or the row's own radius) of the subject's, with a margin."""
    return Q(distance2__lte=radius * radius * SQL_DISTANCE_MARGIN ** 2)


def _geo_prefilter(subject: MatchSubject) -> Q:
    """Candidates whose place can be within the subject's area and whose area can cover the subject's place
    (on the flat-earth distance, with a margin: the exact check is the score's)."""
    if subject.area == Listing.Area.RADIUS:
        if not subject.has_point:
            return Q(pk__in=[])
        placed = _box(subject.latitude, subject.longitude, float(subject.radius_km or MAX_RADIUS_KM)) & _within(  # type: ignore[arg-type]
            float(subject.radius_km or MAX_RADIUS_KM))
    elif subject.area == Listing.Area.REGIONS:
        placed = Q(place_country__in=subject.countries) | Q(place_region__in=subject.regions)
    else:
        placed = Q()
    reach = Q(area__in=(Listing.Area.REMOTE, Listing.Area.REGIONS))
    if subject.has_point:
        reach |= Q(area=Listing.Area.RADIUS) & _box(subject.latitude, subject.longitude, MAX_RADIUS_KM) & _within(  # type: ignore[arg-type]
            Cast("radius_km", FloatField()))  # a smallint: squared in SQL it would overflow
    return placed & reach


def candidate_rows(subject: MatchSubject, side: str, visible: Q | None, *, limit: int = MAX_CANDIDATES) -> list[dict]:
    """The open listings of `side` that may fit the subject, at most `limit`, the likeliest first (one query)."""
    shares_category = Exists(ListingCategory.objects.filter(listing_id=OuterRef("pk"),
                                                            concept_id__in=subject.categories))
    topical = Q(kind=subject.kind) | Q(shares_category=True) if subject.categories else Q(kind=subject.kind)
    qs = Listing.objects.alias(shares_category=shares_category)
    # Near a point: those sharing a category, then the nearest. Elsewhere (remote, regions) the newest, so that the
    # database can stop at `limit` rows instead of sorting every open listing of the other side.
    order: list[Any] = []
    if subject.has_point:
        qs = qs.alias(distance2=_distance2(subject))
        order = [F("shares_category").desc(), F("distance2").asc(nulls_last=True)]
    qs = qs.filter(open_q(), topical, _geo_prefilter(subject), side=side).exclude(
        organisation_id=subject.organisation_id)
    if visible is not None:
        qs = qs.filter(visible)
    return list(qs.order_by(*order, "-id").values(*FIELDS)[:limit])


def score_pair(subject: MatchSubject, side: str, candidate: MatchSubject) -> MatchScore:
    """The score with the need first, whichever side the subject is on (the score is symmetric anyway)."""
    return match_score(subject, candidate) if side == Listing.Side.OFFER else match_score(candidate, subject)


def _ranked(pairs: list[tuple[MatchSubject, MatchSubject, MatchScore]], limit: int) -> list[tuple[int, int,
                                                                                                     MatchScore]]:
    """(subject id, candidate id, score) of the best pairs, each candidate once, strongest and nearest first."""
    best: dict[int, tuple[int, int, MatchScore]] = {}
    for subject, candidate, score in pairs:
        known = best.get(candidate.id)
        if known is None or score.total > known[2].total:
            best[candidate.id] = (subject.id, candidate.id, score)
    far = float("inf")
    order = sorted(best.values(), key=lambda item: (-item[2].total, item[2].distance_km if item[2].distance_km
                                                   is not None else far, -item[1]))
    return order[:limit]


def _matches(rows: list[dict], visible: Q | None, limit: int, *, each: int = MAX_CANDIDATES) -> list[Match]:
    """The best matches of the listings in `rows`, as Match objects with their listing loaded."""
    subjects = subjects_of(rows)
    sides = {row["id"]: Listing.Side.NEED if row["side"] == Listing.Side.OFFER else Listing.Side.OFFER
             for row in rows}
    found = {subject.id: candidate_rows(subject, sides[subject.id], visible, limit=each) for subject in subjects}
    candidates = {c.id: c for c in subjects_of([row for batch in found.values() for row in batch])}
    pairs = []
    for subject in subjects:
        for row in found[subject.id]:
            score = score_pair(subject, sides[subject.id], candidates[row["id"]])
            if score.fits:
                pairs.append((subject, candidates[row["id"]], score))
    ranked = _ranked(pairs, limit)
    listings = with_related(Listing.objects.all()).in_bulk([candidate_id for _s, candidate_id, _score in ranked])
    titles = {row["id"]: row["title"] for row in rows}
    return [Match(listing=listings[candidate_id], score=score, subject_id=subject_id,
                  subject_title=titles[subject_id]) for subject_id, candidate_id, score in ranked]


def listing_matches(*, listing: Listing, viewer, limit: int = 20) -> list[Match]:
    """The listings of the other side that fit this one and that the viewer may see, best first."""
    rows = list(Listing.objects.filter(pk=listing.pk).values(*FIELDS))
    return _matches(rows, visible_listings_q(viewer), limit)


def listing_matches_for_notice(*, listing: Listing, limit: int = 50) -> list[Match]:
    """The matches of a listing between organisations (each listing visible to the other's organisation)."""
    rows = list(Listing.objects.filter(pk=listing.pk).values(*FIELDS))
    return _matches(rows, None, limit)


def matches_for_user(*, user, limit: int = 10) -> list[Match]:
    """The best matches of the open listings of the organisations the user belongs to ("matches for you")."""
    organisations = organisation_ids_of(user)
    if not organisations:
        return []
    subjects = Listing.objects.filter(open_q(), organisation_id__in=organisations).order_by("-created_at", "-id")
    rows = list(subjects.values(*FIELDS)[:MAX_SUBJECTS])
    return _matches(rows, visible_listings_q(user), limit, each=MAX_CANDIDATES_PER_SUBJECT) if rows else []
