"""The platform's clock: enqueue the periodic jobs that are due, in a loop or once (for cron)."""

import datetime
import logging
import signal
import threading

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergia.core.periodic import configured_jobs, drop_broken_connections, enqueue_due, next_due, runs_of

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = ("Enqueue the periodic jobs (settings.PERIODIC_JOBS, else the defaults) that are due, every INTERVAL "
            "seconds until SIGTERM or SIGINT. With --once, do one pass and exit (for cron); --list shows the jobs.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Enqueue the due jobs once and exit.")
        parser.add_argument("--list", action="store_true", help="List the jobs, when each last ran and is next due.")
        parser.add_argument("--interval", type=float, default=30.0, help="Seconds between passes (default 30).")

    def handle(self, *args, **options) -> None:
        if options["list"]:
            self._list()
        elif options["once"]:
            self._pass()
        else:
            self._run(interval=max(options["interval"], 0.01))

    def _run(self, *, interval: float) -> None:
        """Pass after pass until a signal; a failed pass (database away) is logged and the next one tries again."""
        stop = threading.Event()
        previous = {number: signal.signal(number, lambda *_: stop.set()) for number in (signal.SIGTERM, signal.SIGINT)}
        try:
            while not stop.is_set():
                drop_broken_connections()
                try:
                    self._pass()
                except Exception:
                    logger.exception("periodic: the pass failed")
                stop.wait(interval)
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
        self.stdout.write(_("Stopped."))

    def _pass(self) -> None:
        for name in enqueue_due():
            self.stdout.write(_("Enqueued %(job)s.") % {"job": name})

    def _list(self) -> None:
        jobs, now = configured_jobs(), timezone.now()
        runs = runs_of(jobs)
        for job in jobs:
            last = runs[job.name].last_enqueued_at
            self.stdout.write("\t".join([job.name, job.task, job.schedule,
                                         _("last: %(when)s") % {"when": _when(last)},
                                         _("next: %(when)s") % {"when": _when(next_due(job, last=last, now=now))}]))


def _when(moment: datetime.datetime | None) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else "-"
