"""Import organisations from a CSV or GeoJSON file or URL, or from the DBUnico register folder."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from sinergia.directory.importers import FORMATS, ImportResult, import_organisations

WARNINGS_SHOWN = 20


class Command(BaseCommand):
    help = ("Import organisations from PATH_OR_URL (CSV, GeoJSON, or a DBUnico folder). Idempotent by "
            "(source, identifier); if any row has an error nothing is written.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("location", metavar="PATH_OR_URL")
        parser.add_argument("--format", choices=FORMATS, help="Default: guessed from the path and the content.")
        parser.add_argument("--mapping", type=Path, help="JSON object: our field → source column (or {\"value\": …}).")
        parser.add_argument("--source", default="", help="Name of the data set; identifiers are unique within it.")
        parser.add_argument("--delimiter", help="CSV delimiter (default: sniffed from the header).")
        parser.add_argument("--dry-run", action="store_true", help="Validate and count, write nothing.")

    def handle(self, *args, **options) -> None:
        try:
            result = import_organisations(
                location=options["location"], format=options["format"], mapping=options["mapping"],
                source=options["source"], delimiter=options["delimiter"], dry_run=options["dry_run"],
            )
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from error
        self._report_warnings(result, verbose=options["verbosity"] > 1)
        if not result.ok:
            for issue in result.errors:
                self.stderr.write(str(issue))
            rows = len({issue.line for issue in result.errors})
            raise CommandError(_("%(rows)s row(s) have errors; nothing was imported.") % {"rows": rows})
        summary = (_("Would import from source “%(source)s”: %(created)s created, %(updated)s updated, "
                     "%(unchanged)s unchanged; %(warnings)s warning(s).") if result.dry_run else
                   _("Imported from source “%(source)s”: %(created)s created, %(updated)s updated, "
                     "%(unchanged)s unchanged; %(warnings)s warning(s)."))
        self.stdout.write(self.style.SUCCESS(summary % {
            "source": result.source, "created": result.created, "updated": result.updated,
            "unchanged": result.unchanged, "warnings": len(result.warnings)}))

    def _report_warnings(self, result: ImportResult, *, verbose: bool) -> None:
        shown = result.warnings if verbose else result.warnings[:WARNINGS_SHOWN]
        for issue in shown:
            self.stdout.write(self.style.WARNING(str(issue)))
        if len(shown) < len(result.warnings):
            self.stdout.write(_("… and %(count)s more warning(s); -v 2 shows them all.")
                              % {"count": len(result.warnings) - len(shown)})
