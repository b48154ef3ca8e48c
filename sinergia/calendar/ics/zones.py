"""Time zones of an imported calendar: IANA names, floating times and unknown TZIDs."""

from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.utils.translation import gettext as _

_IANA = frozenset(available_timezones())


def iana_zone(name: str) -> ZoneInfo | None:
    """The IANA zone of that name, or None for anything else (no file system lookups on untrusted names)."""
    name = (name or "").strip()
    if name not in _IANA:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def calendar_zone(calendar, default_timezone: str, warnings: list[str]) -> ZoneInfo:
    """The calendar's zone for floating times: its X-WR-TIMEZONE if known, else the default."""
    declared = str(calendar.get("X-WR-TIMEZONE", "") or "").strip()
    zone = iana_zone(declared) if declared else None
    if declared and zone is None:
        warnings.append(
            _("Unknown calendar time zone “%(tz)s”; times without a zone are read in %(default)s.")
            % {"tz": declared[:80], "default": default_timezone}
        )
    return zone or iana_zone(default_timezone) or ZoneInfo("UTC")


def zone_name(value: date, fallback: ZoneInfo) -> str:
    """The IANA name to show the event in: its own zone when it has one, else the calendar's."""
    zone = getattr(value, "tzinfo", None)
    if isinstance(zone, ZoneInfo) and zone.key != "UTC":
        return zone.key
    return fallback.key


def is_custom_zone(value: date) -> bool:
    """Whether the time carries a zone defined by the file's VTIMEZONE rather than an IANA one."""
    zone = getattr(value, "tzinfo", None)
    return zone is not None and not isinstance(zone, ZoneInfo) and zone is not UTC


def to_utc(value: date, local: tzinfo) -> date:
    """Dates stay dates; floating datetimes are read in `local`; every datetime comes back in UTC."""
    if not isinstance(value, datetime):
        return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=local)
    return value.astimezone(UTC)
