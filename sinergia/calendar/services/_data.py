"""What an editor gives for an event (EventData), checked and turned into the values stored on the Event."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone as django_timezone
from django.utils.translation import gettext as _

from sinergia.calendar.ics.limits import DEFAULT_LIMITS
from sinergia.calendar.ics.zones import iana_zone
from sinergia.calendar.models import Event
from sinergia.calendar.occurrences import moment_json, validate_rrule
from sinergia.core.geo import validate_latitude, validate_longitude
from sinergia.core.models import Concept
from sinergia.directory.models import Organisation
from sinergia.directory.selectors import organisation_networks
from sinergia.networks.models import Network

MAX_YEARS_BACK, MAX_YEARS_AHEAD = 5, 10
MAX_DAYS = 366
MAX_RELATED = 50
LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$", re.IGNORECASE)
COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
TEXT_FIELDS = ("title", "description", "price", "accessibility")
PLACE_FIELDS = ("place_name", "address", "locality", "province", "region")


def _default_timezone() -> str:
    return settings.CALENDAR_DEFAULT_TIMEZONE


@dataclass(kw_only=True)
class EventData:
    """Everything an editor says about an event. All-day events give dates (`end` is the last day, inclusive);
    timed events give datetimes, naive ones being wall time in `timezone`."""

    title: str
    description: str = ""
    language: str = ""
    category: str = Event.Category.OTHER
    audiences: list[Concept] = field(default_factory=list)
    themes: list[Concept] = field(default_factory=list)
    venue: Organisation | None = None
    place_name: str = ""
    address: str = ""
    locality: str = ""
    province: str = ""
    region: str = ""
    country: str = ""
    latitude: float | None = None
    longitude: float | None = None
    start: datetime | date
    end: datetime | date | None = None
    all_day: bool = False
    timezone: str = field(default_factory=_default_timezone)
    rrule: str = ""
    rdates: list = field(default_factory=list)
    exdates: list = field(default_factory=list)
    is_free: bool = False
    price: str = ""
    booking_url: str = ""
    accessibility: str = ""
    co_organisers: list[Organisation] = field(default_factory=list)
    networks: list[Network] = field(default_factory=list)
    visibility: str = Event.Visibility.PUBLIC


@dataclass(frozen=True)
class CleanEvent:
    """Checked values: the Event's own fields and its related objects."""

    fields: dict[str, Any]
    audiences: list[Concept]
    themes: list[Concept]
    co_organisers: list[Organisation]
    networks: list[Network]

    def apply(self, event: Event) -> None:
        """Set the fields on the (unsaved or stored) event."""
        for name, value in self.fields.items():
            setattr(event, name, value)

    def relate(self, event: Event) -> None:
        """Set the related objects of the saved event."""
        event.audiences.set(self.audiences)
        event.themes.set(self.themes)
        event.co_organisers.set(self.co_organisers)
        event.networks.set(self.networks)


class _Errors:
    """Collects field-keyed errors of several checks so the editor sees them all at once."""

    def __init__(self) -> None:
        self.by_field: dict[str, list] = {}

    @contextmanager
    def check(self) -> Iterator[None]:
        try:
            yield
        except ValidationError as error:
            for name, messages in error.update_error_dict({}).items():
                self.by_field.setdefault(name, list(messages))

    def raise_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def clean_event_data(data: EventData, *, organisation: Organisation, now: datetime | None = None) -> CleanEvent:
    """The stored values for the data, or a ValidationError keyed by the fields to correct."""
    errors, values = _Errors(), {}
    now = now or django_timezone.now()
    for check in (_texts, _choices, _place, _booking):
        with errors.check():
            values.update(check(data))
    with errors.check():
        values.update(_schedule(data, now))
    related: dict[str, list] = {}
    with errors.check():
        related.update(_concepts(data))
    with errors.check():
        related.update(_partners(data, organisation))
    errors.raise_any()
    return CleanEvent(fields=values, **related)


# --- Texts and choices --------------------------------------------------------------------------------------------


def _limit_of(name: str) -> tuple[str, int | None]:
    model_field = Event._meta.get_field(name)
    assert isinstance(model_field, models.Field)
    return str(model_field.verbose_name), model_field.max_length


def _text(value: Any, name: str) -> str:
    """The text stripped and within the model field's length (Django does not check a TextField's)."""
    text = str(value or "").strip()
    verbose, limit = _limit_of(name)
    if limit and len(text) > limit:
        raise ValidationError({name: _("The %(field)s is too long: %(length)d characters, at most %(limit)d.")
                               % {"field": verbose, "length": len(text), "limit": limit}})
    return text


def _texts(data: EventData) -> dict[str, Any]:
    errors, values = _Errors(), {}
    for name in TEXT_FIELDS:
        with errors.check():
            values[name] = _text(getattr(data, name), name)
    if "title" in values and not values["title"]:
        errors.by_field.setdefault("title", [_("Please give the event a title.")])
    language = str(data.language or "").strip()
    if language and (len(language) > 16 or not LANGUAGE_TAG.match(language)):
        errors.by_field.setdefault("language", [_("Give the language as a code such as “it” or “en-GB”.")])
    errors.raise_any()
    return {**values, "language": language, "is_free": bool(data.is_free)}


def _choices(data: EventData) -> dict[str, Any]:
    errors = _Errors()
    if data.category not in Event.Category.values:
        errors.by_field["category"] = [_("Choose one of the categories.")]
    if data.visibility not in Event.Visibility.values:
        errors.by_field["visibility"] = [_("Choose who may see the event: everyone or the networks' members.")]
    errors.raise_any()
    return {"category": data.category, "visibility": data.visibility}


def _booking(data: EventData) -> dict[str, Any]:
    url = _text(data.booking_url, "booking_url")
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError as error:
            raise ValidationError({"booking_url": _("Give the booking link as a full web address (https://…).")}
                                  ) from error
    return {"booking_url": url}


# --- Place --------------------------------------------------------------------------------------------------------


def _place(data: EventData) -> dict[str, Any]:
    """The place's texts and coordinates; a venue fills in whatever the data leaves blank."""
    venue = data.venue
    values = {name: _text(getattr(data, name), name) for name in PLACE_FIELDS}
    values["country"] = str(data.country or "").strip().upper()
    if venue is not None:
        given = {"place_name": venue.name, "address": venue.address, "locality": venue.locality or venue.municipality,
                 "province": venue.province, "region": venue.region, "country": venue.country}
        values = {name: value or (given[name] or "").strip()[:_limit_of(name)[1] or None]
                  for name, value in values.items()}
    if values["country"] and not COUNTRY_CODE.match(values["country"]):
        raise ValidationError({"country": _("Give the country as its two-letter code, such as “IT”.")})
    latitude, longitude = data.latitude, data.longitude
    if latitude is None and longitude is None and venue is not None:
        latitude, longitude = venue.latitude, venue.longitude
    return {**values, **_coordinates(latitude, longitude, venue), "venue": venue}


def _coordinates(latitude: Any, longitude: Any, venue: Organisation | None) -> dict[str, float]:
    errors: dict[str, Any] = {}
    numbers: dict[str, float] = {}
    for name, value, validator in (("latitude", latitude, validate_latitude),
                                   ("longitude", longitude, validate_longitude)):
        if value is None or value == "":
            continue
        try:
            numbers[name] = float(value)
            validator(numbers[name])
        except (TypeError, ValueError):
            errors[name] = _("Enter a number.")
        except ValidationError as error:
            errors[name] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    if len(numbers) == 2:
        return numbers
    if len(numbers) == 1:
        missing = "longitude" if "latitude" in numbers else "latitude"
        raise ValidationError({missing: _("Give both latitude and longitude: pick the place on the map.")})
    if venue is not None:
        raise ValidationError({"venue": _("%(venue)s has no coordinates on the map: pick the place on the map.")
                               % {"venue": venue.name}})
    raise ValidationError({"latitude": _("The event needs a place with coordinates: pick the place on the map.")})


# --- Time ---------------------------------------------------------------------------------------------------------


def _schedule(data: EventData, now: datetime) -> dict[str, Any]:
    """Start and end as aware instants, the zone, the rule and the extra/excluded dates."""
    zone = iana_zone(data.timezone)
    if zone is None:
        raise ValidationError({"timezone": _("Unknown time zone “%(tz)s”: choose one such as Europe/Rome.")
                               % {"tz": str(data.timezone)[:80]}})
    all_day = bool(data.all_day)
    start, end = _all_day_span(data, zone) if all_day else _timed_span(data, zone)
    _check_span(start, end, now)
    errors, values = _Errors(), {"start": start, "end": end, "all_day": all_day, "timezone": zone.key}
    with errors.check():
        values["rrule"] = _rules(data.rrule)
    for name in ("rdates", "exdates"):
        with errors.check():
            values[name] = _moments(getattr(data, name), name, all_day, start.astimezone(zone), zone)
    errors.raise_any()
    return values


def _rules(text: str) -> str:
    """The repetition rules in normal form, one per line: an imported event may repeat by several RRULEs."""
    rules = "\n".join(validate_rrule(line) for line in (text or "").splitlines() if line.strip())
    limit = Event._meta.get_field("rrule").max_length or 0
    if len(rules) > limit:
        raise ValidationError({"rrule": _("The repetition rules are too long (at most %(limit)d characters in all).")
                               % {"limit": limit}})
    return rules


def _all_day_span(data: EventData, zone: ZoneInfo) -> tuple[datetime, datetime]:
    first = _day_of(data.start, zone, "start")
    last = _day_of(data.end, zone, "end") if data.end is not None else first
    if last < first:
        raise ValidationError({"end": _("The last day is before the first day.")})
    return _midnight(first, zone), _midnight(last + timedelta(days=1), zone)


def _timed_span(data: EventData, zone: ZoneInfo) -> tuple[datetime, datetime]:
    start = _instant(data.start, zone, "start")
    end = _instant(data.end, zone, "end") if data.end is not None else start
    if end < start:
        raise ValidationError({"end": _("The event ends before it starts.")})
    return start, end


def _day_of(value: Any, zone: ZoneInfo, name: str) -> date:
    if not isinstance(value, date):
        raise ValidationError({name: _("Give a date.")})
    _check_year(value, name)
    if isinstance(value, datetime):
        return value.astimezone(zone).date() if value.tzinfo is not None else value.date()
    return value


def _instant(value: Any, zone: ZoneInfo, name: str) -> datetime:
    """An aware UTC instant; naive datetimes are wall time in the event's zone."""
    if not isinstance(value, datetime):
        raise ValidationError({name: _("Give a time as well as a date, or mark the event as all-day.")})
    _check_year(value, name)
    return (value if value.tzinfo is not None else value.replace(tzinfo=zone)).astimezone(UTC)


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


def _check_year(value: date, name: str) -> None:
    low, high = DEFAULT_LIMITS.min_year, DEFAULT_LIMITS.max_year
    if not low <= value.year <= high:
        raise ValidationError({name: _("The year must be between %(min)d and %(max)d.") % {"min": low, "max": high}})


def _check_span(start: datetime, end: datetime, now: datetime) -> None:
    if start < now - relativedelta(years=MAX_YEARS_BACK):
        raise ValidationError({"start": _("The event starts more than %(years)d years ago.")
                               % {"years": MAX_YEARS_BACK}})
    if start > now + relativedelta(years=MAX_YEARS_AHEAD):
        raise ValidationError({"start": _("The event starts more than %(years)d years from now.")
                               % {"years": MAX_YEARS_AHEAD}})
    if end - start > timedelta(days=MAX_DAYS):
        raise ValidationError({"end": _("An event can last at most %(days)d days; for a longer one, create an "
                                        "event per season.") % {"days": MAX_DAYS}})


def _moments(values: Any, name: str, all_day: bool, local_start: datetime, zone: ZoneInfo) -> list[str]:
    """Extra or excluded dates as stored: dates for all-day events, UTC instants (at the event's time when only
    a day is given) for timed ones."""
    values = list(values or [])
    limit = settings.CALENDAR_MAX_OCCURRENCES_PER_EVENT
    if len(values) > limit:
        raise ValidationError({name: _("Give at most %(limit)d dates.") % {"limit": limit}})
    stored = []
    for value in values:
        moment = _moment(value, name)
        if all_day:
            stored.append(moment_json(_day_of(moment, zone, name)))
            continue
        if not isinstance(moment, datetime):
            moment = datetime.combine(moment, local_start.time().replace(tzinfo=None))
        stored.append(moment_json(_instant(moment, zone, name)))
    return sorted(set(stored))


def _moment(value: Any, name: str) -> date:
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    try:
        return datetime.fromisoformat(text) if len(text) > 10 else date.fromisoformat(text)
    except ValueError as error:
        raise ValidationError({name: _("“%(value)s” is not a date.") % {"value": text[:40]}}) from error


# --- Related objects ----------------------------------------------------------------------------------------------


def _concepts(data: EventData) -> dict[str, list]:
    errors, values = _Errors(), {}
    for name, scheme, message in (
        ("audiences", Concept.Scheme.AUDIENCE, _("Choose audiences from the thesaurus's audiences.")),
        ("themes", Concept.Scheme.THEME, _("Choose themes from the thesaurus's themes.")),
    ):
        chosen = _unique(getattr(data, name))
        if any(not isinstance(c, Concept) or c.scheme != scheme for c in chosen) or len(chosen) > MAX_RELATED:
            errors.by_field[name] = [message if len(chosen) <= MAX_RELATED else _too_many(MAX_RELATED)]
        values[name] = chosen
    errors.raise_any()
    return values


def _partners(data: EventData, organisation: Organisation) -> dict[str, list]:
    """Co-organisers (other organisations) and networks the organisation is an admitted member of."""
    errors = _Errors()
    co_organisers = [o for o in _unique(data.co_organisers) if o.pk != organisation.pk]
    if len(co_organisers) > MAX_RELATED:
        errors.by_field["co_organisers"] = [_too_many(MAX_RELATED)]
    networks = _unique(data.networks)
    admitted = set(organisation_networks(organisation=organisation).values_list("network_id", flat=True))
    outside = [network.name for network in networks if network.pk not in admitted]
    if outside:
        errors.by_field["networks"] = [
            _("%(organisation)s is not an admitted member of %(networks)s: share the event only with its networks.")
            % {"organisation": organisation.name, "networks": ", ".join(sorted(outside))}]
    errors.raise_any()
    return {"co_organisers": co_organisers, "networks": networks}


def _unique(items: Any) -> list:
    seen, kept = set(), []
    for item in items or []:
        key = getattr(item, "pk", id(item))
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept


def _too_many(limit: int) -> str:
    return _("Choose at most %(limit)d.") % {"limit": limit}
