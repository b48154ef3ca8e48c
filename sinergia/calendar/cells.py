"""The coarse grid that indexes occurrences by place: squares of a tenth of a degree (about 11 × 8 km in Italy).

Each occurrence stores the square of its coordinates (`Occurrence.cell`, written by the occurrence refresh), and the
database indexes (cell, start). A question like "what is on near here at that time" then reads, for each square the
search box touches, one short range of that index, instead of every occurrence of the country in the time range.
The exact box and radius are still checked on the coordinates: the squares only narrow the index ranges.
"""

import math

# Squares per degree. A square is numbered row × COLUMNS + column, rows counted from the South Pole and columns
# from the antimeridian, so every number is a non-negative integer. The migration that filled `cell` for the rows
# already stored repeats this arithmetic in SQL: change both together (and refresh every occurrence).
PER_DEGREE = 10
COLUMNS = 360 * PER_DEGREE
ROWS = 180 * PER_DEGREE
# A box over more squares than this (a radius over about 100 km) is searched without them: it holds a good part of
# the country anyway, and an index range per square would cost more than it saves.
MAX_BOX_CELLS = 500


def _row(latitude: float) -> int:
    return min(max(math.floor((latitude + 90) * PER_DEGREE), 0), ROWS)


def _column(longitude: float) -> int:
    return min(max(math.floor((longitude + 180) * PER_DEGREE), 0), COLUMNS - 1)


def place_cell(latitude: float | None, longitude: float | None) -> int | None:
    """The grid square of a place, or None without coordinates."""
    if latitude is None or longitude is None:
        return None
    return _row(latitude) * COLUMNS + _column(longitude)


def box_cells(box: tuple[float, float, float, float]) -> list[int] | None:
    """The squares that a (min_lat, max_lat, min_lon, max_lon) box touches, or None when there are too many."""
    min_lat, max_lat, min_lon, max_lon = box
    rows = range(_row(min_lat), _row(max_lat) + 1)
    columns = range(_column(min_lon), _column(max_lon) + 1)
    if len(rows) * len(columns) > MAX_BOX_CELLS:
        return None
    return [row * COLUMNS + column for row in rows for column in columns]
