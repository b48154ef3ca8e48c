"""The library API: search with facets, one resource, add a resource (and its file), with the pages' visibility."""

from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from ninja import File, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from pydantic import Field

from sinergia.api import refs
from sinergia.api.auth import token_auth, viewer_of
from sinergia.api.errors import ErrorOut, service_error
from sinergia.api.pagination import page_url
from sinergia.api.schemas import (
    ConceptOut,
    FilterText,
    NetworkRef,
    OrganisationRef,
    Slug,
    absolute,
    enum_schema,
    one_of,
)
from sinergia.core.models import Concept
from sinergia.library import selectors, services
from sinergia.library.models import Creator, Resource
from sinergia.library.search import SearchFilters, resource_search

router = Router(tags=["library"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
KINDS, VISIBILITIES, ROLES = Resource.Kind.values, Resource.Visibility.values, Creator.Role.values
MAX_RELATED, MAX_CREATORS, MAX_PAGE = 50, 200, 500
Text = Annotated[str, Field(max_length=255)]


class SearchSchema(Schema):
    """The library page's search: words, facet filters, page."""

    q: FilterText = Field("", description="Words in titles, abstracts, creators and full text; topic names in any "
                                          "language find resources on that topic in every language.")
    language: list[Annotated[str, Field(pattern=r"^[a-zA-Z]{2,8}$")]] = Field(
        default_factory=list, max_length=MAX_RELATED, description="Primary language subtags, e.g. it, en.")
    kind: list[Annotated[str, one_of(KINDS), enum_schema(KINDS)]] = Field(default_factory=list,
                                                                          max_length=MAX_RELATED)
    topic: list[Annotated[int, Field(ge=1)]] = Field(default_factory=list, max_length=MAX_RELATED,
                                                     description="Concept ids (as in the facets).")
    year: list[Annotated[int, Field(ge=1, le=2999)]] = Field(default_factory=list, max_length=MAX_RELATED)
    network: list[Annotated[int, Field(ge=1)]] = Field(default_factory=list, max_length=MAX_RELATED,
                                                       description="Network ids (as in the facets).")
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(20, ge=1, le=100)

    def to_filters(self) -> SearchFilters:
        """The selector's filters."""
        return SearchFilters(languages=[code.lower() for code in self.language], kinds=self.kind, topics=self.topic,
                             years=self.year, networks=self.network, my_languages=[])


class CreatorOut(Schema):
    role: str
    family: str
    given: str
    organisation_name: str


class ResourceOut(Schema):
    """A resource as listed."""

    id: int
    kind: str
    title: str
    language: str
    year: int | None
    creators: list[CreatorOut]
    topics: list[ConceptOut]
    organisation: OrganisationRef
    page: str = Field(description="The resource's page.")

    @staticmethod
    def resolve_page(obj: Resource, context: dict | None) -> str:
        path = reverse("library:resource_detail", args=[obj.pk])
        request = (context or {}).get("request")
        return request.build_absolute_uri(path) if request is not None else path


class ResourceDetailOut(ResourceOut):
    """One resource with all it says."""

    abstract: str
    month: int | None
    day: int | None
    publisher: str
    place_published: str
    container_title: str
    volume: str
    issue: str
    pages: str
    edition: str
    doi: str
    isbn: str
    url: str = Field(description="Its web address (a video, a website, the publisher's page).")
    licence: str
    visibility: str
    moderation: str
    networks: list[NetworkRef]
    original_id: int | None = Field(description="The resource this one translates (the group's original).")
    file_name: str
    file_type: str
    file_size: int | None
    text_status: str


class HitResourceOut(ResourceOut):
    """A resource as the search loaded it: creators and topics as lists (see library.search.selector._hits)."""

    @staticmethod
    def resolve_creators(obj: Any) -> list:
        return obj.creator_list

    @staticmethod
    def resolve_topics(obj: Any) -> list:
        return obj.topic_list


class HitOut(Schema):
    resource: HitResourceOut
    rank: float
    snippet: str = Field(description="HTML: the text around the words found, escaped, matches in <mark>.")
    matched_topics: list[ConceptOut]
    fuzzy: bool


class FacetOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class SearchOut(Schema):
    count: int = Field(description="How many resources match (estimated when `estimated`).")
    estimated: bool = Field(description="A broad search: `count` and the facets' counts are estimated from a "
                                        "sample, and the pages go through the best-ranked of the newest matches "
                                        "only (`reachable` of them).")
    reachable: int = Field(description="How many of the results the pages go through.")
    next: str | None
    previous: str | None
    items: list[HitOut]
    facets: dict[str, list[FacetOut]]


class CreatorIn(Schema):
    family: Text = ""
    given: Text = ""
    organisation_name: Annotated[str, Field(max_length=500)] = ""
    role: Annotated[str, one_of(ROLES), enum_schema(ROLES)] = Creator.Role.AUTHOR


class ResourceIn(Schema):
    """A new resource, on behalf of an organisation the requester belongs to."""

    organisation: Slug
    kind: Annotated[str, one_of(KINDS), enum_schema(KINDS)]
    title: Annotated[str, Field(min_length=1, max_length=500)]
    language: Annotated[str, Field(max_length=35, description="BCP 47 tag, e.g. it, en, pt-BR.")]
    abstract: Annotated[str, Field(max_length=20_000)] = ""
    creators: list[CreatorIn] = Field(default_factory=list, max_length=MAX_CREATORS)
    year: Annotated[int | None, Field(ge=1, le=2999)] = None
    month: Annotated[int | None, Field(ge=1, le=12)] = None
    day: Annotated[int | None, Field(ge=1, le=31)] = None
    publisher: Text = ""
    place_published: Text = ""
    container_title: Annotated[str, Field(max_length=500)] = ""
    volume: Annotated[str, Field(max_length=50)] = ""
    issue: Annotated[str, Field(max_length=50)] = ""
    pages: Annotated[str, Field(max_length=50)] = ""
    edition: Annotated[str, Field(max_length=50)] = ""
    doi: Text = ""
    isbn: Annotated[str, Field(max_length=40)] = ""
    url: Annotated[str, Field(max_length=1000)] = ""
    licence: Annotated[str, Field(max_length=100)] = ""
    topics: list[Slug] = Field(default_factory=list, max_length=MAX_RELATED, description="Topic notations.")
    networks: list[Slug] = Field(default_factory=list, max_length=MAX_RELATED)
    organisations: list[Slug] = Field(default_factory=list, max_length=MAX_RELATED,
                                      description="Organisations it concerns.")
    original: Annotated[int | None, Field(ge=1)] = Field(None, description="Id of the resource this translates.")
    visibility: Annotated[str, one_of(VISIBILITIES), enum_schema(VISIBILITIES)] = Resource.Visibility.PUBLIC


def _concept_json(concept: Concept) -> dict[str, str]:
    return {"notation": concept.notation, "label": concept.label}


def _hit_json(request: HttpRequest, hit: Any) -> dict[str, Any]:
    """A hit as HitOut describes it (written by hand: the search answers often, and validating every nested object
    as it is built costs more than the search's own Python; tests check the result against SearchOut)."""
    resource, organisation = hit.resource, hit.resource.organisation
    return {
        "resource": {
            "id": resource.pk, "kind": resource.kind, "title": resource.title, "language": resource.language,
            "year": resource.year,
            "creators": [{"role": creator.role, "family": creator.family, "given": creator.given,
                          "organisation_name": creator.organisation_name} for creator in hit.creators],
            "topics": [_concept_json(topic) for topic in hit.topics],
            "organisation": {"slug": organisation.slug, "name": organisation.name,
                             "url": absolute({"request": request}, "directory:detail", organisation.slug)},
            "page": request.build_absolute_uri(reverse("library:resource_detail", args=[resource.pk])),
        },
        "rank": hit.rank, "snippet": str(hit.snippet or ""),
        "matched_topics": [_concept_json(topic) for topic in hit.matched_concepts], "fuzzy": hit.fuzzy,
    }


@router.get("/library/resources", response={200: SearchOut, 422: ErrorOut}, summary="Search the library")
def resource_search_endpoint(request: HttpRequest, params: Query[SearchSchema]):
    """Resources the requester may see, ranked for the words (newest first without words), with facet counts."""
    result = resource_search(viewer=viewer_of(request), query=params.q, filters=params.to_filters(),
                             page=params.page, page_size=params.page_size)
    has_next = params.page * params.page_size < result.browsable and params.page < MAX_PAGE
    return JsonResponse({
        "count": result.total, "estimated": result.estimated, "reachable": result.browsable,
        "next": page_url(request, params.page + 1) if has_next else None,
        "previous": page_url(request, params.page - 1) if params.page > 1 else None,
        "items": [_hit_json(request, hit) for hit in result.hits],
        "facets": {name: [{"value": value.value, "label": str(value.label), "count": value.count,
                           "selected": value.selected} for value in values]
                   for name, values in result.facets.items()}})


@router.get("/library/resources/{resource_id}", response={200: ResourceDetailOut, **ERRORS}, summary="One resource")
def resource_detail_endpoint(request: HttpRequest, resource_id: int):
    """One resource the requester may see (404 otherwise)."""
    return selectors.resource_get_for(viewer=viewer_of(request), pk=resource_id)


def _topics(notations: list[str]) -> list[Concept]:
    found = {c.notation: c for c in Concept.objects.filter(scheme=Concept.Scheme.TOPIC, notation__in=notations)}
    missing = [notation for notation in notations if notation not in found]
    if missing:
        raise HttpError(422, ", ".join(missing))
    return [found[notation] for notation in dict.fromkeys(notations)]


def _data(request: HttpRequest, payload: ResourceIn) -> services.ResourceData:
    values = payload.model_dump(exclude={"organisation", "creators", "topics", "networks", "organisations",
                                         "original"})
    original = None
    if payload.original is not None:
        original = selectors.resource_by_reference(text=str(payload.original), viewer=request.user)
        if original is None:
            raise HttpError(422, "original")
    return services.ResourceData(
        **values, creators=[services.CreatorData(**c.model_dump()) for c in payload.creators],
        topics=_topics(payload.topics), networks=refs.networks(payload.networks),
        organisations=refs.organisations(payload.organisations), original=original)


@router.post("/library/resources", auth=token_auth, response={201: ResourceDetailOut, **ERRORS},
             summary="Add a resource")
def resource_create_endpoint(request: HttpRequest, payload: ResourceIn):
    """A new resource of an organisation the requester belongs to (new accounts' contributions await moderation)."""
    organisation = refs.organisation(payload.organisation)
    if not request.user.has_perm("library.add_resource", organisation):
        raise PermissionDenied
    try:
        resource = services.resource_create(organisation=organisation, by=request.user,
                                            data=_data(request, payload))
    except ValidationError as error:
        raise HttpError(400, service_error(error)) from error
    return Status(201, selectors.resource_get_for(viewer=request.user, pk=resource.pk))


@router.post("/library/resources/{resource_id}/file", auth=token_auth, response={200: ResourceDetailOut, **ERRORS},
             summary="Attach a file")
def resource_file_endpoint(request: HttpRequest, resource_id: int, file: File[UploadedFile]):
    """Attach (or replace) the resource's file: its content is checked and its text extracted in the background."""
    resource = selectors.resource_get_for(viewer=request.user, pk=resource_id, perm="library.change_resource")
    try:
        services.resource_file_replace(resource=resource, by=request.user, upload=file)
    except ValidationError as error:
        raise HttpError(400, service_error(error)) from error
    return selectors.resource_get_for(viewer=request.user, pk=resource.pk)


@router.delete("/library/resources/{resource_id}", auth=token_auth, response={204: None, **ERRORS},
               summary="Delete a resource")
def resource_delete_endpoint(request: HttpRequest, resource_id: int):
    """Delete a resource (harvesters see it as deleted)."""
    resource = selectors.resource_get_for(viewer=request.user, pk=resource_id, perm="library.delete_resource")
    services.resource_delete(resource=resource, by=request.user)
    return Status(204, None)
