"""What the benchmark measures: the pages and endpoints of the issues, with their p95 targets (Django set up)."""

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from bench import calendar_targets, desk_targets, library_targets
from bench.common import BENCH_SOURCE, BIG_NETWORK_SLUG
from bench.load import Request, measure, warm_up
from bench.report import Job, Row
from sinergia.directory.models import Organisation
from sinergia.networks.models import Membership

LANGUAGE = "it"


@dataclass(frozen=True)
class Target:
    """A path to load and the p95 it should stay under (None: no target, measured for reference).

    `requests` sends several requests in turn instead of a GET of the path (POSTs, varied subjects); `clients`
    and `max_requests` override the run's for a heavy target measured by a few whole downloads. `warm` are the
    requests of the warm-up when they must not be the measured ones (queries each asked once).
    """

    name: str
    path: str | None
    target_ms: float | None = None
    requests: tuple[Request, ...] = field(default=(), repr=False)
    clients: int | None = None
    max_requests: int | None = None
    warm: tuple[Request, ...] = field(default=(), repr=False)

    @property
    def rotation(self) -> tuple[Request, ...]:
        """What to send: the requests, or a GET of the path."""
        return self.requests or (Request(self.path or ""),)


def _page(name: str, **kwargs) -> str | None:
    """The path of a page in the site's default language, or None when the page does not exist (yet)."""
    try:
        with translation.override(LANGUAGE):
            return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def _region_and_theme() -> tuple[str, str]:
    """The region with most listed bench organisations and the theme most used there."""
    listed = Organisation.objects.filter(source=BENCH_SOURCE, is_active=True)
    region = Counter(listed.values_list("region", flat=True)).most_common(1)[0][0]
    themes = Organisation.themes.through.objects.filter(organisation__in=listed.filter(region=region))
    theme = Counter(themes.values_list("concept__notation", flat=True)).most_common(1)[0][0]
    return region, theme


def targets(args=None) -> list[Target]:
    """Every target of the issues, the empty view first (the library's unless `args.library` is false)."""
    region, theme = _region_and_theme()
    organisation = Organisation.objects.filter(source=BENCH_SOURCE, is_active=True).order_by("pk").first()
    big = Membership.objects.filter(network__slug=BIG_NETWORK_SLUG, status=Membership.Status.ADMITTED).count()
    directory = _page("directory:list")
    filtered = directory and f"{directory}?{urlencode({'region': region, 'theme': theme})}"
    return [
        Target("empty view (floor)", "/bench/empty/"),
        Target("directory list, page 1", directory, 100),
        Target("directory list, region + theme", filtered, 100),
        Target("organisation page", _page("directory:detail", slug=organisation.slug) if organisation else None),
        Target(f"network page, {big:,} members", _page("networks:detail", slug=BIG_NETWORK_SLUG), 100),
        Target("map GeoJSON, all organisations", _page("directory:geojson"), 300),
        Target("API organisations list", "/api/organisations"),
        *calendar(),
        *(library() if getattr(args, "library", True) else []),
        *(desk() if getattr(args, "desk", True) else []),
    ]


def calendar() -> list[Target]:
    """The calendar's targets (issue 3), when the data set has its calendar."""
    if not calendar_targets.has_calendar():
        return []
    region = calendar_targets.busiest_region()
    views = calendar_targets.browse_paths(region)
    feed, events = calendar_targets.feed_path(calendar_targets.FEED_EVENTS)
    requests = calendar_targets.clash_requests()
    return [
        Target(f"clash check (API), {len(requests)} subjects in turn", calendar_targets.CLASH_PATH,
               calendar_targets.clash_target_ms(), requests=requests),
        Target("clash check (API), the same as weekly plans of 8 weeks", calendar_targets.CLASH_PATH,
               requests=calendar_targets.clash_requests(weekly=8)),
        Target(f"calendar month view, {region}", views["month"], 150),
        Target(f"calendar week view, {region}", views["week"]),
        Target(f"calendar list view, {region}", views["list"]),
        Target(f"iCalendar feed, {events:,} events (whole body)", feed, 1000, clients=1, max_requests=5),
    ]


def library() -> list[Target]:
    """The library's targets (issue 4), when the data set has its library."""
    if not library_targets.has_library():
        return []
    search_ms = library_targets.search_target_ms()
    one, three = library_targets.ONE_WORD, library_targets.THREE_WORDS
    resumptions = library_targets.oai_resumptions()
    export, results = library_targets.export_path()
    return [
        *(Target(f"library search page, {words}, with facets ({len(requests)} queries in turn)",
                 requests[0].path if requests else None, search_ms, requests=requests)
          for words, requests in (("one word", library_targets.search_requests(one)),
                                  ("three words", library_targets.search_requests(three)))),
        *(Target(f"library search API, {words} ({len(requests)} queries in turn)", requests[0].path, search_ms,
                 requests=requests)
          for words, requests in (("one word", library_targets.api_requests(one)),
                                  ("three words", library_targets.api_requests(three)))),
        # Warmed up by the queries above, and never more requests than queries: none is asked twice.
        *(Target(f"library search {kind}, {words}, each query asked once ({len(requests):,} queries)",
                 requests[0].path if requests else None, search_ms, requests=requests,
                 max_requests=len(requests), warm=requests_of(known))
          for half, (kind, requests_of) in enumerate((("page", library_targets.search_requests),
                                                      ("API", library_targets.api_requests)))
          for words, known, requests in (
              ("one word", one, requests_of(library_targets.unseen_queries(1)[half::2])),
              ("three words", three, requests_of(library_targets.unseen_queries(3)[half::2])))),
        Target("library OAI-PMH ListRecords, first page of 100", library_targets.OAI_FIRST, 200),
        Target(f"library OAI-PMH ListRecords, resumption pages 2-{len(resumptions) + 1} in turn",
               resumptions[0].path if resumptions else None, 200, requests=resumptions),
        Target("library OAI-PMH ListRecords, first page of the largest topic set", library_targets.oai_topic_set()),
        Target(f"library BibTeX export of {results:,} search results (whole body)", export, 1000, clients=1,
               max_requests=20),
    ]


def desk() -> list[Target]:
    """The exchange's and the desk's targets (issue 5), when the data set has them."""
    if not desk_targets.has_desk():
        return []
    needs, mine = desk_targets.need_requests(), desk_targets.matches_for_you_request()
    kb_page = desk_targets.kb_page_requests(_page("desk:knowledge"))
    kb_api = desk_targets.kb_api_requests()
    return [
        Target(f"exchange matches of one need (API), {len(needs)} needs in turn", needs[0].path if needs else None,
               50, requests=needs),
        Target("exchange matches for you (API), an organisation in 3 networks", mine.path if mine else None, 100,
               requests=(mine,) if mine else ()),
        Target(f"desk knowledge-base search page ({len(kb_page)} queries in turn)",
               kb_page[0].path if kb_page else None, desk_targets.kb_target_ms(), requests=kb_page),
        Target(f"desk knowledge-base search API ({len(kb_api)} queries in turn)", kb_api[0].path,
               desk_targets.kb_target_ms(), requests=kb_api),
    ]


def jobs(args=None) -> list[Job]:
    """The one-off measurements: the calendar feed's memory (server up), the daily digest (after the load)."""
    found = [calendar_targets.feed_memory_job()] if calendar_targets.has_calendar() else []
    if getattr(args, "desk", True) and desk_targets.has_desk():
        found.append(desk_targets.digest_job())
    return found


def count_queries(request: Request) -> int:
    """How many SQL queries the request makes, served in-process on the same database (a stream read to its end)."""
    client = Client()
    with CaptureQueriesContext(connection) as queries:
        headers = {"Authorization": request.authorization} if request.authorization else {}
        if request.method == "POST":
            response = client.post(request.path, data=request.body, content_type=request.content_type,
                                   headers=headers)
        else:
            response = client.get(request.path, headers=headers)
        for _chunk in getattr(response, "streaming_content", ()):
            pass
    return len(queries)


def run_all(host: str, port: int, args) -> list[Row]:
    """Warm up and measure every target; a page that does not exist is reported, not measured."""
    rows = []
    only = getattr(args, "only", "")
    for target in targets(args):
        if only and only not in target.name and target.path != "/bench/empty/":
            continue
        if target.path is None:
            print(f"{target.name}: the page does not exist; not measured")
            rows.append(Row(target.name, "", None, target.target_ms, 0, None))
            continue
        clients = target.clients or args.clients
        status, size = warm_up(host, port, target.warm or target.rotation, count=4 * clients)
        if status == 404:
            print(f"{target.name}: {target.path} answers 404; not measured")
            rows.append(Row(target.name, target.path, None, target.target_ms, 0, None))
            continue
        result = measure(host, port, target.rotation, clients=clients, seconds=args.seconds,
                         max_requests=target.max_requests or args.max_requests)
        print(f"{target.name}: HTTP {status}, {result.count} requests, p50 {result.percentile(0.5):.1f} ms, "
              f"p95 {result.percentile(0.95):.1f} ms, {result.throughput:.1f} req/s", flush=True)
        rows.append(Row(target.name, target.path, count_queries(target.rotation[0]), target.target_ms, size, result))
    return rows


def data_counts() -> dict:
    """What the measured database holds."""
    from bench import builders, calendar_builders, desk_builders, exchange_builders, library_builders

    return {**builders.counts(), **calendar_builders.counts(), **library_builders.counts(),
            **exchange_builders.counts(), **desk_builders.counts()}
