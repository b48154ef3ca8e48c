"""What a funding call says, checked: texts, deadline in its time zone, amounts, and eligibility someone can meet."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergia.calendar.ics.zones import iana_zone
from sinergia.core.countries import country_codes
from sinergia.core.languages import language_tag_clean
from sinergia.core.models import Concept
from sinergia.desk.models import FundingCall
from sinergia.directory.models import Organisation

MAX_KINDS, MAX_COUNTRIES, MAX_REGIONS, MAX_TOPICS = 12, 60, 40, 20
REGION_MAX_CHARS = 120
AMOUNT_MAX = Decimal("999999999999.99")  # FundingCall's 14 digits, 2 of them decimals
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CURRENCY = re.compile(r"[A-Z]{3}")
_check_url = URLValidator(schemes=["http", "https"])


@dataclass
class CallData:
    """A call's fields as a form or the API gives them; dates are wall times of `time_zone` (or aware)."""

    title: str
    funder: str
    summary: str
    language: str
    deadline: datetime | None
    time_zone: str = "Europe/Rome"
    programme: str = ""
    eligible_kinds: list[str] = field(default_factory=list)
    eligible_countries: list[str] = field(default_factory=list)
    eligible_regions: list[str] = field(default_factory=list)
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    currency: str = "EUR"
    co_financing_percent: int | None = None
    opens_at: datetime | None = None
    topics: list[Concept] = field(default_factory=list)
    url: str = ""


def _text(value: Any, name: str, *, required: bool = False, multiline: bool = False) -> str:
    """A text without control characters, within the model field's length (HTML is kept: pages escape it)."""
    text = _CONTROL.sub("", str(value or "")).strip()
    if not multiline:
        text = " ".join(text.split())
    model_field = FundingCall._meta.get_field(name)
    assert isinstance(model_field, models.Field)
    limit = model_field.max_length
    if required and not text:
        raise ValidationError(_("Please fill in the %(field)s.") % {"field": model_field.verbose_name})
    if limit and len(text) > limit:
        raise ValidationError(_("The %(field)s is too long: %(length)d characters, at most %(limit)d.")
                              % {"field": model_field.verbose_name, "length": len(text), "limit": limit})
    return text


def _zone(name: str) -> ZoneInfo:
    zone = iana_zone(name)
    if zone is None:
        raise ValidationError(_("“%(zone)s” is not a time zone: choose one such as Europe/Rome or Europe/Brussels.")
                              % {"zone": str(name)[:64]})
    return zone


def local_to_utc(value: datetime, zone: ZoneInfo) -> datetime:
    """A wall time of the zone (or an aware time) in UTC; ValidationError for a time the clocks skip."""
    if value.tzinfo is not None:
        return value.astimezone(UTC)
    aware = value.replace(tzinfo=zone)
    if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != value:
        raise ValidationError(_("%(time)s does not exist in %(zone)s: the clocks skip that hour. Choose another "
                                "time.") % {"time": value.strftime("%Y-%m-%d %H:%M"), "zone": zone.key})
    return aware.astimezone(UTC)


def _url(value: str) -> str:
    text = _text(value, "url")
    if text:
        _check_url(text)
    return text


def _amount(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    amount = Decimal(str(value))
    if not amount.is_finite() or amount < 0:
        raise ValidationError(_("An amount cannot be negative."))
    if amount > AMOUNT_MAX:
        raise ValidationError(_("An amount must be less than a thousand billion."))
    return amount.quantize(Decimal("0.01"))


def _currency(value: str) -> str:
    code = (value or "").strip().upper()
    if not _CURRENCY.fullmatch(code):
        raise ValidationError(_("Give the currency as its three-letter ISO 4217 code, e.g. EUR or CHF."))
    return code


def _co_financing(value: Any) -> int | None:
    if value in (None, ""):
        return None
    if not 0 <= int(value) <= 100:
        raise ValidationError(_("The co-financing is a percentage between 0 and 100."))
    return int(value)


def _codes(values: list[str], *, known: frozenset[str] | set[str], limit: int, upper: bool) -> list[str]:
    """Distinct codes in the order given; ValidationError naming the unknown ones."""
    if len(values) > limit:
        raise ValidationError(_("Choose at most %(limit)d.") % {"limit": limit})
    codes = list(dict.fromkeys((str(v).strip().upper() if upper else str(v).strip()) for v in values if str(v).strip()))
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise ValidationError(_("Unknown: %(codes)s.") % {"codes": ", ".join(f"“{c[:40]}”" for c in unknown[:10])})
    return codes


def _kinds(values: list[str]) -> list[str]:
    try:
        return _codes(values, known=set(Organisation.Kind.values), limit=MAX_KINDS, upper=False)
    except ValidationError as error:
        raise ValidationError(_("%(error)s Choose among the kinds of organisation of the directory.")
                              % {"error": " ".join(error.messages)}) from error


def _countries(values: list[str]) -> list[str]:
    try:
        return _codes(values, known=country_codes(), limit=MAX_COUNTRIES, upper=True)
    except ValidationError as error:
        raise ValidationError(_("%(error)s Use two-letter ISO 3166 country codes, e.g. IT, FR or DE.")
                              % {"error": " ".join(error.messages)}) from error


def _topics(values: list[Concept]) -> list[Concept]:
    if len(values) > MAX_TOPICS:
        raise ValidationError(_("Choose at most %(limit)d topics.") % {"limit": MAX_TOPICS})
    if any(concept.scheme != Concept.Scheme.TOPIC for concept in values):
        raise ValidationError(_("Choose only topics of the thesaurus."))
    return list(dict.fromkeys(values))


def _region_places(names: list[str]) -> dict[str, set[tuple[str, str, str]]]:
    """For each region name asked (case-folded): the (spelling, country, kind) of the listed organisations there."""
    matching = Q()
    for name in names:
        matching |= Q(region__iexact=name)
    rows = (Organisation.objects.filter(matching, is_active=True).order_by()
            .values_list("region", "country", "kind").distinct())
    places: dict[str, set[tuple[str, str, str]]] = {}
    for region, country, kind in rows:
        places.setdefault(region.casefold(), set()).add((region, country, kind))
    return places


def _region_problem(name: str, rows: set[tuple[str, str, str]], countries: list[str], kinds: list[str]) -> str:
    """Why nobody could apply from this region ("" when somebody can)."""
    if not rows:
        return _("There is no region “%(region)s” in the directory.") % {"region": name}
    in_countries = {row for row in rows if not countries or row[1] in countries}
    if not in_countries:
        return _("“%(region)s” is not a region of %(countries)s.") % {"region": name,
                                                                      "countries": ", ".join(countries)}
    if kinds and not any(row[2] in kinds for row in in_countries):
        labels = ", ".join(str(Organisation.Kind(kind).label).lower() for kind in kinds)
        return _("No organisation of the eligible kinds (%(kinds)s) is in “%(region)s”: nobody could apply.") % {
            "kinds": labels, "region": name}
    return ""


def _regions(values: list[str], countries: list[str], kinds: list[str]) -> list[str]:
    """The regions in the directory's spelling; ValidationError for regions nobody eligible is in."""
    names = list(dict.fromkeys(" ".join(str(v).split()) for v in values if str(v).strip()))
    if len(names) > MAX_REGIONS or any(len(name) > REGION_MAX_CHARS for name in names):
        raise ValidationError(_("Give at most %(limit)d regions of at most %(chars)d characters each.")
                              % {"limit": MAX_REGIONS, "chars": REGION_MAX_CHARS})
    places = _region_places(names) if names else {}
    problems = [_region_problem(name, places.get(name.casefold(), set()), countries, kinds) for name in names]
    if any(problems):
        raise ValidationError([problem for problem in problems if problem])
    return list(dict.fromkeys(sorted(places[name.casefold()])[0][0] for name in names))


def _checked(errors: dict[str, list[str]], name: str, check: Callable[[], Any]) -> Any:
    """The value `check` returns, or None with its messages gathered under the field's name."""
    try:
        return check()
    except ValidationError as error:
        errors.setdefault(name, []).extend(error.messages)
    except (ArithmeticError, ValueError, TypeError):
        errors.setdefault(name, []).append(_("Enter a number."))
    return None


def _dates(data: CallData, errors: dict[str, list[str]], *, require_future: bool) -> dict[str, Any]:
    """Opening and deadline in UTC: the deadline after the opening, and in the future when it must be."""
    zone = _checked(errors, "time_zone", lambda: _zone(data.time_zone))
    if zone is None:
        return {}
    if data.deadline is None:
        errors.setdefault("deadline", []).append(_("Give the deadline of the call."))
        return {}
    deadline = _checked(errors, "deadline", lambda: local_to_utc(data.deadline, zone))  # type: ignore[arg-type]
    opening = data.opens_at
    opens_at = _checked(errors, "opens_at", lambda: local_to_utc(opening, zone)) if opening else None
    if deadline and require_future and deadline <= timezone.now():
        errors.setdefault("deadline", []).append(_("The deadline has passed: a published call needs a deadline in "
                                                   "the future."))
    if deadline and opens_at and opens_at >= deadline:
        errors.setdefault("opens_at", []).append(_("The call must open before its deadline."))
    return {"time_zone": zone.key, "deadline": deadline, "opens_at": opens_at}


def _amounts(data: CallData, errors: dict[str, list[str]]) -> dict[str, Any]:
    low = _checked(errors, "amount_min", lambda: _amount(data.amount_min))
    high = _checked(errors, "amount_max", lambda: _amount(data.amount_max))
    if low is not None and high is not None and low > high:
        errors.setdefault("amount_max", []).append(_("The maximum amount must not be less than the minimum."))
    return {"amount_min": low, "amount_max": high, "currency": _checked(errors, "currency",
                                                                         lambda: _currency(data.currency)),
            "co_financing_percent": _checked(errors, "co_financing_percent",
                                             lambda: _co_financing(data.co_financing_percent))}


def _eligibility(data: CallData, errors: dict[str, list[str]]) -> dict[str, Any]:
    kinds = _checked(errors, "eligible_kinds", lambda: _kinds(list(data.eligible_kinds or [])))
    countries = _checked(errors, "eligible_countries", lambda: _countries(list(data.eligible_countries or [])))
    regions = _checked(errors, "eligible_regions",
                       lambda: _regions(list(data.eligible_regions or []), countries or [], kinds or []))
    return {"eligible_kinds": kinds, "eligible_countries": countries, "eligible_regions": regions}


def call_data_clean(data: CallData, *, require_future: bool) -> dict[str, Any]:
    """The model's values of the call (topics under "topics"); ValidationError listing every field to correct."""
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {
        "title": _checked(errors, "title", lambda: _text(data.title, "title", required=True)),
        "funder": _checked(errors, "funder", lambda: _text(data.funder, "funder", required=True)),
        "programme": _checked(errors, "programme", lambda: _text(data.programme, "programme")),
        "summary": _checked(errors, "summary", lambda: _text(data.summary, "summary", required=True,
                                                             multiline=True)),
        "language": _checked(errors, "language", lambda: language_tag_clean(data.language)),
        "url": _checked(errors, "url", lambda: _url(data.url)),
        "topics": _checked(errors, "topics", lambda: _topics(list(data.topics or []))),
        **_dates(data, errors, require_future=require_future),
        **_amounts(data, errors),
        **_eligibility(data, errors),
    }
    if errors:
        raise ValidationError(errors)
    return values
