"""Offers and needs of the exchange, with their matches and message threads; the pages' visibility."""

from datetime import date, datetime
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import Field

from sinergia.api import refs
from sinergia.api.auth import token_auth, viewer_of
from sinergia.api.errors import ErrorOut, service_error
from sinergia.api.pagination import NumberedPagination
from sinergia.api.schemas import ConceptOut, FilterText, OrganisationRef, Slug, enum_schema, one_of
from sinergia.core.models import Concept
from sinergia.exchange import selectors, services
from sinergia.exchange.models import Listing, Message, Thread
from sinergia.exchange.reasons import explain

router = Router(tags=["exchange"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
SIDES, KINDS, AREAS = Listing.Side.values, Listing.Kind.values, Listing.Area.values
CONDITIONS, VISIBILITIES = Listing.Conditions.values, Listing.Visibility.values
MAX_ITEMS, MAX_MATCHES = 20, 50
Short = Annotated[str, Field(max_length=120)]


def _choice(values: list[str]) -> Any:
    return Annotated[str, one_of(values), enum_schema(values)]


class ListingFilterSchema(Schema):
    """The exchange page's filters."""

    q: FilterText = ""
    side: Annotated[str | None, one_of(SIDES), enum_schema(SIDES)] = None
    kind: Annotated[str | None, one_of(KINDS), enum_schema(KINDS)] = None
    category: Slug | None = Field(None, description="A service notation, e.g. service-photo-video.")
    conditions: Annotated[str | None, one_of(CONDITIONS), enum_schema(CONDITIONS)] = None
    language: Annotated[str, Field(max_length=8, pattern=r"^[a-zA-Z-]*$")] = ""
    region: Short = ""
    country: Annotated[str, Field(max_length=2)] = ""
    organisation: Slug | None = None
    latitude: Annotated[float | None, Field(ge=-90, le=90)] = None
    longitude: Annotated[float | None, Field(ge=-180, le=180)] = None
    radius_km: Annotated[float | None, Field(ge=1, le=500)] = None

    def to_filters(self) -> selectors.ListingFilters:
        """The selector's filters."""
        return selectors.ListingFilters(
            q=self.q, side=self.side or "", kind=self.kind or "", category=self.category or "",
            conditions=self.conditions or "", language=self.language, region=self.region, country=self.country,
            organisation=self.organisation or "", latitude=self.latitude, longitude=self.longitude,
            radius_km=self.radius_km)


class ListingOut(Schema):
    """An offer or a need as listed."""

    id: int
    side: str
    kind: str
    title: str
    organisation: OrganisationRef
    categories: list[ConceptOut]
    area: str
    radius_km: int | None
    latitude: float | None
    longitude: float | None
    regions: list[str]
    countries: list[str]
    languages: list[str]
    available_from: date | None
    available_until: date | None
    expires_on: date
    conditions: str
    visibility: str
    status: str
    page: str = Field(description="The listing's page.")

    @staticmethod
    def resolve_page(obj: Listing, context: dict | None) -> str:
        path = reverse("exchange:detail", args=[obj.pk])
        request = (context or {}).get("request")
        return request.build_absolute_uri(path) if request is not None else path


class ListingDetailOut(ListingOut):
    """One offer or need with all it says."""

    description: str = Field(description="Markdown.")
    conditions_note: str
    created_at: datetime


class ReasonOut(Schema):
    code: str
    text: str
    points: int


class MatchOut(Schema):
    """A listing of the other side that fits, with its score (0–100) and the reasons."""

    listing: ListingOut
    score: int
    distance_km: float | None
    reasons: list[ReasonOut]


class MatchForYouOut(MatchOut):
    """A match of one of the requester's organisations' open listings (`subject_id`)."""

    subject_id: int
    subject_title: str


class ListingIn(Schema):
    """An offer or a need, on behalf of an organisation the requester edits."""

    organisation: Slug
    side: _choice(SIDES)  # type: ignore[valid-type]
    kind: _choice(KINDS)  # type: ignore[valid-type]
    title: Annotated[str, Field(max_length=200)]
    description: Annotated[str, Field(max_length=5000)] = ""
    categories: list[Slug] = Field(default_factory=list, max_length=5, description="Service notations.")
    area: Annotated[str, Field(max_length=10)] = Listing.Area.RADIUS
    latitude: float | None = Field(None, description="Empty: the organisation's place.")
    longitude: float | None = None
    radius_km: float | None = Field(None, description="1 to 500 km, for the radius area.")
    regions: list[Short] = Field(default_factory=list, max_length=MAX_ITEMS)
    countries: list[Annotated[str, Field(max_length=2)]] = Field(default_factory=list, max_length=MAX_ITEMS)
    languages: list[Annotated[str, Field(max_length=35)]] = Field(default_factory=list, max_length=10)
    available_from: date | None = None
    available_until: date | None = None
    expires_on: date | None = Field(None, description="Within a year; empty: in 90 days.")
    conditions: _choice(CONDITIONS) = Listing.Conditions.FREE  # type: ignore[valid-type]
    conditions_note: Annotated[str, Field(max_length=500)] = ""
    visibility: _choice(VISIBILITIES) = Listing.Visibility.PUBLIC  # type: ignore[valid-type]


class FulfilIn(Schema):
    partner: Slug
    partner_listing: int | None = None
    on: date | None = None


class ThreadIn(Schema):
    organisation: Slug = Field(description="The organisation you write on behalf of.")
    body: Annotated[str, Field(max_length=5000)]


class MessageIn(Schema):
    body: Annotated[str, Field(max_length=5000)]


class ThreadOut(Schema):
    id: int
    listing_id: int
    counterpart: OrganisationRef
    created_at: datetime
    last_message_at: datetime | None


class MessageOut(Schema):
    id: int
    organisation: OrganisationRef
    author: str
    body: str
    created_at: datetime

    @staticmethod
    def resolve_author(obj: Message) -> str:
        return obj.author.display_name if obj.author else ""


def _categories(notations: list[str]) -> list[Concept]:
    wanted = list(dict.fromkeys(notations))
    found = {c.notation: c for c in Concept.objects.filter(scheme=Concept.Scheme.SERVICE, notation__in=wanted)}
    missing = [notation for notation in wanted if notation not in found]
    if missing:
        raise HttpError(422, ", ".join(f"“{notation}”" for notation in missing))
    return [found[notation] for notation in wanted]


def _data(payload: ListingIn) -> services.ListingData:
    values = payload.model_dump(exclude={"organisation", "categories"})
    return services.ListingData(**values, categories=_categories(payload.categories))


def _matches_out(matches: list[selectors.Match]) -> list[dict[str, Any]]:
    return [{"listing": match.listing, "score": match.score.total, "distance_km": match.score.distance_km,
             "subject_id": match.subject_id, "subject_title": match.subject_title,
             "reasons": [{"code": code, "text": text, "points": points} for code, text, points in
                         explain(match.score)]} for match in matches]


def _detail(request: HttpRequest, pk: int) -> Listing:
    return selectors.listing_get_for(viewer=request.user, pk=pk)


# --- Listings -----------------------------------------------------------------------------------------------------


@router.get("/exchange/listings", response={200: list[ListingOut], 422: ErrorOut}, summary="List offers and needs")
@paginate(NumberedPagination)
def listing_list_endpoint(request: HttpRequest, filters: Query[ListingFilterSchema]):
    """Open offers and needs the requester may see, newest first, with the exchange page's filters."""
    return selectors.listing_list(viewer=viewer_of(request), filters=filters.to_filters())


@router.get("/exchange/listings/{listing_id}", response={200: ListingDetailOut, **ERRORS},
            summary="One offer or need")
def listing_detail_endpoint(request: HttpRequest, listing_id: int):
    """One offer or need the requester may see (404 otherwise)."""
    return selectors.listing_get_for(viewer=viewer_of(request), pk=listing_id)


@router.get("/exchange/listings/{listing_id}/matches", response={200: list[MatchOut], **ERRORS},
            summary="Matches of an offer or need")
def listing_matches_endpoint(request: HttpRequest, listing_id: int,
                             limit: Annotated[int, Field(ge=1, le=MAX_MATCHES)] = 20):
    """The open listings of the other side that fit, best first, with the reasons of their score."""
    viewer = viewer_of(request)
    listing = selectors.listing_get_for(viewer=viewer, pk=listing_id)
    if not listing.is_open:
        return []
    return _matches_out(selectors.listing_matches(listing=listing, viewer=viewer, limit=limit))


@router.get("/exchange/matches", auth=token_auth, response={200: list[MatchForYouOut], **ERRORS},
            summary="Matches for you")
def matches_for_you_endpoint(request: HttpRequest, limit: Annotated[int, Field(ge=1, le=MAX_MATCHES)] = 10):
    """The best matches of the open offers and needs of the requester's organisations (the dashboard's list)."""
    return _matches_out(selectors.matches_for_user(user=request.user, limit=limit))


@router.post("/exchange/listings", auth=token_auth, response={201: ListingDetailOut, **ERRORS},
             summary="Publish an offer or need")
def listing_create_endpoint(request: HttpRequest, payload: ListingIn):
    """Publish on behalf of an organisation the requester edits; good matches are notified in the background."""
    organisation = refs.organisation(payload.organisation)
    if not request.user.has_perm("exchange.add_listing", organisation):
        raise PermissionDenied
    try:
        listing = services.listing_create(organisation=organisation, by=request.user, data=_data(payload))
    except ValidationError as error:
        raise HttpError(400, service_error(error)) from error
    return Status(201, _detail(request, listing.pk))


@router.put("/exchange/listings/{listing_id}", auth=token_auth, response={200: ListingDetailOut, **ERRORS},
            summary="Change an offer or need")
def listing_update_endpoint(request: HttpRequest, listing_id: int, payload: ListingIn):
    """Replace what an offer or need says (its organisation and side stay)."""
    listing = selectors.listing_get_for(viewer=request.user, pk=listing_id, perm="exchange.change_listing")
    try:
        services.listing_update(listing=listing, by=request.user, data=_data(payload))
    except ValidationError as error:
        raise HttpError(400, service_error(error)) from error
    return _detail(request, listing.pk)


@router.post("/exchange/listings/{listing_id}/fulfil", auth=token_auth, response={200: ListingDetailOut, **ERRORS},
             summary="Close as fulfilled")
def listing_fulfil_endpoint(request: HttpRequest, listing_id: int, payload: FulfilIn):
    """Close an offer or need as fulfilled with a partner organisation, recording the partnership."""
    listing = selectors.listing_get_for(viewer=request.user, pk=listing_id, perm="exchange.change_listing")
    partner = refs.organisation(payload.partner)
    partner_listing = None
    if payload.partner_listing is not None:
        partner_listing = selectors.listing_get_for(viewer=request.user, pk=payload.partner_listing)
    try:
        services.listing_fulfil(listing=listing, by=request.user, partner=partner, partner_listing=partner_listing,
                                on=payload.on)
    except ValidationError as error:
        raise HttpError(400, service_error(error)) from error
    return _detail(request, listing.pk)


# --- Threads ------------------------------------------------------------------------------------------------------


@router.get("/exchange/listings/{listing_id}/threads", auth=token_auth, response={200: list[ThreadOut], **ERRORS},
            summary="Conversations on an offer or need")
def listing_threads_endpoint(request: HttpRequest, listing_id: int):
    """The listing's threads the requester takes part in (all of them for the listing's organisation)."""
    listing = _detail(request, listing_id)
    return list(selectors.listing_threads(listing=listing, user=request.user)[:100])


@router.post("/exchange/listings/{listing_id}/threads", auth=token_auth,
             response={201: ThreadOut, 429: ErrorOut, **ERRORS},
             summary="Write to an offer's or need's organisation")
def thread_start_endpoint(request: HttpRequest, listing_id: int, payload: ThreadIn):
    """Start (or continue) the conversation of your organisation with the listing's (rate-limited)."""
    listing = _detail(request, listing_id)
    organisation = refs.organisation(payload.organisation)
    try:
        thread = services.thread_start(listing=listing, by=request.user, organisation=organisation,
                                       body=payload.body)
    except ValidationError as error:
        raise HttpError(429 if error.code == "rate_limited" else 400, service_error(error)) from error
    return Status(201, thread)


@router.get("/exchange/threads/{thread_id}/messages", auth=token_auth, response={200: list[MessageOut], **ERRORS},
            summary="Messages of a conversation")
def thread_messages_endpoint(request: HttpRequest, thread_id: int):
    """The messages of a thread, oldest first, for the two organisations' people (404 for anyone else)."""
    thread: Thread = selectors.thread_get_for(user=request.user, pk=thread_id)
    return list(selectors.thread_messages(thread=thread))


@router.post("/exchange/threads/{thread_id}/messages", auth=token_auth,
             response={201: MessageOut, 429: ErrorOut, **ERRORS},
             summary="Answer in a conversation")
def message_send_endpoint(request: HttpRequest, thread_id: int, payload: MessageIn):
    """Answer on behalf of your side of the thread (rate-limited)."""
    thread = selectors.thread_get_for(user=request.user, pk=thread_id, perm="exchange.write_thread")
    try:
        message = services.message_send(thread=thread, by=request.user, body=payload.body)
    except ValidationError as error:
        raise HttpError(429 if error.code == "rate_limited" else 400, service_error(error)) from error
    return Status(201, message)
