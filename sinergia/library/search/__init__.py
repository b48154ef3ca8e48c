"""Full-text search of the library: one selector, a PostgreSQL and an SQLite engine, the same results contract."""

from sinergia.library.search.selector import (
    index_all_resources,
    index_resources,
    resource_search,
    resource_search_ids,
    search_engine,
)
from sinergia.library.search.types import FacetValue, Hit, SearchFilters, SearchResult

__all__ = [
    "FacetValue",
    "Hit",
    "SearchFilters",
    "SearchResult",
    "index_all_resources",
    "index_resources",
    "resource_search",
    "resource_search_ids",
    "search_engine",
]
