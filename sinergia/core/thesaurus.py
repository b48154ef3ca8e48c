"""The multilingual thesaurus: loading the shipped vocabulary, label look-ups, SKOS and CSV export."""

import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from sinergia.core.models import Concept

THESAURUS_PATH = Path(__file__).resolve().parent / "data" / "thesaurus.json"
THESAURUS_MAX_BYTES = 5 * 1024 * 1024
NOTATION_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
LANGUAGE_TAG_RE = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")
SKOS_PREFIX = "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"


@dataclass(frozen=True)
class ThesaurusLoadResult:
    """What a load did: concepts created, updated and left as they were."""

    created: int
    updated: int
    unchanged: int


def site_languages() -> list[str]:
    """The language codes of the interface, in settings order."""
    return [code for code, _name in settings.LANGUAGES]


# --- Reading and validating the vocabulary file -----------------------------------------------------------------


def thesaurus_read(*, path: Path | None = None) -> list[dict[str, Any]]:
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
    problems = [problem for index, entry in enumerate(concepts, 1) for problem in _entry_problems(index, entry)]
    problems += _structure_problems(concepts) if not problems else []
    if problems:
        raise ValidationError(problems)
    return concepts


def _entry_problems(index: int, entry: Any) -> list[str]:
    """What is wrong with one concept entry of the file."""
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
    if not _is_language_map(entry.get("alt_labels", {}), list_values=True):
        problems.append(_("Concept %(index)s (%(notation)s): alt_labels must map languages to lists of text.") % where)
    if not _is_language_map(entry.get("definition", {}), list_values=False):
        problems.append(_("Concept %(index)s (%(notation)s): definition must map languages to text.") % where)
    return problems


def _is_text(value: Any, limit: int = 500) -> bool:
    return isinstance(value, str) and 0 < len(value.strip()) <= limit


def _is_language_map(value: Any, *, list_values: bool) -> bool:
    """A dict from language tags to text (or to lists of text)."""
    if not isinstance(value, dict) or not all(isinstance(k, str) and LANGUAGE_TAG_RE.match(k) for k in value):
        return False
    if list_values:
        return all(isinstance(v, list) and all(_is_text(item) for item in v) for v in value.values())
    return all(_is_text(v, limit=5000) for v in value.values())


def _structure_problems(concepts: list[dict[str, Any]]) -> list[str]:
    """Duplicated notations, broader concepts that are missing, in another scheme, or in a cycle."""
    problems, by_notation = [], {}
    for entry in concepts:
        if entry["notation"] in by_notation:
            problems.append(_("The notation %(notation)s appears twice.") % {"notation": entry["notation"]})
        by_notation[entry["notation"]] = entry
    for entry in concepts:
        broader = by_notation.get(entry.get("broader") or "")
        if entry.get("broader") and (broader is None or broader["scheme"] != entry["scheme"]):
            problems.append(_("%(notation)s: the broader concept %(broader)s is not a concept of the same scheme.")
                            % {"notation": entry["notation"], "broader": entry["broader"]})
        elif broader is not None and _in_cycle(entry["notation"], by_notation):
            problems.append(_("%(notation)s: broader concepts form a cycle.") % {"notation": entry["notation"]})
    return problems


def _in_cycle(notation: str, by_notation: dict[str, dict[str, Any]]) -> bool:
    seen, current = set(), by_notation[notation].get("broader")
    while current and current not in seen:
        if current == notation:
            return True
        seen.add(current)
        current = by_notation.get(current, {}).get("broader")
    return False


# --- Loading --------------------------------------------------------------------------------------------------


@transaction.atomic
def thesaurus_load(*, path: Path | None = None) -> ThesaurusLoadResult:
    """Upsert the concepts of the thesaurus file by notation (idempotent); other concepts are kept."""
    entries = thesaurus_read(path=path)
    existing = {c.notation: c for c in Concept.objects.filter(notation__in=[e["notation"] for e in entries])}
    new, changed = [], []
    for entry in entries:
        concept = existing.get(entry["notation"])
        if concept is None:
            new.append(Concept(**_concept_fields(entry), notation=entry["notation"]))
        elif _apply(concept, _concept_fields(entry)):
            changed.append(concept)
    Concept.objects.bulk_create(new)
    Concept.objects.bulk_update(changed, ["scheme", "labels", "alt_labels", "definition"])
    relinked = _link_broader(entries)
    updated = len({c.notation for c in changed} | (relinked - {c.notation for c in new}))
    return ThesaurusLoadResult(created=len(new), updated=updated, unchanged=len(entries) - len(new) - updated)


def thesaurus_ensure_loaded() -> ThesaurusLoadResult | None:
    """Load the shipped thesaurus unless every one of its concepts is already there."""
    notations = [entry["notation"] for entry in thesaurus_read()]
    if Concept.objects.filter(notation__in=notations).count() == len(notations):
        return None
    return thesaurus_load()


def _concept_fields(entry: dict[str, Any]) -> dict[str, Any]:
    return {
        "scheme": entry["scheme"],
        "labels": {k: v.strip() for k, v in entry["labels"].items()},
        "alt_labels": {k: [item.strip() for item in v] for k, v in entry.get("alt_labels", {}).items()},
        "definition": {k: v.strip() for k, v in entry.get("definition", {}).items()},
    }


def _apply(concept: Concept, fields: dict[str, Any]) -> bool:
    """Set the fields on the concept; whether anything changed."""
    changed = any(getattr(concept, name) != value for name, value in fields.items())
    for name, value in fields.items():
        setattr(concept, name, value)
    return changed


def _link_broader(entries: list[dict[str, Any]]) -> set[str]:
    """Point every concept at its broader concept; the notations whose link changed."""
    concepts = {c.notation: c for c in Concept.objects.filter(notation__in=[e["notation"] for e in entries])}
    relinked = []
    for entry in entries:
        concept = concepts[entry["notation"]]
        broader_id = concepts[entry["broader"]].pk if entry.get("broader") else None
        if concept.broader_id != broader_id:
            concept.broader_id = broader_id
            relinked.append(concept)
    Concept.objects.bulk_update(relinked, ["broader"])
    return {c.notation for c in relinked}


# --- Look-ups ------------------------------------------------------------------------------------------------


def normalise_label(text: str) -> str:
    """A label folded for comparison: no accents, no case, single spaces."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().replace("’", "'").split())


def concept_index(*, scheme: str) -> dict[str, Concept]:
    """Every concept of a scheme under each of its folded labels, alternative labels and notation."""
    index: dict[str, Concept] = {}
    concepts = list(Concept.objects.filter(scheme=scheme))
    for concept in concepts:
        for labels in concept.alt_labels.values():
            index.update((normalise_label(label), concept) for label in labels)
    for concept in concepts:
        index.update((normalise_label(label), concept) for label in concept.labels.values())
    index.update((normalise_label(c.notation), c) for c in concepts)
    return index


def concept_lookup(*, scheme: str, label: str) -> Concept | None:
    """The concept of the scheme with this label, alternative label or notation, in any language."""
    return concept_index(scheme=scheme).get(normalise_label(label))


# --- Export --------------------------------------------------------------------------------------------------


def _turtle_literal(text: str, language: str) -> str:
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               .replace("\r", "\\r").replace("\t", "\\t"))
    return f'"{escaped}"@{language.lower()}'


def _turtle_labels(predicate: str, values: Iterable[tuple[str, str]]) -> list[str]:
    literals = [_turtle_literal(text, lang) for lang, text in values if LANGUAGE_TAG_RE.match(lang) and text]
    return [f"    {predicate} " + ",\n        ".join(literals)] if literals else []


def _turtle_subject(subject: str, statements: list[str]) -> str:
    return f"<{subject}>\n" + " ;\n".join(statements) + " .\n"


def thesaurus_skos(*, base_iri: str) -> str:
    """The concepts in the database as SKOS, serialised in Turtle."""
    concepts = list(Concept.objects.select_related("broader").prefetch_related("narrower").order_by("scheme", "pk"))
    blocks = [SKOS_PREFIX]
    for scheme in sorted({c.scheme for c in concepts}):
        blocks.append(_skos_scheme(base_iri, scheme, [c for c in concepts if c.scheme == scheme]))
    blocks.extend(_skos_concept(base_iri, concept) for concept in concepts)
    return "\n".join(blocks)


def scheme_labels(scheme: str) -> dict[str, str]:
    """The scheme's name per language: from the shipped vocabulary, else from the interface's translations."""
    shipped = json.loads(THESAURUS_PATH.read_text(encoding="utf-8")).get("schemes", {}).get(scheme, {})
    labels = {}
    for code in site_languages():
        with translation.override(code):
            labels[code] = shipped.get(code) or str(Concept.Scheme(scheme).label)
    return labels


def _skos_scheme(base_iri: str, scheme: str, concepts: list[Concept]) -> str:
    labels = scheme_labels(scheme).items()
    tops = ", ".join(f"<{base_iri}{c.notation}>" for c in concepts if c.broader_id is None)
    statements = ["    a skos:ConceptScheme", *_turtle_labels("skos:prefLabel", labels)]
    statements += [f"    skos:hasTopConcept {tops}"] if tops else []
    return _turtle_subject(f"{base_iri}scheme/{scheme}", statements)


def _skos_concept(base_iri: str, concept: Concept) -> str:
    scheme = f"<{base_iri}scheme/{concept.scheme}>"
    statements = ["    a skos:Concept", f"    skos:inScheme {scheme}", f'    skos:notation "{concept.notation}"']
    broader = concept.broader
    statements += [f"    skos:broader <{base_iri}{broader.notation}>"] if broader else [
        f"    skos:topConceptOf {scheme}"]
    statements += _turtle_labels("skos:prefLabel", concept.labels.items())
    statements += _turtle_labels("skos:altLabel", ((k, v) for k, vs in concept.alt_labels.items() for v in vs))
    statements += _turtle_labels("skos:definition", concept.definition.items())
    narrower = ", ".join(f"<{base_iri}{n.notation}>" for n in sorted(concept.narrower.all(), key=lambda n: n.pk))
    statements += [f"    skos:narrower {narrower}"] if narrower else []
    return _turtle_subject(f"{base_iri}{concept.notation}", statements)


def thesaurus_csv() -> str:
    """The concepts in the database as CSV: one row per concept, labels per language in columns."""
    languages = site_languages()
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\n")
    writer.writerow(["notation", "scheme", "broader", *(f"label_{code}" for code in languages),
                     *(f"alt_labels_{code}" for code in languages)])
    for concept in Concept.objects.select_related("broader").order_by("scheme", "pk"):
        writer.writerow([
            concept.notation, concept.scheme, concept.broader.notation if concept.broader else "",
            *(concept.labels.get(code, "") for code in languages),
            *(" | ".join(concept.alt_labels.get(code, [])) for code in languages),
        ])
    return output.getvalue()
