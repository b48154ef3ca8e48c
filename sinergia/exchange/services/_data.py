"""What a publisher gives for an offer or a need (ListingData), checked and turned into the values stored."""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import langcodes
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergia.core.countries import country_codes
from sinergia.core.models import Concept
from sinergia.directory.models import Organisation
from sinergia.exchange.models import MAX_RADIUS_KM, MIN_RADIUS_KM, Listing

MAX_CATEGORIES = 5
MAX_LANGUAGES = 10
MAX_PLACES = 20
MAX_PLACE_NAME = 120
DEFAULT_VALIDITY_DAYS = 90
MAX_VALIDITY_DAYS = 365
TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(kw_only=True)
class ListingData:
    """Everything a publisher says about an offer or a need."""

    side: str
    kind: str
    title: str
    description: str = ""
    categories: list[Concept] = field(default_factory=list)
    area: str = Listing.Area.RADIUS
    latitude: float | None = None
    longitude: float | None = None
    radius_km: float | None = None
    regions: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    available_from: date | None = None
    available_until: date | None = None
    expires_on: date | None = None
    conditions: str = Listing.Conditions.FREE
    conditions_note: str = ""
    visibility: str = Listing.Visibility.PUBLIC


def plain_text(value: Any, *, label: str, limit: int, required: bool = False, multiline: bool = False) -> str:
    """A plain text field: no control characters, no HTML tags, within its limit; clear errors otherwise."""
    text = CONTROL.sub("", str(value or "")).strip()
    if not multiline:
        text = " ".join(text.split())
    if required and not text:
        raise ValidationError(_("Please fill in the %(field)s.") % {"field": label}, code="required")
    if TAG.search(text):
        raise ValidationError(_("The %(field)s is plain text: remove the HTML tags (such as <b> or <script>).")
                              % {"field": label}, code="html")
    if len(text) > limit:
        raise ValidationError(_("The %(field)s is too long: %(length)d characters, at most %(limit)d.")
                              % {"field": label, "length": len(text), "limit": limit}, code="too_long")
    return text


def markdown_text(value: Any, *, label: str, limit: int) -> str:
    """A Markdown field: raw HTML is allowed in, and dropped when rendered (sinergia.core.text.render_markdown)."""
    text = CONTROL.sub("", str(value or "")).strip()
    if len(text) > limit:
        raise ValidationError(_("The %(field)s is too long: %(length)d characters, at most %(limit)d.")
                              % {"field": label, "length": len(text), "limit": limit}, code="too_long")
    return text


def _choice(value: str, choices: Any, message: str) -> str:
    if value not in choices.values:
        raise ValidationError(message, code="invalid_choice")
    return value


def _languages(tags: list[str]) -> list[str]:
    if len(tags) > MAX_LANGUAGES:
        raise ValidationError(_("List at most %(count)d languages.") % {"count": MAX_LANGUAGES})
    cleaned = []
    for tag in tags:
        tag = str(tag).strip().replace("_", "-")
        if not tag:
            continue
        if len(tag) > 35 or not langcodes.tag_is_valid(tag) or tag.lower() in {"und", "zxx", "mul"}:
            raise ValidationError(_("“%(tag)s” is not a known language code: use codes such as it, en or fr.")
                                  % {"tag": tag[:35]}, code="invalid_language")
        cleaned.append(str(langcodes.standardize_tag(tag)))
    return list(dict.fromkeys(cleaned))


def _categories(concepts: list[Concept]) -> list[Concept]:
    concepts = list({concept.pk: concept for concept in concepts}.values())
    if not concepts:
        raise ValidationError(_("Choose at least one category."), code="required")
    if len(concepts) > MAX_CATEGORIES:
        raise ValidationError(_("Choose at most %(count)d categories.") % {"count": MAX_CATEGORIES})
    if any(concept.scheme != Concept.Scheme.SERVICE for concept in concepts):
        raise ValidationError(_("Categories are the services of the thesaurus."), code="invalid_category")
    return concepts


def _places(values: list[str], *, limit: int, label: str) -> list[str]:
    if len(values) > MAX_PLACES:
        raise ValidationError(_("List at most %(count)d %(field)s.") % {"count": MAX_PLACES, "field": label})
    cleaned = [plain_text(value, label=label, limit=limit) for value in values]
    return list(dict.fromkeys(value for value in cleaned if value))


def _countries(values: list[str]) -> list[str]:
    codes = [code.upper() for code in _places(values, limit=2, label=_("countries"))]
    unknown = [code for code in codes if code not in country_codes()]
    if unknown:
        raise ValidationError(_("Use two-letter ISO 3166 country codes, e.g. IT, FR or DE (not %(codes)s).")
                              % {"codes": ", ".join(unknown)}, code="invalid_country")
    return codes


def _radius(value: float | None) -> int:
    if value is None:
        raise ValidationError(_("Give the radius of the area served, in km."), code="required")
    if not MIN_RADIUS_KM <= value <= MAX_RADIUS_KM:
        raise ValidationError(_("The radius must be between %(min)d and %(max)d km.")
                              % {"min": MIN_RADIUS_KM, "max": MAX_RADIUS_KM}, code="radius_range")
    return round(value)


def _point(data: ListingData, organisation: Organisation) -> tuple[float | None, float | None]:
    """The place: the point given, else the organisation's; half a point is an error."""
    if (data.latitude is None) != (data.longitude is None):
        raise ValidationError(_("Give both the latitude and the longitude of the place, or neither."))
    if data.latitude is None:
        return organisation.latitude, organisation.longitude
    if not (-90 <= data.latitude <= 90 and -180 <= float(data.longitude or 0) <= 180):
        raise ValidationError(_("The place is not on the map: latitude from -90 to 90, longitude from -180 to 180."))
    return data.latitude, data.longitude


def area_values(data: ListingData, organisation: Organisation) -> dict[str, Any]:
    """The area served, checked: a radius around a place, regions or countries, or remote."""
    area = _choice(data.area or "", Listing.Area, _("Choose the area served: a distance around a place, regions "
                                                    "or countries, or remotely."))
    latitude, longitude = _point(data, organisation)
    values: dict[str, Any] = {"area": area, "latitude": latitude, "longitude": longitude, "radius_km": None,
                              "regions": [], "countries": []}
    if area == Listing.Area.RADIUS:
        values["radius_km"] = _radius(data.radius_km)
        if latitude is None:
            raise ValidationError(_("Pick the place on the map: a distance is measured from a place."))
    elif area == Listing.Area.REGIONS:
        values["regions"] = _places(data.regions, limit=MAX_PLACE_NAME, label=_("regions"))
        values["countries"] = _countries(data.countries)
        if not (values["regions"] or values["countries"]):
            raise ValidationError(_("List the regions or the countries served."), code="required")
    return values


def date_values(data: ListingData, *, today: date) -> dict[str, Any]:
    """Availability and expiry, checked: in order, not past, expiring within a year."""
    expires_on = data.expires_on or today + timedelta(days=DEFAULT_VALIDITY_DAYS)
    errors: dict[str, list[str]] = {}
    if expires_on < today:
        errors["expires_on"] = [_("The expiry date is in the past: choose a date from today on.")]
    elif expires_on > today + timedelta(days=MAX_VALIDITY_DAYS):
        errors["expires_on"] = [_("An offer or a need expires within a year at most; it can be renewed.")]
    if data.available_until is not None and data.available_until < today:
        errors["available_until"] = [_("This date is in the past.")]
    if data.available_from and data.available_until and data.available_until < data.available_from:
        errors["available_until"] = [_("The end of the availability comes before its start.")]
    if errors:
        raise ValidationError(errors)
    return {"available_from": data.available_from, "available_until": data.available_until,
            "expires_on": expires_on}


FIELD_CHECKS = (
    ("side", lambda d, o: _choice(d.side, Listing.Side, _("Say whether this is an offer or a need."))),
    ("kind", lambda d, o: _choice(d.kind, Listing.Kind, _("Choose the kind of offer or need."))),
    ("title", lambda d, o: plain_text(d.title, label=_("title"), limit=200, required=True)),
    ("description", lambda d, o: markdown_text(d.description, label=_("description"), limit=5000)),
    ("conditions", lambda d, o: _choice(d.conditions, Listing.Conditions, _("Choose the conditions."))),
    ("conditions_note", lambda d, o: plain_text(d.conditions_note, label=_("note on the conditions"), limit=500)),
    ("visibility", lambda d, o: _choice(d.visibility, Listing.Visibility, _("Choose who sees it."))),
    ("languages", lambda d, o: _languages(d.languages)),
    ("categories", lambda d, o: _categories(d.categories)),
)


def listing_data_clean(data: ListingData, organisation: Organisation) -> dict[str, Any]:
    """The values to store (categories included), or a ValidationError with every problem by field."""
    values: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    for name, check in FIELD_CHECKS:
        try:
            values[name] = check(data, organisation)
        except ValidationError as error:
            errors[name] = error.messages
    for part in (lambda: area_values(data, organisation), lambda: date_values(data, today=timezone.localdate())):
        try:
            values.update(part())
        except ValidationError as error:
            errors.update(error.message_dict if hasattr(error, "error_dict") else {"area": error.messages})
    if errors:
        raise ValidationError(errors)
    values["place_region"], values["place_country"] = organisation.region, organisation.country
    return values
