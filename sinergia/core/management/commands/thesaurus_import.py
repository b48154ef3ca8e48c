"""Import concepts from a SKOS (Turtle, RDF/XML) or CSV file, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from sinergia.core.models import Concept
from sinergia.core.thesaurus import THESAURUS_MAX_BYTES, thesaurus_import, thesaurus_import_preview

SUFFIX_FORMATS = {".ttl": "turtle", ".turtle": "turtle", ".rdf": "rdfxml", ".xml": "rdfxml", ".owl": "rdfxml",
                  ".csv": "csv"}


class Command(BaseCommand):
    help = "Import thesaurus concepts from a SKOS Turtle, RDF/XML or CSV file (upsert by notation)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--format", choices=["turtle", "rdfxml", "csv"],
                            help="The file's format (default: guessed from its extension).")
        parser.add_argument("--default-scheme", choices=Concept.Scheme.values, default="",
                            help="The scheme of SKOS concepts whose skos:inScheme is not one of ours.")
        parser.add_argument("--scheme", action="append", default=[], metavar="IRI=SCHEME",
                            help="Map a SKOS concept scheme IRI to one of our schemes (repeatable).")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report; write nothing.")

    def handle(self, *args, **options) -> None:
        path: Path = options["path"]
        format = options["format"] or SUFFIX_FORMATS.get(path.suffix.lower())
        if format is None:
            raise CommandError(_("Cannot tell the format of %(path)s: pass --format.") % {"path": path})
        kwargs = {"content": self._read(path), "format": format, "default_scheme": options["default_scheme"],
                  "schemes": self._schemes(options["scheme"])}
        result = thesaurus_import_preview(**kwargs) if options["dry_run"] else thesaurus_import(by=None, **kwargs)
        if result.errors:
            raise CommandError("\n".join([_("Nothing was imported:"), *result.errors]))
        message = _("Would create %(created)s, update %(updated)s, leave %(unchanged)s unchanged.") if options[
            "dry_run"] else _("Thesaurus: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
        self.stdout.write(self.style.SUCCESS(message % {
            "created": result.created, "updated": result.updated, "unchanged": result.unchanged}))

    def _read(self, path: Path) -> bytes:
        try:
            with path.open("rb") as handle:
                return handle.read(THESAURUS_MAX_BYTES + 1)
        except OSError as error:
            raise CommandError(_("Cannot read %(path)s: %(error)s")
                               % {"path": path, "error": error.strerror}) from error

    def _schemes(self, pairs: list[str]) -> dict[str, str]:
        schemes = {}
        for pair in pairs:
            iri, _sep, scheme = pair.rpartition("=")
            if not iri or scheme not in Concept.Scheme.values:
                raise CommandError(_("--scheme expects IRI=SCHEME with one of %(schemes)s.")
                                   % {"schemes": ", ".join(Concept.Scheme.values)})
            schemes[iri] = scheme
        return schemes
