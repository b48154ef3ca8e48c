"""Writes of offers and needs: publish, change, renew, close, fulfil (recording the partnership)."""

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergia.core.services import audit_record, notify_in_language
from sinergia.directory.models import Organisation
from sinergia.exchange.models import Listing, ListingCategory, Partnership
from sinergia.exchange.services._data import DEFAULT_VALIDITY_DAYS, MAX_VALIDITY_DAYS, ListingData, listing_data_clean
from sinergia.exchange.services.people import organisation_people


def require(by: Any, perm: str, obj: Any) -> Any:
    """The acting user, if signed in and allowed; else PermissionDenied."""
    if by is None or not by.is_authenticated or not by.has_perm(perm, obj):
        raise PermissionDenied(_("You are not allowed to do this."))
    return by


def _set_categories(listing: Listing, concepts: list) -> None:
    ListingCategory.objects.filter(listing=listing).delete()
    ListingCategory.objects.bulk_create([ListingCategory(listing=listing, concept=c) for c in concepts])


def _enqueue_matches(listing: Listing) -> None:
    """After the commit, a task looks for good matches and tells both sides (once per pair)."""
    from sinergia.exchange.tasks import notify_matches_task

    listing_id = listing.pk
    transaction.on_commit(lambda: notify_matches_task.enqueue(listing_id=listing_id))


@transaction.atomic
def listing_create(*, organisation: Organisation, by: Any, data: ListingData) -> Listing:
    """Publish an offer or a need on behalf of the organisation; good matches are notified in the background."""
    by = require(by, "exchange.add_listing", organisation)
    values = listing_data_clean(data, organisation)
    categories = values.pop("categories")
    listing = Listing.objects.create(organisation=organisation, created_by=by, **values)
    _set_categories(listing, categories)
    audit_record(actor=by, action="exchange.listing_created", target=listing, data={"side": listing.side})
    _enqueue_matches(listing)
    return listing


@transaction.atomic
def listing_update(*, listing: Listing, by: Any, data: ListingData) -> Listing:
    """Change an offer or a need (its side stays); matches are looked for again if it is open."""
    by = require(by, "exchange.change_listing", listing)
    data.side = listing.side
    values = listing_data_clean(data, listing.organisation)
    _set_categories(listing, values.pop("categories"))
    for name, value in values.items():
        setattr(listing, name, value)
    listing.save()
    audit_record(actor=by, action="exchange.listing_updated", target=listing)
    if listing.is_open:
        _enqueue_matches(listing)
    return listing


@transaction.atomic
def listing_renew(*, listing: Listing, by: Any, expires_on: date | None = None) -> Listing:
    """Open an offer or a need again until a new date (90 days from today by default, a year at most)."""
    by = require(by, "exchange.change_listing", listing)
    today = timezone.localdate()
    expires_on = expires_on or today + timedelta(days=DEFAULT_VALIDITY_DAYS)
    if listing.status == Listing.Status.FULFILLED:
        raise ValidationError(_("A fulfilled offer or need cannot be renewed: publish a new one."), code="fulfilled")
    if not today <= expires_on <= today + timedelta(days=MAX_VALIDITY_DAYS):
        raise ValidationError({"expires_on": [_("Choose a date from today to one year from now.")]})
    listing.status, listing.expires_on, listing.closed_at = Listing.Status.OPEN, expires_on, None
    listing.save(update_fields=["status", "expires_on", "closed_at", "updated_at"])
    audit_record(actor=by, action="exchange.listing_renewed", target=listing, data={"expires_on": str(expires_on)})
    _enqueue_matches(listing)
    return listing


@transaction.atomic
def listing_close(*, listing: Listing, by: Any) -> Listing:
    """Withdraw an open offer or need without a partnership."""
    by = require(by, "exchange.change_listing", listing)
    if listing.status != Listing.Status.OPEN:
        raise ValidationError(_("Only an open offer or need can be closed."), code="not_open")
    listing.status, listing.closed_at = Listing.Status.CLOSED, timezone.now()
    listing.save(update_fields=["status", "closed_at", "updated_at"])
    audit_record(actor=by, action="exchange.listing_closed", target=listing)
    return listing


def _check_partner(listing: Listing, partner: Organisation, partner_listing: Listing | None) -> None:
    if partner.pk == listing.organisation_id:
        raise ValidationError({"partner": [_("Choose another organisation than your own.")]})
    if partner_listing is not None and (partner_listing.organisation_id != partner.pk
                                        or partner_listing.side == listing.side):
        raise ValidationError({"partner_listing": [_("Choose an offer or a need of the partner, of the other "
                                                     "side.")]})


@transaction.atomic
def listing_fulfil(*, listing: Listing, by: Any, partner: Organisation, partner_listing: Listing | None = None,
                   on: date | None = None) -> Partnership:
    """Close an offer or a need as fulfilled with a partner organisation, recording the partnership."""
    by = require(by, "exchange.change_listing", listing)
    if listing.status == Listing.Status.FULFILLED:
        raise ValidationError(_("This offer or need is already fulfilled."), code="fulfilled")
    _check_partner(listing, partner, partner_listing)
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"on": [_("The date of the partnership cannot be in the future.")]})
    listing.status, listing.closed_at = Listing.Status.FULFILLED, timezone.now()
    listing.save(update_fields=["status", "closed_at", "updated_at"])
    partnership = Partnership.objects.create(organisation=listing.organisation, partner=partner, listing=listing,
                                             partner_listing=partner_listing, started_on=on, recorded_by=by)
    audit_record(actor=by, action="exchange.listing_fulfilled", target=listing, data={"partner": partner.pk})
    _notify_fulfilled(listing, partner)
    return partnership


def _notify_fulfilled(listing: Listing, partner: Organisation) -> None:
    notify_in_language(
        users=organisation_people(organisation_id=partner.pk),
        kind="exchange.fulfilled",
        title=lambda: _("%(organisation)s recorded a partnership with you: “%(title)s”.")
        % {"organisation": listing.organisation.name, "title": listing.title[:100]},
        url=lambda: reverse("exchange:detail", args=[listing.pk]),
    )
