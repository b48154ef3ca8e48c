"""SQL shared by both engines: the visible, filtered resources, the matched set, facet counts and a ranked page.

Every statement starts from the resources the viewer may see (`visible_resources_q`, compiled by the ORM), so no
hit and no facet count ever includes an invisible resource. An engine contributes the visible resources it matched
as rows (id, tier, score, kind, year, language): tier 0 matched in its description (title, creators, abstract…),
1 in its extracted text only, 2 through a concept only, 3 by its title with the corrected query only; within a tier,
a lower score ranks first. One statement then counts the facets over all of them and picks the page.
"""
# ruff: noqa: S608 - SQL composed of constants and ORM-compiled SQL; every value is a parameter.

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.lookups import Exact

from sinergia.core.textsearch.query import ParsedQuery
from sinergia.library.models import Resource
from sinergia.library.rules import visible_resources_q
from sinergia.library.search.fuzzy import Correction
from sinergia.library.search.types import SearchFilters

ZERO = "CAST(0 AS DOUBLE PRECISION)"
# Names and types the columns of a union of matched rows (SQLite has no column list for a derived table).
HEADER = f"SELECT 0 AS id, 0 AS tier, {ZERO} AS score, '' AS kind, 0 AS year, '' AS language WHERE 1 = 0"
TIER_BROWSE = 9
# One resource in SAMPLE_MODULUS (by id) makes the sample of broad searches; the model's index
# library_res_sample_idx is on the same expression, so that the sample is read by it.
SAMPLE_MODULUS = 64
Part = tuple[str, list]


@dataclass
class Match:
    """What a query matches: its text, the concepts it names, and its correction when it finds too little."""

    query: ParsedQuery
    concepts: list[list[list[int]]] = field(default_factory=list)
    correction: Correction | None = None
    # What the engine derived from the query once per search (PostgreSQL: the tsquery texts).
    prepared: dict = field(default_factory=dict)


def _languages_q(subtags: Sequence[str]) -> Q:
    condition = Q(pk__in=[])
    for subtag in subtags:
        condition |= Q(language=subtag) | Q(language__startswith=f"{subtag}-")
    return condition


def filters_q(filters: SearchFilters) -> Q:
    """The facet selections as a filter on resources: any value within a facet, every facet."""
    condition = Q()
    if filters.languages:
        condition &= _languages_q(filters.languages)
    if filters.my_languages:
        condition &= _languages_q(filters.my_languages)
    if filters.kinds:
        condition &= Q(kind__in=filters.kinds)
    if filters.years:
        condition &= Q(year__in=filters.years)
    if filters.topics:
        tagged = Resource.topics.through.objects.filter(concept_id__in=filters.topics)
        condition &= Q(pk__in=tagged.values("resource_id"))
    if filters.networks:
        shared = Resource.networks.through.objects.filter(network_id__in=filters.networks)
        condition &= Q(pk__in=shared.values("resource_id"))
    return condition


def visible(viewer, filters: SearchFilters) -> QuerySet:
    """The resources visible to the viewer that pass the filters (unordered)."""
    return Resource.objects.filter(visible_resources_q(viewer) & filters_q(filters)).order_by()


def in_sample(column: str) -> Exact:
    """The condition that the resource id in `column` is of the sample (one in SAMPLE_MODULUS, by id)."""
    return Exact(F(column) % SAMPLE_MODULUS, 0)


def sampled(base: QuerySet) -> QuerySet:
    """The resources of the sample among the base's."""
    return base.filter(in_sample("id"))


def newest_from(base: QuerySet, rows: int) -> int | None:
    """The id from which the base holds its newest `rows` resources (None: it holds no more than that)."""
    return base.order_by("-pk").values_list("pk", flat=True)[rows - 1:rows].first()


def compiled(queryset: QuerySet, *extra: str) -> Part:
    """SELECT id, kind, year, language (and extra columns) of a queryset, as SQL and parameters."""
    sql, params = queryset.values_list("id", "kind", "year", "language", *extra).query.sql_with_params()
    return sql, list(params)


def rows(part: Part, tier: int, score: str = ZERO) -> Part:
    """The resources of a compiled SELECT as matched rows (id, tier, score, kind, year, language)."""
    sql, params = part
    return f"SELECT x.id, {tier}, {score}, x.kind, x.year, x.language FROM ({sql}) x", params


def concept_rows(base: QuerySet, match: Match, *, sample: bool = False, newer_than: int | None = None) -> Part:
    """Rows (tier 2) of the visible resources tagged with every concept one alternative of the query names.

    `sample` and `newer_than` say that the base is the sample or holds only resources from that id (see the
    engines' sources): the taggings are narrowed alike, so that the planner starts from the few taggings of such
    resources (index library_res_topics_concept_idx) instead of reading every resource of the base.
    """
    if not match.concepts:
        return "", []
    taggings = Resource.topics.through.objects.all()
    if sample:
        taggings = taggings.filter(in_sample("resource_id"))
    if newer_than is not None:
        taggings = taggings.filter(resource_id__gte=newer_than)
    condition = Q(pk__in=[])
    for required in match.concepts:
        alternative = Q()
        for ids in required:
            alternative &= Q(pk__in=taggings.filter(concept_id__in=ids).values("resource_id"))
        condition |= alternative
    return rows(compiled(base.filter(condition)), 2)


def union(*parts: Part) -> Part:
    """The non-empty SELECTs as one UNION ALL."""
    kept = [(HEADER, []), *(part for part in parts if part[0])]
    return " UNION ALL ".join(sql for sql, _params in kept), [p for _sql, params in kept for p in params]


def fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


TOTAL_SQL = f"SELECT 'total', '', COUNT(*), {ZERO} FROM r"


def _facets_sql(language_sql: str) -> str:
    """SELECTs of (facet, value, count, 0) over the results r."""
    language = language_sql.format(column="r.language")
    return (
        f"{TOTAL_SQL} "
        f"UNION ALL SELECT 'kind', r.kind, COUNT(*), {ZERO} FROM r GROUP BY r.kind "
        f"UNION ALL SELECT 'year', CAST(r.year AS TEXT), COUNT(*), {ZERO} FROM r WHERE r.year IS NOT NULL "
        "GROUP BY r.year "
        f"UNION ALL SELECT 'language', {language}, COUNT(*), {ZERO} FROM r GROUP BY {language} "
        f"UNION ALL SELECT 'topic', CAST(t.concept_id AS TEXT), COUNT(*), {ZERO} FROM r "
        "JOIN library_resource_topics t ON t.resource_id = r.id GROUP BY t.concept_id "
        f"UNION ALL SELECT 'network', CAST(n.network_id AS TEXT), COUNT(*), {ZERO} FROM r "
        "JOIN library_resource_networks n ON n.resource_id = r.id GROUP BY n.network_id"
    )


Counts = list[tuple[str, str, int]]
Ranked = list[tuple[int, int, float]]


def _split(result: list[tuple]) -> tuple[Counts, Ranked]:
    counts = [(facet, value, int(count)) for facet, value, count, _score in result if facet != "hit"]
    hits = [(int(value), int(tier), float(score)) for facet, value, tier, score in result if facet == "hit"]
    return counts, sorted(hits, key=lambda hit: (hit[1], hit[2], -hit[0]))


def results(parts: list[Part], *, language_sql: str, limit: int, offset: int,
            facets: bool = True) -> tuple[Counts, Ranked]:
    """In one statement: the facet counts over every matched row (only their total unless `facets`), and the page
    of (id, tier, score) in rank order."""
    matched, params = union(*parts)
    sql = (
        "WITH r AS MATERIALIZED (SELECT m.id AS id, MIN(m.tier) AS tier, MIN(m.score) AS score, MIN(m.kind) AS kind, "
        f"MIN(m.year) AS year, MIN(m.language) AS language FROM ({matched}) m GROUP BY m.id) "
        f"{_facets_sql(language_sql) if facets else TOTAL_SQL} "
        "UNION ALL SELECT 'hit', CAST(p.id AS TEXT), p.tier, p.score FROM (SELECT r.id, r.tier, r.score FROM r "
        "ORDER BY r.tier, r.score, r.id DESC LIMIT %s OFFSET %s) p"
    )
    return _split(fetch(sql, [*params, limit, offset]))


def total_of(counts: Counts) -> int:
    """The count of the results."""
    return next((count for name, _value, count in counts if name == "total"), 0)


def scaled(counts: Counts, factor: int) -> Counts:
    """Counts of a sample as estimates of the whole."""
    return [(facet, value, count * factor) for facet, value, count in counts]


def ranked_ids(parts: list[Part], *, limit: int) -> list[int]:
    """The ids of the matched rows in rank order, at most limit."""
    matched, params = union(*parts)
    sql = (f"SELECT m.id FROM ({matched}) m GROUP BY m.id ORDER BY MIN(m.tier), MIN(m.score), m.id DESC "
           "LIMIT %s")
    return [row[0] for row in fetch(sql, [*params, limit])]


def browse(base: QuerySet, *, language_sql: str, limit: int, offset: int, counts: Counts | None) -> tuple[
        Counts, Ranked]:
    """Every visible resource, newest first: the facet counts (unless given) and a page of (id, tier, score)."""
    sql, params = compiled(base)
    if counts is None:
        counts = [(facet, value, int(count)) for facet, value, count, _score in fetch(
            f"WITH r AS MATERIALIZED ({sql}) {_facets_sql(language_sql)}", params)]
    page = fetch(f"SELECT b.id, {TIER_BROWSE}, {ZERO} FROM ({sql}) b ORDER BY b.id DESC LIMIT %s OFFSET %s",
                 [*params, limit, offset])
    return counts, [(int(pk), int(tier), float(score)) for pk, tier, score in page]
