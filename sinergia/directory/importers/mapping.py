"""Column mappings: which source column (or fixed value) fills each field of an organisation."""

import json
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from sinergia.directory.importers.readers import GEOMETRY_LATITUDE, GEOMETRY_LONGITUDE, Table
from sinergia.directory.importers.types import ImportFailed, RawRecord
from sinergia.directory.importers.validation import IMPORT_FIELDS

# A mapping sends our field to a source column (a string) or to a fixed value ({"value": "..."}).
Mapping = dict[str, str | dict[str, str]]
MAX_MAPPING_BYTES = 100_000

DBUNICO_NAMED_MAPPING: Mapping = {
    "name": "nome", "address": "indirizzo", "locality": "localita", "municipality": "comune",
    "province": "provincia", "postcode": "cap", "website": "sitoweb", "latitude": "latitudine",
    "longitude": "longitudine",
}
BOLOGNA_MAPPING: Mapping = {
    "name": "titolo", "description": "descrizione", "address": "indirizzo", "categories": "categoria",
    "locality": "nome_quartiere", "latitude": GEOMETRY_LATITUDE, "longitude": GEOMETRY_LONGITUDE,
    "municipality": {"value": "Bologna"}, "province": {"value": "Bologna"}, "region": {"value": "Emilia-Romagna"},
    "country": {"value": "IT"}, "language": {"value": "it"},
}
# Known data sets: the columns that identify them, their mapping and the default source name.
KNOWN_SETS = (
    ({"nome", "comune", "latitudine", "longitudine", "sitoweb"}, DBUNICO_NAMED_MAPPING, "mibact-luoghi-cultura"),
    ({"titolo", "categoria", "geo_point_2d"}, BOLOGNA_MAPPING, "comune-bologna-musei"),
)
ALIASES = {
    "id": "source_id", "identifier": "source_id", "lat": "latitude", "lon": "longitude", "lng": "longitude",
    "url": "website", "web": "website", "city": "municipality", "zip": "postcode", "type": "kind",
}


def mapping_load(path: Path) -> Mapping:
    """A mapping read from a JSON file, checked for shape and for known fields."""
    try:
        if path.stat().st_size > MAX_MAPPING_BYTES:
            raise ImportFailed(_("The mapping file is larger than 100 kB."))
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as error:
        raise ImportFailed(_("Cannot read the mapping %(path)s: %(error)s")
                           % {"path": path, "error": error.strerror}) from error
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise ImportFailed(_("The mapping %(path)s is not valid JSON: %(error)s")
                           % {"path": path, "error": error}) from error
    return mapping_check_shape(data)


def mapping_check_shape(data: Any) -> Mapping:
    """The mapping if it is an object from our field names to column names or {"value": ...}."""
    if not isinstance(data, dict) or not data:
        raise ImportFailed(_("The mapping must be a JSON object from field names to column names."))
    unknown = sorted(str(key) for key in data if key not in IMPORT_FIELDS)
    if unknown:
        raise ImportFailed(_("The mapping names unknown fields: %(unknown)s. Known fields: %(known)s.")
                           % {"unknown": ", ".join(unknown), "known": ", ".join(IMPORT_FIELDS)})
    for field, target in data.items():
        fixed = isinstance(target, dict) and set(target) == {"value"} and isinstance(target["value"], str)
        if not (fixed or (isinstance(target, str) and target.strip())):
            raise ImportFailed(_("The mapping of “%(field)s” must be a column name or {\"value\": \"fixed text\"}.")
                               % {"field": field})
    return data


def mapping_default(columns: list[str]) -> tuple[Mapping, str]:
    """The mapping of a known data set, else columns named like our fields; and a default source name."""
    present = set(columns)
    for signature, known, source in KNOWN_SETS:
        if signature <= present:
            return known, source
    mapping: Mapping = {}
    for column in columns:
        field = column.strip().casefold().replace(" ", "_")
        field = ALIASES.get(field, field)
        if field in IMPORT_FIELDS and field not in mapping:
            mapping[field] = column
    if GEOMETRY_LATITUDE in present:
        mapping.setdefault("latitude", GEOMETRY_LATITUDE)
        mapping.setdefault("longitude", GEOMETRY_LONGITUDE)
    return mapping, ""


def mapping_check_columns(mapping: Mapping, table: Table) -> None:
    """Refuse a mapping without a name or naming columns the source does not have."""
    if "name" not in mapping:
        raise ImportFailed(_("The mapping does not say which column holds the name. Columns found: %(columns)s.")
                           % {"columns": ", ".join(table.columns) or "—"})
    missing = [target for target in mapping.values() if isinstance(target, str) and target not in table.columns]
    if missing:
        raise ImportFailed(_("The mapping names columns that are not in the file: %(missing)s. "
                             "Columns found: %(columns)s.")
                           % {"missing": ", ".join(missing), "columns": ", ".join(table.columns) or "—"})


def mapping_apply(mapping: Mapping, record: RawRecord) -> dict[str, str | None]:
    """The record's values under our field names."""
    return {
        field: target["value"] if isinstance(target, dict) else record.values.get(target)
        for field, target in mapping.items()
    }
