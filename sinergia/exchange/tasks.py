"""Background work of the exchange: notifying good matches, expiring listings and reminding before expiry."""

from django_tasks import task

from sinergia.exchange.models import Listing
from sinergia.exchange.services.notices import listing_notify_matches, listings_expire, listings_remind_expiring


@task()
def notify_matches_task(listing_id: int) -> int:
    """Tell both sides of each new good match of the listing (a retry finds the pairs recorded and sends nothing)."""
    listing = Listing.objects.select_related("organisation").filter(pk=listing_id).first()
    if listing is None:
        return 0
    return listing_notify_matches(listing=listing)


@task()
def expire_listings_task() -> dict[str, int]:
    """Hourly: mark expired listings, and remind once of those expiring soon."""
    return {"expired": listings_expire(), "reminded": listings_remind_expiring()}
