"""The calendar's map data: occurrences as a GeoJSON FeatureCollection, one point per located event."""

from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from typing import Any

from django.db.models import Count, Min, Q, QuerySet
from django.urls import reverse
from django.utils.formats import date_format

from sinergia.calendar.grid import zone_named
from sinergia.calendar.models import Event, Occurrence

# A map of more points than this is unreadable and slow to send: the collection says it was cut.
MAP_MAX_FEATURES = 5000
EVENT_FIELDS = ("event_id", "event__title", "event__place_name", "event__locality", "event__category",
                "event__all_day", "event__timezone", "event__status")


def occurrence_geojson(*, occurrences: QuerySet[Occurrence], limit: int = MAP_MAX_FEATURES,
                       base_url: str = "") -> dict[str, Any]:
    """One Point feature per located event of `occurrences` (coordinates [lon, lat]), soonest first, in one query.

    Properties: name, url, start (ISO 8601) and when (in words, in the event's time zone) of its next occurrence
    in the range that is not cancelled (else its first), place, category, occurrences (in the range), cancelled
    (every one of them is). `truncated` is true when more than `limit` events matched.
    """
    rows = list(
        occurrences.filter(latitude__isnull=False, longitude__isnull=False)
        .order_by()
        .values(*EVENT_FIELDS)
        .annotate(first=Min("start"), next=Min("start", filter=Q(cancelled=False)), count=Count("id"),
                  live=Count("id", filter=Q(cancelled=False)), latitude=Min("latitude"), longitude=Min("longitude"))
        .order_by("first", "event_id")[: limit + 1]
    )
    head, tail = reverse("calendar:event", kwargs={"pk": 0}).rsplit("0", 1)
    labels = {value: str(label) for value, label in Event.Category.choices}
    # Many events start at the same hours: each moment is put in words once.
    when = lru_cache(maxsize=None)(_when)
    features = [_feature(row, f"{base_url}{head}{row['event_id']}{tail}", labels, when) for row in rows[:limit]]
    return {"type": "FeatureCollection", "features": features, "truncated": len(rows) > limit}


def _feature(row: dict[str, Any], url: str, labels: dict[str, str], when: Callable[..., str]) -> dict[str, Any]:
    start: datetime = row["next"] or row["first"]
    cancelled = row["event__status"] == Event.Status.CANCELLED or not row["live"]
    place = ", ".join(part for part in (row["event__place_name"], row["event__locality"]) if part)
    properties = {
        "name": row["event__title"], "url": url, "start": start.isoformat(),
        "when": when(start, row["event__all_day"], row["event__timezone"]),
        "place": place, "category": labels.get(row["event__category"], ""),
        "occurrences": row["count"], "cancelled": cancelled,
    }
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
            "properties": properties}


def _when(start: datetime, all_day: bool, zone: str) -> str:
    """The start in words in the event's time zone: the date alone for an all-day event."""
    local = start.astimezone(zone_named(zone))
    return date_format(local.date(), "DATE_FORMAT") if all_day else date_format(local, "DATETIME_FORMAT")
