"""Validation of one imported row: text cleaned, limits checked, coordinates and addresses checked."""

import math
import re
from collections.abc import Mapping
from functools import cache
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db.models import Field
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from sinergia.core.models import Concept
from sinergia.core.thesaurus import LANGUAGE_TAG_RE, normalise_label
from sinergia.directory.importers.types import CleanRow, RowInvalid
from sinergia.directory.models import Organisation

SINGLE_LINE_FIELDS = ("source_id", "name", "phone", "address", "postcode", "locality", "municipality", "province",
                      "region")
CONCEPT_FIELDS = {
    "categories": Concept.Scheme.CATEGORY,
    "themes": Concept.Scheme.THEME,
    "audiences": Concept.Scheme.AUDIENCE,
}
IMPORT_FIELDS = (*SINGLE_LINE_FIELDS, "kind", "description", "language", "website", "email", "country",
                 "latitude", "longitude", *CONCEPT_FIELDS)
# An over-long name or identifier is an error; any other over-long value is left empty with a warning.
REQUIRED_FIELDS = ("name", "source_id")
DESCRIPTION_MAX = 20_000
EMPTY_MARKERS = {"none", "null"}
# Placeholders some registers put where the coordinates are unknown.
SENTINEL_COORDINATES = {(100.0, 100.0), (0.0, 0.0)}
CONCEPT_SEPARATOR = "|"
MAX_CONCEPTS = 20
MAX_CONCEPT_LABEL = 200
SCHEME_RE = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
# "http//host", "http:/host" and "http://http://host" are frequent slips in registers.
SCHEME_TYPO_RE = re.compile(r"^(https?):?/+(?:https?:?/+)?", re.IGNORECASE)


def as_text(value: Any) -> str:
    """A source value as clean text: None, "None", "null" and blanks become ""."""
    text = "" if value is None else str(value)
    text = text.replace("\x00", "").strip()
    return "" if text.casefold() in EMPTY_MARKERS else text


def shorten(text: str, limit: int = 40) -> str:
    """Text quoted in a message, cut so that messages stay short."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _field(name: str) -> Field:
    return cast(Field, Organisation._meta.get_field(name))


def field_label(name: str) -> str:
    """The translated name of an organisation field."""
    return str(capfirst(_field(name).verbose_name))


def max_length(name: str) -> int:
    return _field(name).max_length or 0


def clean_row(values: Mapping[str, Any], *, line: int) -> CleanRow:
    """The row's model values, or RowInvalid listing every reason it cannot be imported."""
    reasons: list[str] = []
    row = CleanRow(line=line, fields={})
    for name in (*SINGLE_LINE_FIELDS, "description"):
        if name in values:
            row.fields[name] = _bounded_text(name, values[name], reasons if name in REQUIRED_FIELDS else row.warnings)
    if not as_text(values.get("name")):
        reasons.append(_("The name is missing."))
    row.source_id = row.fields.pop("source_id", "")
    _clean_contacts(values, row)
    _clean_codes(values, row, reasons)
    _clean_coordinates(values, row, reasons)
    _clean_concepts(values, row, reasons)
    if reasons:
        raise RowInvalid(reasons)
    return row


def _bounded_text(name: str, value: Any, problems: list[str]) -> str:
    """The text of a field; over its limit, a problem (an error for the name, else a warning) and left empty."""
    text = as_text(value)
    if name != "description":
        text = " ".join(text.split())
    limit = DESCRIPTION_MAX if name == "description" else max_length(name)
    if len(text) > limit:
        problems.append(_("%(field)s is %(length)s characters long; at most %(limit)s are allowed.")
                        % {"field": field_label(name), "length": len(text), "limit": limit}
                        + ("" if name in REQUIRED_FIELDS else " " + _("It was left empty.")))
        return ""
    return text


def _clean_contacts(values: Mapping[str, Any], row: CleanRow) -> None:
    """Web address and e-mail: a bad one is left out with a warning, the row is still imported."""
    if "website" in values:
        row.fields["website"] = _website(as_text(values["website"]), row.warnings)
    if "email" in values:
        email = as_text(values["email"])
        try:
            if email:
                EmailValidator()(email)
        except ValidationError:
            row.warnings.append(_("“%(value)s” is not an e-mail address; the e-mail was left empty.")
                                % {"value": shorten(email)})
            email = ""
        row.fields["email"] = email


def _website(text: str, warnings: list[str]) -> str:
    """The first valid http(s) address of the text (sources list several, or forget the scheme)."""
    if not text:
        return ""
    for part in re.split(r"[\s;,]+", text):
        candidate = SCHEME_TYPO_RE.sub(r"\1://", part.rstrip(".:/")) + ("/" if part.endswith("/") else "")
        candidate = candidate if SCHEME_RE.match(candidate) else f"http://{candidate}"
        if _is_web_address(candidate):
            return candidate
    warnings.append(_("“%(value)s” is not a web address; the website was left empty.") % {"value": shorten(text)})
    return ""


def _is_web_address(candidate: str) -> bool:
    try:
        URLValidator(schemes=["http", "https"])(candidate)
    except ValidationError:
        return False
    return len(candidate) <= max_length("website")


def _clean_codes(values: Mapping[str, Any], row: CleanRow, reasons: list[str]) -> None:
    """Kind, country and language: codes that must be valid."""
    if kind := as_text(values.get("kind")):
        code = kind_codes().get(normalise_label(kind))
        if code is None:
            reasons.append(_("“%(value)s” is not a kind of organisation; use one of: %(kinds)s.")
                           % {"value": shorten(kind), "kinds": ", ".join(Organisation.Kind.values)})
        row.fields["kind"] = code
    if country := as_text(values.get("country")):
        if not (len(country) == 2 and country.isascii() and country.isalpha()):
            reasons.append(_("“%(value)s” is not a two-letter ISO 3166 country code.") % {"value": shorten(country)})
        row.fields["country"] = country.upper()
    if language := as_text(values.get("language")):
        if not (len(language) <= 16 and LANGUAGE_TAG_RE.match(language)):
            reasons.append(_("“%(value)s” is not a language tag such as it or pt-BR.") % {"value": shorten(language)})
        row.fields["language"] = language


@cache
def kind_codes() -> dict[str, str]:
    """Every kind under its code and its name in each language of the site."""
    codes = {normalise_label(code): code for code in Organisation.Kind.values}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            codes.update((normalise_label(str(label)), code) for code, label in Organisation.Kind.choices)
    return codes


def _clean_coordinates(values: Mapping[str, Any], row: CleanRow, reasons: list[str]) -> None:
    if "latitude" not in values and "longitude" not in values:
        return
    texts = {name: as_text(values.get(name)) for name in ("latitude", "longitude")}
    if not any(texts.values()):
        row.fields.update(latitude=None, longitude=None)
        return
    if not all(texts.values()):
        reasons.append(_("Latitude and longitude must be given together, or both left empty."))
        return
    numbers = {name: _number(name, text, reasons) for name, text in texts.items()}
    latitude, longitude = numbers["latitude"], numbers["longitude"]
    if latitude is None or longitude is None:
        return
    if (latitude, longitude) in SENTINEL_COORDINATES:
        row.warnings.append(_("The coordinates %(lat)s, %(lon)s are a placeholder; imported without a location.")
                            % {"lat": shorten(texts["latitude"]), "lon": shorten(texts["longitude"])})
        latitude = longitude = None
    elif not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        reasons.append(_("The coordinates %(lat)s, %(lon)s are out of range (latitude −90…90, longitude −180…180).")
                       % {"lat": shorten(texts["latitude"]), "lon": shorten(texts["longitude"])})
    row.fields.update(latitude=latitude, longitude=longitude)


def _number(name: str, text: str, reasons: list[str]) -> float | None:
    """A decimal number, with a point or a decimal comma; None (and a reason) if it is not one."""
    candidate = text.replace(",", ".") if text.count(",") == 1 and "." not in text else text
    try:
        number = float(candidate)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        reasons.append(_("%(field)s “%(value)s” is not a number.")
                       % {"field": field_label(name), "value": shorten(text)})
        return None
    return number


def _clean_concepts(values: Mapping[str, Any], row: CleanRow, reasons: list[str]) -> None:
    """Themes, audiences and categories: labels separated by a vertical bar."""
    for relation in CONCEPT_FIELDS:
        if relation not in values:
            continue
        parts = as_text(values[relation]).split(CONCEPT_SEPARATOR)
        labels = [label for label in map(as_text, parts) if label]
        if len(labels) > MAX_CONCEPTS or any(len(label) > MAX_CONCEPT_LABEL for label in labels):
            reasons.append(_("%(field)s: at most %(count)s labels of at most %(limit)s characters each.")
                           % {"field": field_label(relation), "count": MAX_CONCEPTS, "limit": MAX_CONCEPT_LABEL})
        row.concepts[relation] = list(dict.fromkeys(labels))
