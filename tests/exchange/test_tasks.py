"""Background tasks: match notices once per pair, expiry and its reminder once per date."""

import datetime

import pytest
from django.utils import timezone

from sinergia.core.models import Notification
from sinergia.exchange.models import Listing, MatchNotice
from sinergia.exchange.tasks import expire_listings_task, notify_matches_task
from tests.factories import ListingFactory

pytestmark = pytest.mark.django_db


def test_notify_matches_tells_both_sides_once(museum, museum_editor, photographer, photographer_admin, photo):
    offer = ListingFactory(organisation=photographer, offer=True, categories=[photo])
    need = ListingFactory(organisation=museum, categories=[photo])
    assert notify_matches_task.call(listing_id=need.pk) == 1
    assert notify_matches_task.call(listing_id=need.pk) == 0
    assert notify_matches_task.call(listing_id=offer.pk) == 0
    assert MatchNotice.objects.count() == 1
    assert Notification.objects.filter(kind="exchange.match").count() == 2


def test_notify_matches_skips_weak_matches(settings, museum, museum_editor, photographer, photo):
    settings.EXCHANGE_GOOD_MATCH_SCORE = 99
    ListingFactory(organisation=photographer, offer=True, categories=[photo])
    need = ListingFactory(organisation=museum, categories=[photo])
    assert notify_matches_task.call(listing_id=need.pk) == 0
    assert Notification.objects.count() == 0


def test_notify_matches_of_a_deleted_listing_does_nothing(db):
    assert notify_matches_task.call(listing_id=123456) == 0


def test_expire_marks_past_listings_and_reminds_once(museum, museum_editor):
    today = timezone.localdate()
    past = ListingFactory(organisation=museum, expires_on=today - datetime.timedelta(days=1))
    soon = ListingFactory(organisation=museum, expires_on=today + datetime.timedelta(days=3))
    later = ListingFactory(organisation=museum, expires_on=today + datetime.timedelta(days=30))
    assert expire_listings_task.call() == {"expired": 1, "reminded": 1}
    assert expire_listings_task.call() == {"expired": 0, "reminded": 0}
    statuses = dict(Listing.objects.values_list("pk", "status"))
    assert (statuses[past.pk], statuses[soon.pk], statuses[later.pk]) == ("expired", "open", "open")
    reminder = Notification.objects.get(kind="exchange.expiring")
    assert reminder.recipient == museum_editor


def test_renewal_makes_a_new_reminder_due(museum, museum_editor):
    today = timezone.localdate()
    listing = ListingFactory(organisation=museum, expires_on=today + datetime.timedelta(days=2))
    expire_listings_task.call()
    Listing.objects.filter(pk=listing.pk).update(expires_on=today + datetime.timedelta(days=5))
    assert expire_listings_task.call()["reminded"] == 1
