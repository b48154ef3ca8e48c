"""The desk's search: one selector over two engines (PostgreSQL full text, SQLite FTS5), one results contract."""

from collections.abc import Callable, Iterable
from types import ModuleType
from typing import Any

from django.db import transaction

from sinergia.core.textsearch import snippets
from sinergia.core.textsearch.engines import chunks, engine_for
from sinergia.core.textsearch.query import ParsedQuery, parse_query
from sinergia.desk.models import Question
from sinergia.desk.search import postgres, sql, sqlite
from sinergia.desk.search.types import QuestionFilters, QuestionHit, QuestionSearchResult

ENGINES: dict[str, ModuleType] = {"postgresql": postgres, "sqlite": sqlite}
INDEX_BATCH = 200
PAGE_SIZE_MAX = 100
PAGE_MAX = 500


def search_engine() -> ModuleType:
    """The engine of the database in use."""
    return engine_for(ENGINES, search="desk")


@transaction.atomic
def index_questions(*, ids: Iterable[int]) -> None:
    """(Re)index the questions' title, details and answers, in the caller's transaction."""
    engine = search_engine()
    for chunk in chunks(sorted({int(pk) for pk in ids}), INDEX_BATCH):
        engine.index(chunk)


def index_all_questions(*, batch_size: int = 1000, progress: Callable[[int], None] | None = None) -> int:
    """Reindex every question, one transaction per batch, then tidy the index (after bulk loads); how many."""
    engine, done = search_engine(), 0
    ids = list(Question.objects.order_by("pk").values_list("pk", flat=True))
    for chunk in chunks(ids, max(batch_size, 1)):
        index_questions(ids=chunk)
        done += len(chunk)
        if progress is not None:
            progress(done)
    engine.tidy()
    return done


def question_search(*, viewer, query: str, filters: QuestionFilters | None = None, page: int = 1,
                    page_size: int = 20) -> QuestionSearchResult:
    """A page of the questions the viewer may see that match the query, ranked, with facets of all the results.

    Without words, every question in scope, newest first. The knowledge base scope (the default) is the public
    resolved questions.
    """
    engine, filters = search_engine(), filters or QuestionFilters()
    page, page_size = min(max(int(page), 1), PAGE_MAX), min(max(int(page_size), 1), PAGE_SIZE_MAX)
    parsed = parse_query(query)
    prepared: dict[str, Any] = {}  # what the engine derives from the query once per search
    base = sql.visible(viewer, filters)
    matched = sql.browse_rows(base) if parsed.is_empty else engine.matched(base, parsed, prepared)
    counts, ranked = sql.results(matched, limit=page_size, offset=(page - 1) * page_size)
    return QuestionSearchResult(total=sql.total_of(counts), hits=_hits(engine, parsed, prepared, ranked),
                                facets=sql.facets_build(counts, filters), query=parsed.text, engine=engine.NAME,
                                page=page, page_size=page_size)


def _hits(engine: ModuleType, parsed: ParsedQuery, prepared: dict, ranked: sql.Ranked) -> list[QuestionHit]:
    """The page's questions (organisation and accepted answer loaded) with their marked title and snippet."""
    if not ranked:
        return []
    questions = Question.objects.select_related("organisation", "accepted_answer").in_bulk([pk for pk, _ in ranked])
    if parsed.is_empty:
        marked = {pk: (snippets.without_controls(q.title), snippets.fragment(snippets.plain(q.body), q.language,
                                                                             frozenset()), "")
                  for pk, q in questions.items()}
    else:
        marked = engine.headlines(parsed, prepared, questions)
    return [_hit(questions[pk], score, marked[pk]) for pk, score in ranked if pk in questions]


def _hit(question: Question, score: float, marked: tuple[str, str, str]) -> QuestionHit:
    title, body, answer = marked
    snippet = answer if snippets.has_mark(answer) and not snippets.has_mark(body) else body or answer
    return QuestionHit(question=question, rank=float(-score or 0.0), title_html=snippets.marked_html(title),
                       snippet=snippets.marked_html(snippet))
