"""The clash score: hand-computed cases, the reasons' messages, and properties over random events (no database)."""

import math
from dataclasses import fields
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from sinergia.calendar.clash import (
    Clash,
    ClashCandidate,
    ClashLabels,
    ClashSettings,
    ClashSubject,
    ClashWeights,
    clash_box,
    clash_score,
    clash_window,
    explain_clash,
    rank_clashes,
    score_clash,
)
from sinergia.calendar.clash import _points as points
from sinergia.core.geo import EARTH_RADIUS_KM, distance_km

ROME = ZoneInfo("Europe/Rome")
LAT, LON = 43.7700, 11.2500  # Florence
DEFAULTS = ClashSettings()


def north(km: float) -> float:
    """The latitude `km` kilometres north of LAT on the same meridian."""
    return LAT + math.degrees(km / EARTH_RADIUS_KM)


def at(hour: int, minute: int = 0, day: int = 9) -> datetime:
    return datetime(2026, 5, day, hour, minute, tzinfo=ROME)


def subject(**overrides) -> ClashSubject:
    values = {"start": at(14), "end": at(16), "latitude": LAT, "longitude": LON, "organisation_id": 1}
    return ClashSubject(**{**values, **overrides})


def candidate(**overrides) -> ClashCandidate:
    values = {"start": at(14), "end": at(16), "latitude": LAT, "longitude": LON, "organisation_id": 2,
              "occurrence_id": 10, "event_id": 20, "title": "Guided tour"}
    return ClashCandidate(**{**values, **overrides})


def codes(clash: Clash | None) -> list[str]:
    assert clash is not None
    return [reason.code for reason in clash.reasons]


def messages(clash: Clash | None) -> list[str]:
    assert clash is not None
    return [str(reason.message) for reason in clash.reasons]


# --- Hand-computed scores ----------------------------------------------------------------------------------------


def test_clash_score_identical_slot_same_place_is_strong_at_threshold():
    # time 1 × 0.35 + distance 1 × 0.25 = 0.6, the default threshold.
    clash = clash_score(subject(), candidate(), DEFAULTS)
    assert clash is not None
    assert (clash.score, clash.strong, clash.distance_km, clash.overlap) == (0.6, True, 0.0, timedelta(hours=2))
    assert messages(clash) == ["Overlaps by 2 h", "0 m away"]
    assert [reason.contribution for reason in clash.reasons] == [0.35, 0.25]


def test_clash_score_half_overlap_half_radius_shared_concepts():
    # time: overlap 1 h / √(2 h × 2 h) = 0.5 → 0.25 + 0.75 × 0.5 = 0.625 → × 0.35 = 0.2188 (rounded);
    # distance: 12.5 of 25 km → 0.5 × 0.25 = 0.125; audiences {families} ⊂ {families, schools} → 1 × 0.15;
    # themes {art, music} vs {music, history, crafts}: 1 shared of min(2, 3) → 0.5 × 0.10 = 0.05.
    clash = clash_score(
        subject(audiences=frozenset({"families"}), themes=frozenset({"art", "music"})),
        candidate(start=at(15), end=at(17), latitude=north(12.5), audiences=frozenset({"families", "schools"}),
                  themes=frozenset({"music", "history", "crafts"})),
        DEFAULTS,
    )
    assert clash is not None
    assert [reason.contribution for reason in clash.reasons] == [0.2188, 0.125, 0.15, 0.05]
    assert (clash.score, clash.strong, clash.overlap) == (0.5438, False, timedelta(hours=1))
    assert codes(clash) == ["overlap", "near", "same_audience", "same_theme"]
    assert messages(clash) == ["Overlaps by 1 h", "12.5 km away", "Same audience: families", "Same theme: music"]


def test_clash_score_within_buffer_after_the_subject():
    # gap 30 min of a 1 h buffer → time 0.25 × (1 − 0.5) = 0.125 → × 0.35 = 0.0438; same place → 0.25.
    clash = clash_score(subject(), candidate(start=at(16, 30), end=at(18)), DEFAULTS)
    assert clash is not None
    assert (clash.score, clash.overlap) == (0.2938, timedelta(0))
    assert codes(clash) == ["within_buffer", "near"]
    assert messages(clash) == ["Starts 30 min after yours ends", "0 m away"]


def test_clash_score_within_buffer_before_the_subject_touching():
    clash = clash_score(subject(), candidate(start=at(12), end=at(14)), DEFAULTS)
    assert clash is not None
    assert clash.score == 0.3375  # 0.25 × 0.35 + 0.25
    assert messages(clash)[0] == "Ends just as yours starts"


def test_clash_score_beyond_radius_in_shared_network_scores_time_and_network():
    clash = clash_score(subject(network_ids=frozenset({3, 4})), candidate(latitude=north(100), network_ids=frozenset({4})),
                        DEFAULTS, labels=ClashLabels(networks={4: "Musei del Chianti"}))
    assert clash is not None
    assert clash.score == 0.5  # 0.35 + 0 + 0.15
    assert round(clash.distance_km or 0, 6) == 100.0
    assert codes(clash) == ["overlap", "far", "same_network"]
    assert messages(clash)[1:] == ["100 km away, beyond the 25 km radius", "Same network: Musei del Chianti"]


def test_clash_score_network_without_names_counts_them():
    clash = clash_score(subject(network_ids=frozenset({3, 4})), candidate(network_ids=frozenset({3, 4})), DEFAULTS)
    assert messages(clash)[2] == "In 2 shared networks"


def test_clash_score_beyond_radius_without_shared_network_is_none():
    assert clash_score(subject(network_ids=frozenset({3})), candidate(latitude=north(25.01)), DEFAULTS) is None


def test_clash_score_at_the_radius_is_a_clash_with_no_distance_points():
    clash = clash_score(subject(), candidate(latitude=north(24.9999999)), DEFAULTS)
    assert clash is not None
    assert clash.score == 0.35


def test_clash_score_without_coordinates_needs_a_shared_network():
    lonely = candidate(latitude=None, longitude=None)
    assert clash_score(subject(), lonely, DEFAULTS) is None
    clash = clash_score(subject(network_ids=frozenset({3})), candidate(latitude=None, longitude=None,
                                                                       network_ids=frozenset({3})), DEFAULTS)
    assert clash is not None
    assert (clash.score, clash.distance_km) == (0.5, None)
    assert codes(clash) == ["overlap", "distance_unknown", "same_network"]
    assert messages(clash)[1] == "Distance unknown: a place has no coordinates"


def test_clash_score_subject_without_coordinates_judges_by_network():
    placeless = subject(latitude=None, longitude=None, network_ids=frozenset({3}))
    assert clash_score(placeless, candidate(), DEFAULTS) is None
    assert codes(clash_score(placeless, candidate(network_ids=frozenset({3})), DEFAULTS)) == [
        "overlap", "distance_unknown", "same_network"]


def test_clash_score_same_organisation_is_a_clash_and_says_so():
    own = clash_score(subject(), candidate(organisation_id=1), DEFAULTS)
    other = clash_score(subject(), candidate(organisation_id=2), DEFAULTS)
    assert own is not None and other is not None
    assert own.score == other.score == 0.6
    assert codes(own) == ["overlap", "near", "same_organisation"]
    assert messages(own)[2] == "Organised by your own organisation"


def test_clash_score_own_occurrences_of_the_subject_never_clash():
    assert clash_score(subject(event_id=20), candidate(event_id=20), DEFAULTS) is None
    assert clash_score(subject(event_id=21), candidate(event_id=20), DEFAULTS) is not None


def test_clash_score_all_day_candidate_overlaps_by_the_subjects_local_day():
    # 00:30–01:30 in Rome on 9 May is still 8 May in UTC; an all-day candidate of 9 May (stored at UTC midnight)
    # covers the whole of 9 May in Rome, so they overlap by the full hour.
    all_day = candidate(start=datetime(2026, 5, 9, tzinfo=UTC), end=datetime(2026, 5, 10, tzinfo=UTC), all_day=True)
    clash = clash_score(subject(start=at(0, 30), end=at(1, 30)), all_day, ClashSettings(buffer=timedelta(0)))
    assert clash is not None
    assert clash.overlap == timedelta(hours=1)


def test_clash_score_all_day_end_inclusive_or_exclusive_covers_the_same_day():
    late = subject(start=at(23), end=at(23, 30))
    for end in (datetime(2026, 5, 9, tzinfo=UTC), datetime(2026, 5, 10, tzinfo=UTC)):
        clash = clash_score(late, candidate(start=datetime(2026, 5, 9, tzinfo=UTC), end=end, all_day=True),
                            ClashSettings(buffer=timedelta(0)))
        assert clash is not None
        assert clash.overlap == timedelta(minutes=30)


def test_clash_score_all_day_subject_spans_its_whole_local_days():
    day = subject(start=at(0), end=at(0, day=10), all_day=True)
    assert clash_score(day, candidate(start=at(23, 50), end=at(23, 55)), ClashSettings(buffer=timedelta(0)))
    assert clash_score(day, candidate(start=at(0, 10, day=10), end=at(1, day=10)),
                       ClashSettings(buffer=timedelta(0))) is None


def test_clash_score_long_exhibition_weighs_little_time():
    # 2 h inside 2,160 h: 0.25 + 0.75 × 2 / √(2 × 2160) = 0.2728 → × 0.35 = 0.0955.
    exhibition = candidate(start=at(0, day=1), end=at(0, day=1) + timedelta(hours=2160))
    clash = clash_score(subject(), exhibition, DEFAULTS)
    assert clash is not None
    assert (clash.reasons[0].contribution, clash.score) == (0.0955, 0.3455)
    assert messages(clash)[0] == "Overlaps by 2 h"


def test_clash_score_instant_event_counts_as_one_minute():
    clash = clash_score(subject(start=at(15), end=at(15)), candidate(start=at(15), end=at(15)), DEFAULTS)
    assert clash is not None
    assert (clash.overlap, clash.score) == (timedelta(minutes=1), 0.6)


def test_clash_score_messages_render_in_the_active_language():
    labels = ClashLabels(concepts={"families": {"en": "families", "it": "famiglie"}})
    clash = clash_score(subject(audiences=frozenset({"families"})),
                        candidate(latitude=north(2.44), audiences=frozenset({"families"})), DEFAULTS, labels=labels)
    assert messages(clash)[1:] == ["2.4 km away", "Same audience: families"]
    with translation.override("it"):
        assert messages(clash)[1:] == ["A 2,4 km di distanza", "Stesso pubblico: famiglie"]


def test_clash_score_concept_without_label_shows_its_notation():
    clash = clash_score(subject(themes=frozenset({"archaeology", "music"})),
                        candidate(themes=frozenset({"archaeology", "music"})), DEFAULTS)
    assert messages(clash)[2] == "Same themes: archaeology, music"


@pytest.mark.parametrize(("minutes", "text"), [
    (0.5, "less than a minute"), (45, "45 min"), (90, "1 h 30 min"), (24 * 60, "1 day"), (51 * 60 + 7, "2 days 3 h"),
])
def test_clash_score_overlap_message_words_the_duration(minutes, text):
    end = at(0, day=11)
    long = subject(start=at(0, day=1), end=end)
    clash = clash_score(long, candidate(start=end - timedelta(minutes=minutes), end=end + timedelta(hours=1)), DEFAULTS)
    assert messages(clash)[0] == f"Overlaps by {text}"


# --- Ranking, search space, settings ----------------------------------------------------------------------------------


def test_rank_clashes_orders_by_score_then_start():
    later_same = candidate(occurrence_id=1, start=at(14, 30), end=at(16, 30))
    earlier_same = candidate(occurrence_id=2, start=at(13, 30), end=at(15, 30))
    strongest = candidate(occurrence_id=3)
    outside = candidate(occurrence_id=4, start=at(20), end=at(21))
    ranked = rank_clashes(subject(), [later_same, outside, earlier_same, strongest], DEFAULTS)
    assert [clash.candidate.occurrence_id for clash in ranked] == [3, 2, 1]
    assert ranked[1].score == ranked[2].score


def test_clash_window_and_box_bound_the_search():
    assert clash_window(subject(), DEFAULTS) == (at(14) - timedelta(hours=25), at(16) + timedelta(hours=25))
    min_lat, max_lat, min_lon, max_lon = clash_box(subject(), DEFAULTS) or (0, 0, 0, 0)
    assert (round(min_lat, 4), round(max_lat, 4)) == (round(north(-25), 4), round(north(25), 4))
    assert min_lon < LON < max_lon
    assert clash_box(subject(latitude=None, longitude=None), DEFAULTS) is None


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"radius_km": 0.5}, "The radius must be between 1 and 500 km (got 0.5)."),
    ({"radius_km": 501}, "The radius must be between 1 and 500 km (got 501)."),
    ({"buffer": timedelta(hours=-1)}, "The buffer must be between 0 and 24 hours."),
    ({"strong_threshold": 1.5}, "The threshold of a strong clash must be between 0 and 1."),
])
def test_clash_settings_out_of_bounds_are_rejected(kwargs, message):
    with pytest.raises(ValidationError) as error:
        ClashSettings(**kwargs)
    assert error.value.messages == [message]


def test_clash_weights_must_add_up_to_one():
    with pytest.raises(ValidationError) as error:
        ClashWeights(time=0.5)
    assert error.value.messages == ["Clash weights must add up to 1 (they add up to 1.15)."]
    with pytest.raises(ValidationError):
        ClashWeights(time=-0.1, distance=0.7)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"start": datetime(2026, 5, 9, 14)}, "The start and the end of an event must carry a time zone."),
    ({"end": at(13)}, "The end of an event cannot be before its start."),
    ({"longitude": None}, "Give both the latitude and the longitude of a place, or neither."),
    ({"latitude": 91.0}, "Latitude must be between -90 and 90 (got 91.0)."),
])
def test_clash_subject_bad_input_is_rejected(kwargs, message):
    with pytest.raises(ValidationError) as error:
        subject(**kwargs)
    assert error.value.messages == [message]


# --- Properties -------------------------------------------------------------------------------------------------------

BASE = datetime(2026, 5, 9, 12, tzinfo=ROME)
ZONES = [UTC, ROME, ZoneInfo("America/Sao_Paulo"), ZoneInfo("Asia/Tokyo")]
NOTATIONS = st.frozensets(st.sampled_from(["families", "schools", "adults", "children", "seniors"]), max_size=4)
PLACES = st.one_of(st.none(), st.tuples(st.floats(43.0, 44.0), st.floats(11.0, 12.5)))


@st.composite
def events(draw, zone=None, cls=ClashCandidate):
    zone = zone or draw(st.sampled_from(ZONES))
    start = (BASE + timedelta(minutes=draw(st.integers(-3 * 24 * 60, 3 * 24 * 60)))).astimezone(zone)
    place = draw(PLACES)
    values = {
        "start": start, "end": start + timedelta(minutes=draw(st.integers(1, 2 * 24 * 60))),
        "all_day": draw(st.booleans()), "latitude": place and place[0], "longitude": place and place[1],
        "network_ids": draw(st.frozensets(st.integers(1, 4), max_size=3)), "audiences": draw(NOTATIONS),
        "themes": draw(NOTATIONS), "organisation_id": draw(st.integers(1, 3)),
    }
    if cls is ClashCandidate:
        values |= {"occurrence_id": draw(st.integers(1, 10)), "event_id": draw(st.integers(1, 10))}
    return cls(**values)


SETTINGS = st.builds(ClashSettings, buffer=st.timedeltas(timedelta(0), timedelta(hours=24)),
                     radius_km=st.floats(1, 500))


def as_candidate(event: ClashSubject) -> ClashCandidate:
    return ClashCandidate(**{f.name: getattr(event, f.name) for f in fields(ClashSubject) if f.name != "event_id"},
                          occurrence_id=1,
                          event_id=1)


def score_of(clash: Clash | None) -> float:
    return 0.0 if clash is None else clash.score


def replaced(event, **changes):
    """A copy of a subject or candidate with some fields changed (validated again)."""
    return type(event)(**{**{f.name: getattr(event, f.name) for f in fields(event)}, **changes})


@settings(max_examples=300, deadline=None)
@given(events(cls=ClashSubject), events(), SETTINGS)
def test_clash_score_is_in_unit_interval_and_the_sum_of_its_reasons(mine, theirs, chosen):
    clash = clash_score(mine, theirs, chosen)
    if clash is not None:
        assert 0 <= clash.score <= 1
        assert clash.score == pytest.approx(sum(reason.contribution for reason in clash.reasons), abs=1e-9)
        assert clash.strong == (clash.score >= chosen.strong_threshold)


@settings(max_examples=200, deadline=None)
@given(events(cls=ClashSubject), events(), st.floats(0, 60), st.floats(0, 60), SETTINGS)
def test_clash_score_never_rises_with_distance(mine, theirs, near_km, far_km, chosen):
    near_km, far_km = sorted((near_km, far_km))
    mine = replaced(mine, latitude=LAT, longitude=LON)
    closer = clash_score(mine, replaced(theirs, latitude=north(near_km), longitude=LON), chosen)
    farther = clash_score(mine, replaced(theirs, latitude=north(far_km), longitude=LON), chosen)
    assert score_of(farther) <= score_of(closer)


@settings(max_examples=200, deadline=None)
@given(events(cls=ClashSubject, zone=UTC), events(zone=UTC), st.integers(-3000, 3000), st.integers(-3000, 3000),
       SETTINGS)
def test_clash_score_never_falls_as_the_overlap_grows(mine, theirs, shift_a, shift_b, chosen):
    mine, theirs = replaced(mine, all_day=False), replaced(theirs, all_day=False)
    shifted = [replaced(theirs, start=theirs.start + timedelta(minutes=m), end=theirs.end + timedelta(minutes=m))
               for m in (shift_a, shift_b)]
    signed = [min(mine.end, c.end) - max(mine.start, c.start) for c in shifted]
    less, more = (shifted[0], shifted[1]) if signed[0] <= signed[1] else (shifted[1], shifted[0])
    assert score_of(clash_score(mine, less, chosen)) <= score_of(clash_score(mine, more, chosen))


@settings(max_examples=200, deadline=None)
@given(events(cls=ClashSubject, zone=UTC), st.integers(0, 240), st.integers(0, 240), st.integers(0, 240))
def test_clash_score_never_falls_as_the_candidate_extends_inside_the_subject(mine, offset, short, extra):
    mine = replaced(mine, all_day=False, end=mine.start + timedelta(minutes=offset + short + extra + 1),
                    latitude=LAT, longitude=LON)
    start = mine.start + timedelta(minutes=offset)
    shorter = candidate(start=start, end=start + timedelta(minutes=short))
    longer = candidate(start=start, end=start + timedelta(minutes=short + extra))
    assert score_of(clash_score(mine, shorter, DEFAULTS)) <= score_of(clash_score(mine, longer, DEFAULTS))


@st.composite
def pairs_in_one_zone(draw):
    zone = draw(st.sampled_from(ZONES))
    return draw(events(zone=zone, cls=ClashSubject)), draw(events(zone=zone, cls=ClashSubject))


@settings(max_examples=300, deadline=None)
@given(pairs_in_one_zone(), SETTINGS)
def test_clash_score_is_symmetric(pair, chosen):
    first, second = pair
    there = clash_score(first, as_candidate(second), chosen)
    back = clash_score(second, as_candidate(first), chosen)
    assert score_of(there) == score_of(back)
    assert (there is None) == (back is None)


@settings(max_examples=300, deadline=None)
@given(events(cls=ClashSubject, zone=UTC), events(zone=UTC), SETTINGS)
def test_clash_score_gates_on_buffer_and_radius_or_network(mine, theirs, chosen):
    mine, theirs = replaced(mine, all_day=False), replaced(theirs, all_day=False)
    gap = max(theirs.start - mine.end, mine.start - theirs.end)
    near = mine.has_coordinates and theirs.has_coordinates and (
        distance_km(mine.latitude, mine.longitude, theirs.latitude, theirs.longitude) <= chosen.radius_km)
    expected = gap <= chosen.buffer and (near or bool(mine.network_ids & theirs.network_ids))
    assert (clash_score(mine, theirs, chosen) is not None) == expected


@settings(max_examples=100, deadline=None)
@given(st.timedeltas(timedelta(0), timedelta(hours=24)), st.integers(1, 600), st.booleans())
def test_clash_score_buffer_is_exact_at_its_edges(buffer, minutes, after):
    chosen = ClashSettings(buffer=buffer)
    length = timedelta(minutes=minutes)

    def placed(gap: timedelta) -> ClashCandidate:
        start = at(16) + gap if after else at(14) - gap - length
        return candidate(start=start, end=start + length)

    assert clash_score(subject(), placed(buffer), chosen) is not None
    assert clash_score(subject(), placed(buffer + timedelta(microseconds=1)), chosen) is None


@settings(max_examples=200, deadline=None)
@given(events(cls=ClashSubject), events(), SETTINGS)
def test_clash_score_without_coordinates_judges_by_networks_and_time(mine, theirs, chosen):
    placeless = replaced(theirs, latitude=None, longitude=None)
    clash = clash_score(mine, placeless, chosen)
    if not mine.network_ids & theirs.network_ids:
        assert clash is None
    elif clash is not None:
        assert clash.distance_km is None
        assert (clash.reasons[1].code, clash.reasons[1].contribution) == ("distance_unknown", 0.0)


@settings(max_examples=300, deadline=None)
@given(events(cls=ClashSubject), events(), SETTINGS)
def test_clash_score_is_exactly_the_rounded_sum_of_its_reasons_points(mine, theirs, chosen):
    # Scored apart from its reasons: the score must still be, to the last bit, what adding them up gives.
    clash = clash_score(mine, theirs, chosen)
    if clash is not None:
        assert clash.score == round(min(1.0, sum(reason.contribution for reason in clash.reasons)), 4)


@settings(max_examples=200, deadline=None)
@given(events(cls=ClashSubject), st.lists(events(), max_size=12), SETTINGS, st.integers(0, 13))
def test_rank_clashes_with_a_limit_is_the_start_of_the_whole_ranking(mine, theirs, chosen, limit):
    theirs = [replaced(candidate, occurrence_id=index) for index, candidate in enumerate(theirs)]
    whole = sorted((clash for candidate in theirs if (clash := clash_score(mine, candidate, chosen)) is not None),
                   key=lambda clash: (-clash.score, clash.candidate.start, clash.candidate.occurrence_id))
    assert rank_clashes(mine, theirs, chosen, limit=limit) == whole[:limit]


def test_score_clash_scores_without_reasons_and_explain_clash_adds_them():
    scored = score_clash(subject(), candidate(), DEFAULTS)
    assert scored is not None
    assert (scored.score, scored.points) == (0.6, (0.35, 0.25, 0.0, 0.0, 0.0))
    assert explain_clash(subject(), scored, DEFAULTS) == clash_score(subject(), candidate(), DEFAULTS)


def by_hand(weight: float, component: float) -> float:
    """Half up to 4 decimals on the decimal form of the product, as the score always rounded its points."""
    return float(Decimal(repr(weight * component)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


@pytest.mark.parametrize(("weight", "component", "expected"), [
    (0.35, 0.625, 0.2188), (0.25, 0.175, 0.0438), (1.0, 0.00015, 0.0002), (0.1, 0.5, 0.05), (0.15, 1.0, 0.15),
])
def test_points_round_half_up_at_the_fourth_decimal(weight, component, expected):
    assert points(weight, component) == by_hand(weight, component) == expected


@settings(max_examples=500, deadline=None)
@given(st.floats(0, 1), st.one_of(st.floats(0, 1), st.integers(0, 99_999).map(lambda n: (n + 0.5) / 100_000)))
def test_points_round_as_the_decimal_form_does_even_at_ties(weight, component):
    assert points(weight, component) == by_hand(weight, component)
