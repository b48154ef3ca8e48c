"""The free-date finder: which days around a place are quietest, as a month-by-month heat map."""

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

from sinergia.calendar.forms_planning import FinderPlace, FreeDateForm, Where
from sinergia.calendar.selectors import Crowding, calendar_facets, day_crowding
from sinergia.directory.models import Organisation
from sinergia.directory.selectors import organisations_of

RESULTS_TARGET = "finder-results"
LEVEL_LABELS = {0: _("free"), 1: _("quiet"), 2: _("fairly busy"), 3: _("busy"), 4: _("very busy")}
# The selector names the radius `radius_km`; the form calls it `radius`.
SELECTOR_FIELDS = {"radius_km": "radius"}


@dataclass(frozen=True)
class HeatCell:
    """One day of the heat map: its count, level (0–4) in words, and whether it is among the suggested days."""

    day: date
    count: int
    level: int
    level_label: str
    suggested: bool


@dataclass(frozen=True)
class HeatMonth:
    """A month of the range as weeks of seven cells (None outside the range)."""

    first: date
    weeks: list[list[HeatCell | None]]


@dataclass(frozen=True)
class QuietDay:
    """A suggested day, with its count and where to create an event that day."""

    day: date
    count: int
    create_url: str


def free_dates(request: HttpRequest) -> HttpResponse:
    """The finder's form and, once it names a place, the heat map; htmx asks for the results alone."""
    mine = list(organisations_of(user=request.user))
    form = _bound_form(request, [o for o in mine if o.latitude is not None and o.longitude is not None])
    crowding = _crowding(request, form) if form.is_bound and form.is_valid() else None
    results_only = _wants_results_only(request)
    context = {"form": form, "weekdays": _weekdays(), "results_only": results_only,
               "level_labels": [(level, str(label)) for level, label in LEVEL_LABELS.items()]}
    if crowding is not None:
        place: FinderPlace = form.cleaned_data["place"]
        target = _event_organisation(request, place, mine)
        context.update(place=place, crowding=crowding, months=heat_months(crowding),
                       quiet_days=_quiet_days(crowding, target), target=target)
    template = "calendar/_heatmap.html" if results_only else "calendar/free_dates.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


def _bound_form(request: HttpRequest, located: list[Organisation]) -> FreeDateForm:
    """The form bound to the query string; a first visit runs the default search when it has a place."""
    facets = calendar_facets()
    choices = {"audiences": [(c.notation, c.label) for c in facets.audiences],
               "themes": [(c.notation, c.label) for c in facets.themes], "networks": facets.networks}
    defaults = FreeDateForm.defaults(my_organisations=located)
    data = request.GET or (defaults if defaults["where"] == Where.ORGANISATION else None)
    return FreeDateForm(data, viewer=request.user, my_organisations=located, initial=defaults, **choices)


def _crowding(request: HttpRequest, form: FreeDateForm) -> Crowding | None:
    """The selector's answer for the form's search, or None with its objections on the form."""
    values, place = form.cleaned_data, form.cleaned_data["place"]
    try:
        return day_crowding(viewer=request.user, start=values["start"], end=values["end"], latitude=place.latitude,
                            longitude=place.longitude, radius_km=values["radius"], audience=values["audience"],
                            theme=values["theme"], network=values["network"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            name = SELECTOR_FIELDS.get(field, field)
            form.add_error(name if name in form.fields else None, messages)
    return None


def heat_months(crowding: Crowding, first_weekday: int | None = None) -> list[HeatMonth]:
    """The days of the range laid out month by month in weeks, starting on the locale's first weekday."""
    weekday = _first_weekday() if first_weekday is None else first_weekday
    quiet = set(crowding.quietest)
    cells = {d.day: HeatCell(day=d.day, count=d.count, level=d.level, level_label=str(LEVEL_LABELS[d.level]),
                             suggested=d.day in quiet) for d in crowding.days}
    months = []
    for year, month in dict.fromkeys((day.year, day.month) for day in cells):
        weeks = calendar.Calendar(weekday).monthdatescalendar(year, month)
        rows = [[cells.get(day) if day.month == month else None for day in week] for week in weeks]
        months.append(HeatMonth(first=date(year, month, 1), weeks=[row for row in rows if any(row)]))
    return months


def _first_weekday() -> int:
    """The locale's first day of the week, as Python counts (Monday is 0; Django's format counts Sunday as 0)."""
    return (int(get_format("FIRST_DAY_OF_WEEK")) - 1) % 7


def _weekdays() -> list[tuple[str, str]]:
    """(abbreviation, full name) of the weekdays in the order of the heat map's columns."""
    first = _first_weekday()
    return [(str(WEEKDAYS_ABBR[(first + i) % 7]), str(WEEKDAYS[(first + i) % 7])) for i in range(7)]


def _event_organisation(request: HttpRequest, place: FinderPlace, mine: Sequence[Organisation]) -> Organisation | None:
    """For whom the suggested days' links create an event: the place searched when I edit it, else my first."""
    user = request.user
    if place.organisation is not None and user.has_perm("calendar.add_event", place.organisation):
        return place.organisation
    return next((o for o in mine if user.has_perm("calendar.add_event", o)), None)


def _quiet_days(crowding: Crowding, target: Organisation | None) -> list[QuietDay]:
    counts = {d.day: d.count for d in crowding.days}
    base = reverse("calendar:event_create", kwargs={"slug": target.slug}) if target else ""
    return [QuietDay(day=day, count=counts[day], create_url=f"{base}?date={day.isoformat()}" if base else "")
            for day in crowding.quietest]


def _wants_results_only(request: HttpRequest) -> bool:
    """True for htmx's requests that swap the results (not for history restores)."""
    return (request.headers.get("HX-Request") == "true" and request.headers.get("HX-Target") == RESULTS_TARGET
            and not request.headers.get("HX-History-Restore-Request"))
