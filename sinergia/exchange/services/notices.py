"""Background writes: telling both sides of a new good match (once per pair) and expiring listings."""

from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergia.core.services import notify_in_language
from sinergia.exchange.models import Listing, MatchNotice
from sinergia.exchange.selectors.matching import Match, listing_matches_for_notice
from sinergia.exchange.services.people import organisation_people


def good_match_score() -> int:
    """The score from which a match is notified (setting EXCHANGE_GOOD_MATCH_SCORE)."""
    return int(getattr(settings, "EXCHANGE_GOOD_MATCH_SCORE", 60))


def expiring_days() -> int:
    """How many days before its expiry a listing's organisation is reminded (setting EXCHANGE_EXPIRING_DAYS)."""
    return int(getattr(settings, "EXCHANGE_EXPIRING_DAYS", 7))


def _pair(listing: Listing, match: Match) -> tuple[Listing, Listing]:
    return (listing, match.listing) if listing.side == Listing.Side.NEED else (match.listing, listing)


def _record(need: Listing, offer: Listing, score: int) -> bool:
    """Record the notice of a pair; False when it was already recorded (a retry, or a renewal)."""
    try:
        with transaction.atomic():
            _notice, created = MatchNotice.objects.get_or_create(need=need, offer=offer,
                                                                 defaults={"score": score})
    except IntegrityError:  # recorded at the same moment by another worker
        return False
    return created


def listing_notify_matches(*, listing: Listing) -> int:
    """Tell both organisations of each new good match of an open listing; returns how many pairs were new."""
    if not listing.is_open:
        return 0
    new = [match for match in listing_matches_for_notice(listing=listing)
           if match.score.total >= good_match_score() and _record(*_pair(listing, match), match.score.total)]
    for match in new:
        _notify_counterpart(listing, match)
    if new:
        _notify_publisher(listing, len(new))
    return len(new)


def _notify_counterpart(listing: Listing, match: Match) -> None:
    def title() -> str:
        if listing.side == Listing.Side.NEED:
            return _("A new need matches your offer “%(offer)s”: %(title)s") % {
                "offer": match.listing.title[:80], "title": listing.title[:80]}
        return _("A new offer matches your need “%(need)s”: %(title)s") % {
            "need": match.listing.title[:80], "title": listing.title[:80]}

    notify_in_language(users=organisation_people(organisation_id=match.listing.organisation_id),
                       kind="exchange.match", title=title,
                       body=lambda: _("%(organisation)s, score %(score)d of 100.") % {
                           "organisation": listing.organisation.name, "score": match.score.total},
                       url=lambda: reverse("exchange:detail", args=[listing.pk]))


def _notify_publisher(listing: Listing, count: int) -> None:
    notify_in_language(users=organisation_people(organisation_id=listing.organisation_id), kind="exchange.match",
                       title=lambda: _("New good matches for “%(title)s”: %(count)d.")
                       % {"title": listing.title[:100], "count": count},
                       url=lambda: reverse("exchange:detail", args=[listing.pk]))


@transaction.atomic
def listings_expire(*, today: date | None = None) -> int:
    """Mark as expired the open listings whose expiry date has passed; returns how many."""
    today = today or timezone.localdate()
    return Listing.objects.filter(status=Listing.Status.OPEN, expires_on__lt=today).update(
        status=Listing.Status.EXPIRED, updated_at=timezone.now())


def listings_remind_expiring(*, today: date | None = None) -> int:
    """Remind each organisation, once per expiry date, that an open listing expires soon; returns how many."""
    today = today or timezone.localdate()
    due = Listing.objects.filter(status=Listing.Status.OPEN, expires_on__gte=today,
                                 expires_on__lte=today + timedelta(days=expiring_days()))
    reminded = 0
    for listing in due.exclude(reminded_for=F("expires_on")).select_related("organisation")[:1000]:
        # Claimed before notifying: a second run, or a parallel worker, finds it reminded.
        if Listing.objects.filter(pk=listing.pk).exclude(reminded_for=listing.expires_on).update(
                reminded_for=listing.expires_on):
            _notify_expiring(listing)
            reminded += 1
    return reminded


def _notify_expiring(listing: Listing) -> None:
    notify_in_language(users=organisation_people(organisation_id=listing.organisation_id),
                       kind="exchange.expiring",
                       title=lambda: _("“%(title)s” expires on %(date)s: renew it if it is still current.")
                       % {"title": listing.title[:100], "date": listing.expires_on.isoformat()},
                       url=lambda: reverse("exchange:detail", args=[listing.pk]))
