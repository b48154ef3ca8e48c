"""Write the thesaurus as SKOS Turtle, SKOS RDF/XML or CSV."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from sinergia.core.thesaurus import default_base_iri, thesaurus_csv, thesaurus_rdfxml, thesaurus_skos


class Command(BaseCommand):
    help = "Export the thesaurus as SKOS (Turtle or RDF/XML) or CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["turtle", "rdfxml", "csv"], default="turtle")
        parser.add_argument("--output", type=Path, help="Where to write the export (default: standard output).")
        parser.add_argument("--base-iri", default=default_base_iri(),
                            help="The IRI prefix of the concepts in the SKOS exports.")

    def handle(self, *args, **options) -> None:
        text = {
            "turtle": lambda: thesaurus_skos(base_iri=options["base_iri"]),
            "rdfxml": lambda: thesaurus_rdfxml(base_iri=options["base_iri"]),
            "csv": thesaurus_csv,
        }[options["format"]]()
        if options["output"] is None:
            self.stdout.write(text, ending="")
            return
        try:
            options["output"].write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(_("Cannot write %(path)s: %(error)s")
                               % {"path": options["output"], "error": error.strerror}) from error
        self.stdout.write(self.style.SUCCESS(_("Thesaurus written to %(path)s.") % {"path": options["output"]}))
