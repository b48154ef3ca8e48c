"""Reindex every question of the desk for search (after bulk loads or a restore)."""

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from sinergia.desk.search import index_all_questions


class Command(BaseCommand):
    help = "Reindex the title, details and answers of every desk question for search, in batches."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=1000, help="Questions per transaction (default 1000).")

    def handle(self, *args, **options) -> None:
        verbose = options["verbosity"] > 1
        total = index_all_questions(
            batch_size=options["batch_size"],
            progress=(lambda done: self.stdout.write(_("%(count)s questions indexed…") % {"count": done}))
            if verbose else None)
        self.stdout.write(self.style.SUCCESS(_("%(count)s questions indexed.") % {"count": total}))
