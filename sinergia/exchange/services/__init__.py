"""Writes of the exchange (STYLE.md: services are plain functions with keyword-only arguments)."""

from sinergia.exchange.services._data import ListingData, listing_data_clean
from sinergia.exchange.services.listings import (
    listing_close,
    listing_create,
    listing_fulfil,
    listing_renew,
    listing_update,
)
from sinergia.exchange.services.notices import listing_notify_matches, listings_expire, listings_remind_expiring
from sinergia.exchange.services.threads import message_send, thread_start

__all__ = [
    "ListingData",
    "listing_close",
    "listing_create",
    "listing_data_clean",
    "listing_fulfil",
    "listing_notify_matches",
    "listing_renew",
    "listing_update",
    "listings_expire",
    "listings_remind_expiring",
    "message_send",
    "thread_start",
]
