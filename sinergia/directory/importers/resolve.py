"""Steps between valid rows and the database: identifiers, concepts of the thesaurus and kinds."""

import hashlib
from collections import Counter, defaultdict

from django.utils.translation import gettext as _

from sinergia.core.thesaurus import concept_index, normalise_label
from sinergia.directory.importers.kinds import kind_guess
from sinergia.directory.importers.types import CleanRow, RowIssue, unit_label
from sinergia.directory.importers.validation import CONCEPT_FIELDS, field_label, shorten

FALLBACK_PREFIX = "h-"


def fallback_identifier(row: CleanRow) -> str:
    """A stable identifier for a row without one: a digest of its name, municipality, address and coordinates."""
    parts = [row.fields.get(name) for name in ("name", "municipality", "address", "latitude", "longitude")]
    text = "\x1f".join("" if part is None else normalise_label(str(part)) for part in parts)
    return FALLBACK_PREFIX + hashlib.sha256(text.encode()).hexdigest()[:24]


def identifiers_assign(rows: list[CleanRow], *, unit: str) -> list[RowIssue]:
    """Give rows without an identifier a derived one; the errors of identifiers used twice in the file."""
    lines_by_id: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        if row.source_id:
            lines_by_id[row.source_id].append(row.line)
    message = _("The identifier “%(id)s” is used more than once in the file (%(unit)s %(lines)s).")
    errors = [
        RowIssue(row.line, message % {"id": shorten(row.source_id), "unit": unit_label(unit),
                                      "lines": ", ".join(map(str, lines_by_id[row.source_id]))}, unit)
        for row in rows if row.source_id and len(lines_by_id[row.source_id]) > 1
    ]
    first_line: dict[str, int] = {}
    seen: Counter[str] = Counter()
    for row in (row for row in rows if not row.source_id):
        base = fallback_identifier(row)
        seen[base] += 1
        row.source_id = base if seen[base] == 1 else f"{base}-{seen[base]}"
        if seen[base] > 1:
            row.warnings.append(_("Same name, address and coordinates as %(unit)s %(line)s; kept as a distinct place.")
                                % {"unit": unit_label(unit), "line": first_line[base]})
        first_line.setdefault(base, row.line)
    return errors


def concepts_resolve(rows: list[CleanRow]) -> dict[str, dict[int, set[int]]]:
    """The concept ids of each row (by position in `rows`) per relation; unknown labels become warnings."""
    resolved: dict[str, dict[int, set[int]]] = {}
    for relation, scheme in CONCEPT_FIELDS.items():
        if not any(relation in row.concepts for row in rows):
            continue
        index = concept_index(scheme=scheme)
        resolved[relation] = {}
        for position, row in enumerate(rows):
            resolved[relation][position] = _row_concepts(row, relation, index)
    return resolved


def _row_concepts(row: CleanRow, relation: str, index: dict) -> set[int]:
    ids = set()
    for label in row.concepts.get(relation, []):
        concept = index.get(normalise_label(label))
        if concept is None:
            row.warnings.append(_("%(field)s: “%(label)s” is not in the thesaurus; left out.")
                                % {"field": field_label(relation), "label": shorten(label)})
        else:
            ids.add(concept.pk)
            if relation == "categories":
                row.category_notations.append(concept.notation)
    return ids


def kinds_assign(rows: list[CleanRow]) -> None:
    """Rows whose source gives no kind get the likely one, from the name and the categories."""
    for row in rows:
        if not row.fields.get("kind"):
            row.fields["kind"] = kind_guess(name=row.fields["name"], categories=row.category_notations)
