"""OAI-PMH 2.0 data provider of the library (metadata format oai_dc), served at /oai.

`oai_respond` reads a request's arguments and returns the XML of the response; the view only passes them in.
Modules: protocol (arguments, dates, sets, identifiers), errors, harvest and tokens (list requests and their
resumption), selectors (what harvesters may see), dc (Dublin Core), document (the XML), verbs (the six verbs).

- Records: approved public resources, and the tombstones (status="deleted", deletedRecord=persistent) of deleted
  resources that were approved and public. Datestamp: the resource's updated_at in UTC, to the second.
- Identifiers: oai:<repository>:<uuid>. <repository> is LIBRARY_OAI_REPOSITORY_IDENTIFIER, else the host of
  SITE_URL, else the first host of ALLOWED_HOSTS; it must not change once harvesters have the identifiers.
- Sets: "network" and "network:<slug>" (listed networks), "topic" and "topic:<notation>" (thesaurus topics).
- Lists: LIBRARY_OAI_PAGE_SIZE records a page. A resumption token is signed (django.core.signing) and expires after
  LIBRARY_OAI_TOKEN_MAX_AGE_SECONDS (24 hours); it carries the harvest, the moment it began, the (updated_at, id) of
  the last record sent, the list's size (counted once, on the first page) and the cursor.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from sinergia.library.oai import document
from sinergia.library.oai.dc import PageLinks
from sinergia.library.oai.errors import BAD_ARGUMENT, OaiError
from sinergia.library.oai.protocol import echoed_arguments, request_parse
from sinergia.library.oai.verbs import VERB_HANDLERS, Context


def oai_respond(*, pairs: list[tuple[str, str]] | None, base_url: str, site_url: str) -> bytes:
    """The UTF-8 XML answering the request's (name, value) pairs (None: the body could not be read as a form)."""
    context = Context(base_url=base_url, links=PageLinks(site_url), now=timezone.now())
    try:
        if pairs is None:
            raise OaiError.of(BAD_ARGUMENT, _("Send the arguments in the query string (GET) or as "
                                              "application/x-www-form-urlencoded (POST)."))
        request = request_parse(pairs)
        answer = VERB_HANDLERS[request.verb](request, context)
    except OaiError as error:
        arguments = {} if error.hides_arguments or pairs is None else echoed_arguments(pairs)
        root = document.response(base_url=base_url, now=context.now, arguments=arguments)
        document.add_errors(root, error.problems)
        return document.serialise(root)
    root = document.response(base_url=base_url, now=context.now, arguments=echoed_arguments(pairs))
    root.append(answer)
    return document.serialise(root)
