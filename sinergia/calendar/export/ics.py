"""Events as iCalendar (RFC 5545): one event's file, or a whole feed streamed in chunks with flat memory.

The calendar envelope, its VTIMEZONEs, recurrence rules and parameters are made by the `icalendar` library. The
VEVENT lines are assembled here from plain strings, escaped and folded as RFC 5545 says: building an
`icalendar.Event` and serialising it costs about 300 µs per event, and a feed of 10,000 events must stream in
under a second. The tests check that every feed parses back with `icalendar` and with our own reader.
"""

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from itertools import islice
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
from django.db.models import QuerySet, TextField, Value
from django.db.models.functions import Cast
from django.utils import translation
from django.utils.translation import get_language

from sinergia.calendar.export import event_place, event_url_builder, markdown_text, organisation_url
from sinergia.calendar.ics.zones import iana_zone
from sinergia.calendar.models import Event
from sinergia.calendar.selectors.events import id_list
from sinergia.core.models import Concept

FEED_CHUNK = 1000  # events read (and their themes and audiences looked up) per chunk of the response
ORGANISERS_KEPT = 1000  # ORGANIZER lines a feed remembers (most organisations have a few events in it)
PRODID = "-//Sinergia//Calendar//{language}"
STATUSES: dict[str, str] = {Event.Status.PUBLISHED: "CONFIRMED", Event.Status.CANCELLED: "CANCELLED",
                             Event.Status.DRAFT: "TENTATIVE"}
END_CALENDAR = b"END:VCALENDAR\r\n"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_FOLD_AT = 75  # octets per physical line, the leading space of a continuation included
_WEEKDAY = r"(?:MO|TU|WE|TH|FR|SA|SU)"
_NUMBERS = r"-?[1-9]\d{0,2}(?:,-?[1-9]\d{0,2})*"
# RRULE parts whose values icalendar writes back exactly as they are; it only puts the parts in its order.
_PLAIN_PART = re.compile(
    r"FREQ=(?:SECONDLY|MINUTELY|HOURLY|DAILY|WEEKLY|MONTHLY|YEARLY)|(?:COUNT|INTERVAL)=[1-9]\d{0,5}"
    rf"|BY(?:SECOND|MINUTE|HOUR|MONTHDAY|YEARDAY|WEEKNO|MONTH|SETPOS)={_NUMBERS}"
    rf"|BYDAY=(?:-?[1-9]\d?)?{_WEEKDAY}(?:,(?:-?[1-9]\d?)?{_WEEKDAY})*|WKST={_WEEKDAY}")
_UNTIL_PART = re.compile(r"UNTIL=(\d{8})(?:T(\d{6})(Z?))?")
_PART_RANK = {name: rank for rank, name in enumerate(icalendar.vRecur.canonical_order)}


def calendar_chunks(events: Iterable[Event], *, name: str, base_url: str, language: str) -> Iterator[bytes]:
    """A VCALENDAR with a VTIMEZONE for every zone used and one VEVENT (plus moved instances) per event.

    A QuerySet is read as plain rows with `.iterator()`, a chunk at a time (with one query per chunk for the
    themes and audiences), so memory stays flat whatever the number of events.
    """
    chunks, zones = _row_chunks(events, language)
    with translation.override(language):
        writer = _EventWriter(base_url)
        yield _calendar_head(name, zones, language)
    for rows in chunks:
        with translation.override(language):
            data = "".join(writer.vevent(row) for row in rows).encode()
        yield data
    yield END_CALENDAR


def event_ics(event: Event, *, base_url: str) -> bytes:
    """One event as an iCalendar file, in the active language."""
    return b"".join(calendar_chunks([event], name=event.title, base_url=base_url, language=get_language() or "en"))


@dataclass(slots=True)
class EventRow:
    """What a VEVENT shows of an event, read as a plain row (model instances cost too much in a big feed)."""

    pk: int
    uid: str
    title: str
    description: str
    start: datetime
    end: datetime
    all_day: bool
    timezone: str
    rrule: str
    rdates: list
    exdates: list
    overrides: list
    status: str
    visibility: str
    sequence: int
    category: str
    place_name: str
    address: str
    locality: str
    province: str
    latitude: float | None
    longitude: float | None
    image: str
    updated_at: datetime
    organisation_id: int
    organisation_name: str
    organisation_email: str
    organisation_slug: str
    labels: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, event: Event) -> "EventRow":
        """The row of an event already in memory, with its themes' and audiences' labels."""
        values: dict[str, Any] = {name: getattr(event, name) for name in ROW_FIELDS[:-3]}
        organisation = event.organisation
        values.update(image=event.image.name or "", organisation_name=organisation.name,
                      organisation_email=organisation.email, organisation_slug=organisation.slug,
                      labels=[concept.label for concept in [*event.themes.all(), *event.audiences.all()]])
        return cls(**values)


ROW_FIELDS = tuple(f.name for f in fields(EventRow) if f.name != "labels")
JSON_FIELDS = ("rdates", "exdates", "overrides")
# The JSON lists are read as text and decoded only when not empty: most events have none, and decoding three
# empty lists per row costs a tenth of a 10,000-event feed.
ROW_COLUMNS = tuple(
    Cast(name, TextField()) if name in JSON_FIELDS
    else name if name == "organisation_id" else name.replace("organisation_", "organisation__")
    for name in ROW_FIELDS
)


def _row_chunks(events: Iterable[Event], language: str) -> tuple[Iterator[list[EventRow]], set[str]]:
    """The events as lists of rows, and the IANA zones their timed starts are written in."""
    if not isinstance(events, QuerySet) or events.query.is_sliced:
        if isinstance(events, QuerySet):
            events = events.select_related("organisation").prefetch_related("themes", "audiences")
        rows = [EventRow.of(event) for event in events]
        return iter([rows]), {row.timezone for row in rows if not row.all_day and _zone(row.timezone)}
    queryset = events.select_related(None).prefetch_related(None)
    timed = queryset.filter(all_day=False).order_by().values_list("timezone", flat=True).distinct()
    return _queryset_chunks(queryset, language), {key for key in timed if _zone(key)}


def _queryset_chunks(queryset: QuerySet[Event], language: str) -> Iterator[list[EventRow]]:
    values = queryset.values_list(*ROW_COLUMNS).iterator(chunk_size=FEED_CHUNK)
    labels = _ConceptLabels(language)
    while rows := [_row(value) for value in islice(values, FEED_CHUNK)]:
        labels.fill(rows)
        yield rows


def _row(values: tuple) -> EventRow:
    row = EventRow(*values)
    row.rdates, row.exdates, row.overrides = (_json_list(value) for value in (row.rdates, row.exdates, row.overrides))
    return row


def _json_list(text: Any) -> list:
    if not text or text == "[]":
        return []
    value = json.loads(text)
    return value if isinstance(value, list) else []


class _ConceptLabels:
    """Themes and audiences of a chunk of events: every concept's label worked out once per feed, then one query
    per chunk for the chunk's (event, concept) pairs, its ids sent as one parameter."""

    RELATIONS = (Event.themes.through, Event.audiences.through)  # themes first, as the categories list them

    def __init__(self, language: str) -> None:
        self.language = language
        self.known: dict[int, tuple[str, str]] = {}  # concept id → (notation, label)
        self.learnt = False

    def fill(self, rows: list[EventRow]) -> None:
        if not self.learnt:
            self.learnt = True
            self._learn(Concept.objects.filter(scheme__in=(Concept.Scheme.THEME, Concept.Scheme.AUDIENCE)))
        ids = id_list([row.pk for row in rows])
        first, second = (through._default_manager.filter(event_id__in=ids).order_by()
                         .values_list(Value(rank), "event_id", "concept_id")
                         for rank, through in enumerate(self.RELATIONS))
        pairs = list(first.union(second, all=True))
        if missing := {concept_id for _rank, _event, concept_id in pairs if concept_id not in self.known}:
            self._learn(Concept.objects.filter(pk__in=missing))  # a concept added while the feed streams
        by_event: dict[int, list[tuple[int, str, str]]] = {}
        for rank, event_id, concept_id in pairs:
            by_event.setdefault(event_id, []).append((rank, *self.known[concept_id]))
        for row in rows:
            found = by_event.get(row.pk)
            row.labels = [label for _rank, _notation, label in sorted(found)] if found else []

    def _learn(self, concepts: QuerySet[Concept]) -> None:
        with translation.override(self.language):
            for pk, notation, labels in concepts.values_list("pk", "notation", "labels"):
                self.known[pk] = (notation, Concept(labels=labels or {}, notation=notation).label)


def _calendar_head(name: str, zones: set[str], language: str) -> bytes:
    """Everything before the first VEVENT: the calendar's properties and its VTIMEZONEs."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID.format(language=language.upper()))
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    name = " ".join(name.split())  # one line, whatever the filters typed in it
    calendar.add("name", icalendar.vText(name))
    calendar.add("x-wr-calname", icalendar.vText(name))
    # Calendar apps re-read a subscribed feed at this pace (RFC 7986, and Outlook's older property).
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    head = calendar.to_ical().removesuffix(END_CALENDAR)
    return head + b"".join(_vtimezone(key, date.today().year) for key in sorted(zones))


@lru_cache(maxsize=256)
def _vtimezone(key: str, year: int) -> bytes:
    """A VTIMEZONE for an IANA zone, with its transitions from 1970 to a dozen years ahead (cached: ~7 ms each).

    Calendar apps know the IANA names anyway: a zone icalendar cannot describe is left to them.
    """
    try:
        zone = icalendar.Timezone.from_tzid(key, first_date=date(1970, 1, 1), last_date=date(year + 12, 1, 1))
    except ValueError:
        return b""
    return zone.to_ical()


def _zone(key: str) -> ZoneInfo | None:
    """The event's zone, or None for UTC and unknown names (times are then written in UTC)."""
    zone = iana_zone(key)
    return zone if zone is not None and zone.key not in ("UTC", "Etc/UTC") else None


class _EventWriter:
    """Writes VEVENTs, remembering what events of one feed share (URLs, organisers, concept labels)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.event_url = event_url_builder(self.base_url)
        self.organisers: dict[int, str] = {}
        self.category_lines: dict[tuple[str, ...], str] = {}
        self.image_storage = Event._meta.get_field("image").storage
        self.categories = {value: str(label) for value, label in Event.Category.choices}

    def vevent(self, event: EventRow) -> str:
        """The event's VEVENT and one VEVENT per moved or cancelled instance, folded, CRLF-terminated."""
        zone = _zone(event.timezone)
        lines = ["BEGIN:VEVENT", *map(_folded, self._identity(event)), *map(_folded, _times(event, zone)),
                 *self._details(event), "END:VEVENT"]
        for override in event.overrides or ():
            lines.extend(map(_folded, _override_lines(event, zone, override)))
        return "\r\n".join(lines) + "\r\n"

    def _identity(self, event: EventRow) -> list[str]:
        # Without METHOD, DTSTAMP is when the event last changed: a feed read twice is the same bytes.
        stamp = _utc(event.updated_at or datetime.now(UTC))
        return [f"UID:{_text(event.uid)}", f"DTSTAMP:{stamp}", f"LAST-MODIFIED:{stamp}",
                f"SEQUENCE:{event.sequence}", f"SUMMARY:{_text(event.title)}"]

    def _details(self, event: EventRow) -> list[str]:
        """The event's other properties, folded (the categories and the organiser as the feed wrote them before)."""
        lines = [
            f"STATUS:{STATUSES.get(event.status, 'CONFIRMED')}",
            f"CLASS:{'PUBLIC' if event.visibility == Event.Visibility.PUBLIC else 'PRIVATE'}",
            # Subscribers go to some of these events, not all: they must not mark them busy.
            "TRANSP:TRANSPARENT",
            _folded(f"URL:{self.event_url(event.pk)}"),
            self._categories(event),
            self._organiser(event),
        ]
        optional = {"DESCRIPTION": markdown_text(event.description), "LOCATION": event_place(event)}
        lines.extend(_folded(f"{key}:{_text(value)}") for key, value in optional.items() if value)
        if event.latitude is not None and event.longitude is not None:
            lines.append(f"GEO:{event.latitude:.6f};{event.longitude:.6f}")
        if event.image:
            lines.append(_folded(f"IMAGE;VALUE=URI;DISPLAY=BADGE:"
                                 f"{self._absolute(self.image_storage.url(event.image))}"))
        return lines

    def _absolute(self, url: str) -> str:
        """A media URL made absolute (object storage already gives absolute ones)."""
        return url if url.startswith(("https://", "http://")) else f"{self.base_url}{url}"

    def _categories(self, event: EventRow) -> str:
        """The CATEGORIES line, folded: a feed has few different ones, each escaped and folded once."""
        key = (event.category, *event.labels)
        line = self.category_lines.get(key)
        if line is None:
            names = [self.categories.get(event.category, event.category), *event.labels]
            line = self.category_lines[key] = _folded(f"CATEGORIES:{','.join(_text(name) for name in names)}")
        return line

    def _organiser(self, event: EventRow) -> str:
        if len(self.organisers) >= ORGANISERS_KEPT:  # a bound, so that memory stays flat in a feed of any size
            self.organisers.clear()
        if event.organisation_id not in self.organisers:
            address = f"mailto:{event.organisation_email}" if event.organisation_email else organisation_url(
                self.base_url, event.organisation_slug)
            self.organisers[event.organisation_id] = _folded(
                f"ORGANIZER;{_common_name(event.organisation_name)}:{address}")
        return self.organisers[event.organisation_id]


def _times(event: EventRow, zone: ZoneInfo | None) -> list[str]:
    """DTSTART, DTEND and the recurrence (RRULE, RDATE, EXDATE) in the event's zone, or as dates when all-day."""
    lines = [_moment("DTSTART", event.start, event.all_day, zone), _moment("DTEND", event.end, event.all_day, zone)]
    for rule in (event.rrule or "").splitlines():
        lines.extend(_rrule(rule.strip(), event.all_day, zone.key if zone else ""))
    for name, values in (("RDATE", event.rdates), ("EXDATE", event.exdates)):
        if not values:  # most events: spare building empty lists
            continue
        stored = [_stored_moment(value, event, zone) for value in values]
        moments = [moment for moment in stored if moment is not None]
        if moments:
            lines.append(_moments(name, moments, event.all_day, zone))
    return lines


def _moment(name: str, value: datetime, all_day: bool, zone: ZoneInfo | None) -> str:
    """One date-time property of one value (as `_moments`, which a VEVENT calls twice)."""
    if all_day:
        return f"{name};VALUE=DATE:{_local(value, zone or UTC)[:8]}"
    if zone is None:
        return f"{name}:{_utc(value)}"
    return f"{name};TZID={zone.key}:{_local(value, zone)}"


def _moments(name: str, values: list[datetime], all_day: bool, zone: ZoneInfo | None) -> str:
    """One date-time property: VALUE=DATE for all-day events, TZID with local time, or UTC."""
    if all_day:
        return f"{name};VALUE=DATE:{','.join([_local(v, zone or UTC)[:8] for v in values])}"
    if zone is None:
        return f"{name}:{','.join([_utc(v) for v in values])}"
    return f"{name};TZID={zone.key}:{','.join([_local(v, zone) for v in values])}"


def _stored_moment(value, event: EventRow, zone: ZoneInfo | None) -> datetime | None:
    """An ISO 8601 value stored in rdates/exdates/overrides as an aware datetime (a date takes the start's time)."""
    local = zone or UTC
    if value is None:
        return None
    try:
        text = str(value).strip()
        if len(text) == 10:
            day = date.fromisoformat(text)
            clock = time(0, 0) if event.all_day else event.start.astimezone(local).time()
            return datetime.combine(day, clock, tzinfo=local)
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=local)


def _rrule(rule: str, all_day: bool, zone_key: str) -> tuple[str, ...]:
    """The RRULE line, with UNTIL of the kind RFC 5545 requires: a date when all-day, else a UTC time."""
    plain = _plain_rrule(rule, all_day, zone_key)
    return (f"RRULE:{plain}",) if plain is not None else _parsed_rrule(rule, all_day, zone_key)


def _plain_rrule(rule: str, all_day: bool, zone_key: str) -> str | None:
    """The rule as icalendar would write it, without icalendar, when its parts are of the plain kinds it writes
    back unchanged (nearly every stored rule); None otherwise. Parsing and writing a rule costs 60 µs, and a feed
    has thousands of different ones (counts and ends vary), too many to cache."""
    ranked = []
    for part in rule.split(";"):
        if _PLAIN_PART.fullmatch(part) is None:
            until = _UNTIL_PART.fullmatch(part)
            if until is None:
                return None
            part = f"UNTIL={_until_text(until, all_day, zone_key)}"
        ranked.append((_PART_RANK[part.split("=", 1)[0]], part))
    if len({rank for rank, _part in ranked}) < len(ranked):
        return None
    return ";".join(part for _rank, part in sorted(ranked))


def _until_text(match: re.Match, all_day: bool, zone_key: str) -> str:
    day, clock, utc = match.groups()
    zone = ZoneInfo(zone_key) if zone_key else UTC
    value: date = date(int(day[:4]), int(day[4:6]), int(day[6:]))
    if clock:
        value = datetime.combine(value, time(int(clock[:2]), int(clock[2:4]), int(clock[4:])),
                                 tzinfo=UTC if utc else None)
    until = _until(value, all_day, zone)
    return _utc(until) if isinstance(until, datetime) else f"{until.year:04d}{until.month:02d}{until.day:02d}"


@lru_cache(maxsize=1024)
def _parsed_rrule(rule: str, all_day: bool, zone_key: str) -> tuple[str, ...]:
    try:
        recur = icalendar.vRecur.from_ical(rule)
    except (ValueError, TypeError):
        return ()
    until = recur.get("UNTIL")
    if until:
        recur["UNTIL"] = [_until(until[0], all_day, ZoneInfo(zone_key) if zone_key else UTC)]
    return (f"RRULE:{recur.to_ical().decode()}",)


def _until(value: date, all_day: bool, zone) -> date:
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=zone)
        return aware.astimezone(zone).date() if all_day else aware.astimezone(UTC)
    if all_day:
        return value
    return datetime.combine(value, time(23, 59, 59), tzinfo=zone).astimezone(UTC)


def _override_lines(event: EventRow, zone: ZoneInfo | None, override) -> list[str]:
    """A moved or cancelled instance (as imported) as its own VEVENT with the same UID and a RECURRENCE-ID."""
    if not isinstance(override, dict):
        return []
    recurrence_id = _stored_moment(override.get("recurrence_id"), event, zone)
    start = _stored_moment(override.get("start"), event, zone)
    if recurrence_id is None or start is None:
        return []
    end = max(_stored_moment(override.get("end"), event, zone) or start + (event.end - event.start), start)
    cancelled = str(override.get("status", "")).lower() == "cancelled" or event.status == Event.Status.CANCELLED
    return [
        "BEGIN:VEVENT",
        f"UID:{_text(event.uid)}",
        f"DTSTAMP:{_utc(event.updated_at or datetime.now(UTC))}",
        _moment("RECURRENCE-ID", recurrence_id, event.all_day, zone),
        f"SEQUENCE:{event.sequence}",
        f"SUMMARY:{_text(str(override.get('summary') or event.title))}",
        _moment("DTSTART", start, event.all_day, zone),
        _moment("DTEND", end, event.all_day, zone),
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        "END:VEVENT",
    ]


def _local(value: datetime, zone: tzinfo) -> str:
    """Wall time in the zone as DATE-TIME (its first 8 characters are the DATE); strftime is three times slower."""
    v = value.astimezone(zone)
    return f"{v.year:04d}{v.month:02d}{v.day:02d}T{v.hour:02d}{v.minute:02d}{v.second:02d}"


def _utc(value: datetime) -> str:
    return _local(value, UTC) + "Z"


def _text(value: str) -> str:
    """A TEXT value escaped as RFC 5545 says (backslash, semicolon, comma, newline), control characters dropped."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return value if value.isprintable() else _CONTROL.sub("", value)


@lru_cache(maxsize=4096)
def _common_name(name: str) -> str:
    """The CN parameter, quoted and caret-encoded by icalendar."""
    return icalendar.Parameters({"CN": _CONTROL.sub(" ", name)}).to_ical().decode()


def _folded(line: str) -> str:
    """The line as written: most are short ASCII, only the others are measured in octets and folded."""
    return line if len(line) <= _FOLD_AT and line.isascii() else _fold(line)


def _fold(line: str) -> str:
    """The line folded at 75 octets of UTF-8, never inside a character nor right after an escaping backslash."""
    data = line.encode()
    if len(data) <= _FOLD_AT:
        return line
    pieces, start, limit = [], 0, _FOLD_AT
    while len(data) - start > limit:
        cut = start + limit
        while data[cut] & 0xC0 == 0x80:  # a UTF-8 continuation byte: back to the character's first byte
            cut -= 1
        backslashes = len(data[start:cut]) - len(data[start:cut].rstrip(b"\\"))
        cut -= backslashes % 2
        pieces.append(data[start:cut])
        start, limit = cut, _FOLD_AT - 1
    pieces.append(data[start:])
    return b"\r\n ".join(pieces).decode()
