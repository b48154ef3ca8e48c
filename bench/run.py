"""Serve Sinergia with its production server on the bench data set and measure latency and throughput.

    .venv/bin/python bench/run.py                      # a fresh SQLite file under bench/out/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/run.py

Steps: migrate and generate (bench/generate.py, with the calendar and its first occurrence refresh, and the
library with its search index), collectstatic, time a second refresh of every event's occurrences in-process,
start gunicorn (2 workers, DEBUG off) on a free port of 127.0.0.1, warm up, load each target with concurrent
clients for a fixed time, measure the feed's memory in-process, stop the server, print the tables and append them
to bench/RESULTS.md (or --results FILE).
"""

import argparse
import contextlib
import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PYTHON = sys.executable
HOST = "127.0.0.1"
WORKERS = 2
PROBE_LOOP = 1_000_000  # iterations of the speed probe's loop


def parse(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="size of the data set (1.0: 10,000 organisations)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--seconds", type=float, default=10.0, help="measuring time per target")
    parser.add_argument("--clients", type=int, default=WORKERS, help="concurrent clients")
    parser.add_argument("--max-requests", type=int, default=5000, help="at most this many requests per target")
    parser.add_argument("--reuse", action="store_true", help="keep the SQLite file of a previous run")
    parser.add_argument("--out", type=Path, default=OUT,
                        help="where the SQLite file (without DATABASE_URL), the generator's report and the server's "
                             "log go (default bench/out): another folder keeps another run's files")
    parser.add_argument("--no-calendar", dest="calendar", action="store_false",
                        help="leave the shared calendar out")
    parser.add_argument("--no-library", dest="library", action="store_false", help="leave the library out")
    parser.add_argument("--no-desk", dest="desk", action="store_false",
                        help="leave the exchange, the desk and the daily digest out")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "RESULTS.md")
    parser.add_argument("--only", metavar="TEXT", default="",
                        help="measure only the targets whose name contains TEXT (and the empty view), without the "
                             "one-off jobs: a quick look at one target")
    args = parser.parse_args(argv)
    if not (0 < args.scale <= 10 and 0 < args.seconds <= 600 and 1 <= args.clients <= 64):
        parser.error("--scale must be in (0, 10], --seconds in (0, 600], --clients in [1, 64]")
    args.out = args.out.resolve()  # the steps run from the project's folder
    return args


def environment(args: argparse.Namespace) -> dict[str, str]:
    """The environment of every step: DATABASE_URL (or a bench SQLite file), production settings, DEBUG off."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sinergia.settings", "DEBUG": "false", "LOG_LEVEL": "ERROR"}
    if not env.get("DATABASE_URL"):
        args.out.mkdir(parents=True, exist_ok=True)
        database = args.out / "bench.sqlite3"
        if not args.reuse:
            for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
                path.unlink(missing_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{database}"
    return env


def step(command: list[str], env: dict[str, str]) -> None:
    """Run one preparation step, stopping the benchmark if it fails."""
    print("$", " ".join(command), flush=True)
    subprocess.run(command, cwd=ROOT, env=env, check=True)


def prepare(args: argparse.Namespace, env: dict[str, str]) -> dict:
    """Migrate, generate the data set and collect the static files; what the generator reported."""
    args.out.mkdir(parents=True, exist_ok=True)
    report = args.out / "generate.json"
    report.unlink(missing_ok=True)
    command = [PYTHON, "bench/generate.py", "--scale", str(args.scale), "--seed", str(args.seed), "--report",
               str(report)]
    step(command + ([] if args.calendar else ["--no-calendar"]) + ([] if args.library else ["--no-library"])
         + ([] if args.desk else ["--no-desk"]), env)
    step([PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0"], env)
    return json.loads(report.read_text())


def refresh_jobs(generated: dict) -> list:
    """The occurrence refresh: the generator's first one (when it ran) and a timed nightly one, in-process."""
    from bench import calendar_targets
    from bench.generate import refresh_statistics

    if not generated.get("calendar"):
        return []
    jobs = []
    if first := generated["calendar"].get("refresh"):
        jobs.append(calendar_targets.refresh_to_job("occurrence refresh of all events (first, by the generator)",
                                                    first))
    print("Timing occurrences_refresh_all on the whole calendar…", flush=True)
    jobs.append(calendar_targets.refresh_job())
    refresh_statistics()  # the rewritten occurrences get fresh planner statistics, as after the nightly task
    return jobs


def free_port() -> int:
    """A TCP port nobody listens on at the moment."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def server(env: dict[str, str], out: Path = OUT) -> Iterator[int]:
    """gunicorn with 2 workers on a free local port, stopped on exit (its log in `out`); yields the port."""
    from bench.load import fetch

    port = free_port()
    log_path = out / "gunicorn.log"
    log = log_path.open("w")
    command = [str(Path(PYTHON).parent / "gunicorn"), "sinergia.wsgi:application", "--bind", f"{HOST}:{port}",
               "--workers", str(WORKERS), "--timeout", "120"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_until_up(process, lambda: fetch(HOST, port, "/bench/empty/"), log_path)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _wait_until_up(process: subprocess.Popen, probe, log: Path) -> None:
    """Poll the server for up to 60 seconds; fail with its log if it dies or never answers."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}; see {log}")
        with contextlib.suppress(OSError):
            if probe()[0] == 200:
                return
        time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer within 60 s; see {log}")


def speed_probe(rounds: int = 5) -> tuple[float, float]:
    """The fastest and the slowest of `rounds` runs of a fixed pure-Python loop, in ms: how fast the machine is
    now, and how much its speed varies (a shared host's neighbours slow it down by turns)."""
    times = []
    for _ in range(rounds):
        start, total = time.perf_counter(), 0
        for n in range(PROBE_LOOP):
            total += n * n
        times.append((time.perf_counter() - start) * 1000)
    return min(times), max(times)


def command_line(env: dict[str, str]) -> str:
    """The command that reproduces this run, with any database password hidden."""
    url = re.sub(r"://([^:/@]+):[^@]+@", r"://\1:***@", env["DATABASE_URL"])
    prefix = f"DATABASE_URL={url} " if os.environ.get("DATABASE_URL") else ""
    return prefix + " ".join([".venv/bin/python", "bench/run.py", *map(shlex.quote, sys.argv[1:])])


def main(argv: list[str] | None = None) -> int:
    """Prepare, serve, measure, report."""
    args = parse(argv)
    env = environment(args)
    command = command_line(env)
    generated = prepare(args, env)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from bench import desk_targets, library_targets, targets
    from bench.report import append, section

    jobs = [] if args.only else (refresh_jobs(generated) + library_targets.generation_jobs(generated)
                                 + desk_targets.generation_jobs(generated))
    with server(env, args.out) as port:
        busy, speed = os.getloadavg()[0], speed_probe()
        rows = targets.run_all(HOST, port, args)
        busy_after, speed_after = os.getloadavg()[0], speed_probe()
    jobs += [] if args.only else targets.jobs(args)
    load = (f"{args.clients} concurrent clients (threads + http.client, one connection per request), "
            f"{args.seconds:g} s or {args.max_requests:,} requests per target after a warm-up; "
            f"1-minute load average of the machine {busy:.2f} when measuring began, {busy_after:.2f} when it ended "
            f"(the server and clients alone account for about 2); a reference loop of {PROBE_LOOP:,} multiplications "
            f"took {speed[0]:.0f}-{speed[1]:.0f} ms before measuring, {speed_after[0]:.0f}-{speed_after[1]:.0f} ms "
            "after (fastest-slowest of 5: the machine's speed and how much it varied)")
    text = section(rows=rows, data=targets.data_counts(), command=command, load=load, jobs=jobs)
    print(text)
    append(args.results, text)
    print(f"Appended to {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
