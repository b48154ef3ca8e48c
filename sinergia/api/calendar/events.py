"""Events and occurrences: lists and detail with the pages' filters and visibility; create, change, publish, cancel."""

import dataclasses
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from sinergia.api import refs
from sinergia.api.auth import token_auth, viewer_of
from sinergia.api.calendar.schemas import (
    CancelIn,
    ClashConflictOut,
    EventChanges,
    EventDetailOut,
    EventFilterSchema,
    EventIn,
    EventOut,
    OccurrenceOut,
    OccurrenceRangeSchema,
    PublishIn,
    clashes_out,
    zone_of,
)
from sinergia.api.errors import ErrorOut, service_error
from sinergia.api.pagination import NumberedPagination
from sinergia.calendar import selectors, services
from sinergia.calendar.models import Event

router = Router(tags=["calendar"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITES = {200: EventDetailOut, 409: ClashConflictOut, **ERRORS}
DEFAULT_DAYS = 30
STORED_FIELDS = ("title", "description", "language", "category", "venue", "place_name", "address", "locality",
                 "province", "region", "country", "latitude", "longitude", "all_day", "timezone", "rrule", "rdates",
                 "exdates", "is_free", "price", "booking_url", "accessibility", "visibility")
PLACE_FIELDS = ("place_name", "address", "locality", "province", "region", "country", "latitude", "longitude")
# Fields that may be emptied with null; any other null puts back the default of a new event.
NULLABLE = frozenset({"venue", "latitude", "longitude", "end"})


# --- Reads --------------------------------------------------------------------------------------------------------


@router.get("/calendar/events", response={200: list[EventOut], 422: ErrorOut}, summary="List events")
@paginate(NumberedPagination)
def event_list_endpoint(request: HttpRequest, filters: Query[EventFilterSchema]):
    """Published and cancelled events the requester may see, by first start, with the calendar pages' filters."""
    return selectors.event_list(viewer=viewer_of(request), filters=filters.to_filters())


@router.get("/calendar/events/{event_id}", response={200: EventDetailOut, **ERRORS}, summary="One event")
def event_detail_endpoint(request: HttpRequest, event_id: int):
    """One event the requester may see (drafts for its editors; 404 otherwise)."""
    return selectors.event_get(pk=event_id, viewer=viewer_of(request))


@router.get("/calendar/occurrences", response={200: list[OccurrenceOut], 422: ErrorOut},
            summary="List occurrences by day")
@paginate(NumberedPagination)
def occurrence_list_endpoint(request: HttpRequest, filters: Query[OccurrenceRangeSchema]):
    """Each occurrence overlapping the days asked (recurring events once per occurrence), by start."""
    zone = zone_of(filters.timezone)
    chosen = filters.to_filters()
    first = chosen.start or timezone.localdate(timezone=zone)
    start, end = selectors.day_bounds(first, chosen.end or first + timedelta(days=DEFAULT_DAYS), zone.key)
    assert start is not None and end is not None  # both days are known
    # The days are those of the zone asked, already in start and end (the filters' own would be the default zone's).
    chosen = dataclasses.replace(chosen, start=None, end=None)
    return selectors.occurrence_list(viewer=viewer_of(request), filters=chosen, start=start, end=end)


# --- Writes -------------------------------------------------------------------------------------------------------


@router.post("/calendar/events", auth=token_auth, response={201: EventDetailOut, 409: ClashConflictOut, **ERRORS},
             summary="Create an event")
def event_create_endpoint(request: HttpRequest, payload: EventIn):
    """A new event of an organisation the requester edits: a draft, or published (409 on a strong clash)."""
    organisation = refs.organisation(payload.organisation)
    if not request.user.has_perm("calendar.add_event", organisation):
        raise PermissionDenied
    values = {name: value for name, value in _changes(payload).items() if value is not None}
    data = services.EventData(**values)
    return _written(request, lambda: services.event_create(
        organisation=organisation, by=request.user, data=data, publish=payload.publish,
        confirm_clash=payload.confirm_clash), status=201)


@router.patch("/calendar/events/{event_id}", auth=token_auth, response=WRITES, summary="Change an event")
def event_update_endpoint(request: HttpRequest, event_id: int, payload: EventChanges):
    """Change the fields sent; a published event moved onto a strong clash needs `confirm_clash` (409)."""
    event = selectors.event_get_for(user=request.user, pk=event_id, perm="calendar.change_event")
    data = services.EventData(**_merged(event, _changes(payload)))
    return _written(request, lambda: services.event_update(event=event, by=request.user, data=data,
                                                           confirm_clash=payload.confirm_clash))


@router.post("/calendar/events/{event_id}/publish", auth=token_auth, response=WRITES, summary="Publish a draft")
def event_publish_endpoint(request: HttpRequest, event_id: int, payload: PublishIn | None = None):
    """Publish a draft; a strong clash answers 409 with the clashes, to confirm with `confirm_clash`."""
    event = selectors.event_get_for(user=request.user, pk=event_id, perm="calendar.change_event")
    confirmed = bool(payload and payload.confirm_clash)
    return _written(request, lambda: services.event_publish(event=event, by=request.user, confirm_clash=confirmed))


@router.post("/calendar/events/{event_id}/cancel", auth=token_auth, response={200: EventDetailOut, **ERRORS},
             summary="Cancel an event")
def event_cancel_endpoint(request: HttpRequest, event_id: int, payload: CancelIn | None = None):
    """Cancel a published event: it stays on calendars, marked cancelled."""
    event = selectors.event_get_for(user=request.user, pk=event_id, perm="calendar.change_event")
    reason = payload.reason if payload else ""
    return _written(request, lambda: services.event_cancel(event=event, by=request.user, reason=reason))


def _written(request: HttpRequest, write: Callable[[], Event], status: int = 200) -> Status:
    """Run a service's write and answer with the event as the requester now sees it.

    A strong clash is a 409 listing the clashes; any other refusal a 400 naming the fields to correct.
    """
    try:
        event = write()
    except services.StrongClashError as error:
        return Status(409, _conflict(error, request))
    except ValidationError as error:
        raise HttpError(400, service_error(error)) from error
    return Status(status, selectors.event_get(pk=event.pk, viewer=request.user))


def _conflict(error: services.StrongClashError, request: HttpRequest) -> dict[str, Any]:
    return {"detail": " ".join(error.messages), "clashes": clashes_out(error.clashes, {"request": request})}


def _changes(payload: EventChanges) -> dict[str, Any]:
    """The fields sent, with slugs and notations resolved to what they name (a 422 for any unknown)."""
    sent = payload.model_dump(exclude_unset=True, exclude={"organisation", "publish", "confirm_clash"})
    resolvers: dict[str, Callable[[Any], Any]] = {
        "venue": refs.organisation, "co_organisers": refs.organisations, "networks": refs.networks,
        "audiences": refs.audiences, "themes": refs.themes}
    for name, resolve in resolvers.items():
        if sent.get(name) is not None:
            sent[name] = resolve(sent[name])
    return sent


def _merged(event: Event, changes: dict[str, Any]) -> dict[str, Any]:
    """The stored event as EventData values, with the changes laid over (a new venue brings its own place)."""
    values = _stored(event)
    if "venue" in changes:
        values.update({name: None if name in ("latitude", "longitude") else "" for name in PLACE_FIELDS})
    blank = services.EventData(title="", start=date.min)  # a new event's defaults
    for name, value in changes.items():
        values[name] = getattr(blank, name) if value is None and name not in NULLABLE else value
    return values


def _stored(event: Event) -> dict[str, Any]:
    """What the editor said about a stored event, as EventData values (all-day: dates, the last one inclusive)."""
    zone = ZoneInfo(event.timezone)
    start, end = event.start.astimezone(zone), event.end.astimezone(zone)
    values: dict[str, Any] = {name: getattr(event, name) for name in STORED_FIELDS}
    if event.all_day:
        first: date = start.date()
        values.update(start=first, end=max(first, (end - timedelta(days=1)).date()))
    else:
        values.update(start=start, end=end)
    for name in ("audiences", "themes", "co_organisers", "networks"):
        values[name] = list(getattr(event, name).all())
    values["rdates"], values["exdates"] = list(event.rdates or []), list(event.exdates or [])
    return values
