"""Writes of organisations: create, update, logo."""

import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sinergia.core.geo import validate_latitude, validate_longitude
from sinergia.core.images import validate_image
from sinergia.core.models import Concept
from sinergia.core.services import audit_record
from sinergia.directory.models import Organisation, OrganisationMember
from sinergia.directory.rules import forget_cached_roles
from sinergia.directory.services.common import clean_text, require_perm

EDITABLE_FIELDS = frozenset({
    "name", "kind", "description", "language", "languages", "website", "email", "phone", "address", "postcode",
    "locality", "municipality", "province", "region", "country", "latitude", "longitude",
})
CONCEPT_FIELDS = {
    "themes": Concept.Scheme.THEME,
    "audiences": Concept.Scheme.AUDIENCE,
    "categories": Concept.Scheme.CATEGORY,
}
# Paths of the directory's own pages, which an organisation's slug must not shadow.
RESERVED_SLUGS = frozenset({"map", "geojson", "export", "import", "new", "invitations", "claims"})
LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
MAX_LANGUAGES = 20


@transaction.atomic
def organisation_create(
    *, by: Any, name: str, kind: str, logo: UploadedFile | None = None, **fields: Any
) -> Organisation:
    """Create an organisation with a unique slug; its creator becomes its first administrator."""
    require_perm(by, "directory.add_organisation")
    concepts = _pop_concepts(fields)
    organisation = Organisation(created_by=by)
    _assign(organisation, {"name": name, "kind": kind, **fields})
    _validate(organisation, concepts)
    organisation.slug = organisation_unique_slug(name=organisation.name, municipality=organisation.municipality)
    organisation.save()
    _set_concepts(organisation, concepts)
    OrganisationMember.objects.create(organisation=organisation, user=by, role=OrganisationMember.Role.ADMIN)
    forget_cached_roles(by)
    if logo is not None:
        _store_logo(organisation, logo)
    audit_record(actor=by, action="directory.organisation_created", target=organisation)
    return organisation


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, by: Any, logo: UploadedFile | None = None, **fields: Any
) -> Organisation:
    """Change an organisation's profile (and logo); on a rejected change the object is left as stored."""
    require_perm(by, "directory.change_organisation", organisation)
    concepts = _pop_concepts(fields)
    try:
        _assign(organisation, fields)
        _validate(organisation, concepts)
        if logo is not None:
            validate_logo(logo)
    except ValidationError:
        organisation.refresh_from_db()
        raise
    organisation.save()
    _set_concepts(organisation, concepts)
    if logo is not None:
        _store_logo(organisation, logo)
    audit_record(actor=by, action="directory.organisation_updated", target=organisation,
                 data={"fields": sorted([*fields, *concepts])})
    return organisation


@transaction.atomic
def organisation_set_logo(*, organisation: Organisation, by: Any, logo: UploadedFile) -> Organisation:
    """Replace the organisation's logo with an uploaded image (PNG, JPEG, GIF or WebP, at most 2 MB)."""
    require_perm(by, "directory.change_organisation", organisation)
    _store_logo(organisation, logo)
    audit_record(actor=by, action="directory.logo_changed", target=organisation)
    return organisation


def organisation_unique_slug(*, name: str, municipality: str = "") -> str:
    """A free slug for a name: the name, then name-municipality, then name-2, name-3…"""
    base = slugify(name)[:100].strip("-") or "organisation"
    taken = set(Organisation.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    taken |= RESERVED_SLUGS
    candidates = [base]
    if municipality and slugify(municipality) not in base:
        candidates.append(f"{base}-{slugify(municipality)}"[:115].strip("-"))
    for candidate in candidates:
        if candidate not in taken:
            return candidate
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def validate_logo(logo: UploadedFile) -> str:
    """Check that the upload is a PNG, JPEG, GIF or WebP image within the size limit; return its extension."""
    return validate_image(logo, field="logo", max_bytes=settings.LOGO_MAX_BYTES,
                          too_large=_("The logo is %(size)s; a logo may be at most %(limit)s."))


def _store_logo(organisation: Organisation, logo: UploadedFile) -> None:
    extension = validate_logo(logo)
    old_name = organisation.logo.name
    storage = organisation.logo.storage
    organisation.logo.save(f"{organisation.slug}.{extension}", logo, save=False)
    organisation.save(update_fields=["logo", "updated_at"])
    if old_name and old_name != organisation.logo.name:
        transaction.on_commit(lambda: storage.delete(old_name))


def _assign(organisation: Organisation, fields: dict[str, Any]) -> None:
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Fields that cannot be set on an organisation: {', '.join(sorted(unknown))}")
    for field, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(organisation, field, value)
    organisation.country = (organisation.country or "").upper()
    organisation.languages = _clean_languages(organisation.languages)


def _clean_languages(languages: Any) -> Any:
    if isinstance(languages, str):
        languages = [part.strip() for part in re.split(r"[,\s]+", languages) if part.strip()]
    return languages


def _validate(organisation: Organisation, concepts: dict[str, list[Concept]]) -> None:
    errors: dict[str, list] = {}
    try:
        organisation.full_clean(exclude=["slug", "latitude", "longitude", "country", "logo"], validate_unique=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    for check in (_check_description, _check_coordinates, _check_country, _check_languages, _check_duplicate):
        try:
            check(organisation)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, messages)  # one clear message per field is enough
    for field, chosen in concepts.items():
        if any(concept.scheme != CONCEPT_FIELDS[field] for concept in chosen):
            errors.setdefault(field, []).append(_("Choose only concepts of the right kind."))
    if errors:
        raise ValidationError(errors)


def _check_description(organisation: Organisation) -> None:
    organisation.description = clean_text(organisation.description, model=Organisation, field="description")


def _check_coordinates(organisation: Organisation) -> None:
    errors = {}
    for field, validator in (("latitude", validate_latitude), ("longitude", validate_longitude)):
        value = getattr(organisation, field)
        try:
            value = None if value in (None, "") else float(value)
            validator(value)
            setattr(organisation, field, value)
        except (TypeError, ValueError):
            errors[field] = _("Enter a number.")
        except ValidationError as error:
            errors[field] = error.messages[0]
    latitude, longitude = organisation.latitude, organisation.longitude
    if not errors and (latitude is None) != (longitude is None):
        errors["latitude" if latitude is None else "longitude"] = _("Give both latitude and longitude, or neither.")
    if errors:
        raise ValidationError(errors)


def _check_country(organisation: Organisation) -> None:
    if not re.fullmatch(r"[A-Z]{2}", organisation.country):
        raise ValidationError({"country": _("Use the two-letter ISO 3166 code of the country, e.g. IT or FR.")})


def _check_languages(organisation: Organisation) -> None:
    languages = organisation.languages
    if not isinstance(languages, list) or len(languages) > MAX_LANGUAGES:
        raise ValidationError({"languages": _("List at most %(count)d language codes.") % {"count": MAX_LANGUAGES}})
    bad = [str(tag) for tag in languages if not isinstance(tag, str) or not LANGUAGE_TAG.match(tag)]
    if bad:
        raise ValidationError({"languages": _("These are not language codes: %(codes)s. Use codes such as it, en, "
                                              "fr or pt-BR.") % {"codes": ", ".join(bad[:5])}})


def _check_duplicate(organisation: Organisation) -> None:
    same = Organisation.objects.filter(name__iexact=organisation.name, municipality__iexact=organisation.municipality)
    if organisation.name and same.exclude(pk=organisation.pk).exists():
        where = organisation.municipality or _("the directory")
        raise ValidationError({"name": _("An organisation called “%(name)s” is already listed in %(where)s. If it is "
                                         "yours, claim it instead of creating it again.")
                               % {"name": organisation.name, "where": where}})


def _pop_concepts(fields: dict[str, Any]) -> dict[str, list[Concept]]:
    """Take the concept fields out of `fields`; concepts may be given as objects or notations."""
    chosen: dict[str, list[Concept]] = {}
    for field in CONCEPT_FIELDS:
        if field in fields:
            chosen[field] = _resolve_concepts(fields.pop(field) or ())
    return chosen


def _resolve_concepts(values: Iterable[Concept | str]) -> list[Concept]:
    values = list(values)
    notations = [value for value in values if isinstance(value, str)]
    concepts = [value for value in values if isinstance(value, Concept)]
    if notations:
        found = list(Concept.objects.filter(notation__in=notations))
        missing = set(notations) - {concept.notation for concept in found}
        if missing:
            raise ValidationError(_("Unknown concepts: %(notations)s.") % {"notations": ", ".join(sorted(missing))})
        concepts += found
    return concepts


def _set_concepts(organisation: Organisation, concepts: dict[str, list[Concept]]) -> None:
    for field, chosen in concepts.items():
        getattr(organisation, field).set(chosen)
