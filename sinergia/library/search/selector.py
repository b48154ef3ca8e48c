"""The library's search: one selector over two engines (PostgreSQL full text, SQLite FTS5), one results contract."""

import hashlib
import math
import time
from collections.abc import Callable, Iterable
from types import ModuleType

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet

from sinergia.core.rules import is_operator
from sinergia.core.textsearch import snippets
from sinergia.core.textsearch.engines import chunks, engine_for
from sinergia.core.textsearch.query import ParsedQuery, parse_query
from sinergia.directory.models import OrganisationMember
from sinergia.library.models import Resource
from sinergia.library.search import fuzzy, postgres, sql, sqlite
from sinergia.library.search.concepts import query_concepts
from sinergia.library.search.facets import facets_build
from sinergia.library.search.hits import hit_resources
from sinergia.library.search.types import Hit, SearchFilters, SearchResult
from sinergia.networks.rules import member_network_ids

ENGINES: dict[str, ModuleType] = {"postgresql": postgres, "sqlite": sqlite}
INDEX_BATCH = 200
GENERATION_KEY = "library:search:generation"
BROWSE_CACHE_SECONDS = 120
PAGE_SIZE_MAX = 100
PAGE_MAX = 500


def search_engine() -> ModuleType:
    """The engine of the database in use."""
    return engine_for(ENGINES, search="library")


def _new_generation() -> None:
    cache.set(GENERATION_KEY, time.time_ns(), None)


@transaction.atomic
def index_resources(*, ids: Iterable[int]) -> None:
    """(Re)index the resources' description and extracted text, in the caller's transaction; drop deleted ones."""
    engine = search_engine()
    for chunk in chunks(sorted({int(pk) for pk in ids}), INDEX_BATCH):
        engine.index(chunk)
    # Cached browsing facets are stale from now, and again once the change is visible to others.
    _new_generation()
    transaction.on_commit(_new_generation)


def index_all_resources(*, batch_size: int = 1000, progress: Callable[[int], None] | None = None) -> int:
    """Reindex every resource, one transaction per batch, then tidy the index (after bulk loads); how many."""
    engine, done = search_engine(), 0
    engine.vocabulary_clear()
    ids = Resource.objects.order_by("pk").values_list("pk", flat=True)
    for chunk in chunks(list(ids), max(batch_size, 1)):
        index_resources(ids=chunk)
        done += len(chunk)
        if progress is not None:
            progress(done)
    engine.tidy()
    return done


def _match(query: ParsedQuery) -> sql.Match | None:
    return None if query.is_empty else sql.Match(query=query, concepts=query_concepts(query))


def _corrected(engine: ModuleType, match: sql.Match) -> bool:
    """Add to the match the query corrected against the words of titles (typo tolerance); whether it was."""
    match.correction = fuzzy.query_correction(match.query, engine)
    return match.correction is not None


def _visibility_key(viewer) -> str:
    """What decides which resources the viewer sees (see visible_resources_q): equal keys, equal visible sets."""
    if viewer is None or not viewer.is_authenticated:
        return "anonymous"
    if is_operator(viewer):
        return "operator"
    organisations = sorted(OrganisationMember.objects.filter(user=viewer).values_list("organisation_id", flat=True))
    return f"organisations={organisations}:networks={sorted(member_network_ids(viewer))}"


def _cache_key(kind: str, viewer, filters: SearchFilters, detail: str = "") -> str:
    """The cache key of counts of `kind` over the resources the viewer sees through the filters (and, for counts of
    matches, the `detail` of what the query matches).

    The key holds everything the visible set depends on, and the index's generation (renewed by index_resources),
    so that cached counts never include a resource the viewer may not see.
    """
    generation = cache.get_or_set(GENERATION_KEY, time.time_ns, None)
    scope = hashlib.sha256(f"{_visibility_key(viewer)}:{filters!r}:{detail}".encode()).hexdigest()
    return f"library:search:{kind}:{generation}:{scope}"


def _browse(engine: ModuleType, viewer, filters: SearchFilters, base: QuerySet, *, limit: int,
            offset: int) -> tuple[sql.Counts, sql.Ranked]:
    """Facets and a page of every visible resource, newest first (the facets cached, see _cache_key)."""
    key = _cache_key("browse", viewer, filters)
    cached = cache.get(key)
    counts, ranked = sql.browse(base, language_sql=engine.LANGUAGE_SQL, limit=limit, offset=offset, counts=cached)
    if cached is None:
        cache.set(key, counts, BROWSE_CACHE_SECONDS)
    return counts, ranked


def _sample_size(viewer, filters: SearchFilters, sampled: QuerySet) -> int:
    """How many resources of the sample the viewer sees through the filters (cached as the browsing facets are:
    counting them reads every resource of the sample again, a tenth of a broad search)."""
    return int(cache.get_or_set(_cache_key("sample", viewer, filters), sampled.count, BROWSE_CACHE_SECONDS) or 0)


def _sample_matches(engine: ModuleType, match: sql.Match, viewer, filters: SearchFilters,
                    sampled: QuerySet) -> sql.Counts:
    """The counts of the sample's matches (total and facets), cached as the browsing facets are.

    They only change with the index (its generation is in the key), and they are estimates anyway; caching them
    spares a broad search a statement that reads a match in SAMPLE_MODULUS resources and their topics and networks.
    The key holds the query as parsed and the concepts it names, so that a changed thesaurus asks again.
    """
    key = _cache_key("sample-matches", viewer, filters, f"{match.query.text}:{match.concepts}")
    counts = cache.get(key)
    if counts is None:
        counts, _no_hits = sql.results(engine.sources(match, sampled, scored=False, sample=True),
                                       language_sql=engine.LANGUAGE_SQL, limit=0, offset=0)
        cache.set(key, counts, BROWSE_CACHE_SECONDS)
    return counts


def _search(engine: ModuleType, match: sql.Match, viewer, filters: SearchFilters, base: QuerySet, *, limit: int,
            offset: int) -> tuple[sql.Counts, sql.Ranked, int | None]:
    """Facets and a page of the visible resources the query matches (corrected when it finds too little), and how
    many of them the pages reach when the search is broad (None: all of them).

    The sample (one resource in sql.SAMPLE_MODULUS) tells first how many there are. Up to LIBRARY_SEARCH_EXACT_MAX,
    every match is counted and ranked. Beyond, reading them all would cost in proportion (a word found in most of
    the library): the counts are the sample's, scaled, and the hits are ranked among the matches of the newest
    resources, as many as hold about LIBRARY_SEARCH_POOL matches (at most LIBRARY_SEARCH_SCAN_MAX resources).
    """
    sampled = sql.sampled(base)
    sample = _sample_matches(engine, match, viewer, filters, sampled)
    matched = sql.total_of(sample)
    if matched * sql.SAMPLE_MODULUS <= settings.LIBRARY_SEARCH_EXACT_MAX:
        counts, ranked = sql.results(engine.sources(match, base, scored=True), language_sql=engine.LANGUAGE_SQL,
                                     limit=limit, offset=offset)
        if sql.total_of(counts) < fuzzy.RUN_BELOW and _corrected(engine, match):
            counts, ranked = sql.results(engine.sources(match, base, scored=True),
                                         language_sql=engine.LANGUAGE_SQL, limit=limit, offset=offset)
        return counts, ranked, None
    pool, universe = settings.LIBRARY_SEARCH_POOL, _sample_size(viewer, filters, sampled)
    rows = min(settings.LIBRARY_SEARCH_SCAN_MAX, max(pool, math.ceil(pool * universe / matched)))
    boundary = sql.newest_from(base, rows)
    newest = base if boundary is None else base.filter(pk__gte=boundary)
    found, ranked = sql.results(engine.sources(match, newest, scored=True, newer_than=boundary),
                                language_sql=engine.LANGUAGE_SQL, limit=limit, offset=offset, facets=False)
    return sql.scaled(sample, sql.SAMPLE_MODULUS), ranked, sql.total_of(found)


def resource_search(*, viewer, query: str, filters: SearchFilters | None = None, page: int = 1,
                    page_size: int = 20) -> SearchResult:
    """A page of the resources the viewer may see that match the query, ranked, with facets of all the results."""
    engine, filters = search_engine(), filters or SearchFilters()
    page, page_size = min(max(int(page), 1), PAGE_MAX), min(max(int(page_size), 1), PAGE_SIZE_MAX)
    parsed = parse_query(query)
    match, base, offset = _match(parsed), sql.visible(viewer, filters), (page - 1) * page_size
    reachable = None
    if match is None:
        counts, ranked = _browse(engine, viewer, filters, base, limit=page_size, offset=offset)
    else:
        counts, ranked, reachable = _search(engine, match, viewer, filters, base, limit=page_size,
                                            offset=offset)
    return SearchResult(total=sql.total_of(counts), hits=_hits(engine, match, ranked),
                        facets=facets_build(counts, filters), query=parsed.text, engine=engine.NAME, page=page,
                        page_size=page_size, estimated=reachable is not None, reachable=reachable)


def resource_search_ids(*, viewer, query: str, filters: SearchFilters | None = None,
                        limit: int | None = None) -> list[int]:
    """The ids of the resources a search finds, in rank order, at most LIBRARY_EXPORT_MAX_RECORDS (for exports)."""
    engine, filters = search_engine(), filters or SearchFilters()
    cap = settings.LIBRARY_EXPORT_MAX_RECORDS
    limit = min(max(int(limit), 0), cap) if limit is not None else cap
    match, base = _match(parse_query(query)), sql.visible(viewer, filters)
    if match is None:
        _counts, ranked = sql.browse(base, language_sql=engine.LANGUAGE_SQL, limit=limit, offset=0, counts=[])
        return [pk for pk, _tier, _score in ranked]
    ids = sql.ranked_ids(engine.sources(match, base, scored=True), limit=limit)
    if len(ids) < min(limit, fuzzy.RUN_BELOW) and _corrected(engine, match):
        ids = sql.ranked_ids(engine.sources(match, base, scored=True), limit=limit)
    return ids


def _hits(engine: ModuleType, match: sql.Match | None, rows: sql.Ranked) -> list[Hit]:
    """The page's resources (see hit_resources) with their rank, snippet and reasons."""
    if not rows:
        return []
    resources = hit_resources([row[0] for row in rows])
    if match is None:
        marked = {pk: (snippets.without_controls(r.title), snippets.fragment(snippets.plain(r.abstract), r.language,
                                                                            frozenset()), "")
                  for pk, r in resources.items()}
    else:
        marked = engine.headlines(match, resources, [row[0] for row in rows if row[1] == 1])
    concept_ids = {pk for required in (match.concepts if match else []) for ids in required for pk in ids}
    kinds = {value: str(label) for value, label in Resource.Kind.choices}
    return [_hit(resources[pk], tier, score, marked[pk], concept_ids, kinds) for pk, tier, score in rows
            if pk in resources]


def _hit(resource: Resource, tier: int, score: float, marked: tuple[str, str, str], concept_ids: set[int],
         kinds: dict[str, str]) -> Hit:
    title, abstract, text = marked
    snippet = abstract if snippets.has_mark(abstract) or not snippets.has_mark(text) else text
    topics = resource.topic_list  # type: ignore[attr-defined]
    return Hit(resource=resource, rank=float(-score or 0.0), snippet=snippets.marked_html(snippet),
               title_html=snippets.marked_html(title), creators=resource.creator_list,  # type: ignore[attr-defined]
               topics=topics, matched_concepts=[concept for concept in topics if concept.pk in concept_ids],
               fuzzy=tier == 3, kind_label=kinds.get(resource.kind, resource.kind))
