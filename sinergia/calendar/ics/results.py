"""What reading an iCalendar file gives back: plain frozen values, no database."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError

# A start or end: an aware datetime in UTC, or a date for all-day events.
When = datetime | date


class IcsRejected(ValidationError):
    """The whole file cannot be read; its message says why, in the user's language."""


@dataclass(frozen=True)
class IcsOverride:
    """One instance of a recurring event moved, changed or cancelled by a RECURRENCE-ID component."""

    recurrence_id: When
    start: When
    end: When
    status: str
    summary: str


@dataclass(frozen=True)
class IcsEvent:
    """One usable VEVENT (with its RECURRENCE-ID overrides) and its occurrences in the window."""

    uid: str
    sequence: int
    summary: str
    description: str
    location: str
    url: str
    geo: tuple[float, float] | None
    categories: tuple[str, ...]
    status: str
    dtstart: When
    dtend: When
    all_day: bool
    timezone: str
    rrule: str
    rdates: tuple[When, ...]
    exdates: tuple[When, ...]
    overrides: tuple[IcsOverride, ...]
    last_modified: datetime | None
    dtstamp: datetime | None
    occurrences: tuple[tuple[When, When], ...]
    truncated: bool = False
    warnings: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class IcsRejection:
    """A VEVENT that cannot be used, and the reason in the user's language."""

    uid: str
    summary: str
    reason: str


@dataclass(frozen=True)
class IcsReadResult:
    """Everything read from one file: usable events, rejected ones, and the calendar's name and time zone."""

    events: list[IcsEvent]
    rejected: list[IcsRejection]
    calendar_name: str
    timezone: str
    warnings: list[str] = field(default_factory=list)
