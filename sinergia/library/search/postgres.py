"""PostgreSQL engine: stored weighted tsvectors per resource language, GIN indexes, ts_rank_cd, ts_headline, pg_trgm.

Columns added by migration 0002 to library_resource (outside the model, so that no save() ever rewrites them):
`search_vector` (title A, creators B, abstract + container + publisher C) and `search_body` (extracted text, D),
kept apart so that ranking, which reads every matched vector, never reads the large vectors of full texts.
The table `library_search_word` holds the words of titles with a trigram index, for typo tolerance (fuzzy.py).
"""
# ruff: noqa: S608, S611 - SQL composed of constants and ORM-compiled SQL; every value is a parameter.

from functools import lru_cache
from typing import Any

from django.db import connection
from django.db.models import BooleanField, FloatField, QuerySet
from django.db.models.expressions import RawSQL

from sinergia.core.textsearch import snippets
from sinergia.core.textsearch.analysis import QUERY_CONFIGS
from sinergia.core.textsearch.postgres import LANGUAGE_SQL as LANGUAGE_SQL  # the engine's, read by the selector
from sinergia.core.textsearch.postgres import config_sql
from sinergia.core.textsearch.query import ParsedQuery, query_stems, websearch_text
from sinergia.library.models import Resource
from sinergia.library.search.fuzzy import CANDIDATES_MAX, Correction, vocabulary_words
from sinergia.library.search.sql import Match, Part, compiled, concept_rows, rows

NAME = "postgresql"
BODY_INDEX_MAX_CHARS = 300_000
WHOLE_ABSTRACT_MAX_CHARS = 240
# A longer abstract is highlighted in a slice of this many characters (whole words) from a little before the first
# of the query's stems found in it, as extracted texts are: ts_headline parses and stems all it is given, and a
# fragment is 30 words at most. When the slice holds no match (a stem found inside another word), the whole is.
ABSTRACT_SLICE_CHARS = 700
RANK_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"  # D, C, B, A
TITLE_OPTIONS = f"HighlightAll=true, StartSel={snippets.START}, StopSel={snippets.STOP}"
FRAGMENT_OPTIONS = (f"MaxFragments=2, MinWords=12, MaxWords={snippets.FRAGMENT_WORDS}, "
                    f"FragmentDelimiter=\" {snippets.ELLIPSIS} \", StartSel={snippets.START}, StopSel={snippets.STOP}")


def _clean_sql(expression: str) -> str:
    """The text without the control characters used as highlight markers."""
    return f"translate({expression}, chr(2) || chr(3), '')"


def _words_sql(expression: str) -> str:
    """The text with angle brackets as spaces: PostgreSQL's parser would skip what looks like markup, SQLite's not."""
    return f"translate({expression}, '<>', '  ')"


INDEX_SQL = f"""
UPDATE library_resource r SET
  search_vector = CASE WHEN r.deleted_at IS NULL THEN
      setweight(to_tsvector(c.config, {_words_sql("r.title")}), 'A')
      || setweight(to_tsvector(c.config, {_words_sql("c.creators")}), 'B')
      || setweight(to_tsvector(c.config, {_words_sql("concat_ws(' ', r.abstract, r.container_title, r.publisher)")}),
                   'C') END,
  search_body = CASE WHEN r.deleted_at IS NULL AND c.body <> ''
      THEN setweight(to_tsvector(c.config, {_words_sql("c.body")}), 'D') END
FROM (
  SELECT x.id, {config_sql("x.language")} AS config,
    coalesce((SELECT string_agg(concat_ws(' ', cr.given, cr.family, cr.organisation_name), ' ' ORDER BY cr.position)
              FROM library_creator cr WHERE cr.resource_id = x.id), '') AS creators,
    left(coalesce(t.body, ''), %s) AS body
  FROM library_resource x LEFT JOIN library_resourcetext t ON t.resource_id = x.id
  WHERE x.id = ANY(%s)
) c
WHERE r.id = c.id
"""


def index(ids: list[int]) -> None:
    """Recompute the vectors of the resources (in the caller's transaction); deleted ones get none."""
    titles = Resource.objects.filter(pk__in=ids, deleted_at__isnull=True).values_list("title", "language")
    with connection.cursor() as cursor:
        cursor.execute(INDEX_SQL, [BODY_INDEX_MAX_CHARS, ids])
        cursor.execute("INSERT INTO library_search_word (word) SELECT unnest(%s::text[]) ON CONFLICT DO NOTHING",
                       [sorted(vocabulary_words(titles))])


def vocabulary_clear() -> None:
    """Forget the words of titles (before reindexing everything)."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM library_search_word")


def vocabulary_known(words: list[str]) -> set[str]:
    """The words that are words of some title."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT word FROM library_search_word WHERE word = ANY(%s)", [words])
        return {row[0] for row in cursor.fetchall()}


def vocabulary_candidates(pieces: list[str], shortest: int, longest: int) -> list[str]:
    """Title words containing one of the pieces, of a length in the range (trigram index), at most CANDIDATES_MAX."""
    patterns = [f"%{piece}%" for piece in pieces]
    with connection.cursor() as cursor:
        cursor.execute("SELECT word FROM library_search_word WHERE word LIKE ANY(%s) "
                       "AND length(word) BETWEEN %s AND %s LIMIT %s", [patterns, shortest, longest, CANDIDATES_MAX])
        return [row[0] for row in cursor.fetchall()]


TIDY_TABLES = "library_resource, library_resource_topics, library_resource_networks, library_search_word"


def tidy() -> None:
    """Refresh the planner's statistics after bulk loads, and the visibility map (index-only scans) when possible."""
    # VACUUM cannot run inside a transaction.
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        cursor.execute(f"{command} {TIDY_TABLES}")


def prepare(match: Match) -> None:
    """The query's tsquery (and its correction's, titles only) as constant texts, once per search.

    websearch_to_tsquery of the query in each configuration, the distinct results OR'ed: one constant tsquery, so
    that the planner estimates it (duplicates would make it guess half the table) and uses the GIN index.
    """
    if match.correction is not None and "title" not in match.prepared:
        match.prepared["title"] = _tsquery_text("to_tsquery", title_query_text(match.correction))
    if "query" not in match.prepared:
        match.prepared["query"] = _tsquery_text("websearch_to_tsquery", websearch_text(match.query))
        match.prepared["rank"] = _rank_query_text(rank_words(match.query)) or match.prepared["query"]


def _marks(match: Match) -> str:
    """The tsquery of what the snippets mark (see marks_text), asked only when there are snippets to make."""
    text, marks = websearch_text(match.query), marks_text(match.query)
    return match.prepared["query"] if marks == text else _tsquery_text("websearch_to_tsquery", marks)


def marks_text(query: ParsedQuery) -> str:
    """Any of the query's words (excluded ones left out), in websearch_to_tsquery syntax: what the snippets mark.

    ts_headline cuts fragments around the stretches of text that satisfy its query: with the query as matched, a
    fragment needs all the words of a query of several words, which an abstract or a long text seldom holds within
    thirty words (the snippet then showed its opening, unmarked). Each word found is such a stretch of this one.
    """
    return " or ".join(f'"{word}"' for word in dict.fromkeys(query.positive_words))


@lru_cache(maxsize=4096)
def _tsquery_text(function: str, text: str) -> str:
    """The tsquery of the text in every query configuration, OR'ed (kept per process: the configurations' dictionaries
    do not change while it runs, so the same text always gives the same tsquery)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT {function}(c::regconfig, %s)::text FROM unnest(%s::text[]) c",
                       [text, list(QUERY_CONFIGS)])
        parsed = sorted(row[0] for row in cursor.fetchall() if row[0])
    return " | ".join(f"( {query} )" for query in parsed)  # empty: matches nothing


def rank_words(query: ParsedQuery) -> tuple[str, ...]:
    """The words of a query of several words, all required, none a phrase (the queries _rank_query_text ranks);
    none for any other."""
    if len(query.groups) != 1:
        return ()
    group = query.groups[0]
    if len(group) < 2 or any(term.negated or len(term.words) != 1 for term in group):
        return ()
    return tuple(term.words[0] for term in group)


RANK_QUERY_SQL = """
SELECT w.position, string_agg(DISTINCT '( ' || t.query || ' )', ' | ') FILTER (WHERE t.query <> ''),
       bool_or(t.query = '')
FROM unnest(%s::text[]) WITH ORDINALITY w(word, position)
CROSS JOIN unnest(%s::text[]) c
CROSS JOIN LATERAL (SELECT plainto_tsquery(c::regconfig, w.word)::text AS query) t
GROUP BY w.position ORDER BY w.position
"""


@lru_cache(maxsize=4096)
def _rank_query_text(words: tuple[str, ...]) -> str:
    """The tsquery that ranks the matches of a query of several words: each word's forms in every configuration
    OR'ed, the words AND'ed ("" when the query is not such, or every word is a stop word somewhere).

    Ranking with the query as matched, whose alternatives are the whole query analysed in each configuration, makes
    ts_rank_cd weigh every alternative against every match: about 1.6 times the cost for three words. Every
    resource the query matches holds, for each word, its form in one configuration, so it matches this query too.
    Words that are stop words in some configuration are absent from the vectors of that language, so they are left
    out, as that configuration's own analysis leaves them out.
    """
    if not words:
        return ""
    with connection.cursor() as cursor:
        cursor.execute(RANK_QUERY_SQL, [list(words), list(QUERY_CONFIGS)])
        kept = [forms for _position, forms, stop_word in cursor.fetchall() if forms and not stop_word]
    return " & ".join(f"( {forms} )" for forms in kept)


def title_query_text(correction: Correction) -> str:
    """The corrected query in to_tsquery syntax, restricted to titles (weight A)."""
    return " | ".join("(" + " & ".join("(" + " | ".join(f"{word}:A" for word in alternatives) + ")"
                                       for alternatives in group) + ")" for group in correction.groups)


def _matching(base: QuerySet, column: str, query: str, tier: int, scored: bool, indexed: bool = True,
              rank: str | None = None) -> Part:
    """Rows (id, tier, score, kind, year, language) of the visible resources whose vector matches the tsquery,
    scored by the tsquery `rank` if given (see _rank_query_text), else by the same.

    Not `indexed`: the vector of each resource of the base is read instead of the GIN index, whose lists for a
    common word (tens of thousands of entries) cost more than the few thousand resources of a bounded base.
    """
    vector = f'"library_resource"."{column}"' if indexed else f"coalesce(\"library_resource\".\"{column}\", '')"
    matching = base.filter(RawSQL(f"{vector} @@ %s::tsquery", [query], output_field=BooleanField()))
    if not scored:
        return rows(compiled(matching), tier)
    score = RawSQL(f"-ts_rank_cd('{RANK_WEIGHTS}', \"library_resource\".\"{column}\", %s::tsquery)",
                   [rank or query], output_field=FloatField())
    return rows(compiled(matching.annotate(search_score=score), "search_score"), tier, "x.search_score")


def sources(match: Match, base: QuerySet, *, scored: bool, sample: bool = False,
            newer_than: int | None = None) -> list[Part]:
    """Rows of every resource of the base the query matches, by tier (see sql.py).

    Whether the base is the sample or holds only resources from the id `newer_than` is already in its own
    conditions. The sample's vectors have GIN indexes of their own (migration 0006), which the planner picks from
    those conditions. The newest resources have none: their descriptions' vectors are read rather than the index.
    """
    prepare(match)
    parts = [_matching(base, "search_vector", match.prepared["query"], 0, scored, indexed=newer_than is None,
                       rank=match.prepared["rank"]),
             _matching(base, "search_body", match.prepared["query"], 1, False),
             concept_rows(base, match, sample=sample, newer_than=newer_than)]
    if match.correction is not None:
        parts.append(_matching(base, "search_vector", match.prepared["title"], 3, scored))
    return parts


# The slice from f.start: to the abstract's end if it is near, else ABSTRACT_SLICE_CHARS without the last word cut.
_ABSTRACT_SLICE_SQL = ("CASE WHEN f.start + %(abstract_slice)s > length(r.abstract) THEN substr(r.abstract, f.start) "
                       "ELSE regexp_replace(substr(r.abstract, f.start, %(abstract_slice)s), '\\S+$', '') END")

HEADLINES_SQL = f"""
SELECT r.id,
  ts_headline(c.config, {_clean_sql("r.title")}, c.marks, %(title_options)s),
  CASE WHEN length(r.abstract) <= %(whole_max)s
       THEN ts_headline(c.config, {_clean_sql("r.abstract")}, c.marks, %(title_options)s)
       WHEN strpos(a.headline, chr(2)) > 0 THEN a.headline
       ELSE ts_headline(c.config, {_clean_sql("r.abstract")}, c.marks, %(fragment_options)s) END,
  CASE WHEN r.id = ANY(%(text_ids)s)
       THEN ts_headline(c.config, {_clean_sql("substr(t.body, w.start, %(slice)s)")}, c.marks, %(fragment_options)s)
       END,
  w.start
FROM library_resource r
CROSS JOIN LATERAL (SELECT {config_sql("r.language")} AS config, %(marks)s::tsquery AS marks) c
LEFT JOIN library_resourcetext t ON t.resource_id = r.id
CROSS JOIN LATERAL (SELECT CASE WHEN r.id = ANY(%(text_ids)s) THEN lower(left(t.body, %(window)s)) END AS text
                    OFFSET 0) l  -- computed once per row, not once per stem
CROSS JOIN LATERAL (
  SELECT greatest(1, coalesce(min(nullif(strpos(l.text, s), 0)), 1) - %(lead)s) AS start
  FROM unnest(%(stems)s::text[]) s WHERE l.text IS NOT NULL
) w
CROSS JOIN LATERAL (SELECT lower(r.abstract) AS lowered OFFSET 0) o  -- once per row, not once per stem
LEFT JOIN LATERAL (  -- a long abstract's headline in its slice around the first stem found (see ABSTRACT_SLICE_CHARS)
  SELECT ts_headline(c.config, {_clean_sql(_ABSTRACT_SLICE_SQL)}, c.marks, %(fragment_options)s) AS headline
  FROM (SELECT CASE WHEN first <= %(lead)s THEN 1  -- else just after a space, if the lead holds one
                    ELSE first - %(lead)s + position(' ' IN substr(r.abstract, first - %(lead)s, %(lead)s)) END AS start
        FROM (SELECT min(nullif(strpos(o.lowered, s), 0)) AS first FROM unnest(%(stems)s::text[]) s) m
        WHERE length(r.abstract) > %(whole_max)s) f
  WHERE f.start IS NOT NULL
  OFFSET 0  -- computed once, though used twice above
) a ON true
WHERE r.id = ANY(%(ids)s)
"""


def headlines(match: Match, resources: dict[int, Resource],
              text_ids: list[int]) -> dict[int, tuple[str, str, str]]:
    """id → (title, abstract fragment, text fragment) with matches between markers (text only for text_ids): each
    word of the query (see marks_text) and, when it was corrected, each word of its correction."""
    prepare(match)
    marks = _marks(match) + (f" | {match.prepared['title']}" if "title" in match.prepared else "")
    params: dict[str, Any] = {
        "marks": marks, "title_options": TITLE_OPTIONS, "fragment_options": FRAGMENT_OPTIONS,
        "whole_max": WHOLE_ABSTRACT_MAX_CHARS, "text_ids": text_ids, "slice": snippets.SLICE_CHARS,
        "abstract_slice": ABSTRACT_SLICE_CHARS, "window": snippets.BODY_WINDOW_CHARS,
        "lead": snippets.SLICE_LEAD_CHARS, "stems": query_stems(match.query), "ids": list(resources)}
    with connection.cursor() as cursor:
        cursor.execute(HEADLINES_SQL, params)
        found = cursor.fetchall()
    return {pk: (title, _fragment(abstract, resources[pk].abstract), _fragment(text or "", None, start > 1))
            for pk, title, abstract, text, start in found}


def _fragment(marked: str, whole: str | None, cut: bool = True) -> str:
    """A headline as plain text, with ellipses where it cuts the whole text (when known, else where cut)."""
    fragment = snippets.plain(marked)
    if not fragment:
        return fragment
    if whole is None:
        return (snippets.ELLIPSIS if cut else "") + fragment + snippets.ELLIPSIS
    bare, text = fragment.replace(snippets.START, "").replace(snippets.STOP, ""), snippets.plain(whole)
    prefix = "" if text.startswith(bare[:40]) else snippets.ELLIPSIS
    suffix = "" if text.endswith(bare[-40:]) else snippets.ELLIPSIS
    return prefix + fragment + suffix
