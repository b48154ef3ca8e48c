"""Seeded data set at scale: organisations, networks (one of 2,000 members), users with roles, charters.

    DATABASE_URL=... .venv/bin/python bench/generate.py [--scale 1.0] [--seed 42]

Also importable: `from bench.generate import generate; generate(scale=0.05)` (Django set up by the caller).
The same scale and seed always give the same data; a database that already holds bench data is left as it is.
"""

import argparse
import os
import random
import sys
import time
from dataclasses import asdict
from pathlib import Path


def generate(scale: float = 1.0, seed: int = 42) -> dict:
    """Fill the database with the seeded bench data set; return what it holds."""
    from django.db import transaction

    from bench import builders
    from bench.common import BENCH_SOURCE, Sizes
    from sinergia.directory.models import Organisation

    if Organisation.objects.filter(source=BENCH_SOURCE).exists():
        return {**builders.counts(), "reused": True}
    rng = random.Random(seed)
    sizes = Sizes.for_scale(scale)
    with transaction.atomic():
        concepts = builders.concepts()
        organisations = builders.organisations(rng, sizes.organisations, concepts)
        users = builders.users(rng, sizes.users, organisations)
        builders.networks(rng, sizes, organisations, users, concepts)
    refresh_statistics()
    return {**builders.counts(), "reused": False, "sizes": asdict(sizes)}


def refresh_statistics() -> None:
    """Planner statistics (and PostgreSQL's visibility map) for the new rows, as a database in use would have."""
    from django.db import connection

    if connection.in_atomic_block:  # VACUUM cannot run in a transaction; the caller's database keeps its own
        return
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def setup_django() -> None:
    """Make the project importable and set Django up with the production settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinergia.settings")
    import django

    django.setup()


def main(argv: list[str] | None = None) -> int:
    """Migrate the database of DATABASE_URL and generate the data set into it."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 (default) is the full data set")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    if not 0 < args.scale <= 10:
        parser.error("--scale must be in (0, 10]")
    setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    result = generate(scale=args.scale, seed=args.seed)
    state = "already there" if result.pop("reused") else f"generated in {time.perf_counter() - started:.1f} s"
    print(f"Bench data {state}: " + ", ".join(f"{count:,} {name}" for name, count in result.items()
                                                if isinstance(count, int)))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main())
