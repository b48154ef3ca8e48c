"""Importing SKOS (Turtle, RDF/XML) and CSV into the thesaurus: round trips, upserts, refusals, hostile files."""

import csv
import io

import pytest
import rdflib
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SKOS

from sinergia.core.models import AuditEntry, Concept
from sinergia.core.thesaurus import (
    IMPORT_MAX_CONCEPTS,
    ThesaurusImportResult,
    thesaurus_csv,
    thesaurus_import,
    thesaurus_import_preview,
    thesaurus_load,
    thesaurus_rdfxml,
    thesaurus_read,
    thesaurus_skos,
)
from tests import factories

BASE = "https://sinergia.example/thesaurus/"
PREFIXES = "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n@prefix t: <https://other.example/t/> .\n"
SCHEME = "<https://sinergia.example/thesaurus/scheme/topic>"


def turtle_concept(name: str, *, labels: dict | None = None, extra: str = "", notation: bool = True) -> str:
    labels = labels if labels is not None else {code: f"{name} {code}" for code in ("it", "en", "fr", "es", "pt")}
    statements = ["a skos:Concept", f"skos:inScheme {SCHEME}"]
    statements += [f'skos:notation "{name}"'] if notation else []
    statements += [f'skos:prefLabel "{text}"@{lang}' for lang, text in labels.items()]
    statements += [extra] if extra else []
    return f"t:{name} " + " ;\n    ".join(statements) + " .\n"


def import_turtle(*concepts: str, by=None, **kwargs) -> ThesaurusImportResult:
    return thesaurus_import(content=(PREFIXES + "".join(concepts)).encode(), format="turtle", by=by, **kwargs)


def preview_turtle(*concepts: str, **kwargs) -> ThesaurusImportResult:
    return thesaurus_import_preview(content=(PREFIXES + "".join(concepts)).encode(), format="turtle", **kwargs)


@pytest.fixture
def loaded(db):
    thesaurus_load()
    return Concept.objects.count()


# --- Exports parse back, and round trips change nothing -------------------------------------------------------


def test_turtle_export_parses_back_with_rdflib(loaded):
    graph = rdflib.Graph().parse(data=thesaurus_skos(base_iri=BASE), format="turtle")
    assert len(set(graph.subjects(RDF.type, SKOS.Concept))) == loaded
    fundraising = rdflib.URIRef(f"{BASE}fundraising")
    assert rdflib.Literal("Raccolta fondi", lang="it") in set(graph.objects(fundraising, SKOS.prefLabel))
    assert graph.value(fundraising, SKOS.broader) == rdflib.URIRef(f"{BASE}funding")


def test_rdfxml_export_holds_the_same_triples_as_the_turtle_export(loaded):
    turtle = rdflib.Graph().parse(data=thesaurus_skos(base_iri=BASE), format="turtle")
    xml = rdflib.Graph().parse(data=thesaurus_rdfxml(base_iri=BASE), format="xml")
    assert isomorphic(turtle, xml)


@pytest.mark.parametrize(("format", "export"), [
    ("turtle", lambda: thesaurus_skos(base_iri=BASE)),
    ("rdfxml", lambda: thesaurus_rdfxml(base_iri=BASE)),
    ("csv", thesaurus_csv),
])
def test_export_then_import_leaves_every_concept_unchanged(loaded, format, export):
    result = thesaurus_import(content=export().encode(), format=format, by=None)
    assert result == ThesaurusImportResult(created=0, updated=0, unchanged=loaded)
    assert AuditEntry.objects.count() == 0


def test_turtle_import_into_an_empty_thesaurus_recreates_it(loaded):
    turtle = thesaurus_skos(base_iri=BASE).encode()
    Concept.objects.all().delete()
    result = thesaurus_import(content=turtle, format="turtle", by=None)
    assert (result.created, result.updated, result.errors) == (loaded, 0, ())
    assert Concept.objects.get(notation="crowdfunding").broader.notation == "fundraising"
    assert Concept.objects.get(notation="fundraising").alt_labels["en"] == [
        "Fund raising", "Sponsorship", "Donations", "Patronage", "Philanthropy"]


# --- Upserts ------------------------------------------------------------------------------------------------------


def test_import_creates_new_concepts_and_updates_changed_ones(loaded, operator):
    new = turtle_concept("seed-banks", extra="skos:broader <https://sinergia.example/thesaurus/topic-biodiversity>")
    changed = turtle_concept("crowdfunding", extra="skos:broader <https://sinergia.example/thesaurus/fundraising>")
    result = import_turtle(new, changed, by=operator)
    assert result == ThesaurusImportResult(created=1, updated=1, unchanged=0, created_notations=("seed-banks",),
                                           updated_notations=("crowdfunding",))
    seed_banks = Concept.objects.get(notation="seed-banks")
    assert (seed_banks.scheme, seed_banks.labels["fr"], seed_banks.broader.notation) == (
        "topic", "seed-banks fr", "topic-biodiversity")
    assert Concept.objects.get(notation="crowdfunding").labels["it"] == "crowdfunding it"
    assert Concept.objects.count() == loaded + 1
    assert sorted(AuditEntry.objects.values_list("action", "actor__email")) == [
        ("concept.import", "operator@example.org"), ("concept.import_create", "operator@example.org")]


def test_import_takes_the_notation_from_the_iri_without_skos_notation(db):
    result = import_turtle(turtle_concept("Oral-Archives", notation=False), turtle_concept("Seed_Banks", notation=False))
    assert result.created_notations == ("oral-archives", "seed-banks")


def test_import_maps_foreign_schemes_by_iri_or_by_default(db):
    foreign = turtle_concept("a").replace(SCHEME, "<https://other.example/schemes/subjects>")
    assert import_turtle(foreign, schemes={"https://other.example/schemes/subjects": "theme"}).created == 1
    assert Concept.objects.get(notation="a").scheme == "theme"
    other = turtle_concept("b").replace(f"skos:inScheme {SCHEME} ;\n    ", "")
    assert import_turtle(other, default_scheme="audience").created == 1
    assert Concept.objects.get(notation="b").scheme == "audience"


def test_import_reads_narrower_as_the_inverse_of_broader(db):
    parent = turtle_concept("parent", extra="skos:narrower t:child")
    result = import_turtle(parent, turtle_concept("child"))
    assert result.created == 2
    assert Concept.objects.get(notation="child").broader.notation == "parent"


def test_preview_counts_like_the_import_and_writes_nothing(loaded):
    result = preview_turtle(turtle_concept("seed-banks"), turtle_concept("crowdfunding"))
    assert (result.created, result.updated, result.unchanged, result.errors) == (1, 1, 0, ())
    assert Concept.objects.count() == loaded
    assert Concept.objects.get(notation="crowdfunding").labels["it"] == "Crowdfunding"


def test_import_refuses_a_user_who_may_not_manage_the_thesaurus(db, outsider):
    with pytest.raises(PermissionDenied):
        import_turtle(turtle_concept("a"), by=outsider)
    assert Concept.objects.count() == 0


def test_csv_without_definition_columns_keeps_the_stored_definitions(loaded):
    rows = list(csv.reader(io.StringIO(thesaurus_csv())))
    kept = [index for index, name in enumerate(rows[0]) if not name.startswith("definition_")]
    content = "\n".join(",".join(f'"{row[i]}"' for i in kept) for row in rows).encode()
    assert thesaurus_import(content=content, format="csv", by=None).unchanged == loaded
    assert Concept.objects.get(notation="fundraising").definition["it"].startswith("Chiedere e ottenere")


def test_csv_import_updates_a_label_and_clears_alternative_labels(loaded):
    content = b"notation,scheme,label_en,alt_labels_en\nfundraising,topic,Fund-raising,\n"
    result = thesaurus_import(content=content, format="csv", by=None)
    assert (result.updated, result.errors) == (1, ())
    fundraising = Concept.objects.get(notation="fundraising")
    assert (fundraising.labels["en"], fundraising.labels["it"], "en" in fundraising.alt_labels) == (
        "Fund-raising", "Raccolta fondi", False)
    assert fundraising.broader.notation == "funding"


# --- Refusals: nothing is written, every problem is listed --------------------------------------------------------


@pytest.mark.parametrize(
    ("concepts", "message"),
    [
        ([turtle_concept("a", labels={"it": "A", "en": "A"})], "(a): no label in fr, es, pt."),
        ([turtle_concept("a", extra="skos:broader t:b"), turtle_concept("b", extra="skos:broader t:a")],
         "a: broader concepts form a cycle."),
        ([turtle_concept("a", extra="skos:broader t:a")], "a: broader concepts form a cycle."),
        ([turtle_concept("a", extra="skos:broader t:nowhere")], "a: the broader concept nowhere does not exist."),
        ([turtle_concept("a", extra='skos:prefLabel "Altro"@it')], "a: more than one preferred label in it."),
        ([turtle_concept("a", extra='skos:altLabel "untagged"')], "a: a skos:altLabel has no language tag."),
        ([turtle_concept("a", extra="skos:broader t:b, t:c"), turtle_concept("b"), turtle_concept("c")],
         "a: the concept has more than one broader concept (b, c)."),
        ([turtle_concept("a"), turtle_concept("a2").replace('"a2"', '"a"')], "The notation a appears twice."),
        ([turtle_concept("Bad_Notation")], ": the notation must be a lower-case slug of at most 80"),
        ([turtle_concept("a").replace(SCHEME, "<https://other.example/unknown>")], "(a): unknown scheme."),
    ],
)
def test_import_refuses_a_bad_concept_with_a_specific_message(db, concepts, message):
    result = import_turtle(turtle_concept("fine"), *concepts)
    assert [error for error in result.errors if message in error] != []
    assert Concept.objects.count() == 0


def test_import_refuses_a_broader_concept_of_another_scheme(db):
    factories.ConceptFactory(notation="art", scheme="theme")
    result = import_turtle(turtle_concept("a", extra="skos:broader <https://sinergia.example/thesaurus/art>"))
    assert result.errors == ("a: the broader concept art is not a concept of the same scheme.",)


def test_import_refuses_to_move_a_concept_to_another_scheme(loaded):
    result = import_turtle(turtle_concept("music"))
    assert result.errors == (
        "music already exists in the scheme theme; an import cannot move it to another scheme.",)


def test_import_refuses_a_cycle_through_stored_concepts(loaded):
    result = import_turtle(turtle_concept("funding", extra="skos:broader t:crowdfunding"),
                           turtle_concept("crowdfunding", extra="skos:broader <https://x.example/fundraising>"))
    assert "funding: broader concepts form a cycle." in result.errors
    assert Concept.objects.get(notation="funding").broader is None


def test_refused_import_lists_at_most_a_hundred_problems(db):
    result = import_turtle(*(turtle_concept(f"c{i}", labels={"en": "x"}) for i in range(150)))
    assert len(result.errors) == 101
    assert result.errors[-1] == "… and 50 more problems."


@pytest.mark.parametrize(
    ("content", "format", "message"),
    [
        (b"", "turtle", "The file is empty."),
        (b"@prefix broken", "turtle", "The file is not valid Turtle:"),
        (b"<rdf:RDF", "rdfxml", "The file is not well-formed XML:"),
        (b"@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n<a> <b> <c> .", "turtle",
         "The file contains no skos:Concept."),
        (b"notation,scheme,label_en,colour\n", "csv", "The CSV header must have the columns of the export"),
        ("notation,scheme\nà,topic\n".encode("latin-1"), "csv", "The CSV file is not UTF-8 text."),
        (b"notation,scheme,label_en\na,topic\n", "csv", "Line 2 has 2 cells instead of 3."),
        (b"x", "json", "Unknown format json: use turtle, rdfxml or csv."),
    ],
)
def test_import_refuses_an_unusable_file_with_a_specific_message(db, content, format, message):
    result = thesaurus_import(content=content, format=format, by=None)
    assert result.errors[0].startswith(message)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 0)


def test_import_refuses_a_file_over_five_megabytes(db):
    content = (PREFIXES + "# " + "x" * (5 * 1024 * 1024) + "\n").encode()
    assert thesaurus_import(content=content, format="turtle", by=None).errors == ("The file is larger than 5 MB.",)


def test_import_refuses_more_concepts_than_the_limit(db):
    rows = "".join(f"c{i},topic\n" for i in range(IMPORT_MAX_CONCEPTS + 1))
    result = thesaurus_import(content=f"notation,scheme\n{rows}".encode(), format="csv", by=None)
    assert result.errors == ("The file describes 5001 concepts; at most 5000 can be imported at once.",)


def test_deeply_nested_turtle_is_refused_without_crashing(db):
    content = (PREFIXES + "t:a skos:related " + "(" * 50000 + ")" * 50000 + " .").encode()
    assert thesaurus_import(content=content, format="turtle", by=None).errors[0].startswith(
        "The file is not valid Turtle:")


# --- Hostile XML ----------------------------------------------------------------------------------------------

XXE = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [<!ENTITY xxe SYSTEM "file://{path}">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:skos="http://www.w3.org/2004/02/skos/core#">
  <skos:Concept rdf:about="https://x.example/leak">
    <skos:inScheme rdf:resource="https://x.example/scheme/topic"/>
    <skos:prefLabel xml:lang="it">&xxe;</skos:prefLabel><skos:prefLabel xml:lang="en">&xxe;</skos:prefLabel>
    <skos:prefLabel xml:lang="fr">&xxe;</skos:prefLabel><skos:prefLabel xml:lang="es">&xxe;</skos:prefLabel>
    <skos:prefLabel xml:lang="pt">&xxe;</skos:prefLabel>
  </skos:Concept>
</rdf:RDF>
"""
LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="x">&lol2;</rdf:Description>
</rdf:RDF>
"""


@pytest.fixture
def secret(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("TOP-SECRET-VALUE", encoding="utf-8")
    return path


def test_rdflib_rdfxml_parser_does_not_resolve_external_entities(secret):
    graph = rdflib.Graph().parse(data=XXE.format(path=secret).encode(), format="xml")
    labels = {str(label) for label in graph.objects(None, SKOS.prefLabel)}
    assert labels == {""}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_import_refuses_xml_with_external_entities(db, secret, encoding):
    content = XXE.format(path=secret).replace('"1.0"?>', f'"1.0" encoding="{encoding}"?>').encode(encoding)
    result = thesaurus_import(content=content, format="rdfxml", by=None)
    assert result.errors == ("The XML file declares a document type or entities, which are refused for safety. "
                             "Remove the <!DOCTYPE …> part and try again.",)
    assert Concept.objects.count() == 0


def test_import_refuses_xml_entity_expansion(db):
    result = thesaurus_import(content=LAUGHS.encode(), format="rdfxml", by=None)
    assert result.errors[0].startswith("The XML file declares a document type or entities")


# --- Commands -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("format", "suffix"), [("turtle", "ttl"), ("rdfxml", "rdf"), ("csv", "csv")])
def test_export_command_output_imports_back_unchanged(loaded, tmp_path, format, suffix):
    path = tmp_path / f"thesaurus.{suffix}"
    call_command("thesaurus_export", "--format", format, "--output", str(path), stdout=io.StringIO())
    out = io.StringIO()
    call_command("thesaurus_import", str(path), stdout=out)
    assert out.getvalue() == f"Thesaurus: 0 created, 0 updated, {loaded} unchanged.\n"


def test_export_command_writes_turtle_to_standard_output_by_default(loaded):
    out = io.StringIO()
    call_command("thesaurus_export", stdout=out)
    assert out.getvalue().count("a skos:Concept ;") == loaded


def test_import_command_dry_run_writes_nothing(db, tmp_path):
    path = tmp_path / "new.ttl"
    path.write_text(PREFIXES + turtle_concept("a"), encoding="utf-8")
    out = io.StringIO()
    call_command("thesaurus_import", str(path), "--dry-run", stdout=out)
    assert out.getvalue() == "Would create 1, update 0, leave 0 unchanged.\n"
    assert Concept.objects.count() == 0


def test_import_command_reports_every_problem(db, tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text(PREFIXES + turtle_concept("a", labels={"en": "A"}), encoding="utf-8")
    with pytest.raises(CommandError, match="Cannot tell the format"):
        call_command("thesaurus_import", str(path))
    with pytest.raises(CommandError, match=r"Nothing was imported:\nConcept 1 \(a\): no label in it, fr, es, pt\."):
        call_command("thesaurus_import", str(path), "--format", "turtle")


def test_import_command_maps_a_scheme_iri(db, tmp_path):
    path = tmp_path / "foreign.ttl"
    path.write_text(PREFIXES + turtle_concept("a").replace(SCHEME, "<https://o.example/s>"), encoding="utf-8")
    call_command("thesaurus_import", str(path), "--scheme", "https://o.example/s=category", stdout=io.StringIO())
    assert Concept.objects.get(notation="a").scheme == "category"


def test_shipped_file_and_database_agree_after_an_import_round_trip(loaded):
    thesaurus_import(content=thesaurus_skos(base_iri=BASE).encode(), format="turtle", by=None)
    assert thesaurus_load().updated == 0
    assert len(thesaurus_read()) == loaded
