"""What a search takes (filters) and gives (hits, facets), the same whichever engine answers."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.utils.safestring import SafeString

from sinergia.core.models import Concept
from sinergia.core.textsearch.filters import LANGUAGE_SUBTAG_RE, FacetValue, clean_values, language_subtag
from sinergia.library.models import Creator, Resource

MAX_FILTER_VALUES = 50
_clean = partial(clean_values, limit=MAX_FILTER_VALUES)
LANGUAGE = (language_subtag, LANGUAGE_SUBTAG_RE.match)  # how a language filter's values are cleaned


@dataclass(frozen=True)
class SearchFilters:
    """Facet selections (any of the values of a facet, all facets) and the reader's languages."""

    # Any sequence is accepted; each is kept as a tuple of its valid values.
    languages: Sequence[str] = ()
    kinds: Sequence[str] = ()
    topics: Sequence[int] = ()
    years: Sequence[int] = ()
    networks: Sequence[int] = ()
    my_languages: Sequence[str] = ()

    def __post_init__(self) -> None:
        clean = {
            "languages": _clean(self.languages, *LANGUAGE),
            "kinds": _clean(self.kinds, str, lambda kind: kind in Resource.Kind.values),
            "topics": _clean(self.topics, int, lambda pk: pk > 0),
            "years": _clean(self.years, int, lambda year: 0 < year < 3000),
            "networks": _clean(self.networks, int, lambda pk: pk > 0),
            "my_languages": _clean(self.my_languages, *LANGUAGE),
        }
        for name, value in clean.items():
            object.__setattr__(self, name, value)

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> "SearchFilters":
        """Filters from request parameters (a QueryDict): language, kind, topic, year, network, my_language."""
        def values(name: str) -> list[Any]:
            getlist = getattr(params, "getlist", None)
            return list(getlist(name)) if getlist else list(params.get(name) or [])

        return cls(languages=values("language"), kinds=values("kind"), topics=values("topic"),
                   years=values("year"), networks=values("network"), my_languages=values("my_language"))

    def selected(self, facet: str) -> tuple[str, ...]:
        """The selected values of a facet, as the strings its FacetValues carry."""
        name = {"language": "languages", "kind": "kinds", "topic": "topics", "year": "years",
                "network": "networks"}[facet]
        return tuple(str(value) for value in getattr(self, name))


@dataclass
class Hit:
    """A resource found (its creators in order and its topics), why (rank, the concepts it was found through, a close
    title) and where (snippet)."""

    resource: Resource
    rank: float
    snippet: SafeString
    title_html: SafeString
    creators: list[Creator] = field(default_factory=list)
    topics: list[Concept] = field(default_factory=list)
    matched_concepts: list[Concept] = field(default_factory=list)
    fuzzy: bool = False
    kind_label: str = ""  # the kind's label in the active language (get_kind_display translates every choice)


@dataclass
class SearchResult:
    """A page of hits in rank order, the total and the facets of the whole result set.

    A broad search (more than LIBRARY_SEARCH_EXACT_MAX results) is `estimated`: its total and facet counts come
    from a sample, and its hits are the best-ranked of its newest results, `reachable` of them in all.
    """

    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    query: str
    engine: str
    page: int = 1
    page_size: int = 20
    estimated: bool = False
    reachable: int | None = None

    @property
    def browsable(self) -> int:
        """How many results the pages go through."""
        return self.total if self.reachable is None else min(self.total, self.reachable)
