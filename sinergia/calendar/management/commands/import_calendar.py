"""Import an iCalendar file into an organisation's events: by UID, all or nothing unless rejected ones are skipped."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from sinergia.calendar.models import Event
from sinergia.calendar.services.imports import ImportReport, ics_import
from sinergia.directory.models import Organisation

WARNINGS_SHOWN = 20


class Command(BaseCommand):
    help = ("Import PATH (an iCalendar .ics file) into the events of the organisation ORG_SLUG, matching them by "
            "UID. If any event is rejected nothing is imported unless --skip-rejected.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("organisation", metavar="ORG_SLUG")
        parser.add_argument("path", metavar="PATH", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Read and compare, write nothing.")
        parser.add_argument("--skip-rejected", action="store_true", help="Import the other events when some are "
                                                                         "rejected.")
        parser.add_argument("--category", choices=Event.Category.values, help="Category of new events.")
        parser.add_argument("--visibility", choices=Event.Visibility.values, help="Visibility of new events.")

    def handle(self, *args, **options) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(_("No organisation has the slug “%(slug)s”.") % {"slug": options["organisation"]})
        try:
            report = ics_import(organisation=organisation, data=self._read(options["path"]), by=None,
                                dry_run=options["dry_run"], skip_rejected=options["skip_rejected"],
                                category=options["category"], visibility=options["visibility"])
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from error
        self._report_problems(report, verbose=options["verbosity"] > 1)
        if report.rejected and not report.applied and not options["dry_run"]:
            raise CommandError(_("%(n)d event(s) were rejected; nothing was imported. Use --skip-rejected to import "
                                 "the others.") % {"n": len(report.rejected)})
        summary = (_("Would import into “%(organisation)s”: %(added)d added, %(updated)d updated, %(unchanged)d "
                     "unchanged, %(cancelled)d cancelled, %(rejected)d rejected.") if options["dry_run"] else
                   _("Imported into “%(organisation)s”: %(added)d added, %(updated)d updated, %(unchanged)d "
                     "unchanged, %(cancelled)d cancelled, %(rejected)d rejected."))
        self.stdout.write(self.style.SUCCESS(summary % {"organisation": organisation.name, **report.counts()}))

    def _read(self, path: Path) -> bytes:
        limit = settings.CALENDAR_IMPORT_MAX_BYTES
        try:
            if path.stat().st_size > limit:
                raise CommandError(_("%(path)s is larger than %(max)s, the most that can be imported.")
                                   % {"path": path, "max": filesizeformat(limit)})
            return path.read_bytes()
        except OSError as error:
            message = _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}
            raise CommandError(message) from error

    def _report_problems(self, report: ImportReport, *, verbose: bool) -> None:
        for rejection in report.rejected:
            self.stderr.write(f"{rejection.uid} “{rejection.summary}”: {rejection.reason}")
        shown = report.warnings if verbose else report.warnings[:WARNINGS_SHOWN]
        for warning in shown:
            self.stdout.write(self.style.WARNING(warning))
        if len(shown) < len(report.warnings):
            self.stdout.write(_("… and %(n)d more warning(s); -v 2 shows them all.")
                              % {"n": len(report.warnings) - len(shown)})
