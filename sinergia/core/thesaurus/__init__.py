"""The multilingual thesaurus: the shipped vocabulary, label look-ups, SKOS and CSV export and import."""

from sinergia.core.thesaurus.export import (
    SKOS_PREFIX,
    csv_columns,
    default_base_iri,
    scheme_labels,
    thesaurus_csv,
    thesaurus_rdfxml,
    thesaurus_skos,
)
from sinergia.core.thesaurus.imports import ThesaurusImportResult, thesaurus_import, thesaurus_import_preview
from sinergia.core.thesaurus.lookup import concept_index, concept_lookup, concept_tree, normalise_label, scheme_counts
from sinergia.core.thesaurus.parsers import FORMATS, IMPORT_MAX_CONCEPTS
from sinergia.core.thesaurus.vocabulary import (
    LANGUAGE_TAG_RE,
    NOTATION_RE,
    THESAURUS_MAX_BYTES,
    THESAURUS_PATH,
    ThesaurusLoadResult,
    concepts_changed,
    site_languages,
    thesaurus_ensure_loaded,
    thesaurus_load,
    thesaurus_read,
)

__all__ = [
    "FORMATS", "IMPORT_MAX_CONCEPTS", "LANGUAGE_TAG_RE", "NOTATION_RE", "SKOS_PREFIX", "THESAURUS_MAX_BYTES",
    "THESAURUS_PATH", "ThesaurusImportResult", "ThesaurusLoadResult", "concept_index", "concept_lookup",
    "concept_tree", "concepts_changed", "csv_columns", "default_base_iri", "normalise_label", "scheme_counts",
    "scheme_labels", "site_languages", "thesaurus_csv", "thesaurus_ensure_loaded", "thesaurus_import",
    "thesaurus_import_preview", "thesaurus_load", "thesaurus_rdfxml", "thesaurus_read", "thesaurus_skos",
]
