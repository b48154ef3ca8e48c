"""What every reader produces: one ParsedRecord per citation, its data checked as a contributor's would be."""

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import URLValidator
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from sinergia.library.citations.languages import language_from_text
from sinergia.library.models import Creator, Resource
from sinergia.library.services._data import MAX_CREATORS, CreatorData, ResourceData, resource_data_clean

NAME_LIMITS = {name: getattr(Creator._meta.get_field(name), "max_length", 0) or 0
               for name in ("family", "given", "organisation_name")}
DASHES = re.compile(r"\s*(?:--+|[‐‑‒–—―])\s*")
DATE_RE = re.compile(r"^\s*(\d{4})(?:[-/.](\d{1,2})?(?:[-/.](\d{1,2}))?)?")
YEAR_RE = re.compile(r"\b(\d{4})\b")
ISBN_RE = re.compile(r"\b(?:97[89][\d -]{10,14}|[\d -]{9,12}[\dXx])\b")
# A record's keywords (mapped to thesaurus topics on import): at most this many, each at most this long.
KEYWORDS_MAX = 50
KEYWORD_MAX_LENGTH = 200


@dataclass
class ParsedRecord:
    """One citation of a file: its data (None when it could not be read at all), errors and warnings."""

    index: int
    source_key: str
    data: ResourceData | None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    # Keywords that name no topic of the thesaurus (set by the import, which maps the others to topics).
    keywords_left: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the record can be imported."""
        return self.data is not None and not self.errors

    @property
    def title(self) -> str:
        return self.data.title if self.data is not None else ""


@dataclass
class Draft:
    """A record being read: the data found so far, the language as written, and what went wrong."""

    index: int
    source_key: str = ""
    kind: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    creators: list[CreatorData] = field(default_factory=list)
    language: str = ""
    keywords: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def set(self, name: str, value: Any) -> None:
        """Keep a text value (whitespace collapsed) unless the field already has one."""
        text = clean_text(value)
        if text and not self.values.get(name):
            self.values[name] = text

    def set_date(self, text: Any) -> None:
        """Year, month and day from "2020", "2020/05//", "2020-05-13" or any text holding a year."""
        if self.values.get("year") or not isinstance(text, str | int):
            return
        year, month, day = date_parts(str(text))
        if year:
            self.values.update({"year": year, "month": month, "day": day})

    def add_keywords(self, value: Any, separators: str = ";") -> None:
        """Keep the keywords of a list, or of texts that list them between separators; repeated or overlong ones
        are left out, and those beyond KEYWORDS_MAX with a warning."""
        texts = value if isinstance(value, list) else [value]
        for text in texts:
            for keyword in re.split(f"[{re.escape(separators)}]", clean_text(text)):
                keyword = keyword.strip()
                if not keyword or len(keyword) > KEYWORD_MAX_LENGTH or keyword in self.keywords:
                    continue
                if len(self.keywords) == KEYWORDS_MAX:
                    self.warnings.append(_("Only the first %(count)d keywords were read.") % {"count": KEYWORDS_MAX})
                    return
                self.keywords.append(keyword)

    def add_person(self, family: str, given: str = "", role: str = Creator.Role.AUTHOR) -> None:
        family, given = clean_text(family), clean_text(given)
        if family:
            self.creators.append(CreatorData(family=family, given=given, role=role))
        elif given:
            self.creators.append(CreatorData(family=given, role=role))

    def add_organisation(self, name: str, role: str = Creator.Role.AUTHOR) -> None:
        if name := clean_text(name):
            self.creators.append(CreatorData(organisation_name=name, role=role))

    def add_name(self, text: str, role: str = Creator.Role.AUTHOR) -> None:
        """A name written "Family, Given" is a person; without a comma, an organisation (as Zotero reads RIS)."""
        text = clean_text(text)
        if "," in text:
            family, given = text.split(",", 1)
            self.add_person(family, given.strip(" ,"), role)
        else:
            self.add_organisation(text, role)


def clean_text(value: Any) -> str:
    """A one-line text: whitespace (no-break spaces, new lines) collapsed, Unicode composed."""
    if value is None or isinstance(value, dict | list | tuple | set):
        return ""
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def clean_paragraphs(value: Any) -> str:
    """A text of paragraphs: lines without their indentation, at most one empty line between paragraphs."""
    if value is None or isinstance(value, dict | list | tuple | set):
        return ""
    lines = [line.strip() for line in unicodedata.normalize("NFC", str(value)).replace("\xa0", " ").splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def pages_text(first: Any, last: Any = "") -> str:
    """"10-20" from a first and last page or a range written with any dash."""
    first, last = clean_text(first), clean_text(last)
    pages = f"{first}-{last}" if first and last and last != first else first or last
    return DASHES.sub("-", pages)


def date_parts(text: str) -> tuple[int | None, int | None, int | None]:
    """The year, month and day of a date written as RIS, BibTeX and CSL write them; a bare year inside text too."""
    match = DATE_RE.match(text)
    if not match:
        found = YEAR_RE.search(text)
        return (int(found.group(1)), None, None) if found and 0 < int(found.group(1)) < 3000 else (None, None, None)
    year, month, day = (int(part) if part else None for part in match.groups())
    if not year or year >= 3000:
        return None, None, None
    if not month or not 1 <= month <= 12:
        return year, None, None
    return year, month, day if day and 1 <= day <= 31 else None


def first_isbn(text: Any) -> str:
    """The first ISBN-looking token of a field that may hold several ("978-… (pbk.); 978-…")."""
    found = ISBN_RE.search(clean_text(text))
    return found.group(0).strip() if found else ""


def _field_label(name: str) -> str:
    try:
        return capfirst(str(getattr(Resource._meta.get_field(name), "verbose_name", name)))
    except FieldDoesNotExist:
        return {"creators": _("Creators")}.get(name, name)


def _language(draft: Draft, default_language: str) -> str:
    if not draft.language:
        if default_language:
            return default_language
        draft.errors.append(_("The record does not say its language: choose a default language for the import."))
        return ""
    try:
        return language_from_text(draft.language)
    except ValidationError as error:
        if default_language:
            draft.warnings.append(_("%(reason)s The import's default language was used.")
                                  % {"reason": " ".join(error.messages)})
            return default_language
        draft.errors.extend(error.messages)
        return ""


def _creators(draft: Draft) -> list[CreatorData]:
    creators = draft.creators
    if len(creators) > MAX_CREATORS:
        draft.warnings.append(_("Only the first %(count)d of its %(total)d creators were kept.")
                              % {"count": MAX_CREATORS, "total": len(creators)})
        creators = creators[:MAX_CREATORS]
    for creator in creators:
        for name, limit in NAME_LIMITS.items():
            if len(getattr(creator, name)) > limit:
                draft.errors.append(_("The creator name “%(name)s…” is longer than %(limit)d characters.")
                                    % {"name": getattr(creator, name)[:40], "limit": limit})
                return creators
    return creators


def _drop_bad_url(draft: Draft) -> None:
    """A broken web address is left out with a warning rather than stopping the record."""
    url = draft.values.get("url", "")
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        draft.warnings.append(_("The web address “%(url)s” is not valid: it was left out.") % {"url": url[:200]})
        draft.values["url"] = ""


def record_finish(draft: Draft, *, default_language: str = "") -> ParsedRecord:
    """The record's data checked as resource_create will check it; each problem becomes one error message."""
    data = ResourceData(kind=draft.kind, title=draft.values.get("title", ""),
                        language=_language(draft, default_language), creators=_creators(draft))
    if draft.values.get("url"):
        _drop_bad_url(draft)
    for name, value in draft.values.items():
        if name != "title":
            setattr(data, name, value)
    try:
        cleaned = resource_data_clean(data)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            if name == "language" and draft.errors:
                continue  # already said why
            draft.errors.extend(f"{_field_label(name)}: {message}" for message in messages)
    else:
        for name, value in cleaned.items():
            setattr(data, name, value)
    return ParsedRecord(index=draft.index, source_key=draft.source_key[:200], data=data,
                        errors=list(dict.fromkeys(draft.errors)), warnings=list(dict.fromkeys(draft.warnings)),
                        keywords=draft.keywords)


def topic_keywords(resource: Resource) -> list[str]:
    """The resource's topics as the keywords of a citation file: each label in the resource's language, else in the
    active one (topics are read in one query unless prefetched); an import maps them back to the same topics."""
    language = resource.language.split("-")[0].lower()
    return [topic.labels.get(language) or topic.label for topic in resource.topics.all()]


def check_count(count: int, limit: int | None) -> None:
    """ValidationError when a file holds more records than may be imported at once."""
    if limit is not None and count > limit:
        raise ValidationError(_("The file holds %(count)d citations; at most %(limit)d can be imported at once: "
                                "split it.") % {"count": count, "limit": limit}, code="too_many")


def record_unreadable(index: int, source_key: str, reason: str) -> ParsedRecord:
    """A record the reader could not make sense of."""
    return ParsedRecord(index=index, source_key=source_key[:200], data=None, errors=[reason])
