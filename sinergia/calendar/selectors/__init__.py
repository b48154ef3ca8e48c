"""Reads of the calendar shared by pages, feeds, the API and the services: always through the viewer's visibility."""

from sinergia.calendar.selectors.clash import (
    clash_candidates,
    clash_check,
    clash_labels,
    event_clashes,
    event_subjects,
    planned_clashes,
)
from sinergia.calendar.selectors.crowding import Crowding, DayCrowding, day_crowding
from sinergia.calendar.selectors.events import (
    day_bounds,
    event_feed,
    event_get,
    event_get_for,
    event_list,
    filters_q,
    occurrence_list,
    organisation_events,
    overlapping,
    overlapping_any_q,
)
from sinergia.calendar.selectors.facets import CalendarFacets, calendar_facets

__all__ = [
    "CalendarFacets", "Crowding", "DayCrowding", "calendar_facets", "clash_candidates", "clash_check",
    "clash_labels", "day_bounds", "day_crowding", "event_clashes", "event_feed", "event_get", "event_get_for",
    "event_list", "event_subjects", "filters_q", "occurrence_list", "organisation_events", "overlapping",
    "overlapping_any_q", "planned_clashes",
]
