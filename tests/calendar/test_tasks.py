"""The calendar's tasks (taking ids, harmless when repeated); `manage.py periodic` enqueues them (tests/core)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks import TaskResultStatus

from sinergia.calendar.models import CalendarFeed, Event, Occurrence
from sinergia.calendar.tasks import refresh_occurrences_task, sync_due_feeds_task, sync_feed_task
from tests import factories
from tests.calendar.test_services_feeds import server, vcalendar, vevent  # noqa: F401 - the server fixture

pytestmark = pytest.mark.django_db
Status = CalendarFeed.SyncStatus


@pytest.fixture
def feed(server):  # noqa: F811 - the imported fixture
    server.calendar = vcalendar(vevent("a@m", "Mostra"), vevent("b@m", "Concerto"))
    organisation = factories.OrganisationFactory(latitude=44.49, longitude=11.34)
    return factories.CalendarFeedFactory(organisation=organisation, next_sync_at=timezone.now(),
                                         url=f"http://127.0.0.1:{server.server_port}/calendar.ics")


def test_sync_feed_task_synchronises_the_feed(feed):
    result = sync_feed_task.enqueue(feed.pk)
    feed.refresh_from_db()
    assert (result.status, result.return_value, feed.status) == (TaskResultStatus.SUCCESSFUL, "ok", Status.OK)
    assert Event.objects.filter(feed=feed).count() == 2


def test_sync_feed_task_repeated_changes_nothing_more(feed):
    sync_feed_task.enqueue(feed.pk)
    result = sync_feed_task.enqueue(feed.pk)
    assert (result.return_value, Event.objects.count()) == ("not_modified", 2)


def test_sync_feed_task_of_a_removed_or_paused_feed_does_nothing(feed):
    paused = factories.CalendarFeedFactory(is_active=False)
    assert sync_feed_task.enqueue(feed.pk + 1000).return_value == ""
    assert sync_feed_task.enqueue(paused.pk).return_value == ""
    assert Event.objects.count() == 0


def test_sync_due_feeds_task_syncs_the_due_feeds_once(feed):
    later = factories.CalendarFeedFactory(next_sync_at=timezone.now() + timedelta(hours=1))
    assert sync_due_feeds_task.enqueue().return_value == [feed.pk]
    assert sync_due_feeds_task.enqueue().return_value == []
    feed.refresh_from_db()
    later.refresh_from_db()
    assert (feed.status, later.status) == (Status.OK, Status.PENDING)


def test_refresh_occurrences_task_rematerialises_every_event():
    event = factories.EventFactory(weekly=True)
    Occurrence.objects.all().delete()
    result = refresh_occurrences_task.enqueue()
    assert (result.return_value["events"], result.return_value["occurrences"]) == (1, 10)
    assert Occurrence.objects.filter(event=event).count() == 10


def planner_rows(table: str) -> int:
    """How many rows the query planner believes the table holds (SQLite: its ANALYZE statistics)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # Each row (one per index) starts with the table's row count.
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s LIMIT 1", [table])
            row = cursor.fetchone()
            return int(row[0].split()[0]) if row else -1
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        return int(cursor.fetchone()[0])


def test_refresh_occurrences_task_leaves_the_planners_statistics_up_to_date():
    factories.EventFactory(weekly=True)
    refresh_occurrences_task.enqueue()
    assert planner_rows(Occurrence._meta.db_table) == 10

