"""The six OAI-PMH verbs, each answered as the element that follows the request element of the response."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils.translation import gettext as _
from lxml import etree

from sinergia.library.models import Resource
from sinergia.library.oai import document
from sinergia.library.oai.dc import OAI_DC_NS, OAI_DC_SCHEMA, PageLinks
from sinergia.library.oai.errors import (
    BAD_RESUMPTION_TOKEN,
    ID_DOES_NOT_EXIST,
    NO_METADATA_FORMATS,
    NO_RECORDS_MATCH,
    OaiError,
)
from sinergia.library.oai.harvest import Harvest, harvest_from_request, metadata_prefix_check
from sinergia.library.oai.protocol import (
    GRANULARITY,
    METADATA_PREFIX,
    NETWORK_SET,
    RESUMPTION_TOKEN,
    TOPIC_SET,
    OaiRequest,
    datestamp,
    identifier_uuid,
    shown,
)
from sinergia.library.oai.selectors import (
    OaiItem,
    oai_earliest_datestamp,
    oai_harvest,
    oai_items,
    oai_page,
    oai_resource,
    oai_sets,
)
from sinergia.library.oai.tokens import Resumption, token_dumps, token_loads, token_max_age


@dataclass(frozen=True)
class Context:
    """What every verb may need besides the request: the base URL, page addresses and the response's moment."""

    base_url: str
    links: PageLinks
    now: datetime


def identify(request: OaiRequest, context: Context) -> etree._Element:
    element = etree.Element(document.tag("Identify"))
    earliest = oai_earliest_datestamp() or context.now
    for name, value in (("repositoryName", settings.LIBRARY_OAI_REPOSITORY_NAME), ("baseURL", context.base_url),
                        ("protocolVersion", "2.0"), ("adminEmail", settings.LIBRARY_OAI_ADMIN_EMAIL),
                        ("earliestDatestamp", datestamp(earliest)), ("deletedRecord", "persistent"),
                        ("granularity", GRANULARITY)):
        document.add(element, name, value)
    return element


def _resource(identifier: str) -> Resource:
    """The exposed resource the identifier names; idDoesNotExist for unknown, malformed and hidden ones alike."""
    resource_uuid = identifier_uuid(identifier)
    resource = oai_resource(resource_uuid=resource_uuid) if resource_uuid else None
    if resource is None:
        raise OaiError.of(ID_DOES_NOT_EXIST, _("No record has the identifier “%(identifier)s”.")
                          % {"identifier": shown(identifier)})
    return resource


def list_metadata_formats(request: OaiRequest, context: Context) -> etree._Element:
    """oai_dc, for the repository or for one item; a deleted item has no metadata left (noMetadataFormats)."""
    if "identifier" in request.arguments and _resource(request.get("identifier")).is_withdrawn:
        raise OaiError.of(NO_METADATA_FORMATS, _("The record “%(identifier)s” was deleted: it has no metadata.")
                          % {"identifier": shown(request.get("identifier"))})
    element = etree.Element(document.tag("ListMetadataFormats"))
    metadata_format = document.add(element, "metadataFormat")
    for name, value in (("metadataPrefix", METADATA_PREFIX), ("schema", OAI_DC_SCHEMA),
                        ("metadataNamespace", OAI_DC_NS)):
        document.add(metadata_format, name, value)
    return element


def list_sets(request: OaiRequest, context: Context) -> etree._Element:
    """Networks and topics, each family a set holding its members (the list is short: no resumption)."""
    if RESUMPTION_TOKEN in request.arguments:
        raise OaiError.of(BAD_RESUMPTION_TOKEN, _("The list of sets is sent whole: it has no resumption tokens."))
    sets = oai_sets()
    families = [(NETWORK_SET, _("Networks")), (TOPIC_SET, _("Topics"))]
    element = etree.Element(document.tag("ListSets"))
    for family, family_name in families:
        for spec, name in [(family, family_name), *[s for s in sets if s[0].startswith(family + ":")]]:
            oai_set = document.add(element, "set")
            document.add(oai_set, "setSpec", spec)
            document.add(oai_set, "setName", name)
    return element


def get_record(request: OaiRequest, context: Context) -> etree._Element:
    metadata_prefix_check(request.get("metadataPrefix"))
    resource = _resource(request.get("identifier"))
    (item,) = oai_items([resource], metadata=True)
    element = etree.Element(document.tag("GetRecord"))
    document.add_record(element, item, context.links)
    return element


def _resumption(request: OaiRequest, context: Context) -> tuple[Harvest, Resumption | None]:
    token = request.arguments.get(RESUMPTION_TOKEN)
    if token is None:
        return harvest_from_request(request, now=context.now), None
    resumption = token_loads(token, verb=request.verb)
    return resumption.harvest, resumption


def _list(request: OaiRequest, context: Context, *, metadata: bool) -> etree._Element:
    """A page of headers or records, and the token of the next page (keyset: after the last record sent)."""
    harvest, resumption = _resumption(request, context)
    size = settings.LIBRARY_OAI_PAGE_SIZE
    items = oai_page(harvest=harvest, after=resumption.after if resumption else None, size=size + 1,
                     metadata=metadata)
    if not items:
        raise OaiError.of(NO_RECORDS_MATCH, _("No records match the request."))
    more, items = len(items) > size, items[:size]
    element = etree.Element(document.tag(request.verb))
    for item in items:
        if metadata:
            document.add_record(element, item, context.links)
        else:
            document.add_header(element, item)
    if more or resumption is not None:
        _add_token(element, harvest, resumption, items, more=more, now=context.now)
    return element


def _add_token(element: etree._Element, harvest: Harvest, resumption: Resumption | None, items: list[OaiItem],
               *, more: bool, now: datetime) -> None:
    """The list's size is counted once, on the first page, and carried by every token after it."""
    cursor = resumption.cursor if resumption else 0
    complete_size = resumption.complete_size if resumption else oai_harvest(harvest=harvest).count()
    token = ""
    if more:
        last = items[-1].resource
        token = token_dumps(Resumption(harvest=harvest, after=(last.updated_at, last.pk),
                                       complete_size=complete_size, cursor=cursor + len(items)))
    document.add_resumption_token(element, token=token, complete_size=complete_size, cursor=cursor,
                                  expires=now + token_max_age() if more else None)


def list_identifiers(request: OaiRequest, context: Context) -> etree._Element:
    return _list(request, context, metadata=False)


def list_records(request: OaiRequest, context: Context) -> etree._Element:
    return _list(request, context, metadata=True)


VERB_HANDLERS: dict[str, Callable[[OaiRequest, Context], etree._Element]] = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": list_identifiers,
    "ListRecords": list_records,
}
