"""Forms of the event editor (the planning pages' forms are in `sinergia.calendar.forms_planning`)."""

from sinergia.calendar.forms.choosers import (
    default_timezone,
    find_organisation,
    organisation_choice_label,
    organisation_suggestions,
    parse_exception_dates,
    timezone_choices,
)
from sinergia.calendar.forms.data import (
    ClashSettingsForm,
    Plan,
    add_service_error,
    event_data,
    initial_for,
    plan,
)
from sinergia.calendar.forms.event import (
    CLASH_FIELDS,
    PLACE_ADDRESS,
    PLACE_OWN,
    PLACE_VENUE,
    CancelForm,
    EventForm,
)

__all__ = [
    "CLASH_FIELDS", "PLACE_ADDRESS", "PLACE_OWN", "PLACE_VENUE", "CancelForm", "ClashSettingsForm", "EventForm", "Plan",
    "add_service_error", "default_timezone", "event_data", "find_organisation", "initial_for",
    "organisation_choice_label", "organisation_suggestions", "parse_exception_dates", "plan", "timezone_choices",
]
