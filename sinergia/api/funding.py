"""Funding calls, their eligibility and deadlines: the pages' visibility and filters; publishers write, users follow."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import Field

from sinergia.api import refs
from sinergia.api.auth import token_auth, viewer_of
from sinergia.api.errors import ErrorOut, service_error
from sinergia.api.pagination import NumberedPagination
from sinergia.api.schemas import ConceptOut, FilterText, OrganisationRef, Slug
from sinergia.core.models import Concept
from sinergia.desk.models import FundingCall
from sinergia.desk.selectors import calls as selectors
from sinergia.desk.selectors.calls import MAX_WITHIN_DAYS, CallFilters
from sinergia.desk.services import calls as services
from sinergia.desk.services.calls_data import MAX_COUNTRIES, MAX_KINDS, MAX_REGIONS, MAX_TOPICS, CallData

router = Router(tags=["funding"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
STATES = ("open", "closed", "all")
Text = Annotated[str, Field(max_length=255)]
Code = Annotated[str, Field(max_length=120)]


class CallFilterSchema(Schema):
    """The list page's filters."""

    state: Annotated[str, Field(pattern="^(open|closed|all)$")] = Field("open", description="open, closed or all.")
    q: FilterText = Field("", description="Words of the funder, the programme or the title.")
    topic: Annotated[str, Field(max_length=80)] = Field("", description="A topic's notation.")
    kind: Annotated[str, Field(max_length=30)] = Field("", description="Calls open to this kind of organisation.")
    country: Annotated[str, Field(max_length=2)] = Field("", description="Calls open to this country (ISO 3166).")
    region: Annotated[str, Field(max_length=120)] = ""
    within_days: Annotated[int | None, Field(ge=1, le=MAX_WITHIN_DAYS)] = None
    eligible: bool = Field(False, description="Only open calls some organisation of the requester may apply to.")

    def to_filters(self) -> CallFilters:
        """The selector's filters."""
        return CallFilters(state="" if self.state == "all" else self.state, q=self.q, topic=self.topic,
                           kind=self.kind, country=self.country.upper(), region=self.region,
                           within_days=self.within_days, eligible=self.eligible)


class DocumentOut(Schema):
    title: str
    url: str

    @staticmethod
    def resolve_url(obj, context) -> str:
        if not obj.file:
            return obj.url
        path = reverse("desk:call_document", args=[obj.call_id, obj.pk])
        request = (context or {}).get("request")
        return request.build_absolute_uri(path) if request is not None else path


class CallOut(Schema):
    """A call as listed."""

    id: int
    title: str
    funder: str
    programme: str
    status: str
    deadline: datetime = Field(description="In UTC.")
    deadline_local: str = Field(description="The deadline as the funder states it, in `time_zone` (ISO 8601).")
    time_zone: str
    eligible_kinds: list[str]
    eligible_countries: list[str]
    eligible_regions: list[str]
    amount_min: Decimal | None
    amount_max: Decimal | None
    currency: str
    topics: list[ConceptOut]
    organisation: OrganisationRef | None
    page: str

    @staticmethod
    def resolve_deadline_local(obj: FundingCall) -> str:
        return timezone.localtime(obj.deadline, ZoneInfo(obj.time_zone)).isoformat()

    @staticmethod
    def resolve_page(obj: FundingCall, context: dict | None) -> str:
        path = reverse("desk:call_detail", args=[obj.pk])
        request = (context or {}).get("request")
        return request.build_absolute_uri(path) if request is not None else path


class CallDetailOut(CallOut):
    """One call with all it says."""

    summary: str = Field(description="Markdown.")
    language: str
    co_financing_percent: int | None
    opens_at: datetime | None
    url: str
    documents: list[DocumentOut]
    published_at: datetime | None


class CallChanges(Schema):
    """Fields of a call; dates are wall times of `time_zone` (an offset, if given, is converted to it)."""

    title: Annotated[str, Field(min_length=1, max_length=255)] | None = None
    funder: Annotated[str, Field(min_length=1, max_length=255)] | None = None
    programme: Text | None = None
    summary: Annotated[str, Field(max_length=20_000)] | None = None
    language: Annotated[str, Field(max_length=35)] | None = None
    eligible_kinds: list[Code] | None = Field(None, max_length=MAX_KINDS)
    eligible_countries: list[Annotated[str, Field(max_length=2)]] | None = Field(None, max_length=MAX_COUNTRIES)
    eligible_regions: list[Code] | None = Field(None, max_length=MAX_REGIONS)
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    currency: Annotated[str, Field(max_length=3)] | None = None
    co_financing_percent: int | None = None
    opens_at: datetime | None = None
    deadline: datetime | None = None
    time_zone: Annotated[str, Field(max_length=64)] | None = None
    topics: list[Slug] | None = Field(None, max_length=MAX_TOPICS, description="Topic notations.")
    url: Annotated[str, Field(max_length=500)] | None = None


class CallIn(CallChanges):
    """A new call (a draft unless `publish`), on behalf of a trusted publisher (operators: optional)."""

    title: Annotated[str, Field(min_length=1, max_length=255)]
    funder: Annotated[str, Field(min_length=1, max_length=255)]
    summary: Annotated[str, Field(min_length=1, max_length=20_000)]
    language: Annotated[str, Field(max_length=35)]
    deadline: datetime
    organisation: Slug | None = None
    publish: bool = False


class FollowOut(Schema):
    following: bool


class WithdrawIn(Schema):
    reason: Annotated[str, Field(max_length=500)] = ""


# --- Reads --------------------------------------------------------------------------------------------------------


@router.get("/funding/calls", response={200: list[CallOut], 422: ErrorOut}, summary="List funding calls")
@paginate(NumberedPagination)
def call_list_endpoint(request: HttpRequest, filters: Query[CallFilterSchema]):
    """The calls the requester may see, by deadline, with the list page's filters."""
    return selectors.call_list(viewer=viewer_of(request), filters=filters.to_filters())


@router.get("/funding/calls/{call_id}", response={200: CallDetailOut, **ERRORS}, summary="One funding call")
def call_detail_endpoint(request: HttpRequest, call_id: int):
    """One call the requester may see (drafts for their organisation; 404 otherwise)."""
    return selectors.call_get_for(viewer=viewer_of(request), pk=call_id)


# --- Writes -------------------------------------------------------------------------------------------------------


def _topics(notations: list[str]) -> list[Concept]:
    wanted = list(dict.fromkeys(notations))
    found = {c.notation: c for c in Concept.objects.filter(scheme=Concept.Scheme.TOPIC, notation__in=wanted)}
    missing = [notation for notation in wanted if notation not in found]
    if missing:
        raise HttpError(422, "topics: " + ", ".join(f"“{notation}”" for notation in missing))
    return [found[notation] for notation in wanted]


def _stored(call: FundingCall) -> dict[str, Any]:
    """A stored call as CallData values: its dates as wall times of its zone."""
    zone = ZoneInfo(call.time_zone)
    names = ("title", "funder", "programme", "summary", "language", "eligible_kinds", "eligible_countries",
             "eligible_regions", "amount_min", "amount_max", "currency", "co_financing_percent", "time_zone", "url")
    values = {name: getattr(call, name) for name in names}
    values.update(topics=list(call.topics.all()),
                  deadline=timezone.localtime(call.deadline, zone).replace(tzinfo=None),
                  opens_at=timezone.localtime(call.opens_at, zone).replace(tzinfo=None) if call.opens_at else None)
    return values


def _data(changes: CallChanges, base: dict[str, Any]) -> CallData:
    """CallData of the stored values (or a new call's defaults) with the fields sent laid over."""
    sent = changes.model_dump(exclude_unset=True, exclude={"organisation", "publish"})
    if sent.get("topics") is not None:
        sent["topics"] = _topics(sent["topics"])
    values = {**base, **{name: value for name, value in sent.items()
                         if value is not None or name in ("amount_min", "amount_max", "co_financing_percent",
                                                          "opens_at")}}
    return CallData(**values)


def _written(request: HttpRequest, write: Any, status: int = 200) -> Status:
    try:
        call = write()
    except ValidationError as error:
        raise HttpError(400, service_error(error)) from error
    return Status(status, selectors.call_get_for(viewer=request.user, pk=call.pk))


@router.post("/funding/calls", auth=token_auth, response={201: CallDetailOut, **ERRORS}, summary="Create a call")
def call_create_endpoint(request: HttpRequest, payload: CallIn):
    """A new call of a trusted publisher the requester edits (operators: of any or no organisation)."""
    organisation = refs.organisation(payload.organisation) if payload.organisation else None
    if not request.user.has_perm("desk.add_fundingcall", organisation):
        raise PermissionDenied
    data = _data(payload, {"deadline": None, "title": "", "funder": "", "summary": "", "language": ""})

    @transaction.atomic  # a call that cannot be published is not left behind as a draft
    def write() -> FundingCall:
        call = services.call_create(by=request.user, data=data, organisation=organisation)
        return services.call_publish(call=call, by=request.user) if payload.publish else call

    return _written(request, write, status=201)


@router.patch("/funding/calls/{call_id}", auth=token_auth, response={200: CallDetailOut, **ERRORS},
              summary="Change a call")
def call_update_endpoint(request: HttpRequest, call_id: int, payload: CallChanges):
    """Change the fields sent; followers are told when a published call's deadline moves."""
    call = selectors.call_get_for(viewer=request.user, pk=call_id, perm="desk.change_fundingcall")
    data = _data(payload, _stored(call))
    return _written(request, lambda: services.call_update(call=call, by=request.user, data=data))


@router.post("/funding/calls/{call_id}/publish", auth=token_auth, response={200: CallDetailOut, **ERRORS},
             summary="Publish a call")
def call_publish_endpoint(request: HttpRequest, call_id: int):
    """Publish a draft (its deadline must be in the future)."""
    call = selectors.call_get_for(viewer=request.user, pk=call_id, perm="desk.publish_fundingcall")
    return _written(request, lambda: services.call_publish(call=call, by=request.user))


@router.post("/funding/calls/{call_id}/withdraw", auth=token_auth, response={200: CallDetailOut, **ERRORS},
             summary="Withdraw a call")
def call_withdraw_endpoint(request: HttpRequest, call_id: int, payload: WithdrawIn | None = None):
    """Withdraw a published call; its followers are told."""
    call = selectors.call_get_for(viewer=request.user, pk=call_id, perm="desk.withdraw_fundingcall")
    reason = payload.reason if payload else ""
    return _written(request, lambda: services.call_withdraw(call=call, by=request.user, reason=reason))


@router.post("/funding/calls/{call_id}/follow", auth=token_auth, response={200: FollowOut, **ERRORS},
             summary="Follow a call")
def call_follow_endpoint(request: HttpRequest, call_id: int):
    """Follow a published call: reminders 14 and 3 days before its deadline (following twice is harmless)."""
    call = selectors.call_get_for(viewer=request.user, pk=call_id)
    services.call_follow(call=call, user=request.user)
    return {"following": True}


@router.delete("/funding/calls/{call_id}/follow", auth=token_auth, response={204: None, **ERRORS},
               summary="Stop following a call")
def call_unfollow_endpoint(request: HttpRequest, call_id: int):
    """Stop following a call (204 whether or not it was followed)."""
    call = selectors.call_get_for(viewer=request.user, pk=call_id)
    services.call_unfollow(call=call, user=request.user)
    return Status(204, None)
