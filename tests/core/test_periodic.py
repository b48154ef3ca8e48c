"""The periodic scheduler: when a job is due, enqueueing each due job once, and the `periodic` command."""

import datetime
import logging
import os
import signal
import threading
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import task

from sinergia.core.models import PeriodicRun
from sinergia.core.periodic import Job, configured_jobs, default_jobs, enqueue_due, is_due, next_due
from tests.factories import PeriodicRunFactory

ROME = ZoneInfo("Europe/Rome")
CALLS: list[str] = []
HERE = "tests.core.test_periodic"


@task()
def record_task() -> None:
    """A task that only records that it ran (the test backend runs it at once)."""
    CALLS.append("ran")


def at(hour: int, minute: int = 0, day: int = 10) -> datetime.datetime:
    return datetime.datetime(2026, 3, day, hour, minute, tzinfo=ROME)


EVERY = Job("every", f"{HERE}.record_task", every=60)
DAILY = Job("daily", f"{HERE}.record_task", daily_at=7)


@pytest.fixture(autouse=True)
def _calls():
    CALLS.clear()


@pytest.mark.parametrize(("last", "now", "due"), [
    (None, at(10), True), (at(10), at(10, 0) + datetime.timedelta(seconds=30), False),
    (at(10), at(10, 1), True), (at(10), at(10, 0) + datetime.timedelta(seconds=59.5), True),
], ids=["never", "too-soon", "elapsed", "within-slack"])
def test_is_due_every(last, now, due):
    assert is_due(EVERY, last=last, now=now) is due


@pytest.mark.parametrize(("last", "now", "due"), [
    (None, at(6, 59), False), (None, at(7), True), (at(7, 1), at(12), False),
    (at(7, day=9), at(7, 30), True), (at(7, day=9), at(6), False), (at(23, day=9), at(9), True),
], ids=["never-before-the-hour", "never-at-the-hour", "done-today", "done-yesterday", "yesterday-before-hour",
        "late-yesterday"])
def test_is_due_daily(settings, last, now, due):
    settings.TIME_ZONE = "Europe/Rome"

    assert is_due(DAILY, last=last, now=now) is due


def test_next_due_of_a_daily_job_done_today_is_tomorrow(settings):
    settings.TIME_ZONE = "Europe/Rome"

    assert next_due(DAILY, last=at(7), now=at(9)) == at(7, day=11)


def test_next_due_of_an_every_job_is_its_interval_after_the_last():
    assert next_due(EVERY, last=at(9), now=at(9, 0) + datetime.timedelta(seconds=10)) == at(9, 1)


@pytest.mark.parametrize("fields", [{}, {"every": 60, "daily_at": 3}, {"every": 0}, {"daily_at": 24}],
                         ids=["none", "both", "zero", "hour-25"])
def test_job_with_a_bad_schedule_is_refused(fields):
    with pytest.raises(ValueError):
        Job("bad", f"{HERE}.record_task", **fields)


def test_configured_jobs_default_to_the_platform_jobs(settings):
    del settings.PERIODIC_JOBS

    assert [(job.name, job.schedule) for job in configured_jobs()] == [
        ("calendar.sync_feeds", "every 60s"), ("calendar.refresh_occurrences", "daily at 03:00"),
        ("core.notification_digest", "daily at 07:00"), ("desk.deadline_reminders", "every 3600s"),
        ("exchange.expire_listings", "every 3600s"), ("library.drop_stale_imports", "every 3600s")]


def test_default_digest_hour_follows_the_setting(settings):
    settings.NOTIFICATION_DIGEST_HOUR = 6

    assert [job.daily_at for job in default_jobs() if job.name == "core.notification_digest"] == [6]


def test_configured_jobs_come_from_settings_as_dicts(settings):
    settings.PERIODIC_JOBS = [{"name": "mine", "task": f"{HERE}.record_task", "daily_at": 5}]

    assert configured_jobs() == [Job("mine", f"{HERE}.record_task", daily_at=5)]


@pytest.mark.django_db
def test_enqueue_due_enqueues_and_remembers(settings):
    settings.TIME_ZONE = "Europe/Rome"

    assert enqueue_due(jobs=[EVERY, DAILY], now=at(8)) == ["every", "daily"]
    assert CALLS == ["ran", "ran"]
    assert dict(PeriodicRun.objects.values_list("name", "last_enqueued_at")) == {"every": at(8), "daily": at(8)}


@pytest.mark.django_db
def test_enqueue_due_after_a_restart_does_not_rerun_a_daily_job(settings):
    settings.TIME_ZONE = "Europe/Rome"
    PeriodicRunFactory(name="daily", last_enqueued_at=at(7, 5))

    assert enqueue_due(jobs=[DAILY], now=at(9)) == []
    assert CALLS == []


@pytest.mark.django_db
def test_enqueue_due_skips_and_logs_a_job_that_does_not_import(caplog):
    missing = Job("missing", "sinergia.nowhere.tasks.nothing_task", every=60)
    not_a_task = Job("not-a-task", f"{HERE}.at", every=60)

    with caplog.at_level(logging.WARNING, logger="sinergia.core.periodic"):
        assert enqueue_due(jobs=[missing, not_a_task, EVERY], now=at(8)) == ["every"]

    assert [r.getMessage() for r in caplog.records] == [
        "periodic: job missing skipped: sinergia.nowhere.tasks.nothing_task does not import",
        f"periodic: job not-a-task skipped: {HERE}.at is not a task"]
    assert PeriodicRun.objects.get(name="missing").last_enqueued_at is None


@pytest.mark.django_db
def test_enqueue_due_claimed_by_another_scheduler_is_not_enqueued_again(settings):
    run = PeriodicRunFactory(name="every", last_enqueued_at=None)
    # Another scheduler claims between this one's read of the run and its claim.
    PeriodicRun.objects.filter(pk=run.pk).update(last_enqueued_at=at(8))
    from sinergia.core import periodic

    assert periodic._enqueue(EVERY, run, now=at(8)) is False
    assert CALLS == []


class Unqueueable:
    """A task whose queue is away (a broker down): enqueue raises."""

    def enqueue(self):
        raise ConnectionError("queue away")


unqueueable = Unqueueable()


@pytest.mark.django_db
def test_enqueue_due_gives_the_claim_back_when_enqueueing_fails(caplog):
    PeriodicRunFactory(name="failing", last_enqueued_at=at(7))
    failing = Job("failing", f"{HERE}.unqueueable", every=60)

    with caplog.at_level(logging.ERROR, logger="sinergia.core.periodic"):
        assert enqueue_due(jobs=[failing], now=at(8)) == []

    assert PeriodicRun.objects.get(name="failing").last_enqueued_at == at(7)
    assert [r.getMessage() for r in caplog.records] == ["periodic: enqueueing job failing failed"]


@pytest.mark.django_db
def test_command_once_enqueues_the_due_jobs_and_exits(settings):
    settings.PERIODIC_JOBS = [EVERY, Job("later", f"{HERE}.record_task", daily_at=23)]
    PeriodicRunFactory(name="later", last_enqueued_at=timezone.now())  # not due at any hour the test runs
    out = StringIO()

    with timezone.override("Europe/Rome"):
        call_command("periodic", "--once", stdout=out)

    assert out.getvalue() == "Enqueued every.\n"
    assert CALLS == ["ran"]


@pytest.mark.django_db
def test_command_once_twice_enqueues_once(settings):
    settings.PERIODIC_JOBS = [Job("hourly", f"{HERE}.record_task", every=3600)]

    call_command("periodic", "--once", stdout=StringIO())
    call_command("periodic", "--once", stdout=StringIO())

    assert CALLS == ["ran"]


@pytest.mark.django_db
def test_command_list_shows_each_job_schedule_and_runs(settings):
    settings.PERIODIC_JOBS = [EVERY]
    out = StringIO()

    call_command("periodic", "--list", stdout=out)

    name, path, schedule, last, _next = out.getvalue().rstrip("\n").split("\t")
    assert (name, path, schedule, last) == ("every", f"{HERE}.record_task", "every 60s", "last: -")
    assert CALLS == []


@pytest.mark.django_db
def test_command_loop_stops_cleanly_on_sigterm(settings):
    settings.PERIODIC_JOBS = [EVERY]
    out = StringIO()
    threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGTERM)).start()

    call_command("periodic", "--interval", "0.05", stdout=out)

    assert out.getvalue() == "Enqueued every.\nStopped.\n"
    assert CALLS == ["ran"]
