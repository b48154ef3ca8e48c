"""Reindex every library resource for search (after bulk loads or a restore)."""

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from sinergia.library.search.selector import index_all_resources


class Command(BaseCommand):
    help = "Reindex the description and extracted text of every library resource for search, in batches."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=1000,
                            help="Resources per transaction (default 1000).")

    def handle(self, *args, **options) -> None:
        verbose = options["verbosity"] > 1
        total = index_all_resources(
            batch_size=options["batch_size"],
            progress=(lambda done: self.stdout.write(_("%(count)s resources indexed…") % {"count": done}))
            if verbose else None)
        self.stdout.write(self.style.SUCCESS(_("%(count)s resources indexed.") % {"count": total}))
