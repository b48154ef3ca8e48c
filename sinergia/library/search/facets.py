"""Facet values with their labels, in display order, from the counts of the whole result set."""

from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

from sinergia.core.languages import language_name
from sinergia.core.models import Concept
from sinergia.library.models import Resource
from sinergia.library.search.types import FacetValue, SearchFilters
from sinergia.networks.models import Network

FACETS = ("language", "kind", "topic", "year", "network")
# Facet labels of topics and networks are cached one by one, and forgotten when one changes
# (sinergia.library.receivers).
LABELS_CACHE_SECONDS = 300
FACET_LIMITS = {"language": 20, "kind": len(Resource.Kind.values), "topic": 20, "year": 30, "network": 20}


def _labels(facet: str, values: list[str]) -> dict[str, str]:
    """value → label in the active language; values naming nothing (a topic id since deleted) are left out."""
    if facet == "language":
        return {value: language_name(value) for value in values}
    if facet == "kind":
        return {value: str(Resource.Kind(value).label) for value in values if value in Resource.Kind.values}
    if facet == "year":
        return {value: value for value in values}
    ids = [int(value) for value in values if value.isdigit()]
    if not ids:
        return {}
    prefix = _labels_prefix(facet, get_language() or settings.LANGUAGE_CODE)
    cached = cache.get_many([f"{prefix}{pk}" for pk in ids])
    labels = {key.removeprefix(prefix): label for key, label in cached.items()}
    missing = [pk for pk in ids if str(pk) not in labels]
    if missing:
        if facet == "topic":
            read = {str(c.pk): c.label for c in Concept.objects.filter(pk__in=missing).only("id", "notation", "labels")}
        else:
            read = {str(pk): name for pk, name in Network.objects.filter(pk__in=missing).values_list("pk", "name")}
        cache.set_many({f"{prefix}{pk}": label for pk, label in read.items()}, LABELS_CACHE_SECONDS)
        labels.update(read)
    return labels


def _labels_prefix(facet: str, language: str) -> str:
    """The start of the cache keys of a facet's labels (those of topics depend on the language, networks' names
    not)."""
    return f"library:facet:{facet}:{language if facet == 'topic' else ''}:"


def facet_labels_forget(facet: str, ids: Iterable[int]) -> None:
    """Read the labels of these topics or networks again when a facet next shows them."""
    languages = [code for code, _name in settings.LANGUAGES] if facet == "topic" else [""]
    cache.delete_many([f"{_labels_prefix(facet, language)}{pk}" for language in languages for pk in ids])


def _ordered(facet: str, counts: dict[str, int], selected: tuple[str, ...]) -> list[str]:
    """The values to show: the most frequent (the latest years), and the selected ones whatever their count."""
    if facet == "year":
        shown = sorted(counts, key=int, reverse=True)[:FACET_LIMITS[facet]]
    else:
        # Ties in the order of the values, ids (topics, networks) as numbers: "99" before "100".
        shown = sorted(counts, key=lambda value: (-counts[value], len(value) if value.isdigit() else 0,
                                                  value))[:FACET_LIMITS[facet]]
    return shown + [value for value in selected if value not in shown]


def facets_build(rows: list[tuple[str, str, int]], filters: SearchFilters) -> dict[str, list[FacetValue]]:
    """Each facet's values: label, count over the whole result set, and whether it is selected."""
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for facet, value, count in rows:
        if facet in FACETS and value is not None:
            counts[facet][str(value)] = int(count)
    built = {}
    for facet in FACETS:
        selected = filters.selected(facet)
        values = _ordered(facet, counts[facet], selected)
        labels = _labels(facet, values)
        built[facet] = [FacetValue(value=value, label=labels[value], count=counts[facet].get(value, 0),
                                   selected=value in selected) for value in values if value in labels]
    return built
