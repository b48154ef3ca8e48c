"""The next occurrences of a filtered calendar as an RSS 2.0 feed, one item per occurrence."""

from collections.abc import Iterable
from itertools import islice

from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from sinergia.calendar.export import event_place, event_url_builder
from sinergia.calendar.ics.zones import iana_zone
from sinergia.calendar.models import Event, Occurrence
from sinergia.core.text import render_markdown

RSS_ITEMS = 200
RSS_TTL_MINUTES = 60


def occurrences_rss(*, occurrences: Iterable[Occurrence], title: str, link: str, description: str, feed_url: str,
                    base_url: str, language: str) -> bytes:
    """RSS 2.0 of at most 200 occurrences (their event selected with them), in the active language."""
    feed = Rss201rev2Feed(title=title, link=link, description=description, language=language, feed_url=feed_url,
                          ttl=RSS_TTL_MINUTES)
    event_url = event_url_builder(base_url)
    categories = {value: str(label) for value, label in Event.Category.choices}
    descriptions: dict[int, str] = {}  # a weekly event's description is rendered once, not for each week
    for occurrence in islice(occurrences, RSS_ITEMS):
        event = occurrence.event
        if event.pk not in descriptions:
            descriptions[event.pk] = render_markdown(event.description)
        when = occurrence_when(occurrence)
        feed.add_item(
            title=_item_title(event, occurrence, when),
            link=event_url(event.pk),
            description=_item_description(event, when, descriptions[event.pk]),
            unique_id=f"{event.uid}/{occurrence.start:%Y%m%dT%H%M%SZ}",
            unique_id_is_permalink=False,
            pubdate=event.published_at or event.created_at,
            updateddate=event.updated_at,
            author_name=event.organisation.name,
            categories=[categories.get(event.category, event.category)],
        )
    return feed.writeString("utf-8").encode("utf-8")


def occurrence_when(occurrence: Occurrence) -> str:
    """The occurrence's start in its event's zone, as the active language writes dates (no time when all-day)."""
    zone = iana_zone(occurrence.event.timezone)
    start = occurrence.start.astimezone(zone) if zone else occurrence.start
    return date_format(start, "DATE_FORMAT" if occurrence.all_day else "DATETIME_FORMAT")


def _item_title(event: Event, occurrence: Occurrence, when: str) -> str:
    title = f"{event.title} · {when}"
    if occurrence.cancelled:
        return _("Cancelled: %(title)s") % {"title": title}
    return title


def _item_description(event: Event, when: str, description_html: str) -> str:
    """When and where, then the event's description rendered from Markdown and sanitised."""
    place = event_place(event)
    head = format_html("<p>{}</p>", f"{when} · {place}" if place else when)
    return head + mark_safe(description_html)  # noqa: S308 - render_markdown sanitises with nh3
