"""SQL shared by both engines: the visible, filtered questions, their facet counts and a ranked page in one statement.

Every statement starts from the questions the viewer may see (`visible_questions_q`, compiled by the ORM), so no hit
and no count ever includes a question the viewer may not see. An engine contributes the matched questions as rows
(id, score, category, language); a lower score ranks first, then the newer question.
"""
# ruff: noqa: S608 - SQL composed of constants and ORM-compiled SQL; every value is a parameter.

from collections import defaultdict
from collections.abc import Sequence

from django.db import connection
from django.db.models import Q, QuerySet

from sinergia.core.languages import language_family, language_name
from sinergia.desk.models import Category, Question
from sinergia.desk.rules.questions import visible_questions_q
from sinergia.desk.search.types import KNOWLEDGE_BASE, FacetValue, QuestionFilters

ZERO = "CAST(0 AS DOUBLE PRECISION)"
Part = tuple[str, list]
Counts = list[tuple[str, str, int]]
Ranked = list[tuple[int, float]]


def _languages_q(subtags: Sequence[str]) -> Q:
    condition = Q(pk__in=[])
    for subtag in subtags:
        condition |= Q(language=subtag) | Q(language__startswith=f"{subtag}-")
    return condition


def filters_q(filters: QuestionFilters) -> Q:
    """The scope and facet selections as a filter on questions: any value within a facet, every facet."""
    condition = Q()
    if filters.scope == KNOWLEDGE_BASE:
        condition &= Q(visibility=Question.Visibility.PUBLIC, status=Question.Status.RESOLVED)
    if filters.categories:
        condition &= Q(category__in=filters.categories)
    if filters.languages:
        condition &= _languages_q(filters.languages)
    if filters.my_languages:
        condition &= _languages_q(filters.my_languages)
    if filters.statuses:
        condition &= Q(status__in=filters.statuses)
    if filters.organisations:
        condition &= Q(organisation_id__in=filters.organisations)
    return condition


def visible(viewer, filters: QuestionFilters) -> QuerySet:
    """The questions visible to the viewer that pass the filters (unordered)."""
    return Question.objects.filter(visible_questions_q(viewer) & filters_q(filters)).order_by()


def compiled(queryset: QuerySet, *extra: str) -> Part:
    """SELECT id, category, language (and extra columns) of a queryset, as SQL and parameters."""
    sql, params = queryset.values_list("id", "category", "language", *extra).query.sql_with_params()
    return sql, list(params)


def browse_rows(base: QuerySet) -> Part:
    """Every visible question as matched rows with a score of zero (so the newest come first)."""
    sql, params = compiled(base)
    return f"SELECT b.id, {ZERO} AS score, b.category, b.language FROM ({sql}) b", params


def results(matched: Part, *, limit: int, offset: int) -> tuple[Counts, Ranked]:
    """In one statement: the counts per category and language of every matched row, and the page in rank order."""
    sql, params = matched
    statement = (
        f"WITH r AS MATERIALIZED (SELECT m.id AS id, m.score AS score, m.category AS category, "
        f"m.language AS language FROM ({sql}) m) "
        f"SELECT 'count', r.category, r.language, COUNT(*), {ZERO} FROM r GROUP BY r.category, r.language "
        f"UNION ALL SELECT 'hit', CAST(p.id AS TEXT), '', 0, p.score FROM (SELECT r.id, r.score FROM r "
        "ORDER BY r.score, r.id DESC LIMIT %s OFFSET %s) p"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [*params, limit, offset])
        rows = cursor.fetchall()
    counts = [(category, language, int(count)) for kind, category, language, count, _s in rows if kind == "count"]
    hits = [(int(value), float(score)) for kind, value, _l, _c, score in rows if kind == "hit"]
    return counts, sorted(hits, key=lambda hit: (hit[1], -hit[0]))


def total_of(counts: Counts) -> int:
    return sum(count for _category, _language, count in counts)


def facets_build(counts: Counts, filters: QuestionFilters) -> dict[str, list[FacetValue]]:
    """The category facet (every category, in the model's order) and the language facet (by count)."""
    categories: dict[str, int] = defaultdict(int)
    languages: dict[str, int] = defaultdict(int)
    for category, language, count in counts:
        categories[category] += count
        languages[language_family(language)] += count
    category_values = [FacetValue(value=value, label=str(label), count=categories.get(value, 0),
                                  selected=value in filters.categories)
                       for value, label in Category.choices if categories.get(value) or value in filters.categories]
    shown = sorted(languages, key=lambda code: (-languages[code], code))
    shown += [code for code in filters.languages if code not in shown]
    language_values = [FacetValue(value=code, label=language_name(code), count=languages.get(code, 0),
                                  selected=code in filters.languages) for code in shown]
    return {"category": category_values, "language": language_values}
