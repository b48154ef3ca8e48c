"""The periodic scheduler: which tasks are enqueued every N seconds or daily at an hour, and whether one is due.

The jobs are `default_jobs()` unless settings.PERIODIC_JOBS lists others (Job instances or dicts of Job's fields).
When a job was last enqueued is kept in PeriodicRun, so a restart does not run a daily job twice, and two
schedulers running at once do not both enqueue it (each claims the run with a conditional update first).
"""

import datetime
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils import timezone
from django.utils.module_loading import import_string

from sinergia.core.models import PeriodicRun

logger = logging.getLogger(__name__)
# A pass that starts a little early (a loop's timing, clocks) still counts an interval as elapsed.
SLACK = datetime.timedelta(seconds=1)


@dataclass(frozen=True)
class Job:
    """A django-tasks task (by dotted path) enqueued every `every` seconds or daily from `daily_at` (local hour)."""

    name: str
    task: str
    every: int | None = None
    daily_at: int | None = None

    def __post_init__(self) -> None:
        if (self.every is None) == (self.daily_at is None):
            raise ValueError(f"Periodic job {self.name}: give either every or daily_at.")
        if (self.every is not None and self.every < 1) or (self.daily_at is not None and not 0 <= self.daily_at < 24):
            raise ValueError(f"Periodic job {self.name}: every is at least 1 second, daily_at an hour 0-23.")

    @property
    def schedule(self) -> str:
        """The schedule in words, for --list."""
        return f"every {self.every}s" if self.every is not None else f"daily at {self.daily_at:02d}:00"


def default_jobs() -> list[Job]:
    """The platform's periodic work; the digest's hour comes from settings.NOTIFICATION_DIGEST_HOUR (default 7)."""
    return [
        Job("calendar.sync_feeds", "sinergia.calendar.tasks.sync_due_feeds_task", every=60),
        Job("calendar.refresh_occurrences", "sinergia.calendar.tasks.refresh_occurrences_task", daily_at=3),
        Job("core.notification_digest", "sinergia.core.tasks.send_daily_digest_task",
            daily_at=getattr(settings, "NOTIFICATION_DIGEST_HOUR", 7)),
        Job("desk.deadline_reminders", "sinergia.desk.tasks.send_deadline_reminders_task", every=3600),
        Job("exchange.expire_listings", "sinergia.exchange.tasks.expire_listings_task", every=3600),
        Job("library.drop_stale_imports", "sinergia.library.tasks.drop_stale_imports_task", every=3600),
    ]


def configured_jobs() -> list[Job]:
    """The jobs of settings.PERIODIC_JOBS if set, else the default ones."""
    configured = getattr(settings, "PERIODIC_JOBS", None)
    if configured is None:
        return default_jobs()
    return [job if isinstance(job, Job) else Job(**job) for job in configured]


def daily_slot(hour: int, now: datetime.datetime, *, days: int = 0) -> datetime.datetime:
    """The moment of the local day of `now` (plus `days`) at `hour`."""
    day = timezone.localtime(now).date() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def is_due(job: Job, *, last: datetime.datetime | None, now: datetime.datetime) -> bool:
    """Whether the job should be enqueued now, given when it last was."""
    if job.every is not None:
        return last is None or now - last >= datetime.timedelta(seconds=job.every) - SLACK
    assert job.daily_at is not None  # one of the two, checked on creation
    slot = daily_slot(job.daily_at, now)
    return now >= slot and (last is None or last < slot)


def next_due(job: Job, *, last: datetime.datetime | None, now: datetime.datetime) -> datetime.datetime:
    """When the job will next be enqueued (now if it is due)."""
    if is_due(job, last=last, now=now):
        return now
    if job.every is not None:
        assert last is not None  # never enqueued would be due
        return last + datetime.timedelta(seconds=job.every)
    assert job.daily_at is not None
    slot = daily_slot(job.daily_at, now)
    return slot if now < slot else daily_slot(job.daily_at, now, days=1)


def runs_of(jobs: list[Job]) -> dict[str, PeriodicRun]:
    """The stored run of each job, created (never enqueued) for a new one."""
    names = [job.name for job in jobs]
    PeriodicRun.objects.bulk_create([PeriodicRun(name=name) for name in names], ignore_conflicts=True)
    return {run.name: run for run in PeriodicRun.objects.filter(name__in=names)}


def resolve(job: Job) -> Any | None:
    """The job's task, or None (logged) when its path does not import or is not a task."""
    try:
        task = import_string(job.task)
    except ImportError:
        logger.warning("periodic: job %s skipped: %s does not import", job.name, job.task)
        return None
    if not callable(getattr(task, "enqueue", None)):
        logger.warning("periodic: job %s skipped: %s is not a task", job.name, job.task)
        return None
    return task


def enqueue_due(*, jobs: list[Job] | None = None, now: datetime.datetime | None = None) -> list[str]:
    """Enqueue every due job once, even with several schedulers at once; returns the names enqueued."""
    jobs, now = configured_jobs() if jobs is None else jobs, now or timezone.now()
    runs = runs_of(jobs)
    enqueued = []
    for job in jobs:
        run = runs[job.name]
        if is_due(job, last=run.last_enqueued_at, now=now) and _enqueue(job, run, now=now):
            enqueued.append(job.name)
    return enqueued


def _enqueue(job: Job, run: PeriodicRun, *, now: datetime.datetime) -> bool:
    """Claim the run, then enqueue the task; a failed enqueue gives the claim back for the next pass."""
    task = resolve(job)
    if task is None:
        return False
    claimed = PeriodicRun.objects.filter(pk=run.pk, last_enqueued_at=run.last_enqueued_at).update(last_enqueued_at=now)
    if not claimed:
        return False  # another scheduler enqueued it in the meantime
    try:
        task.enqueue()
    except Exception:
        logger.exception("periodic: enqueueing job %s failed", job.name)
        PeriodicRun.objects.filter(pk=run.pk, last_enqueued_at=now).update(last_enqueued_at=run.last_enqueued_at)
        return False
    return True


def drop_broken_connections() -> None:
    """What Django does around each request: a connection that broke or aged is reopened on the next query.

    One in a transaction (a test's) is left alone.
    """
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()
