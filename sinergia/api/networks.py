"""Read endpoints of networks: the list, one network, its members and its charter."""

import datetime
from typing import Annotated

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from sinergia.api.auth import viewer_of
from sinergia.api.errors import ErrorOut
from sinergia.api.pagination import NumberedPagination
from sinergia.api.schemas import (
    Blankable,
    ConceptOut,
    FilterText,
    MemberRef,
    NetworkRef,
    OrganisationRef,
    Slug,
    enum_schema,
    one_of,
)
from sinergia.api.schemas import member_ref as member_ref_of
from sinergia.networks.models import Membership, Network
from sinergia.networks.selectors import (
    NetworkFilters,
    network_charter_versions,
    network_get,
    network_list,
    network_members,
)

router = Router(tags=["networks"])

Kind = Annotated[str | None, Blankable, one_of(Network.Kind.values), enum_schema(Network.Kind.values)]
Scale = Annotated[str | None, Blankable, one_of(Network.Scale.values), enum_schema(Network.Scale.values)]
STATUSES = Membership.Status.values
Governance = Annotated[str | None, Blankable, one_of(Network.Governance.values),
                       enum_schema(Network.Governance.values)]


class NetworkFilterSchema(Schema):
    """The networks page's filters; theme by notation."""

    q: FilterText | None = Field(None, description="Free text in the name and description.")
    kind: Kind = None
    scale: Scale = None
    governance: Governance = None
    region: Annotated[FilterText | None, Blankable] = None
    country: Annotated[str | None, Blankable, Field(pattern=r"^[A-Za-z]{2}$")] = None
    theme: Annotated[Slug | None, Blankable] = None

    def to_filters(self) -> NetworkFilters:
        """The selector's filters, with the country code upper-cased as stored."""
        values = {key: value or "" for key, value in self.model_dump().items()}
        values["country"] = values["country"].upper()
        return NetworkFilters(**values)


class NetworkOut(NetworkRef):
    """A network as listed."""

    kind: str
    kind_label: str
    scale: str
    scale_label: str
    governance: str
    governance_label: str
    region: str
    country: str
    member_count: int
    themes: list[ConceptOut]

    @staticmethod
    def resolve_kind_label(obj: Network) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_scale_label(obj: Network) -> str:
        return obj.get_scale_display()

    @staticmethod
    def resolve_governance_label(obj: Network) -> str:
        return obj.get_governance_display()

    @staticmethod
    def resolve_themes(obj: Network) -> list:
        return list(obj.themes.all())


class NetworkDetailOut(NetworkOut):
    """A network with its texts, its founder and its current charter version."""

    description: str
    objectives: str
    legal_notes: str
    management_notes: str
    language: str
    website: str
    email: str
    founded_by: OrganisationRef | None
    current_charter_number: int | None


class MemberOut(Schema):
    """A member of a network, with the highest charter version it signed."""

    id: int
    member: MemberRef
    role: str
    role_label: str
    status: str
    status_label: str
    signed_version: int | None

    @staticmethod
    def resolve_member(obj: Membership, context) -> dict:
        return member_ref_of(obj, context)

    @staticmethod
    def resolve_role_label(obj: Membership) -> str:
        return obj.get_role_display()

    @staticmethod
    def resolve_status_label(obj: Membership) -> str:
        return obj.get_status_display()


class MemberFilterSchema(Schema):
    """Which statuses to list: admitted by default; the others only for coordinators and operators."""

    status: list[Annotated[str, one_of(STATUSES), enum_schema(STATUSES)]] = Field(
        [Membership.Status.ADMITTED.value], max_length=5,
        description="Repeat to list several statuses, e.g. `?status=applied&status=admitted`.")


class CharterVersionOut(Schema):
    """One published version of a charter."""

    number: int
    changes: str
    language: str
    published_at: datetime.datetime
    signature_count: int


class CharterOut(CharterVersionOut):
    """A charter version with its Markdown text."""

    text: str


class CharterHistoryOut(Schema):
    """The current charter and every version published, newest first."""

    current: CharterOut | None
    history: list[CharterVersionOut]


@router.get("/networks", response=list[NetworkOut], summary="List networks")
@paginate(NumberedPagination)
def network_list_endpoint(request: HttpRequest, filters: Query[NetworkFilterSchema]):
    """Listed networks matching the networks page's filters, page by page."""
    return network_list(viewer=viewer_of(request), filters=filters.to_filters())


@router.get("/networks/{slug}", response={200: NetworkDetailOut, 404: ErrorOut}, summary="One network")
def network_detail_endpoint(request: HttpRequest, slug: str):
    """One network (404 when unknown or not visible)."""
    return network_get(slug=slug, viewer=viewer_of(request))


@router.get("/networks/{slug}/members", response={200: list[MemberOut], 404: ErrorOut},
            summary="Members of a network")
@paginate(NumberedPagination)
def network_members_endpoint(request: HttpRequest, slug: str, filters: Query[MemberFilterSchema]):
    """Members of a network with role, status and signed charter version; other statuses for its coordinators."""
    viewer = viewer_of(request)
    network = network_get(slug=slug, viewer=viewer)
    return network_members(network=network, viewer=viewer, statuses=tuple(filters.status))


@router.get("/networks/{slug}/charter", response={200: CharterHistoryOut, 404: ErrorOut},
            summary="Charter of a network")
def network_charter_endpoint(request: HttpRequest, slug: str):
    """The current charter version and the history of versions."""
    network = network_get(slug=slug, viewer=viewer_of(request))
    versions = list(network_charter_versions(network=network))
    return {"current": versions[0] if versions else None, "history": versions}
