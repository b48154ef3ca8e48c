"""The exchange's world: a small museum near Bologna, a freelance photographer 20 km away, their people."""

import pytest

from sinergia.directory.models import Organisation
from tests import factories
from tests.factories import person, service

# Imola is about 33 km from Bologna; Casalecchio about 6; San Lazzaro about 8; Modena about 37; Milano about 200.
BOLOGNA = (44.4949, 11.3426)
NEAR_20_KM = (44.5520, 11.5862)  # Budrio direction, about 20 km east-north-east
FAR_200_KM = (45.4642, 9.1900)


@pytest.fixture
def photo(db):
    return service("service-photo-video")


@pytest.fixture
def museum(db):
    return factories.OrganisationFactory(name="Museo della canapa", slug="museo-della-canapa",
                                         latitude=BOLOGNA[0], longitude=BOLOGNA[1], languages=["it", "en"])


@pytest.fixture
def photographer(db):
    return factories.OrganisationFactory(name="Studio Luce", slug="studio-luce", kind=Organisation.Kind.FREELANCE,
                                         latitude=NEAR_20_KM[0], longitude=NEAR_20_KM[1], languages=["it"])


@pytest.fixture
def museum_editor(museum):
    return person(museum, "editor", "editor@canapa.example.org")


@pytest.fixture
def museum_admin(museum):
    return person(museum, "admin", "admin@canapa.example.org")


@pytest.fixture
def museum_member(museum):
    return person(museum, "member", "member@canapa.example.org")


@pytest.fixture
def photographer_admin(photographer):
    return person(photographer, "admin", "anna@studioluce.example.org")
