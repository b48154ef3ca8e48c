"""A resource as oai_dc: every Dublin Core element, safe text, and a fixed number of queries per page."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from sinergia.library.models import Creator, Resource
from sinergia.library.oai.dc import XML_LANG
from sinergia.library.oai.text import markdown_plain, xml_text
from tests import factories
from tests.library.test_oai_schema import NS, REPOSITORY, oai, oai_id
from tests.library.test_oai_schema import token as token_of

pytestmark = pytest.mark.django_db
SITE = "http://testserver"


@pytest.fixture(autouse=True)
def _repository(settings):
    settings.LIBRARY_OAI_REPOSITORY_IDENTIFIER = REPOSITORY
    settings.LIBRARY_OAI_PAGE_SIZE = 100


def resource(**kwargs):
    return factories.ResourceFactory(index=False, **kwargs)


def dublin_core(client, item) -> list[tuple[str, str, str]]:
    """The record's Dublin Core as (element, text, xml:lang) in document order."""
    root = oai(client, verb="GetRecord", identifier=oai_id(item), metadataPrefix="oai_dc")
    dc = root.find(".//oai:metadata/oai_dc:dc", NS)
    return [(element.tag.split("}")[1], element.text, element.get(XML_LANG, "")) for element in dc]


def values(client, item, name: str) -> list[str]:
    return [text for element, text, _lang in dublin_core(client, item) if element == name]


@pytest.fixture
def article():
    fundraising = factories.ConceptFactory(scheme="topic", notation="fundraising", labels={
        "en": "Fundraising", "it": "Raccolta fondi", "fr": "Collecte de fonds"})
    landscape = factories.ConceptFactory(scheme="topic", notation="landscape", labels={"en": "Landscape",
                                                                                        "it": "Paesaggio"})
    item = resource(kind=Resource.Kind.ARTICLE, title="Musei & comunità <in rete>", language="it",
                    abstract="**Come** i [piccoli musei](https://example.org) lavorano.\n\nSecondo paragrafo.",
                    year=2023, month=5, day=16, publisher="Edizioni Museo", container_title="Museologia oggi",
                    volume="12", issue="3", pages="45-67", doi="10.1234/abc(1)", isbn="9788812345678",
                    url="https://example.org/musei", licence="CC BY 4.0", topics=[landscape, fundraising],
                    authors=[("Rossi", "Maria"), ("Bianchi", "Luca")])
    for position, role, names in ((3, Creator.Role.EDITOR, {"family": "Verdi", "given": "Anna"}),
                                  (4, Creator.Role.TRANSLATOR, {"family": "Smith"}),
                                  (5, Creator.Role.AUTHOR, {"organisation_name": "ICOM Italia"}),
                                  (6, Creator.Role.CONTRIBUTOR, {"family": "Neri", "given": "Paolo"})):
        Creator.objects.create(resource=item, position=position, role=role, **names)
    Resource.objects.filter(pk=item.pk).update(file="library/2024/musei.pdf", file_type="application/pdf")
    return item


def test_record_maps_every_dublin_core_element(client, article):
    english = resource(language="en", original=article, title="Museums")
    resource(language="fr", original=article, private=True)
    assert dublin_core(client, article) == [
        ("title", "Musei & comunità <in rete>", "it"),
        ("creator", "Rossi, Maria", ""), ("creator", "Bianchi, Luca", ""), ("creator", "ICOM Italia", ""),
        ("subject", "Raccolta fondi", "it"), ("subject", "Fundraising", "en"),
        ("subject", "Paesaggio", "it"), ("subject", "Landscape", "en"),
        ("description", "Come i piccoli musei lavorano.\n\nSecondo paragrafo.", "it"),
        ("publisher", "Edizioni Museo", ""),
        ("contributor", "Verdi, Anna", ""), ("contributor", "Smith", ""), ("contributor", "Neri, Paolo", ""),
        ("date", "2023-05-16", ""),
        ("type", "Text", ""), ("type", "Article", ""),
        ("format", "application/pdf", ""),
        ("identifier", f"{SITE}/it/library/{article.pk}/", ""), ("identifier", "https://doi.org/10.1234/abc(1)", ""),
        ("identifier", "urn:isbn:9788812345678", ""), ("identifier", "https://example.org/musei", ""),
        ("source", "Museologia oggi, vol. 12, no. 3, pp. 45-67", ""),
        ("language", "it", ""),
        ("relation", f"{SITE}/en/library/{english.pk}/", ""),
        ("rights", "CC BY 4.0", ""),
    ]


def test_record_without_optional_fields_has_no_empty_elements(client):
    item = resource(abstract="", year=None, authors=[("Rossi", "")])
    assert dublin_core(client, item) == [
        ("title", item.title, "it"), ("creator", "Rossi", ""), ("type", "Text", ""), ("type", "Report", ""),
        ("identifier", f"{SITE}/it/library/{item.pk}/", ""), ("language", "it", "")]


def test_translations_relate_to_every_other_public_version(client):
    original = resource(language="it")
    english = resource(language="en", original=original)
    french = resource(language="fr", original=original)
    resource(language="es", original=original, pending=True)
    assert values(client, english, "relation") == [f"{SITE}/fr/library/{french.pk}/",
                                                   f"{SITE}/it/library/{original.pk}/"]
    assert values(client, original, "relation") == [f"{SITE}/en/library/{english.pk}/",
                                                    f"{SITE}/fr/library/{french.pk}/"]


@pytest.mark.parametrize(("kind", "types"), [
    (Resource.Kind.VIDEO, ["MovingImage", "Video"]),
    (Resource.Kind.POSTER, ["StillImage", "Poster"]),
    (Resource.Kind.DATASET, ["Dataset", "Dataset"]),
    (Resource.Kind.WEBSITE, ["InteractiveResource", "Website"]),
    (Resource.Kind.BOOK, ["Text", "Book"]),
    (Resource.Kind.GOOD_PRACTICE, ["Text", "Good practice"]),
])
def test_type_is_the_dcmi_type_and_the_kind(client, kind, types):
    assert values(client, resource(kind=kind), "type") == types


@pytest.mark.parametrize(("parts", "date"), [((2023, None, None), "2023"), ((2023, 5, None), "2023-05"),
                                             ((987, 1, 2), "0987-01-02"), ((None, None, None), None)])
def test_date_is_as_precise_as_known(client, parts, date):
    year, month, day = parts
    assert values(client, resource(year=year, month=month, day=day), "date") == ([date] if date else [])


def test_regional_language_keeps_its_tag_and_links_its_language_page(client):
    topic = factories.ConceptFactory(scheme="topic", notation="museums", labels={"en": "Museums", "pt": "Museus"})
    item = resource(language="pt-BR", topics=[topic])
    fields = dublin_core(client, item)
    assert fields[0][2] == "pt-BR"
    assert [f for f in fields if f[0] in ("subject", "language")] == [
        ("subject", "Museus", "pt"), ("subject", "Museums", "en"), ("language", "pt-BR", "")]
    assert values(client, item, "identifier") == [f"{SITE}/pt/library/{item.pk}/"]


def test_resource_in_another_language_links_the_default_language_page(client, settings):
    settings.LANGUAGE_CODE = "it"
    item = resource(language="de")
    assert values(client, item, "identifier") == [f"{SITE}/it/library/{item.pk}/"]


def test_subject_in_english_is_given_once(client):
    topic = factories.ConceptFactory(scheme="topic", notation="museums", labels={"en": "Museums", "it": "Musei"})
    item = resource(language="en", topics=[topic])
    assert [f for f in dublin_core(client, item) if f[0] == "subject"] == [("subject", "Museums", "en")]


def test_characters_xml_cannot_carry_are_dropped(client):
    item = resource(title="Musei\x01 in\x0b rete\ufffe", abstract="Uno\x1fdue", publisher="<b>&amp;</b>")
    fields = dublin_core(client, item)
    assert [f[1] for f in fields if f[0] in ("title", "description", "publisher")] == [
        "Musei in rete", "Unodue", "<b>&amp;</b>"]


def test_xml_text_drops_nul_surrogates_and_non_characters():
    assert xml_text("a\x00b\ud800c\uffffd\te\U0001f600") == "abcd\te\U0001f600"


def test_hostile_markdown_becomes_harmless_text(client):
    item = resource(abstract='<script>alert("x")</script>Testo <img src=x onerror=alert(1)> [qui](javascript:x)')
    assert values(client, item, "description") == ["Testo  qui"]


# --- Queries per page ------------------------------------------------------------------------------------------------


@pytest.fixture
def rich_page():
    """30 resources with three creators, two topics, two networks and a translation each."""
    networks = [factories.NetworkFactory() for _ in range(2)]
    topics = [factories.ConceptFactory(scheme="topic") for _ in range(2)]
    organisation = factories.OrganisationFactory()
    originals = [resource(organisation=organisation, topics=topics, shared_with=networks,
                          authors=[("Rossi", "Maria"), ("Bianchi", "Luca"), ("Verdi", "Anna")]) for _ in range(15)]
    return originals + [resource(organisation=organisation, original=original, language="en", topics=topics,
                                 shared_with=networks) for original in originals]


def test_list_records_reads_a_page_in_five_queries_and_counts_once(client, settings, rich_page,
                                                                   django_assert_max_num_queries):
    settings.LIBRARY_OAI_PAGE_SIZE = 10
    with django_assert_max_num_queries(6):  # records, creators, networks, topics, versions, the count
        first = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    with django_assert_max_num_queries(5):
        second = oai(client, verb="ListRecords", resumptionToken=token_of(first).text)
    assert len(first.findall(".//oai:record", NS)) == len(second.findall(".//oai:record", NS)) == 10
    assert len(first.findall(".//dc:creator", NS)) == 3 * 10


def test_list_records_of_one_hundred_takes_no_more_queries(client, rich_page, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        root = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    assert len(root.findall(".//oai:record", NS)) == 30


def test_get_record_takes_five_queries(client, rich_page, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):  # the resource, creators, networks, topics, versions
        oai(client, verb="GetRecord", identifier=oai_id(rich_page[0]), metadataPrefix="oai_dc")


@pytest.mark.parametrize("family", ["topic", "network"])
def test_a_set_is_read_by_the_id_of_its_topic_or_network(client, rich_page, family):
    """The planner estimates a set's size from the id (large topics hold a quarter of the library): the harvest's
    statements filter the links by that id, read first, not by the notation or slug through a join."""
    first = rich_page[0]
    key = first.topics.first().notation if family == "topic" else first.networks.first().slug
    with CaptureQueriesContext(connection) as queries:
        root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set=f"{family}:{key}")
    assert len(root.findall(".//oai:header", NS)) == 30
    harvests = [query["sql"] for query in queries if "EXISTS" in query["sql"]]
    assert harvests  # the page (and the count, when there is more than a page)
    column = "concept_id" if family == "topic" else "network_id"
    assert all(re.search(rf'"{column}" IN \(\d+\)', sql.split("EXISTS", 1)[1]) for sql in harvests)


def test_identify_and_list_sets_take_a_query_or_two(client, rich_page, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        oai(client, verb="Identify")
    with django_assert_max_num_queries(2):
        oai(client, verb="ListSets")


# --- Markdown as plain text ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("markdown", "text"), [
    ("Plain prose, with 3 - 2 = 1 and l'arte.", "Plain prose, with 3 - 2 = 1 and l'arte."),
    ("# Titolo\n\nTesto *enfatico* e **forte**.", "Titolo\n\nTesto enfatico e forte."),
    ("- uno\n* due\n+ tre\n1. quattro", "- uno\n- due\n- tre\n1. quattro"),
    ("snake_case_name e 2*3*4", "snake_case_name e 2*3*4"),
    ("_corsivo_ e __grassetto__ e ~~via~~", "corsivo e grassetto e via"),
    ("Un [link](https://example.org \"titolo\") e ![figura](a.png)", "Un link e figura"),
    ("Vedi [il sito][1].\n\n[1]: https://example.org", "Vedi il sito."),
    ("> citazione\n> > annidata", "citazione\nannidata"),
    ("Codice `x = 1` e\n```python\nprint(1)\n```", "Codice x = 1 e\n\nprint(1)"),
    ("&amp; &lt;b&gt; &egrave;", "& <b> è"),
    ("Sotto\n=====\n\nSopra\n---", "Sotto\n\nSopra"),
    ("<p>Paragrafo</p><!-- nota --><style>p{}</style>", "Paragrafo"),
    ("Fine riga\r\naltra\r\rterza", "Fine riga\naltra\n\nterza"),
    ("Escape \\*non enfasi\\*", "Escape *non enfasi*"),
    ("Link <https://example.org/a>", "Link https://example.org/a"),
    ("", ""),
])
def test_markdown_plain_keeps_the_words_and_drops_the_markup(markdown, text):
    assert markdown_plain(markdown) == text


@given(st.text())
def test_markdown_plain_always_gives_text_xml_can_carry(markdown):
    element = etree.Element("description")
    element.text = xml_text(markdown_plain(markdown))  # lxml refuses any character XML cannot carry
    assert etree.fromstring(etree.tostring(element)).text == (element.text or None)
