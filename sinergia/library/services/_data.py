"""What a contributor gives for a resource (ResourceData), checked and turned into the values stored."""

import re
from dataclasses import dataclass, field, fields
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from sinergia.core.languages import language_tag_clean
from sinergia.core.models import Concept
from sinergia.directory.models import Organisation
from sinergia.library.models import Creator, Resource
from sinergia.networks.models import Network

MAX_CREATORS = 200
MAX_RELATED = 50
DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:")


@dataclass(kw_only=True)
class CreatorData:
    """One creator: a person (family, given) or an organisation (organisation_name)."""

    family: str = ""
    given: str = ""
    organisation_name: str = ""
    role: str = Creator.Role.AUTHOR


@dataclass(kw_only=True)
class ResourceData:
    """Everything a contributor (or an imported citation) says about a resource."""

    kind: str
    title: str
    language: str
    abstract: str = ""
    creators: list[CreatorData] = field(default_factory=list)
    year: int | None = None
    month: int | None = None
    day: int | None = None
    publisher: str = ""
    place_published: str = ""
    container_title: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    edition: str = ""
    doi: str = ""
    isbn: str = ""
    url: str = ""
    licence: str = ""
    topics: list[Concept] = field(default_factory=list)
    networks: list[Network] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)
    original: Resource | None = None
    visibility: str = Resource.Visibility.PUBLIC


SCALAR_FIELDS = tuple(f.name for f in fields(ResourceData)
                      if f.name not in {"creators", "topics", "networks", "organisations"})


def doi_clean(value: str) -> str:
    """The bare DOI in lower case (DOIs are case-insensitive), or ValidationError."""
    doi = (value or "").strip()
    for prefix in DOI_PREFIXES:
        if doi.lower().startswith(prefix):
            doi = doi[len(prefix):]
    if doi and not DOI_RE.match(doi):
        raise ValidationError(_("“%(doi)s” is not a DOI (it starts with 10. and a slash follows the prefix).")
                              % {"doi": value[:100]}, code="invalid_doi")
    return doi.lower()


def isbn_clean(value: str) -> str:
    """The ISBN as 10 or 13 characters without hyphens, checked by its check digit, or ValidationError."""
    isbn = re.sub(r"[\s-]", "", value or "").upper()
    if isbn.startswith("ISBN"):
        isbn = isbn[4:].lstrip(":")
    if isbn and not _isbn_valid(isbn):
        raise ValidationError(_("“%(isbn)s” is not a valid ISBN-10 or ISBN-13.") % {"isbn": value[:40]},
                              code="invalid_isbn")
    return isbn


def _isbn_valid(isbn: str) -> bool:
    if len(isbn) == 13 and isbn.isdigit():
        return sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(isbn)) % 10 == 0
    if len(isbn) == 10 and isbn[:9].isdigit() and (isbn[9].isdigit() or isbn[9] == "X"):
        digits = [int(d) for d in isbn[:9]] + [10 if isbn[9] == "X" else int(isbn[9])]
        return sum((10 - i) * d for i, d in enumerate(digits)) % 11 == 0
    return False


def resource_data_clean(data: ResourceData) -> dict[str, Any]:
    """The checked scalar values of the resource; ValidationError maps each bad field to its message."""
    values = {name: getattr(data, name) for name in SCALAR_FIELDS}
    for name, value in values.items():
        if isinstance(value, str):
            values[name] = value.strip()
    errors: dict[str, list[str]] = {}
    for name, check in (("language", language_tag_clean), ("doi", doi_clean), ("isbn", isbn_clean),
                        ("url", _url_clean)):
        try:
            values[name] = check(values[name])
        except ValidationError as error:
            errors[name] = error.messages
    errors.update(_choice_errors(values))
    errors.update(_limit_errors(data))
    if errors:
        raise ValidationError(errors)
    return values


def _url_clean(value: str) -> str:
    if value:
        URLValidator(schemes=["http", "https"])(value)
    return value


def _choice_errors(values: dict[str, Any]) -> dict[str, list[str]]:
    errors = {}
    if not values["title"]:
        errors["title"] = [_("Give the title of the resource.")]
    if values["kind"] not in Resource.Kind.values:
        errors["kind"] = [_("Choose the kind of resource from the list.")]
    if values["visibility"] not in Resource.Visibility.values:
        errors["visibility"] = [_("Choose who may see the resource from the list.")]
    model = {f.name: f for f in Resource._meta.get_fields() if hasattr(f, "max_length")}
    for name, value in values.items():
        limit = getattr(model.get(name), "max_length", None)
        if isinstance(value, str) and limit and len(value) > limit:
            errors[name] = [_("At most %(limit)d characters.") % {"limit": limit}]
    return errors


def _limit_errors(data: ResourceData) -> dict[str, list[str]]:
    errors = {}
    if len(data.creators) > MAX_CREATORS:
        errors["creators"] = [_("At most %(limit)d creators.") % {"limit": MAX_CREATORS}]
    elif any(not (c.family.strip() or c.organisation_name.strip()) for c in data.creators):
        errors["creators"] = [_("Each creator needs a family name or the name of an organisation.")]
    elif any(len(c.family) > 255 or len(c.given) > 255 or len(c.organisation_name) > 500 for c in data.creators):
        errors["creators"] = [_("A creator's names are at most 255 characters (500 for an organisation).")]
    for name in ("topics", "networks", "organisations"):
        if len(getattr(data, name)) > MAX_RELATED:
            errors[name] = [_("At most %(limit)d.") % {"limit": MAX_RELATED}]
    if (data.month and not data.year) or (data.day and not data.month):
        errors["year"] = [_("Give the year before the month, and the month before the day.")]
    return errors
