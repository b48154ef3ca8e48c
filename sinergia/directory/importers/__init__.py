"""Import of organisations from open data: CSV, GeoJSON and the Ministry's DBUnico register."""

from sinergia.directory.importers.service import FORMATS, import_organisations
from sinergia.directory.importers.types import ImportFailed, ImportResult, RowInvalid, RowIssue
from sinergia.directory.importers.validation import IMPORT_FIELDS, clean_row

__all__ = [
    "FORMATS",
    "IMPORT_FIELDS",
    "ImportFailed",
    "ImportResult",
    "RowInvalid",
    "RowIssue",
    "clean_row",
    "import_organisations",
]
