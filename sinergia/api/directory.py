"""Read endpoints of the directory: organisations, their pages' filters, and their map."""

from typing import Annotated

from django.http import HttpRequest, JsonResponse
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
    NetworkRef,
    OrganisationRef,
    Slug,
    enum_schema,
    one_of,
)
from sinergia.directory.models import Organisation
from sinergia.directory.selectors import (
    OrganisationFilters,
    organisation_cards,
    organisation_geojson,
    organisation_get,
    organisation_list,
    organisation_networks,
)

router = Router(tags=["organisations"])

KINDS = Organisation.Kind.values
OrganisationKind = Annotated[str | None, Blankable, one_of(KINDS), enum_schema(KINDS)]


class OrganisationFilterSchema(Schema):
    """The directory page's filters; concepts by notation, network by slug."""

    q: FilterText | None = Field(None, description="Free text: name, municipality or province.")
    kind: OrganisationKind = None
    region: Annotated[FilterText | None, Blankable] = None
    province: Annotated[FilterText | None, Blankable] = None
    country: Annotated[str | None, Blankable, Field(pattern=r"^[A-Za-z]{2}$")] = None
    theme: Annotated[Slug | None, Blankable] = None
    audience: Annotated[Slug | None, Blankable] = None
    category: Annotated[Slug | None, Blankable] = None
    network: Annotated[Slug | None, Blankable] = None

    def to_filters(self) -> OrganisationFilters:
        """The selector's filters, with the country code upper-cased as stored."""
        values = {key: value or "" for key, value in self.model_dump().items()}
        values["country"] = values["country"].upper()
        return OrganisationFilters(**values)


class OrganisationOut(OrganisationRef):
    """An organisation as listed."""

    kind: str
    kind_label: str
    municipality: str
    province: str
    region: str
    country: str
    latitude: float | None
    longitude: float | None
    website: str
    themes: list[ConceptOut]

    @staticmethod
    def resolve_kind_label(obj: Organisation) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_themes(obj: Organisation) -> list:
        return list(obj.themes.all())


class MembershipOfOut(Schema):
    """A network the organisation is an admitted member of, and its role there."""

    network: NetworkRef
    role: str


class OrganisationDetailOut(OrganisationOut):
    """An organisation with its description, contacts, concepts and networks."""

    description: str
    language: str
    languages: list[str]
    email: str
    phone: str
    address: str
    postcode: str
    locality: str
    audiences: list[ConceptOut]
    categories: list[ConceptOut]
    networks: list[MembershipOfOut]

    @staticmethod
    def resolve_audiences(obj: Organisation) -> list:
        return list(obj.audiences.all())

    @staticmethod
    def resolve_categories(obj: Organisation) -> list:
        return list(obj.categories.all())

    @staticmethod
    def resolve_networks(obj: Organisation) -> list:
        return list(organisation_networks(organisation=obj))


class FeatureCollectionOut(Schema):
    """A GeoJSON FeatureCollection; each feature's properties: name, url, kind."""

    type: str
    features: list[dict]


@router.get("/organisations", response=list[OrganisationOut], summary="List organisations")
@paginate(NumberedPagination)
def organisation_list_endpoint(request: HttpRequest, filters: Query[OrganisationFilterSchema]):
    """Listed organisations matching the directory's filters, page by page."""
    return organisation_cards(viewer=viewer_of(request), filters=filters.to_filters())


@router.get("/organisations.geojson", response=FeatureCollectionOut, summary="Organisations on a map (GeoJSON)")
def organisation_geojson_endpoint(request: HttpRequest, filters: Query[OrganisationFilterSchema]):
    """Every located organisation matching the filters, as one GeoJSON FeatureCollection."""
    queryset = organisation_list(viewer=viewer_of(request), filters=filters.to_filters())
    collection = organisation_geojson(queryset=queryset, base_url=f"{request.scheme}://{request.get_host()}")
    return JsonResponse(collection, content_type="application/geo+json")


@router.get("/organisations/{slug}", response={200: OrganisationDetailOut, 404: ErrorOut},
            summary="One organisation")
def organisation_detail_endpoint(request: HttpRequest, slug: str):
    """One listed organisation (404 when unknown or not visible)."""
    return organisation_get(slug=slug, viewer=viewer_of(request))
