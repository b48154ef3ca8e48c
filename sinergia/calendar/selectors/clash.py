"""The clash check's reads: candidates from the materialised occurrences in a fixed number of queries, then scored.

The candidates of a check are the occurrences of published events the viewer may see, not cancelled, not of the
event itself, that can fall within the buffer of a subject and are either within the box of `clash_box` or shared
with one of the subject's networks. The database narrows them with its indexes; `rank_clashes` applies the exact
gates (buffer, radius) and scores them.

The time ranges are as tight as the gates allow. A timed occurrence is on the clock it is stored with, so only the
buffer widens the subject's span; an all-day one covers its dates in the subject's time zone, so those (few) are
looked up in `clash_window`, a day wider. Near ones come from one range of the (cell, start) index per grid square
of the box (`sinergia.calendar.cells`), not from every occurrence of the country in the time range.
"""

import dataclasses
import functools
import operator
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.cache import cache
from django.db import connections
from django.db.models import CharField, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast
from django.utils import timezone, translation

from sinergia.calendar.cells import box_cells
from sinergia.calendar.clash import (
    ALL_DAY_SLACK,
    MIN_DURATION,
    Clash,
    ClashCandidate,
    ClashLabels,
    ClashSettings,
    ClashSubject,
    ScoredClash,
    clash_box,
    clash_window,
    explain_clash,
    rank_clashes,
    rank_key,
    score_clashes,
)
from sinergia.calendar.models import Event, Occurrence
from sinergia.calendar.rules import visible_events_q
from sinergia.calendar.selectors.events import LONG_SPAN, id_list
from sinergia.core.models import Concept
from sinergia.networks.models import Network

# However wide the radius and the buffer, a check scores at most this many occurrences (a bound on the work of one
# request; a real calendar has a few dozen within any sensible radius and buffer).
MAX_CANDIDATES = 2000
MAX_PLANNED_SUBJECTS = 366
LABELS_CACHE_SECONDS = 300
# Read before the visibility of their events is known: some will be drafts or hidden from the viewer.
MAX_SCANNED = 3 * MAX_CANDIDATES
OCCURRENCE_FIELDS = ("id", "event_id", "start", "end", "all_day", "latitude", "longitude")

Window = tuple[datetime, datetime]
Box = tuple[float, float, float, float]


def clash_check(*, subject: ClashSubject, settings: ClashSettings, viewer=None, limit: int = 20) -> list[Clash]:
    """What already on the calendar clashes with the subject, strongest first (at most `limit`)."""
    candidates = clash_candidates(subjects=[subject], settings=settings, viewer=viewer)
    return rank_clashes(subject, candidates, settings, labels=_labels(), limit=limit)


def planned_clashes(*, subjects: Sequence[ClashSubject], settings: ClashSettings, viewer=None,
                    limit: int = 20) -> list[Clash]:
    """Clashes of a recurring plan: for each occurrence already scheduled, its strongest clash with any subject."""
    subjects = list(subjects)[:MAX_PLANNED_SUBJECTS]
    candidates = _Timeline(clash_candidates(subjects=subjects, settings=settings, viewer=viewer))
    best: dict[int, tuple[ClashSubject, ScoredClash]] = {}
    for subject in subjects:
        # Only the candidates within this subject's window can clash with it: a cheap cut before scoring.
        for scored in score_clashes(subject, candidates.within(clash_window(subject, settings)), settings):
            known = best.get(scored.candidate.occurrence_id)
            if known is None or scored.score > known[1].score:
                best[scored.candidate.occurrence_id] = (subject, scored)
    ranked = sorted(best.values(), key=lambda pair: rank_key(pair[1]))[:limit]
    labels = _labels() if ranked else ClashLabels()
    return [explain_clash(subject, scored, settings, labels=labels) for subject, scored in ranked]


class _Timeline:
    """Candidates sorted by start, to pick those overlapping a window without going through all of them."""

    def __init__(self, candidates: list[ClashCandidate]) -> None:
        self.long = [c for c in candidates if c.end - c.start > LONG_SPAN]
        self.short = sorted((c for c in candidates if c.end - c.start <= LONG_SPAN), key=lambda c: c.start)
        self.starts = [c.start for c in self.short]

    def within(self, window: Window) -> list[ClashCandidate]:
        """The candidates overlapping the window (a short one starts at most a day before it)."""
        first, last = bisect_left(self.starts, window[0] - LONG_SPAN), bisect_left(self.starts, window[1])
        return [c for c in [*self.long, *self.short[first:last]] if c.start < window[1] and c.end > window[0]]


def event_clashes(*, event: Event, settings: ClashSettings | None = None, viewer=None, limit: int = 20,
                  max_occurrences: int = 52) -> list[Clash]:
    """Clashes of a stored event's next occurrences (at most `max_occurrences`) with the rest of the calendar."""
    subjects = event_subjects(event=event, max_occurrences=max_occurrences)
    return planned_clashes(subjects=subjects, settings=settings or ClashSettings(), viewer=viewer, limit=limit)


def event_subjects(*, event: Event, max_occurrences: int = 52) -> list[ClashSubject]:
    """The event's upcoming occurrences that are not cancelled, as clash subjects (its own span if not materialised)."""
    now = timezone.now()
    spans = list(event.occurrences.filter(cancelled=False, end__gt=now).order_by("start")
                 .values_list("start", "end")[:max_occurrences])
    if event.occurrences_until is None and event.end > now and event.status != Event.Status.CANCELLED:
        spans = [(event.start, event.end)]
    if not spans:
        return []
    zone = _zone(event.timezone)
    shape = ClashSubject(
        start=spans[0][0], end=spans[0][1], all_day=event.all_day, latitude=event.latitude,
        longitude=event.longitude, network_ids=frozenset(network.pk for network in event.networks.all()),
        audiences=frozenset(concept.notation for concept in event.audiences.all()),
        themes=frozenset(concept.notation for concept in event.themes.all()),
        organisation_id=event.organisation_id, event_id=event.pk,
    )
    return [dataclasses.replace(shape, start=start.astimezone(zone), end=end.astimezone(zone)) for start, end in spans]


def clash_candidates(*, subjects: Sequence[ClashSubject], settings: ClashSettings,
                     viewer=None) -> list[ClashCandidate]:
    """The occurrences that may clash with any of the subjects, with their concepts and those of the subjects'
    networks they are shared with (3 queries)."""
    occurrences = _occurrences(subjects, settings)
    if occurrences is None:
        return []
    # Sorted here, not by the database: an ORDER BY with a LIMIT makes the database walk a whole time index in
    # order rather than seek each range.
    rows = sorted(occurrences[:MAX_SCANNED], key=lambda row: (row[2], row[0]))
    events = _visible_published(viewer, {row[1] for row in rows})
    rows = [row for row in rows if row[1] in events][:MAX_CANDIDATES]
    concepts, networks = _relations({row[1] for row in rows}, audiences=any(s.audiences for s in subjects),
                                    themes=any(s.themes for s in subjects),
                                    network_ids=frozenset().union(*(s.network_ids for s in subjects)))
    return [_candidate(row, events[row[1]], concepts, networks) for row in rows]


def _visible_published(viewer, event_ids: set[int]) -> dict[int, tuple[int, str, str]]:
    """Organisation, title and time zone of those events that are published and visible to the viewer.

    The ids go as one parameter (`id_list`), here and in `_relations`: a check has a few hundred candidate events.
    A query of its own rather than a join in the candidates' one: PostgreSQL, unsure how many candidates the
    union gives, would rather hash the whole events table than look a few hundred events up by key.
    """
    if not event_ids:
        return {}
    events = Event.objects.filter(visible_events_q(viewer, published=True), pk__in=id_list(event_ids))
    rows = events.order_by().values_list("pk", "organisation_id", "title", "timezone")
    return {pk: (organisation_id, title, zone) for pk, organisation_id, title, zone in rows}


@dataclasses.dataclass(frozen=True)
class _Search:
    """Where and when the subjects' candidates can be: time windows (merged), the box and its squares, networks."""

    timed: list[Window]  # for timed occurrences: each subject's span and buffer
    dated: list[Window]  # for all-day ones: the same, a day wider (their dates are read in the subject's zone)
    box: Box | None
    cells: list[int] | None
    network_ids: frozenset[int]
    excluded: frozenset[int]

    @classmethod
    def of(cls, subjects: Sequence[ClashSubject], settings: ClashSettings) -> "_Search":
        windows = [clash_window(subject, settings) for subject in subjects]
        # A minute more each side: an instant counts as lasting a minute, and the buffer's edge is inside it.
        slack = ALL_DAY_SLACK - MIN_DURATION
        boxes = [box for subject in subjects if (box := clash_box(subject, settings)) is not None]
        box = (min(b[0] for b in boxes), max(b[1] for b in boxes), min(b[2] for b in boxes),
               max(b[3] for b in boxes)) if boxes else None
        return cls(timed=_merged((start + slack, end - slack) for start, end in windows), dated=_merged(windows),
                   box=box, cells=box_cells(box) if box else None,
                   network_ids=frozenset().union(*(subject.network_ids for subject in subjects)),
                   excluded=frozenset(s.event_id for s in subjects if s.event_id is not None))


def _occurrences(subjects: Sequence[ClashSubject], settings: ClashSettings) -> QuerySet | None:
    """Rows of the occurrences in the subjects' windows near them or in their networks; None when none can be.

    One branch per index that finds them, joined by UNION: timed short ones near (by grid square and start), timed
    short ones of the networks' events (by start and event), all-day short ones and long ones (each by its small
    partial index). One OR across them would make the databases give up the indexes. Each branch is one filter of
    whole conditions: the ORM's cost grows with every filter() it applies to a query.
    """
    if not subjects:
        return None
    search = _Search.of(subjects, settings)
    near = _box_q(search.box, search.cells) if search.box else None
    shared = (Event.networks.through.objects.filter(network_id__in=search.network_ids).values("event_id")
              if search.network_ids else None)
    if near is None and shared is None:
        return None
    base = Q(cancelled=False) & ~Q(event_id__in=search.excluded) if search.excluded else Q(cancelled=False)
    timed = base & _short_q(search.timed) & Q(is_long=False, all_day=False)
    branches = [Occurrence.objects.filter(timed & near)] if near is not None else []
    if shared is not None:
        branches.append(_shared_timed(timed, search.timed, shared))
    # Row by row for the few all-day and long ones: an event's networks are sought by its key, not all hashed.
    of_networks = None if shared is None else Q(Exists(Event.networks.through.objects.filter(
        event_id=OuterRef("event_id"), network_id__in=search.network_ids)))
    either = functools.reduce(operator.or_, [q for q in (near, of_networks) if q is not None])
    branches.append(Occurrence.objects.filter(base & _short_q(search.dated) & either & Q(is_long=False, all_day=True)))
    branches.append(Occurrence.objects.filter(base & either & Q(is_long=True, end__gte=search.dated[0][0],
                                                                 start__lte=search.dated[-1][1])))
    first, *others = (branch.order_by().values_list(*OCCURRENCE_FIELDS) for branch in branches)
    return first.union(*others)


def _short_q(windows: list[Window]) -> Q:
    """Short occurrences (a day at most) overlapping any of the windows: a start range for each window."""
    ranges = [Q(start__gte=start - LONG_SPAN, start__lte=end, end__gte=start) for start, end in windows]
    return functools.reduce(operator.or_, ranges)


def _box_q(box: Box, cells: list[int] | None) -> Q:
    """Within the box, by its grid squares when they are few enough to seek one by one (as one parameter)."""
    within = Q(latitude__gte=box[0], latitude__lte=box[1], longitude__gte=box[2], longitude__lte=box[3])
    return within & Q(cell__in=id_list(cells, model=Occurrence)) if cells is not None else within


def _shared_timed(timed: Q, windows: list[Window], shared: QuerySet) -> QuerySet:
    """Timed short occurrences of the networks' events.

    Within one window, the start index (which holds the event) is read and each event looked up in the networks'
    list; for several windows, the (event, start) index is sought event by event. SQLite picks the second way even
    for one window, twenty times slower, unless the event is hidden from its planner behind an expression.
    """
    envelope = timed & Q(start__gte=windows[0][0] - LONG_SPAN, start__lte=windows[-1][1])
    if len(windows) > 1 or connections[Occurrence.objects.db].vendor != "sqlite":
        return Occurrence.objects.filter(envelope & Q(event_id__in=shared))
    return (Occurrence.objects.alias(unindexed_event=F("event_id") + 0)
            .filter(envelope & Q(unindexed_event__in=Subquery(shared))))


def _merged(windows: Iterable[Window]) -> list[Window]:
    """Overlapping time windows joined, so a weekly plan asks for a few ranges rather than one per week."""
    merged: list[Window] = []
    for start, end in sorted(windows):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _relations(event_ids: set[int], *, audiences: bool, themes: bool, network_ids: frozenset[int],
               ) -> tuple[dict[tuple[str, int], frozenset[str]], dict[int, frozenset[int]]]:
    """Each event's audience and theme notations, keyed by ("audience" | "theme", event id), and which of the
    subjects' networks it is shared with: one query at most, for what the subjects have (what they lack scores
    nothing, nor does a network they are not in)."""
    wanted = [(kind, through, value, lookups) for kind, through, value, lookups, on in (
        ("audience", Event.audiences.through, F("concept__notation"), {}, audiences),
        ("theme", Event.themes.through, F("concept__notation"), {}, themes),
        ("network", Event.networks.through, Cast("network_id", CharField()), {"network_id__in": network_ids},
         bool(network_ids))) if on]
    if not (wanted and event_ids):
        return {}, {}
    first, *others = (through.objects.filter(event_id__in=id_list(event_ids), **lookups).order_by()
                      .values_list(Value(kind), "event_id", value) for kind, through, value, lookups in wanted)
    concepts: dict[tuple[str, int], set[str]] = defaultdict(set)
    shared: dict[int, set[int]] = defaultdict(set)
    for kind, event_id, value in first.union(*others, all=True) if others else first:
        if kind == "network":
            shared[event_id].add(int(value))
        else:
            concepts[(kind, event_id)].add(value)
    return ({key: frozenset(values) for key, values in concepts.items()},
            {key: frozenset(values) for key, values in shared.items()})


def _candidate(row: tuple, event: tuple[int, str, str], concepts: dict, networks: dict) -> ClashCandidate:
    occurrence_id, event_id, start, end, all_day, latitude, longitude = row
    organisation_id, title, zone = event
    if all_day:
        # An all-day occurrence's dates are those of its own time zone, whatever the subject's zone.
        start, end = start.astimezone(_zone(zone)), end.astimezone(_zone(zone))
    return ClashCandidate(
        start=start, end=end, all_day=all_day, latitude=latitude, longitude=longitude,
        network_ids=networks.get(event_id, frozenset()), audiences=concepts.get(("audience", event_id), frozenset()),
        themes=concepts.get(("theme", event_id), frozenset()), organisation_id=organisation_id, event_id=event_id,
        occurrence_id=occurrence_id, title=title,
    )


@functools.lru_cache(maxsize=64)
def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _labels() -> ClashLabels:
    return clash_labels(language=translation.get_language() or "en")


def clash_labels(*, language: str) -> ClashLabels:
    """Labels of audiences and themes in `language` and every network's name, cached for a few minutes."""
    language = language[:2]
    key = f"calendar:clash-labels:{language}"
    labels = cache.get(key)
    if labels is None:
        with translation.override(language):
            concepts = Concept.objects.filter(scheme__in=(Concept.Scheme.AUDIENCE, Concept.Scheme.THEME))
            labels = ClashLabels(concepts={c.notation: {language: c.label} for c in concepts},
                                 networks=dict(Network.objects.values_list("id", "name")))
        cache.set(key, labels, LABELS_CACHE_SECONDS)
    return labels
