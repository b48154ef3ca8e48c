"""The calendar's browsing pages: month, week, list and map of any filter, the map's GeoJSON and an event's page.

Every page reads the same filters and keeps them when switching view; what each viewer sees is decided by the
selectors. The filter form refreshes the results live with htmx (it picks them out of the same page) and works as
a plain GET form without JavaScript.
"""

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from sinergia.calendar.describe import describe_recurrence
from sinergia.calendar.export.jsonld import event_jsonld
from sinergia.calendar.filters import MAX_RANGE, EventFilterForm, EventFilters
from sinergia.calendar.grid import (
    Grid,
    build_grid,
    day_list,
    local_span,
    locale_first_weekday,
    month_span,
    parse_day,
    parse_month,
    shift_month,
    week_span,
    zone_named,
)
from sinergia.calendar.models import Event, Occurrence
from sinergia.calendar.selectors import calendar_facets, event_get, occurrence_list
from sinergia.calendar.selectors.browse import (
    LISTED_FIELDS,
    CalendarSubject,
    calendar_subject,
    event_upcoming,
    occurrences_by_day,
)
from sinergia.calendar.selectors.geo import occurrence_geojson

MONTH_PER_DAY = 4  # occurrences a month's day cell lists before "+N more"
WEEK_PER_DAY = 25
LIST_PAGE_SIZE = 50
DEFAULT_DAYS = 30  # the list and the map show the next 30 days unless a date range is chosen
UPCOMING_SHOWN = 12
_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Browse:
    """What every browsing page reads from the request: the filters and the local calendar."""

    form: EventFilterForm
    filters: EventFilters
    zone: tzinfo
    today: date
    first_weekday: int


def _browse(request: HttpRequest) -> Browse:
    form = EventFilterForm(request.GET)
    return Browse(form=form, filters=form.filters(), zone=timezone.get_current_timezone(),
                  today=timezone.localdate(), first_weekday=locale_first_weekday())


def calendar_month(request: HttpRequest) -> HttpResponse:
    """A month (?month=YYYY-MM) as weeks of days, each with its first occurrences and a link to the others."""
    browse = _browse(request)
    month = parse_month(request.GET.get("month")) or browse.today.replace(day=1)
    if moved := _into_range(month, shift_month(month, 1) - _DAY, browse.filters):
        month = moved.replace(day=1)
    month_last = shift_month(month, 1) - _DAY
    first, last = month_span(month, browse.first_weekday)
    grid = _grid(request, browse, first, last, period=(month, month_last), per_day=MONTH_PER_DAY)
    context = {
        "grid": grid, "is_empty": not any(day.total for day in grid.days), "month": month,
        "weekday_names": _weekday_names(grid), "period": ("month", f"{month:%Y-%m}"),
        "previous_url": _url("month", browse.filters, month=f"{shift_month(month, -1):%Y-%m}"),
        "next_url": _url("month", browse.filters, month=f"{shift_month(month, 1):%Y-%m}"),
        "current_url": _url("month", browse.filters, month=f"{browse.today:%Y-%m}"),
    }
    return _render(request, browse, "month", (month, month_last), context)


def calendar_week(request: HttpRequest) -> HttpResponse:
    """The week holding ?week=YYYY-MM-DD, day by day."""
    browse = _browse(request)
    first, last = week_span(parse_day(request.GET.get("week")) or browse.today, browse.first_weekday)
    if moved := _into_range(first, last, browse.filters):
        first, last = week_span(moved, browse.first_weekday)
    grid = _grid(request, browse, first, last, period=(first, last), per_day=WEEK_PER_DAY)
    context = {
        "grid": grid, "first": first, "last": last, "period": ("week", first.isoformat()),
        "previous_url": _url("week", browse.filters, week=(first - timedelta(days=7)).isoformat()),
        "next_url": _url("week", browse.filters, week=(first + timedelta(days=7)).isoformat()),
        "current_url": _url("week", browse.filters, week=browse.today.isoformat()),
    }
    return _render(request, browse, "week", (first, last), context)


def calendar_list(request: HttpRequest) -> HttpResponse:
    """The occurrences of the date range (the next 30 days by default) under their day, a page at a time."""
    browse = _browse(request)
    first, last = _date_range(browse)
    occurrences = _occurrences(request, browse, first, last).only(*LISTED_FIELDS)
    page = Paginator(occurrences, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    length = timedelta(days=(last - first).days + 1)
    context = {
        "page": page, "first": first, "last": last, "querystring": browse.filters.to_query(),
        "days": day_list(items=page.object_list, first_day=first, today=browse.today, zone=browse.zone,
                         zone_of=_event_zone),
        "previous_url": _url("list", dataclasses.replace(browse.filters, start=first - length, end=first - _DAY)),
        "next_url": _url("list", dataclasses.replace(browse.filters, start=last + _DAY, end=last + length)),
        "current_url": _url("list", dataclasses.replace(browse.filters, start=None, end=None)),
    }
    return _render(request, browse, "list", (first, last), context)


def calendar_map(request: HttpRequest) -> HttpResponse:
    """The located events of the date range (the next 30 days by default) on a map, from the GeoJSON feed."""
    browse = _browse(request)
    first, last = _date_range(browse)
    ranged = dataclasses.replace(browse.filters, start=first, end=last)
    context = {"first": first, "last": last, "geojson_url": _url("geojson", ranged), "list_url": _url("list", ranged)}
    return _render(request, browse, "map", (first, last), context)


def calendar_geojson(request: HttpRequest) -> JsonResponse:
    """The map's data: one feature per located event of the filters and date range, at its next occurrence."""
    browse = _browse(request)
    occurrences = _occurrences(request, browse, *_date_range(browse))
    base_url = request.build_absolute_uri("/").rstrip("/")
    return JsonResponse(occurrence_geojson(occurrences=occurrences, base_url=base_url),
                        content_type="application/geo+json")


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An event: when, where, what, its next occurrences, schema.org data, and the editors' actions."""
    event = event_get(pk=pk, viewer=request.user)
    zone = zone_named(event.timezone)
    url = request.build_absolute_uri(reverse("calendar:event", kwargs={"pk": event.pk}))
    upcoming, upcoming_total = event_upcoming(event=event, now=timezone.now(), limit=UPCOMING_SHOWN)
    context = {
        "event": event, "when": local_span(event.start, event.end, all_day=event.all_day, zone=zone),
        "recurrence": describe_recurrence(rrule=event.rrule, start=event.start, timezone=event.timezone,
                                          extra_dates=len(event.rdates), excluded_dates=len(event.exdates)),
        "upcoming": [(occurrence, _occurrence_span(occurrence, zone)) for occurrence in upcoming],
        "upcoming_total": upcoming_total,
        "jsonld": event_jsonld(event=event, url=url, image_url=_image_url(request, event)),
        "booking_url": event.booking_url if event.booking_url.startswith(("https://", "http://")) else "",
        "can_edit": request.user.has_perm("calendar.change_event", event),
        "organisation_calendar_url": _url("month", EventFilters(organisation=event.organisation.slug)),
        "feeds": _feed_links(request, EventFilters(organisation=event.organisation.slug)),
    }
    return render(request, "calendar/event_detail.html", context)


def _into_range(first: date, last: date, filters: EventFilters) -> date | None:
    """The day to show instead when the days from `first` to `last` are all outside the filters' date range."""
    if filters.start and last < filters.start:
        return filters.start
    if filters.end and first > filters.end:
        return filters.end
    return None


def _date_range(browse: Browse) -> tuple[date, date]:
    """The days the list and the map show: the filters' range, completed to 30 days from today (or its end)."""
    start, end = browse.filters.start, browse.filters.end
    if start is None:
        start = browse.today if end is None or end >= browse.today else end - timedelta(days=DEFAULT_DAYS - 1)
        if end is not None:
            start = max(start, end - MAX_RANGE)
    return start, end or start + timedelta(days=DEFAULT_DAYS - 1)


def _instants(browse: Browse, first: date, last: date) -> tuple[datetime, datetime]:
    """Local midnight of `first` and local midnight after `last`."""
    return (datetime.combine(first, time.min, tzinfo=browse.zone),
            datetime.combine(last + _DAY, time.min, tzinfo=browse.zone))


def _occurrences(request: HttpRequest, browse: Browse, first: date, last: date) -> QuerySet[Occurrence]:
    """The viewer's occurrences of the filters overlapping the local days from `first` to `last`."""
    start, end = _instants(browse, first, last)
    return occurrence_list(viewer=request.user, filters=browse.filters, start=start, end=end)


def _grid(request: HttpRequest, browse: Browse, first: date, last: date, *, period: tuple[date, date],
          per_day: int) -> Grid:
    """The days from `first` to `last` with the first `per_day` occurrences of each and how many there are."""
    start, end = _instants(browse, first, last)
    short, long = (occurrence_list(viewer=request.user, filters=browse.filters, start=start, end=end, length=length)
                   for length in ("short", "long"))
    sample = occurrences_by_day(occurrences=short, long_occurrences=long, zone=browse.zone, start=start, end=end,
                                per_day=per_day)
    return build_grid(first_day=first, last_day=last, items=sample.occurrences, today=browse.today,
                      zone=browse.zone, period=period, per_day=per_day, first_weekday=browse.first_weekday,
                      unlisted=sample.unlisted, zone_of=_event_zone)


def _render(request: HttpRequest, browse: Browse, view: str, period: tuple[date, date],
            context: dict[str, Any]) -> HttpResponse:
    """A browsing page with what all of them show: heading, filters, views of the same filters, feeds."""
    filters = browse.filters
    subject = calendar_subject(filters=filters)
    facets = calendar_facets()
    common = {
        "view": view, "form": browse.form, "filters": filters, "facets": facets, "subject": subject,
        "network_options": _network_options(facets.networks, filters.network, subject.network),
        "heading": _heading(subject), "action": reverse(f"calendar:{view}"),
        "day_query": dataclasses.replace(filters, start=None, end=None).to_query(),
        "views": _view_links(browse, view, period), "feeds": _feed_links(request, filters),
    }
    return render(request, f"calendar/{view}.html", {**common, **context})


def _network_options(networks: list[tuple[str, str]], slug: str, name: str) -> list[tuple[str, str]]:
    """The networks to choose from; the chosen one too when it has no public events (a network-only calendar)."""
    if name and slug not in {option for option, _label in networks}:
        return sorted([*networks, (slug, name)], key=lambda option: option[1].casefold())
    return networks


def _heading(subject: CalendarSubject) -> str:
    if subject.network and subject.organisation:
        return _("Events of %(organisation)s in the calendar of %(network)s") % {
            "organisation": subject.organisation, "network": subject.network}
    if subject.network:
        return _("Calendar of %(network)s") % {"network": subject.network}
    if subject.organisation:
        return _("Calendar of %(organisation)s") % {"organisation": subject.organisation}
    return _("Calendar")


def _view_links(browse: Browse, view: str, period: tuple[date, date]) -> list[dict[str, Any]]:
    """The month, week, list and map of the same filters around the period shown (today if it is in it)."""
    filters = browse.filters
    inside = [day for day in (browse.today, filters.start) if day and period[0] <= day <= period[1]]
    anchor = inside[0] if inside else period[0]
    ranged = filters if (filters.start or filters.end) else dataclasses.replace(filters, start=anchor, end=period[1])
    links = (
        ("month", _("Month"), _url("month", filters, month=f"{anchor:%Y-%m}")),
        ("week", _("Week"), _url("week", filters, week=anchor.isoformat())),
        ("list", _("List"), _url("list", ranged)),
        ("map", _("Map"), _url("map", ranged)),
    )
    return [{"name": name, "label": label, "url": url, "current": name == view} for name, label, url in links]


def _feed_links(request: HttpRequest, filters: EventFilters) -> dict[str, str]:
    """The feeds and widget of the filters: iCalendar (also as webcal://), RSS, widget and embedding snippet."""
    query = filters.to_query()
    suffix = f"?{query}" if query else ""
    ics = request.build_absolute_uri(reverse("calendar:feed_ics")) + suffix
    return {
        "ics": ics, "webcal": "webcal://" + ics.split("://", 1)[1],
        "rss": request.build_absolute_uri(reverse("calendar:feed_rss")) + suffix,
        "widget": reverse("calendar:widget") + suffix, "embed": reverse("calendar:embed") + suffix,
    }


def _url(view: str, filters: EventFilters, **extra: str) -> str:
    """A calendar page's address with the filters and the extra parameters (month, week)."""
    query = "&".join(part for part in (filters.to_query(), urlencode(extra)) if part)
    return reverse(f"calendar:{view}") + (f"?{query}" if query else "")


def _weekday_names(grid: Grid) -> list[tuple[str, str]]:
    """The columns' weekdays, short and long, in the user's language."""
    return [(str(WEEKDAYS_ABBR[day]), str(WEEKDAYS[day])) for day in grid.weekdays]


def _event_zone(occurrence: Occurrence) -> tzinfo:
    """The time zone of an occurrence's event: an all-day event's days are days there."""
    return zone_named(occurrence.event.timezone)


def _occurrence_span(occurrence: Occurrence, zone: tzinfo):
    return local_span(occurrence.start, occurrence.end, all_day=occurrence.all_day, zone=zone)


def _image_url(request: HttpRequest, event: Event) -> str:
    return request.build_absolute_uri(event.image.url) if event.image else ""
