"""Reads of offers and needs shared by pages and the API, with the viewer's visibility built in."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from sinergia.core.geo import bounding_box
from sinergia.core.models import Concept
from sinergia.directory.models import Organisation
from sinergia.exchange.models import MAX_RADIUS_KM, Listing, ListingCategory
from sinergia.exchange.rules import visible_listings_q

MAX_WORDS = 8


@dataclass(frozen=True)
class ListingFilters:
    """The filters of the exchange's list; every field is optional."""

    q: str = ""
    side: str = ""
    kind: str = ""
    category: str = ""
    conditions: str = ""
    language: str = ""
    region: str = ""
    country: str = ""
    organisation: str = ""
    latitude: float | None = None
    longitude: float | None = None
    radius_km: float | None = None


def with_related(qs: QuerySet[Listing]) -> QuerySet[Listing]:
    """What every list of listings shows: the organisation and the categories."""
    return qs.select_related("organisation").prefetch_related(
        Prefetch("categories", queryset=Concept.objects.order_by("notation")))


def open_q(*, prefix: str = "") -> Q:
    """Open listings whose expiry date has not passed (the hourly task marks the others expired)."""
    return Q(**{f"{prefix}status": Listing.Status.OPEN, f"{prefix}expires_on__gte": timezone.localdate()})


def _text_filter(qs: QuerySet[Listing], q: str) -> QuerySet[Listing]:
    for word in q.split()[:MAX_WORDS]:
        qs = qs.filter(Q(title__icontains=word) | Q(description__icontains=word)
                       | Q(organisation__name__icontains=word))
    return qs


def _near(qs: QuerySet[Listing], filters: ListingFilters) -> QuerySet[Listing]:
    """Listings placed within the radius of the point (a box in SQL; the rest is close enough for a list)."""
    if filters.latitude is None or filters.longitude is None:
        return qs
    radius = min(max(filters.radius_km or 50, 1), MAX_RADIUS_KM)
    south, north, west, east = bounding_box(filters.latitude, filters.longitude, radius)
    return qs.filter(latitude__range=(south, north), longitude__range=(west, east))


def _apply(qs: QuerySet[Listing], filters: ListingFilters) -> QuerySet[Listing]:
    for name in ("side", "kind", "conditions"):
        if value := getattr(filters, name):
            qs = qs.filter(**{name: value})
    if filters.category:
        qs = qs.filter(pk__in=ListingCategory.objects.filter(concept__notation=filters.category)
                       .values("listing_id"))
    if filters.language:
        qs = qs.filter(languages__icontains=f'"{filters.language.lower()[:8]}')
    if filters.region:
        qs = qs.filter(Q(place_region__iexact=filters.region) | Q(area=Listing.Area.REMOTE))
    if filters.country:
        qs = qs.filter(Q(place_country=filters.country.upper()) | Q(area=Listing.Area.REMOTE))
    if filters.organisation:
        qs = qs.filter(organisation__slug=filters.organisation)
    return _near(_text_filter(qs, filters.q), filters)


def listing_list(*, viewer, filters: ListingFilters | None = None) -> QuerySet[Listing]:
    """Open offers and needs the viewer may see, newest first, with the filters."""
    qs = Listing.objects.filter(open_q(), visible_listings_q(viewer))
    return with_related(_apply(qs, filters or ListingFilters())).order_by("-created_at", "-id")


def listing_get_for(*, viewer, pk: int, perm: str | None = None) -> Listing:
    """One listing the viewer may see (Http404 otherwise), checked against `perm` (also a 404: a 403 would tell that
    a networks-only listing exists)."""
    qs = with_related(Listing.objects.filter(visible_listings_q(viewer))).select_related("created_by")
    listing = qs.filter(pk=pk).first()
    if listing is None or (perm and not viewer.has_perm(perm, listing)):
        raise Http404
    return listing


def organisation_listings(*, organisation: Organisation, viewer) -> QuerySet[Listing]:
    """Every listing of the organisation the viewer may see, whatever its status, open ones first."""
    qs = Listing.objects.filter(visible_listings_q(viewer), organisation=organisation)
    return with_related(qs).order_by("status", "-created_at", "-id")
