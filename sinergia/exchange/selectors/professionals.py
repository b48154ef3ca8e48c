"""The professionals directory: companies and freelancers, and any organisation with open offers, with their
offers; filters by category, area and language; GeoJSON for the map."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse

from sinergia.core.geo import bounding_box
from sinergia.directory.models import Organisation
from sinergia.exchange.models import MAX_RADIUS_KM, Listing, ListingCategory
from sinergia.exchange.selectors.listings import open_q, with_related

PROFESSIONAL_KINDS = (Organisation.Kind.COMPANY, Organisation.Kind.FREELANCE)
MAP_MAX = 2000
OFFERS_SHOWN = 5


@dataclass(frozen=True)
class ProfessionalFilters:
    """The directory's filters: a service category (notation), region, language, a point and a radius."""

    category: str = ""
    region: str = ""
    language: str = ""
    q: str = ""
    latitude: float | None = None
    longitude: float | None = None
    radius_km: float | None = None


def _public_offers() -> QuerySet[Listing]:
    # The directory is public: it shows public offers only, whoever reads it.
    return Listing.objects.filter(open_q(), side=Listing.Side.OFFER, visibility=Listing.Visibility.PUBLIC)


def _offers_of(filters: ProfessionalFilters) -> QuerySet[Listing]:
    offers = _public_offers()
    if filters.category:
        offers = offers.filter(pk__in=ListingCategory.objects.filter(concept__notation=filters.category)
                               .values("listing_id"))
    return offers


def _filtered(qs: QuerySet[Organisation], filters: ProfessionalFilters) -> QuerySet[Organisation]:
    if filters.region:
        qs = qs.filter(region__iexact=filters.region)
    if filters.language:
        qs = qs.filter(languages__icontains=f'"{filters.language.lower()[:8]}')
    for word in filters.q.split()[:8]:
        qs = qs.filter(Q(name__icontains=word) | Q(municipality__icontains=word))
    if filters.latitude is not None and filters.longitude is not None:
        radius = min(max(filters.radius_km or 50, 1), MAX_RADIUS_KM)
        south, north, west, east = bounding_box(filters.latitude, filters.longitude, radius)
        qs = qs.filter(latitude__range=(south, north), longitude__range=(west, east))
    return qs


def professional_list(*, filters: ProfessionalFilters | None = None) -> QuerySet[Organisation]:
    """Listed companies and freelancers (with a matching offer when a category is asked) and every organisation
    with a matching public open offer, by name, with those offers as `open_offers`."""
    filters = filters or ProfessionalFilters()
    offers = _offers_of(filters)
    has_offer = Exists(offers.filter(organisation_id=OuterRef("pk")))
    who = has_offer if filters.category else (Q(kind__in=PROFESSIONAL_KINDS) | has_offer)
    qs = _filtered(Organisation.objects.filter(who, is_active=True), filters)
    return qs.prefetch_related(Prefetch("exchange_listings", to_attr="open_offers",
                                        queryset=with_related(offers).order_by("-created_at", "-id")))


def professional_geojson(*, queryset: QuerySet[Organisation], base_url: str = "") -> dict:
    """The located organisations as a GeoJSON FeatureCollection (at most MAP_MAX; `truncated` says when cut)."""
    rows = list(queryset.filter(latitude__isnull=False, longitude__isnull=False)
                .values_list("slug", "name", "kind", "municipality", "latitude", "longitude")[:MAP_MAX + 1])
    kinds = dict(Organisation.Kind.choices)
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                 "properties": {"name": name, "kind": str(kinds.get(kind, kind)), "municipality": municipality,
                                "url": base_url + reverse("directory:detail", args=[slug])}}
                for slug, name, kind, municipality, lat, lon in rows[:MAP_MAX]]
    return {"type": "FeatureCollection", "features": features, "truncated": len(rows) > MAP_MAX}
