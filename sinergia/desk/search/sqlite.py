"""SQLite engine: an FTS5 table of terms analysed in Python (stems in each question's language), ranked by bm25.

The table `desk_question_search` (title, body, answers), keyed by the question id (rowid), is created by migration
0002 and written in the caller's transaction.
"""
# ruff: noqa: S608 - SQL composed of constants and ORM-compiled SQL; every value is a parameter.

from collections import defaultdict

from django.db import connection
from django.db.models import QuerySet

from sinergia.core.textsearch import snippets
from sinergia.core.textsearch.analysis import index_text, search_config
from sinergia.core.textsearch.query import ParsedQuery, all_query_terms, fts5_expression
from sinergia.desk.models import Answer, Question
from sinergia.desk.search.sql import Part, compiled

NAME = "sqlite"
BODY_INDEX_MAX_CHARS = 20_000
ANSWERS_INDEX_MAX_CHARS = 60_000


def _answers(questions: list[tuple]) -> dict[int, str]:
    """question id → the accepted answer and the experts' answers, the accepted one first."""
    accepted = {row[0]: row[5] for row in questions}
    texts: dict[int, list[tuple[bool, int, str]]] = defaultdict(list)
    rows = Answer.objects.filter(question_id__in=list(accepted)).values_list("question_id", "id", "body", "by_expert")
    for question_id, answer_id, body, by_expert in rows:
        if by_expert or answer_id == accepted[question_id]:
            texts[question_id].append((answer_id != accepted[question_id], answer_id, body))
    return {pk: " ".join(body for *_order, body in sorted(found)) for pk, found in texts.items()}


def index(ids: list[int]) -> None:
    """Replace the rows of the questions in the FTS table (in the caller's transaction)."""
    questions = list(Question.objects.filter(pk__in=ids).values_list("id", "title", "body", "language", "category",
                                                                     "accepted_answer_id"))
    answers = _answers(questions)
    rows = []
    for pk, title, body, language, _category, _accepted in questions:
        config = search_config(language)
        rows.append((pk, index_text(title, config), index_text(body[:BODY_INDEX_MAX_CHARS], config),
                     index_text(answers.get(pk, "")[:ANSWERS_INDEX_MAX_CHARS], config)))
    placeholders = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM desk_question_search WHERE rowid IN ({placeholders})", ids)
        cursor.executemany("INSERT INTO desk_question_search (rowid, title, body, answers) VALUES (%s, %s, %s, %s)",
                           rows)


def tidy() -> None:
    """Drop the rows of questions that no longer exist and merge the FTS5 index segments."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM desk_question_search WHERE rowid NOT IN (SELECT id FROM desk_question)")
        cursor.execute("INSERT INTO desk_question_search (desk_question_search) VALUES ('optimize')")


def matched(base: QuerySet, query: ParsedQuery, prepared: dict) -> Part:
    """Rows (id, score, category, language) of the visible questions the FTS table matches."""
    expression = prepared.setdefault("fts5", fts5_expression(query))
    if not expression:
        return "SELECT 0 AS id, 0.0 AS score, '' AS category, '' AS language WHERE 1 = 0", []
    sql, params = compiled(base)
    # bm25 weights of title, details, answers: as PostgreSQL's weights of A, B and C (1.0, 0.4, 0.2).
    return ("SELECT b.id, f.score, b.category, b.language FROM (SELECT rowid AS id, "
            "bm25(desk_question_search, 10.0, 4.0, 2.0) AS score FROM desk_question_search "
            f"WHERE desk_question_search MATCH %s) f JOIN ({sql}) b ON b.id = f.id", [expression, *params])


def headlines(query: ParsedQuery, prepared: dict, questions: dict[int, Question]) -> dict[int, tuple[str, str, str]]:
    """id → (title, details fragment, accepted answer fragment) with the matches between markers."""
    terms = prepared.setdefault("terms", all_query_terms(query))
    marked = {}
    for pk, question in questions.items():
        accepted = question.accepted_answer.body if question.accepted_answer_id and question.accepted_answer else ""
        marked[pk] = (snippets.highlight_all(question.title, question.language, terms),
                      snippets.fragment(snippets.plain(question.body), question.language, terms),
                      snippets.fragment(snippets.plain(accepted), question.language, terms))
    return marked
