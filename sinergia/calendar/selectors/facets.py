"""The options of the calendar's filters, built from what is on the calendar and cached briefly per language."""

import dataclasses
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.utils import translation

from sinergia.calendar.models import Event
from sinergia.calendar.rules import ON_CALENDAR
from sinergia.core.models import Concept
from sinergia.networks.models import Network

# Filter options change rarely and cost a few scans of the events: every page shares them for a minute.
FACETS_CACHE_SECONDS = 60


@dataclass(frozen=True)
class CalendarFacets:
    """Regions, provinces by region, networks (slug, name), categories (value, label), audiences and themes."""

    regions: list[str] = dataclasses.field(default_factory=list)
    provinces: list[tuple[str, list[str]]] = dataclasses.field(default_factory=list)
    networks: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    categories: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    audiences: list[Concept] = dataclasses.field(default_factory=list)
    themes: list[Concept] = dataclasses.field(default_factory=list)


def calendar_facets() -> CalendarFacets:
    """Filter options present among public events on the calendar, cached for a minute per language."""
    key = f"calendar:facets:{translation.get_language()}"
    facets = cache.get(key)
    if facets is None:
        facets = _calendar_facets()
        cache.set(key, facets, FACETS_CACHE_SECONDS)
    return facets


def _calendar_facets() -> CalendarFacets:
    """Distinct values of public events (the same options for every viewer, so they can be shared): 4 queries."""
    public = Event.objects.filter(status__in=ON_CALENDAR, visibility=Event.Visibility.PUBLIC)
    places = public.order_by("region", "province").values_list("region", "province").distinct()
    provinces: dict[str, list[str]] = {}
    for region, province in places:
        names = provinces.setdefault(region, [])
        if province:
            names.append(province)
    with_events = Event.networks.through.objects.filter(network_id=OuterRef("pk"), event__in=public)
    networks = Network.objects.filter(Exists(with_events), is_active=True).order_by("name").values_list("slug", "name")
    present = set(public.order_by("category").values_list("category", flat=True).distinct())
    concepts: dict[str, list[Concept]] = {Concept.Scheme.AUDIENCE: [], Concept.Scheme.THEME: []}
    for concept in Concept.objects.filter(scheme__in=list(concepts)):
        concepts[concept.scheme].append(concept)
    by_label = {scheme: sorted(found, key=lambda c: c.label.casefold()) for scheme, found in concepts.items()}
    return CalendarFacets(
        regions=[region for region in provinces if region],
        provinces=[(region, names) for region, names in provinces.items() if region and names],
        networks=list(networks),
        categories=[(value, str(label)) for value, label in Event.Category.choices if value in present],
        audiences=by_label[Concept.Scheme.AUDIENCE], themes=by_label[Concept.Scheme.THEME],
    )
