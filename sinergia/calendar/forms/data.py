"""The editor form's values in the shapes the rest takes: EventData for the services, a Plan for the clash check,
and the form's initial values for a stored event."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergia.calendar import recurrence as rec
from sinergia.calendar.clash import MAX_BUFFER, MAX_RADIUS_KM, MIN_RADIUS_KM
from sinergia.calendar.forms.choosers import organisation_choice_label
from sinergia.calendar.forms.event import PLACE_ADDRESS, PLACE_OWN, PLACE_VENUE, EventForm
from sinergia.calendar.models import Event
from sinergia.calendar.services import EventData

ADDRESS_FIELDS = ("place_name", "address", "locality", "province", "region", "country", "latitude", "longitude")
COPIED_FIELDS = ("title", "description", "language", "category", "is_free", "price", "booking_url", "accessibility",
                 "visibility")
# Where a service's error about a field of EventData shows on the form.
ERROR_FIELDS = {"start": "start_date", "end": "end_date", "all_day": "all_day", "rdates": "exdates",
                "exdates": "exdates", "venue": "venue"}


@dataclass(frozen=True, kw_only=True)
class Plan:
    """When, where and for whom a (possibly unfinished) event is planned: what the clash check needs."""

    start: datetime
    end: datetime
    all_day: bool
    timezone: str
    rrule: str
    exdates: tuple[date, ...]
    latitude: float | None
    longitude: float | None
    audiences: frozenset[str]
    themes: frozenset[str]
    network_ids: frozenset[int]


class ClashSettingsForm(forms.Form):
    """The clash panel's radius and buffer."""

    radius = forms.IntegerField(label=gettext_lazy("Radius (km)"), min_value=int(MIN_RADIUS_KM),
                                max_value=int(MAX_RADIUS_KM), initial=25, required=False)
    buffer = forms.IntegerField(label=gettext_lazy("Buffer (minutes)"), min_value=0,
                                max_value=int(MAX_BUFFER.total_seconds() // 60), initial=60, required=False)

    def values(self) -> tuple[float, timedelta]:
        """The radius in km and the buffer; the defaults where a value is missing or out of range."""
        self.is_valid()
        radius = self.cleaned_data.get("radius") if "radius" not in self.errors else None
        buffer = self.cleaned_data.get("buffer") if "buffer" not in self.errors else None
        return float(radius or self.fields["radius"].initial), timedelta(
            minutes=self.fields["buffer"].initial if buffer is None else buffer)


def event_data(form: EventForm, *, rdates: list | None = None) -> EventData:
    """The cleaned form as the services' EventData (call after is_valid()); stored extra dates are kept as given."""
    data = form.cleaned_data
    values: dict[str, Any] = {name: data[name] for name in COPIED_FIELDS}
    values.update(_place(form))
    return EventData(
        **values, audiences=list(data["audiences"]), themes=list(data["themes"]), start=data["start"],
        end=data["end"], all_day=data["all_day"], timezone=data["timezone"], rrule=data.get("rule", ""),
        rdates=list(rdates or []), exdates=list(data["exdates"]), co_organisers=data["co_organisers"],
        networks=list(data["networks"]))


def _place(form: EventForm) -> dict[str, Any]:
    data = form.cleaned_data
    if data["place_kind"] == PLACE_ADDRESS:
        return {"venue": None, **{name: data[name] for name in ADDRESS_FIELDS}}
    return {"venue": data["venue"] if data["place_kind"] == PLACE_VENUE else form.organisation}


def add_service_error(form: EventForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the fields it names (the builder's for a rule), else on the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        if name == "rrule":
            custom = form.cleaned_data.get("repeat") == rec.CUSTOM
            name = "rrule" if custom else "repeat"
        elif name == "venue" and form.cleaned_data.get("place_kind") == PLACE_OWN:
            name = "place_kind"  # the organisation's own place: the venue chooser is not shown
        name = ERROR_FIELDS.get(name, name)
        form.add_error(name if name in form.fields else None, errors)


def plan(form: EventForm) -> tuple[Plan | None, list[str]]:
    """What the clash check can read from the form (call after is_valid()), or what it still needs to know."""
    data, errors = form.cleaned_data, form.errors
    missing = _missing_time(data, errors)
    latitude, longitude = _coordinates(form)
    if latitude is None and not data.get("networks"):
        missing.append(_("the place (with its position on the map) or a network to share it with"))
    if missing or "start" not in data:
        return None, missing
    zone = ZoneInfo(data["timezone"])
    start, end = data["start"], data["end"]
    if data["all_day"]:
        start, end = datetime.combine(start, time.min), datetime.combine(end + timedelta(days=1), time.min)
    return Plan(start=start.replace(tzinfo=zone), end=end.replace(tzinfo=zone), all_day=data["all_day"],
                timezone=data["timezone"], rrule=data.get("rule", ""), exdates=tuple(data.get("exdates") or ()),
                latitude=latitude, longitude=longitude,
                audiences=frozenset(concept.notation for concept in data.get("audiences") or ()),
                themes=frozenset(concept.notation for concept in data.get("themes") or ()),
                network_ids=frozenset(network.pk for network in data.get("networks") or ())), []


def _missing_time(data: dict[str, Any], errors: dict) -> list[str]:
    checks = [
        ("start_date", _("the start date")), ("start_time", _("the start time")), ("end_time", _("the end time")),
        ("end_date", _("an end after the start")), ("timezone", _("the time zone")),
    ]
    missing = [text for name, text in checks if name in errors]
    if "start_date" not in errors and data.get("start_date") is None:
        missing.insert(0, _("the start date"))
    for name in ("repeat", "rrule", "interval", "month_day", "until", "count", "exdates"):
        # The repetition's own messages say best what to fix ("Give the last date, or choose another ending.").
        missing.extend(errors.get(name, ()))
    return missing


def _coordinates(form: EventForm) -> tuple[float | None, float | None]:
    data = form.cleaned_data
    kind = data.get("place_kind") or ""
    place: Any = {PLACE_OWN: form.organisation, PLACE_VENUE: data.get("venue")}.get(kind)
    if kind == PLACE_ADDRESS:
        latitude, longitude = data.get("latitude"), data.get("longitude")
    else:
        latitude, longitude = getattr(place, "latitude", None), getattr(place, "longitude", None)
    return (latitude, longitude) if latitude is not None and longitude is not None else (None, None)


def initial_for(event: Event) -> dict[str, Any]:
    """The form's values for a stored event, in its own time zone."""
    zone = ZoneInfo(event.timezone)
    start, end = event.start.astimezone(zone), event.end.astimezone(zone)
    initial: dict[str, Any] = {name: getattr(event, name) for name in (*COPIED_FIELDS, *ADDRESS_FIELDS)}
    initial.update(audiences=list(event.audiences.all()), themes=list(event.themes.all()),
                   networks=list(event.networks.all()), timezone=event.timezone, all_day=event.all_day,
                   co_organisers="\n".join(organisation_choice_label(o) for o in event.co_organisers.all()),
                   start_date=start.date(), exdates=", ".join(day.isoformat() for day in _local_days(event, zone)))
    if event.all_day:
        last = (end - timedelta(days=1)).date() if end.time() == time.min else end.date()
        initial["end_date"] = max(last, start.date())
    else:
        initial.update(start_time=start.time(), end_date=end.date(), end_time=end.time())
    initial.update(_place_initial(event))
    initial.update(_recurrence_initial(event.rrule, start.date() if event.all_day else start, event.timezone))
    return initial


def _place_initial(event: Event) -> dict[str, Any]:
    if event.venue is None:
        return {"place_kind": PLACE_ADDRESS}
    if event.venue_id == event.organisation_id:
        return {"place_kind": PLACE_OWN}
    return {"place_kind": PLACE_VENUE, "venue": organisation_choice_label(event.venue)}


def _recurrence_initial(rule: str, start: date, timezone: str) -> dict[str, Any]:
    # Imported events may carry several rules, one per line: only a single one fits the builder.
    parsed = rec.parse_rrule(rule, start=start, timezone=timezone) if "\n" not in rule.strip() else rec.Recurrence(
        frequency=rec.CUSTOM, custom=rule.strip())
    return {"repeat": parsed.frequency, "interval": parsed.interval, "weekdays": list(parsed.weekdays),
            "monthly_by": parsed.monthly_by, "month_day": parsed.month_day, "week_ordinal": parsed.week_ordinal,
            "week_day": parsed.week_day, "ends": parsed.ends, "until": parsed.until, "count": parsed.count,
            "rrule": parsed.custom}


def _local_days(event: Event, zone: ZoneInfo) -> list[date]:
    """The stored exception moments as local dates (unreadable ones are left out)."""
    days = set()
    for value in event.exdates or ():
        try:
            text = str(value)
            moment = datetime.fromisoformat(text) if len(text) > 10 else date.fromisoformat(text)
        except ValueError:
            continue
        if isinstance(moment, datetime) and moment.tzinfo is not None:
            moment = moment.astimezone(zone)
        days.add(moment.date() if isinstance(moment, datetime) else moment)
    return sorted(days)
