"""The thesaurus for operators: browse the concepts, download SKOS or CSV (public), import a file after a preview."""

import base64
import hashlib
import zlib
from collections.abc import Callable
from pathlib import PurePath

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sinergia.core.models import Concept
from sinergia.core.thesaurus import (
    THESAURUS_MAX_BYTES,
    concept_tree,
    default_base_iri,
    scheme_counts,
    scheme_labels,
    site_languages,
    thesaurus_csv,
    thesaurus_import,
    thesaurus_import_preview,
    thesaurus_rdfxml,
    thesaurus_skos,
)

SESSION_KEY = "thesaurus_import"
# The file waits in the session between the preview and the confirmation, compressed and bounded.
SESSION_MAX_BYTES = 2 * 1024 * 1024
LISTED_CHANGES = 200
SUFFIX_FORMATS = {".ttl": "turtle", ".turtle": "turtle", ".rdf": "rdfxml", ".xml": "rdfxml", ".owl": "rdfxml",
                  ".csv": "csv"}
DOWNLOADS: dict[str, tuple[str, str, Callable[[], str]]] = {
    "turtle": ("text/turtle; charset=utf-8", "ttl", lambda: thesaurus_skos(base_iri=default_base_iri())),
    "rdfxml": ("application/rdf+xml; charset=utf-8", "rdf", lambda: thesaurus_rdfxml(base_iri=default_base_iri())),
    "csv": ("text/csv; charset=utf-8", "csv", thesaurus_csv),
}


class ThesaurusImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File"), help_text=gettext_lazy(
        "SKOS in Turtle (.ttl) or RDF/XML (.rdf), or CSV with the columns of the CSV download; at most 5 MB."))
    format = forms.ChoiceField(label=gettext_lazy("Format"), required=False, choices=[
        ("", gettext_lazy("Guess from the file name")), ("turtle", "SKOS Turtle"), ("rdfxml", "SKOS RDF/XML"),
        ("csv", "CSV")])
    default_scheme = forms.ChoiceField(
        label=gettext_lazy("Scheme of SKOS concepts whose scheme is not one of ours"), required=False,
        choices=[("", gettext_lazy("None: report them as errors")), *Concept.Scheme.choices])

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        upload = cleaned.get("file")
        if upload is None:
            return cleaned
        if upload.size > THESAURUS_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        cleaned["format"] = cleaned.get("format") or SUFFIX_FORMATS.get(PurePath(upload.name).suffix.lower(), "")
        if not cleaned["format"]:
            raise forms.ValidationError(_("Cannot tell the format from the file name: choose it in the list."))
        cleaned["content"] = upload.read(THESAURUS_MAX_BYTES + 1)
        return cleaned


def _require_manager(request: HttpRequest) -> None:
    if not request.user.has_perm("core.manage_thesaurus"):
        raise PermissionDenied


@login_required
@require_GET
def thesaurus_browse(request: HttpRequest) -> HttpResponse:
    """The concepts of one scheme, in hierarchy order, with their labels in every site language."""
    _require_manager(request)
    scheme = request.GET.get("scheme", Concept.Scheme.TOPIC)
    if scheme not in Concept.Scheme.values:
        raise Http404
    counts = scheme_counts()
    return render(request, "core/thesaurus_browse.html", {
        "scheme": scheme, "schemes": [(value, _scheme_name(value), counts[value]) for value in Concept.Scheme.values],
        "rows": _rows(concept_tree(scheme=scheme)), "languages": site_languages(),
    })


def _scheme_name(scheme: str) -> str:
    """The scheme's plural name in the active language, as the shipped vocabulary gives it."""
    return scheme_labels(scheme).get((get_language() or "")[:2]) or str(Concept.Scheme(scheme).label)


def _rows(tree: list[tuple[Concept, int]]) -> list[dict]:
    """One table row per concept: its depth and, per site language, its label and alternative labels."""
    languages = site_languages()
    return [{"concept": concept, "depth": depth, "indent": min(depth * 2, 5), "cells": [
        (code, concept.labels.get(code, ""), concept.alt_labels.get(code, [])) for code in languages]}
        for concept, depth in tree]


@require_GET
def thesaurus_download(request: HttpRequest, format: str) -> HttpResponse:
    """The whole thesaurus as SKOS Turtle, SKOS RDF/XML or CSV; public, for people and other platforms."""
    if format not in DOWNLOADS:
        raise Http404
    content_type, suffix, build = DOWNLOADS[format]
    response = HttpResponse(build(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="sinergia-thesaurus.{suffix}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@login_required
def thesaurus_import_check(request: HttpRequest) -> HttpResponse:
    """Upload a file: its preview (what would be created, updated, refused), then a button to confirm."""
    _require_manager(request)
    form = ThesaurusImportForm(request.POST or None, request.FILES or None)
    context: dict = {"form": form, "listed": LISTED_CHANGES}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = thesaurus_import_preview(content=data["content"], format=data["format"],
                                          default_scheme=data["default_scheme"])
        context.update(result=result, file_name=data["file"].name)
        if not result.errors and (result.created or result.updated):
            context["digest"] = _keep_upload(request, data)
            if context["digest"] is None:
                form.add_error("file", _("The file is too large to keep until you confirm: import it with the "
                                         "thesaurus_import management command."))
    return render(request, "core/thesaurus_import.html", context)


@login_required
@require_POST
def thesaurus_import_confirm(request: HttpRequest) -> HttpResponse:
    """Import the previewed file kept in the session, all or nothing."""
    _require_manager(request)
    kept = request.session.get(SESSION_KEY)
    if not kept or kept.get("digest") != request.POST.get("digest"):
        messages.error(request, _("This preview is no longer available: upload the file again."))
        return redirect("core:thesaurus_import")
    content = zlib.decompress(base64.b64decode(kept["content"]))
    result = thesaurus_import(content=content, format=kept["format"], default_scheme=kept["default_scheme"],
                              by=request.user)
    if result.errors:
        form = ThesaurusImportForm()
        return render(request, "core/thesaurus_import.html", {
            "form": form, "result": result, "file_name": kept["name"], "listed": LISTED_CHANGES})
    del request.session[SESSION_KEY]
    messages.success(request, _("Thesaurus imported: %(created)s created, %(updated)s updated, %(unchanged)s "
                                "unchanged.") % {"created": result.created, "updated": result.updated,
                                                 "unchanged": result.unchanged})
    return redirect("core:thesaurus")


def _keep_upload(request: HttpRequest, data: dict) -> str | None:
    """Keep the checked file in the session until it is confirmed; its digest, or None if it is too large."""
    packed = base64.b64encode(zlib.compress(data["content"])).decode("ascii")
    if len(packed) > SESSION_MAX_BYTES:
        request.session.pop(SESSION_KEY, None)
        return None
    digest = hashlib.sha256(data["content"]).hexdigest()
    request.session[SESSION_KEY] = {"content": packed, "format": data["format"], "digest": digest,
                                    "default_scheme": data["default_scheme"], "name": data["file"].name[:200]}
    return digest
