"""Reading SKOS (Turtle, RDF/XML) and CSV files into concept entries, with bounds and hostile-input checks."""

import csv
import io
import re
from collections.abc import Mapping
from typing import Any
from xml.parsers import expat

import rdflib
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _
from rdflib.namespace import RDF, SKOS

from sinergia.core.models import Concept
from sinergia.core.thesaurus.export import CSV_ALT_SEPARATOR
from sinergia.core.thesaurus.vocabulary import LANGUAGE_TAG_RE, THESAURUS_MAX_BYTES, Entry, site_languages

IMPORT_MAX_CONCEPTS = 5000
FORMATS = ("turtle", "rdfxml", "csv")
_RDFLIB_FORMATS = {"turtle": "turtle", "rdfxml": "xml"}
# Relative IRIs in an uploaded file resolve against this, never against the server's working directory.
_IMPORT_BASE = "https://thesaurus-import.invalid/"
_CSV_COLUMN_RE = re.compile(r"^(label|alt_labels|definition)_(.+)$")
_CSV_KEYS = {"label": "labels", "alt_labels": "alt_labels", "definition": "definition"}


def parse_entries(*, content: bytes, format: str, default_scheme: str = "",
                  schemes: Mapping[str, str] | None = None) -> tuple[list[Entry], list[str]]:
    """The concept entries of a file and the problems of single concepts; ValidationError if the file is unusable."""
    if format not in FORMATS:
        raise ValidationError(_("Unknown format %(format)s: use turtle, rdfxml or csv.") % {"format": format})
    if len(content) > THESAURUS_MAX_BYTES:
        raise ValidationError(_("The file is larger than 5 MB."))
    if not content.strip():
        raise ValidationError(_("The file is empty."))
    if format == "csv":
        return csv_entries(content)
    return rdf_entries(content, format=format, default_scheme=default_scheme, schemes=schemes or {})


def _too_many(count: int) -> ValidationError:
    return ValidationError(_("The file describes %(count)s concepts; at most %(limit)s can be imported at once.")
                           % {"count": count, "limit": IMPORT_MAX_CONCEPTS})


def language_key(tag: str) -> str:
    """A language tag as the thesaurus stores it: the site's own code, else BCP 47 casing."""
    for code in site_languages():
        if tag.lower() == code.lower():
            return code
    first, *rest = tag.split("-")
    return "-".join([first.lower(), *(p.upper() if len(p) == 2 else p.title() if len(p) == 4 else p.lower()
                                      for p in rest)])


# --- RDF --------------------------------------------------------------------------------------------------------


class _Refused(Exception):
    pass


def refuse_xml_declarations(content: bytes) -> None:
    """Refuse XML with a document type declaration: no entity is ever defined, expanded or fetched."""
    parser = expat.ParserCreate()

    def refuse(*args: Any) -> int:
        raise _Refused

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    try:
        parser.Parse(content, True)
    except _Refused as error:
        raise ValidationError(_("The XML file declares a document type or entities, which are refused for "
                                "safety. Remove the <!DOCTYPE …> part and try again.")) from error
    except expat.ExpatError as error:
        raise ValidationError(_("The file is not well-formed XML: %(error)s") % {"error": error}) from error


def rdf_graph(content: bytes, *, format: str) -> rdflib.Graph:
    """The triples of a Turtle or RDF/XML file."""
    if format == "rdfxml":
        refuse_xml_declarations(content)
    graph = rdflib.Graph()
    try:
        graph.parse(data=content, format=_RDFLIB_FORMATS[format], publicID=_IMPORT_BASE)
    except Exception as error:  # rdflib raises many types on untrusted input; each means "not a valid file"
        raise ValidationError(_("The file is not valid %(format)s: %(error)s")
                              % {"format": "Turtle" if format == "turtle" else "RDF/XML",
                                 "error": str(error)[:300]}) from error
    return graph


def rdf_entries(content: bytes, *, format: str, default_scheme: str,
                schemes: Mapping[str, str]) -> tuple[list[Entry], list[str]]:
    """The skos:Concepts of a Turtle or RDF/XML file as entries."""
    graph = rdf_graph(content, format=format)
    subjects = list(dict.fromkeys([*graph.subjects(RDF.type, SKOS.Concept), *graph.subjects(SKOS.inScheme, None)]))
    if not subjects:
        raise ValidationError(_("The file contains no skos:Concept."))
    if len(subjects) > IMPORT_MAX_CONCEPTS:
        raise _too_many(len(subjects))
    reader = _RdfReader(graph, default_scheme=default_scheme, schemes=schemes)
    entries = [reader.entry(subject) for subject in subjects]
    return entries, reader.problems


class _RdfReader:
    """Turns the description of one SKOS concept into an entry, noting its problems."""

    def __init__(self, graph: rdflib.Graph, *, default_scheme: str, schemes: Mapping[str, str]) -> None:
        self.graph, self.default_scheme, self.schemes = graph, default_scheme, schemes
        self.problems: list[str] = []

    def entry(self, subject: rdflib.term.Node) -> Entry:
        notation = self.notation(subject)
        entry: Entry = {"notation": notation, "scheme": self.scheme(subject, notation),
                        "broader": self.broader(subject, notation)}
        for key, predicate in (("labels", SKOS.prefLabel), ("alt_labels", SKOS.altLabel),
                               ("definition", SKOS.definition)):
            entry[key] = self.language_map(subject, predicate, notation, lists=key == "alt_labels")
        return entry

    def notation(self, node: rdflib.term.Node) -> str:
        """skos:notation, else the last segment of the IRI as a slug."""
        value = self.graph.value(node, SKOS.notation)
        if value is not None:
            return str(value).strip()
        if isinstance(node, rdflib.URIRef):
            return slugify(re.split(r"[/#]", str(node).rstrip("/#"))[-1]).replace("_", "-")
        return ""

    def scheme(self, subject: rdflib.term.Node, notation: str) -> str:
        iris = {*self.graph.objects(subject, SKOS.inScheme), *self.graph.objects(subject, SKOS.topConceptOf)}
        names = {name for name in (self._scheme_name(iri) for iri in iris) if name}
        if len(names) > 1:
            self.problems.append(_("%(notation)s: the concept belongs to several schemes (%(schemes)s).")
                                 % {"notation": notation or "?", "schemes": ", ".join(sorted(names))})
        return names.pop() if len(names) == 1 else self.default_scheme

    def _scheme_name(self, iri: rdflib.term.Node) -> str:
        if str(iri) in self.schemes:
            return self.schemes[str(iri)]
        last = re.split(r"[/#]", str(iri).rstrip("/#"))[-1]
        return last if last in Concept.Scheme.values else ""

    def broader(self, subject: rdflib.term.Node, notation: str) -> str | None:
        nodes = {*self.graph.objects(subject, SKOS.broader), *self.graph.subjects(SKOS.narrower, subject)}
        notations = sorted({self.notation(node) for node in nodes})
        if len(notations) > 1:
            self.problems.append(_("%(notation)s: the concept has more than one broader concept (%(broader)s).")
                                 % {"notation": notation or "?", "broader": ", ".join(notations)})
        return notations[0] if notations else None

    def language_map(self, subject: rdflib.term.Node, predicate: rdflib.URIRef, notation: str,
                     *, lists: bool) -> dict[str, Any]:
        values: dict[str, list[str]] = {}
        for literal in self.graph.objects(subject, predicate):
            if not isinstance(literal, rdflib.Literal) or not literal.language:
                name = "skos:" + str(predicate).rsplit("#", 1)[-1]
                self.problems.append(_("%(notation)s: a %(property)s has no language tag.")
                                     % {"notation": notation or "?", "property": name})
                continue
            values.setdefault(language_key(literal.language), []).append(str(literal).strip())
        if lists:
            return {lang: list(dict.fromkeys(texts)) for lang, texts in values.items()}
        if predicate == SKOS.prefLabel:
            for lang in sorted(lang for lang, texts in values.items() if len(set(texts)) > 1):
                self.problems.append(_("%(notation)s: more than one preferred label in %(language)s.")
                                     % {"notation": notation or "?", "language": lang})
        return {lang: "\n".join(dict.fromkeys(texts)) for lang, texts in values.items()}


# --- CSV --------------------------------------------------------------------------------------------------------


def csv_entries(content: bytes) -> tuple[list[Entry], list[str]]:
    """The rows of a CSV file in the export's columns as partial entries: absent columns keep stored values."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(_("The CSV file is not UTF-8 text.")) from error
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip() for name in next(reader, [])]
        _csv_header_check(header)
        rows = [(reader.line_num, row) for row in reader if any(cell.strip() for cell in row)
                ][:IMPORT_MAX_CONCEPTS + 1]
    except csv.Error as error:
        raise ValidationError(_("The CSV file cannot be read at line %(line)s: %(error)s")
                              % {"line": reader.line_num, "error": error}) from error
    if len(rows) > IMPORT_MAX_CONCEPTS:
        raise _too_many(len(rows))
    entries, problems = [], []
    for line, row in rows:
        if len(row) != len(header):
            problems.append(_("Line %(line)s has %(cells)s cells instead of %(columns)s.")
                            % {"line": line, "cells": len(row), "columns": len(header)})
            continue
        entries.append(_csv_entry(dict(zip(header, row, strict=True))))
    return entries, problems


def _csv_header_check(header: list[str]) -> None:
    missing = [name for name in ("notation", "scheme") if name not in header]
    unknown = [name for name in header if name not in ("notation", "scheme", "broader") and not (
        (match := _CSV_COLUMN_RE.match(name)) and LANGUAGE_TAG_RE.match(match.group(2)))]
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if missing or unknown or duplicated:
        raise ValidationError(_("The CSV header must have the columns of the export (notation, scheme, broader, "
                                "label_<language>, alt_labels_<language>, definition_<language>). Missing: "
                                "%(missing)s. Unknown: %(unknown)s. Repeated: %(duplicated)s.")
                              % {"missing": ", ".join(missing) or "—", "unknown": ", ".join(unknown) or "—",
                                 "duplicated": ", ".join(duplicated) or "—"})


def _csv_entry(row: dict[str, str]) -> Entry:
    entry: Entry = {"notation": row["notation"].strip(), "scheme": row["scheme"].strip(), "partial": True,
                    "labels": {}, "alt_labels": {}, "definition": {}}
    if "broader" in row:
        entry["broader"] = row["broader"].strip() or None
    for name, value in row.items():
        match = _CSV_COLUMN_RE.match(name)
        if match:
            key, lang = _CSV_KEYS[match.group(1)], language_key(match.group(2))
            entry[key][lang] = ([item.strip() for item in value.split(CSV_ALT_SEPARATOR.strip()) if item.strip()]
                                if key == "alt_labels" else value.strip())
    return entry
