"""schema.org Event markup of an event, for a `<script type="application/ld+json">` on its page."""

import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar

from sinergia.calendar.export import markdown_text, organisation_url
from sinergia.calendar.ics.zones import iana_zone
from sinergia.calendar.models import Event

SCHEMA = "https://schema.org/"
DAYS = {"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday", "FR": "Friday", "SA": "Saturday",
        "SU": "Sunday"}
FREQUENCIES = {"DAILY": "D", "WEEKLY": "W", "MONTHLY": "M", "YEARLY": "Y"}
CURRENCIES = {"€": "EUR", "EUR": "EUR", "£": "GBP", "GBP": "GBP", "$": "USD", "USD": "USD", "CHF": "CHF"}
_PRICE = re.compile(r"(€|EUR|£|GBP|\$|USD|CHF)?\s?(\d{1,6}(?:[.,]\d{1,2})?)\s?(€|EUR|£|GBP|\$|USD|CHF)?",
                    re.IGNORECASE)
_ORDINAL_DAY = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
DESCRIPTION_CHARS = 5000


def event_jsonld(*, event: Event, url: str, image_url: str = "") -> dict[str, Any]:
    """The event as a schema.org Event: when, where, who organises it, what it costs, how it repeats."""
    zone = iana_zone(event.timezone) or ZoneInfo("UTC")
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "@id": url,
        "url": url,
        "name": event.title,
        "startDate": _when(event.start, event.all_day, zone),
        "endDate": _when(_last_moment(event), event.all_day, zone),
        "eventStatus": SCHEMA + ("EventCancelled" if event.status == Event.Status.CANCELLED else "EventScheduled"),
        "eventAttendanceMode": SCHEMA + "OfflineEventAttendanceMode",
        "location": _place(event),
        "organizer": _organisers(event, url),
        "isAccessibleForFree": event.is_free,
    }
    optional = {
        "description": markdown_text(event.description)[:DESCRIPTION_CHARS],
        "inLanguage": event.language,
        "image": image_url,
        "offers": _offers(event, url),
        "eventSchedule": _schedule(event, zone),
    }
    data.update({key: value for key, value in optional.items() if value})
    return data


def _when(value: datetime, all_day: bool, zone: ZoneInfo) -> str:
    """ISO 8601 in the event's zone with its UTC offset; a plain date for all-day events."""
    local = value.astimezone(zone)
    return local.date().isoformat() if all_day else local.isoformat()


def _last_moment(event: Event) -> datetime:
    """The end as schema.org reads it: all-day events end on their last day, not at the next midnight."""
    return event.end - timedelta(days=1) if event.all_day and event.end > event.start else event.end


def _place(event: Event) -> dict[str, Any]:
    address = {
        "@type": "PostalAddress",
        "streetAddress": event.address,
        "addressLocality": event.locality,
        "addressRegion": event.province or event.region,
        "addressCountry": event.country,
    }
    place: dict[str, Any] = {
        "@type": "Place",
        "name": event.place_name or event.locality or event.organisation.name,
        "address": {key: value for key, value in address.items() if value},
    }
    if event.has_coordinates:
        place["geo"] = {"@type": "GeoCoordinates", "latitude": event.latitude, "longitude": event.longitude}
    return place


def _organisers(event: Event, url: str) -> list[dict[str, str]] | dict[str, str]:
    """The organisation, and its co-organisers when there are any."""
    organisations = [event.organisation, *event.co_organisers.all()]
    found = [{"@type": "Organization", "name": o.name, "url": organisation_url(_site(url), o.slug)}
             for o in organisations]
    return found[0] if len(found) == 1 else found


def _site(url: str) -> str:
    """The scheme and host of an absolute URL ("" for a relative one)."""
    match = re.match(r"^[a-z][a-z0-9+.-]*://[^/]+", url, re.IGNORECASE)
    return match.group(0) if match else ""


def _offers(event: Event, url: str) -> dict[str, Any] | None:
    """An Offer when the event has a price (amount and currency when the text shows them)."""
    if not event.price and not (event.is_free and event.booking_url):
        return None
    offer: dict[str, Any] = {"@type": "Offer", "url": event.booking_url or url}
    if event.price:
        offer["description"] = event.price
    amount, currency = _price(event.price) if event.price else ("0", "")
    if amount and (currency or event.is_free):
        offer["price"] = amount
    if currency:
        offer["priceCurrency"] = currency
    return offer


def _price(text: str) -> tuple[str, str]:
    """The first amount in a price text and its currency, if a symbol or code says it ("€8" → ("8", "EUR"))."""
    for match in _PRICE.finditer(text):
        symbol = (match.group(1) or match.group(3) or "").upper()
        if match.group(2):
            return match.group(2).replace(",", "."), CURRENCIES.get(symbol, "")
    return "", ""


def _schedule(event: Event, zone: ZoneInfo) -> dict[str, Any] | None:
    """A Schedule for an event repeating by a rule: frequency, days, times, count or last day, exceptions."""
    rule = (event.rrule or "").splitlines()[0] if event.rrule else ""
    try:
        recur = icalendar.vRecur.from_ical(rule) if rule else None
    except (ValueError, TypeError):
        return None
    if not recur or str(recur.get("FREQ", [""])[0]).upper() not in FREQUENCIES:
        return None
    start = event.start.astimezone(zone)
    schedule: dict[str, Any] = {
        "@type": "Schedule",
        "repeatFrequency": _frequency(recur),
        "startDate": start.date().isoformat(),
        "scheduleTimezone": zone.key,
    }
    if not event.all_day:
        schedule.update(startTime=start.time().isoformat(), endTime=event.end.astimezone(zone).time().isoformat(),
                        duration=_duration(event.end - event.start))
    schedule.update(_rule_parts(recur, zone))
    exceptions = [str(value)[:10] for value in event.exdates or ()]
    if exceptions:
        schedule["exceptDate"] = exceptions
    return schedule


def _frequency(recur) -> str:
    interval = int((recur.get("INTERVAL") or [1])[0] or 1)
    return f"P{max(interval, 1)}{FREQUENCIES[str(recur['FREQ'][0]).upper()]}"


def _rule_parts(recur, zone: ZoneInfo) -> dict[str, Any]:
    """byDay (with byMonthWeek for "the last Sunday"), byMonthDay, byMonth, repeatCount and endDate."""
    parts: dict[str, Any] = {}
    matches = [_ORDINAL_DAY.match(str(day).upper()) for day in recur.get("BYDAY") or ()]
    days = [match for match in matches if match is not None]
    if days:
        parts["byDay"] = [SCHEMA + DAYS[match.group(2)] for match in days]
        weeks = sorted({int(match.group(1)) for match in days if match.group(1)})
        if weeks:
            parts["byMonthWeek"] = weeks
    for key, name in (("BYMONTHDAY", "byMonthDay"), ("BYMONTH", "byMonth")):
        if recur.get(key):
            parts[name] = [int(value) for value in recur[key]]
    if recur.get("COUNT"):
        parts["repeatCount"] = int(recur["COUNT"][0])
    if recur.get("UNTIL"):
        until = recur["UNTIL"][0]
        parts["endDate"] = (until.astimezone(zone).date() if isinstance(until, datetime) else until).isoformat()
    return parts


def _duration(span: timedelta) -> str:
    """An ISO 8601 duration such as PT2H30M (days for longer spans)."""
    seconds = int(span.total_seconds())
    days, seconds = divmod(seconds, 86400)
    hours, seconds = divmod(seconds, 3600)
    minutes = seconds // 60
    clock = "".join(f"{n}{unit}" for n, unit in ((hours, "H"), (minutes, "M")) if n)
    if not (days or clock):
        return "PT0M"
    return "P" + (f"{days}D" if days else "") + (f"T{clock}" if clock else "")

