"""The import of organisations from CSV, GeoJSON or the DBUnico register: all rows or none."""

from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sinergia.core.rules import is_operator
from sinergia.core.thesaurus import thesaurus_ensure_loaded
from sinergia.directory.importers import dbunico
from sinergia.directory.importers.mapping import (
    Mapping,
    mapping_apply,
    mapping_check_columns,
    mapping_check_shape,
    mapping_default,
    mapping_load,
)
from sinergia.directory.importers.readers import Table, read_csv, read_geojson
from sinergia.directory.importers.resolve import concepts_resolve, identifiers_assign, kinds_assign
from sinergia.directory.importers.sources import decode_text, is_url, read_bytes
from sinergia.directory.importers.types import CleanRow, ImportFailed, ImportResult, RowInvalid, RowIssue
from sinergia.directory.importers.validation import clean_row
from sinergia.directory.importers.writer import organisations_plan, organisations_write

FORMATS = ("csv", "geojson", "dbunico")
MAX_SOURCE_LENGTH = 60


def import_organisations(*, location: str | Path, format: str | None = None, mapping: Mapping | Path | None = None,
                         source: str = "", delimiter: str | None = None, dry_run: bool = False,
                         by=None) -> ImportResult:
    """Import organisations from a path or URL; with any row in error nothing is written.

    `by` is the operator who imports; None when the system does (the management command, the demo).
    """
    if by is not None and not is_operator(by):
        raise PermissionDenied(_("Only operators can import organisations."))
    table, default_mapping, default_source = _read_table(str(location), format, delimiter)
    chosen = mapping_load(mapping) if isinstance(mapping, Path) else mapping_check_shape(mapping or default_mapping)
    mapping_check_columns(chosen, table)
    result = ImportResult(source=_source_name(source or default_source, str(location)), dry_run=dry_run)
    rows = _clean_rows(table, chosen, result)
    result.errors += identifiers_assign(rows, unit=table.unit)
    if not result.errors:
        _write_or_fail(rows, result)
    result.warnings += [RowIssue(row.line, warning, table.unit) for row in rows for warning in row.warnings]
    result.warnings.sort(key=lambda issue: issue.line)
    result.errors.sort(key=lambda issue: issue.line)
    return result


def _read_table(location: str, format: str | None, delimiter: str | None) -> tuple[Table, Mapping, str]:
    """The records of the source, with the default mapping and source name of its kind."""
    if format is not None and format not in FORMATS:
        raise ImportFailed(_("Unknown format “%(format)s”; use csv, geojson or dbunico.") % {"format": format})
    if format == "dbunico" or (format is None and not is_url(location) and Path(location).is_dir()):
        if is_url(location):
            raise ImportFailed(_("The dbunico format reads a local folder, not a URL."))
        table = dbunico.read_dbunico(Path(location))
        return table, {column: column for column in table.columns}, dbunico.SOURCE_NAME
    text = decode_text(read_bytes(location), location)
    suffix = Path(urlsplit(location).path).suffix.lower()
    as_geojson = format == "geojson" or (format is None and (suffix in (".geojson", ".json")
                                                            or text.lstrip().startswith("{")))
    table = read_geojson(text) if as_geojson else read_csv(text, delimiter=delimiter)
    default_mapping, default_source = mapping_default(table.columns)
    return table, default_mapping, default_source


def _source_name(source: str, location: str) -> str:
    """The given source name, else one made from the file name."""
    name = source.strip() or slugify(Path(urlsplit(location).path).stem)[:MAX_SOURCE_LENGTH] or "import"
    if len(name) > MAX_SOURCE_LENGTH:
        raise ImportFailed(_("The source name must be at most %(limit)s characters.") % {"limit": MAX_SOURCE_LENGTH})
    return name


def _clean_rows(table: Table, mapping: Mapping, result: ImportResult) -> list[CleanRow]:
    """The valid rows; every reason of every invalid row goes to the result's errors."""
    rows = []
    for record in table.records:
        try:
            if record.errors:
                raise RowInvalid(record.errors)
            row = clean_row(mapping_apply(mapping, record), line=record.line)
        except RowInvalid as invalid:
            result.errors += [RowIssue(record.line, reason, table.unit) for reason in invalid.reasons]
        else:
            row.warnings[:0] = record.warnings
            rows.append(row)
    return rows


def _write_or_fail(rows: list[CleanRow], result: ImportResult) -> None:
    try:
        _write(rows, result)
    except IntegrityError as error:
        # Another writer took an identifier or a slug between our reads and our writes.
        raise ImportFailed(_("The directory changed while importing; nothing was imported. Run the import "
                             "again.")) from error


@transaction.atomic
def _write(rows: list[CleanRow], result: ImportResult) -> None:
    """Resolve concepts and kinds, then write (or, in a dry run, roll back) in one transaction."""
    thesaurus_ensure_loaded()
    concepts = concepts_resolve(rows)
    kinds_assign(rows)
    plan = organisations_plan(rows=rows, source=result.source, concepts=concepts)
    result.created, result.updated, result.unchanged = len(plan.new), len(plan.changed), plan.unchanged
    if result.dry_run:
        transaction.set_rollback(True)
        return
    organisations_write(plan, fields={name for row in rows for name in row.fields})
