"""The text of uploaded files (PDF, OpenDocument, Office Open XML, plain text) for full-text search.

Every extraction is bounded: pages read (LIBRARY_TEXT_MAX_PAGES), characters kept (LIBRARY_TEXT_MAX_CHARS) and
seconds spent (LIBRARY_TEXT_TIMEOUT_SECONDS, checked between pages and every few thousand XML elements); archives
are refused when their entries would expand past ARCHIVE_MAX_EXPANDED_BYTES, before anything is decompressed.
"""

import logging
import re
import time
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from lxml import etree
from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError

from sinergia.core.files import ARCHIVE_MAX_EXPANDED_BYTES, archive_within_limits

PDF = "application/pdf"
ODF_TYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
OOXML_TYPES = {DOCX: "docx", XLSX: "xlsx", PPTX: "pptx"}
TEXT_TYPES = {"text/plain": "txt", "text/markdown": "md"}
TEXT_BEARING_TYPES = frozenset({PDF, *ODF_TYPES, *OOXML_TYPES, *TEXT_TYPES})

REASON_MAX_CHARS = 200
XML_CHECK_EVERY = 2000  # elements parsed between two looks at the clock

# No network, no entities, no DTD, no huge trees: a document's XML is read as data, never as instructions.
SAFE_XML: dict[str, Any] = {"resolve_entities": False, "no_network": True, "huge_tree": False, "load_dtd": False,
                            "dtd_validation": False, "remove_comments": True, "remove_pis": True}

# pypdf logs every oddity of a damaged PDF; the outcome is recorded on the resource (text_status, text_error).
logging.getLogger("pypdf").setLevel(logging.ERROR)

FilePath = str | Path


class ExtractionError(Exception):
    """The file's text could not be read; the message says why, in the active language."""


@dataclass(frozen=True)
class ExtractedText:
    """The normalised text of a file, its number of pages (0 when the format has none) and whether it was cut."""

    body: str
    pages: int = 0
    truncated: bool = False


class _Budget:
    """The bounds of one extraction: characters kept, and a deadline on the wall clock."""

    def __init__(self) -> None:
        self.max_chars: int = settings.LIBRARY_TEXT_MAX_CHARS
        self.seconds: float = settings.LIBRARY_TEXT_TIMEOUT_SECONDS
        self.deadline = time.monotonic() + self.seconds
        self.chars = 0
        self.timed_out = False
        self.truncated = False

    def add(self, piece: str) -> None:
        self.chars += len(piece)

    def exhausted(self) -> bool:
        """Whether reading must stop: enough characters, or no time left."""
        if time.monotonic() >= self.deadline:
            self.timed_out = True
        return self.timed_out or self.chars >= self.max_chars


def extract_text(path: FilePath, file_type: str) -> ExtractedText:
    """The normalised text of the file at `path`, of the (detected) MIME type; ExtractionError when unreadable."""
    budget = _Budget()
    pages = 0
    if file_type == PDF:
        pieces, pages = _pdf_text(path, budget)
    elif file_type in ODF_TYPES or file_type in OOXML_TYPES:
        pieces = _archive_text(path, file_type, budget)
    elif file_type in TEXT_TYPES:
        pieces = _plain_text(path, budget)
    else:
        raise ExtractionError(_("This kind of file holds no text to read."))
    return _finish(pieces, pages, budget)


def _finish(pieces: list[str], pages: int, budget: _Budget) -> ExtractedText:
    body = text_normalise("\n\n".join(pieces))
    if budget.timed_out and not body:
        raise ExtractionError(_("Reading the file took longer than the %(seconds)s seconds allowed.")
                              % {"seconds": f"{budget.seconds:g}"})
    truncated = budget.truncated or budget.timed_out or len(body) > budget.max_chars
    return ExtractedText(body=body[:budget.max_chars].rstrip(), pages=pages, truncated=truncated)


_NEWLINES = re.compile(r"\r\n?|[\f\v\x1c-\x1e\x85\u2028\u2029]")
_INVISIBLE = re.compile(r"[\x00\u00ad\u200b-\u200d\u2060\ufeff]")
_CONTROLS = re.compile(r"[\x01-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def text_normalise(text: str) -> str:
    """NFC text without NULs, invisible or control characters; one space between words, at most one blank line."""
    text = _CONTROLS.sub(" ", _INVISIBLE.sub("", _NEWLINES.sub("\n", text)))
    lines = (_SPACES.sub(" ", line).strip() for line in unicodedata.normalize("NFC", text).split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _reason(error: BaseException) -> str:
    """A short, one-line account of a library's error, for the message stored on the resource."""
    text = " ".join(str(error).split()) or type(error).__name__
    return text[:REASON_MAX_CHARS]


# --- PDF --------------------------------------------------------------------------------------------------------------


def _pdf_damaged(error: BaseException) -> ExtractionError:
    return ExtractionError(_("The PDF is damaged and its text could not be read (%(reason)s).")
                           % {"reason": _reason(error)})


def _pdf_open(path: FilePath) -> PdfReader:
    """The PDF, decrypted with the empty password if it is encrypted (a PDF with only an owner password)."""
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise ExtractionError(_("The PDF is encrypted: it opens only with a password, so its text cannot be "
                                    "read."))
        return reader
    except ExtractionError:
        raise
    except DependencyError as error:
        raise ExtractionError(_("The PDF is encrypted with a method (AES) that this server cannot read.")) from error
    except Exception as error:
        # On hostile or broken input pypdf raises far beyond its own error classes (KeyError, ValueError,
        # RecursionError...): every failure is a damaged PDF, never a crashed task.
        raise _pdf_damaged(error) from error


def _pdf_text(path: FilePath, budget: _Budget) -> tuple[list[str], int]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader = _pdf_open(path)
        try:
            count = len(reader.pages)
        except Exception as error:  # a broken page tree: see _pdf_open
            raise _pdf_damaged(error) from error
        pieces, errors = _pdf_pages(reader, min(count, settings.LIBRARY_TEXT_MAX_PAGES), budget)
    if errors and not pieces:
        raise _pdf_damaged(errors[0])
    if count > settings.LIBRARY_TEXT_MAX_PAGES:
        budget.truncated = True
    return pieces, count


def _pdf_pages(reader: PdfReader, count: int, budget: _Budget) -> tuple[list[str], list[Exception]]:
    """The text of the first `count` pages, within the budget; a damaged page is skipped, its error kept."""
    pieces: list[str] = []
    errors: list[Exception] = []
    for index in range(count):
        if budget.exhausted():
            budget.truncated = True
            break
        try:
            piece = reader.pages[index].extract_text()
        except Exception as error:  # one damaged page: see _pdf_open
            errors.append(error)
            continue
        pieces.append(piece)
        budget.add(piece)
    return pieces, errors


# --- OpenDocument and Office Open XML ---------------------------------------------------------------------------------


def _parts(names: list[str], file_type: str) -> list[str]:
    """The XML parts that hold a document's text, in reading order."""
    if file_type in ODF_TYPES:
        return ["content.xml"]
    if file_type == DOCX:
        return [n for n in ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml") if n in names]
    if file_type == XLSX:
        return [n for n in ("xl/sharedStrings.xml",) if n in names]
    slides = (re.fullmatch(r"ppt/slides/slide(\d+)\.xml", n) for n in names)
    return [m.group(0) for m in sorted((m for m in slides if m), key=lambda m: int(m.group(1)))]


def _archive_text(path: FilePath, file_type: str, budget: _Budget) -> list[str]:
    is_odf = file_type in ODF_TYPES
    paragraphs = {"p", "h"} if is_odf else {"si"} if file_type == XLSX else {"p"}
    collect = _odf_paragraph if is_odf else _ooxml_paragraph
    pieces: list[str] = []
    try:
        with zipfile.ZipFile(path) as archive:
            _archive_check(archive)
            for name in _parts(archive.namelist(), file_type):
                if budget.exhausted():
                    budget.truncated = True
                    break
                with archive.open(name) as stream:
                    pieces.extend(_xml_paragraphs(stream, paragraphs, collect, budget))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, EOFError, zlib.error,
            NotImplementedError, etree.XMLSyntaxError) as error:
        raise ExtractionError(_("The document is damaged and its text could not be read (%(reason)s).")
                              % {"reason": _reason(error)}) from error
    return pieces


def _archive_check(archive: zipfile.ZipFile) -> None:
    if not archive_within_limits(archive.infolist()):
        raise ExtractionError(_("The document would expand to more than %(limit)s when opened, so it was not "
                                "read.") % {"limit": filesizeformat(ARCHIVE_MAX_EXPANDED_BYTES)})


def _local(tag: Any) -> str:
    """An element's name without its namespace ("" for entities and other nodes that are not elements)."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _xml_paragraphs(stream: Any, paragraphs: set[str], collect: Callable[[Any], str],
                    budget: _Budget) -> Iterator[str]:
    """Each paragraph's text, streamed: what was read is dropped, so memory stays small whatever the size."""
    open_paragraphs = 0
    events = etree.iterparse(stream, events=("start", "end"), **SAFE_XML)
    for count, (event, element) in enumerate(events):
        name = _local(element.tag)
        if event == "start":
            open_paragraphs += name in paragraphs
            continue
        if name in paragraphs:
            open_paragraphs -= 1
            piece = collect(element)
            budget.add(piece)
            yield piece
        if name in paragraphs or open_paragraphs == 0:
            element.clear(keep_tail=True)
        if open_paragraphs == 0:
            _drop_read_siblings(element)
        if (name in paragraphs or count % XML_CHECK_EVERY == 0) and budget.exhausted():
            budget.truncated = True
            return


def _drop_read_siblings(element: Any) -> None:
    parent = element.getparent()
    while parent is not None and element.getprevious() is not None:
        del parent[0]


def _odf_paragraph(element: Any) -> str:
    """An OpenDocument paragraph's text: spans and links read through, text:s a space, text:tab a tab."""
    parts = [element.text or ""]
    for child in element:
        name = _local(child.tag)
        if name in ("s", "tab"):
            parts.append(" ")
        elif name == "line-break":
            parts.append("\n")
        elif name:
            parts.append(_odf_paragraph(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _ooxml_paragraph(element: Any) -> str:
    """An Office paragraph's text: its w:t / a:t / t runs, with breaks and tabs (deleted revisions are not text)."""
    parts = []
    for node in element.iter():
        name = _local(node.tag)
        if name == "t":  # its text, and what follows any unexpanded entity inside it
            parts.extend([node.text or "", *(child.tail or "" for child in node)])
        elif name in ("br", "cr"):
            parts.append("\n")
        elif name == "tab":
            parts.append(" ")
    return "".join(parts)


# --- Plain text -------------------------------------------------------------------------------------------------------


def _plain_text(path: FilePath, budget: _Budget) -> list[str]:
    """The file's UTF-8 text, up to what the character limit could keep (a character is at most four bytes)."""
    with open(path, "rb") as source:
        raw = source.read(budget.max_chars * 4 + 4)
    return [raw.decode("utf-8-sig", errors="ignore")]
