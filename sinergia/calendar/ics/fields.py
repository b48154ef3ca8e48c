"""Plain values out of one VEVENT's properties, each read defensively."""

import hashlib
from datetime import UTC, date, datetime

from django.utils.translation import gettext as _

STATUSES = {"CONFIRMED": "confirmed", "TENTATIVE": "tentative", "CANCELLED": "cancelled"}


class EventProblem(ValueError):
    """A VEVENT cannot be used; the message is the reason shown to the user."""


def text(component, name: str, max_chars: int, warnings: list[str]) -> str:
    """A text property as a string, cut to `max_chars` with a warning."""
    value = component.get(name)
    if isinstance(value, list):
        value = value[0] if value else ""
    value = str(value or "").strip()
    if len(value) > max_chars:
        warnings.append(_("%(name)s was cut to %(n)d characters.") % {"name": name, "n": max_chars})
        value = value[:max_chars]
    return value


def uid_of(component, warnings: list[str]) -> str:
    """The UID, or a stable one derived from the content when the file has none."""
    uid = str(component.get("UID", "") or "").strip()[:255]
    if uid:
        return uid
    digest = hashlib.sha256(component.to_ical()).hexdigest()[:32]
    warnings.append(_("The event has no UID; an identifier was derived from its content."))
    return f"{digest}@import.sinergia"


def sequence_of(component) -> int:
    """SEQUENCE as a small non-negative integer, 0 when absent or unreadable."""
    try:
        return min(max(int(str(component.get("SEQUENCE", 0))), 0), 2**31 - 1)
    except (TypeError, ValueError):
        return 0


def status_of(component) -> str:
    return STATUSES.get(str(component.get("STATUS", "") or "").strip().upper(), "confirmed")


def geo_of(component, warnings: list[str]) -> tuple[float, float] | None:
    """(latitude, longitude) when GEO is present and on Earth."""
    if "GEO" not in component:
        return None
    try:
        geo = component["GEO"]
        lat, lon = float(geo.latitude), float(geo.longitude)
    except (AttributeError, TypeError, ValueError):
        lat, lon = 999.0, 999.0
    if -90 <= lat <= 90 and -180 <= lon <= 180:
        return (lat, lon)
    warnings.append(_("The event's coordinates (GEO) are invalid and were ignored."))
    return None


def categories_of(component) -> tuple[str, ...]:
    """Every category named in any CATEGORIES property, without duplicates."""
    values = component.get("CATEGORIES")
    found: list[str] = []
    for value in values if isinstance(values, list) else [values] if values is not None else []:
        for name in getattr(value, "cats", [value]):
            name = str(name).strip()[:100]
            if name and name not in found:
                found.append(name)
    return tuple(found[:50])


def utc_stamp(component, name: str) -> datetime | None:
    """A DTSTAMP/LAST-MODIFIED style time in UTC, None when absent or broken."""
    try:
        value = component.get(name).dt
    except (AttributeError, ValueError):
        return None
    if not isinstance(value, datetime):
        return None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)


def moment(component, name: str) -> date | datetime | None:
    """DTSTART/DTEND/RECURRENCE-ID value, raising EventProblem when it is there but unreadable."""
    prop = component.get(name)
    if prop is None:
        return None
    try:
        value = prop.dt
    except (AttributeError, ValueError) as error:
        raise EventProblem(_("%(name)s is not a valid date or time.") % {"name": name}) from error
    if not isinstance(value, date):
        raise EventProblem(_("%(name)s is not a valid date or time.") % {"name": name})
    return value


def date_list(component, name: str) -> list[date]:
    """Every date of RDATE/EXDATE properties (period values give their start)."""
    props = component.get(name)
    values: list[date] = []
    for prop in props if isinstance(props, list) else [props] if props is not None else []:
        try:
            items = [item.dt for item in prop.dts]
        except (AttributeError, ValueError) as error:
            raise EventProblem(_("%(name)s contains an invalid date.") % {"name": name}) from error
        for item in items:
            item = item[0] if isinstance(item, tuple) else item
            if not isinstance(item, date):
                raise EventProblem(_("%(name)s contains an invalid date.") % {"name": name})
            values.append(item)
    return values
