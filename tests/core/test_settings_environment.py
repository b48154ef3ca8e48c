"""Settings come from the environment: Redis for cache and sessions, SQLite in WAL mode with waiting writers."""

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper

ROOT = Path(settings.BASE_DIR)
REDIS_URL = "redis://127.0.0.1:6379/15"


def _settings_in_subprocess(env: dict, code: str) -> dict:
    """Run `code` after django.setup() with the production settings and the given environment."""
    script = "import django, json, os; django.setup(); " + code
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "sinergia.settings", **env}
    output = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True,
                            text=True, check=True, timeout=60)
    return json.loads(output.stdout.strip().splitlines()[-1])


def _redis_up() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.mark.skipif(not _redis_up() and os.environ.get("CI") != "true", reason="Redis is not running here")
def test_redis_url_puts_cache_and_sessions_in_redis():
    result = _settings_in_subprocess(
        {"REDIS_URL": REDIS_URL},
        "from django.conf import settings; from django.core.cache import cache; "
        "cache.set('sinergia-test', 'kept', 30); "
        "print(json.dumps({'backend': settings.CACHES['default']['BACKEND'], "
        "'sessions': settings.SESSION_ENGINE, 'value': cache.get('sinergia-test')}))",
    )
    assert result == {"backend": "django_redis.cache.RedisCache", "sessions": "django.contrib.sessions.backends.cache",
                      "value": "kept"}


def test_without_redis_url_the_cache_is_local_and_sessions_in_the_database():
    result = _settings_in_subprocess(
        {"REDIS_URL": ""},
        "from django.conf import settings; "
        "print(json.dumps({'backend': settings.CACHES['default']['BACKEND'], 'sessions': settings.SESSION_ENGINE}))",
    )
    assert result == {"backend": "django.core.cache.backends.locmem.LocMemCache",
                      "sessions": "django.contrib.sessions.backends.db"}


def test_database_url_selects_postgresql():
    result = _settings_in_subprocess(
        {"DATABASE_URL": "postgres://sinergia@db.example.org:5432/sinergia"},
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(json.dumps({'engine': d['ENGINE'], 'name': d['NAME'], 'host': d['HOST']}))",
    )
    assert result == {"engine": "django.db.backends.postgresql", "name": "sinergia", "host": "db.example.org"}


def _sqlite_connection(path: Path) -> DatabaseWrapper:
    """A connection configured exactly as the default database of the settings, on another file."""
    config = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path), "OPTIONS": dict(settings.SQLITE_OPTIONS),
              "ATOMIC_REQUESTS": False, "AUTOCOMMIT": True, "CONN_MAX_AGE": 0, "CONN_HEALTH_CHECKS": False,
              "TIME_ZONE": None, "USER": "", "PASSWORD": "", "HOST": "", "PORT": "", "TEST": {}}
    return DatabaseWrapper(config, alias=f"wal-{threading.get_ident()}")


def test_sqlite_runs_in_wal_mode(tmp_path, django_db_blocker):
    connection = _sqlite_connection(tmp_path / "wal.sqlite3")
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    connection.close()


def test_concurrent_sqlite_writers_wait_instead_of_failing(tmp_path, django_db_blocker):
    path = tmp_path / "writers.sqlite3"
    with sqlite3.connect(path) as setup:
        setup.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER)")
        setup.execute("INSERT INTO counter VALUES (1, 0)")
    errors: list[Exception] = []

    def writer() -> None:
        alias = f"wal-{threading.get_ident()}"
        connections[alias] = _sqlite_connection(path)
        try:
            for _ in range(20):
                # Read, then write: with deferred transactions two such writers deadlock and one fails at once.
                with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
                    cursor.execute("SELECT value FROM counter WHERE id = 1")
                    value = cursor.fetchone()[0]
                    time.sleep(0.002)
                    cursor.execute("UPDATE counter SET value = %s WHERE id = 1", [value + 1])
        except Exception as error:  # the test reports any failure of a writer
            errors.append(error)
        finally:
            connections[alias].close()

    threads = [threading.Thread(target=writer) for _ in range(4)]
    with django_db_blocker.unblock():
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    with sqlite3.connect(path) as check:
        assert (errors, check.execute("SELECT value FROM counter").fetchone()[0]) == ([], 80)


def test_the_production_entry_point_freezes_what_it_loaded_and_collects_the_young_generation_less_often():
    found = _settings_in_subprocess({}, "import gc, sinergia.wsgi; "
                                        "print(json.dumps([gc.get_threshold()[0], gc.get_freeze_count() > 0]))")

    assert found == [50_000, True]


def test_a_worker_freezes_again_what_its_first_requests_loaded():
    found = _settings_in_subprocess({}, (
        "import gc, sinergia.wsgi as w; app = w.Refreezing(lambda environ, start_response: [b'']); "
        "counts = [gc.get_freeze_count()]; "
        "[app({}, None) for _ in range(min(w.REFREEZE_AFTER) - 1)]; counts.append(gc.get_freeze_count()); "
        "loaded = [[n] for n in range(1000)]; app({}, None); counts.append(gc.get_freeze_count()); "
        "print(json.dumps(counts))"))

    before, just_before, after = found
    assert just_before == before
    assert after >= before + 1000  # the lists loaded since are frozen too


@pytest.mark.skipif(connections["default"].vendor != "postgresql", reason="a PostgreSQL setting")
def test_postgresql_sessions_read_pages_ahead_as_database_io_concurrency_says():
    url = os.environ["DATABASE_URL"]
    show = ("from django.db import connection; cursor = connection.cursor(); "
            "cursor.execute('SHOW effective_io_concurrency'); print(json.dumps(cursor.fetchone()[0]))")

    assert _settings_in_subprocess({"DATABASE_URL": url}, show) == "64"
    assert _settings_in_subprocess({"DATABASE_URL": url, "DATABASE_IO_CONCURRENCY": "8"}, show) == "8"
    options = "from django.conf import settings; print(json.dumps(settings.DATABASES['default']['OPTIONS']))"
    assert "options" not in _settings_in_subprocess({"DATABASE_URL": url, "DATABASE_IO_CONCURRENCY": "0"}, options)
