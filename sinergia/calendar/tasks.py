"""Background work of the calendar: keeping imported feeds in sync and the occurrences' rolling horizon."""

from django.conf import settings
from django.utils import timezone, translation
from django_tasks import task

from sinergia.calendar.models import CalendarFeed
from sinergia.calendar.services.feeds import feed_sync, feeds_claim_due
from sinergia.calendar.services.occurrences import occurrences_refresh_all


@task()
def sync_feed_task(feed_id: int) -> str:
    """Synchronise one feed, if it still exists and is active; returns its status (a repeat is harmless)."""
    feed = CalendarFeed.objects.select_related("organisation").filter(pk=feed_id, is_active=True).first()
    if feed is None:
        return ""
    # Errors stored on the feed are in the site's language: the feeds page shows them to its organisation.
    with translation.override(settings.LANGUAGE_CODE):
        return feed_sync(feed=feed).status


@task()
def sync_due_feeds_task() -> list[int]:
    """Enqueue a sync of every feed whose time has come; each is claimed first, so none is enqueued twice."""
    claimed = feeds_claim_due(now=timezone.now())
    for feed_id in claimed:
        sync_feed_task.enqueue(feed_id)
    return claimed


@task()
def refresh_occurrences_task() -> dict[str, float]:
    """Move every event's materialised occurrences along with the rolling horizon."""
    report = occurrences_refresh_all()
    return {"events": report.events, "occurrences": report.occurrences, "truncated": report.truncated,
            "seconds": report.seconds}
