"""What the editor's choosers offer and read: organisations by name, time zones, exception dates."""

import functools
import importlib.resources
import math
import re
from datetime import date
from zoneinfo import available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from sinergia.directory.models import Organisation
from sinergia.directory.selectors import SLUG_IN_BRACKETS, OrganisationFilters, organisation_find, organisation_list

MAX_EXCEPTIONS = 100
SUGGESTIONS = 20


def organisation_choice_label(organisation: Organisation) -> str:
    """How an organisation is written in the choosers: its name with its directory address, unambiguous."""
    return f"{organisation.name} ({organisation.slug})"


def organisation_suggestions(*, query: str, viewer, located: bool = False) -> QuerySet[Organisation]:
    """Listed organisations matching what was typed (by name or place), at most SUGGESTIONS of them."""
    query = SLUG_IN_BRACKETS.sub("", query or "").strip()[:100]
    if len(query) < 2:
        return Organisation.objects.none()
    organisations = organisation_list(viewer=viewer, filters=OrganisationFilters(q=query))
    if located:
        organisations = organisations.filter(latitude__isnull=False, longitude__isnull=False)
    return organisations.only("name", "slug", "municipality").order_by("name", "pk")[:SUGGESTIONS]


def find_organisation(text: str, *, viewer) -> Organisation:
    """The organisation written as "Name (slug)", as a slug or as its exact name; ValidationError otherwise."""
    return organisation_find(text, viewer=viewer)


@functools.cache
def _country_zones() -> dict[str, list[tuple[float, float, str]]]:
    """Each country's IANA zones with their reference coordinates, from the tz database's zone.tab."""
    zones: dict[str, list[tuple[float, float, str]]] = {}
    table = importlib.resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    for line in table.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        country, coordinates, name = line.split("\t")[:3]
        latitude, longitude = _iso6709(coordinates)
        zones.setdefault(country, []).append((latitude, longitude, name))
    return zones


def _iso6709(text: str) -> tuple[float, float]:
    """±DDMM[SS]±DDDMM[SS] as decimal degrees."""
    split = max(text.rfind("+"), text.rfind("-"))

    def degrees(part: str, width: int) -> float:
        sign = -1 if part[0] == "-" else 1
        digits = part[1:]
        whole, minutes, seconds = digits[:width], digits[width:width + 2], digits[width + 2:] or "0"
        return sign * (int(whole) + int(minutes) / 60 + int(seconds) / 3600)

    return degrees(text[:split], 2), degrees(text[split:], 3)


def default_timezone(organisation: Organisation | None) -> str:
    """The zone of the organisation's country nearest to it, else the site's default calendar zone."""
    country = (getattr(organisation, "country", "") or "").upper()
    zones = _country_zones().get(country, [])
    if not zones:
        return settings.CALENDAR_DEFAULT_TIMEZONE
    latitude, longitude = getattr(organisation, "latitude", None), getattr(organisation, "longitude", None)
    if latitude is None or longitude is None or len(zones) == 1:
        return zones[0][2]
    return min(zones, key=lambda zone: math.dist((zone[0], zone[1]), (latitude, longitude)))[2]


@functools.cache
def _timezone_names() -> tuple[str, ...]:
    return tuple(sorted(name for name in available_timezones() if "/" in name and not name.startswith("Etc/")))


def timezone_choices() -> list[tuple[str, str]]:
    """The IANA zones people pick from (Area/City), plus UTC."""
    return [("UTC", "UTC"), *((name, name.replace("_", " ")) for name in _timezone_names())]


def parse_exception_dates(text: str) -> list[date]:
    """Dates written as YYYY-MM-DD, separated by commas, spaces or lines; bounded in number."""
    words = [word for word in re.split(r"[\s,;]+", text or "") if word]
    if len(words) > MAX_EXCEPTIONS:
        raise ValidationError(_("Give at most %(max)d exception dates.") % {"max": MAX_EXCEPTIONS})
    days = []
    for word in words:
        try:
            days.append(date.fromisoformat(word))
        except ValueError:
            raise ValidationError(_("“%(value)s” is not a date: write it as YYYY-MM-DD.")
                                  % {"value": word[:40]}) from None
    return sorted(set(days))


