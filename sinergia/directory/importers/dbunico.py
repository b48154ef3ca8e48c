"""The Ministry of Culture's "DBUnico" register of places of culture (2014), read from its three CSV files.

The named file has the names but no identifier; it is joined to the ISTAT address table on
(address, municipality, latitude, longitude) to get the DBUnico code and the region, and types
(tipologia) and categories (categoria) come from the long-format table keyed by the code. A place
whose address matches several codes keeps no code: the importer derives a stable identifier for it.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from sinergia.directory.importers.readers import Table, read_csv
from sinergia.directory.importers.sources import decode_text, read_file
from sinergia.directory.importers.types import ImportFailed, RawRecord

NAMED_GLOB = "luoghicultura_named*.csv"
ADDRESSES_GLOB = "luoghicultura_indirizzi_istat*.csv"
EXTRA_NAME = "extra_informazioni_luoghi_cultura.csv"
NAMED_FIELDS = {
    "nome": "name", "indirizzo": "address", "localita": "locality", "comune": "municipality",
    "provincia": "province", "cap": "postcode", "sitoweb": "website", "latitudine": "latitude",
    "longitudine": "longitude",
}
# "Altro" (other) is a type the thesaurus knows, but says nothing about a theme.
IGNORED_CATEGORIES = {"Altro"}
SOURCE_NAME = "mibact-dbunico"


@dataclass(frozen=True)
class Place:
    """What the address table and the attribute table say about one DBUnico code."""

    region: str
    types: tuple[str, ...]
    categories: tuple[str, ...]


def dbunico_files(location: Path) -> tuple[Path, Path, Path]:
    """The named, address and attribute files of a folder (or of the folder of the named file)."""
    folder = location if location.is_dir() else location.parent
    named = [location] if location.is_file() else sorted(folder.glob(NAMED_GLOB))
    addresses = sorted(folder.glob(ADDRESSES_GLOB))
    extra = folder / EXTRA_NAME
    for found, pattern in ((named, NAMED_GLOB), (addresses, ADDRESSES_GLOB), ([extra] if extra.is_file() else [],
                                                                               EXTRA_NAME)):
        if not found:
            raise ImportFailed(_("The DBUnico folder %(folder)s has no file %(pattern)s.")
                               % {"folder": folder, "pattern": pattern})
    return named[-1], addresses[-1], extra


def _read(path: Path) -> Table:
    return read_csv(decode_text(read_file(path), path.name))


def read_dbunico(location: Path) -> Table:
    """The places of the register as records under our field names, with code, region, types and themes."""
    named_path, addresses_path, extra_path = dbunico_files(location)
    named = _read(named_path)
    missing = sorted(set(NAMED_FIELDS) - set(named.columns))
    if missing:
        raise ImportFailed(_("%(file)s lacks the columns %(columns)s.")
                           % {"file": named_path.name, "columns": ", ".join(missing)})
    codes_by_address, places = _places(_read(addresses_path), _read(extra_path))
    keys = [_address_key(record.values) for record in named.records]
    claims = Counter(next(iter(codes_by_address[key])) for key in keys if len(codes_by_address.get(key, ())) == 1)
    records = [_joined(record, codes_by_address.get(key, set()), places, claims)
               for record, key in zip(named.records, keys, strict=True)]
    return Table(columns=[*NAMED_FIELDS.values(), "source_id", "region", "categories", "themes"], records=records)


def _address_key(values: dict[str, str | None]) -> tuple[str, ...]:
    return tuple((values.get(column) or "").strip()
                 for column in ("indirizzo", "comune", "latitudine", "longitudine"))


def _places(addresses: Table, extra: Table) -> tuple[dict[tuple[str, ...], set[str]], dict[str, Place]]:
    """Codes by address key, and the region, types and categories of each code."""
    codes_by_address: dict[tuple[str, ...], set[str]] = defaultdict(set)
    regions: dict[str, str] = {}
    for record in addresses.records:
        code = (record.values.get("codice_dbunico2") or "").strip()
        if code:
            codes_by_address[_address_key(record.values)].add(code)
            regions[code] = (record.values.get("regione") or "").strip()
    attributes: dict[tuple[str, str], list[str]] = defaultdict(list)
    for record in sorted(extra.records, key=lambda r: (r.values.get("attributo") or "")):
        kind = record.values.get("tipo")
        if kind in ("tipologia", "categoria"):
            attributes[(kind, (record.values.get("codice_dbunico2") or "").strip())].append(
                (record.values.get("valore") or "").strip())
    places = {code: Place(region=region, types=tuple(attributes[("tipologia", code)]),
                          categories=tuple(attributes[("categoria", code)])) for code, region in regions.items()}
    return codes_by_address, places


def _joined(record: RawRecord, codes: set[str], places: dict[str, Place], claims: Counter) -> RawRecord:
    """A named record with the code (when exactly one place matches), region, types and themes."""
    values: dict[str, str | None] = {field: record.values.get(column) for column, field in NAMED_FIELDS.items()}
    candidates = [places[code] for code in sorted(codes) if code in places]
    code = next(iter(codes)) if len(codes) == 1 and claims[next(iter(codes))] == 1 else ""
    warnings = list(record.warnings)
    if codes and not code:
        warnings.append(_("The address matches the DBUnico codes %(codes)s, shared with other places; the "
                          "identifier was derived from name, address and coordinates.")
                        % {"codes": ", ".join(sorted(codes))})
    regions = {place.region for place in candidates}
    values.update(
        source_id=code,
        region=regions.pop() if len(regions) == 1 else "",
        categories="|".join(_common(place.types for place in candidates)),
        themes="|".join(c for c in _common(place.categories for place in candidates) if c not in IGNORED_CATEGORIES),
    )
    return RawRecord(line=record.line, values=values, warnings=warnings, errors=list(record.errors))


def _common(value_lists) -> list[str]:
    """The values every candidate place has (all of them when there is one candidate), in order."""
    lists = [list(values) for values in value_lists]
    if not lists:
        return []
    shared = set(lists[0]).intersection(*lists[1:])
    return [value for value in dict.fromkeys(lists[0]) if value in shared]
