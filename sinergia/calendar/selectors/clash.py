"""The clash check's reads: candidates from the materialised occurrences in one statement (`clash_sql`), then scored.

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
from collections.abc import Sequence
from datetime import UTC, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.cache import cache
from django.utils import timezone, translation

from sinergia.calendar.clash import (
    Clash,
    ClashCandidate,
    ClashLabels,
    ClashSettings,
    ClashSubject,
    ScoredClash,
    clash_window,
    explain_clash,
    rank_clashes,
    rank_key,
    score_clashes,
)
from sinergia.calendar.models import Event
from sinergia.calendar.selectors.clash_sql import Row, Search, Window, clash_found
from sinergia.calendar.selectors.events import LONG_SPAN
from sinergia.core.models import Concept
from sinergia.networks.models import Network

# However wide the radius and the buffer, a check scores at most this many occurrences (a bound on the work of one
# request; a real calendar has a few dozen within any sensible radius and buffer).
MAX_CANDIDATES = 2000
MAX_PLANNED_SUBJECTS = 366
LABELS_CACHE_SECONDS = 300
# Read before the visibility of their events is known: some will be drafts or hidden from the viewer.
MAX_SCANNED = 3 * MAX_CANDIDATES
EMPTY: frozenset = frozenset()


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
    networks they are shared with (one query, after the signed-in viewer's networks when not known yet)."""
    if not subjects:
        return []
    search = Search.of(subjects, settings)
    if search.box is None and not search.network_ids:
        return []
    found = clash_found(search, viewer=viewer, audiences=any(s.audiences for s in subjects),
                        themes=any(s.themes for s in subjects), scanned=MAX_SCANNED)
    # Sorted here, not by the database: an ORDER BY with a LIMIT makes the database walk a whole time index in
    # order rather than seek each range.
    rows = sorted(found.occurrences, key=operator.itemgetter(2, 0))[:MAX_CANDIDATES]
    return [_candidate(row, found.concepts, found.networks) for row in rows]


def _candidate(row: Row, concepts: dict, networks: dict) -> ClashCandidate:
    occurrence_id, event_id, start, end, all_day, latitude, longitude, organisation_id, title, zone = row
    if all_day:
        # An all-day occurrence's dates are those of its own time zone, whatever the subject's zone.
        start, end = start.astimezone(_zone(zone)), end.astimezone(_zone(zone))
    return ClashCandidate(
        start=start, end=end, all_day=all_day, latitude=latitude, longitude=longitude,
        network_ids=networks.get(event_id, EMPTY), audiences=concepts.get(("audience", event_id), EMPTY),
        themes=concepts.get(("theme", event_id), EMPTY), organisation_id=organisation_id, event_id=event_id,
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
