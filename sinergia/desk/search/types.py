"""What a search of the desk takes (filters) and gives (hits, facets), the same whichever engine answers."""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import SafeString

from sinergia.desk.models import Category, Question

MAX_FILTER_VALUES = 20
LANGUAGE_SUBTAG_RE = re.compile(r"^[a-z]{2,8}$")
KNOWLEDGE_BASE, VISIBLE = "knowledge", "visible"


def _clean(values: Iterable[Any] | None, convert, keep) -> tuple:
    """The valid values, converted, once each, in order, at most MAX_FILTER_VALUES (invalid ones are dropped)."""
    cleaned: list[Any] = []
    for value in values or ():
        try:
            converted = convert(value)
        except (TypeError, ValueError):
            continue
        if keep(converted) and converted not in cleaned:
            cleaned.append(converted)
    return tuple(cleaned[:MAX_FILTER_VALUES])


def _subtag(value: Any) -> str:
    return str(value).strip().lower().split("-", 1)[0]


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
            "languages": _clean(self.languages, _subtag, LANGUAGE_SUBTAG_RE.match),
            "my_languages": _clean(self.my_languages, _subtag, LANGUAGE_SUBTAG_RE.match),
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


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet, its label in the reader's language, and how many results have it."""

    value: str
    label: str
    count: int
    selected: bool


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
