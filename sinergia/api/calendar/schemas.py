"""Schemas of the calendar API: filters, events and occurrences, event writes, clashes, crowding by day."""

import datetime
import json
from collections.abc import Callable, Iterable
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import HttpError
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder
from pydantic import BeforeValidator, Field, WithJsonSchema

from sinergia.api.schemas import (
    Blankable,
    ConceptOut,
    FilterText,
    NetworkRef,
    OrganisationRef,
    Slug,
    enum_schema,
    one_of,
)
from sinergia.calendar.clash import Clash
from sinergia.calendar.filters import EventFilterForm, EventFilters
from sinergia.calendar.ics.zones import iana_zone
from sinergia.calendar.models import Event

MAX_RELATED, MAX_DATES = 50, 1000
URL_MARKER = 987654321  # an event id that stands for any in an event's URL
CATEGORIES, VISIBILITIES = Event.Category.values, Event.Visibility.values


def _moment(value: Any) -> Any:
    """An ISO 8601 text as a date (YYYY-MM-DD) or a datetime (with a time, with or without an offset)."""
    if isinstance(value, str):
        text = value.strip()
        try:
            return datetime.date.fromisoformat(text) if len(text) == 10 else datetime.datetime.fromisoformat(text)
        except ValueError as error:
            raise ValueError(f"“{text[:40]}” is not an ISO 8601 date or date-time") from error
    return value


Moment = Annotated[datetime.datetime | datetime.date, BeforeValidator(_moment), WithJsonSchema(
    {"type": "string", "description": "YYYY-MM-DD for all-day events, else YYYY-MM-DDThh:mm[:ss][±hh:mm]."})]
Text = Annotated[str, Field(max_length=255)]
LongText = Annotated[str, Field(max_length=20_000)]
Slugs = Annotated[list[Slug], Field(max_length=MAX_RELATED)]
Category = Annotated[str | None, Blankable, one_of(CATEGORIES), enum_schema(CATEGORIES)]
Zone = Annotated[str, Field(max_length=64, description="An IANA time zone, e.g. Europe/Rome.")]
Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]
Notations = Annotated[list[Slug], Field(max_length=MAX_RELATED, description="Thesaurus notations.")]


# --- Filters and reads --------------------------------------------------------------------------------------------


class EventFilterSchema(Schema):
    """The calendar pages' filters: concepts by notation, network and organisation by slug, dates inclusive."""

    q: FilterText | None = Field(None, description="Free text: title, description, place, locality.")
    region: Annotated[FilterText | None, Blankable] = None
    province: Annotated[FilterText | None, Blankable] = None
    network: Annotated[Slug | None, Blankable] = None
    organisation: Annotated[Slug | None, Blankable] = Field(None, description="Organiser or co-organiser.")
    category: Category = None
    audience: Annotated[Slug | None, Blankable] = None
    theme: Annotated[Slug | None, Blankable] = None
    free: bool = Field(False, description="Free entry only.")
    start: datetime.date | None = Field(None, description="First day (inclusive).")
    end: datetime.date | None = Field(None, description="Last day (inclusive); at most three years after start.")

    def to_filters(self) -> EventFilters:
        """The selector's filters, checked by the pages' own form (a 422 with its messages otherwise)."""
        data = QueryDict(mutable=True)
        for name, value in self.model_dump(exclude_none=True).items():
            data[name] = value.isoformat() if isinstance(value, datetime.date) else ("1" if value is True else value)
        form = EventFilterForm(data)
        if not form.is_valid():
            problems = (f"{name}: {' '.join(str(error) for error in errors)}" for name, errors in form.errors.items())
            raise HttpError(422, " ".join(problems))
        return form.filters()


class EventOut(Schema):
    """An event as listed: when, where, by whom."""

    id: int
    url: str
    title: str
    organisation: OrganisationRef
    category: str
    category_label: str
    status: str
    visibility: str
    start: datetime.datetime
    end: datetime.datetime
    all_day: bool
    timezone: str
    rrule: str
    place_name: str
    locality: str
    province: str
    region: str
    country: str
    latitude: float | None
    longitude: float | None
    is_free: bool
    price: str

    @staticmethod
    def resolve_url(obj: Event, context) -> str:
        return absolute(context, reverse("calendar:event", kwargs={"pk": obj.pk}))

    @staticmethod
    def resolve_category_label(obj: Event) -> str:
        return obj.get_category_display()


class EventDetailOut(EventOut):
    """An event with its texts, concepts, partners, recurrence and revision."""

    description: str
    language: str
    audiences: list[ConceptOut]
    themes: list[ConceptOut]
    venue: OrganisationRef | None
    address: str
    booking_url: str
    accessibility: str
    image: str
    co_organisers: list[OrganisationRef]
    networks: list[NetworkRef]
    rdates: list[str]
    exdates: list[str]
    uid: str
    sequence: int
    published_at: datetime.datetime | None

    @staticmethod
    def resolve_image(obj: Event, context) -> str:
        return absolute(context, obj.image.url) if obj.image else ""

    @staticmethod
    def resolve_audiences(obj: Event) -> list:
        return list(obj.audiences.all())

    @staticmethod
    def resolve_themes(obj: Event) -> list:
        return list(obj.themes.all())

    @staticmethod
    def resolve_co_organisers(obj: Event) -> list:
        return list(obj.co_organisers.all())

    @staticmethod
    def resolve_networks(obj: Event) -> list:
        return list(obj.networks.all())


class OccurrenceOut(Schema):
    """One occurrence of an event; cancelled ones stay listed, marked."""

    id: int
    start: datetime.datetime
    end: datetime.datetime
    all_day: bool
    cancelled: bool
    event: EventOut


class OccurrenceRangeSchema(EventFilterSchema):
    """The filters; `start` and `end` also give the days listed (today and the next 30 days by default)."""

    timezone: Zone = Field(settings.CALENDAR_DEFAULT_TIMEZONE, description="The zone of the days, e.g. Europe/Rome.")


def absolute(context: dict | None, path: str) -> str:
    """The absolute URL of a path on this site (the path itself outside a request)."""
    request: HttpRequest | None = (context or {}).get("request")
    return request.build_absolute_uri(path) if request is not None else path


def zone_of(name: str) -> ZoneInfo:
    """The IANA zone of that name, or a 422 that says which names are meant."""
    zone = iana_zone(name)
    if zone is None:
        raise HttpError(422, _("Unknown time zone “%(tz)s”: choose one such as Europe/Rome.") % {"tz": name[:64]})
    return zone


# --- Writes -------------------------------------------------------------------------------------------------------


class EventChanges(Schema):
    """What an editor may say about an event; on PATCH only the fields sent change (slugs and notations resolve)."""

    title: Text | None = None
    description: LongText | None = Field(None, description="Markdown.")
    language: Annotated[str, Field(max_length=16)] | None = None
    category: Category = None
    audiences: Notations | None = None
    themes: Notations | None = None
    venue: Slug | None = Field(None, description="The organisation whose place it is; its address is copied.")
    place_name: Text | None = None
    address: Text | None = None
    locality: Annotated[str, Field(max_length=120)] | None = None
    province: Annotated[str, Field(max_length=120)] | None = None
    region: Annotated[str, Field(max_length=120)] | None = None
    country: Annotated[str, Field(max_length=2)] | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    start: Moment | None = None
    end: Moment | None = Field(None, description="All-day events: the last day, inclusive.")
    all_day: bool | None = None
    timezone: Zone | None = None
    rrule: Annotated[str, Field(max_length=500)] | None = Field(None, description="e.g. FREQ=WEEKLY;COUNT=10")
    rdates: Annotated[list[Moment], Field(max_length=MAX_DATES)] | None = None
    exdates: Annotated[list[Moment], Field(max_length=MAX_DATES)] | None = None
    is_free: bool | None = None
    price: Text | None = None
    booking_url: Annotated[str, Field(max_length=1000)] | None = None
    accessibility: Annotated[str, Field(max_length=5000)] | None = None
    co_organisers: Slugs | None = None
    networks: Slugs | None = Field(None, description="Networks of the organisation to share the event with.")
    visibility: Annotated[str | None, one_of(VISIBILITIES), enum_schema(VISIBILITIES)] = None
    confirm_clash: bool = Field(False, description="Publish (or move) even if it strongly clashes.")


class EventIn(EventChanges):
    """A new event of an organisation: a draft, or published at once with `publish`."""

    organisation: Slug
    title: Text
    start: Moment
    publish: bool = False


class PublishIn(Schema):
    """Publish a draft; `confirm_clash` after a 409 that listed the strong clashes."""

    confirm_clash: bool = False


class CancelIn(Schema):
    """Why the event is cancelled, told to co-organisers and networks."""

    reason: Annotated[str, Field(max_length=2000)] = ""


# --- Clash check and free dates -----------------------------------------------------------------------------------


class ReasonOut(Schema):
    """One reason of a clash, in the request's language, and the points it adds to the score."""

    code: str
    message: str
    points: float


class ClashOut(Schema):
    """An occurrence already scheduled that clashes, with its score and why."""

    occurrence_id: int
    event_id: int
    title: str
    url: str
    start: datetime.datetime
    end: datetime.datetime
    all_day: bool
    score: float
    strong: bool
    distance_km: float | None
    overlap_minutes: int
    reasons: list[ReasonOut]


class ClashConflictOut(Schema):
    """Publishing needs confirmation: the strong clashes."""

    detail: str
    clashes: list[ClashOut]


def clashes_out(clashes: Iterable[Clash], context: dict | None) -> list[dict]:
    """Clashes as ClashOut data, their messages rendered now (in the request's language)."""
    event_url = event_urls(context)
    return [_clash_out(clash, event_url) for clash in clashes]


def clashes_response(clashes: Iterable[Clash], request: HttpRequest) -> HttpResponse:
    """The clashes as the JSON body of a list[ClashOut] response, written as the API writes any.

    Written here rather than returned for ninja to check against the schema: `clashes_out` builds exactly its fields
    and types (a test checks the answer against it), and ninja's check of twenty clashes took about a millisecond,
    a tenth of a whole clash check.
    """
    return HttpResponse(json.dumps(clashes_out(clashes, {"request": request}), cls=NinjaJSONEncoder),
                        content_type=f"{JSONRenderer.media_type}; charset={JSONRenderer.charset}")


def _clash_out(clash: Clash, event_url: Callable[[int | None], str]) -> dict:
    candidate = clash.candidate
    return {
        "occurrence_id": candidate.occurrence_id, "event_id": candidate.event_id, "title": candidate.title,
        "url": event_url(candidate.event_id), "start": candidate.start, "end": candidate.end,
        "all_day": candidate.all_day, "score": clash.score, "strong": clash.strong,
        "distance_km": None if clash.distance_km is None else round(clash.distance_km, 2),
        "overlap_minutes": int(clash.overlap.total_seconds() // 60),
        "reasons": [{"code": r.code, "message": str(r.message), "points": r.contribution} for r in clash.reasons],
    }


def event_urls(context: dict | None) -> Callable[[int | None], str]:
    """The absolute URL of an event's page by its id, the URL resolved and the host read once for them all."""
    marker = str(URL_MARKER)
    head, _, tail = absolute(context, reverse("calendar:event", kwargs={"pk": URL_MARKER})).rpartition(marker)
    return lambda pk: f"{head}{pk}{tail}"


class ClashCheckIn(Schema):
    """An event being planned: when (a rule for a recurring one), where or in which networks, for whom."""

    start: Moment
    end: Moment | None = Field(None, description="All-day events: the last day, inclusive.")
    all_day: bool = False
    timezone: Zone = settings.CALENDAR_DEFAULT_TIMEZONE
    rrule: Annotated[str, Field(max_length=500)] = ""
    exdates: Annotated[list[Moment], Field(max_length=MAX_DATES)] = []
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    venue: Slug | None = Field(None, description="An organisation whose place it is (when no coordinates).")
    organisation: Slug | None = Field(None, description="The organising organisation (its own events are marked).")
    networks: Slugs = []
    audiences: Notations = []
    themes: Notations = []
    event: int | None = Field(None, description="The event being changed, left out of its own check.")
    radius_km: Annotated[float, Field(ge=1, le=500)] = 25.0
    buffer_minutes: Annotated[int, Field(ge=0, le=1440)] = 60
    limit: Annotated[int, Field(ge=1, le=100)] = 20


class FreeDatesQuery(Schema):
    """Days to look at (at most 366), a place (coordinates or an organisation's), a radius and who it is for."""

    start: datetime.date
    end: datetime.date
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    organisation: Annotated[Slug | None, Blankable] = Field(None, description="Its place, when no coordinates.")
    radius_km: Annotated[float, Field(ge=1, le=500)] = 30.0
    audience: Annotated[Slug | None, Blankable] = None
    theme: Annotated[Slug | None, Blankable] = None
    network: Annotated[Slug | None, Blankable] = None
    timezone: Zone = settings.CALENDAR_DEFAULT_TIMEZONE


class DayOut(Schema):
    """How many events a day has, and its level from 0 (none) to 4 (the busiest of the range)."""

    day: datetime.date
    count: int
    level: int


class CrowdingOut(Schema):
    """Every day of the range, the quietest days and the busiest day's count."""

    days: list[DayOut]
    quietest: list[datetime.date]
    max_count: int
