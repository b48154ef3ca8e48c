"""Reading untrusted iCalendar files into plain values (no database)."""

from sinergia.calendar.ics.limits import DEFAULT_LIMITS, IcsLimits
from sinergia.calendar.ics.reader import read_calendar
from sinergia.calendar.ics.results import IcsEvent, IcsOverride, IcsReadResult, IcsRejected, IcsRejection

__all__ = [
    "DEFAULT_LIMITS",
    "IcsEvent",
    "IcsLimits",
    "IcsOverride",
    "IcsReadResult",
    "IcsRejected",
    "IcsRejection",
    "read_calendar",
]
