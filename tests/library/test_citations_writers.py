"""RIS, BibTeX and CSL-JSON written from resources: escaping, unique keys, the CSL schema, round trips, speed."""

import json
import unicodedata
from pathlib import Path

import jsonschema
import pytest
from django.conf import settings
from hypothesis import example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from sinergia.core.models import Concept
from sinergia.library.citations import parse_bibtex, parse_csljson, parse_ris, write_bibtex, write_csljson, write_ris
from sinergia.library.citations.exports import export_resources
from sinergia.library.models import Creator, Resource
from sinergia.library.services import CreatorData
from tests import factories

pytestmark = pytest.mark.django_db
CSL_SCHEMA = Path(settings.SHARED_DATA_DIR) / "schemas" / "csl" / "csl-data.json"
SCALARS = ("kind", "title", "language", "abstract", "year", "month", "day", "publisher", "place_published",
           "container_title", "volume", "issue", "pages", "edition", "doi", "isbn", "url", "licence")
HARD_TITLE = "Ecomusei & comunità: {il} 50% di $x$_y #1 ~ ^ \\ -- ``q'' ?` ICOM e l'iPhone"


def without_creators(**values) -> Resource:
    """A resource without creators (the factory always gives one author)."""
    resource = factories.ResourceFactory(index=False, **values)
    resource.creators.all().delete()
    return resource


def rich_resource(kind: str = Resource.Kind.BOOK, **values) -> Resource:
    fields = {"kind": kind, "title": HARD_TITLE, "language": "pt-BR", "abstract": "Primo paragrafo.\n\nSecondo: "
              "50% & <b>non</b> HTML.", "year": 2021, "month": 3, "day": 9, "publisher": "Pendragon & figli",
              "place_published": "Bologna", "container_title": "Quaderni {del} museo", "volume": "12", "issue": "3",
              "pages": "45-67", "edition": "2", "doi": "10.1000/abc_(12)x", "isbn": "9780306406157",
              "url": "https://example.org/a_b?x=1&y=%20", "licence": "CC BY 4.0"} | values
    resource = without_creators(**fields)
    creators = [("author", "Rossi", "Maria", ""), ("author", "", "", "ICOM Italia"),
                ("author", "van der Berg", "Anna", ""), ("author", "Aristotle", "", ""),
                ("author", "De Luca", "Jean-Pierre", ""), ("editor", "Müller", "Jörg", ""),
                ("translator", "Добрынина", "Ю. Е.", "")]
    Creator.objects.bulk_create([Creator(resource=resource, position=n, role=role, family=family, given=given,
                                         organisation_name=org)
                                 for n, (role, family, given, org) in enumerate(creators, 1)])
    return Resource.objects.prefetch_related("creators").get(pk=resource.pk)


def values_of(resource: Resource) -> dict:
    return {name: getattr(resource, name) for name in SCALARS}


def creators_of(resource: Resource) -> list[CreatorData]:
    return [CreatorData(family=c.family, given=c.given, organisation_name=c.organisation_name, role=c.role)
            for c in resource.creators.all()]


def data_values(data) -> dict:
    return {name: getattr(data, name) for name in SCALARS}


# --- Round trips -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", Resource.Kind.values)
def test_csljson_round_trip_gives_the_same_data(kind):
    resource = rich_resource(kind)
    [record] = parse_csljson(write_csljson([resource]))
    assert (record.errors, record.warnings) == ([], [])
    assert data_values(record.data) == values_of(resource)
    assert record.data.creators == creators_of(resource)


@pytest.mark.parametrize("kind", Resource.Kind.values)
def test_bibtex_round_trip_gives_the_same_data(kind):
    resource = rich_resource(kind)
    [record] = parse_bibtex(write_bibtex([resource]))
    assert (record.errors, record.warnings) == ([], [])
    assert data_values(record.data) == values_of(resource)
    assert record.data.creators == creators_of(resource)


@pytest.mark.parametrize("kind", Resource.Kind.values)
def test_ris_round_trip_gives_the_same_data_but_the_licence(kind):
    resource = rich_resource(kind)
    [record] = parse_ris(write_ris([resource]))
    assert (record.errors, record.warnings) == ([], [])
    assert data_values(record.data) == values_of(resource) | {"licence": ""}  # RIS has no licence tag
    assert record.data.creators == creators_of(resource)


@pytest.mark.parametrize(("write", "parse"), [(write_ris, parse_ris), (write_bibtex, parse_bibtex),
                                              (write_csljson, parse_csljson)])
def test_round_trip_of_a_bare_resource(write, parse):
    resource = without_creators(kind=Resource.Kind.REPORT, title="Solo il titolo", abstract="", year=None,
                                language="it")
    [record] = parse(write([resource]))
    assert (record.errors, data_values(record.data), record.data.creators) == ([], values_of(resource), [])


def test_ris_abstract_line_that_looks_like_a_tag_stays_in_the_abstract():
    resource = rich_resource(abstract="Prima riga\nER  - non è la fine\nTI  - neanche questo")
    [record] = parse_ris(write_ris([resource]))
    assert (record.title, record.data.abstract) == (HARD_TITLE, "Prima riga\nER  - non è la fine\nTI  - neanche "
                                                                "questo")


# --- Formats ---------------------------------------------------------------------------------------------------


@pytest.mark.skipif(not CSL_SCHEMA.is_file(), reason=f"CSL schema not found at {CSL_SCHEMA}")
def test_csljson_export_is_valid_against_the_csl_data_schema():
    resources = [rich_resource(kind) for kind in Resource.Kind.values]
    resources.append(without_creators(year=None, abstract=""))
    schema = json.loads(CSL_SCHEMA.read_text())
    items = json.loads(write_csljson(resources))
    jsonschema.validate(items, schema)
    assert [item["type"] for item in items] == [
        "article-journal", "book", "chapter", "report", "thesis", "report", "report", "report", "motion_picture",
        "graphic", "speech", "webpage", "dataset", "report"]


def test_bibtex_keys_are_unique_and_plain():
    resources = [factories.ResourceFactory(index=False, title="Écomusée du Val", year=2020,
                                           authors=[("Zoë-Ånström", "A")]) for _ in range(3)]
    resources.append(without_creators(title="Ω", year=None))
    text = write_bibtex(resources)
    keys = [line.split("{", 1)[1].rstrip(",") for line in text.splitlines() if line.startswith("@")]
    assert keys == ["zoeanstrom2020ecomusee", "zoeanstrom2020ecomuseea", "zoeanstrom2020ecomuseeb",
                    f"resource{resources[3].pk}"]


def test_bibtex_entry_is_escaped_and_protects_acronyms():
    resource = factories.ResourceFactory(index=False, kind=Resource.Kind.ARTICLE, title="Il 50% dei musei & ICOM",
                                         authors=[("Rossi, Jr.", "Maria")], year=2020, month=5, abstract="",
                                         container_title="Museum_News", language="it")
    assert write_bibtex([resource]) == (
        "@article{rossijr2020musei,\n"
        "  author = {{Rossi, Jr.}, Maria},\n"
        "  title = {Il 50\\% dei musei \\& {ICOM}},\n"
        "  journal = {Museum\\_News},\n"
        "  year = {2020},\n"
        "  month = may,\n"
        "  langid = {italian},\n"
        "}\n")


def test_ris_record_is_written_with_its_tags():
    resource = factories.ResourceFactory(index=False, kind=Resource.Kind.CASE_STUDY, title="Un caso",
                                         authors=[("Rossi", "Maria")], year=2020, month=5, pages="3-9",
                                         abstract="", language="it")
    assert write_ris([resource]) == ("TY  - RPRT\nM3  - case study\nTI  - Un caso\nAU  - Rossi, Maria\n"
                                     "PY  - 2020\nDA  - 2020/05//\nSP  - 3\nEP  - 9\nLA  - it\nER  - \n")


def test_lists_are_separated_and_each_record_closed():
    resources = factories.ResourceFactory.create_batch(3, index=False)
    assert write_ris(resources).count("\nER  - \n") == 3
    assert [r.index for r in parse_bibtex(write_bibtex(resources))] == [1, 2, 3]
    assert len(json.loads(write_csljson(resources))) == 3
    assert json.loads(write_csljson([])) == []


# --- Scale -----------------------------------------------------------------------------------------------------


def _thousand_resources() -> list[int]:
    organisation = factories.OrganisationFactory()
    Resource.objects.bulk_create([
        Resource(organisation=organisation, kind=Resource.Kind.ARTICLE, title=f"Articolo numero {n} sui musei",
                 abstract="Un riassunto di qualche riga. " * 10, language="it", year=2000 + n % 25,
                 container_title="Museologia", doi=f"10.1000/{n}") for n in range(1000)])
    ids = list(Resource.objects.filter(organisation=organisation).values_list("pk", flat=True))
    Creator.objects.bulk_create([Creator(resource_id=pk, position=p, family=f"Autore{p}", given="Anna")
                                 for pk in ids for p in (1, 2, 3)])
    return ids


@pytest.mark.parametrize("write", [write_bibtex, write_ris, write_csljson])
def test_export_of_1000_results_reads_in_batches(django_assert_max_num_queries, write):
    """The speed itself is measured in bench/; here, that the query count does not grow with the results."""
    ids = _thousand_resources()
    with django_assert_max_num_queries(6):  # per batch of 500: the resources, their creators, their topics
        text = write(export_resources(viewer=None, ids=ids))
    assert text.count("Articolo numero") == 1000


@pytest.mark.parametrize(("write", "parse"), [(write_ris, parse_ris), (write_bibtex, parse_bibtex),
                                              (write_csljson, parse_csljson)])
def test_topics_are_written_as_keywords_in_the_resources_language(write, parse):
    landscape = factories.ConceptFactory(scheme=Concept.Scheme.TOPIC, notation="landscape",
                                         labels={"en": "Landscape", "it": "Paesaggio"})
    volunteering = factories.ConceptFactory(scheme=Concept.Scheme.TOPIC, notation="volunteering",
                                            labels={"en": "Volunteering", "fr": "Bénévolat"})
    resource = without_creators(kind=Resource.Kind.REPORT, title="Paesaggi", language="it-CH", year=2020)
    resource.topics.set([volunteering, landscape])

    [record] = parse(write(export_resources(viewer=None, ids=[resource.pk])))

    assert record.keywords == ["Paesaggio", "Volunteering"]  # no Italian label: the active language's


# --- Any text survives a round trip ----------------------------------------------------------------------------

# Texts as the readers keep them: composed Unicode (NFC), single spaces. A name has no comma at its ends, and a
# family name none at all: RIS writes "Family, Given" with no way to escape one.
WORDS = st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs"),
                                       exclude_characters="\u2028\u2029\xa0\ue000\ue001\ue002\ue003"),
                min_size=1, max_size=40).map(lambda text: " ".join(unicodedata.normalize("NFC", text).split()))
TEXTS = WORDS.filter(bool)
GIVEN = WORDS.map(lambda text: text.strip(" ,")).filter(bool)
FAMILY = WORDS.map(lambda text: " ".join(text.replace(",", " ").split())).filter(bool)


def unsaved(title: str, family: str, given: str, abstract: str) -> Resource:
    resource = Resource(pk=1, kind=Resource.Kind.BOOK, title=title, language="it", abstract=abstract, year=2001)
    resource._prefetched_objects_cache = {"creators": [Creator(position=1, family=family, given=given)], "topics": []}
    return resource


@hypothesis_settings(max_examples=200, deadline=None)
@given(title=TEXTS, family=FAMILY, given_names=GIVEN, abstract=TEXTS)
@example(title="}#", family="{ x", given_names="\\", abstract="a}b{#c")  # unpaired braces, escapes
@example(title="--x ``q'' ?`", family="Ö~", given_names="$x$", abstract="100% & #1_2 ^")
@pytest.mark.parametrize(("write", "parse"), [(write_ris, parse_ris), (write_bibtex, parse_bibtex),
                                              (write_csljson, parse_csljson)])
def test_any_text_survives_a_round_trip(write, parse, title, family, given_names, abstract):
    [record] = parse(write([unsaved(title, family, given_names, abstract)]))
    assert (record.errors, record.data.title, record.data.abstract) == ([], title, abstract)
    assert record.data.creators == [CreatorData(family=family, given=given_names)]
