"""What the benchmark measures: the pages and endpoints of the issue, with their p95 targets (Django set up)."""

from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from bench.common import BENCH_SOURCE, BIG_NETWORK_SLUG
from bench.load import measure, warm_up
from bench.report import Row
from sinergia.directory.models import Organisation
from sinergia.networks.models import Membership

LANGUAGE = "it"


@dataclass(frozen=True)
class Target:
    """A path to load and the p95 it should stay under (None: no target, measured for reference)."""

    name: str
    path: str | None
    target_ms: float | None = None


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


def targets() -> list[Target]:
    """Every target of the issue, the empty view first."""
    region, theme = _region_and_theme()
    organisation = Organisation.objects.filter(source=BENCH_SOURCE, is_active=True).order_by("pk").first()
    big = Membership.objects.filter(network__slug=BIG_NETWORK_SLUG, status=Membership.Status.ADMITTED).count()
    directory = _page("directory:list")
    filtered = directory and f"{directory}?{urlencode({'region': region, 'theme': theme})}"
    return [
        Target("empty view (floor)", "/bench/empty/"),
        Target("directory list, page 1", directory, 100),
        Target("directory list, region + theme", filtered, 100),
        Target("organisation page", organisation and _page("directory:detail", slug=organisation.slug)),
        Target(f"network page, {big:,} members", _page("networks:detail", slug=BIG_NETWORK_SLUG), 100),
        Target("map GeoJSON, all organisations", _page("directory:geojson"), 300),
        Target("API organisations list", "/api/organisations"),
    ]


def count_queries(path: str) -> int:
    """How many SQL queries the path makes, served in-process on the same database."""
    with CaptureQueriesContext(connection) as queries:
        Client().get(path)
    return len(queries)


def run_all(host: str, port: int, args) -> list[Row]:
    """Warm up and measure every target; a page that does not exist is reported, not measured."""
    rows = []
    for target in targets():
        if target.path is None:
            print(f"{target.name}: the page does not exist; not measured")
            rows.append(Row(target.name, "", None, target.target_ms, 0, None))
            continue
        status, size = warm_up(host, port, target.path, requests=4 * args.clients)
        result = measure(host, port, target.path, clients=args.clients, seconds=args.seconds,
                         max_requests=args.max_requests)
        print(f"{target.name}: HTTP {status}, {result.count} requests, p50 {result.percentile(0.5):.1f} ms, "
              f"p95 {result.percentile(0.95):.1f} ms, {result.throughput:.1f} req/s", flush=True)
        rows.append(Row(target.name, target.path, count_queries(target.path), target.target_ms, size, result))
    return rows


def data_counts() -> dict:
    """What the measured database holds."""
    from bench.builders import counts

    return counts()
