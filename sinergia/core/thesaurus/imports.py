"""Importing SKOS or CSV files into the thesaurus: a preview, then an all-or-nothing upsert by notation."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sinergia.core.models import Concept
from sinergia.core.services import audit_record
from sinergia.core.thesaurus.parsers import parse_entries
from sinergia.core.thesaurus.vocabulary import (
    Entry,
    concept_changes,
    concepts_upsert,
    entry_problems,
    stored_concepts,
    structure_problems,
)

IMPORT_MAX_ERRORS = 100


@dataclass(frozen=True)
class ThesaurusImportResult:
    """What an import did (or, for a preview or a refused file, would do) and every problem found."""

    created: int
    updated: int
    unchanged: int
    errors: tuple[str, ...] = ()
    created_notations: tuple[str, ...] = ()
    updated_notations: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Plan:
    entries: list[Entry]
    created: list[str]
    updated: list[str]
    errors: list[str]

    def result(self) -> ThesaurusImportResult:
        errors = self.errors[:IMPORT_MAX_ERRORS]
        if len(self.errors) > IMPORT_MAX_ERRORS:
            errors.append(_("… and %(count)s more problems.") % {"count": len(self.errors) - IMPORT_MAX_ERRORS})
        return ThesaurusImportResult(
            created=len(self.created), updated=len(self.updated),
            unchanged=len(self.entries) - len(self.created) - len(self.updated), errors=tuple(errors),
            created_notations=tuple(self.created), updated_notations=tuple(self.updated))


def thesaurus_import_preview(*, content: bytes, format: str, default_scheme: str = "",
                             schemes: Mapping[str, str] | None = None) -> ThesaurusImportResult:
    """What importing the file would create, update and leave unchanged, and its problems; writes nothing."""
    return _plan(content=content, format=format, default_scheme=default_scheme, schemes=schemes).result()


@transaction.atomic
def thesaurus_import(*, content: bytes, format: str, by: Any, default_scheme: str = "",
                     schemes: Mapping[str, str] | None = None) -> ThesaurusImportResult:
    """Upsert the file's concepts by notation, all or nothing: with any problem nothing is written."""
    if by is not None and not by.has_perm("core.manage_thesaurus"):
        raise PermissionDenied(_("You are not allowed to change the thesaurus."))
    plan = _plan(content=content, format=format, default_scheme=default_scheme, schemes=schemes)
    if plan.errors:
        return plan.result()
    concepts_upsert(plan.entries)
    changed = Concept.objects.filter(notation__in=[*plan.created, *plan.updated])
    created = set(plan.created)
    for concept in changed:
        audit_record(actor=by, action="concept.import_create" if concept.notation in created else "concept.import",
                     target=concept, data={"notation": concept.notation})
    return plan.result()


def _plan(*, content: bytes, format: str, default_scheme: str,
          schemes: Mapping[str, str] | None) -> _Plan:
    try:
        entries, errors = parse_entries(content=content, format=format, default_scheme=default_scheme,
                                        schemes=schemes)
    except ValidationError as error:
        return _Plan(entries=[], created=[], updated=[], errors=list(error.messages))
    stored = stored_concepts({e["notation"] for e in entries if isinstance(e["notation"], str)})
    entries = [_completed(entry, stored.get(entry["notation"])) for entry in entries]
    valid = []
    for index, entry in enumerate(entries, 1):
        problems = entry_problems(index, entry) or _scheme_problems(entry, stored)
        errors += problems
        valid += [] if problems else [entry]
    errors += structure_problems(valid, known=_known_concepts())
    created, updated = concept_changes(valid, stored)
    return _Plan(entries=entries, created=created, updated=updated, errors=errors)


def _scheme_problems(entry: Entry, stored: dict[str, Concept]) -> list[str]:
    concept = stored.get(entry["notation"])
    if concept is None or concept.scheme == entry["scheme"]:
        return []
    return [_("%(notation)s already exists in the scheme %(scheme)s; an import cannot move it to another scheme.")
            % {"notation": concept.notation, "scheme": concept.scheme}]


def _known_concepts() -> dict[str, Entry]:
    """Every stored concept's notation, scheme and broader notation: what a file's broader links may point to."""
    rows = Concept.objects.values_list("notation", "scheme", "broader__notation")
    return {notation: {"notation": notation, "scheme": scheme, "broader": broader}
            for notation, scheme, broader in rows}


def _completed(entry: Entry, concept: Concept | None) -> Entry:
    """The entry as the concept would be after the import: partial (CSV) entries keep what their file leaves out."""
    entry = dict(entry)
    partial = entry.pop("partial", False)
    if partial:
        for key in ("labels", "alt_labels", "definition"):
            entry[key] = _merged(getattr(concept, key) if concept else {}, entry[key])
        if "broader" not in entry:
            entry["broader"] = concept.broader.notation if concept and concept.broader else None
    if concept is not None and isinstance(entry.get("alt_labels"), dict):
        entry["alt_labels"] = _stored_order(concept.alt_labels, entry["alt_labels"])
    return entry


def _merged(stored: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    """The stored languages overridden by the given ones; a language given empty is removed."""
    merged = {**stored, **given}
    return {lang: value for lang, value in merged.items() if value}


def _stored_order(stored: dict[str, list[str]], given: dict[str, Any]) -> dict[str, Any]:
    """Alternative labels in their stored order when a language's set of labels is the same."""
    return {lang: stored[lang] if isinstance(values, list) and sorted(stored.get(lang, [])) == sorted(values)
            else values for lang, values in given.items()}
