"""Citations in and out of the library: RIS, BibTeX and CSL-JSON read into records and written from resources,
and a resource's formatted citation."""

from sinergia.library.citations.bibtex import parse_bibtex, write_bibtex
from sinergia.library.citations.csljson import parse_csljson, write_csljson
from sinergia.library.citations.formatted import citation_format
from sinergia.library.citations.reading import CitationsFile, detect_format, read_citations
from sinergia.library.citations.records import ParsedRecord
from sinergia.library.citations.ris import parse_ris, write_ris

__all__ = [
    "CitationsFile",
    "ParsedRecord",
    "citation_format",
    "detect_format",
    "parse_bibtex",
    "parse_csljson",
    "parse_ris",
    "read_citations",
    "write_bibtex",
    "write_csljson",
    "write_ris",
]
