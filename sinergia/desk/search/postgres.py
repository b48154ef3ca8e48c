"""PostgreSQL engine: a stored weighted tsvector per question in its language, a GIN index, ts_rank, ts_headline.

The column `search_vector` is added to desk_question by migration 0002 (outside the model, so that no save() ever
rewrites it): title A, details B, the accepted answer and the experts' answers C.
"""
# ruff: noqa: S608, S611 - SQL composed of constants and ORM-compiled SQL; every value is a parameter.

from django.db import connection
from django.db.models import BooleanField, FloatField, QuerySet
from django.db.models.expressions import RawSQL

from sinergia.core.textsearch import snippets
from sinergia.core.textsearch.analysis import QUERY_CONFIGS
from sinergia.core.textsearch.postgres import config_sql
from sinergia.core.textsearch.query import ParsedQuery, websearch_text
from sinergia.desk.models import Question
from sinergia.desk.search.sql import Part, compiled

NAME = "postgresql"
BODY_INDEX_MAX_CHARS = 20_000
ANSWERS_INDEX_MAX_CHARS = 60_000
RANK_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"  # D, C, B, A
TITLE_OPTIONS = f"HighlightAll=true, StartSel={snippets.START}, StopSel={snippets.STOP}"
FRAGMENT_OPTIONS = (f"MaxFragments=2, MinWords=12, MaxWords={snippets.FRAGMENT_WORDS}, "
                    f"FragmentDelimiter=\" {snippets.ELLIPSIS} \", StartSel={snippets.START}, StopSel={snippets.STOP}")


def _words(expression: str) -> str:
    """The text with angle brackets as spaces: PostgreSQL's parser would skip what looks like markup, SQLite's not."""
    return f"translate({expression}, '<>', '  ')"


def _clean(expression: str) -> str:
    """The text without the control characters used as highlight markers."""
    return f"translate({expression}, chr(2) || chr(3), '')"


INDEX_SQL = f"""
UPDATE desk_question q SET search_vector =
    setweight(to_tsvector(c.config, {_words("q.title")}), 'A')
    || setweight(to_tsvector(c.config, {_words("left(q.body, %s)")}), 'B')
    || setweight(to_tsvector(c.config, {_words("left(c.answers, %s)")}), 'C')
FROM (
  SELECT x.id, {config_sql("x.language")} AS config,
    coalesce((SELECT string_agg(a.body, ' ' ORDER BY a.id = x.accepted_answer_id DESC, a.id) FROM desk_answer a
              WHERE a.question_id = x.id AND (a.by_expert OR a.id = x.accepted_answer_id)), '') AS answers
  FROM desk_question x WHERE x.id = ANY(%s)
) c
WHERE q.id = c.id
"""


def index(ids: list[int]) -> None:
    """Recompute the vectors of the questions (in the caller's transaction)."""
    with connection.cursor() as cursor:
        cursor.execute(INDEX_SQL, [BODY_INDEX_MAX_CHARS, ANSWERS_INDEX_MAX_CHARS, ids])


def tidy() -> None:
    """Refresh the planner's statistics after bulk loads."""
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        cursor.execute(f"{command} desk_question")


def tsquery(query: ParsedQuery) -> str:
    """The query analysed in every configuration, the distinct results OR'ed, as one constant tsquery text.

    A constant lets the planner estimate it and use the GIN index; an empty text matches nothing.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT websearch_to_tsquery(c::regconfig, %s)::text FROM unnest(%s::text[]) c",
                       [websearch_text(query), list(QUERY_CONFIGS)])
        parsed = sorted(row[0] for row in cursor.fetchall() if row[0])
    return " | ".join(f"( {text} )" for text in parsed)


def matched(base: QuerySet, query: ParsedQuery, prepared: dict) -> Part:
    """Rows (id, score, category, language) of the visible questions whose vector matches the query."""
    prepared.setdefault("tsquery", tsquery(query))
    text = prepared["tsquery"]
    matching = base.filter(RawSQL('"desk_question"."search_vector" @@ %s::tsquery', [text],
                                  output_field=BooleanField()))
    rank = RawSQL(f"-ts_rank('{RANK_WEIGHTS}', \"desk_question\".\"search_vector\", %s::tsquery)", [text],
                  output_field=FloatField())
    sql, params = compiled(matching.annotate(search_score=rank), "search_score")
    return f"SELECT x.id, x.search_score AS score, x.category, x.language FROM ({sql}) x", params


HEADLINES_SQL = f"""
SELECT q.id,
  ts_headline(c.config, {_clean("q.title")}, c.query, %(title_options)s),
  ts_headline(c.config, {_clean("left(q.body, %(body_max)s)")}, c.query, %(fragment_options)s),
  ts_headline(c.config, {_clean("left(coalesce(a.body, ''), %(body_max)s)")}, c.query, %(fragment_options)s)
FROM desk_question q
CROSS JOIN LATERAL (SELECT {config_sql("q.language")} AS config, %(query)s::tsquery AS query) c
LEFT JOIN desk_answer a ON a.id = q.accepted_answer_id
WHERE q.id = ANY(%(ids)s)
"""


def headlines(query: ParsedQuery, prepared: dict, questions: dict[int, Question]) -> dict[int, tuple[str, str, str]]:
    """id → (title, details fragment, accepted answer fragment) with the matches between markers."""
    prepared.setdefault("tsquery", tsquery(query))
    params = {"title_options": TITLE_OPTIONS, "fragment_options": FRAGMENT_OPTIONS, "body_max": BODY_INDEX_MAX_CHARS,
              "query": prepared["tsquery"], "ids": list(questions)}
    with connection.cursor() as cursor:
        cursor.execute(HEADLINES_SQL, params)
        found = cursor.fetchall()
    return {pk: (title, _fragment(body, questions[pk].body), _fragment(answer, _accepted_body(questions[pk])))
            for pk, title, body, answer in found}


def _accepted_body(question: Question) -> str:
    return question.accepted_answer.body if question.accepted_answer_id and question.accepted_answer else ""


def _fragment(marked: str, whole: str) -> str:
    """A headline as plain text, with ellipses where it cuts the whole text."""
    fragment = snippets.plain(marked or "")
    if not fragment:
        return fragment
    bare, text = fragment.replace(snippets.START, "").replace(snippets.STOP, ""), snippets.plain(whole)
    prefix = "" if text.startswith(bare[:40]) else snippets.ELLIPSIS
    suffix = "" if text.endswith(bare[-40:]) else snippets.ELLIPSIS
    return prefix + fragment + suffix
