"""What a search of the desk takes (filters) and gives (hits, facets), the same whichever engine answers."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.utils.safestring import SafeString

from sinergia.core.textsearch.filters import LANGUAGE_SUBTAG_RE, FacetValue, clean_values, language_subtag
from sinergia.desk.models import Category, Question

MAX_FILTER_VALUES = 20
_clean = partial(clean_values, limit=MAX_FILTER_VALUES)
LANGUAGE = (language_subtag, LANGUAGE_SUBTAG_RE.match)  # how a language filter's values are cleaned
KNOWLEDGE_BASE, VISIBLE = "knowledge", "visible"


@dataclass(frozen=True)
class QuestionFilters:
    """The scope (the knowledge base, or every question the viewer sees) and the facet selections."""

    scope: str = KNOWLEDGE_BASE
    categories: Sequence[str] = ()
    languages: Sequence[str] = ()
    my_languages: Sequence[str] = ()
    statuses: Sequence[str] = ()
    organisations: Sequence[int] = ()

    def __post_init__(self) -> None:
        clean = {
            "scope": self.scope if self.scope in (KNOWLEDGE_BASE, VISIBLE) else KNOWLEDGE_BASE,
            "categories": _clean(self.categories, str, lambda value: value in Category.values),
            "languages": _clean(self.languages, *LANGUAGE),
            "my_languages": _clean(self.my_languages, *LANGUAGE),
            "statuses": _clean(self.statuses, str, lambda value: value in Question.Status.values),
            "organisations": _clean(self.organisations, int, lambda pk: pk > 0),
        }
        for name, value in clean.items():
            object.__setattr__(self, name, value)

    @classmethod
    def from_params(cls, params: Mapping[str, Any], **extra: Any) -> "QuestionFilters":
        """Filters from request parameters (a QueryDict): category, language."""
        def values(name: str) -> list[Any]:
            getlist = getattr(params, "getlist", None)
            return list(getlist(name)) if getlist else list(params.get(name) or [])

        return cls(categories=values("category"), languages=values("language"), **extra)


@dataclass
class QuestionHit:
    """A question found, its rank, its title and a snippet with the matches marked (safe HTML)."""

    question: Question
    rank: float
    title_html: SafeString
    snippet: SafeString


@dataclass
class QuestionSearchResult:
    """A page of hits in rank order, the total and the facets (category, language) of the whole result set."""

    total: int
    hits: list[QuestionHit]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    query: str = ""
    engine: str = ""
    page: int = 1
    page_size: int = 20
