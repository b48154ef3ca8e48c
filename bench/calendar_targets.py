"""What the benchmark measures of the shared calendar (issue 3): pages and API under load, and one-off jobs.

Under load: the clash check of the API over a rotation of seeded subjects (a Saturday afternoon in the busiest
province, a Sunday morning, a Friday evening, an open day, an exhibition…), the month, week and list views of the
busiest region, and the iCalendar feed of about 10,000 events (whole body downloaded). Once, in-process: the
refresh of every event's occurrences, and the peak memory while streaming a feed of ~1,000 and of ~10,000 events.
"""

import functools
import json
import random
import time
import tracemalloc
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.http import urlencode

from bench.common import BENCH_SOURCE, BIG_NETWORK_SLUG, REFRESH_TARGET_SECONDS
from bench.load import Request
from bench.report import Job
from sinergia.calendar.models import Event, Occurrence
from sinergia.directory.models import Organisation, OrganisationMember

LANGUAGE = "it"
CLASH_PATH = "/api/calendar/clash-check"
FEED_EVENTS, SMALL_FEED_EVENTS = 10_000, 1_000
FLAT_MEMORY_RATIO = 3.0  # ten times the events may not take more than this many times the memory
ZONE = ZoneInfo(settings.CALENDAR_DEFAULT_TIMEZONE)
SUBJECTS = 24
MARKER = b"BEGIN:VEVENT"


@dataclass(frozen=True)
class Slot:
    """A time an editor would plan something at: weekday (Monday 0), local start, duration, all-day days."""

    label: str
    weekday: int
    start: clock = clock(0)
    minutes: int = 0
    days: int = 0  # all-day: how many days


SLOTS = (
    Slot("Saturday afternoon", 5, clock(15), 120), Slot("Sunday morning", 6, clock(10, 30), 90),
    Slot("Sunday afternoon", 6, clock(16), 120), Slot("Friday evening", 4, clock(21), 120),
    Slot("Thursday evening talk", 3, clock(18), 90), Slot("Saturday workshop", 5, clock(10), 150),
    Slot("open day (all-day Sunday)", 6, days=1), Slot("three-week exhibition", 2, days=21),
)


@dataclass(frozen=True)
class Place:
    """Where a subject is planned: at a bench organisation of a province, by its admin, in one of its networks."""

    province: str
    organisation: str
    admin_id: int
    latitude: float
    longitude: float
    network: str


def has_calendar() -> bool:
    """Whether the measured database holds materialised occurrences."""
    return Occurrence.objects.exists()


def busiest_region() -> str:
    """The region with most occurrences (the heaviest month view)."""
    counts = Occurrence.objects.exclude(region="").values("region").annotate(n=Count("id")).order_by("-n", "region")
    return counts[0]["region"]


def _page(name: str, query: str = "") -> str | None:
    try:
        with translation.override(LANGUAGE):
            path = reverse(name)
    except NoReverseMatch:
        return None
    return f"{path}?{query}" if query else path


def _places(rng: random.Random, now: datetime) -> list[Place]:
    """The three provinces with most occurrences in the next eight weeks and the quietest, at an organisation."""
    upcoming = Occurrence.objects.filter(start__gte=now, start__lt=now + timedelta(weeks=8))
    ranked = [row["event__province"] for row in upcoming.exclude(event__province="").values("event__province")
              .annotate(n=Count("id")).order_by("-n", "event__province")]
    places = []
    for province in dict.fromkeys(ranked[:3] + ranked[-1:]):
        administered = Organisation.objects.filter(source=BENCH_SOURCE, province=province, is_active=True,
                                                   latitude__isnull=False, people__role=OrganisationMember.Role.ADMIN)
        organisation = administered.order_by("pk").first()
        if organisation is None or organisation.latitude is None or organisation.longitude is None:
            continue
        admin = organisation.people.filter(role=OrganisationMember.Role.ADMIN).order_by("pk").first()
        if admin is None:
            continue
        networks = sorted(organisation.network_memberships.filter(status="admitted")
                          .values_list("network__slug", flat=True))
        network = BIG_NETWORK_SLUG if BIG_NETWORK_SLUG in networks or not networks else rng.choice(networks)
        places.append(Place(province, organisation.slug, admin.user_id, organisation.latitude,
                            organisation.longitude, network))
    return places


def _concepts(scheme: str) -> list[str]:
    """The notations of a scheme most used by events."""
    relation = Event.audiences if scheme == "audience" else Event.themes
    used = Counter(relation.through.objects.values_list("concept__notation", flat=True))
    return [notation for notation, _count in used.most_common(6)]


@dataclass(frozen=True)
class Subject:
    """A clash check to send: the API's JSON body and who sends it."""

    body: dict
    user_id: int


def clash_subjects(seed: int = 42, *, now: datetime | None = None, weekly: int = 0) -> list[Subject]:
    """Seeded realistic subjects (what an editor would plan, one to eight weeks ahead) for the clash check.

    With `weekly`, each is a series on that many weeks instead of a single occurrence.
    """
    rng = random.Random(f"{seed}-clash")
    now = now or datetime.now(UTC)
    places, audiences, themes = _places(rng, now), _concepts("audience"), _concepts("theme")
    today = now.astimezone(ZONE).date()
    subjects = []
    for index in range(SUBJECTS):
        place, slot = places[index % len(places)], SLOTS[index % len(SLOTS)]
        day = today + timedelta(weeks=rng.randint(1, 8), days=(slot.weekday - today.weekday()) % 7)
        body = _body(day, slot, place, audiences=rng.sample(audiences, min(2, len(audiences))),
                     themes=rng.sample(themes, min(1, len(themes))), shared=index % 2 == 0)
        if weekly and not slot.days:
            body["rrule"] = f"FREQ=WEEKLY;COUNT={weekly}"
        subjects.append(Subject(body, place.admin_id))
    return subjects


def _body(day: date, slot: Slot, place: Place, *, audiences: list[str], themes: list[str], shared: bool) -> dict:
    """The API's clash-check body for a slot on a day at a place (all-day: dates, the end inclusive)."""
    if slot.days:
        when = {"start": day.isoformat(), "end": (day + timedelta(days=slot.days - 1)).isoformat(), "all_day": True}
    else:
        start = datetime.combine(day, slot.start, tzinfo=ZONE)
        when = {"start": start.isoformat(), "end": (start + timedelta(minutes=slot.minutes)).isoformat(),
                "all_day": False}
    return {**when, "timezone": ZONE.key, "latitude": place.latitude, "longitude": place.longitude,
            "organisation": place.organisation, "audiences": audiences, "themes": themes,
            "networks": [place.network] if shared else []}


def bench_token(user_id: int, seed: int = 42) -> str:
    """A bearer token of a bench user for the API (the same on every run, created once)."""
    from sinergia.accounts.models import ApiToken

    raw = f"sin_bench-{seed}-{user_id}"
    ApiToken.objects.get_or_create(digest=ApiToken.hash(raw),
                                   defaults={"user_id": user_id, "name": "bench", "prefix": raw[:8]})
    return raw


def clash_requests(seed: int = 42, *, weekly: int = 0) -> tuple[Request, ...]:
    """The rotation of clash-check requests, each sent with the token of the organisation's admin."""
    return tuple(Request(CLASH_PATH, "POST", json.dumps(subject.body).encode(), "application/json",
                         f"Bearer {bench_token(subject.user_id, seed)}")
                 for subject in clash_subjects(seed, weekly=weekly))


def clash_target_ms() -> float:
    """20 ms on PostgreSQL, 50 ms on SQLite."""
    return 20 if connection.vendor == "postgresql" else 50


def browse_paths(region: str) -> dict[str, str | None]:
    """The month, week and list views of a region."""
    query = urlencode({"region": region})
    return {name: _page(f"calendar:{name}", query) for name in ("month", "week", "list")}


# --- The iCalendar feed -------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=8)
def feed_query(events: int) -> tuple[str, int]:
    """The query string of an upcoming-events feed of about `events` events, and its event count.

    The feed runs from today to the end date, found by bisection on the number of events the feed's own selector
    returns, whose count is nearest to `events`; a small data set that holds fewer events gives its whole range.
    Found once per run (it takes a dozen counts over the whole calendar).
    """
    from sinergia.calendar.filters import MAX_RANGE, EventFilters
    from sinergia.calendar.selectors import event_feed

    today = datetime.now(ZONE).date()
    counted: dict[int, int] = {}

    def count(days: int) -> int:
        if days not in counted:
            filters = EventFilters(start=today, end=today + timedelta(days=days))
            counted[days] = event_feed(viewer=None, filters=filters).count()
        return counted[days]

    low, high = 0, MAX_RANGE.days - 1  # 0: today only
    if count(high) <= events:
        low = high
    while low < high:  # the longest range with at most `events`
        middle = (low + high + 1) // 2
        low, high = (middle, high) if count(middle) <= events else (low, middle - 1)
    nearest = min({low, min(low + 1, MAX_RANGE.days - 1)}, key=lambda days: (abs(count(days) - events), days))
    filters = EventFilters(start=today, end=today + timedelta(days=nearest))
    return filters.to_query(), count(nearest)


def feed_path(events: int) -> tuple[str | None, int]:
    """The path of a feed of about `events` events and how many it holds."""
    query, count = feed_query(events)
    return _page("calendar:feed_ics", query), count


@dataclass(frozen=True)
class Streamed:
    """What consuming a response body in-process took: its size, its VEVENTs and the peak of traced memory."""

    status: int
    size: int
    events: int
    peak: int
    seconds: float


def stream(path: str, *, trace: bool) -> Streamed:
    """Get the path in-process and consume its (streaming) body chunk by chunk, keeping none of it."""
    client = Client()
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    try:
        response = client.get(path)
        chunks = getattr(response, "streaming_content", None) or [response.content]
        size = events = 0
        tail = b""
        for chunk in chunks:
            size += len(chunk)
            events += (tail + chunk).count(MARKER)
            tail = chunk[-(len(MARKER) - 1):]
        peak = tracemalloc.get_traced_memory()[1] if trace else 0
    finally:
        if trace:
            tracemalloc.stop()
    return Streamed(response.status_code, size, events, peak, time.perf_counter() - started)


def feed_memory_job() -> Job:
    """The peak traced memory while streaming a feed of ~1,000 and of ~10,000 events: flat, not ~10×."""
    small_path, _ = feed_path(SMALL_FEED_EVENTS)
    big_path, _ = feed_path(FEED_EVENTS)
    if small_path is None or big_path is None:
        return Job("iCalendar feed memory", "", "flat", None, "the feed does not exist; not measured")
    stream(small_path, trace=False)  # loads code, templates and caches once, outside the measure
    small, big = stream(small_path, trace=True), stream(big_path, trace=True)
    if small.status != 200 or big.status != 200:
        return Job("iCalendar feed memory", "", "flat", None, f"HTTP {small.status} / {big.status}; not measured")
    ratio = big.peak / small.peak if small.peak else float("inf")
    growth = big.events / small.events if small.events else float("inf")
    per_thousand = (big.peak - small.peak) / max(big.events - small.events, 1) * 1000
    return Job("iCalendar feed, peak memory while streaming (tracemalloc)",
               f"{_kib(small.peak)} for {small.events:,} events; {_kib(big.peak)} for {big.events:,} events",
               f"flat (< {FLAT_MEMORY_RATIO:g}×)", ratio < FLAT_MEMORY_RATIO,
               f"{ratio:.2f}× the memory for {growth:.1f}× the events ({_kib(per_thousand)} more per 1,000 more "
               f"events); bodies {_kib(small.size)} and {_kib(big.size)}; in-process, {small.seconds:.1f} s and "
               f"{big.seconds:.1f} s under tracemalloc")


def _kib(size: float) -> str:
    return f"{size / 1024:,.0f} KiB"


# --- The occurrence refresh ---------------------------------------------------------------------------------------


def refresh_job(label: str = "occurrence refresh of all events (nightly, rewrites)") -> Job:
    """A timed run of `occurrences_refresh_all` on the generated set."""
    from bench.generate import refresh_occurrences

    return refresh_to_job(label, refresh_occurrences())


def refresh_to_job(label: str, report: dict) -> Job:
    """A job row from a refresh report of bench.generate.refresh_occurrences."""
    load = report.get("load")
    busy = f"; 1-minute load average {load[0]:.2f} before, {load[1]:.2f} after" if load else ""
    return Job(label, f"{report['seconds']:.1f} s", f"< {REFRESH_TARGET_SECONDS} s",
               report["seconds"] < REFRESH_TARGET_SECONDS,
               f"{report['events']:,} events, {report['occurrences']:,} occurrences, {report['truncated']:,} "
               f"truncated (wall time of `occurrences_refresh_all`){busy}")

