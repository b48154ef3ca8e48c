"""Calendar crowding by day around a place, for the free-date finder: how many events each day, and the quietest."""

import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from sinergia.calendar.clash import MAX_RADIUS_KM, MIN_RADIUS_KM
from sinergia.calendar.ics.zones import iana_zone
from sinergia.calendar.models import Event, Occurrence
from sinergia.calendar.rules import visible_events_q
from sinergia.calendar.selectors.events import day_bounds, overlapping
from sinergia.core.geo import bounding_box, distance_km, validate_latitude, validate_longitude

MAX_DAYS = 366
LEVELS = 4
QUIETEST = 5
# A finder over a year of a dense area reads tens of thousands of rows; past this many it stops counting.
MAX_ROWS = 200_000


@dataclass(frozen=True)
class DayCrowding:
    """One day: how many events are on, and a level from 0 (none) to 4 (the busiest of the range)."""

    day: date
    count: int
    level: int


@dataclass(frozen=True)
class Crowding:
    """Every day of the range, the quietest days (fewest events, earliest first) and the busiest day's count."""

    days: list[DayCrowding]
    quietest: list[date]
    max_count: int


@dataclass(frozen=True)
class _Search:
    """Where, how far, for whom: the finder's question, checked."""

    latitude: float
    longitude: float
    radius_km: float
    audience: str
    theme: str
    network: str


def day_crowding(*, viewer, start: date, end: date, latitude: float, longitude: float, radius_km: float = 30,
                 audience: str = "", theme: str = "", network: str = "", timezone: str = "") -> Crowding:
    """Events on each day of [start, end] within the radius, for the audience, theme and network if given."""
    zone = _validate(start, end, latitude, longitude, radius_km, timezone or settings.CALENDAR_DEFAULT_TIMEZONE)
    search = _Search(latitude, longitude, radius_km, audience, theme, network)
    counts: Counter[date] = Counter()
    for occurrence_start, occurrence_end, lat, lon in _rows(viewer, day_bounds(start, end, zone.key), search):
        if distance_km(latitude, longitude, lat, lon) <= radius_km:
            counts.update(_days(occurrence_start, occurrence_end, start, end, zone))
    days = [start + timedelta(days=offset) for offset in range((end - start).days + 1)]
    max_count = max((counts[day] for day in days), default=0)
    crowding = [DayCrowding(day=day, count=counts[day], level=_level(counts[day], max_count)) for day in days]
    quietest = sorted(days, key=lambda day: (counts[day], day))[:QUIETEST]
    return Crowding(days=crowding, quietest=quietest, max_count=max_count)


def _validate(start: date, end: date, latitude: float, longitude: float, radius_km: float, zone: str) -> ZoneInfo:
    if end < start:
        raise ValidationError({"end": _("The last day cannot be before the first day.")})
    if (end - start).days + 1 > MAX_DAYS:
        raise ValidationError({"end": _("Choose at most %(days)d days.") % {"days": MAX_DAYS}})
    if not (math.isfinite(radius_km) and MIN_RADIUS_KM <= radius_km <= MAX_RADIUS_KM):
        raise ValidationError({"radius_km": _("The radius must be between %(min)d and %(max)d km.")
                               % {"min": MIN_RADIUS_KM, "max": MAX_RADIUS_KM}})
    validate_latitude(latitude)
    validate_longitude(longitude)
    found = iana_zone(zone)
    if found is None:
        raise ValidationError({"timezone": _("Unknown time zone “%(zone)s”.") % {"zone": zone[:64]}})
    return found


def _rows(viewer, bounds: tuple[datetime | None, datetime | None], search: _Search) -> Iterator[tuple]:
    """Start, end and place of the occurrences in range within the box (the exact radius is checked after)."""
    box = bounding_box(search.latitude, search.longitude, search.radius_km)
    occurrences = Occurrence.objects.filter(
        visible_events_q(viewer, prefix="event__"), _concepts_q(search.audience, search.theme, search.network),
        pk__in=overlapping(*bounds, box=box), cancelled=False, event__status=Event.Status.PUBLISHED,
    )
    return occurrences.order_by().values_list("start", "end", "latitude", "longitude")[:MAX_ROWS].iterator(
        chunk_size=5000)


def _concepts_q(audience: str, theme: str, network: str) -> Q:
    condition = Q()
    for through, lookups in ((Event.audiences.through, {"concept__notation": audience}),
                             (Event.themes.through, {"concept__notation": theme}),
                             (Event.networks.through, {"network__slug": network})):
        if next(iter(lookups.values())):
            condition &= Q(Exists(through.objects.filter(event_id=OuterRef("event_id"), **lookups)))
    return condition


def _days(start: datetime, end: datetime, first: date, last: date, zone: ZoneInfo) -> list[date]:
    """The local days of [first, last] an occurrence is on (its last instant excluded: it ends at midnight)."""
    day = max(start.astimezone(zone).date(), first)
    final = min(max(start, end - timedelta(microseconds=1)).astimezone(zone).date(), last)
    return [day + timedelta(days=offset) for offset in range((final - day).days + 1)]


def _level(count: int, max_count: int) -> int:
    """0 for an empty day, else 1–4 in proportion to the busiest day of the range."""
    if not count:
        return 0
    return max(1, math.ceil(LEVELS * count / max_count))
