"""Every real citations file of the shared data read and imported, against the peer parsers' reference counts."""

import json
from collections import Counter
from pathlib import Path

import pytest
import rispy
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation

from sinergia.library.citations import read_citations
from sinergia.library.models import Resource
from sinergia.library.services.imports import citations_import
from tests import factories

CITATIONS_DIR = Path(settings.SHARED_DATA_DIR) / "citations"
pytestmark = pytest.mark.skipif(not CITATIONS_DIR.is_dir(), reason=f"shared citations not found in {CITATIONS_DIR}")

BIB = "bib-bibtexparser-tests"
RIS = "ris-rispy-tests"
# The reference counts BibTeX files only (bibtexparser 2.1: entries + failed blocks); for RIS the peer is rispy
# 0.10's loads(), run here. Files whose record count differs, as (reference, ours), and why:
KNOWN_DIFFERENCES = {
    # A Web of Science export ("FN …", "PT J" records): rispy's default RIS reader finds no record in it; here it
    # is recognised and read with rispy's own Web of Science reader.
    f"{RIS}/example_wos.ris": (0, 2),
}
REFUSED = {f"{BIB}/empty.bib": "The file is empty."}
NO_TITLE = "Title: Give the title of the resource."
# Records that cannot be imported (with English as the default language), and why. Every other record imports.
NOT_IMPORTABLE = {
    # biber's test base: entry sets, a key used twice, and entries made to test other fields than the title.
    f"{BIB}/biber-examples.bib": {
        "A @set entry holds or groups other entries; it is not a resource of its own.": 3,
        "Another entry of the file already uses the key “tmn4”.": 1, NO_TITLE: 17},
    f"{BIB}/crossref_cascading.bib": {NO_TITLE: 4},  # a title is never inherited through a cross-reference
    f"{BIB}/crossref_cascading_cycle.bib": {NO_TITLE: 2},
    f"{BIB}/fieldname.bib": {NO_TITLE: 1},
    f"{BIB}/wrong.bib": {NO_TITLE: 2},
    f"{RIS}/example_bom.ris": {NO_TITLE: 1},
    f"{RIS}/example_custom_list_tags.ris": {NO_TITLE: 1},
    f"{RIS}/example_multiline.ris": {NO_TITLE: 3},
}


def _files() -> list[Path]:
    return sorted(path for path in CITATIONS_DIR.rglob("*") if path.suffix in (".ris", ".bib"))


def _name(path: Path) -> str:
    return str(path.relative_to(CITATIONS_DIR))


def _reference_count(path: Path) -> int:
    if path.suffix == ".bib":
        counts = json.loads((CITATIONS_DIR / "_reference_counts.json").read_text())["files"][_name(path)]
        return counts["entries"] + counts["failed_blocks"]
    return len(rispy.loads(path.read_bytes().decode("utf-8-sig")))


@pytest.fixture(scope="module")
def read() -> dict[str, object]:
    """Each file's records, or the message refusing it."""
    outcomes: dict[str, object] = {}
    with translation.override("en"):
        for path in _files():
            try:
                outcomes[_name(path)] = read_citations(path.read_bytes(), filename=path.name,
                                                       default_language="en").records
            except ValidationError as error:
                outcomes[_name(path)] = " ".join(error.messages)
    return outcomes


def test_every_shared_file_is_read_or_refused_with_a_message(read):
    assert len(read) == 70
    assert {name: outcome for name, outcome in read.items() if isinstance(outcome, str)} == REFUSED


def test_record_counts_match_the_reference(read):
    differences = {}
    for path in _files():
        outcome = read[_name(path)]
        ours = len(outcome) if isinstance(outcome, list) else 0
        if ours != _reference_count(path):
            differences[_name(path)] = (_reference_count(path), ours)
    assert differences == KNOWN_DIFFERENCES


def test_records_that_cannot_be_imported_say_why(read):
    not_importable = {}
    for name, outcome in read.items():
        if isinstance(outcome, list):
            reasons = Counter(error for record in outcome if not record.ok for error in record.errors)
            if reasons:
                not_importable[name] = dict(reasons)
    assert not_importable == NOT_IMPORTABLE


def test_unicode_of_the_shared_files_is_decoded(read):
    [cyrillic] = read[f"{RIS}/example_utf_chars.ris"]
    [latex] = read[f"{BIB}/article_with_special_characters.bib"]
    assert cyrillic.title.startswith("Состояние рецепторного аппарата эндометрия")
    assert [c.family for c in cyrillic.data.creators][:2] == ["Dobrokhotova", "Yusupova"]
    assert [(c.family, c.given) for c in latex.data.creators] == [("Césarü", "Jean")]


def _import_all(read) -> dict[str, tuple[int, int, int]]:
    """Each readable file imported into its own organisation, skipping the records in error:
    (resources in the organisation, importable records, resources the import reports)."""
    operator = factories.UserFactory(is_staff=True, email="corpus-operator@example.org")
    outcomes = {}
    for path in _files():
        records = read[_name(path)]
        if not isinstance(records, list) or not records:
            continue
        organisation = factories.OrganisationFactory()
        result = citations_import(organisation=organisation, by=operator, content=path.read_bytes(),
                                  filename=path.name, default_language="en", skip_errors=True, skip_duplicates=False)
        created = Resource.objects.filter(organisation=organisation).count()
        outcomes[_name(path)] = (created, sum(record.ok for record in records), len(result.created))
    return outcomes


@pytest.mark.django_db
def test_every_importable_record_of_the_shared_files_becomes_a_resource(read):
    imported = _import_all(read)
    assert {name: counts for name, counts in imported.items() if len(set(counts)) != 1} == {}
    # 237 records in the readable files, 35 of them not importable (NOT_IMPORTABLE).
    assert sum(counts[0] for counts in imported.values()) == 237 - 35
