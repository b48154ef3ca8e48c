"""Private feed tokens: one per member, created on first use, reset at will."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from sinergia.calendar.models import FeedToken
from sinergia.calendar.services import feed_token_for, feed_token_reset
from sinergia.core.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db


def test_feed_token_for_creates_a_secret_on_first_use(outsider):
    token = feed_token_for(user=outsider)
    assert (token.user, len(token.token) >= 40) == (outsider, True)


def test_feed_token_for_gives_the_same_token_again(outsider):
    assert feed_token_for(user=outsider).token == feed_token_for(user=outsider).token


def test_feed_token_for_refuses_anonymous_visitors():
    with pytest.raises(PermissionDenied):
        feed_token_for(user=AnonymousUser())


def test_feed_token_reset_replaces_the_secret(outsider):
    old = factories.FeedTokenFactory(user=outsider).token
    token = feed_token_reset(user=outsider)
    assert (token.token != old, FeedToken.objects.filter(token=old).exists()) == (True, False)


def test_feed_token_reset_is_audited(outsider):
    token = feed_token_reset(user=outsider)
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.target_id) == (outsider, "calendar.feed_token_reset", str(token.pk))


def test_feed_token_reset_creates_a_token_when_there_is_none(outsider):
    token = feed_token_reset(user=outsider)
    assert FeedToken.objects.get(user=outsider) == token


def test_feed_token_reset_refuses_anonymous_visitors():
    with pytest.raises(PermissionDenied):
        feed_token_reset(user=AnonymousUser())
