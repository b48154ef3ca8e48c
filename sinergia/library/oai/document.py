"""The XML of OAI-PMH responses, built element by element with lxml (values are always set as text or attributes)."""

from datetime import datetime

from lxml import etree

from sinergia.library.oai.dc import XSI_NS, PageLinks, dc_element
from sinergia.library.oai.errors import Problem
from sinergia.library.oai.protocol import datestamp, oai_identifier
from sinergia.library.oai.selectors import OaiItem
from sinergia.library.oai.text import xml_text

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"


def tag(name: str) -> str:
    return f"{{{OAI_NS}}}{name}"


def add(parent: etree._Element, name: str, text: str | None = None,
        attributes: dict[str, str] | None = None) -> etree._Element:
    """A child element in the OAI-PMH namespace with its text and attributes."""
    element = etree.SubElement(parent, tag(name), {key: xml_text(value) for key, value in (attributes or {}).items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def response(*, base_url: str, now: datetime, arguments: dict[str, str]) -> etree._Element:
    """<OAI-PMH> with its responseDate and the request element (base URL, and the arguments echoed)."""
    root = etree.Element(tag("OAI-PMH"), nsmap={None: OAI_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_NS} {OAI_SCHEMA}")
    add(root, "responseDate", datestamp(now))
    add(root, "request", base_url, arguments)
    return root


def add_errors(root: etree._Element, problems: tuple[Problem, ...]) -> None:
    for problem in problems:
        add(root, "error", problem.message, {"code": problem.code})


def add_header(parent: etree._Element, item: OaiItem) -> None:
    resource = item.resource
    header = add(parent, "header", None, {"status": "deleted"} if resource.is_withdrawn else None)
    add(header, "identifier", oai_identifier(resource.uuid))
    add(header, "datestamp", datestamp(resource.updated_at))
    for spec in item.set_specs:
        add(header, "setSpec", spec)


def add_record(parent: etree._Element, item: OaiItem, links: PageLinks) -> None:
    """A record: its header, and its Dublin Core unless it was deleted (then the header says so)."""
    record = add(parent, "record")
    add_header(record, item)
    if not item.resource.is_withdrawn:
        add(record, "metadata").append(dc_element(item, links))


def add_resumption_token(parent: etree._Element, *, token: str, complete_size: int, cursor: int,
                         expires: datetime | None) -> None:
    """The token of the next page; empty (but still counted) on the page that completes the list."""
    attributes = {"completeListSize": str(complete_size), "cursor": str(cursor)}
    if token and expires is not None:
        attributes["expirationDate"] = datestamp(expires)
    add(parent, "resumptionToken", token, attributes)


def serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
