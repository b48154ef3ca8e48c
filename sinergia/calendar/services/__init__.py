"""Writes of the calendar domain: events, their occurrences and private feed tokens.

The import and feed services (`services.imports`, `services.feeds`) are imported by their full path.
"""

from sinergia.calendar.services._data import EventData
from sinergia.calendar.services.events import (
    StrongClashError,
    event_cancel,
    event_create,
    event_delete,
    event_publish,
    event_update,
    events_cancel_notify,
    require_no_strong_clash,
    validate_event_image,
)
from sinergia.calendar.services.occurrences import (
    RefreshReport,
    occurrences_refresh,
    occurrences_refresh_all,
    occurrences_refresh_events,
    occurrences_statistics,
)
from sinergia.calendar.services.tokens import feed_token_for, feed_token_reset

__all__ = [
    "EventData",
    "RefreshReport",
    "StrongClashError",
    "event_cancel",
    "event_create",
    "event_delete",
    "event_publish",
    "event_update",
    "events_cancel_notify",
    "feed_token_for",
    "feed_token_reset",
    "occurrences_refresh",
    "occurrences_refresh_all",
    "occurrences_refresh_events",
    "occurrences_statistics",
    "require_no_strong_clash",
    "validate_event_image",
]
