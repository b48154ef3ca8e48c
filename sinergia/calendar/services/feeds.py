"""An organisation's calendar at a URL, kept in sync by UID: registered, changed, removed and synchronised."""

import ipaddress
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergia.accounts.models import User
from sinergia.calendar.fetch import FetchError, FetchResult, address_allowed, feed_url, fetch_feed
from sinergia.calendar.ics import IcsReadResult
from sinergia.calendar.models import CalendarFeed, Event
from sinergia.calendar.services.events import events_cancel_notify
from sinergia.calendar.services.imports import ImportReport, calendar_merge, calendar_read, checked_choices
from sinergia.calendar.services.occurrences import occurrences_refresh_events
from sinergia.core.services import audit_record, notify_in_language
from sinergia.directory.models import Organisation, OrganisationMember

__all__ = ["feed_add", "feed_future_events", "feed_remove", "feed_sync", "feed_update", "feeds_claim_due", "feeds_due"]

Status = CalendarFeed.SyncStatus
MAX_REJECTED = 500
MAX_ERROR_CHARS = 2000
# A claimed feed whose sync task was lost becomes due again after this long.
CLAIM_LEASE = timedelta(minutes=15)


def feed_add(*, organisation: Organisation, url: str, by: Any, name: str = "",
             category: str = Event.Category.OTHER, visibility: str = Event.Visibility.PUBLIC) -> CalendarFeed:
    """Register a calendar URL for the organisation; it is synchronised at once and then periodically."""
    _require_perm(by, organisation)
    category, visibility = checked_choices(category, visibility)
    feed = CalendarFeed(organisation=organisation, url=_clean_url(url), name=(name or "").strip()[:255],
                        default_category=category, default_visibility=visibility, created_by=by,
                        next_sync_at=timezone.now())
    with transaction.atomic():
        _save_unique(feed)
        audit_record(actor=by, action="calendar.feed_add", target=feed, data={"url": feed.url})
    _sync_after_commit(feed)
    return feed


def feed_update(*, feed: CalendarFeed, by: Any, url: str | None = None, name: str | None = None,
                category: str | None = None, visibility: str | None = None,
                is_active: bool | None = None) -> CalendarFeed:
    """Change a feed's address, name, defaults for new events, or whether it is kept in sync."""
    _require_perm(by, feed.organisation)
    feed.default_category, feed.default_visibility = checked_choices(category or feed.default_category,
                                                                     visibility or feed.default_visibility)
    if name is not None:
        feed.name = name.strip()[:255]
    resync = _change_url(feed, url) or bool(is_active and not feed.is_active)
    if is_active is not None:
        feed.is_active = is_active
    if resync:
        feed.next_sync_at = timezone.now()
    with transaction.atomic():
        _save_unique(feed)
        audit_record(actor=by, action="calendar.feed_update", target=feed, data={"url": feed.url})
    if resync:
        _sync_after_commit(feed)
    return feed


@transaction.atomic
def feed_remove(*, feed: CalendarFeed, by: Any, cancel_future: bool = False) -> int:
    """Stop synchronising a feed; the events it brought stay on the calendar as the organisation's own, or with
    `cancel_future` those still to come are cancelled as a sync cancels them. Return how many were cancelled."""
    _require_perm(by, feed.organisation)
    now = timezone.now()
    # Under the feed's lock, so that a sync running now cannot bring back what is cancelled here.
    CalendarFeed.objects.select_for_update().filter(pk=feed.pk).exists()
    cancelled = _cancel(list(feed_future_events(feed=feed, now=now)), now=now, by=by) if cancel_future else []
    audit_record(actor=by, action="calendar.feed_remove", target=feed,
                 data={"url": feed.url, "cancelled": len(cancelled)})
    feed.delete()
    return len(cancelled)


def feed_future_events(*, feed: CalendarFeed, now: datetime) -> QuerySet[Event]:
    """The feed's events not cancelled that are still to come or under way (a repeating one: any occurrence)."""
    return (Event.objects.filter(feed=feed).exclude(status=Event.Status.CANCELLED)
            .filter(Q(end__gt=now) | Q(occurrences__end__gt=now)).distinct())


def feed_sync(*, feed: CalendarFeed, now: datetime | None = None) -> CalendarFeed:
    """Fetch the feed (conditionally) and merge its events by UID; a failure is recorded and changes no event."""
    now = now or timezone.now()
    was_failing = feed.status == Status.FAILED
    try:
        fetched = fetch_feed(feed.url, etag=feed.etag, last_modified=feed.last_modified_header)
        if fetched.not_modified:
            return _not_modified(feed, fetched, now)
        read = calendar_read(fetched.content, now=now, max_bytes=settings.CALENDAR_FEED_MAX_BYTES,
                             max_events=settings.CALENDAR_FEED_MAX_EVENTS)
        with transaction.atomic():
            report = _merge(feed, read, now)
            _succeeded(feed, report, fetched, now)
    except (ValidationError, DatabaseError) as error:
        _failed(feed, error, now, notify=not was_failing)
    return feed


def feeds_due(*, now: datetime) -> QuerySet[CalendarFeed]:
    """Active feeds whose next sync time has come (or was never set), the longest waiting first."""
    due = CalendarFeed.objects.filter(is_active=True).filter(Q(next_sync_at__lte=now) | Q(next_sync_at__isnull=True))
    return due.order_by(F("next_sync_at").asc(nulls_first=True), "pk")


def feeds_claim_due(*, now: datetime, limit: int = 500) -> list[int]:
    """The ids of due feeds, each moved out of the due set so another scheduler does not enqueue it too."""
    claimed = []
    for pk, due_at in feeds_due(now=now).values_list("pk", "next_sync_at")[:limit]:
        # Only if nobody moved it meanwhile (next_sync_at=None compares as IS NULL).
        if CalendarFeed.objects.filter(pk=pk, next_sync_at=due_at).update(next_sync_at=now + CLAIM_LEASE):
            claimed.append(pk)
    return claimed


# --- Registering -----------------------------------------------------------------------------------------------------


def _require_perm(by: Any, organisation: Organisation) -> None:
    if not isinstance(by, User) or not by.has_perm("calendar.manage_feeds", organisation):
        raise PermissionDenied(_("You are not allowed to manage this organisation's calendar feeds."))


def _clean_url(url: str) -> str:
    """The URL to fetch; an address that can be seen at once to be local or private is refused now."""
    try:
        url = feed_url(url)
    except FetchError as error:
        raise ValidationError({"url": error.messages}) from error
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    local_name = host == "localhost" or host.endswith(".localhost")
    if (literal is not None and not address_allowed(literal)) or (local_name and not _private_allowed()):
        raise ValidationError({"url": _("This address is on a local or private network: calendars are only "
                                        "fetched from public Internet addresses.")})
    return url


def _change_url(feed: CalendarFeed, url: str | None) -> bool:
    """Point the feed at another address, if it is one; another address is another calendar, so its state goes."""
    new_url = _clean_url(url) if url is not None else feed.url
    if new_url == feed.url:
        return False
    feed.url, feed.etag, feed.last_modified_header = new_url, "", ""
    feed.status, feed.error, feed.rejected, feed.warnings = Status.PENDING, "", [], []
    return True


def _private_allowed() -> bool:
    return settings.CALENDAR_FEED_ALLOW_PRIVATE_ADDRESSES is True


def _save_unique(feed: CalendarFeed) -> None:
    duplicate = CalendarFeed.objects.filter(organisation_id=feed.organisation_id, url=feed.url).exclude(pk=feed.pk)
    message = _("This calendar is already kept in sync for %(organisation)s.") % {"organisation": feed.organisation}
    if duplicate.exists():
        raise ValidationError({"url": message})
    try:
        with transaction.atomic():
            feed.save()
    except IntegrityError as error:
        raise ValidationError({"url": message}) from error


def _sync_after_commit(feed: CalendarFeed) -> None:
    from sinergia.calendar.tasks import sync_feed_task  # the task module imports these services

    transaction.on_commit(lambda: sync_feed_task.enqueue(feed.pk))


# --- Synchronising ---------------------------------------------------------------------------------------------------


def _merge(feed: CalendarFeed, read: IcsReadResult, now: datetime) -> ImportReport:
    """Add and update by UID, then cancel the future events whose UIDs left the feed (under the feed's lock)."""
    CalendarFeed.objects.select_for_update().filter(pk=feed.pk).exists()
    seen = {item.uid for item in read.events} | {item.uid for item in read.rejected}
    if not seen and Event.objects.filter(feed=feed).exclude(status=Event.Status.CANCELLED).exists():
        raise ValidationError(_("The feed has no events at all now; its events were kept as they were. If the "
                                "calendar really is empty, remove the feed."), code="empty")
    report = calendar_merge(organisation=feed.organisation, read=read, by=None, now=now,
                            category=feed.default_category, visibility=feed.default_visibility, feed=feed,
                            skip_rejected=True)
    # Events imported earlier by hand that the feed also lists are from now on kept in sync by it.
    Event.objects.filter(pk__in=[event.pk for event in report.unchanged if event.feed_id is None]).update(feed=feed)
    report.cancelled += _cancel_vanished(feed, seen, now)
    return report


def _cancel_vanished(feed: CalendarFeed, seen: set[str], now: datetime) -> list[Event]:
    """Cancel the feed's events still to come (or under way) whose UID is no longer in it; past ones stay."""
    return _cancel([event for event in feed_future_events(feed=feed, now=now) if event.uid not in seen], now=now)


def _cancel(events: list[Event], *, now: datetime, by: Any = None) -> list[Event]:
    """Cancel the feed's events: a new revision each, occurrences marked, and those `event_cancel` tells told.

    The feed acts for its organisation, so `by` is None in a sync, or the admin removing the feed.
    """
    ids = [event.pk for event in events]
    for offset in range(0, len(ids), 500):
        Event.objects.filter(pk__in=ids[offset:offset + 500]).update(
            status=Event.Status.CANCELLED, sequence=F("sequence") + 1, updated_at=now)
    occurrences_refresh_events(event_ids=ids, now=now)
    events_cancel_notify(event_ids=ids, by=by)
    for event in events:
        event.status = Event.Status.CANCELLED
    return events


def _succeeded(feed: CalendarFeed, report: ImportReport, fetched: FetchResult, now: datetime) -> None:
    feed.status = Status.PARTIAL if report.rejected else Status.OK
    feed.error = ""
    feed.rejected = [{"uid": item.uid, "summary": item.summary, "reason": item.reason}
                     for item in report.rejected[:MAX_REJECTED]]
    feed.warnings = report.warnings
    feed.added_count, feed.updated_count = len(report.added), len(report.updated)
    feed.cancelled_count = len(report.cancelled)
    feed.etag, feed.last_modified_header = fetched.etag, fetched.last_modified
    feed.name = feed.name or report.calendar_name[:255]
    _save_attempt(feed, now, success=True, fields=["error", "rejected", "warnings", "added_count", "updated_count",
                                                   "cancelled_count", "etag", "last_modified_header", "name"])
    if report.added or report.updated or report.cancelled:
        audit_record(actor=None, action="calendar.feed_sync", target=feed, data=report.counts())


def _not_modified(feed: CalendarFeed, fetched: FetchResult, now: datetime) -> CalendarFeed:
    feed.status, feed.error = Status.NOT_MODIFIED, ""
    feed.added_count = feed.updated_count = feed.cancelled_count = 0
    feed.etag, feed.last_modified_header = fetched.etag, fetched.last_modified
    _save_attempt(feed, now, success=True, fields=["error", "added_count", "updated_count", "cancelled_count",
                                                   "etag", "last_modified_header"])
    return feed


def _failed(feed: CalendarFeed, error: Exception, now: datetime, *, notify: bool) -> None:
    """Record why the sync failed; the organisation's admins hear of it when the feed starts failing."""
    messages = getattr(error, "messages", None) or [_("The events could not be saved (%(error)s).")
                                                    % {"error": str(error)[:200]}]
    feed.status, feed.error = Status.FAILED, " ".join(str(m) for m in messages)[:MAX_ERROR_CHARS]
    _save_attempt(feed, now, success=False, fields=["error"])
    if notify:
        _tell_admins(feed)


def _save_attempt(feed: CalendarFeed, now: datetime, *, success: bool, fields: list[str]) -> None:
    feed.last_attempt_at = now
    feed.next_sync_at = now + timedelta(minutes=settings.CALENDAR_FEED_SYNC_MINUTES)
    if success:
        feed.last_success_at = now
    fields = [*fields, "status", "last_attempt_at", "next_sync_at", *(["last_success_at"] if success else [])]
    feed.save(update_fields=fields)


def _tell_admins(feed: CalendarFeed) -> None:
    admins = User.objects.filter(is_active=True, organisation_roles__organisation_id=feed.organisation_id,
                                 organisation_roles__role=OrganisationMember.Role.ADMIN)
    slug, params = feed.organisation.slug, {"feed": str(feed)[:120], "error": feed.error}
    notify_in_language(
        users=admins, kind="calendar.feed_failed",
        title=lambda: _("The calendar feed “%(feed)s” cannot be synchronised") % params,
        body=lambda: _("%(error)s Its events are kept as they were; the feed will be tried again.") % params,
        url=lambda: reverse("calendar:feeds", kwargs={"slug": slug}),
    )
