"""OAI-PMH 2.0: the six verbs, the arguments each takes, and every error condition of section 3.6."""

from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from sinergia.library.oai.protocol import identifier_uuid, repository_identifier
from sinergia.library.services import resource_delete
from tests import factories
from tests.library.test_oai_schema import (
    BASE_URL,
    NS,
    REPOSITORY,
    error_codes,
    identifiers,
    oai,
    oai_id,
    request_attributes,
    validated,
)

pytestmark = pytest.mark.django_db
FORM = "application/x-www-form-urlencoded"


@pytest.fixture(autouse=True)
def _repository(settings):
    settings.LIBRARY_OAI_REPOSITORY_IDENTIFIER = REPOSITORY
    settings.LIBRARY_OAI_REPOSITORY_NAME = "Biblioteca Sinergia"
    settings.LIBRARY_OAI_ADMIN_EMAIL = "biblioteca@sinergia.example.org"


def resource(**kwargs):
    return factories.ResourceFactory(index=False, **kwargs)


def editor_of(item):
    return factories.person(item.organisation, "editor", f"editor-{item.pk}@example.org")


# --- The endpoint ----------------------------------------------------------------------------------------------------


def test_endpoint_is_outside_the_language_prefix():
    assert reverse("oai") == "/oai"


def test_response_is_utf8_xml(client):
    response = client.get("/oai", {"verb": "Identify"})
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")


def test_post_form_is_answered_like_get(client):
    item = resource()
    body = urlencode({"verb": "GetRecord", "identifier": oai_id(item), "metadataPrefix": "oai_dc"})
    response = client.post("/oai", body, content_type=FORM, HTTP_ACCEPT_LANGUAGE="en")
    root = validated(response.content)
    assert identifiers(root) == [oai_id(item)]
    assert request_attributes(root) == {"verb": "GetRecord", "identifier": oai_id(item), "metadataPrefix": "oai_dc"}


def test_post_needs_no_csrf_token():
    response = Client(enforce_csrf_checks=True).post("/oai", "verb=Identify", content_type=FORM)
    assert error_codes(validated(response.content)) == []


@pytest.mark.parametrize("post", [
    {"data": b'{"verb": "Identify"}', "content_type": "application/json"},
    {"data": {"verb": "Identify"}},  # multipart/form-data
])
def test_post_of_another_content_type_is_bad_argument(client, post):
    root = validated(client.post("/oai", HTTP_ACCEPT_LANGUAGE="en", **post).content)
    assert error_codes(root) == ["badArgument"]
    assert root.findtext("oai:error", namespaces=NS) == (
        "Send the arguments in the query string (GET) or as application/x-www-form-urlencoded (POST).")
    assert request_attributes(root) == {}


def test_other_methods_are_not_allowed(client):
    assert client.put("/oai?verb=Identify").status_code == 405


# --- Identify --------------------------------------------------------------------------------------------------------


def test_identify_describes_the_repository(client):
    older = resource()
    resource()
    hidden = resource(private=True)
    type(older).objects.filter(pk=older.pk).update(updated_at="2020-03-04T05:06:07.890Z")
    type(hidden).objects.filter(pk=hidden.pk).update(updated_at="2019-01-01T00:00:00Z")
    identify = oai(client, verb="Identify").find("oai:Identify", NS)
    assert [(child.tag.split("}")[1], child.text) for child in identify] == [
        ("repositoryName", "Biblioteca Sinergia"), ("baseURL", BASE_URL), ("protocolVersion", "2.0"),
        ("adminEmail", "biblioteca@sinergia.example.org"), ("earliestDatestamp", "2020-03-04T05:06:07Z"),
        ("deletedRecord", "persistent"), ("granularity", "YYYY-MM-DDThh:mm:ssZ")]


def test_identify_of_an_empty_repository_gives_a_datestamp(client):
    earliest = oai(client, verb="Identify").findtext("oai:Identify/oai:earliestDatestamp", namespaces=NS)
    assert len(earliest) == 20 and earliest.endswith("Z")


def test_identify_takes_no_arguments(client):
    root = oai(client, verb="Identify", metadataPrefix="oai_dc")
    assert error_codes(root) == ["badArgument"]
    assert request_attributes(root) == {}


# --- ListMetadataFormats ---------------------------------------------------------------------------------------------


def test_list_metadata_formats_offers_oai_dc(client):
    formats = oai(client, verb="ListMetadataFormats").findall("oai:ListMetadataFormats/oai:metadataFormat", NS)
    assert [[child.text for child in fmt] for fmt in formats] == [
        ["oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd", "http://www.openarchives.org/OAI/2.0/oai_dc/"]]


def test_list_metadata_formats_of_an_item(client):
    item = resource()
    root = oai(client, verb="ListMetadataFormats", identifier=oai_id(item))
    assert root.findtext(".//oai:metadataPrefix", namespaces=NS) == "oai_dc"
    assert request_attributes(root) == {"verb": "ListMetadataFormats", "identifier": oai_id(item)}


def test_list_metadata_formats_of_an_unknown_item_is_id_does_not_exist(client):
    root = oai(client, verb="ListMetadataFormats", identifier=f"oai:{REPOSITORY}:8d1f9a8e-0000-4000-8000-000000000000")
    assert error_codes(root) == ["idDoesNotExist"]


def test_list_metadata_formats_of_a_deleted_item_is_no_metadata_formats(client):
    item = resource()
    resource_delete(resource=item, by=editor_of(item))
    root = oai(client, verb="ListMetadataFormats", identifier=oai_id(item))
    assert error_codes(root) == ["noMetadataFormats"]
    assert request_attributes(root) == {"verb": "ListMetadataFormats", "identifier": oai_id(item)}


# --- ListSets --------------------------------------------------------------------------------------------------------


def test_list_sets_lists_listed_networks_and_topics(client):
    factories.NetworkFactory(name="Ecomusei del Piemonte", slug="ecomusei-piemonte")
    factories.NetworkFactory(name="Rete nascosta", slug="nascosta", is_active=False)
    factories.ConceptFactory(scheme="topic", notation="fundraising", labels={"en": "Fundraising", "it": "Raccolta"})
    factories.ConceptFactory(scheme="theme", notation="not-a-topic")
    sets = oai(client, verb="ListSets").findall("oai:ListSets/oai:set", NS)
    assert [(s.findtext("oai:setSpec", namespaces=NS), s.findtext("oai:setName", namespaces=NS)) for s in sets] == [
        ("network", "Networks"), ("network:ecomusei-piemonte", "Ecomusei del Piemonte"),
        ("topic", "Topics"), ("topic:fundraising", "Fundraising")]


def test_list_sets_with_a_resumption_token_is_bad_resumption_token(client):
    root = oai(client, verb="ListSets", resumptionToken="anything")
    assert error_codes(root) == ["badResumptionToken"]
    assert request_attributes(root) == {"verb": "ListSets", "resumptionToken": "anything"}


# --- GetRecord -------------------------------------------------------------------------------------------------------


def test_get_record_returns_the_header_and_dublin_core(client):
    item = resource(title="Musei in rete")
    root = oai(client, verb="GetRecord", identifier=oai_id(item), metadataPrefix="oai_dc")
    record = root.find("oai:GetRecord/oai:record", NS)
    assert record.findtext("oai:header/oai:identifier", namespaces=NS) == oai_id(item)
    assert record.findtext("oai:metadata/oai_dc:dc/dc:title", namespaces=NS) == "Musei in rete"


def test_get_record_of_a_deleted_item_has_only_its_header(client):
    item = resource()
    resource_delete(resource=item, by=editor_of(item))
    record = oai(client, verb="GetRecord", identifier=oai_id(item), metadataPrefix="oai_dc").find(".//oai:record", NS)
    assert record.find("oai:header", NS).get("status") == "deleted"
    assert record.find("oai:metadata", NS) is None


def test_get_record_in_another_format_is_cannot_disseminate_format(client):
    item = resource()
    root = oai(client, verb="GetRecord", identifier=oai_id(item), metadataPrefix="marc21")
    assert error_codes(root) == ["cannotDisseminateFormat"]
    assert request_attributes(root) == {"verb": "GetRecord", "identifier": oai_id(item), "metadataPrefix": "marc21"}


def test_cannot_disseminate_format_does_not_echo_an_illegal_prefix(client):
    item = resource()
    root = oai(client, verb="GetRecord", identifier=oai_id(item), metadataPrefix="oai dc")
    assert error_codes(root) == ["cannotDisseminateFormat"]
    assert request_attributes(root) == {"verb": "GetRecord", "identifier": oai_id(item)}


@pytest.mark.parametrize("identifier", [
    "oai:other.example.org:{uuid}", "oai:sinergia.example.org:{uuid}x", "oai:sinergia.example.org:{upper}",
    "{uuid}", "oai:sinergia.example.org:", "oai:sinergia.example.org:1",
])
def test_get_record_of_a_foreign_or_malformed_identifier_is_id_does_not_exist(client, identifier):
    item = resource()
    value = identifier.format(uuid=item.uuid, upper=str(item.uuid).upper())
    root = oai(client, verb="GetRecord", identifier=value, metadataPrefix="oai_dc")
    assert error_codes(root) == ["idDoesNotExist"]


def test_get_record_needs_an_identifier_and_a_format(client):
    root = oai(client, verb="GetRecord")
    assert error_codes(root) == ["badArgument", "badArgument"]
    assert [e.text for e in root.iterfind("oai:error", NS)] == [
        "The argument “identifier” is required by GetRecord.",
        "The argument “metadataPrefix” is required by GetRecord."]


def test_identifier_with_spaces_is_answered_without_echo(client):
    root = oai(client, verb="GetRecord", identifier="not an identifier", metadataPrefix="oai_dc")
    assert error_codes(root) == ["idDoesNotExist"]
    assert request_attributes(root) == {"verb": "GetRecord", "metadataPrefix": "oai_dc"}


# --- badVerb and badArgument -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "message"), [
    ("", "The verb argument is missing."),
    ("verb=Harvest", "“Harvest” is not an OAI-PMH verb."),
    ("verb=identify", "“identify” is not an OAI-PMH verb."),
    ("verb=Identify&verb=Identify", "The verb argument is repeated."),
    ("verb=Identify&verb=ListSets", "The verb argument is repeated."),
])
def test_bad_verb_has_a_request_element_without_attributes(client, query, message):
    root = oai(client, query)
    assert error_codes(root) == ["badVerb"]
    assert root.findtext("oai:error", namespaces=NS) == message
    assert request_attributes(root) == {}
    assert root.findtext("oai:request", namespaces=NS) == BASE_URL


@pytest.mark.parametrize(("query", "message"), [
    ("verb=ListRecords", "The argument “metadataPrefix” is required by ListRecords."),
    ("verb=ListIdentifiers&metadataPrefix=", "The argument “metadataPrefix” is required by ListIdentifiers."),
    ("verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc", "The argument “metadataPrefix” is repeated."),
    ("verb=ListRecords&metadataPrefix=oai_dc&colour=red", "The argument “colour” is not allowed with ListRecords."),
    ("verb=ListSets&set=network", "The argument “set” is not allowed with ListSets."),
    ("verb=ListMetadataFormats&metadataPrefix=oai_dc",
     "The argument “metadataPrefix” is not allowed with ListMetadataFormats."),
    ("verb=ListRecords&metadataPrefix=oai_dc&resumptionToken=abc",
     "The resumptionToken argument cannot be combined with other arguments."),
    ("verb=ListIdentifiers&resumptionToken=abc&from=2024-01-01",
     "The resumptionToken argument cannot be combined with other arguments."),
    ("verb=GetRecord&identifier=x&metadataPrefix=oai_dc&resumptionToken=abc",
     "The argument “resumptionToken” is not allowed with GetRecord."),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2024-13-01", "“2024-13-01” is not a date: use YYYY-MM-DD or "
                                                                "YYYY-MM-DDThh:mm:ssZ."),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=", "“” is not a date: use YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ."),
    ("verb=ListRecords&metadataPrefix=oai_dc&until=2024-02-30", "“2024-02-30” is not a date: use YYYY-MM-DD or "
                                                                 "YYYY-MM-DDThh:mm:ssZ."),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-01T10:00Z", "“2024-01-01T10:00Z” is not a date: use "
                                                                       "YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ."),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-01T10:00:00.5Z", "“2024-01-01T10:00:00.5Z” is not a "
                                                                            "date: use YYYY-MM-DD or "
                                                                            "YYYY-MM-DDThh:mm:ssZ."),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-01T10:00:00%2B01:00", "“2024-01-01T10:00:00+01:00” is "
                                                                                 "not a date: use YYYY-MM-DD or "
                                                                                 "YYYY-MM-DDThh:mm:ssZ."),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-01&until=2024-01-02T00:00:00Z",
     "The from and until arguments must have the same granularity."),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-02&until=2024-01-01",
     "The from date is later than the until date."),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-01T10:00:01Z&until=2024-01-01T10:00:00Z",
     "The from date is later than the until date."),
    ("verb=ListRecords&metadataPrefix=oai_dc&set=network:", "“network:” is not a valid set specification."),
    ("verb=ListRecords&metadataPrefix=oai_dc&set=a%20b", "“a b” is not a valid set specification."),
])
def test_bad_argument_has_a_request_element_without_attributes(client, query, message):
    root = oai(client, query)
    assert error_codes(root) == ["badArgument"]
    assert root.findtext("oai:error", namespaces=NS) == message
    assert request_attributes(root) == {}


def test_bad_argument_comes_before_cannot_disseminate_format(client):
    root = oai(client, verb="ListRecords", metadataPrefix="mods", **{"from": "yesterday"})
    assert error_codes(root) == ["badArgument"]


def test_every_bad_argument_is_reported(client):
    root = oai(client, "verb=ListRecords&colour=red&set=a&set=b")
    assert [e.text for e in root.iterfind("oai:error", NS)] == [
        "The argument “colour” is not allowed with ListRecords.", "The argument “set” is repeated.",
        "The argument “metadataPrefix” is required by ListRecords."]


def test_a_long_bad_value_is_cut_in_the_message(client):
    root = oai(client, verb="Harvest" + "x" * 500)
    assert root.findtext("oai:error", namespaces=NS) == f"“Harvest{'x' * 73}…” is not an OAI-PMH verb."


def test_control_characters_in_arguments_are_answered_with_valid_xml(client):
    root = oai(client, verb="GetRecord", identifier="oai:\x01\x7f\ufffe", metadataPrefix="oai_dc")
    assert error_codes(root) == ["idDoesNotExist"]


# --- Identifiers -----------------------------------------------------------------------------------------------------


def test_repository_identifier_comes_from_its_setting(settings):
    settings.LIBRARY_OAI_REPOSITORY_IDENTIFIER = "library.example.org"
    assert repository_identifier() == "library.example.org"


def test_repository_identifier_defaults_to_the_site_host(settings):
    settings.LIBRARY_OAI_REPOSITORY_IDENTIFIER = ""
    settings.SITE_URL = "https://Sinergia.Example.org:8443/"
    assert repository_identifier() == "sinergia.example.org"


def test_repository_identifier_falls_back_to_the_allowed_hosts(settings):
    settings.LIBRARY_OAI_REPOSITORY_IDENTIFIER = ""
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["*", ".sinergia.example.org", "localhost"]
    assert repository_identifier() == "sinergia.example.org"


def test_identifier_uuid_reads_back_our_identifiers():
    item = resource()
    assert identifier_uuid(oai_id(item)) == item.uuid
