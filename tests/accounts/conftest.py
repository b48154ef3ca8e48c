"""Accounts are tested in English, with a verified user who can sign in."""

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache

from tests import factories

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth counts e-mails and attempts in the cache; every test starts with none."""
    cache.clear()



@pytest.fixture
def member(db):
    """A user with a verified e-mail address, signed up with the factory's password."""
    user = factories.UserFactory(email="ada@example.org", full_name="Ada Lovelace", language="en")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client
