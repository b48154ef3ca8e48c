"""Schemas shared by the routers: concepts, short references to organisations and networks."""

from collections.abc import Iterable
from typing import Annotated, Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema

from sinergia.core.models import Concept


def blank_to_none(value: Any) -> Any:
    """An empty query parameter (`?kind=`) means no filter, as on the pages."""
    return None if value == "" else value


Blankable = BeforeValidator(blank_to_none)


def one_of(values: Iterable[str]) -> AfterValidator:
    """Pydantic metadata: an optional value must be one of `values` (a 422 otherwise)."""
    allowed = tuple(values)

    def check(value: str | None) -> str | None:
        if value is not None and value not in allowed:
            raise ValueError(f"must be one of: {', '.join(allowed)}")
        return value

    return AfterValidator(check)


def enum_schema(values: Iterable[str]) -> WithJsonSchema:
    """Pydantic metadata: document the parameter as an inline enum (no shared component name to clash)."""
    return WithJsonSchema({"type": "string", "enum": list(values)})


Slug = Annotated[str, Field(max_length=120, pattern=r"^[-a-zA-Z0-9_]+$")]
FilterText = Annotated[str, Field(max_length=200)]


class ConceptOut(Schema):
    """A thesaurus concept, labelled in the request's language."""

    notation: str
    label: str

    @staticmethod
    def resolve_label(obj: Concept) -> str:
        return obj.label


class OrganisationRef(Schema):
    """An organisation, named and linked."""

    slug: str
    name: str
    url: str

    @staticmethod
    def resolve_url(obj, context) -> str:
        return absolute(context, "directory:detail", obj.slug)


class NetworkRef(Schema):
    """A network, named and linked."""

    slug: str
    name: str
    url: str

    @staticmethod
    def resolve_url(obj, context) -> str:
        return absolute(context, "networks:detail", obj.slug)


def absolute(context: dict | None, name: str, slug: str) -> str:
    """The absolute URL of the page `name` of the object with this slug."""
    path = reverse(name, kwargs={"slug": slug})
    request: HttpRequest | None = (context or {}).get("request")
    return request.build_absolute_uri(path) if request is not None else path


class MemberRef(Schema):
    """The member of a network: an organisation or another network."""

    type: str = Field(description="`organisation` or `network`.")
    slug: str
    name: str
    url: str


def member_ref(membership, context: dict | None) -> dict:
    """The member of a membership as a MemberRef."""
    if membership.organisation_id:
        member, kind, page = membership.organisation, "organisation", "directory:detail"
    else:
        member, kind, page = membership.member_network, "network", "networks:detail"
    return {"type": kind, "slug": member.slug, "name": member.name, "url": absolute(context, page, member.slug)}
