"""Reads of the exchange (STYLE.md: selectors return only what the viewer may see)."""

from sinergia.exchange.selectors.listings import (
    ListingFilters,
    listing_get_for,
    listing_list,
    open_q,
    organisation_listings,
)
from sinergia.exchange.selectors.matching import (
    Match,
    listing_matches,
    listing_matches_for_notice,
    matches_for_user,
)
from sinergia.exchange.selectors.professionals import ProfessionalFilters, professional_geojson, professional_list
from sinergia.exchange.selectors.threads import listing_threads, thread_get_for, thread_messages, threads_of_user

__all__ = [
    "ListingFilters",
    "Match",
    "ProfessionalFilters",
    "listing_get_for",
    "listing_list",
    "listing_matches",
    "listing_matches_for_notice",
    "listing_threads",
    "matches_for_user",
    "open_q",
    "organisation_listings",
    "professional_geojson",
    "professional_list",
    "thread_get_for",
    "thread_messages",
    "threads_of_user",
]
