"""A citations file from bytes to records: size bound, text encoding, format detection, record bound."""

import codecs
import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergia.library.citations.bibtex import parse_bibtex
from sinergia.library.citations.csljson import parse_csljson
from sinergia.library.citations.records import ParsedRecord
from sinergia.library.citations.ris import is_wos, parse_ris

AUTO, RIS, BIBTEX, CSLJSON = "auto", "ris", "bibtex", "csljson"
FORMATS = {RIS: gettext_lazy("RIS"), BIBTEX: gettext_lazy("BibTeX"), CSLJSON: gettext_lazy("CSL-JSON")}
PARSERS = {RIS: parse_ris, BIBTEX: parse_bibtex, CSLJSON: parse_csljson}
EXTENSIONS = {".ris": RIS, ".txt": RIS, ".bib": BIBTEX, ".bibtex": BIBTEX, ".json": CSLJSON}
RIS_START = re.compile(r"^TY  -", re.MULTILINE)
BIBTEX_ENTRY = re.compile(r"@\s*[A-Za-z]+\s*[{(]")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class CitationsFile:
    """What a file holds: its format, how its text was read, its records and warnings about the whole file."""

    format: str
    encoding: str
    records: list[ParsedRecord]
    warnings: list[str] = field(default_factory=list)


def decode(content: bytes) -> tuple[str, str, list[str]]:
    """The text, the encoding it was read in, and a warning when it was not UTF-8."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if content.startswith(bom):
            try:
                return _tidy(content.decode(encoding)), encoding.replace("-sig", ""), []
            except UnicodeDecodeError:
                break
    try:
        return _tidy(content.decode("utf-8")), "utf-8", []
    except UnicodeDecodeError:
        pass
    warning = _("The file is not in UTF-8: it was read as Windows-1252 (Western European). Check its accented "
                "letters in the preview.")
    try:
        return _tidy(content.decode("cp1252")), "cp1252", [warning]
    except UnicodeDecodeError:
        return _tidy(content.decode("latin-1")), "latin-1", [warning.replace("Windows-1252", "ISO-8859-1")]


def _tidy(text: str) -> str:
    """One kind of line end, no control characters, composed Unicode."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", CONTROL.sub("", text))


def detect_format(text: str, filename: str = "") -> str:
    """RIS ("TY  -", or a Web of Science export), CSL-JSON ("[" or "{"), BibTeX ("@type{"); else by the name."""
    head = text.lstrip()
    if RIS_START.search(text) or is_wos(text):
        return RIS
    if head[:1] in ("[", "{"):
        return CSLJSON
    if BIBTEX_ENTRY.search(text):
        return BIBTEX
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    raise ValidationError(_("The format of the file cannot be recognised: upload a RIS (.ris), BibTeX (.bib) or "
                            "CSL-JSON (.json) file."), code="unknown_format")


def read_citations(content: bytes, *, filename: str = "", format: str = AUTO,
                   default_language: str = "") -> CitationsFile:
    """Every record of a citations file; ValidationError when the file as a whole cannot be read."""
    if len(content) > settings.LIBRARY_IMPORT_MAX_BYTES:
        raise ValidationError(_("The file is larger than %(size)s: split it into smaller files.")
                              % {"size": filesizeformat(settings.LIBRARY_IMPORT_MAX_BYTES)}, code="too_large")
    text, encoding, warnings = decode(content)
    if not text.strip():
        raise ValidationError(_("The file is empty."), code="empty")
    kind = detect_format(text, filename) if format == AUTO else format
    if kind not in PARSERS:
        raise ValidationError(_("Choose RIS, BibTeX or CSL-JSON."), code="unknown_format")
    records = PARSERS[kind](text, default_language=default_language, max_records=settings.LIBRARY_IMPORT_MAX_RECORDS)
    return CitationsFile(format=kind, encoding=encoding, records=records, warnings=warnings)
