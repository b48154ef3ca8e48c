"""CSL-JSON (Zotero's and citeproc's format): read as plain JSON with its shape checked, written from resources."""

import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sinergia.library.citations import kinds
from sinergia.library.citations.keys import citation_key
from sinergia.library.citations.records import (
    Draft,
    ParsedRecord,
    check_count,
    clean_paragraphs,
    clean_text,
    date_parts,
    first_isbn,
    pages_text,
    record_finish,
    record_unreadable,
    topic_keywords,
)
from sinergia.library.models import Creator, Resource

ROLE = Creator.Role
NAME_ROLES = {"author": ROLE.AUTHOR, "editor": ROLE.EDITOR, "translator": ROLE.TRANSLATOR,
              "contributor": ROLE.CONTRIBUTOR}
TEXT_FIELDS = {"title": "title", "container-title": "container_title", "publisher": "publisher",
               "publisher-place": "place_published", "volume": "volume", "issue": "issue", "edition": "edition",
               "DOI": "doi", "URL": "url", "license": "licence"}
# The CSL data schema has no licence variable: it travels in "custom" (free data), read back from there too.
SCALAR = str | int | float


def parse_csljson(text: str, *, default_language: str = "", max_records: int | None = None) -> list[ParsedRecord]:
    """Every item of a CSL-JSON text (an array of items, or one item), each with its errors."""
    try:
        items = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise ValidationError(_("The file is not valid JSON (%(reason)s).") % {"reason": str(error)[:120]},
                              code="invalid_json") from error
    if isinstance(items, dict):
        items = items.get("items") if isinstance(items.get("items"), list) else [items]
    if not isinstance(items, list):
        raise ValidationError(_("A CSL-JSON file holds a list of items (it starts with “[”)."), code="invalid_shape")
    check_count(len(items), max_records)
    return [_item_record(index, item, default_language) for index, item in enumerate(items, 1)]


def _item_record(index: int, item: Any, default_language: str) -> ParsedRecord:
    if not isinstance(item, dict):
        return record_unreadable(index, "", _("This item is not a JSON object with fields."))
    key = item.get("citation-key") or item.get("id") or ""
    draft = Draft(index=index, source_key=clean_text(key) if isinstance(key, SCALAR) else "")
    for name in ("title", "abstract", *TEXT_FIELDS):
        if name in item and not isinstance(item[name], SCALAR | None):
            draft.errors.append(_("The field “%(name)s” should be a text.") % {"name": name})
    _kind(draft, item)
    for name, field_name in TEXT_FIELDS.items():
        draft.set(field_name, item.get(name) if isinstance(item.get(name), SCALAR) else "")
    custom = item.get("custom")
    if isinstance(custom, dict) and isinstance(custom.get("license"), str):
        draft.set("licence", custom["license"])
    abstract = item.get("abstract")
    draft.values["abstract"] = clean_paragraphs(abstract) if isinstance(abstract, str) else ""
    draft.values["pages"] = pages_text(item.get("page") or item.get("page-first") or "")
    draft.set("isbn", first_isbn(item.get("ISBN")) if isinstance(item.get("ISBN"), str) else "")
    _names(draft, item)
    _issued(draft, item.get("issued"))
    language = item.get("language")
    draft.language = clean_text(language) if isinstance(language, str) else ""
    keyword = item.get("keyword")  # Zotero writes a record's tags between commas
    draft.add_keywords(keyword if isinstance(keyword, str | list) else "", separators=",;")
    return record_finish(draft, default_language=default_language)


def _kind(draft: Draft, item: dict) -> None:
    type_name = str(item["type"]) if isinstance(item.get("type"), str) else ""
    genre = str(item["genre"]) if isinstance(item.get("genre"), str) else ""
    kind = kinds.kind_of_genre(genre) or kinds.CSL_TYPES.get(type_name)
    if kind is None:
        kind = kinds.FALLBACK
        draft.warnings.append(_("The type “%(type)s” has no equivalent here: the record is imported as a "
                                "report.") % {"type": clean_text(type_name)[:40] or "—"})
    draft.kind = kind


def _names(draft: Draft, item: dict) -> None:
    for field_name, role in NAME_ROLES.items():
        names = item.get(field_name)
        if names is None:
            continue
        if not isinstance(names, list) or not all(isinstance(name, dict) for name in names):
            draft.errors.append(_("The field “%(name)s” should be a list of names.") % {"name": field_name})
            continue
        for name in names:
            _name(draft, name, role)


def _name(draft: Draft, name: dict, role: str) -> None:
    parts = {key: clean_text(value) for key, value in name.items() if isinstance(value, SCALAR)}
    if parts.get("literal") and not parts.get("family"):
        draft.add_organisation(parts["literal"], role)
        return
    family = " ".join(filter(None, (parts.get("non-dropping-particle"), parts.get("family"))))
    given = " ".join(filter(None, (parts.get("given"), parts.get("dropping-particle"))))
    if parts.get("suffix"):
        given = f"{given}, {parts['suffix']}".strip(", ")
    draft.add_person(family, given, role)


def _issued(draft: Draft, issued: Any) -> None:
    """Year, month, day from {"date-parts": [[2020, 5, 13]]}, {"raw": "2020-05"} or {"literal": "Spring 2020"}."""
    if isinstance(issued, SCALAR):
        draft.set_date(clean_text(issued))
        return
    if not isinstance(issued, dict):
        return
    parts = issued.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        numbers = [int(p) if isinstance(p, int) or (isinstance(p, str) and p.isdigit()) else 0 for p in parts[0][:3]]
        year, month, day = date_parts("-".join(f"{n:02d}" if i else f"{n:04d}" for i, n in enumerate(numbers)))
        if year:
            draft.values.update({"year": year, "month": month, "day": day})
            return
    for key in ("raw", "literal"):
        if isinstance(issued.get(key), str):
            draft.set_date(issued[key])


# --- Writing ---------------------------------------------------------------------------------------------------


def _csl_name(creator: Creator) -> dict[str, str]:
    if creator.is_organisation:
        return {"literal": creator.organisation_name}
    return {"family": creator.family, "given": creator.given} if creator.given else {"family": creator.family}


def csl_item(resource: Resource, key: str) -> dict[str, Any]:
    """One resource as a CSL-JSON item (valid against the CSL data schema)."""
    item: dict[str, Any] = {"id": key, "citation-key": key, "type": kinds.CSL_EXPORT.get(resource.kind, "document"),
                            "title": resource.title}
    for creator in resource.creators.all():
        item.setdefault(creator.role if creator.role in NAME_ROLES else "author", []).append(_csl_name(creator))
    if resource.year:
        item["issued"] = {"date-parts": [[part for part in (resource.year, resource.month, resource.day) if part]]}
    values = {"container-title": resource.container_title, "publisher": resource.publisher,
              "publisher-place": resource.place_published, "volume": resource.volume, "issue": resource.issue,
              "page": resource.pages, "edition": resource.edition, "DOI": resource.doi, "ISBN": resource.isbn,
              "URL": resource.url, "language": resource.language, "genre": kinds.GENRES.get(resource.kind, ""),
              "abstract": resource.abstract, "keyword": ", ".join(topic_keywords(resource))}
    item.update({name: value for name, value in values.items() if value})
    if resource.licence:
        item["custom"] = {"license": resource.licence}
    return item


def csljson_chunks(resources: Iterable[Resource]) -> Iterator[str]:
    """A JSON array of CSL items, written item by item."""
    used: set[str] = set()
    yield "["
    for number, resource in enumerate(resources):
        text = json.dumps(csl_item(resource, citation_key(resource, used)), ensure_ascii=False, indent=2)
        yield ("," if number else "") + "\n" + text
    yield "\n]\n"


def write_csljson(resources: Iterable[Resource]) -> str:
    """Resources as one CSL-JSON text."""
    return "".join(csljson_chunks(resources))
