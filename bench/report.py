"""The benchmark's report: the machine, the database and a Markdown table appended to bench/RESULTS.md."""

import datetime
import os
import platform
from dataclasses import dataclass
from pathlib import Path

from bench.load import Measurement

HEADER = """# Benchmark results

Each section is one run of `bench/run.py`: the seeded data set of `bench/generate.py`, served by gunicorn
(2 sync workers, production settings, DEBUG off) and loaded by an in-process client on the same machine.
The empty view (`/bench/empty/`) is the floor: what the server and middleware cost with no work and no query.
"SQL" is the number of queries the page makes, counted in-process on the same database.
"Jobs" are measured once, in-process: the refresh of every event's occurrences and the memory a feed takes.
"""


@dataclass(frozen=True)
class Row:
    """One measured target and its outcome."""

    name: str
    path: str
    queries: int | None
    target_ms: float | None
    size: int
    result: Measurement | None

    @property
    def verdict(self) -> str:
        if self.result is None:
            return "not measured: the page does not exist (yet)"
        if self.result.errors or not self.result.latencies:
            return f"errors ({self.result.last_error})"
        if self.target_ms is None:
            return ""
        return "yes" if self.result.percentile(0.95) < self.target_ms else "**no**"


@dataclass(frozen=True)
class Job:
    """A measurement made once rather than under load: what, how much, against which target, and its details."""

    name: str
    measured: str
    target: str
    met: bool | None
    details: str = ""


def machine() -> str:
    """CPU model, cores, memory, operating system and Python of this machine."""
    cpu = next((line.split(":", 1)[1].strip() for line in _read_lines("/proc/cpuinfo")
                if line.startswith("model name")), platform.processor() or "unknown CPU")
    memory = next((int(line.split()[1]) for line in _read_lines("/proc/meminfo") if line.startswith("MemTotal")), 0)
    return (f"{cpu}, {os.cpu_count()} cores, {memory / 1024 / 1024:.1f} GiB RAM; {platform.platform()}; "
            f"Python {platform.python_version()}")


def _read_lines(path: str) -> list[str]:
    try:
        return Path(path).read_text().splitlines()
    except OSError:
        return []


def database() -> str:
    """The engine and version of Django's default database (SQLite or PostgreSQL; its size and buffers)."""
    from django.db import connection

    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version} (WAL), file {Path(connection.settings_dict['NAME']).name}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version'), current_setting('shared_buffers'), "
                       "current_setting('effective_io_concurrency'), "
                       "pg_size_pretty(pg_database_size(current_database()))")
        version, shared_buffers, io_concurrency, size = cursor.fetchone()
    # How much of the database the server keeps in its own memory tells how often a query reads from the disk, and
    # the app's effective_io_concurrency how many of those reads a scan asks for at once.
    return (f"PostgreSQL {version.split()[0]}, database {connection.settings_dict['NAME']} ({size}, "
            f"shared_buffers {shared_buffers}, effective_io_concurrency {io_concurrency})")


def table(rows: list[Row]) -> str:
    """The Markdown table of the rows."""
    lines = ["| target | path | SQL | response | requests | errors | req/s | p50 ms | p95 ms | p95 target | met |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for row in rows:
        result = row.result
        if result is None:
            lines.append(f"| {row.name} | | | | | | | | | {_target(row)} | {row.verdict} |")
            continue
        lines.append(
            f"| {row.name} | `{row.path[:60]}` | {'' if row.queries is None else row.queries} | "
            f"{row.size / 1024:,.1f} KiB | {result.count:,} | {result.errors} | {result.throughput:,.1f} | "
            f"{result.percentile(0.5):.1f} | {result.percentile(0.95):.1f} | "
            f"{_target(row)} | {row.verdict} |")
    return "\n".join(lines)


def jobs_table(jobs: list[Job]) -> str:
    """The Markdown table of the one-off measurements."""
    lines = ["| job | measured | target | met | details |", "| --- | ---: | ---: | --- | --- |"]
    for job in jobs:
        met = "" if job.met is None else ("yes" if job.met else "**no**")
        lines.append(f"| {job.name} | {job.measured} | {job.target} | {met} | {job.details} |")
    return "\n".join(lines)


def _target(row: Row) -> str:
    return "" if row.target_ms is None else f"< {row.target_ms:.0f}"


def section(*, rows: list[Row], data: dict, command: str, load: str, jobs: list[Job] | None = None) -> str:
    """One run's section: when, where, on what, how, the table and the jobs' table."""
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    sizes = ", ".join(f"{count:,} {name}" for name, count in data.items() if isinstance(count, int))
    return (f"\n## {now} — {database()}\n\n"
            f"- Machine: {machine()}\n- Database: {database()}\n- Data: {sizes}\n"
            f"- Server: gunicorn, 2 sync workers, `sinergia.settings`, DEBUG off\n- Load: {load}\n"
            f"- Command: `{command}`\n\n{table(rows)}\n" + (f"\n{jobs_table(jobs)}\n" if jobs else ""))


def append(path: Path, text: str) -> None:
    """Append a section to the results file, writing its header first when the file is new."""
    if not path.exists():
        path.write_text(HEADER)
    with path.open("a") as handle:
        handle.write(text)
