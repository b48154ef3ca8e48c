"""Shared fixtures: the three kinds of users every permission test needs, and the browser."""

import os

import pytest
from django.core.cache import cache
from django.utils import translation

from tests import factories

# Playwright's sync API runs an event loop in the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache (facets, rate limits)."""
    cache.clear()


@pytest.fixture(autouse=True)
def _english():
    """Tests assert English texts whatever the site's default language; reversed URLs start with /en/."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploads of a test land in its own temporary folders (public media, and the library's private files)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LIBRARY_FILES_ROOT = tmp_path / "library"


@pytest.fixture
def operator(db):
    return factories.UserFactory(is_staff=True, email="operator@example.org")


@pytest.fixture
def outsider(db):
    return factories.UserFactory(email="outsider@example.org")
