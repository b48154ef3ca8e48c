"""Search of the desk's questions and its knowledge base: one selector, a PostgreSQL and an SQLite engine."""

from sinergia.desk.search.selector import index_all_questions, index_questions, question_search, search_engine
from sinergia.desk.search.types import (
    KNOWLEDGE_BASE,
    VISIBLE,
    FacetValue,
    QuestionFilters,
    QuestionHit,
    QuestionSearchResult,
)

__all__ = [
    "KNOWLEDGE_BASE",
    "VISIBLE",
    "FacetValue",
    "QuestionFilters",
    "QuestionHit",
    "QuestionSearchResult",
    "index_all_questions",
    "index_questions",
    "question_search",
    "search_engine",
]
