"""The thesaurus in the database as SKOS (Turtle, RDF/XML) and as CSV."""

import csv
import io
import json
from collections.abc import Iterable

import rdflib
from django.conf import settings
from django.utils import translation

from sinergia.core.models import Concept
from sinergia.core.thesaurus.vocabulary import LANGUAGE_TAG_RE, THESAURUS_PATH, site_languages

SKOS_PREFIX = "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
CSV_ALT_SEPARATOR = " | "


def default_base_iri() -> str:
    """The IRI prefix of the concepts: the site's address followed by /thesaurus/."""
    return f"{settings.SITE_URL.rstrip('/')}/thesaurus/"


def scheme_labels(scheme: str) -> dict[str, str]:
    """The scheme's name per language: from the shipped vocabulary, else from the interface's translations."""
    shipped = json.loads(THESAURUS_PATH.read_text(encoding="utf-8")).get("schemes", {}).get(scheme, {})
    labels = {}
    for code in site_languages():
        with translation.override(code):
            labels[code] = shipped.get(code) or str(Concept.Scheme(scheme).label)
    return labels


# --- Turtle -----------------------------------------------------------------------------------------------------


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


# --- RDF/XML ----------------------------------------------------------------------------------------------------


def thesaurus_rdfxml(*, base_iri: str) -> str:
    """The concepts in the database as SKOS, serialised in RDF/XML (the same triples as the Turtle export)."""
    graph = rdflib.Graph()
    graph.bind("skos", rdflib.namespace.SKOS)
    graph.parse(data=thesaurus_skos(base_iri=base_iri), format="turtle")
    return graph.serialize(format="pretty-xml")


# --- CSV --------------------------------------------------------------------------------------------------------


def csv_columns() -> list[str]:
    """The CSV header: notation, scheme, broader, then labels, alternative labels and definitions per language."""
    languages = site_languages()
    return ["notation", "scheme", "broader", *(f"label_{code}" for code in languages),
            *(f"alt_labels_{code}" for code in languages), *(f"definition_{code}" for code in languages)]


def thesaurus_csv() -> str:
    """The concepts in the database as CSV: one row per concept, labels per language in columns."""
    languages = site_languages()
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\n")
    writer.writerow(csv_columns())
    for concept in Concept.objects.select_related("broader").order_by("scheme", "pk"):
        writer.writerow([
            concept.notation, concept.scheme, concept.broader.notation if concept.broader else "",
            *(concept.labels.get(code, "") for code in languages),
            *(CSV_ALT_SEPARATOR.join(concept.alt_labels.get(code, [])) for code in languages),
            *(concept.definition.get(code, "") for code in languages),
        ])
    return output.getvalue()
