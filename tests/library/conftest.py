"""Fixtures shared by the library's tests."""

import pytest

from tests import factories


@pytest.fixture
def museum():
    """The organisation the library's tests contribute, import and search on behalf of."""
    return factories.OrganisationFactory(name="Ecomuseo del Casentino")
