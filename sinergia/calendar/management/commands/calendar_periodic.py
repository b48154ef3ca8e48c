"""The calendar's clock: enqueue due feed syncs every minute and the occurrence refresh nightly (or once, for cron)."""

import logging
import signal
import threading
from datetime import date

from django.core.management.base import BaseCommand, CommandParser
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sinergia.calendar.tasks import refresh_occurrences_task, sync_due_feeds_task

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    verbosity = 1
    help = ("Run the calendar's periodic work: every INTERVAL seconds enqueue the sync of the feeds that are due, "
            "and once a day, after REFRESH_HOUR, the refresh of the occurrences' rolling horizon. Stops cleanly on "
            "SIGTERM or SIGINT. With --once, do one pass and exit (for cron).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Enqueue the due feed syncs once and exit.")
        parser.add_argument("--refresh-occurrences", action="store_true",
                            help="With --once: also enqueue the occurrence refresh (for a nightly cron line).")
        parser.add_argument("--interval", type=float, default=60.0, help="Seconds between passes (default 60).")
        parser.add_argument("--refresh-hour", type=int, default=3, choices=range(24), metavar="HOUR",
                            help="Local hour from which the daily occurrence refresh runs (default 3).")

    def handle(self, *args, **options) -> None:
        self.verbosity = options["verbosity"]
        if options["once"]:
            self._sync_feeds()
            if options["refresh_occurrences"]:
                self._refresh()
            return
        stop = threading.Event()
        previous = {number: signal.signal(number, lambda *_: stop.set()) for number in (signal.SIGTERM, signal.SIGINT)}
        try:
            self._loop(stop, interval=max(options["interval"], 0.01), hour=options["refresh_hour"])
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
        self.stdout.write(_("Stopped."))

    def _loop(self, stop: threading.Event, *, interval: float, hour: int) -> None:
        """Pass after pass until a signal; the first pass after HOUR each day also refreshes the occurrences."""
        refreshed_on: date | None = None
        while not stop.is_set():
            _drop_broken_connections()
            try:
                self._sync_feeds()
                now = timezone.localtime()
                if now.hour >= hour and refreshed_on != now.date():
                    self._refresh()
                    refreshed_on = now.date()
            except Exception:  # a failed pass (database away) is logged; the next one tries again
                logger.exception("calendar_periodic: the pass failed")
            stop.wait(interval)

    def _sync_feeds(self) -> None:
        claimed = sync_due_feeds_task.call()
        if claimed or self.verbosity > 1:
            self.stdout.write(ngettext("Enqueued the sync of %(n)d feed.", "Enqueued the sync of %(n)d feeds.",
                                       len(claimed)) % {"n": len(claimed)})

    def _refresh(self) -> None:
        refresh_occurrences_task.enqueue()
        self.stdout.write(_("Enqueued the occurrence refresh."))


def _drop_broken_connections() -> None:
    """What Django does around each request: a connection that broke or aged is reopened on the next query.

    One in a transaction (a test's) is left alone.
    """
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()
