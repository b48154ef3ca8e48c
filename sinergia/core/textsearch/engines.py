"""Choosing a search engine for the database in use, and indexing in batches."""

from collections.abc import Iterable, Mapping
from itertools import islice
from types import ModuleType

from django.core.exceptions import ImproperlyConfigured
from django.db import connection


def engine_for(engines: Mapping[str, ModuleType], *, search: str) -> ModuleType:
    """The engine of `engines` for the database in use (ImproperlyConfigured naming `search` if there is none)."""
    try:
        return engines[connection.vendor]
    except KeyError:
        raise ImproperlyConfigured(f"The {search} search has no engine for {connection.vendor}.") from None


def chunks(values: Iterable[int], size: int) -> Iterable[list[int]]:
    """The values in lists of at most `size`."""
    iterator = iter(values)
    while chunk := list(islice(iterator, size)):
        yield chunk
