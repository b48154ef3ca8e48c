"""RIS files (and Web of Science's tagged export) read with rispy, and RIS written from resources.

rispy reads a whole file and silently drops a record left without its end tag; the file is therefore cut into
records here (TY … ER) and each is given to rispy alone, so that a broken record is reported and the others read.
"""

from collections.abc import Iterable, Iterator

import rispy
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sinergia.library.citations import kinds
from sinergia.library.citations.records import (
    Draft,
    ParsedRecord,
    check_count,
    clean_paragraphs,
    clean_text,
    first_isbn,
    pages_text,
    record_finish,
    topic_keywords,
)
from sinergia.library.models import Creator, Resource
from sinergia.library.services._data import isbn_clean

ROLE = Creator.Role
# RIS tags rispy does not name: ED (editor, written by several programs), VO (a misspelt VL).
MAPPING = {**rispy.TAG_KEY_MAPPING, "ED": "editors", "VO": "volume_alt"}
LIST_TAGS = [*rispy.LIST_TYPE_TAGS, "ED"]
CREATOR_KEYS = (("authors", ROLE.AUTHOR), ("first_authors", ROLE.AUTHOR), ("secondary_authors", ROLE.EDITOR),
                ("editors", ROLE.EDITOR), ("tertiary_authors", ROLE.CONTRIBUTOR),
                ("subsidiary_authors", ROLE.TRANSLATOR))
BOOK_KINDS = (Resource.Kind.BOOK, Resource.Kind.CHAPTER, Resource.Kind.REPORT, Resource.Kind.TOOLKIT)


class _Parser(rispy.RisParser):
    """rispy's reader, keeping the line breaks of a value that runs over several lines (abstracts' paragraphs)."""

    def _add_single_value(self, record: dict, name: str, value, is_multi: bool = False) -> None:
        if is_multi and isinstance(value, str) and isinstance(record.get(name), str):
            record[name] = f"{record[name]}\n{value}"
        else:
            super()._add_single_value(record, name, value, is_multi)


class _WokParser(rispy.WokParser):
    def _add_single_value(self, record: dict, name: str, value, is_multi: bool = False) -> None:
        if is_multi and isinstance(value, str) and isinstance(record.get(name), str):
            record[name] = f"{record[name]}\n{value}"
        else:
            super()._add_single_value(record, name, value, is_multi)


def _is_tag(line: str, tag: str) -> bool:
    return line[:2] == tag and line[2:5] == "  -"


def _chunks(lines: list[str], start: str, end: str, tagged) -> Iterator[tuple[int, list[str], bool]]:
    """(first line number, lines, ended) of each record: from a start tag to its end tag."""
    current: list[str] | None = None
    first = 0
    for number, line in enumerate(lines, 1):
        if tagged(line, start):
            if current is not None:
                yield first, current, False
            current, first = [line], number
        elif current is not None:
            current.append(line)
            if tagged(line, end):
                yield first, current, True
                current = None
    if current is not None:
        yield first, current, False


def _wos_tag(line: str, tag: str) -> bool:
    return line[:2] == tag and (len(line) == 2 or line[2] == " ")


def is_wos(text: str) -> bool:
    """Whether the text is a Web of Science export ("FN Clarivate…", "PT J" records)."""
    head = text.lstrip()[:200]
    return head.startswith("FN ") or head.startswith("PT ")


def parse_ris(text: str, *, default_language: str = "", max_records: int | None = None) -> list[ParsedRecord]:
    """Every record of a RIS (or Web of Science) text, each with its errors."""
    wos = is_wos(text)
    lines = text.split("\n")
    chunks = list(_chunks(lines, "PT", "ER", _wos_tag) if wos else _chunks(lines, "TY", "ER", _is_tag))
    check_count(len(chunks), max_records)
    records = []
    for index, (line, chunk, ended) in enumerate(chunks, 1):
        parser = _WokParser(skip_unknown_tags=True) if wos else _Parser(
            mapping=MAPPING, list_tags=LIST_TAGS, skip_unknown_tags=True)
        if not ended:
            chunk = [*chunk, "ER" if wos else "ER  - "]
        found = parser.parse_lines(iter(chunk))
        draft = _wos_draft(index, found[0]) if wos else _draft(index, found[0])
        if not ended:
            draft.errors.append(_("The record that starts on line %(line)d has no end line (ER  -): the file may "
                                  "be cut short or damaged.") % {"line": line})
        records.append(record_finish(draft, default_language=default_language))
    return records


def _first(record: dict, *keys: str) -> str:
    for key in keys:
        value = record.get(key)
        if isinstance(value, list):
            value = next((item for item in value if clean_text(item)), "")
        if clean_text(value):
            return str(value)
    return ""


def _kind(draft: Draft, type_code: str, genre: str) -> None:
    kind = kinds.kind_of_genre(genre) or kinds.ris_kind(type_code)
    if kind is None:
        kind = kinds.FALLBACK
        draft.warnings.append(_("The type “%(type)s” has no equivalent here: the record is imported as a "
                                "report.") % {"type": clean_text(type_code)[:40] or "—"})
    draft.kind = kind


def _draft(index: int, record: dict) -> Draft:
    draft = Draft(index=index, source_key=clean_text(record.get("id", "")))
    _kind(draft, record.get("type_of_reference", ""), record.get("type_of_work", ""))
    draft.set("title", _first(record, "title", "primary_title", "short_title", "translated_title"))
    draft.values["abstract"] = clean_paragraphs(_first(record, "abstract", "notes_abstract"))
    for key, role in CREATOR_KEYS:
        for name in record.get(key) or []:
            draft.add_name(name, role)
    for key in ("date", "year", "publication_year"):
        draft.set_date(clean_text(record.get(key)))
    draft.set("container_title", _first(record, "secondary_title", "alternate_title3", "journal_name",
                                        "alternate_title2", "alternate_title1"))
    for name, keys in (("publisher", ("publisher",)), ("place_published", ("place_published",)),
                       ("volume", ("volume", "volume_alt")), ("issue", ("number",)), ("edition", ("edition",)),
                       ("doi", ("doi",)), ("url", ("urls",))):
        draft.set(name, _first(record, *keys))
    draft.values["pages"] = pages_text(record.get("start_page"), record.get("end_page"))
    _isbn(draft, first_isbn(record.get("issn")))
    draft.language = clean_text(record.get("language"))
    draft.add_keywords(record.get("keywords"))  # one KW line each, or several between semicolons
    return draft


def _isbn(draft: Draft, isbn: str) -> None:
    """SN is a book's ISBN, but a journal's ISSN: an article keeps it only if it is a valid ISBN."""
    if draft.kind in BOOK_KINDS:
        draft.set("isbn", isbn)
        return
    try:
        draft.set("isbn", isbn_clean(isbn))
    except ValidationError:
        return


def _wos_draft(index: int, record: dict) -> Draft:
    draft = Draft(index=index, source_key=clean_text(record.get("accession_number", "")))
    draft.kind = kinds.WOS_TYPES.get(clean_text(record.get("publication_type")).upper(), kinds.FALLBACK)
    draft.set("title", record.get("document_title"))
    draft.values["abstract"] = clean_paragraphs(record.get("abstract"))
    for name in record.get("author_full_name") or record.get("authors") or []:
        draft.add_name(name)
    for name in record.get("group_authors") or []:
        draft.add_organisation(name)
    for name in record.get("editors") or []:
        draft.add_name(name, ROLE.EDITOR)
    draft.set_date(clean_text(record.get("publication_year")))
    for name, key in (("container_title", "publication_name"), ("publisher", "publisher"),
                      ("place_published", "publisher_city"), ("volume", "volume"), ("issue", "issue"),
                      ("doi", "doi")):
        draft.set(name, record.get(key))
    draft.values["pages"] = pages_text(record.get("beginning_page"), record.get("ending_page"))
    draft.set("isbn", first_isbn(record.get("isbn")))
    draft.language = clean_text(record.get("language"))
    draft.add_keywords(record.get("author_keywords"))  # DE: the authors' keywords, between semicolons
    return draft


# --- Writing ---------------------------------------------------------------------------------------------------


def _line(tag: str, value: object) -> str:
    return f"{tag}  - {value}\n"


def _paragraphs(tag: str, text: str) -> str:
    """A value over several lines; a line that would read as a tag is indented (readers strip the space)."""
    lines = text.split("\n")
    rest = "".join(f" {line}\n" if line[2:5] == "  -" else f"{line}\n" for line in lines[1:])
    return _line(tag, lines[0]) + rest


def _person(creator: Creator) -> str:
    if creator.is_organisation:
        return creator.organisation_name
    # "Family," keeps a single-name person a person: a name without a comma reads as an organisation.
    return f"{creator.family}, {creator.given}" if creator.given else f"{creator.family},"


CREATOR_TAGS: dict[str, str] = {ROLE.AUTHOR: "AU", ROLE.EDITOR: "A2", ROLE.CONTRIBUTOR: "A3", ROLE.TRANSLATOR: "A4"}


def ris_record(resource: Resource) -> str:
    """One resource as a RIS record (creators must be prefetched or are read in one query)."""
    out = [_line("TY", kinds.RIS_EXPORT.get(resource.kind, "GEN"))]
    if resource.kind in kinds.GENRES:
        out.append(_line("M3", kinds.GENRES[resource.kind]))
    out.append(_line("TI", clean_text(resource.title)))
    out += [_line(CREATOR_TAGS.get(c.role, "AU"), clean_text(_person(c))) for c in resource.creators.all()]
    if resource.year:
        out.append(_line("PY", f"{resource.year:04d}"))
        if resource.month:
            day = f"{resource.day:02d}" if resource.day else ""
            out.append(_line("DA", f"{resource.year:04d}/{resource.month:02d}/{day}/"))
    out += _ris_values(resource)
    out += [_line("KW", clean_text(keyword)) for keyword in topic_keywords(resource)]
    if resource.abstract:
        out.append(_paragraphs("AB", resource.abstract))
    out.append(_line("ER", ""))
    return "".join(out)


def _ris_values(resource: Resource) -> list[str]:
    first, _sep, last = resource.pages.partition("-")
    values = [("T2", resource.container_title), ("PB", resource.publisher), ("CY", resource.place_published),
              ("VL", resource.volume), ("IS", resource.issue), ("SP", first.strip()), ("EP", last.strip()),
              ("ET", resource.edition), ("DO", resource.doi), ("SN", resource.isbn), ("UR", resource.url),
              ("LA", resource.language)]
    return [_line(tag, clean_text(value)) for tag, value in values if clean_text(value)]


def ris_chunks(resources: Iterable[Resource]) -> Iterator[str]:
    """RIS records, one string each, separated by an empty line."""
    for number, resource in enumerate(resources):
        yield ("\n" if number else "") + ris_record(resource)


def write_ris(resources: Iterable[Resource]) -> str:
    """Resources as one RIS text."""
    return "".join(ris_chunks(resources))
