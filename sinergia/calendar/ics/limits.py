"""Bounds that keep reading an untrusted iCalendar file cheap, whatever it contains."""

from dataclasses import dataclass


@dataclass(frozen=True)
class IcsLimits:
    """How much an iCalendar file may ask of the reader before it is refused or cut."""

    max_bytes: int = 50 * 1024 * 1024
    max_events: int = 20_000
    max_components: int = 100_000
    max_occurrences_per_event: int = 1_000
    max_occurrences_total: int = 200_000
    max_horizon_days: int = 3 * 366
    max_event_days: int = 3 * 366
    max_rrule_steps: int = 200_000
    max_rrule_steps_total: int = 5_000_000
    max_lines: int = 500_000
    max_text_chars: int = 20_000
    min_year: int = 1900
    max_year: int = 2100


DEFAULT_LIMITS = IcsLimits()
