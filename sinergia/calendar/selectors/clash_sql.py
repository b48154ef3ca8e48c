"""The clash check's one statement: the candidate occurrences with their events, and those events' audiences, themes
and shared networks, in SQL written by hand with every value a named parameter.

Written by hand because the ORM took longer to build and compile the union of index branches, the visibility filter
and the relations (about 8 ms a check) than the database took to answer them; one statement instead of three also
saves two round trips. What each part reads and why is in `_statement`. The visibility condition is
`sinergia.calendar.rules.visible_published_sql`, the same rule as the ORM's `visible_events_q`.
"""
# ruff: noqa: S608 - SQL composed of constants and table names; every value is a named parameter.

import dataclasses
import functools
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from django.db import connections, router

from sinergia.calendar.cells import box_cells
from sinergia.calendar.clash import ALL_DAY_SLACK, MIN_DURATION, ClashSettings, ClashSubject, clash_box, clash_window
from sinergia.calendar.models import Event, Occurrence
from sinergia.calendar.rules import visible_published_sql
from sinergia.calendar.selectors.events import LONG_SPAN
from sinergia.core.models import Concept

Window = tuple[datetime, datetime]
Box = tuple[float, float, float, float]
# An occurrence as read: id, event id, start, end, all-day, latitude, longitude, and its event's organisation,
# title and time zone.
Row = tuple[int, int, datetime, datetime, bool, float | None, float | None, int, str, str]

OCCURRENCES = Occurrence._meta.db_table
EVENTS = Event._meta.db_table
EVENT_NETWORKS = Event.networks.through._meta.db_table
EVENT_AUDIENCES = Event.audiences.through._meta.db_table
EVENT_THEMES = Event.themes.through._meta.db_table
CONCEPTS = Concept._meta.db_table
COLUMNS = 'o.id, o.event_id, o.start, o."end", o.all_day, o.latitude, o.longitude'


@dataclasses.dataclass(frozen=True)
class Search:
    """Where and when the subjects' candidates can be: time windows (merged), the box and its squares, networks."""

    timed: list[Window]  # for timed occurrences: each subject's span and buffer
    dated: list[Window]  # for all-day ones: the same, a day wider (their dates are read in the subject's zone)
    box: Box | None
    cells: list[int] | None
    network_ids: frozenset[int]
    excluded: frozenset[int]

    @classmethod
    def of(cls, subjects: Sequence[ClashSubject], settings: ClashSettings) -> "Search":
        windows = [clash_window(subject, settings) for subject in subjects]
        # A minute more each side: an instant counts as lasting a minute, and the buffer's edge is inside it.
        slack = ALL_DAY_SLACK - MIN_DURATION
        boxes = [box for subject in subjects if (box := clash_box(subject, settings)) is not None]
        box = (min(b[0] for b in boxes), max(b[1] for b in boxes), min(b[2] for b in boxes),
               max(b[3] for b in boxes)) if boxes else None
        return cls(timed=_merged((start + slack, end - slack) for start, end in windows), dated=_merged(windows),
                   box=box, cells=box_cells(box) if box else None,
                   network_ids=frozenset().union(*(subject.network_ids for subject in subjects)),
                   excluded=frozenset(s.event_id for s in subjects if s.event_id is not None))


def _merged(windows: Iterable[Window]) -> list[Window]:
    """Overlapping time windows joined, so a weekly plan asks for a few ranges rather than one per week."""
    merged: list[Window] = []
    for start, end in sorted(windows):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


@dataclasses.dataclass(frozen=True)
class Found:
    """What the statement found: the occurrences of visible events, unordered, and their events' relations."""

    occurrences: list[Row]
    concepts: dict[tuple[str, int], frozenset[str]]  # ("audience" | "theme", event id) → notations
    networks: dict[int, frozenset[int]]  # event id → those of the subjects' networks it is shared with


def clash_found(search: Search, *, viewer, audiences: bool, themes: bool, scanned: int) -> Found:
    """The occurrences that may clash (at most `scanned` read before visibility is known), with their events'
    audiences and themes (when the subjects have some) and their networks among the subjects'."""
    connection = connections[router.db_for_read(Occurrence)]
    statement = _Statement(connection.vendor, connection.ops)
    sql = _statement(statement, search, viewer=viewer, audiences=audiences, themes=themes, scanned=scanned)
    with connection.cursor() as cursor:
        cursor.execute(sql, statement.params)
        rows = cursor.fetchall()
    return _found(rows, statement.instant_loader())


class _Statement:
    """The named parameters of a statement being written, and how this database takes a list of ids."""

    def __init__(self, vendor: str, ops) -> None:
        self.vendor, self.ops = vendor, ops
        self.params: dict = {}

    def value(self, name: str, value) -> str:
        if isinstance(value, datetime):
            value = self.ops.adapt_datetimefield_value(value)
        self.params[name] = value
        return f"%({name})s"

    def values(self, name: str, values: Iterable) -> str:
        """A comma-separated list of parameters (for the few networks and excluded events)."""
        return ", ".join(self.value(f"{name}_{index}", value) for index, value in enumerate(sorted(values)))

    def among(self, column: str, name: str, ids: list[int]) -> str:
        """`column` among many ids, given as one parameter the database unpacks (an array or a JSON list)."""
        if self.vendor == "postgresql":
            return f"{column} = ANY({self.value(name, ids)}::bigint[])"
        return f"{column} IN (SELECT value FROM json_each({self.value(name, json.dumps(ids))}))"

    def instant_of(self, column: str) -> str:
        """A timestamp column as it is read fastest: on PostgreSQL as microseconds since the epoch, an integer (Django's
        loader of time stamps with a zone is written in Python: 3 µs a value, a millisecond for a check's rows)."""
        if self.vendor == "postgresql":
            return f"(EXTRACT(EPOCH FROM {column}) * 1000000)::bigint"
        return column

    def instant_loader(self) -> Callable[[Any], datetime]:
        """What turns a value read through `instant_of` into an aware datetime."""
        if self.vendor == "postgresql":
            return _from_epoch
        return functools.partial(self.ops.convert_datetimefield_value, expression=None, connection=None)

    def within(self, column: str, query: str) -> str:
        """`column` among the rows of a query, which PostgreSQL computes once as an array and seeks by index."""
        if self.vendor == "postgresql":
            return f"{column} = ANY(ARRAY({query}))"
        return f"{column} IN ({query})"


def _statement(statement: _Statement, search: Search, *, viewer, audiences: bool, themes: bool, scanned: int) -> str:
    """The statement, its parameters written into `statement`.

    `found` holds the occurrences (not cancelled, not of the subjects' own event) from one branch per index that
    finds them, joined by UNION: timed short ones near (one range of the (cell, start) index per grid square),
    timed short ones of the networks' events (by start and event), all-day short ones and long ones (each by its
    small partial index). One OR across them would make the databases give up the indexes. `seen` is their events
    that are published and visible to the viewer, sought by key (`within`): joined to the union, PostgreSQL, unsure
    how many rows it gives, would rather hash the whole events table. Each row of the result says what it is:
    an occurrence with its event, or an audience, a theme or a network of one of the events seen.
    """
    visible, params = visible_published_sql(viewer, event="e")
    statement.params.update(params)
    start, end = statement.instant_of("f.start"), statement.instant_of('f."end"')
    parts = [f"SELECT 'occurrence', f.id, f.event_id, {start}, {end}, f.all_day, f.latitude, f.longitude,"
             " e.organisation_id, e.title, e.timezone FROM found f JOIN seen e ON e.id = f.event_id"]
    seen_events = "SELECT id FROM seen"
    for kind, table, wanted in (("audience", EVENT_AUDIENCES, audiences), ("theme", EVENT_THEMES, themes)):
        if wanted:
            parts.append(f"SELECT '{kind}', NULL, r.event_id, NULL, NULL, NULL, NULL, NULL, NULL, c.notation, NULL"
                         f" FROM {table} r JOIN {CONCEPTS} c ON c.id = r.concept_id"
                         f" WHERE {statement.within('r.event_id', seen_events)}")
    if search.network_ids:
        parts.append("SELECT 'network', NULL, r.event_id, NULL, NULL, NULL, NULL, NULL, r.network_id, NULL, NULL"
                     f" FROM {EVENT_NETWORKS} r WHERE {statement.within('r.event_id', seen_events)}"
                     f" AND r.network_id IN ({statement.values('network', search.network_ids)})")
    return (f"WITH found AS ({_branches(statement, search)} LIMIT {statement.value('scanned', scanned)}),"
            f" seen AS (SELECT e.id, e.organisation_id, e.title, e.timezone FROM {EVENTS} e"
            f" WHERE {statement.within('e.id', 'SELECT event_id FROM found')} AND {visible}) "
            + " UNION ALL ".join(parts))


def _branches(statement: _Statement, search: Search) -> str:
    """The union of the index branches (see `_statement`); the caller ensures a box or networks."""
    base = "NOT o.cancelled"
    if search.excluded:
        base += f" AND o.event_id NOT IN ({statement.values('excluded', search.excluded)})"
    near = _near(statement, search.box, search.cells) if search.box else None
    network_ids = statement.values("network", search.network_ids) if search.network_ids else None
    networks = f"SELECT event_id FROM {EVENT_NETWORKS} WHERE network_id IN ({network_ids})" if network_ids else None
    timed = f"{base} AND ({_short(statement, 'timed', search.timed)}) AND NOT o.is_long AND NOT o.all_day"
    branches = [f"{timed} AND {near}"] if near else []
    if networks:
        branches.append(f"{timed} AND {_shared_timed(statement, search.timed, networks)}")
    # For the few all-day and long ones, a condition on each row rather than a join to the networks' events.
    of_networks = (f"EXISTS (SELECT 1 FROM {EVENT_NETWORKS} n WHERE n.event_id = o.event_id"
                   f" AND n.network_id IN ({network_ids}))") if network_ids else None
    # Within the box alone: the grid squares only help the index of the timed ones, and cost the planner a
    # selectivity estimate each.
    box = _near(statement, search.box, None) if search.box else None
    either = " OR ".join(f"({condition})" for condition in (box, of_networks) if condition)
    first, last = statement.value("dated_from", search.dated[0][0]), statement.value("dated_to", search.dated[-1][1])
    branches.append(f"{base} AND ({_short(statement, 'dated', search.dated)}) AND ({either})"
                    " AND NOT o.is_long AND o.all_day")
    branches.append(f'{base} AND ({either}) AND o.is_long AND o."end" >= {first} AND o.start <= {last}')
    return " UNION ".join(f"SELECT {COLUMNS} FROM {OCCURRENCES} o WHERE {where}" for where in branches)


def _short(statement: _Statement, name: str, windows: list[Window]) -> str:
    """Short occurrences (a day at most) overlapping any of the windows: a start range for each window."""
    return " OR ".join(
        f"(o.start >= {statement.value(f'{name}_{index}_from', start - LONG_SPAN)}"
        f" AND o.start <= {statement.value(f'{name}_{index}_to', end)}"
        f' AND o."end" >= {statement.value(f"{name}_{index}_start", start)})'
        for index, (start, end) in enumerate(windows))


def _near(statement: _Statement, box: Box, cells: list[int] | None) -> str:
    """Within the box, by its grid squares when they are few enough to seek one by one."""
    within = " AND ".join(f"o.{column} {operator} {statement.value(name, value)}" for column, operator, name, value in (
        ("latitude", ">=", "south", box[0]), ("latitude", "<=", "north", box[1]),
        ("longitude", ">=", "west", box[2]), ("longitude", "<=", "east", box[3])))
    return f"{within} AND {statement.among('o.cell', 'cells', cells)}" if cells is not None else within


def _shared_timed(statement: _Statement, windows: list[Window], networks: str) -> str:
    """Timed short occurrences of the networks' events.

    Within one window, the start index (which holds the event) is read and each event looked up in the networks'
    list; for several windows, the (event, start) index is sought event by event. SQLite picks the second way even
    for one window, twenty times slower, unless the event is hidden from its planner behind an expression.
    """
    envelope = (f"o.start >= {statement.value('envelope_from', windows[0][0] - LONG_SPAN)}"
                f" AND o.start <= {statement.value('envelope_to', windows[-1][1])}")
    event = "o.event_id" if len(windows) > 1 or statement.vendor != "sqlite" else "(o.event_id + 0)"
    return f"{envelope} AND {event} IN ({networks})"


def _from_epoch(microseconds: int) -> datetime:
    """The instant, exactly (whole seconds through an integer, then the microseconds)."""
    seconds, fraction = divmod(microseconds, 1_000_000)
    instant = datetime.fromtimestamp(seconds, UTC)
    return instant.replace(microsecond=fraction) if fraction else instant


def _found(rows: list[tuple], instant: Callable[[Any], datetime]) -> Found:
    """The statement's rows sorted out by kind (the first column)."""
    occurrences: list[Row] = []
    concepts: dict[tuple[str, int], set[str]] = defaultdict(set)
    networks: dict[int, set[int]] = defaultdict(set)
    for kind, occurrence_id, event_id, start, end, all_day, latitude, longitude, number, text, zone in rows:
        if kind == "occurrence":
            occurrences.append((occurrence_id, event_id, instant(start), instant(end), bool(all_day), latitude,
                                longitude, number, text, zone))
        elif kind == "network":
            networks[event_id].add(number)
        else:
            concepts[(kind, event_id)].add(text)
    return Found(occurrences=occurrences,
                 concepts={key: frozenset(values) for key, values in concepts.items()},
                 networks={key: frozenset(values) for key, values in networks.items()})
