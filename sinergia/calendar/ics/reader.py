"""Read untrusted iCalendar bytes into plain values, bounded in time and memory."""

import re
import warnings
from datetime import datetime

import icalendar
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from sinergia.calendar.ics.events import Context, read_series, series_steps
from sinergia.calendar.ics.limits import DEFAULT_LIMITS, IcsLimits
from sinergia.calendar.ics.results import IcsEvent, IcsReadResult, IcsRejected, IcsRejection
from sinergia.calendar.ics.zones import calendar_zone

_BEGIN_EVENT = re.compile(r"^[ \t]*BEGIN[ \t]*:[ \t]*VEVENT[ \t]*$", re.IGNORECASE | re.MULTILINE)
_BEGIN_ANY = re.compile(r"^[ \t]*BEGIN[ \t]*:", re.IGNORECASE | re.MULTILINE)
_HTML = re.compile(r"^\s*(<!doctype|<html|<\?xml|<head|<body|<)", re.IGNORECASE)


def read_calendar(
    data: bytes,
    *,
    window_start: datetime,
    window_end: datetime,
    limits: IcsLimits = DEFAULT_LIMITS,
    default_timezone: str = "Europe/Rome",
) -> IcsReadResult:
    """Every VEVENT of the file read or rejected with a reason; IcsRejected when the file is unreadable."""
    notes: list[str] = []
    text = _decode(_check_size(data, limits), notes)
    _check_shape(text, limits)
    calendars = _parse(text)
    zone = calendar_zone(calendars[0], default_timezone, notes)
    context = Context(zone=zone, window=(window_start, window_end), limits=limits)
    events, rejected = _read_events(calendars, context)
    return IcsReadResult(
        events=events,
        rejected=rejected,
        calendar_name=_calendar_name(calendars[0]),
        timezone=zone.key,
        warnings=_no_events_note(calendars, notes),
    )


def _check_size(data: bytes, limits: IcsLimits) -> bytes:
    if len(data) > limits.max_bytes:
        raise IcsRejected(
            _("The file is %(size)s; the most that can be imported is %(max)s.")
            % {"size": filesizeformat(len(data)), "max": filesizeformat(limits.max_bytes)},
            code="too_large",
        )
    return data


def _decode(data: bytes, notes: list[str]) -> str:
    """UTF-8 (with or without BOM, or UTF-16 with BOM); other bytes are read as Windows-1252."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        text = data.decode("utf-16", "replace")
    else:
        data = data.removeprefix(b"\xef\xbb\xbf")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", "replace")
            notes.append(_("The file is not in UTF-8; it was read as Windows-1252."))
    text = text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
    return text.lstrip("\ufeff")


def _check_shape(text: str, limits: IcsLimits) -> None:
    """Refuse what is not iCalendar, and files with more events than the limit, before parsing them."""
    head = text.lstrip()[:1000]
    if not head.upper().startswith("BEGIN:"):
        message = _("This is not an iCalendar file.")
        if _HTML.match(head):
            message = _("This is not an iCalendar file: it looks like a web page.")
        raise IcsRejected(message, code="not_ics")
    lines = text.count("\n")
    if lines > limits.max_lines:
        raise IcsRejected(
            _("The file has %(n)d lines; at most %(max)d can be read. Nothing was imported.")
            % {"n": lines, "max": limits.max_lines},
            code="too_many_lines",
        )
    events = len(_BEGIN_EVENT.findall(text))
    if events > limits.max_events:
        raise IcsRejected(
            _("The file has %(n)d events; at most %(max)d can be imported at once. Nothing was imported.")
            % {"n": events, "max": limits.max_events},
            code="too_many_events",
        )
    if len(_BEGIN_ANY.findall(text)) > limits.max_components:
        raise IcsRejected(
            _("The file has more than %(max)d components; nothing was imported.") % {"max": limits.max_components},
            code="too_many_components",
        )


def _parse(text: str) -> list:
    """The top-level components; stray ones (a VEVENT without VCALENDAR) are wrapped in a calendar."""
    try:
        with warnings.catch_warnings():
            # Guessed vendor TZIDs ("/mozilla.org/.../Europe/Rome") are fine for us; no need to log them.
            warnings.simplefilter("ignore")
            components = icalendar.Calendar.from_ical(text, multiple=True)
    except Exception as error:  # icalendar raises many kinds of errors on broken input
        raise IcsRejected(
            _("The file is not valid iCalendar and cannot be read (%(error)s).") % {"error": _printable(str(error))},
            code="invalid",
        ) from error
    calendars = [c for c in components if c.name == "VCALENDAR"]
    strays = [c for c in components if c.name != "VCALENDAR"]
    if strays:
        wrapper = icalendar.Calendar()
        for component in strays:
            wrapper.add_component(component)
        calendars.append(wrapper)
    return calendars or [icalendar.Calendar()]


def _printable(detail: str) -> str:
    """The parser's own explanation, without control characters and short enough to show."""
    return "".join(char if char.isprintable() else "?" for char in detail)[:160]


def _read_events(calendars: list, context: Context) -> tuple[list[IcsEvent], list[IcsRejection]]:
    """Each UID's series read in file order, sharing the file's occurrence budget."""
    events: list[IcsEvent] = []
    rejected: list[IcsRejection] = []
    budget = context.limits.max_occurrences_total
    groups = _series(calendars)
    _check_expansion_cost(groups, context)
    for group in groups:
        result = read_series(group, context, budget)
        if isinstance(result, IcsRejection):
            rejected.append(result)
            continue
        events.append(result)
        budget = max(budget - len(result.occurrences), 0)
    return events, rejected


def _check_expansion_cost(groups: list[list], context: Context) -> None:
    """Refuse, before expanding any, a file whose repeating events together would take too long to expand."""
    steps = sum(series_steps(group, context) for group in groups)
    if steps > context.limits.max_rrule_steps_total:
        raise IcsRejected(
            _(
                "The file's repeating events have too many repetitions to be expanded together; "
                "nothing was imported. Export a shorter period or fewer events."
            ),
            code="too_many_repetitions",
        )


def _series(calendars: list) -> list[list]:
    """VEVENTs grouped by UID (a master and its overrides); those without UID stand alone."""
    groups: dict[str, list] = {}
    for calendar_index, calendar in enumerate(calendars):
        for index, component in enumerate(calendar.walk("VEVENT")):
            uid = str(component.get("UID", "") or "").strip()
            key = f"uid:{calendar_index}:{uid}" if uid else f"anon:{calendar_index}:{index}"
            groups.setdefault(key, []).append(component)
    return list(groups.values())


def _no_events_note(calendars: list, notes: list[str]) -> list[str]:
    if not any(calendar.walk("VEVENT") for calendar in calendars):
        notes.append(_("The file contains no events."))
    return notes


def _calendar_name(calendar) -> str:
    name = calendar.get("X-WR-CALNAME") or calendar.get("NAME") or ""
    if isinstance(name, list):
        name = name[0] if name else ""
    return str(name).strip()[:200]
