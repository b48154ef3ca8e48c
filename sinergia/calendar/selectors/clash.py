"""The clash check's reads: candidates from the materialised occurrences in a fixed number of queries, then scored.

The candidates of a check are the occurrences of published events the viewer may see, not cancelled, not of the
event itself, within the time window of `clash_window` and either within the box of `clash_box` or shared with one
of the subject's networks. The database narrows them with its indexes (time range first); `rank_clashes` applies the
exact gates (buffer, radius) and scores them.
"""

import dataclasses
import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.cache import cache
from django.db.models import QuerySet, Value
from django.utils import timezone, translation

from sinergia.calendar.clash import (
    Clash,
    ClashCandidate,
    ClashLabels,
    ClashSettings,
    ClashSubject,
    clash_box,
    clash_window,
    rank_clashes,
)
from sinergia.calendar.models import Event, Occurrence
from sinergia.calendar.rules import visible_events_q
from sinergia.calendar.selectors.events import overlapping_any_q
from sinergia.core.models import Concept
from sinergia.networks.models import Network

# However wide the radius and the buffer, a check scores at most this many occurrences (a bound on the work of one
# request; a real calendar has a few dozen within any sensible radius and buffer).
MAX_CANDIDATES = 2000
# Read before the visibility of their events is known: some will be drafts or hidden from the viewer.
MAX_SCANNED = 3 * MAX_CANDIDATES
MAX_PLANNED_SUBJECTS = 366
LABELS_CACHE_SECONDS = 300
OCCURRENCE_FIELDS = ("id", "event_id", "start", "end", "all_day", "latitude", "longitude")


def clash_check(*, subject: ClashSubject, settings: ClashSettings, viewer=None, limit: int = 20) -> list[Clash]:
    """What already on the calendar clashes with the subject, strongest first (at most `limit`)."""
    candidates = clash_candidates(subjects=[subject], settings=settings, viewer=viewer)
    return rank_clashes(subject, candidates, settings, labels=_labels())[:limit]


def planned_clashes(*, subjects: Sequence[ClashSubject], settings: ClashSettings, viewer=None,
                    limit: int = 20) -> list[Clash]:
    """Clashes of a recurring plan: for each occurrence already scheduled, its strongest clash with any subject."""
    subjects = list(subjects)[:MAX_PLANNED_SUBJECTS]
    candidates = clash_candidates(subjects=subjects, settings=settings, viewer=viewer)
    labels = _labels()
    best: dict[int, Clash] = {}
    for subject in subjects:
        window_start, window_end = clash_window(subject, settings)
        # Only the candidates within this subject's window can clash with it: a cheap cut before scoring.
        near = [c for c in candidates if c.start < window_end and c.end > window_start]
        for clash in rank_clashes(subject, near, settings, labels=labels):
            known = best.get(clash.candidate.occurrence_id)
            if known is None or clash.score > known.score:
                best[clash.candidate.occurrence_id] = clash
    ranked = sorted(best.values(), key=lambda c: (-c.score, c.candidate.start, c.candidate.occurrence_id))
    return ranked[:limit]


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
    """The occurrences that may clash with any of the subjects, with their concepts and networks (4 queries)."""
    occurrences = _occurrences(subjects, settings)
    if occurrences is None:
        return []
    # Sorted here, not by the database: an ORDER BY with a LIMIT makes SQLite walk the whole start index in order
    # rather than seek each window's range.
    rows = sorted(occurrences[:MAX_SCANNED], key=lambda row: (row[2], row[0]))
    events = _visible_published(viewer, {row[1] for row in rows})
    rows = [row for row in rows if row[1] in events][:MAX_CANDIDATES]
    event_ids = {row[1] for row in rows}
    concepts = _notations(event_ids, audiences=any(s.audiences for s in subjects),
                          themes=any(s.themes for s in subjects))
    networks = _network_ids(event_ids, any(s.network_ids for s in subjects))
    return [_candidate(row, events[row[1]], concepts, networks) for row in rows]


def _occurrences(subjects: Sequence[ClashSubject], settings: ClashSettings) -> QuerySet | None:
    """Rows of the occurrences in the subjects' windows near them or in their networks; None when none can be.

    One branch per way of being a candidate, joined by UNION: each is then a plain index range (time and box on
    (start, latitude, longitude); the networks' events on (event, start)), which one OR across them would defeat.
    """
    if not subjects:
        return None
    windows = _merged(clash_window(subject, settings) for subject in subjects)
    when = overlapping_any_q(windows)
    excluded = {subject.event_id for subject in subjects if subject.event_id is not None}
    base = Occurrence.objects.filter(when, cancelled=False).exclude(event_id__in=excluded).order_by()
    branches = []
    boxes = [box for subject in subjects if (box := clash_box(subject, settings)) is not None]
    if boxes:
        branches.append(base.filter(latitude__gte=min(b[0] for b in boxes), latitude__lte=max(b[1] for b in boxes),
                                    longitude__gte=min(b[2] for b in boxes), longitude__lte=max(b[3] for b in boxes)))
    network_ids = frozenset().union(*(subject.network_ids for subject in subjects))
    if network_ids:
        shared = Event.networks.through.objects.filter(network_id__in=network_ids).values("event_id")
        branches.append(base.filter(event_id__in=shared))
    if not branches:
        return None
    first, *others = (branch.values_list(*OCCURRENCE_FIELDS) for branch in branches)
    return first.union(*others) if others else first


def _visible_published(viewer, event_ids: set[int]) -> dict[int, tuple[int, str, str]]:
    """Organisation, title and time zone of those events that are published and visible to the viewer."""
    if not event_ids:
        return {}
    events = Event.objects.filter(visible_events_q(viewer), pk__in=event_ids, status=Event.Status.PUBLISHED)
    rows = events.order_by().values_list("pk", "organisation_id", "title", "timezone")
    return {pk: (organisation_id, title, zone) for pk, organisation_id, title, zone in rows}


def _merged(windows: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """Overlapping time windows joined, so a weekly plan asks for a few ranges rather than one per week."""
    merged: list[tuple[datetime, datetime]] = []
    for start, end in sorted(windows):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _notations(event_ids: set[int], *, audiences: bool, themes: bool) -> dict[tuple[str, int], frozenset[str]]:
    """Each event's audience and theme notations, keyed by ("audience" | "theme", event id): one query at most."""
    wanted = [(scheme, through) for scheme, through, on in (("audience", Event.audiences.through, audiences),
                                                             ("theme", Event.themes.through, themes)) if on]
    found: dict[tuple[str, int], set[str]] = defaultdict(set)
    if not (wanted and event_ids):
        return {}
    first, *others = (through.objects.filter(event_id__in=event_ids).order_by()
                      .values_list(Value(scheme), "event_id", "concept__notation") for scheme, through in wanted)
    for scheme, event_id, notation in first.union(*others, all=True) if others else first:
        found[(scheme, event_id)].add(notation)
    return {key: frozenset(notations) for key, notations in found.items()}


def _network_ids(event_ids: set[int], wanted: bool) -> dict[int, frozenset[int]]:
    """Each event's networks (one query, none when the subjects share no network)."""
    found: dict[int, set[int]] = defaultdict(set)
    if wanted and event_ids:
        for event_id, network_id in Event.networks.through.objects.filter(event_id__in=event_ids).values_list(
                "event_id", "network_id"):
            found[event_id].add(network_id)
    return {event_id: frozenset(ids) for event_id, ids in found.items()}


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
