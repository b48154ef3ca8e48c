"""Materialising occurrences in the rolling horizon, for one event or for all of them in bulk."""

import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from operator import itemgetter
from typing import Any

from django.conf import settings
from django.db import connections, models, router, transaction

from sinergia.calendar.cells import place_cell
from sinergia.calendar.models import Event, Occurrence
from sinergia.calendar.occurrences import Spans, event_spans, horizon

# Only what the expansion and the copied columns need, so a batch of events is read without the texts.
REFRESH_FIELDS = ("id", "start", "end", "all_day", "timezone", "rrule", "rdates", "exdates", "overrides", "status",
                  "latitude", "longitude", "region")
ROW_FIELDS = ("event", "start", "end", "all_day", "is_long", "cancelled", "latitude", "longitude", "region", "cell")
REFRESH_BATCH = 2000
WRITE_CHUNK = 5000


@dataclass(frozen=True)
class RefreshReport:
    """What a refresh of every event did: events seen, occurrences written, events cut at the bound, time taken."""

    events: int
    occurrences: int
    truncated: int
    seconds: float


@dataclass(frozen=True)
class _Planned:
    rows: list[tuple]
    until: datetime
    truncated: bool


def occurrences_refresh(*, event: Event, now: datetime | None = None) -> int:
    """Rewrite the event's occurrences in the horizon from its stored dates; return how many there are now."""
    window, using = horizon(now), router.db_for_write(Occurrence)
    with transaction.atomic(using=using):
        # The row lock makes a concurrent refresh of the same event wait, instead of both inserting.
        record = (Event.objects.using(using).select_for_update().filter(pk=event.pk)
                  .values_list(*REFRESH_FIELDS, named=True).get())
        planned = _plan(record, window)
        _store(planned.rows, [event.pk], using)
        Event.objects.using(using).filter(pk=event.pk).update(occurrences_until=planned.until,
                                                              occurrences_truncated=planned.truncated)
    event.occurrences_until, event.occurrences_truncated = planned.until, planned.truncated
    return len(planned.rows)


def occurrences_refresh_all(*, now: datetime | None = None, batch_size: int = REFRESH_BATCH) -> RefreshReport:
    """Rewrite every event's occurrences in the horizon, a batch of events per transaction."""
    began, window, using = time.monotonic(), horizon(now), router.db_for_write(Occurrence)
    events = occurrences = truncated = 0
    last_pk = 0
    while True:
        with transaction.atomic(using=using):
            batch = list(Event.objects.using(using).select_for_update().filter(pk__gt=last_pk).order_by("pk")
                         .values_list(*REFRESH_FIELDS, named=True)[:batch_size])
            if not batch:
                break
            written, cut = _refresh_batch(batch, window, using)
        last_pk = batch[-1].id
        events, occurrences, truncated = events + len(batch), occurrences + written, truncated + cut
    occurrences_statistics(using=using)
    return RefreshReport(events=events, occurrences=occurrences, truncated=truncated,
                         seconds=round(time.monotonic() - began, 3))


def occurrences_refresh_events(*, event_ids: Sequence[int], now: datetime | None = None,
                               batch_size: int = REFRESH_BATCH) -> int:
    """Rewrite the occurrences of these events (say, just imported), a batch per transaction; return the count."""
    window, using = horizon(now), router.db_for_write(Occurrence)
    written = 0
    for offset in range(0, len(event_ids), batch_size):
        with transaction.atomic(using=using):
            chunk = event_ids[offset:offset + batch_size]
            batch = list(Event.objects.using(using).select_for_update().filter(pk__in=chunk).order_by("pk")
                         .values_list(*REFRESH_FIELDS, named=True))
            written += _refresh_batch(batch, window, using)[0]
    return written


def occurrences_statistics(*, using: str | None = None) -> None:
    """Refresh the query planner's statistics of the occurrences, after a bulk refresh rewrote many of them.

    Without them SQLite (which never gathers them by itself) picks plans for the clash check and the calendar's
    pages that read a hundred times more rows. About half a second for a million occurrences; SQLite's sampling
    (analysis_limit) is not used, as it misjudges how many occurrences a region has.
    """
    connection = connections[using or router.db_for_write(Occurrence)]
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(Occurrence._meta.db_table)}")


def _refresh_batch(batch: Sequence[Any], window: tuple[datetime, datetime], using: str) -> tuple[int, int]:
    """Rewrite the batch's occurrences and record how far each event is materialised; (occurrences, truncated)."""
    rows: list[tuple] = []
    groups: dict[tuple[datetime, bool], list[int]] = defaultdict(list)
    for record in batch:
        planned = _plan(record, window)
        rows += planned.rows
        groups[(planned.until, planned.truncated)].append(record.id)
    _store(rows, [record.id for record in batch], using)
    # Most events share the same (until, truncated): one UPDATE per distinct pair rather than one per event.
    for (until, cut), ids in groups.items():
        Event.objects.using(using).filter(pk__in=ids).update(occurrences_until=until, occurrences_truncated=cut)
    return len(rows), sum(len(ids) for (_until, cut), ids in groups.items() if cut)


def _plan(record: Any, window: tuple[datetime, datetime]) -> _Planned:
    """The occurrence rows (ROW_FIELDS) of one event read with REFRESH_FIELDS, and how far they are complete."""
    spans = event_spans(record, window=window, limit=settings.CALENDAR_MAX_OCCURRENCES_PER_EVENT)
    all_cancelled = record.status == Event.Status.CANCELLED
    cell = place_cell(record.latitude, record.longitude)
    rows = [(record.id, start, end, record.all_day, (end - start).total_seconds() > Occurrence.LONG,
             all_cancelled or start in spans.cancelled, record.latitude, record.longitude, record.region, cell)
            for start, end in spans.occurrences]
    return _Planned(rows=rows, until=_complete_until(spans, window), truncated=spans.truncated)


def _store(rows: list[tuple], event_ids: list[int], using: str) -> None:
    """Make the events' stored occurrences exactly `rows`, writing only those that differ.

    A nightly refresh changes few rows (the horizon moves by a day), so comparing with what is stored spares
    rewriting a million rows and their index entries, and spares PostgreSQL the dead tuples to vacuum.
    """
    stored = _stored(event_ids, using)
    if not stored:
        _insert(rows, using)
        return
    wanted = {(row[0], row[1]): row for row in rows}
    stale, kept = [], set()
    for key, (pk, *values) in stored.items():
        row = wanted.get(key)
        if row is not None and row[2:] == tuple(values):
            kept.add(key)
        else:
            stale.append(pk)
    for offset in range(0, len(stale), WRITE_CHUNK):
        Occurrence.objects.using(using).filter(pk__in=stale[offset:offset + WRITE_CHUNK]).delete()
    _insert([row for key, row in wanted.items() if key not in kept], using)


def _stored(event_ids: list[int], using: str) -> dict[tuple, tuple]:
    """(event id, start) → (pk, end, all_day, …) of the events' stored occurrences, times aware."""
    connection = connections[using]
    zone = connection.timezone or UTC
    quote = connection.ops.quote_name
    columns = ", ".join(quote(_column(name)) for name in ("id", *ROW_FIELDS))
    sql = (f"SELECT {columns} FROM {quote(Occurrence._meta.db_table)} "  # noqa: S608 (names from the model)
           f"WHERE {quote(_column('event'))} IN ({', '.join(['%s'] * len(event_ids))})")
    with connection.cursor() as cursor:
        cursor.execute(sql, event_ids)
        # Read without the ORM's model conversions: SQLite's driver gives naive times in the connection's zone.
        return {(event_id, _aware(start, zone)): (pk, _aware(end, zone), *rest)
                for pk, event_id, start, end, *rest in cursor.fetchall()}


def _aware(value: datetime, zone: tzinfo) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=zone)


def _insert(rows: list[tuple], using: str) -> None:
    """Insert occurrence rows, by start: COPY on PostgreSQL, one prepared statement elsewhere.

    bulk_create prepares every field of every model instance in Python: for the million rows of a first refresh
    it was six times slower than an executemany of the same rows (values adapted as the ORM adapts them), and
    PostgreSQL's COPY was three times faster again.
    """
    if not rows:
        return
    # In time order: the rows of a day then sit on a few pages, which the range reads of the calendar's pages,
    # feeds and clash check fetch (a nightly refresh adds the day entering the horizon, in time order too).
    rows = sorted(rows, key=itemgetter(1))
    connection = connections[using]
    quote = connection.ops.quote_name
    table = quote(Occurrence._meta.db_table)
    columns = ", ".join(quote(_column(name)) for name in ROW_FIELDS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and hasattr(cursor, "copy"):
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        adapt = connection.ops.adapt_datetimefield_value
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(ROW_FIELDS))})"  # noqa: S608
        for offset in range(0, len(rows), WRITE_CHUNK):
            cursor.executemany(sql, [(event_id, adapt(start), adapt(end), *rest)
                                     for event_id, start, end, *rest in rows[offset:offset + WRITE_CHUNK]])


def _column(name: str) -> str:
    field = Occurrence._meta.get_field(name)
    assert isinstance(field, models.Field) and field.column
    return field.column


def _complete_until(spans: Spans, window: tuple[datetime, datetime]) -> datetime:
    """Up to when the stored occurrences are all there: the horizon, or the last one kept when the bound cut."""
    last = spans.occurrences[-1][0] if spans.occurrences else None
    if spans.truncated and isinstance(last, datetime):
        return last
    return window[1]
