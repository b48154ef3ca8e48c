"""Load the shipped thesaurus (idempotent upsert by notation), or export the thesaurus as SKOS or CSV."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from sinergia.core.thesaurus import thesaurus_csv, thesaurus_load, thesaurus_skos


class Command(BaseCommand):
    help = "Load the thesaurus of themes, audiences and categories, or export it with --export skos|csv."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, help="A thesaurus JSON file (default: the shipped vocabulary).")
        parser.add_argument("--export", choices=["skos", "csv"], help="Write the thesaurus instead of loading it.")
        parser.add_argument("--output", type=Path, help="Where to write the export (default: standard output).")
        parser.add_argument("--base-iri", default=f"{settings.SITE_URL.rstrip('/')}/thesaurus/",
                            help="The IRI prefix of the concepts in the SKOS export.")

    def handle(self, *args, **options) -> None:
        if options["export"]:
            self._export(options)
            return
        try:
            result = thesaurus_load(path=options["file"])
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(
            _("Thesaurus: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
            % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}))

    def _export(self, options: dict) -> None:
        text = thesaurus_skos(base_iri=options["base_iri"]) if options["export"] == "skos" else thesaurus_csv()
        if options["output"] is None:
            self.stdout.write(text, ending="")
            return
        try:
            options["output"].write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(_("Cannot write %(path)s: %(error)s")
                               % {"path": options["output"], "error": error.strerror}) from error
        self.stdout.write(self.style.SUCCESS(_("Thesaurus written to %(path)s.") % {"path": options["output"]}))
