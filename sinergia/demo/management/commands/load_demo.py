"""Load the demo directory, networks and accounts, and print how to sign in."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from sinergia.demo.scenario import demo_load


class Command(BaseCommand):
    help = "Load the demo (real open data when ../shared/data is there) once, and print the demo accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", default="sinergia-demo", help="Password of the demo accounts.")
        parser.add_argument("--data-dir", default=None, help=f"Open data folder (default {settings.SHARED_DATA_DIR}).")

    def handle(self, *args, **options) -> None:
        result = demo_load(password=options["password"], data_dir=options["data_dir"], say=self.stdout.write)
        state = "already loaded" if result.already_loaded else f"loaded from {result.source}"
        self.stdout.write(self.style.SUCCESS(
            f"Demo {state}: {result.organisations} organisations, networks: {', '.join(result.networks)}."))
        self.stdout.write(f"Demo accounts (password: {options['password']}):")
        for email, name in result.accounts:
            self.stdout.write(f"  {email:<32} {name}")
