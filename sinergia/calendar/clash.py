"""The clash check: how strongly an occurrence already scheduled competes with an event being planned, and why.

Pure functions over frozen dataclasses: no database access, so the selector that fetches the candidates, the
htmx form, the API and the free-date finder all score the same way.

The score is a weighted sum of five components, each in [0, 1]:

- time: 0 at the far edge of the buffer, rising to 0.25 when the events touch; any real overlap scores
  0.25 + 0.75 × overlap / √(duration₁ × duration₂), so two identical slots score 1 while a concert inside a
  three-month exhibition scores little above 0.25 (the exhibition is "always on", it does not take the evening);
- distance: 1 at the same spot, falling linearly to 0 at the radius; 0 when a side has no coordinates;
- audiences and themes: the overlap coefficient |A ∩ B| / min(|A|, |B|) of the thesaurus notations, so an event
  for families competes fully with one for families and schools;
- networks: 1 when the two share a network (members agreed to coordinate their programmes), else 0.

An occurrence clashes at all only when it falls within the buffer in time and is within the radius or in a
shared network. Being of the same organisation changes neither the gate nor the score (an institution's own
events compete for the same public too); it only adds a reason so the editor sees it.
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sinergia.calendar import clash_messages as messages
from sinergia.core.geo import bounding_box, distance_km, validate_latitude, validate_longitude

__all__ = [
    "Clash", "ClashCandidate", "ClashLabels", "ClashReason", "ClashSettings", "ClashSubject", "ClashWeights",
    "ScoredClash", "clash_box", "clash_score", "clash_window", "explain_clash", "rank_clashes", "rank_key",
    "score_clash", "score_clashes",
]

# An instant (RFC 5545 allows a DTSTART without end) counts as one minute, so it can overlap and be weighed.
MIN_DURATION = timedelta(minutes=1)
NO_TIME = timedelta(0)
MAX_BUFFER = timedelta(hours=24)
MIN_RADIUS_KM, MAX_RADIUS_KM = 1.0, 500.0
# Time-zone offsets differ by up to 26 hours: a window widened by a day still holds every all-day occurrence.
ALL_DAY_SLACK = timedelta(days=1)
TOUCHING_TIME_SCORE = 0.25
POINTS = Decimal("0.0001")
# How close to a tie (…5 in the fifth decimal) a contribution must be for `_points` to round it in decimal: far
# wider than a float's error on numbers up to 1, far narrower than the step of 0.0001 between results.
TIE_TOLERANCE = 1e-6


@dataclass(frozen=True, kw_only=True, slots=True)
class ClashSubject:
    """The event being planned: when, where, for whom, by whom."""

    start: datetime
    end: datetime
    all_day: bool = False
    latitude: float | None = None
    longitude: float | None = None
    network_ids: frozenset[int] = frozenset()
    audiences: frozenset[str] = frozenset()
    themes: frozenset[str] = frozenset()
    organisation_id: int | None = None
    event_id: int | None = None

    def __post_init__(self) -> None:
        _validate_when(self.start, self.end)
        _validate_where(self.latitude, self.longitude)

    @property
    def has_coordinates(self) -> bool:
        """Whether both latitude and longitude are known."""
        return self.latitude is not None and self.longitude is not None


@dataclass(frozen=True, kw_only=True, slots=True)
class ClashCandidate(ClashSubject):
    """An occurrence already on the calendar."""

    occurrence_id: int
    title: str = ""


@dataclass(frozen=True, kw_only=True)
class ClashWeights:
    """How much each component counts; non-negative and summing to 1 so the score stays in [0, 1]."""

    time: float = 0.35
    distance: float = 0.25
    audience: float = 0.15
    theme: float = 0.10
    network: float = 0.15

    def __post_init__(self) -> None:
        values = (self.time, self.distance, self.audience, self.theme, self.network)
        if any(not math.isfinite(value) or value < 0 for value in values):
            raise ValidationError(_("Clash weights must be numbers of at least 0."))
        if abs(sum(values) - 1) > 1e-6:
            raise ValidationError(_("Clash weights must add up to 1 (they add up to %(total)s).")
                                  % {"total": round(sum(values), 6)})


@dataclass(frozen=True, kw_only=True)
class ClashSettings:
    """The buffer around the event, the search radius, the weights and the threshold of a strong clash."""

    buffer: timedelta = timedelta(hours=1)
    radius_km: float = 25.0
    weights: ClashWeights = ClashWeights()
    strong_threshold: float = 0.6

    def __post_init__(self) -> None:
        if not timedelta(0) <= self.buffer <= MAX_BUFFER:
            raise ValidationError(_("The buffer must be between 0 and 24 hours."))
        if not (math.isfinite(self.radius_km) and MIN_RADIUS_KM <= self.radius_km <= MAX_RADIUS_KM):
            raise ValidationError(_("The radius must be between %(min)s and %(max)s km (got %(value)s).")
                                  % {"min": int(MIN_RADIUS_KM), "max": int(MAX_RADIUS_KM), "value": self.radius_km})
        if not (math.isfinite(self.strong_threshold) and 0 <= self.strong_threshold <= 1):
            raise ValidationError(_("The threshold of a strong clash must be between 0 and 1."))


@dataclass(frozen=True, kw_only=True)
class ClashLabels:
    """Names to show in reasons: concept notation → {language: label}, network id → name."""

    concepts: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    networks: Mapping[int, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ClashReason:
    """One reason why an occurrence clashes: a machine code, a message rendered in the active language, points."""

    code: str
    message: str
    contribution: float


@dataclass(frozen=True, slots=True)
class Clash:
    """A scored clash with an existing occurrence."""

    candidate: ClashCandidate
    score: float
    strong: bool
    reasons: tuple[ClashReason, ...]
    distance_km: float | None
    overlap: timedelta


# --- Validation -------------------------------------------------------------------------------------------------


def _validate_when(start: datetime, end: datetime) -> None:
    if start.utcoffset() is None or end.utcoffset() is None:
        raise ValidationError(_("The start and the end of an event must carry a time zone."))
    if end < start:
        raise ValidationError(_("The end of an event cannot be before its start."))


def _validate_where(latitude: float | None, longitude: float | None) -> None:
    if (latitude is None) != (longitude is None):
        raise ValidationError(_("Give both the latitude and the longitude of a place, or neither."))
    validate_latitude(latitude)
    validate_longitude(longitude)


# --- The search space, for the selector's index pre-filter --------------------------------------------------------


def clash_window(subject: ClashSubject, settings: ClashSettings) -> tuple[datetime, datetime]:
    """The time range (UTC) outside which no occurrence can clash: the buffer plus a day of slack for all-day ones."""
    start, end = _span(subject, _zone(subject))
    margin = settings.buffer + ALL_DAY_SLACK
    return start - margin, end + margin


def clash_box(subject: ClashSubject, settings: ClashSettings) -> tuple[float, float, float, float] | None:
    """(min_lat, max_lat, min_lon, max_lon) around the subject's place, or None when it has no coordinates."""
    if subject.latitude is None or subject.longitude is None:
        return None
    return bounding_box(subject.latitude, subject.longitude, settings.radius_km)


# --- Scoring ------------------------------------------------------------------------------------------------------
#
# Scoring and explaining are two steps: a check scores every candidate (plain floats) but words the reasons only of
# those it returns, the top `limit`. The points of each reason are the very ones the score adds up.


@dataclass(frozen=True, slots=True)
class _Timing:
    overlap: timedelta
    gap: timedelta
    before: bool  # the candidate lies before the subject (meaningful only when they do not overlap)
    component: float


@dataclass(frozen=True, slots=True)
class ScoredClash:
    """A candidate that clashes, scored: what ranking needs; `explain_clash` adds the reasons."""

    candidate: ClashCandidate
    score: float
    distance_km: float | None
    timing: _Timing
    # The points of time, place, networks, audiences and themes, in the order of the reasons.
    points: tuple[float, float, float, float, float]


def clash_score(
    subject: ClashSubject, candidate: ClashCandidate, settings: ClashSettings, *, labels: ClashLabels | None = None,
) -> Clash | None:
    """How strongly the candidate clashes with the subject, with the reasons; None when it does not clash at all."""
    scored = score_clash(subject, candidate, settings)
    return None if scored is None else explain_clash(subject, scored, settings, labels=labels)


def rank_clashes(
    subject: ClashSubject, candidates: Iterable[ClashCandidate], settings: ClashSettings, *,
    labels: ClashLabels | None = None, limit: int | None = None,
) -> list[Clash]:
    """The candidates that clash, strongest first, then by start (the first `limit`, with their reasons)."""
    ranked = sorted(score_clashes(subject, candidates, settings), key=rank_key)
    return [explain_clash(subject, scored, settings, labels=labels) for scored in ranked[:limit]]


def rank_key(scored: ScoredClash) -> tuple[float, datetime, int]:
    """Strongest first, then the earliest, then by occurrence: the order of every list of clashes."""
    return -scored.score, scored.candidate.start, scored.candidate.occurrence_id


def score_clashes(
    subject: ClashSubject, candidates: Iterable[ClashCandidate], settings: ClashSettings,
) -> list[ScoredClash]:
    """The candidates that clash with the subject, scored, in the order given."""
    span = _span(subject, _zone(subject))
    return [scored for candidate in candidates
            if (scored := _scored(subject, span, candidate, settings)) is not None]


def score_clash(subject: ClashSubject, candidate: ClashCandidate, settings: ClashSettings) -> ScoredClash | None:
    """The candidate's score against the subject, without reasons; None when it does not clash at all."""
    return _scored(subject, _span(subject, _zone(subject)), candidate, settings)


def explain_clash(subject: ClashSubject, scored: ScoredClash, settings: ClashSettings, *,
                  labels: ClashLabels | None = None) -> Clash:
    """The scored clash with its reasons, whose points add up to its score."""
    reasons = _reasons(subject, scored, settings, labels or ClashLabels())
    return Clash(candidate=scored.candidate, score=scored.score, strong=scored.score >= settings.strong_threshold,
                 reasons=reasons, distance_km=scored.distance_km, overlap=scored.timing.overlap)


def _scored(subject: ClashSubject, span: tuple[datetime, datetime], candidate: ClashCandidate,
            settings: ClashSettings) -> ScoredClash | None:
    if subject.event_id is not None and candidate.event_id == subject.event_id:
        return None
    timing = _timing(span, _span(candidate, _zone(subject)), settings.buffer)
    if timing is None:
        return None
    distance = _distance(subject, candidate)
    near = distance is not None and distance <= settings.radius_km
    networks = subject.network_ids & candidate.network_ids
    if not (near or networks):
        return None
    weights = settings.weights
    points = (_points(weights.time, timing.component),
              _points(weights.distance, 1 - distance / settings.radius_km) if near and distance is not None else 0.0,
              _points(weights.network, 1.0) if networks else 0.0,
              _concept_points(weights.audience, subject.audiences, candidate.audiences),
              _concept_points(weights.theme, subject.themes, candidate.themes))
    # Added in the order of the reasons, as their contributions are: the same float, to the last bit.
    score = round(min(1.0, points[0] + points[1] + points[2] + points[3] + points[4]), 4)
    return ScoredClash(candidate=candidate, score=score, distance_km=distance, timing=timing, points=points)


def _concept_points(weight: float, mine: frozenset[str], theirs: frozenset[str]) -> float:
    return _points(weight, _shared_share(mine, theirs)) if mine & theirs else 0.0


def _zone(subject: ClashSubject) -> tzinfo:
    zone = subject.start.tzinfo
    assert zone is not None  # validated aware in __post_init__
    return zone


def _span(event: ClashSubject, zone: tzinfo) -> tuple[datetime, datetime]:
    """The event's interval in UTC; an all-day event covers its whole dates in the given zone."""
    start, end = event.start, event.end
    if event.all_day:
        first = start.date()
        last = max(first, (end - timedelta(microseconds=1)).date())
        start, end = _midnight(first, zone), _midnight(last + timedelta(days=1), zone)
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    return start, max(end, start + MIN_DURATION)


def _midnight(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone)


def _timing(mine: tuple[datetime, datetime], theirs: tuple[datetime, datetime], buffer: timedelta) -> _Timing | None:
    """Overlap, gap and the time component of two spans; None when they are farther apart than the buffer."""
    (s_start, s_end), (c_start, c_end) = mine, theirs
    signed = min(s_end, c_end) - max(s_start, c_start)
    overlap, gap = max(signed, NO_TIME), max(-signed, NO_TIME)
    if gap > buffer:
        return None
    if overlap:
        durations = (s_end - s_start).total_seconds() * (c_end - c_start).total_seconds()
        ratio = min(1.0, overlap.total_seconds() / math.sqrt(durations))
        component = TOUCHING_TIME_SCORE + (1 - TOUCHING_TIME_SCORE) * ratio
    else:
        component = TOUCHING_TIME_SCORE * (1 - gap / buffer) if buffer else TOUCHING_TIME_SCORE
    return _Timing(overlap=overlap, gap=gap, before=c_end <= s_start, component=component)


def _distance(subject: ClashSubject, candidate: ClashCandidate) -> float | None:
    if subject.latitude is None or subject.longitude is None:
        return None
    if candidate.latitude is None or candidate.longitude is None:
        return None
    return distance_km(subject.latitude, subject.longitude, candidate.latitude, candidate.longitude)


def _shared_share(mine: frozenset[str], theirs: frozenset[str]) -> float:
    """The overlap coefficient of two sets of notations (0 when either is empty)."""
    if not mine or not theirs:
        return 0.0
    return len(mine & theirs) / min(len(mine), len(theirs))


def _points(weight: float, component: float) -> float:
    """A contribution to the score, rounded half up to 4 decimals as one would by hand (0.04375 → 0.0438).

    Away from a tie, rounding the float gives the same number as rounding its decimal form; only near one (its
    decimal form may end in 5 where the float lies just below) does it take the slower, exact decimal way.
    """
    value = weight * component
    scaled = value * 10_000
    if abs(scaled - math.floor(scaled) - 0.5) > TIE_TOLERANCE:
        return round(value, 4)
    return float(Decimal(repr(value)).quantize(POINTS, rounding=ROUND_HALF_UP))


# --- Reasons ------------------------------------------------------------------------------------------------------


def _reasons(subject: ClashSubject, scored: ScoredClash, settings: ClashSettings,
             labels: ClashLabels) -> tuple[ClashReason, ...]:
    """Why the candidate clashes, in a fixed order: time, place, networks, audiences, themes, organisation."""
    candidate, (time_points, place_points, network_points, audience_points, theme_points) = (scored.candidate,
                                                                                               scored.points)
    reasons = [_time_reason(scored.timing, time_points), _place_reason(scored.distance_km, settings, place_points)]
    networks = subject.network_ids & candidate.network_ids
    if networks:
        reasons.append(ClashReason("same_network", messages.network_message(sorted(networks), labels.networks),
                                   network_points))
    for code, mine, theirs, points in (("same_audience", subject.audiences, candidate.audiences, audience_points),
                                       ("same_theme", subject.themes, candidate.themes, theme_points)):
        if mine & theirs:
            reasons.append(ClashReason(code, messages.concepts_message(code, _labels_of(mine & theirs, labels)),
                                       points))
    if subject.organisation_id is not None and candidate.organisation_id == subject.organisation_id:
        reasons.append(ClashReason("same_organisation", messages.same_organisation_message(), 0.0))
    return tuple(reasons)


def _time_reason(timing: _Timing, points: float) -> ClashReason:
    if timing.overlap:
        return ClashReason("overlap", messages.overlap_message(int(timing.overlap.total_seconds())), points)
    return ClashReason("within_buffer", messages.gap_message(int(timing.gap.total_seconds()), timing.before),
                       points)


def _place_reason(distance: float | None, settings: ClashSettings, points: float) -> ClashReason:
    if distance is None:
        return ClashReason("distance_unknown", messages.distance_unknown_message(), 0.0)
    if distance > settings.radius_km:
        return ClashReason("far", messages.far_message(distance, settings.radius_km), 0.0)
    return ClashReason("near", messages.near_message(distance), points)


def _labels_of(notations: frozenset[str], labels: ClashLabels) -> tuple[tuple[str, Mapping[str, str]], ...]:
    return tuple((notation, labels.concepts.get(notation, {})) for notation in sorted(notations))
