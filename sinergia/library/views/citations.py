"""Citations in and out of the library: a file imported (upload → preview → import) and resources exported.

Between the preview and the import the uploaded file waits on the server (sinergia.library.citations.pending), so
that it is never uploaded twice. The confirmed file goes to the task worker (services.import_jobs), which writes all
or nothing; the import's own page follows it and keeps its outcome.
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
from sinergia.directory.selectors import organisations_of
from sinergia.library import selectors
from sinergia.library.citations.exports import EXPORT_FORMATS, ExportFormat, export_resources
from sinergia.library.citations.forms import SKIP_ERRORS, CitationConfirmForm, CitationUploadForm, ExportSelectionForm
from sinergia.library.citations.pending import (
    PendingImport,
    pending_discard,
    pending_load,
    pending_note_errors,
    pending_store,
)
from sinergia.library.forms import SearchForm
from sinergia.library.models import Resource
from sinergia.library.search import resource_search_ids
from sinergia.library.services import import_jobs, imports
from sinergia.library.services.import_jobs import import_options

PERM = "library.add_resource"
ROWS_SHOWN = 1000
ADDED_SHOWN = 200


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


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload a citations file with the choices for its records; a readable file goes on to its preview."""
    organisations = _organisations(request)
    form = CitationUploadForm(request.POST or None, request.FILES or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        organisation, content = form.cleaned_data["organisation"], form.cleaned_data["file"]
        try:
            imports.citations_preview(organisation=organisation, by=request.user, content=content,
                                      filename=form.filename, **import_options(organisation, form.options()))
        except ValidationError as error:
            add_service_error(form, error if hasattr(error, "error_dict") else ValidationError({"file": error}))
        else:
            pending_store(request, organisation_id=organisation.pk, content=content, filename=form.filename,
                          options=form.options())
            return redirect("library:import_preview")
    return render(request, "library/import_upload.html", {
        "form": form, "imports": selectors.citation_imports_recent(user=request.user)})


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
                                            **import_options(organisation, pending.options))
    except ValidationError as error:
        pending_discard(request)
        messages.error(request, " ".join(error.messages))
        return redirect("library:import_upload")
    pending_note_errors(request, len(preview.errors))
    return render(request, "library/import_preview.html", {
        "preview": preview, "organisation": organisation, "filename": pending.filename, "shown": ROWS_SHOWN,
        "rows": preview.rows[:ROWS_SHOWN]})


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    """Hand the previewed file to the task worker: everything, or only its valid records; all or nothing either
    way. Its page then follows the import."""
    found = _pending(request)
    form = CitationConfirmForm(request.POST)
    if found is None:
        return _upload_again(request)
    pending, organisation = found
    if not form.is_valid():
        return redirect("library:import_preview")
    skip_errors = form.cleaned_data["action"] == SKIP_ERRORS
    if pending.errors and not skip_errors:  # known from the preview; the import itself checks again
        messages.error(request, _("Some records cannot be imported, so nothing was imported. Import only the "
                                  "valid ones, or correct the file and upload it again."))
        return redirect("library:import_preview")
    job = import_jobs.citation_import_enqueue(
        organisation=organisation, by=request.user, content=pending.content, filename=pending.filename,
        options=pending.options, skip_errors=skip_errors,
        skip_duplicates=not form.cleaned_data["import_duplicates"])
    pending_discard(request)
    return redirect("library:import_status", pk=job.pk)


@login_required
@require_GET
def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Where an import stands, then what it added and left out."""
    job = selectors.citation_import_get_for(viewer=request.user, pk=pk)
    if request.headers.get("HX-Request"):
        # The page asks every few seconds: it reloads once the import has moved on.
        response = HttpResponse(status=204)
        if job.status != request.GET.get("status") or job.is_stale:
            response["HX-Refresh"] = "true"
        return response
    context = {"job": job, "organisation": job.organisation, "shown": ROWS_SHOWN, "shown_slice": f":{ROWS_SHOWN}",
               "added": selectors.citation_import_added(job=job, viewer=request.user, limit=ADDED_SHOWN),
               "added_shown": ADDED_SHOWN}
    return render(request, "library/import_status.html", context)


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
    path("import/<int:pk>/", import_status, name="import_status"),
    path("<int:pk>/export/", export_resource, name="export_resource"),
    path("export/", export_selection, name="export_selection"),
    path("export/search/", export_search, name="export_search"),
]
