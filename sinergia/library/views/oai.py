"""The OAI-PMH endpoint (/oai, outside the language prefix): arguments in, XML out."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from sinergia.library.oai import oai_respond

FORM = "application/x-www-form-urlencoded"


@csrf_exempt  # harvesters POST without a session; the endpoint only reads
@require_http_methods(["GET", "HEAD", "POST"])
def oai_endpoint(request: HttpRequest) -> HttpResponse:
    """Answer a harvester's GET (query string) or POST (form-encoded body) as OAI-PMH 2.0 says."""
    if request.method == "POST":
        pairs = list(request.POST.lists()) if request.content_type == FORM else None
    else:
        pairs = list(request.GET.lists())
    flat = None if pairs is None else [(name, value) for name, values in pairs for value in values]
    xml = oai_respond(pairs=flat, base_url=request.build_absolute_uri(request.path),
                      site_url=request.build_absolute_uri("/"))
    return HttpResponse(xml, content_type="text/xml; charset=utf-8")
