"""Readers that turn CSV or GeoJSON text into records of values by source column."""

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from sinergia.directory.importers.types import ImportFailed, RawRecord

DELIMITERS = (",", ";", "\t", "|")
MAX_ROWS = 200_000
MAX_FIELD_CHARS = 1_000_000
GEOMETRY_LATITUDE = "geometry.latitude"
GEOMETRY_LONGITUDE = "geometry.longitude"


@dataclass
class Table:
    """The records of a source, the columns they may have, and how positions are called."""

    columns: list[str]
    records: list[RawRecord]
    unit: str = "line"


def sniff_delimiter(text: str) -> str:
    """The delimiter used by the header line: the most frequent of comma, semicolon, tab and bar."""
    header = text.split("\n", 1)[0]
    counts = {delimiter: header.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def read_csv(text: str, *, delimiter: str | None = None) -> Table:
    """The records of CSV text; `line` is where each record starts (the header is line 1)."""
    if delimiter is not None and len(delimiter) != 1:
        raise ImportFailed(_("The delimiter must be a single character."))
    csv.field_size_limit(MAX_FIELD_CHARS)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter or sniff_delimiter(text))
    rows = _csv_rows(reader)
    try:
        _line, header = next(rows)
    except StopIteration:
        raise ImportFailed(_("The file is empty.")) from None
    columns = _header(header)
    return Table(columns=columns, records=[_csv_record(line, columns, cells) for line, cells in rows])


def _csv_rows(reader: Any) -> Iterator[tuple[int, list[str]]]:
    """Non-blank records with their starting line, within the row limit."""
    count = 0
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise ImportFailed(_("Line %(line)s cannot be read as CSV: %(error)s")
                               % {"line": start, "error": error}) from error
        if not any(cell.strip() for cell in cells):
            continue
        count += 1
        if count > MAX_ROWS + 1:
            raise ImportFailed(_("The file has more than %(count)s rows.") % {"count": MAX_ROWS})
        yield start, cells


def _header(cells: list[str]) -> list[str]:
    columns = [cell.replace("\x00", "").strip() for cell in cells]
    for position, column in enumerate(columns, 1):
        if not column:
            raise ImportFailed(_("Column %(position)s of the header has no name.") % {"position": position})
        if columns.index(column) != position - 1:
            raise ImportFailed(_("The column “%(column)s” appears twice in the header.") % {"column": column})
    return columns


def _csv_record(line: int, columns: list[str], cells: list[str]) -> RawRecord:
    record = RawRecord(line=line, values=dict(zip(columns, cells, strict=False)))
    if len(cells) != len(columns):
        record.errors.append(_("The row has %(cells)s values but the header has %(columns)s columns.")
                             % {"cells": len(cells), "columns": len(columns)})
    return record


def read_geojson(text: str) -> Table:
    """The features of a GeoJSON FeatureCollection; coordinates come from Point geometries ([lon, lat])."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as error:
        raise ImportFailed(_("The file is not valid JSON: %(error)s") % {"error": error}) from error
    features = data.get("features") if isinstance(data, dict) and data.get("type") == "FeatureCollection" else None
    if not isinstance(features, list):
        raise ImportFailed(_("The file is not a GeoJSON FeatureCollection."))
    if len(features) > MAX_ROWS:
        raise ImportFailed(_("The file has more than %(count)s rows.") % {"count": MAX_ROWS})
    records = [_feature_record(number, feature) for number, feature in enumerate(features, 1)]
    columns = list(dict.fromkeys(column for record in records for column in record.values))
    return Table(columns=columns, records=records, unit="feature")


def _feature_record(number: int, feature: Any) -> RawRecord:
    record = RawRecord(line=number, values={})
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        record.errors.append(_("This is not a GeoJSON Feature."))
        return record
    properties = feature.get("properties") or {}
    if not isinstance(properties, dict):
        record.errors.append(_("The properties of the feature are not an object."))
        properties = {}
    record.values = {str(key): _property_text(value) for key, value in properties.items()}
    record.values.update(_point(feature.get("geometry"), record))
    return record


def _property_text(value: Any) -> str | None:
    """A property as text: lists of plain values joined by a vertical bar, objects as JSON."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(item, str | int | float) for item in value):
        return "|".join(str(item) for item in value)
    return json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else str(value)


def _point(geometry: Any, record: RawRecord) -> dict[str, str | None]:
    """Latitude and longitude of a Point geometry (GeoJSON orders them longitude, latitude)."""
    if geometry is None:
        return {}
    coordinates = geometry.get("coordinates") if isinstance(geometry, dict) else None
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        kind = geometry.get("type") if isinstance(geometry, dict) else type(geometry).__name__
        record.warnings.append(_("The geometry is a %(kind)s, not a Point; imported without a location.")
                               % {"kind": str(kind)[:40]})
        return {}
    if not (isinstance(coordinates, list) and len(coordinates) >= 2):
        record.errors.append(_("The Point has no [longitude, latitude] coordinates."))
        return {}
    return {GEOMETRY_LONGITUDE: _property_text(coordinates[0]), GEOMETRY_LATITUDE: _property_text(coordinates[1])}
