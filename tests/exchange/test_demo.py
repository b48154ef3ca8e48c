"""The demo offers and needs."""

import pytest

from sinergia.exchange.demo import demo_exchange
from sinergia.exchange.models import Listing
from tests import factories

pytestmark = pytest.mark.django_db


def test_demo_publishes_offers_with_professionals_and_needs_with_museums(operator):
    museum = factories.OrganisationFactory(name="Museo civico")
    studio = factories.OrganisationFactory(name="Studio Luce", kind="freelance")
    listings = demo_exchange(organisations=[museum, studio])
    assert len(listings) == 6
    assert set(Listing.objects.filter(side="offer").values_list("organisation__name", flat=True)) == {"Studio Luce"}
    assert set(Listing.objects.filter(side="need").values_list("organisation__name", flat=True)) == {"Museo civico"}


def test_demo_without_an_operator_publishes_nothing(db):
    assert demo_exchange(organisations=[factories.OrganisationFactory()]) == []
