"""BibTeX (and biblatex) files read with bibtexparser v2 and its middlewares, and BibTeX written from resources."""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import bibtexparser
from bibtexparser import middlewares as mw
from bibtexparser.library import Library
from bibtexparser.middlewares.middleware import BlockMiddleware
from bibtexparser.middlewares.names import InvalidNameError, NameParts
from bibtexparser.model import DuplicateBlockKeyBlock, Entry, MiddlewareErrorBlock, ParsingFailedBlock
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sinergia.library.citations import kinds
from sinergia.library.citations.keys import citation_key
from sinergia.library.citations.languages import babel_name
from sinergia.library.citations.latex import latex_escape, latex_protected, latex_text
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
NAME_FIELDS = ("author", "editor", "translator")
NAME_ROLES = {"author": ROLE.AUTHOR, "editor": ROLE.EDITOR, "translator": ROLE.TRANSLATOR}
# Fields whose text is not LaTeX (biblatex reads them verbatim).
VERBATIM = frozenset({"url", "doi", "eprint", "file", "pdf", "verba", "verbb", "verbc", "urlraw"})
# What a child never takes from the entry it cross-references (biblatex's defaults, simplified).
NOT_INHERITED = frozenset({"crossref", "xref", "xdata", "ids", "entryset", "label", "shorthand", "sortkey", "key",
                           "title", "subtitle", "titleaddon", "shorttitle"})
MAX_MACRO_DEPTH = 20
RAW_KEY = re.compile(r"@\s*\w+\s*[{(]\s*([^,\s{}()=]+)\s*,")


@dataclass(frozen=True)
class _Name:
    family: str = ""
    given: str = ""
    organisation: str = ""
    others: bool = False


def _whole_braced(word: str) -> bool:
    if not (word.startswith("{") and word.endswith("}")):
        return False
    depth = 0
    for position, char in enumerate(word):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0 and position < len(word) - 1:
            return False
    return True


def _name(parts: NameParts) -> _Name:
    """A person (von and last are the family name, jr follows the given names) or an organisation ({Name})."""
    if not (parts.first or parts.von or parts.jr) and len(parts.last) == 1:
        word = parts.last[0]
        if word.lower() == "others":
            return _Name(others=True)
        if _whole_braced(word) and " " in word.strip():
            return _Name(organisation=latex_text(word))
    given = latex_text(" ".join(parts.first))
    if parts.jr:
        given = f"{given}, {latex_text(' '.join(parts.jr))}".strip(", ")
    return _Name(family=latex_text(" ".join(parts.von + parts.last)), given=given)


class _DecodeLatex(BlockMiddleware):
    """Field values from LaTeX to Unicode, names as people or organisations; verbatim fields untouched."""

    def __init__(self) -> None:
        super().__init__(allow_inplace_modification=True, allow_parallel_execution=True)

    @classmethod
    def metadata_key(cls) -> str:
        return "sinergia_latex_decoding"

    def transform_entry(self, entry: Entry, library: Library) -> Entry:
        for field in entry.fields:
            if field.key in VERBATIM:
                continue
            if isinstance(field.value, str):
                field.value = latex_text(field.value)
            elif isinstance(field.value, list):
                field.value = [_name(parts) for parts in field.value if isinstance(parts, NameParts)]
        return entry


def _concatenated(raw: str) -> list[str]:
    """The parts of a value joined with # (outside braces and quotes): `"My " # conf # {2015}`."""
    parts: list[str] = []
    current: list[str] = []
    depth, quoted, escaped = 0, False, False
    for char in raw:
        if escaped or char == "\\":
            escaped = not escaped
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            parts.append("".join(current).strip())
            current = []
            continue
        current.append(char)
    parts.append("".join(current).strip())
    return parts


def _unenclosed(part: str, strings: dict[str, str], depth: int) -> str:
    if len(part) >= 2 and (part[0], part[-1]) in (("{", "}"), ('"', '"')):
        return part[1:-1]
    macro = strings.get(part.lower())
    if macro is not None and depth < MAX_MACRO_DEPTH:
        return resolve_value(macro, strings, depth + 1)
    return part  # a number, or a macro the file does not define (month names: jan, feb…)


def resolve_value(raw: str, strings: dict[str, str], depth: int = 0) -> str:
    """A field's raw value with its enclosing removed and its @string macros and # concatenations resolved."""
    return "".join(_unenclosed(part, strings, depth) for part in _concatenated(raw))


class _ResolveValues(BlockMiddleware):
    """@string macros and # concatenation (bibtexparser's own middleware resolves a lone macro only)."""

    def __init__(self) -> None:
        super().__init__(allow_inplace_modification=True, allow_parallel_execution=False)

    @classmethod
    def metadata_key(cls) -> str:
        return "sinergia_resolve_values"

    def transform(self, library: Library) -> Library:
        self._strings = {string.key.lower(): str(string.value) for string in library.strings}
        return super().transform(library)

    def transform_entry(self, entry: Entry, library: Library) -> Entry:
        for field in entry.fields:
            if isinstance(field.value, str):
                field.value = resolve_value(field.value, self._strings)
        return entry


def _stack() -> list:
    return [mw.NormalizeFieldKeys(), _ResolveValues(), mw.SeparateCoAuthors(name_fields=NAME_FIELDS),
            mw.SplitNameParts(name_fields=NAME_FIELDS), _DecodeLatex(), mw.MonthIntMiddleware()]


def parse_bibtex(text: str, *, default_language: str = "", max_records: int | None = None) -> list[ParsedRecord]:
    """Every entry of a BibTeX text in order, with an error record for each block that could not be read."""
    try:
        library = bibtexparser.parse_string(text, parse_stack=[])
    except Exception as error:
        raise ValidationError(_("The BibTeX file cannot be read: check its braces and @ signs."),
                              code="unreadable") from error
    check_count(len(library.entries) + len(library.failed_blocks), max_records)
    for middleware in _stack():
        library = middleware.transform(library=library)
    fields = {entry.key.lower(): _fields(entry) for entry in library.entries}
    fields.update(_aliases(fields))
    records: list[ParsedRecord] = []
    for block in library.blocks:
        if isinstance(block, Entry):
            records.append(_entry_record(len(records) + 1, block, fields, default_language))
        elif isinstance(block, ParsingFailedBlock):
            records.append(record_unreadable(len(records) + 1, _failed_key(block), _failed_reason(block)))
    return records


def _fields(entry: Entry) -> dict[str, Any]:
    return {field.key: field.value for field in entry.fields}


def _aliases(fields: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """biblatex's `ids`: other keys an entry is known by (a cross-reference may use them)."""
    aliases = {}
    for own in fields.values():
        for alias in clean_text(own.get("ids", "")).lower().split(","):
            if alias.strip() and alias.strip() not in fields:
                aliases[alias.strip()] = own
    return aliases


def _failed_key(block: ParsingFailedBlock) -> str:
    inner = block.ignore_error_block
    key = getattr(block, "key", "") or getattr(inner, "key", "")
    if not key and block.raw:
        found = RAW_KEY.match(block.raw.lstrip())
        key = found.group(1) if found else ""
    return str(key or "")


def _failed_reason(block: ParsingFailedBlock) -> str:
    if isinstance(block, DuplicateBlockKeyBlock):
        return _("Another entry of the file already uses the key “%(key)s”.") % {"key": block.key}
    if isinstance(block, MiddlewareErrorBlock) and isinstance(block.error, InvalidNameError):
        return _("A name of this entry cannot be read: “%(name)s” (check its braces and commas).") % {
            "name": block.error.name[:100]}
    return _("The entry that starts on line %(line)d cannot be read: check its braces, commas and quotes.") % {
        "line": (block.start_line or 0) + 1}


def _inherited(key: str, fields: dict[str, dict[str, Any]], warnings: list[str], seen: tuple = ()) -> dict:
    """The entry's fields with those of the entry it cross-references (cascading, cycles cut)."""
    own = fields.get(key, {})
    parent_key = clean_text(own.get("crossref", "")).lower()
    if not parent_key:
        return own
    if parent_key in seen or parent_key == key:
        warnings.append(_("The cross-references of this entry loop back to it; they were not followed."))
        return own
    if parent_key not in fields:
        warnings.append(_("The entry it cross-references (“%(key)s”) is not in the file.") % {"key": parent_key})
        return own
    parent = _inherited(parent_key, fields, warnings, (*seen, key))
    merged = {name: value for name, value in parent.items() if name not in NOT_INHERITED}
    if parent.get("title"):
        merged["booktitle"] = parent["title"]
    return {**merged, **own}


def _entry_record(index: int, entry: Entry, fields: dict, default_language: str) -> ParsedRecord:
    entry_type = entry.entry_type.lower()
    if entry_type in kinds.BIBTEX_NOT_WORKS:
        return record_unreadable(index, entry.key, _("A @%(type)s entry holds or groups other entries; it is not a "
                                                     "resource of its own.") % {"type": entry_type})
    draft = Draft(index=index, source_key=entry.key)
    values = _inherited(entry.key.lower(), fields, draft.warnings)
    _kind(draft, entry_type, values)
    title, subtitle = clean_text(values.get("title")), clean_text(values.get("subtitle"))
    draft.set("title", f"{title}: {subtitle}" if title and subtitle else title)
    draft.values["abstract"] = clean_paragraphs(values.get("abstract"))
    _names(draft, values)
    _date(draft, values)
    for name, keys in (("container_title", ("journaltitle", "journal", "booktitle")),
                       ("publisher", ("publisher", "institution", "school", "organization")),
                       ("place_published", ("address", "location")), ("volume", ("volume",)),
                       ("issue", ("number", "issue")), ("edition", ("edition",)), ("doi", ("doi",)),
                       ("url", ("url",)), ("licence", ("license", "licence"))):
        draft.set(name, next((values[key] for key in keys if clean_text(values.get(key))), ""))
    draft.values["pages"] = pages_text(values.get("pages"))
    draft.set("isbn", first_isbn(values.get("isbn")))
    draft.language = clean_text(values.get("langid") or values.get("language") or values.get("hyphenation"))
    draft.add_keywords(values.get("keywords"), separators=",;")
    return record_finish(draft, default_language=default_language)


def _kind(draft: Draft, entry_type: str, values: dict) -> None:
    kind = kinds.kind_of_genre(clean_text(values.get("type"))) or kinds.BIBTEX_TYPES.get(entry_type)
    if kind is None:
        kind = kinds.FALLBACK
        draft.warnings.append(_("The type “%(type)s” has no equivalent here: the record is imported as a "
                                "report.") % {"type": entry_type[:40]})
    draft.kind = kind


def _names(draft: Draft, values: dict) -> None:
    for field_name in NAME_FIELDS:
        names = values.get(field_name)
        if isinstance(names, str):  # a middleware left it as text
            names = [_Name(organisation=names)] if names.strip() else []
        for name in names or []:
            if name.others:
                draft.warnings.append(_("“and others” in the creators was left out."))
            elif name.organisation:
                draft.add_organisation(name.organisation, NAME_ROLES[field_name])
            else:
                draft.add_person(name.family, name.given, NAME_ROLES[field_name])


def _date(draft: Draft, values: dict) -> None:
    if clean_text(values.get("date")):
        draft.set_date(clean_text(values["date"]))
    if draft.values.get("year"):
        return
    year = date_parts(clean_text(values.get("year")))[0]
    month = values.get("month")
    day = clean_text(values.get("day"))
    if year:
        draft.values["year"] = year
        if isinstance(month, int) and 1 <= month <= 12:
            draft.values["month"] = month
            if day.isdigit() and 1 <= int(day) <= 31:
                draft.values["day"] = int(day)


# --- Writing ---------------------------------------------------------------------------------------------------

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
PUBLISHER_FIELDS: dict[str, str] = {Resource.Kind.REPORT: "institution", Resource.Kind.CASE_STUDY: "institution",
                    Resource.Kind.GOOD_PRACTICE: "institution", Resource.Kind.THESIS: "school"}


def _name_part(text: str) -> str:
    part = latex_escape(text)
    return f"{{{part}}}" if "," in text or re.search(r"\band\b", text, re.IGNORECASE) else part


def _names_value(creators: list[Creator]) -> str:
    names = []
    for creator in creators:
        if creator.is_organisation:
            names.append(f"{{{latex_escape(creator.organisation_name)}}}")
        elif creator.given:
            names.append(f"{_name_part(creator.family)}, {_name_part(creator.given)}")
        else:
            names.append(_name_part(creator.family))
    return " and ".join(names)


def _verbatim(text: str) -> str:
    return text.replace("{", "%7B").replace("}", "%7D")


def bibtex_entry(resource: Resource, used_keys: set[str]) -> str:
    """One resource as a BibTeX entry with a key not in `used_keys` (which it joins)."""
    creators = list(resource.creators.all())
    out = [f"@{kinds.BIBTEX_EXPORT.get(resource.kind, 'misc')}{{{citation_key(resource, used_keys)},\n"]
    for role, name in ((ROLE.AUTHOR, "author"), (ROLE.EDITOR, "editor"), (ROLE.TRANSLATOR, "translator")):
        group = [c for c in creators if c.role == role or (role == ROLE.AUTHOR and c.role == ROLE.CONTRIBUTOR)]
        if group:
            out.append(f"  {name} = {{{_names_value(group)}}},\n")
    out.append(f"  title = {{{latex_protected(resource.title)}}},\n")
    out += [f"  {name} = {value},\n" for name, value in _bibtex_values(resource) if value]
    if resource.abstract:
        out.append(f"  abstract = {{{latex_escape(resource.abstract)}}},\n")
    out.append("}\n")
    return "".join(out)


def _bibtex_values(resource: Resource) -> list[tuple[str, str]]:
    def braced(text: str) -> str:
        return f"{{{latex_escape(text)}}}" if text else ""

    container = "journal" if resource.kind == Resource.Kind.ARTICLE else "booktitle"
    values = [(container, braced(resource.container_title)),
              (PUBLISHER_FIELDS.get(resource.kind, "publisher"), braced(resource.publisher)),
              ("address", braced(resource.place_published)), ("volume", braced(resource.volume)),
              ("number", braced(resource.issue)), ("pages", braced(resource.pages).replace("-", "--")),
              ("edition", braced(resource.edition))]
    if resource.year:
        values.append(("year", f"{{{resource.year}}}"))
        if resource.month:
            values.append(("month", MONTHS[resource.month - 1]))
            if resource.day:
                values.append(("date", f"{{{resource.year:04d}-{resource.month:02d}-{resource.day:02d}}}"))
    values += [("doi", f"{{{_verbatim(resource.doi)}}}" if resource.doi else ""),
               ("isbn", braced(resource.isbn)), ("url", f"{{{_verbatim(resource.url)}}}" if resource.url else ""),
               ("langid", braced(babel_name(resource.language))), ("type", braced(kinds.GENRES.get(resource.kind, ""))),
               ("license", braced(resource.licence)), ("keywords", braced(", ".join(topic_keywords(resource))))]
    return values


def bibtex_chunks(resources: Iterable[Resource]) -> Iterator[str]:
    """BibTeX entries with unique keys, one string each, separated by an empty line."""
    used: set[str] = set()
    for number, resource in enumerate(resources):
        yield ("\n" if number else "") + bibtex_entry(resource, used)


def write_bibtex(resources: Iterable[Resource]) -> str:
    """Resources as one BibTeX text."""
    return "".join(bibtex_chunks(resources))
