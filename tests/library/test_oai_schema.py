"""Every OAI-PMH response is checked against the official schemas (offline copies); the helpers the OAI tests share.

The schemas live in SHARED_DATA_DIR/schemas/oai-pmh/; lxml resolves their canonical URLs to those files and never
reaches the network. Without them the OAI tests are skipped rather than run unchecked.
"""

from functools import cache
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from lxml import etree

from sinergia.library.oai.dc import DC_NS, OAI_DC_NS
from sinergia.library.oai.document import OAI_NS

SCHEMA_DIR = Path(settings.SHARED_DATA_DIR) / "schemas" / "oai-pmh"
CANONICAL = {
    "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd": "OAI-PMH.xsd",
    "http://www.openarchives.org/OAI/2.0/oai_dc.xsd": "oai_dc.xsd",
    "http://dublincore.org/schemas/xmls/simpledc20021212.xsd": "simpledc20021212.xsd",
    "http://www.w3.org/2001/03/xml.xsd": "xml.xsd",
}
# One schema importing both namespaces, so that the strict <metadata> content (oai_dc) is validated too.
DRIVER = f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:import namespace="{OAI_NS}" schemaLocation="http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"/>
  <xs:import namespace="{OAI_DC_NS}" schemaLocation="http://www.openarchives.org/OAI/2.0/oai_dc.xsd"/>
</xs:schema>""".encode()
NS = {"oai": OAI_NS, "oai_dc": OAI_DC_NS, "dc": DC_NS}
REPOSITORY = "sinergia.example.org"
BASE_URL = "http://testserver/oai"

pytestmark = pytest.mark.django_db


class LocalSchemas(etree.Resolver):
    """The canonical schema URLs, answered from the local copies."""

    def resolve(self, url, pubid, context):
        name = CANONICAL.get(url)
        if name is None:
            raise AssertionError(f"the schemas import an unknown document: {url}")
        return self.resolve_filename(str(SCHEMA_DIR / name), context)


@cache
def oai_schema() -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(LocalSchemas())
    return etree.XMLSchema(etree.fromstring(DRIVER, parser, base_url=str(SCHEMA_DIR / "driver.xsd")))


def validated(xml: bytes) -> etree._Element:
    """The parsed document, after checking it against OAI-PMH.xsd and oai_dc.xsd (skip if the schemas are absent)."""
    if not all((SCHEMA_DIR / name).is_file() for name in CANONICAL.values()):
        pytest.skip(f"the OAI-PMH schemas are not in {SCHEMA_DIR}")
    root = etree.fromstring(xml)
    schema = oai_schema()
    assert schema.validate(root), schema.error_log.filter_from_errors()
    return root


def oai(client: Client, query: str | dict | None = None, **params: str) -> etree._Element:
    """GET /oai with the query (a raw string keeps repeated arguments) and return the validated document."""
    if isinstance(query, str):
        response = client.get(f"/oai?{query}", HTTP_ACCEPT_LANGUAGE="en")
    else:
        response = client.get("/oai", {**(query or {}), **params}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    return validated(response.content)


def error_codes(root: etree._Element) -> list[str]:
    return [error.get("code") for error in root.iterfind("oai:error", NS)]


def request_attributes(root: etree._Element) -> dict[str, str]:
    return dict(root.find("oai:request", NS).attrib)


def identifiers(root: etree._Element) -> list[str]:
    return [element.text for element in root.iterfind(".//oai:header/oai:identifier", NS)]


def token(root: etree._Element) -> etree._Element | None:
    return root.find(".//oai:resumptionToken", NS)


def oai_id(resource) -> str:
    return f"oai:{REPOSITORY}:{resource.uuid}"


@pytest.fixture(autouse=True)
def _repository(settings):
    settings.LIBRARY_OAI_REPOSITORY_IDENTIFIER = REPOSITORY


def test_schema_accepts_an_identify_response(client):
    root = oai(client, verb="Identify")
    assert root.findtext("oai:Identify/oai:protocolVersion", namespaces=NS) == "2.0"


def test_schema_rejects_a_response_without_response_date():
    xml = f'<OAI-PMH xmlns="{OAI_NS}"><request>{BASE_URL}</request><error code="badVerb">x</error></OAI-PMH>'
    assert oai_schema().validate(etree.fromstring(xml.encode())) is False


def test_schema_checks_the_dublin_core_inside_metadata():
    xml = f"""<OAI-PMH xmlns="{OAI_NS}"><responseDate>2024-01-01T00:00:00Z</responseDate>
      <request verb="GetRecord" identifier="oai:x.org:1" metadataPrefix="oai_dc">{BASE_URL}</request>
      <GetRecord><record><header><identifier>oai:x.org:1</identifier><datestamp>2024-01-01</datestamp></header>
      <metadata><oai_dc:dc xmlns:oai_dc="{OAI_DC_NS}" xmlns:dc="{DC_NS}"><dc:colour>red</dc:colour></oai_dc:dc>
      </metadata></record></GetRecord></OAI-PMH>"""
    assert oai_schema().validate(etree.fromstring(xml.encode())) is False
    assert "colour" in str(oai_schema().error_log)
