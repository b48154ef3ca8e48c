"""Seeded data set at scale: organisations, networks (one of 2,000 members), users with roles, charters, events,
library resources, the exchange and the desk.

    DATABASE_URL=... .venv/bin/python bench/generate.py [--scale 1.0] [--seed 42] [--no-calendar] [--no-library]
                                                         [--no-desk]

Also importable: `from bench.generate import generate; generate(scale=0.05)` (Django set up by the caller; the
calendar only with `calendar=True`, the library only with `library=True`). The same scale and seed always give the
same data (the calendar's dates are anchored on the Monday of the current week, the library's datestamps on
today); a database that already holds bench data is left as it is.
"""

import argparse
import datetime
import json
import os
import random
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any


def generate(scale: float = 1.0, seed: int = 42, *, calendar: bool = False, library: bool = False,
             desk: bool = False) -> dict:
    """Fill the database with the seeded bench data set (its calendar, library, exchange and desk when asked)."""
    from django.db import transaction

    from bench import builders
    from bench.common import BENCH_SOURCE, Sizes
    from sinergia.directory.models import Organisation

    sizes = Sizes.for_scale(scale)
    reused = Organisation.objects.filter(source=BENCH_SOURCE).exists()
    if not reused:
        rng = random.Random(seed)
        with transaction.atomic():
            concepts = builders.concepts()
            organisations = builders.organisations(rng, sizes.organisations, concepts)
            users = builders.users(rng, sizes.users, organisations)
            builders.networks(rng, sizes, organisations, users, concepts)
    result: dict[str, Any] = {**builders.counts(), "reused": reused, "sizes": asdict(sizes)}
    if calendar:
        result["calendar"] = generate_calendar(sizes.events, seed)
        result.update(result["calendar"]["counts"])
    if library:
        result["library"] = generate_library(sizes.resources, seed)
        result.update(result["library"]["counts"])
    if desk:
        result["desk"] = generate_desk(sizes, seed)
        result.update(result["desk"]["counts"])
    if not reused or (calendar and result["calendar"]["refresh"]) or (library and result["library"]["created"]) or (
            desk and result["desk"]["created"]):
        refresh_statistics()
    return result


def generate_calendar(count: int, seed: int, *, today: datetime.date | None = None) -> dict:
    """The bench calendar (unless there), its occurrences materialised by the project's own refresh, timed."""
    from django.db import transaction

    from bench import builders, calendar_builders
    from bench.calendar_plans import reference_monday
    from sinergia.calendar.models import Occurrence

    created = None
    if not calendar_builders.has_events():
        # A seed of its own, so the directory stays the same with or without the calendar.
        rng = random.Random(f"{seed}-calendar")
        with transaction.atomic():
            context = calendar_builders.load_context(builders.concepts())
            created = calendar_builders.events(rng, count, context, monday=reference_monday(today))
    refresh = refresh_occurrences() if created or not Occurrence.objects.exists() else None
    return {"created": created, "refresh": refresh, "counts": calendar_builders.counts()}


def generate_library(count: int, seed: int, *, today: datetime.date | None = None) -> dict:
    """The bench library (unless there), written in one transaction, then indexed by the search's bulk path."""
    from django.db import transaction

    from bench import library_builders

    created = index = None
    if not library_builders.has_resources():
        # A seed of its own, so the directory and the calendar stay the same with or without the library.
        rng = random.Random(f"{seed}-library")
        with transaction.atomic():
            context = library_builders.load_context(rng, seed, today=today)
            created = library_builders.build(rng, count, context)
        index = library_builders.index()
    return {"created": created, "index": index, "counts": library_builders.counts()}


def generate_desk(sizes, seed: int) -> dict:
    """The bench exchange, desk and digest notifications (unless there), then the knowledge-base index, timed."""
    from django.db import transaction

    from bench import desk_builders, digest_builders, exchange_builders

    created: dict = {}
    rng = random.Random(f"{seed}-desk")  # a seed of its own: the rest of the data set stays the same without it
    with transaction.atomic():
        if not exchange_builders.has_listings():
            created["exchange"] = exchange_builders.listings(rng, sizes.offers, sizes.needs,
                                                             exchange_builders.load_context(rng))
        if not desk_builders.has_questions():
            context = desk_builders.load_context(rng)
            created["questions"] = desk_builders.questions(rng, sizes.questions, context)
            created["calls"] = desk_builders.calls(rng, sizes.calls, context)
        if not digest_builders.has_digest_notifications():
            created["digest"] = digest_builders.notifications(rng, sizes.users)
    index = desk_builders.index() if "questions" in created else None
    return {"created": created, "index": index, "counts": {**exchange_builders.counts(), **desk_builders.counts()}}


def refresh_occurrences() -> dict:
    """Materialise every event's occurrences with `occurrences_refresh_all`, timed by the wall clock."""
    from sinergia.calendar.services import occurrences_refresh_all

    busy = os.getloadavg()[0]
    started = time.perf_counter()
    report = occurrences_refresh_all()
    wall = time.perf_counter() - started
    return {"events": report.events, "occurrences": report.occurrences, "truncated": report.truncated,
            "seconds": round(wall, 2), "load": [round(busy, 2), round(os.getloadavg()[0], 2)]}


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
    parser.add_argument("--no-calendar", dest="calendar", action="store_false", help="leave the calendar out")
    parser.add_argument("--no-library", dest="library", action="store_false", help="leave the library out")
    parser.add_argument("--no-desk", dest="desk", action="store_false",
                        help="leave the exchange, the desk and the digest's notifications out")
    parser.add_argument("--report", type=Path, help="also write what was generated, as JSON, to this file")
    args = parser.parse_args(argv)
    if not 0 < args.scale <= 10:
        parser.error("--scale must be in (0, 10]")
    setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    result = generate(scale=args.scale, seed=args.seed, calendar=args.calendar, library=args.library,
                      desk=args.desk)
    state = "already there" if result["reused"] else f"generated in {time.perf_counter() - started:.1f} s"
    print(f"Bench data {state}: " + ", ".join(f"{count:,} {name}" for name, count in result.items()
                                                if isinstance(count, int) and not isinstance(count, bool)))
    if args.calendar:
        print(calendar_summary(result["calendar"]))
    if args.library:
        print(library_summary(result["library"]))
    if args.desk:
        print(desk_summary(result["desk"]))
    if args.report:
        args.report.write_text(json.dumps(result, indent=2, default=str))
    return 0


def calendar_summary(calendar: dict) -> str:
    """What the calendar step did, in one paragraph: the events built and the refresh's wall time."""
    from bench.common import REFRESH_TARGET_SECONDS

    created, refresh = calendar["created"], calendar["refresh"]
    lines = [f"Calendar: {created['events']:,} events built ({created['recurring events']:,} recurring, "
             f"{created['planned occurrences']:,} occurrences planned)." if created else "Calendar: already there."]
    if refresh:
        verdict = "within" if refresh["seconds"] < REFRESH_TARGET_SECONDS else "OVER"
        lines.append(f"occurrences_refresh_all: {refresh['occurrences']:,} occurrences of {refresh['events']:,} "
                     f"events ({refresh['truncated']:,} truncated) in {refresh['seconds']:.1f} s wall time, "
                     f"{verdict} the target of {REFRESH_TARGET_SECONDS} s (1-minute load average "
                     f"{refresh['load'][0]:.2f} before, {refresh['load'][1]:.2f} after).")
    return " ".join(lines)


def library_summary(library: dict) -> str:
    """What the library step did: the resources written and the search index built, with their wall times."""
    created, index = library["created"], library["index"]
    if not created:
        return "Library: already there."
    return (f"Library: {created['resources']:,} resources ({created['translations']:,} translations, "
            f"{created['deleted']:,} deleted, {created['creators']:,} creators, {created['texts']:,} extracted texts "
            f"of {created['text characters'] / 1e6:,.0f} M characters) written in {created['seconds']:.1f} s; "
            f"search index of {index['resources']:,} resources built in {index['seconds']:.1f} s.")


def desk_summary(desk: dict) -> str:
    """What the exchange and desk step wrote, with its wall times."""
    created, index = desk["created"], desk["index"]
    if not created:
        return "Exchange and desk: already there."
    parts = [f"{name}: " + ", ".join(f"{value:,} {key}" for key, value in step.items() if key != "seconds")
             + f" in {step['seconds']:.1f} s" for name, step in created.items()]
    if index:
        parts.append(f"knowledge-base index of {index['questions']:,} questions built in {index['seconds']:.1f} s")
    return "Exchange and desk: " + "; ".join(parts) + "."


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main())
