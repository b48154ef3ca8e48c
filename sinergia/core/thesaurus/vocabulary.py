"""The shipped vocabulary: reading and validating concept entries, and upserting them by notation."""

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils.translation import gettext as _

from sinergia.core.models import Concept

THESAURUS_PATH = Path(__file__).resolve().parent.parent / "data" / "thesaurus.json"
THESAURUS_MAX_BYTES = 5 * 1024 * 1024
NOTATION_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
LANGUAGE_TAG_RE = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")
CONCEPT_FIELDS = ["scheme", "labels", "alt_labels", "definition"]

Entry = dict[str, Any]


@dataclass(frozen=True)
class ThesaurusLoadResult:
    """What a load did: concepts created, updated and left as they were."""

    created: int
    updated: int
    unchanged: int


def site_languages() -> list[str]:
    """The language codes of the interface, in settings order."""
    return [code for code, _name in settings.LANGUAGES]


# --- Reading and validating -------------------------------------------------------------------------------------


def thesaurus_read(*, path: Path | None = None) -> list[Entry]:
    """The concepts of a thesaurus file, validated (raises ValidationError listing every problem)."""
    path = Path(path or THESAURUS_PATH)
    try:
        if path.stat().st_size > THESAURUS_MAX_BYTES:
            raise ValidationError(_("The thesaurus file %(path)s is larger than 5 MB.") % {"path": path})
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ValidationError(_("Cannot read the thesaurus file %(path)s: %(error)s")
                              % {"path": path, "error": error.strerror}) from error
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise ValidationError(_("The thesaurus file %(path)s is not valid UTF-8 JSON: %(error)s")
                              % {"path": path, "error": error}) from error
    concepts = data.get("concepts") if isinstance(data, dict) else None
    if not isinstance(concepts, list):
        raise ValidationError(_("The thesaurus file must be an object with a list of \"concepts\"."))
    problems = entries_problems(concepts)
    if problems:
        raise ValidationError(problems)
    return concepts


def entries_problems(concepts: list[Any], *, known: dict[str, Entry] | None = None) -> list[str]:
    """Every problem of these entries; `known` holds the concepts already stored (notation, scheme, broader)."""
    problems = [problem for index, entry in enumerate(concepts, 1) for problem in entry_problems(index, entry)]
    return problems or structure_problems(concepts, known=known)


def entry_problems(index: int | str, entry: Any) -> list[str]:
    """What is wrong with one concept entry."""
    if not isinstance(entry, dict):
        return [_("Concept %(index)s is not an object.") % {"index": index}]
    where = {"index": index, "notation": entry.get("notation", "?")}
    problems = []
    if not (isinstance(entry.get("notation"), str) and NOTATION_RE.match(entry["notation"])):
        problems.append(_("Concept %(index)s: the notation must be a lower-case slug of at most 80 characters.")
                        % where)
    if entry.get("scheme") not in Concept.Scheme.values:
        problems.append(_("Concept %(index)s (%(notation)s): unknown scheme.") % where)
    labels = entry.get("labels")
    missing = [code for code in site_languages() if not (isinstance(labels, dict) and _is_text(labels.get(code)))]
    if missing:
        problems.append(_("Concept %(index)s (%(notation)s): no label in %(languages)s.")
                        % {**where, "languages": ", ".join(missing)})
    elif not _is_language_map(labels, list_values=False, limit=500):
        problems.append(_("Concept %(index)s (%(notation)s): labels must map languages to text.") % where)
    if not _is_language_map(entry.get("alt_labels", {}), list_values=True):
        problems.append(_("Concept %(index)s (%(notation)s): alt_labels must map languages to lists of text.") % where)
    if not _is_language_map(entry.get("definition", {}), list_values=False):
        problems.append(_("Concept %(index)s (%(notation)s): definition must map languages to text.") % where)
    return problems


def _is_text(value: Any, limit: int = 500) -> bool:
    return isinstance(value, str) and 0 < len(value.strip()) <= limit


def _is_language_map(value: Any, *, list_values: bool, limit: int = 5000) -> bool:
    """A dict from language tags to text (or to lists of at most 50 texts)."""
    if not isinstance(value, dict) or not all(isinstance(k, str) and LANGUAGE_TAG_RE.match(k) for k in value):
        return False
    if list_values:
        return all(isinstance(v, list) and len(v) <= 50 and all(_is_text(item) for item in v) for v in value.values())
    return all(_is_text(v, limit=limit) for v in value.values())


def structure_problems(concepts: list[Entry], *, known: dict[str, Entry] | None = None) -> list[str]:
    """Duplicated notations, broader concepts that are missing, in another scheme, or in a cycle."""
    problems, seen, by_notation = [], set(), dict(known or {})
    for entry in concepts:
        if entry["notation"] in seen:
            problems.append(_("The notation %(notation)s appears twice.") % {"notation": entry["notation"]})
        seen.add(entry["notation"])
        by_notation[entry["notation"]] = entry
    for entry in concepts:
        problems += _broader_problems(entry, by_notation)
    return problems


def _broader_problems(entry: Entry, by_notation: dict[str, Entry]) -> list[str]:
    if not entry.get("broader"):
        return []
    where = {"notation": entry["notation"], "broader": entry["broader"]}
    broader = by_notation.get(entry["broader"])
    if broader is None:
        return [_("%(notation)s: the broader concept %(broader)s does not exist.") % where]
    if broader["scheme"] != entry["scheme"]:
        return [_("%(notation)s: the broader concept %(broader)s is not a concept of the same scheme.") % where]
    if _in_cycle(entry["notation"], by_notation):
        return [_("%(notation)s: broader concepts form a cycle.") % where]
    return []


def _in_cycle(notation: str, by_notation: dict[str, Entry]) -> bool:
    seen, current = set(), by_notation[notation].get("broader")
    while current and current not in seen:
        if current == notation:
            return True
        seen.add(current)
        current = by_notation.get(current, {}).get("broader")
    return False


# --- Writing ----------------------------------------------------------------------------------------------------

# Sent (sender=Concept, notations=[…]) once concepts were created or changed in bulk and the change is committed:
# bulk writes send no post_save, and other apps keep labels of concepts (the library's search and facets).
concepts_changed = Signal()


@transaction.atomic
def thesaurus_load(*, path: Path | None = None) -> ThesaurusLoadResult:
    """Upsert the concepts of the thesaurus file by notation (idempotent); other concepts are kept."""
    entries = thesaurus_read(path=path)
    created, updated = concepts_upsert(entries)
    return ThesaurusLoadResult(created=len(created), updated=len(updated),
                               unchanged=len(entries) - len(created) - len(updated))


def thesaurus_ensure_loaded() -> ThesaurusLoadResult | None:
    """Load the shipped thesaurus unless every one of its concepts is already there."""
    notations = [entry["notation"] for entry in thesaurus_read()]
    if Concept.objects.filter(notation__in=notations).count() == len(notations):
        return None
    return thesaurus_load()


def stored_concepts(notations: set[str]) -> dict[str, Concept]:
    """The stored concepts with these notations, with their broader concept."""
    return {c.notation: c for c in Concept.objects.filter(notation__in=notations).select_related("broader")}


def concept_changes(entries: list[Entry], stored: dict[str, Concept]) -> tuple[list[str], list[str]]:
    """The notations the entries would create and those they would change (fields or broader link)."""
    created = [e["notation"] for e in entries if e["notation"] not in stored]
    updated = [e["notation"] for e in entries if e["notation"] in stored and _differs(stored[e["notation"]], e)]
    return created, updated


def _differs(concept: Concept, entry: Entry) -> bool:
    broader = concept.broader.notation if concept.broader else None
    fields = concept_fields(entry)
    return broader != (entry.get("broader") or None) or any(getattr(concept, k) != v for k, v in fields.items())


def concepts_upsert(entries: list[Entry]) -> tuple[list[str], list[str]]:
    """Create and update the concepts of validated entries; the notations created and updated."""
    stored = stored_concepts({e["notation"] for e in entries})
    created, updated = concept_changes(entries, stored)
    by_notation = {e["notation"]: e for e in entries}
    Concept.objects.bulk_create([Concept(notation=n, **concept_fields(by_notation[n])) for n in created])
    changed = [stored[n] for n in updated]
    for concept in changed:
        for name, value in concept_fields(by_notation[concept.notation]).items():
            setattr(concept, name, value)
    Concept.objects.bulk_update(changed, CONCEPT_FIELDS)
    _link_broader(entries)
    if notations := [*created, *updated]:
        transaction.on_commit(lambda: concepts_changed.send(sender=Concept, notations=notations))
    return created, updated


def concept_fields(entry: Entry) -> dict[str, Any]:
    """The model fields of an entry, text stripped."""
    return {
        "scheme": entry["scheme"],
        "labels": {k: v.strip() for k, v in entry["labels"].items()},
        "alt_labels": {k: [item.strip() for item in v] for k, v in entry.get("alt_labels", {}).items()},
        "definition": {k: v.strip() for k, v in entry.get("definition", {}).items()},
    }


def _link_broader(entries: list[Entry]) -> None:
    """Point every concept at its broader concept."""
    notations = {e["notation"] for e in entries} | {e["broader"] for e in entries if e.get("broader")}
    concepts = {c.notation: c for c in Concept.objects.filter(notation__in=notations)}
    relinked = []
    for entry in entries:
        concept = concepts[entry["notation"]]
        broader_id = concepts[entry["broader"]].pk if entry.get("broader") else None
        if concept.broader_id != broader_id:
            concept.broader_id = broader_id
            relinked.append(concept)
    Concept.objects.bulk_update(relinked, ["broader"])
