"""Planning: the clash check of an event being planned, and the crowding of days around a place (free dates)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError

from sinergia.api import refs
from sinergia.api.auth import token_auth, viewer_of
from sinergia.api.calendar.schemas import (
    ClashCheckIn,
    ClashOut,
    CrowdingOut,
    FreeDatesQuery,
    clashes_response,
    zone_of,
)
from sinergia.api.errors import ErrorOut
from sinergia.calendar import selectors
from sinergia.calendar.clash import ClashSettings, ClashSubject
from sinergia.calendar.occurrences import horizon, plan_spans, validate_rrule

router = Router(tags=["calendar"])

ERRORS = {401: ErrorOut, 422: ErrorOut}
# A recurring plan is checked on its next occurrences, as many as a year of weekly ones.
PLANNED_OCCURRENCES = 52
MIN_YEAR, MAX_YEAR = 1900, 2100


def _invalid(error: ValidationError) -> HttpError:
    """A domain check's refusal as a 422 with its messages (each field's after its name)."""
    if hasattr(error, "error_dict"):
        return HttpError(422, " ".join(f"{name}: {' '.join(messages)}"
                                       for name, messages in error.message_dict.items()))
    return HttpError(422, " ".join(error.messages))


@router.post("/calendar/clash-check", auth=token_auth, response={200: list[ClashOut], **ERRORS},
             summary="Check a planned event for clashes")
def clash_check_endpoint(request: HttpRequest, payload: ClashCheckIn):
    """What already on the calendar (that the requester may see) clashes with the plan, strongest first."""
    try:
        settings = ClashSettings(buffer=timedelta(minutes=payload.buffer_minutes), radius_km=payload.radius_km)
        subjects = _subjects(payload)
    except ValidationError as error:
        raise _invalid(error) from error
    clashes = selectors.planned_clashes(subjects=subjects, settings=settings, viewer=request.user,
                                        limit=payload.limit)
    return clashes_response(clashes, request)


def _subjects(payload: ClashCheckIn) -> list[ClashSubject]:
    """The plan's next occurrences (none in the past, at most PLANNED_OCCURRENCES) as clash subjects."""
    zone = zone_of(payload.timezone)
    start, end = _span(payload)
    rule = validate_rrule(payload.rrule) if payload.rrule.strip() else ""
    spans = plan_spans(start=start, end=end, all_day=payload.all_day, timezone=zone.key, rrule=rule,
                       exdates=payload.exdates, window=(timezone.now(), horizon()[1]), limit=PLANNED_OCCURRENCES)
    common = _who_and_where(payload)
    return [ClashSubject(start=_local(first, zone), end=_local(last, zone), all_day=payload.all_day, **common)
            for first, last in spans.occurrences if first not in spans.cancelled]


def _span(payload: ClashCheckIn) -> tuple[date, date]:
    """Start and end as the plan gives them: dates for an all-day event (the end exclusive), else date-times."""
    start, end = payload.start, payload.end if payload.end is not None else payload.start
    timed = isinstance(start, datetime) and isinstance(end, datetime)
    if payload.all_day == timed:
        raise HttpError(422, _("Give dates (YYYY-MM-DD) for an all-day event, and dates with a time otherwise."))
    if not all(MIN_YEAR <= moment.year <= MAX_YEAR for moment in (start, end)):
        raise HttpError(422, _("The year must be between %(min)d and %(max)d.") % {"min": MIN_YEAR, "max": MAX_YEAR})
    if payload.all_day:
        end = _day(end) + timedelta(days=1)
    if _comparable(end) < _comparable(start):
        raise HttpError(422, _("The end is before the start."))
    return start, end


def _day(moment: date) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def _comparable(moment: date) -> datetime:
    """A date or a (naive or aware) datetime as a naive datetime, to compare start and end as given."""
    if not isinstance(moment, datetime):
        return datetime.combine(moment, datetime.min.time())
    return moment.replace(tzinfo=None)


def _local(moment: date, zone: ZoneInfo) -> datetime:
    """plan_spans gives aware instants; its type says date because the expansion it shares may give dates."""
    assert isinstance(moment, datetime)
    return moment.astimezone(zone)


def _who_and_where(payload: ClashCheckIn) -> dict:
    """Place, networks, concepts, organisation and the event left out, resolved from their slugs and notations."""
    latitude, longitude = payload.latitude, payload.longitude
    if latitude is None and longitude is None and payload.venue:
        latitude, longitude = refs.coordinates_of(refs.organisation(payload.venue))
    ids = refs.ids_of(network=payload.networks, audience=payload.audiences, theme=payload.themes,
                      organisation=[payload.organisation] if payload.organisation else [])
    network_ids = frozenset(ids.of(refs.NETWORK).values())
    if latitude is None and longitude is None and not network_ids:
        raise HttpError(422, _("Give the place (latitude and longitude, or a venue) or the networks to check."))
    return {
        "latitude": latitude, "longitude": longitude, "network_ids": network_ids,
        "audiences": frozenset(ids.of(refs.AUDIENCE)), "themes": frozenset(ids.of(refs.THEME)),
        "organisation_id": ids.of(refs.ORGANISATION).get(payload.organisation or ""),
        "event_id": payload.event,
    }


@router.get("/calendar/free-dates", response={200: CrowdingOut, **ERRORS}, summary="Find quiet days")
def free_dates_endpoint(request: HttpRequest, query: Query[FreeDatesQuery]):
    """How many events each day has around a place (for an audience, theme, network), and the quietest days."""
    latitude, longitude = _place(query)
    for notations, resolve in ((query.audience, refs.audiences), (query.theme, refs.themes),
                               (query.network, refs.networks)):
        if notations:
            resolve([notations])
    try:
        return selectors.day_crowding(
            viewer=viewer_of(request), start=query.start, end=query.end, latitude=latitude, longitude=longitude,
            radius_km=query.radius_km, audience=query.audience or "", theme=query.theme or "",
            network=query.network or "", timezone=zone_of(query.timezone).key)
    except ValidationError as error:
        raise _invalid(error) from error


def _place(query: FreeDatesQuery) -> tuple[float, float]:
    if query.latitude is not None and query.longitude is not None:
        return query.latitude, query.longitude
    if query.organisation:
        return refs.coordinates_of(refs.organisation(query.organisation))
    raise HttpError(422, _("Give the place: latitude and longitude, or an organisation."))
