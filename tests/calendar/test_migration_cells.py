"""The migration that gave stored occurrences their grid square computes it as the occurrence refresh does."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from sinergia.calendar.cells import place_cell
from sinergia.calendar.models import Occurrence
from tests import factories

pytestmark = pytest.mark.django_db
migration = importlib.import_module("sinergia.calendar.migrations.0003_occurrence_cell_and_indexes")

PLACES = [(44.4949, 11.3426), (38.7223, -9.1393), (45.0, 7.0), (-33.8688, 151.2093), (64.1466, -21.9426),
          (0.05, -0.05), (90.0, 180.0), (-90.0, -180.0)]


def test_fill_cells_gives_every_located_occurrence_the_square_of_the_refresh():
    for latitude, longitude in PLACES:
        factories.EventFactory(latitude=latitude, longitude=longitude)
    Occurrence.objects.update(cell=None)
    migration.fill_cells(apps, SimpleNamespace(connection=connection))
    rows = Occurrence.objects.values_list("latitude", "longitude", "cell")
    assert sorted((lat, lon, place_cell(lat, lon)) for lat, lon, _cell in rows) == sorted(rows)
    assert sorted((lat, lon) for lat, lon, _cell in rows) == sorted(PLACES)


def test_fill_cells_leaves_occurrences_without_coordinates_without_a_square():
    factories.EventFactory(latitude=None, longitude=None)
    migration.fill_cells(apps, SimpleNamespace(connection=connection))
    assert list(Occurrence.objects.values_list("cell", flat=True)) == [None]
