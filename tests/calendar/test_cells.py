"""The coarse grid that indexes occurrences by place: a place's square and the squares a search box touches."""

import random

from sinergia.calendar.cells import COLUMNS, MAX_BOX_CELLS, box_cells, place_cell
from sinergia.core.geo import bounding_box


def test_place_cell_numbers_rows_from_the_south_pole_and_columns_from_the_antimeridian():
    assert place_cell(44.49, 11.34) == 1344 * COLUMNS + 1913


def test_place_cell_of_a_place_without_coordinates_is_none():
    assert (place_cell(None, 11.34), place_cell(44.49, None)) == (None, None)


def test_place_cell_of_the_edges_of_the_map_stays_on_it():
    assert (place_cell(-90, -180), place_cell(90, 180)) == (0, 1800 * COLUMNS + COLUMNS - 1)


def test_place_cell_west_of_greenwich_is_its_own_square():
    assert place_cell(38.72, -9.14) != place_cell(38.72, 9.14)


def test_box_cells_hold_the_square_of_every_place_in_the_box():
    rng = random.Random(3)
    box = bounding_box(45.4642, 9.19, 25)
    cells = set(box_cells(box) or ())
    points = [(rng.uniform(box[0], box[1]), rng.uniform(box[2], box[3])) for _ in range(2000)]
    assert all(place_cell(lat, lon) in cells for lat, lon in points)


def test_box_cells_of_a_25_km_radius_are_a_few_dozen():
    # 44.27°–44.71° N spans 6 rows of a tenth of a degree, 11.02°–11.66° E 7 columns.
    assert len(box_cells(bounding_box(44.49, 11.34, 25)) or ()) == 6 * 7


def test_box_cells_of_a_box_across_greenwich_number_the_western_side_too():
    cells = box_cells(bounding_box(51.48, 0.0, 5)) or []
    assert place_cell(51.48, -0.05) in cells and place_cell(51.48, 0.05) in cells


def test_box_cells_of_a_huge_box_are_none():
    assert box_cells(bounding_box(44.49, 11.34, 500)) is None


def test_box_cells_up_to_the_bound_are_listed():
    assert len(box_cells((44.0, 44.0 + 0.1 * 19.5, 11.0, 11.0 + 0.1 * 24.5)) or ()) == 20 * 25 == MAX_BOX_CELLS
