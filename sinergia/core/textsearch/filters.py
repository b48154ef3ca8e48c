"""What every search's facets share: selections cleaned from untrusted parameters, and a facet's values."""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

LANGUAGE_SUBTAG_RE = re.compile(r"^[a-z]{2,8}$")


def clean_values(values: Iterable[Any] | None, convert: Callable[[Any], Any], keep: Callable[[Any], Any], *,
                 limit: int) -> tuple:
    """The valid values, converted, once each, in order, at most `limit` (invalid ones are dropped)."""
    cleaned: list[Any] = []
    for value in values or ():
        try:
            converted = convert(value)
        except (TypeError, ValueError):
            continue
        if keep(converted) and converted not in cleaned:
            cleaned.append(converted)
    return tuple(cleaned[:limit])


def language_subtag(value: Any) -> str:
    """The primary language subtag of a tag, in lower case ("pt" for "pt-BR")."""
    return str(value).strip().lower().split("-", 1)[0]


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet, its label in the reader's language, and how many results have it."""

    value: str
    label: str
    count: int
    selected: bool
