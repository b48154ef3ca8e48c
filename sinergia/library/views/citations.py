"""Citations in and out of the library: a file imported (upload → preview → import) and resources exported.

Between the preview and the import the uploaded file waits on the server (sinergia.library.citations.pending), so
that it is never uploaded twice; the import reads it back, checks it again and writes all or nothing.
"""

from collections.abc import Iterable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sinergia.directory.forms import add_service_error
from sinergia.directory.models import Organisation
from sinergia.directory.selectors import organisation_networks, organisations_of
from sinergia.library import selectors
from sinergia.library.citations.exports import EXPORT_FORMATS, ExportFormat, export_resources
from sinergia.library.citations.forms import SKIP_ERRORS, CitationConfirmForm, CitationUploadForm, ExportSelectionForm
from sinergia.library.citations.pending import PendingImport, pending_discard, pending_load, pending_store
from sinergia.library.forms import SearchForm
from sinergia.library.models import Resource
from sinergia.library.search import resource_search_ids
from sinergia.library.services import imports
from sinergia.networks.models import Network

PERM = "library.add_resource"
ROWS_SHOWN = 1000


def _organisations(request: HttpRequest) -> QuerySet[Organisation]:
    """The organisations the user imports for: theirs, or the one named in ?organisation= if allowed (operators)."""
    organisations = organisations_of(user=request.user)
    slug = request.GET.get("organisation", "")
    if slug:
        named = Organisation.objects.filter(slug=slug[:100]).first()
        if named is not None and request.user.has_perm(PERM, named):
            organisations = Organisation.objects.filter(pk=named.pk)
    if not organisations.exists():
        raise PermissionDenied(_("Join an organisation of the directory to import citations into the library."))
    return organisations


def _service_options(organisation: Organisation, options: dict) -> dict:
    """The stored choices as the service takes them (only networks the organisation belongs to)."""
    admitted = organisation_networks(organisation=organisation).values("network_id")
    networks = list(Network.objects.filter(pk__in=options.get("networks") or [], id__in=admitted).order_by("name"))
    return {"format": options.get("format", "auto"), "default_language": options.get("default_language", ""),
            "visibility": options.get("visibility", Resource.Visibility.PUBLIC), "networks": networks}


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload a citations file with the choices for its records; a readable file goes on to its preview."""
    organisations = _organisations(request)
    form = CitationUploadForm(request.POST or None, request.FILES or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        organisation, content = form.cleaned_data["organisation"], form.cleaned_data["file"]
        try:
            imports.citations_preview(organisation=organisation, by=request.user, content=content,
                                      filename=form.filename, **_service_options(organisation, form.options()))
        except ValidationError as error:
            add_service_error(form, error if hasattr(error, "error_dict") else ValidationError({"file": error}))
        else:
            pending_store(request, organisation_id=organisation.pk, content=content, filename=form.filename,
                          options=form.options())
            return redirect("library:import_preview")
    return render(request, "library/import_upload.html", {"form": form})


def _pending(request: HttpRequest) -> tuple[PendingImport, Organisation] | None:
    """This session's uploaded file and its organisation, which the user must still be allowed to import for."""
    pending = pending_load(request)
    if pending is None:
        return None
    organisation = Organisation.objects.filter(pk=pending.organisation_id).first()
    if organisation is None or not request.user.has_perm(PERM, organisation):
        pending_discard(request)
        raise PermissionDenied(_("You are not allowed to import citations for this organisation."))
    return pending, organisation


def _upload_again(request: HttpRequest) -> HttpResponse:
    messages.info(request, _("Choose the file to import: an uploaded file waits one hour for its import."))
    return redirect("library:import_upload")


@login_required
@require_GET
def import_preview(request: HttpRequest) -> HttpResponse:
    """Each record of the uploaded file with what an import would do: add it, skip a duplicate, or why it cannot."""
    found = _pending(request)
    if found is None:
        return _upload_again(request)
    pending, organisation = found
    try:
        preview = imports.citations_preview(organisation=organisation, by=request.user, content=pending.content,
                                            filename=pending.filename,
                                            **_service_options(organisation, pending.options))
    except ValidationError as error:
        pending_discard(request)
        messages.error(request, " ".join(error.messages))
        return redirect("library:import_upload")
    return render(request, "library/import_preview.html", {
        "preview": preview, "organisation": organisation, "filename": pending.filename, "shown": ROWS_SHOWN,
        "rows": preview.rows[:ROWS_SHOWN]})


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    """Import the previewed file: everything, or only its valid records; all or nothing either way."""
    found = _pending(request)
    form = CitationConfirmForm(request.POST)
    if found is None:
        return _upload_again(request)
    if not form.is_valid():
        return redirect("library:import_preview")
    pending, organisation = found
    try:
        result = imports.citations_import(
            organisation=organisation, by=request.user, content=pending.content, filename=pending.filename,
            skip_errors=form.cleaned_data["action"] == SKIP_ERRORS,
            skip_duplicates=not form.cleaned_data["import_duplicates"],
            **_service_options(organisation, pending.options))
    except imports.CitationsRejected:
        messages.error(request, _("Some records cannot be imported, so nothing was imported. Import only the "
                                  "valid ones, or correct the file and upload it again."))
        return redirect("library:import_preview")
    except ValidationError as error:
        pending_discard(request)
        messages.error(request, " ".join(error.messages))
        return redirect("library:import_upload")
    pending_discard(request)
    return render(request, "library/import_result.html", {"result": result, "organisation": organisation,
                                                          "filename": pending.filename})


# --- Exports ---------------------------------------------------------------------------------------------------


def _download(export: ExportFormat, resources: Iterable[Resource], filename: str) -> StreamingHttpResponse:
    """The resources written as they are read, as an attachment named after its content."""
    response = StreamingHttpResponse(export.chunks(resources),
                                     content_type=f"{export.content_type}; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{filename}.{export.extension}")
    return response


def _bad_format() -> HttpResponseBadRequest:
    names = ", ".join(EXPORT_FORMATS)
    return HttpResponseBadRequest(_("Choose the format of the export: %(names)s.") % {"names": names},
                                  content_type="text/plain; charset=utf-8")


@require_GET
def export_resource(request: HttpRequest, pk: int) -> HttpResponseBase:
    """One resource's reference (?format=ris|bibtex|csljson), for whoever may see it."""
    export = EXPORT_FORMATS.get(request.GET.get("format", ""))
    if export is None:
        return _bad_format()
    resource = selectors.resource_get_for(viewer=request.user, pk=pk)
    return _download(export, [resource], slugify(resource.title)[:60] or f"resource-{resource.pk}")


@require_POST
def export_selection(request: HttpRequest) -> HttpResponseBase:
    """The resources selected on a page of results (those the viewer may see), in the order selected."""
    form = ExportSelectionForm(request.POST)
    if not form.is_valid():
        errors = " ".join(str(error) for error in form.non_field_errors())
        messages.error(request, errors or _("Choose the format of the export."))
        return redirect("library:search")
    export = EXPORT_FORMATS[form.cleaned_data["format"]]
    return _download(export, export_resources(viewer=request.user, ids=form.ids), "library-selection")


@require_GET
def export_search(request: HttpRequest) -> HttpResponseBase:
    """Every result of a search (the search page's parameters), in rank order, up to the export limit."""
    from sinergia.library.views.resources import search_filters  # the search page reads its filters there

    export = EXPORT_FORMATS.get(request.GET.get("format", ""))
    if export is None:
        return _bad_format()
    form = SearchForm(request.GET)
    if not form.is_valid():
        form = SearchForm({"q": request.GET.get("q", "")[:200]})
        form.is_valid()
    ids = resource_search_ids(viewer=request.user, query=form.cleaned_data["q"],
                              filters=search_filters(request, form), limit=settings.LIBRARY_EXPORT_MAX_RECORDS)
    return _download(export, export_resources(viewer=request.user, ids=ids), "library-search")


citation_urlpatterns: list[URLPattern] = [
    path("import/", import_upload, name="import_upload"),
    path("import/preview/", import_preview, name="import_preview"),
    path("import/confirm/", import_confirm, name="import_confirm"),
    path("<int:pk>/export/", export_resource, name="export_resource"),
    path("export/", export_selection, name="export_selection"),
    path("export/search/", export_search, name="export_search"),
]
