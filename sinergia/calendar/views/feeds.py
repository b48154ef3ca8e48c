"""Feeds and embedding: an event's .ics, the iCalendar and RSS feeds of any filter, private feeds, the widget."""

import dataclasses
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_POST, require_safe

from sinergia.calendar import services
from sinergia.calendar.export import event_url_builder
from sinergia.calendar.export.ics import calendar_chunks
from sinergia.calendar.export.ics import event_ics as event_ics_bytes
from sinergia.calendar.export.rss import RSS_ITEMS, occurrence_when, occurrences_rss
from sinergia.calendar.filters import EventFilterForm, EventFilters
from sinergia.calendar.models import Event, FeedToken, Occurrence
from sinergia.calendar.occurrences import horizon
from sinergia.calendar.rules import viewer_network_ids
from sinergia.calendar.selectors import event_feed, event_get, occurrence_list
from sinergia.networks.selectors import network_list

ICS_TYPE = "text/calendar; charset=utf-8"
RSS_TYPE = "application/rss+xml; charset=utf-8"
FEED_MAX_AGE = 15 * 60  # seconds calendar apps and caches may keep a feed
FEED_HISTORY_DAYS = 30  # a feed without dates starts this long ago, so recent past events stay in calendars
WIDGET_ITEMS, WIDGET_MAX_ITEMS = 10, 50


class InvalidFilters(Exception):
    """The query string has filters that do not fit; the message lists them, one per line."""


def _filters(request: HttpRequest) -> EventFilters:
    """The filters of the query string, as the pages read them; InvalidFilters when one does not fit."""
    form = EventFilterForm(request.GET)
    if not form.is_valid():
        lines = [f"{form.fields[name].label if name in form.fields else name}: {' '.join(map(str, errors))}"
                 for name, errors in form.errors.items()]
        raise InvalidFilters("\n".join(lines))
    return form.filters()


def _feed_window(filters: EventFilters) -> EventFilters:
    """The filters with the feed's default dates: from 30 days ago to the end of the horizon."""
    start = filters.start or timezone.localdate() - timedelta(days=FEED_HISTORY_DAYS)
    end = filters.end or timezone.localdate(horizon()[1])
    return dataclasses.replace(filters, start=start, end=max(end, start))


def _bad_filters(error: InvalidFilters) -> HttpResponse:
    return HttpResponseBadRequest(_("These filters cannot be used:") + f"\n{error}\n",
                                  content_type="text/plain; charset=utf-8")


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _inline(response: HttpResponse | StreamingHttpResponse, filename: str) -> None:
    response["Content-Disposition"] = f'inline; filename="{filename}"'


def _calendar_response(request: HttpRequest, *, viewer, filters: EventFilters, name: str,
                       filename: str) -> StreamingHttpResponse:
    """The events of the filters that the viewer may see, streamed as iCalendar."""
    events = event_feed(viewer=viewer, filters=_feed_window(filters))
    chunks = calendar_chunks(events, name=name, base_url=_base_url(request), language=get_language())
    response = StreamingHttpResponse(chunks, content_type=ICS_TYPE)
    _inline(response, filename)
    return response


def feed_name(filters: EventFilters) -> str:
    """The calendar's name as apps show it: Sinergia and the filters it shows."""
    category = dict(Event.Category.choices).get(filters.category, "")
    parts = [filters.q, filters.region, filters.province, filters.network, filters.organisation, str(category),
             filters.audience, filters.theme, _("free entry") if filters.free else ""]
    described = " · ".join(part for part in parts if part)
    return f"Sinergia · {described}" if described else _("Sinergia calendar")


@require_safe
def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """One event as an .ics file, for anyone who may see it."""
    event = event_get(pk=pk, viewer=request.user)
    response = HttpResponse(event_ics_bytes(event, base_url=_base_url(request)), content_type=ICS_TYPE)
    _inline(response, f"sinergia-event-{event.pk}.ics")
    public = event.visibility == Event.Visibility.PUBLIC and event.status != Event.Status.DRAFT
    patch_cache_control(response, **({"public": True} if public else {"private": True}), max_age=FEED_MAX_AGE)
    return response


@require_safe
def feed_ics(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The public events of the filters as an iCalendar feed (30 days back to the horizon unless dated)."""
    try:
        filters = _filters(request)
    except InvalidFilters as error:
        return _bad_filters(error)
    response = _calendar_response(request, viewer=AnonymousUser(), filters=filters, name=feed_name(filters),
                                  filename="sinergia-calendar.ics")
    patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
    return response


@require_safe
def private_feed_ics(request: HttpRequest, token: str) -> HttpResponse | StreamingHttpResponse:
    """The feed as the token's owner sees it (with their networks' events); 404 for a token that is not in use."""
    owner = get_object_or_404(FeedToken.objects.select_related("user"), token=token, user__is_active=True).user
    try:
        filters = _filters(request)
    except InvalidFilters as error:
        return _bad_filters(error)
    response = _calendar_response(request, viewer=owner, filters=filters, name=feed_name(filters),
                                  filename="sinergia-private.ics")
    patch_cache_control(response, private=True, max_age=FEED_MAX_AGE)
    # The URL is a secret: not for search engines, not to be passed on by links.
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _upcoming(filters: EventFilters, limit: int) -> list[Occurrence]:
    """The next public occurrences of the filters (those under way included), at most `limit`."""
    now = timezone.now()
    end = horizon(now)[1]
    return list(occurrence_list(viewer=AnonymousUser(), filters=filters, start=now, end=end)[:limit])


@require_safe
def feed_rss(request: HttpRequest) -> HttpResponse:
    """The next 200 public occurrences of the filters as RSS 2.0."""
    try:
        filters = _filters(request)
    except InvalidFilters as error:
        return _bad_filters(error)
    links = feed_links(request, filters)
    body = occurrences_rss(occurrences=_upcoming(filters, RSS_ITEMS), title=feed_name(filters), link=links["list"],
                           description=_("What is on, from the shared calendar of Sinergia."), feed_url=links["rss"],
                           base_url=_base_url(request), language=get_language())
    response = HttpResponse(body, content_type=RSS_TYPE)
    patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
    return response


def feed_links(request: HttpRequest, filters: EventFilters, *, token: str = "") -> dict[str, str]:
    """Absolute addresses of the filters' feeds: .ics, webcal://, RSS, widget, embed page and list page."""
    query = filters.to_query()
    suffix = f"?{query}" if query else ""

    def absolute(name: str, **kwargs: str) -> str:
        return request.build_absolute_uri(reverse(f"calendar:{name}", kwargs=kwargs)) + suffix

    ics = absolute("private_feed_ics", token=token) if token else absolute("feed_ics")
    return {"ics": ics, "webcal": webcal_url(ics), "rss": absolute("feed_rss"), "widget": absolute("widget"),
            "embed": absolute("embed"), "list": absolute("list")}


def webcal_url(url: str) -> str:
    """The same address with the webcal:// scheme, which opens the subscription in a calendar app."""
    return "webcal://" + url.split("://", 1)[-1]


def _widget_limit(request: HttpRequest) -> int:
    try:
        return min(max(int(request.GET.get("limit", WIDGET_ITEMS)), 1), WIDGET_MAX_ITEMS)
    except ValueError:
        return WIDGET_ITEMS


@xframe_options_exempt
@require_safe
def widget(request: HttpRequest) -> HttpResponse:
    """A compact list of the next public events of the filters, made to be framed by other sites."""
    try:
        filters = _filters(request)
    except InvalidFilters as error:
        return _bad_filters(error)
    occurrences = _upcoming(filters, _widget_limit(request))
    event_url = event_url_builder(_base_url(request))
    items = [{"occurrence": o, "event": o.event, "when": occurrence_when(o), "url": event_url(o.event_id)}
             for o in occurrences]
    context = {"items": items, "links": feed_links(request, filters), "title": feed_name(filters)}
    response = render(request, "calendar/widget.html", context)
    patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
    return response


def embed_snippet(widget_url: str, title: str) -> str:
    """The HTML another site pastes to show the widget (plain text here: the page escapes it to show it)."""
    attributes = f'src="{escape(widget_url)}" title="{escape(title)}" width="100%" height="480" loading="lazy"'
    return f"<iframe {attributes}></iframe>"


@require_safe
def embed(request: HttpRequest) -> HttpResponse:
    """The widget's snippet to copy and the subscription links for the current filters."""
    form = EventFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "calendar/embed.html", {"form": form}, status=400)
    filters = form.filters()
    links = feed_links(request, filters)
    context = {"form": form, "filters": filters, "links": links, "title": feed_name(filters),
               "snippet": embed_snippet(links["widget"], feed_name(filters))}
    return render(request, "calendar/embed.html", context)


@login_required
@require_safe
def subscriptions(request: HttpRequest) -> HttpResponse:
    """The member's private feed (with their networks' events), one per network, and the public feeds."""
    token = services.feed_token_for(user=request.user).token
    empty = EventFilters()
    networks = network_list(viewer=request.user).filter(pk__in=viewer_network_ids(request.user)).order_by("name")
    context = {
        "private": feed_links(request, empty, token=token),
        "public": feed_links(request, empty),
        "networks": [{"network": network,
                      "links": feed_links(request, EventFilters(network=network.slug), token=token)}
                     for network in networks],
    }
    response = render(request, "calendar/subscriptions.html", context)
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_POST
def token_reset(request: HttpRequest) -> HttpResponse:
    """A new secret for the member's private feeds; the old addresses stop working."""
    services.feed_token_reset(user=request.user)
    messages.success(request, _("Your private feed has a new address. Subscribe again with it in your calendar "
                                "apps: the old address no longer works."))
    return redirect("calendar:subscriptions")
