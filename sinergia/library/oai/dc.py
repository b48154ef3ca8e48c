"""A resource as simple Dublin Core (oai_dc), the metadata format every OAI-PMH repository offers."""

import re
from functools import cache
from urllib.parse import quote

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from lxml import etree

from sinergia.core.languages import language_family
from sinergia.library.models import Creator, Resource
from sinergia.library.oai.selectors import OaiItem
from sinergia.library.oai.text import markdown_plain, xml_text

OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LANGUAGE_RE = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*\Z")  # xs:language, what xml:lang accepts

# DCMI Type Vocabulary: every kind not listed here is Text.
DCMI_TYPES: dict[str, str] = {
    Resource.Kind.VIDEO: "MovingImage",
    Resource.Kind.POSTER: "StillImage",
    Resource.Kind.DATASET: "Dataset",
    Resource.Kind.WEBSITE: "InteractiveResource",
}
CONTRIBUTING_ROLES = (Creator.Role.EDITOR, Creator.Role.TRANSLATOR, Creator.Role.CONTRIBUTOR)

Field = tuple[str, str, str]  # (Dublin Core element, value, xml:lang or "")


class PageLinks:
    """Absolute addresses of resource pages, in the site language closest to each resource's language.

    The address is reversed once per language, with a stand-in number replaced by each resource's: a page of 100
    records with their translations would otherwise spend ~10 ms in reverse().
    """

    STAND_IN = str(2**62)

    def __init__(self, site_url: str) -> None:
        self.site_url = site_url.rstrip("/")
        self.site_languages = {code for code, _name in settings.LANGUAGES}
        self.templates: dict[str, str] = {}

    def page(self, pk: int, language: str) -> str:
        family = language_family(language)
        interface = family if family in self.site_languages else settings.LANGUAGE_CODE
        if interface not in self.templates:
            with translation.override(interface):
                self.templates[interface] = reverse("library:resource_detail", args=[self.STAND_IN])
        return self.site_url + self.templates[interface].replace(self.STAND_IN, str(pk))


@cache
def kind_name(kind: str) -> str:
    """The kind's name in English, the lingua franca of harvesters (a dc:type beside the DCMI type)."""
    with translation.override("en"):
        return str(Resource.Kind(kind).label)


def _date(resource: Resource) -> str:
    """The publication date as ISO 8601, as precise as known: 2024, 2024-05 or 2024-05-16."""
    if not resource.year:
        return ""
    parts = [f"{resource.year:04d}"]
    if resource.month:
        parts.append(f"{resource.month:02d}")
        if resource.day:
            parts.append(f"{resource.day:02d}")
    return "-".join(parts)


def _source(resource: Resource) -> str:
    """The journal or book it appeared in, with volume, issue and pages."""
    if not resource.container_title:
        return ""
    details = [(resource.volume, "vol. "), (resource.issue, "no. "), (resource.pages, "pp. ")]
    return ", ".join([resource.container_title] + [label + value for value, label in details if value])


def _identifiers(resource: Resource, links: PageLinks) -> list[str]:
    """The page, the DOI and ISBN as resolvable URIs, and the resource's own web address."""
    found = [links.page(resource.pk, resource.language)]
    if resource.doi:
        found.append("https://doi.org/" + quote(resource.doi, safe="/:;()._-"))
    if resource.isbn:
        found.append(f"urn:isbn:{resource.isbn}")
    if resource.url:
        found.append(resource.url)
    return found


def _subjects(item: OaiItem, language: str) -> list[Field]:
    """Each topic's label in the resource's language and in English (once when they are the same)."""
    subjects: list[Field] = []
    for labels in item.topics:
        seen = set()
        for code in dict.fromkeys((language, "en")):
            label = labels.get(code, "")
            if label and label not in seen:
                seen.add(label)
                subjects.append(("subject", label, code))
    return subjects


def dc_fields(item: OaiItem, links: PageLinks) -> list[Field]:
    """The record's Dublin Core elements, in the order of the element set."""
    resource = item.resource
    tag = resource.language if LANGUAGE_RE.match(resource.language) else ""
    creators = list(resource.creators.all())
    fields: list[Field] = [("title", resource.title, tag)]
    fields += [("creator", c.display_name, "") for c in creators if c.role == Creator.Role.AUTHOR]
    fields += _subjects(item, language_family(resource.language))
    fields += [("description", markdown_plain(resource.abstract), tag), ("publisher", resource.publisher, "")]
    fields += [("contributor", c.display_name, "") for c in creators if c.role in CONTRIBUTING_ROLES]
    fields += [("date", _date(resource), ""), ("type", DCMI_TYPES.get(resource.kind, "Text"), ""),
               ("type", kind_name(resource.kind), ""), ("format", resource.file_type if resource.file else "", "")]
    fields += [("identifier", value, "") for value in _identifiers(resource, links)]
    fields += [("source", _source(resource), ""), ("language", resource.language, "")]
    fields += [("relation", links.page(pk, language), "") for pk, language in item.versions]
    fields.append(("rights", resource.licence, ""))
    return [(name, value, lang) for name, value, lang in fields if value]


def dc_element(item: OaiItem, links: PageLinks) -> etree._Element:
    """<oai_dc:dc> of the record, every value set as text by lxml (escaped, never spliced into markup)."""
    root = etree.Element(f"{{{OAI_DC_NS}}}dc", nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_DC_NS} {OAI_DC_SCHEMA}")
    for name, value, lang in dc_fields(item, links):
        element = etree.SubElement(root, f"{{{DC_NS}}}{name}")
        element.text = xml_text(value)
        if lang:
            element.set(XML_LANG, lang)
    return root
