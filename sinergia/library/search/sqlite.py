"""SQLite engine: FTS5 tables of terms analysed in Python (stems per resource language), bm25, trigrams for typos.

Tables created by migration 0002, written in the caller's transaction: `library_search_meta` (title, creators,
abstract + container + publisher) and `library_search_body` (extracted text), keyed by the resource id (rowid);
`library_search_word`, the words of titles, with `library_search_word_trgm`, their FTS5 trigram index (fuzzy.py).
"""
# ruff: noqa: S608 - SQL composed of constants and ORM-compiled SQL; every value is a parameter.

from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet
from django.db.models.functions import Substr

from sinergia.core.textsearch import snippets
from sinergia.core.textsearch.analysis import QUERY_CONFIGS, fold, index_text, search_config, terms
from sinergia.core.textsearch.query import all_query_terms, fts5_expression, query_stems
from sinergia.library.models import Creator, Resource, ResourceText
from sinergia.library.search import sql as search_sql
from sinergia.library.search.fuzzy import CANDIDATES_MAX, Correction, vocabulary_words
from sinergia.library.search.sql import ZERO, Match, Part, compiled, concept_rows

NAME = "sqlite"
BODY_INDEX_MAX_CHARS = 300_000
LANGUAGE_SQL = ("lower(CASE WHEN instr({column}, '-') > 0 THEN substr({column}, 1, instr({column}, '-') - 1) "
                "ELSE {column} END)")
TABLES = ("library_search_meta", "library_search_body")


def _creators(ids: list[int]) -> dict[int, str]:
    names: dict[int, list[str]] = defaultdict(list)
    rows = Creator.objects.filter(resource_id__in=ids).order_by("resource_id", "position")
    for resource_id, given, family, organisation in rows.values_list("resource_id", "given", "family",
                                                                     "organisation_name"):
        names[resource_id].append(" ".join(part for part in (given, family, organisation) if part))
    return {resource_id: " ".join(parts) for resource_id, parts in names.items()}


def _rows(ids: list[int]) -> tuple[list[tuple], list[tuple], set[str]]:
    """The FTS rows (description, text) of the live resources among ids, and the words of their titles."""
    live = list(Resource.objects.filter(pk__in=ids, deleted_at__isnull=True).values_list(
        "id", "title", "abstract", "container_title", "publisher", "language"))
    live_ids = [row[0] for row in live]
    creators = _creators(live_ids)
    bodies = dict(ResourceText.objects.filter(resource_id__in=live_ids)
                  .annotate(head=Substr("body", 1, BODY_INDEX_MAX_CHARS)).values_list("resource_id", "head"))
    meta, body = [], []
    for resource_id, title, abstract, container, publisher, language in live:
        config = search_config(language)
        described = " ".join(part for part in (abstract, container, publisher) if part)
        meta.append((resource_id, index_text(title, config), index_text(creators.get(resource_id, ""), config),
                     index_text(described, config)))
        if bodies.get(resource_id):
            body.append((resource_id, index_text(bodies[resource_id], config)))
    return meta, body, vocabulary_words((row[1], row[5]) for row in live)


def index(ids: list[int]) -> None:
    """Replace the rows of the resources in the FTS tables (in the caller's transaction); deleted ones get none."""
    meta, body, words = _rows(ids)
    placeholders = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"DELETE FROM {table} WHERE rowid IN ({placeholders})", ids)
        cursor.executemany("INSERT INTO library_search_meta (rowid, title, creators, abstract) "
                           "VALUES (%s, %s, %s, %s)", meta)
        cursor.executemany("INSERT INTO library_search_body (rowid, body) VALUES (%s, %s)", body)
        _vocabulary_add(cursor, sorted(words))


def _vocabulary_add(cursor, words: list[str]) -> None:
    """Keep the new words of titles, and index their trigrams."""
    if not words:
        return
    cursor.execute("SELECT COALESCE(MAX(id), 0) FROM library_search_word")
    last = cursor.fetchone()[0]
    cursor.executemany("INSERT OR IGNORE INTO library_search_word (word) VALUES (%s)", [(word,) for word in words])
    cursor.execute("INSERT INTO library_search_word_trgm (rowid, word) "
                   "SELECT id, word FROM library_search_word WHERE id > %s", [last])


def vocabulary_clear() -> None:
    """Forget the words of titles (before reindexing everything)."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO library_search_word_trgm (library_search_word_trgm) VALUES ('delete-all')")
        cursor.execute("DELETE FROM library_search_word")


def vocabulary_known(words: list[str]) -> set[str]:
    """The words that are words of some title."""
    placeholders = ", ".join(["%s"] * len(words))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT word FROM library_search_word WHERE word IN ({placeholders})", words)
        return {row[0] for row in cursor.fetchall()}


def vocabulary_candidates(pieces: list[str], shortest: int, longest: int) -> list[str]:
    """Title words containing one of the pieces, of a length in the range (trigram index), at most CANDIDATES_MAX."""
    expression = " OR ".join(f'"{piece}"' for piece in pieces)
    with connection.cursor() as cursor:
        cursor.execute("SELECT w.word FROM library_search_word_trgm t JOIN library_search_word w ON w.id = t.rowid "
                       "WHERE library_search_word_trgm MATCH %s AND length(w.word) BETWEEN %s AND %s LIMIT %s",
                       [expression, shortest, longest, CANDIDATES_MAX])
        return [row[0] for row in cursor.fetchall()]


def tidy() -> None:
    """Drop the rows of resources that no longer exist and merge the FTS5 index segments."""
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"DELETE FROM {table} WHERE rowid NOT IN (SELECT id FROM library_resource)")
        for table in (*TABLES, "library_search_word_trgm"):
            cursor.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")


def title_expression(correction: Correction) -> str:
    """The corrected query for an FTS5 MATCH on titles only, analysed in each language, the analyses OR'ed."""
    alternatives: list[str] = []
    for config in QUERY_CONFIGS:
        for group in correction.groups:
            required = []
            for words in group:
                analysed = dict.fromkeys(term for word in words for term in terms([word], config))
                if analysed:
                    required.append("(" + " OR ".join(f'"{term}"' for term in analysed) + ")")
            expression = "(" + " AND ".join(required) + ")" if required else ""
            if expression and expression not in alternatives:
                alternatives.append(expression)
    return "title : (" + " OR ".join(alternatives) + ")" if alternatives else ""


@dataclass(frozen=True)
class _Scope:
    """Which of the FTS table's rows can be of the base: those of the sample, those from an id on (or all)."""

    sample: bool = False
    newer_than: int | None = None

    def condition(self) -> Part:
        """The scope as conditions on the FTS table's rowid (FTS5 reads a rowid range without the rest)."""
        conditions, params = [], []
        if self.sample:
            conditions.append(f"rowid %% {int(search_sql.SAMPLE_MODULUS)} = 0")
        if self.newer_than is not None:
            conditions.append("rowid >= %s")
            params.append(self.newer_than)
        return "".join(f" AND {condition}" for condition in conditions), params


def _fts_rows(base: QuerySet, table: str, expression: str, tier: int, scored: bool, scope: _Scope) -> Part:
    """Rows (id, tier, score, kind, year, language) of the visible resources an FTS5 table matches."""
    # bm25 weights of title, creators, abstract: as PostgreSQL's weights of A, B and C (1.0, 0.4, 0.2).
    score = f"bm25({table}, 10.0, 4.0, 2.0)" if scored else ZERO
    sql, params = compiled(base)
    within, within_params = scope.condition()
    return (f"SELECT b.id, {tier}, f.score, b.kind, b.year, b.language FROM (SELECT rowid AS id, {score} AS score "
            f"FROM {table} WHERE {table} MATCH %s{within}) f JOIN ({sql}) b ON b.id = f.id",
            [expression, *within_params, *params])


def prepare(match: Match) -> None:
    """Nothing to ask the database: the FTS5 expressions are built here."""


def sources(match: Match, base: QuerySet, *, scored: bool, sample: bool = False,
            newer_than: int | None = None) -> list[Part]:
    """Rows of every resource of the base the query matches, by tier (see sql.py); `sample` and `newer_than` say
    that the base is the sample or holds only resources from that id, so that the FTS tables skip the others."""
    expression, scope = fts5_expression(match.query), _Scope(sample=sample, newer_than=newer_than)
    parts = [_fts_rows(base, "library_search_meta", expression, 0, scored, scope),
             _fts_rows(base, "library_search_body", expression, 1, False, scope),
             concept_rows(base, match, sample=sample, newer_than=newer_than)]
    corrected = title_expression(match.correction) if match.correction is not None else ""
    if corrected:
        parts.append(_fts_rows(base, "library_search_meta", corrected, 3, scored, scope))
    return parts


def headlines(match: Match, resources: dict[int, Resource],
              text_ids: list[int]) -> dict[int, tuple[str, str, str]]:
    """id → (title, abstract fragment, text fragment) with matches between markers (text only for text_ids)."""
    query_terms, stems = all_query_terms(match.query), query_stems(match.query)
    if match.correction is not None:
        query_terms |= {fold(term) for config in QUERY_CONFIGS for group in match.correction.groups
                        for words in group for term in terms(list(words), config)}
    bodies = dict(ResourceText.objects.filter(resource_id__in=text_ids)
                  .annotate(head=Substr("body", 1, snippets.BODY_WINDOW_CHARS)).values_list("resource_id", "head"))
    marked = {}
    for resource_id, resource in resources.items():
        language = resource.language
        body = bodies.get(resource_id, "")
        marked[resource_id] = (
            snippets.highlight_all(resource.title, language, query_terms),
            snippets.fragment(snippets.plain(resource.abstract), language, query_terms),
            snippets.text_fragment(body, language, query_terms, stems) if body else "",
        )
    return marked
