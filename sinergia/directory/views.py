"""Pages of the directory: list, map, detail, exports, and the forms that call the services."""

import copy
import csv
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergia.directory import selectors, services
from sinergia.directory.forms import (
    ClaimDecisionForm,
    ClaimForm,
    InvitationForm,
    MemberRoleForm,
    OrganisationFilterForm,
    OrganisationForm,
    OrganisationImportForm,
    add_service_error,
)
from sinergia.directory.importers import ImportResult, import_organisations
from sinergia.directory.models import Claim, Organisation, OrganisationMember
from sinergia.directory.rules import is_org_member

RESULTS_TARGET = "directory-results"


def organisation_list(request: HttpRequest) -> HttpResponse:
    """The directory with its filters; an htmx request for the results gets only the results."""
    form = OrganisationFilterForm(request.GET)
    rows = selectors.organisation_cards(viewer=request.user, filters=form.filters())
    page = Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "querystring": form.querystring()}
    if _wants_results_only(request):
        response = render(request, "directory/_results.html", context)
    else:
        response = render(request, "directory/organisation_list.html",
                          {**context, "facets": selectors.organisation_facets()})
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


def organisation_map(request: HttpRequest) -> HttpResponse:
    """The directory on a map with clustered markers, for the same filters as the list."""
    form = OrganisationFilterForm(request.GET)
    context = {"form": form, "facets": selectors.organisation_facets(), "querystring": form.querystring()}
    return render(request, "directory/organisation_map.html", context)


def organisation_geojson(request: HttpRequest) -> JsonResponse:
    """The map's data: a GeoJSON FeatureCollection of the filtered organisations."""
    organisations = _filtered(request)
    return JsonResponse(selectors.organisation_geojson(queryset=organisations), content_type="application/geo+json")


class _Echo:
    """A file-like object whose write() hands the line back, for csv.writer in a streamed response."""

    def write(self, value: str) -> str:
        return value


def organisation_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The filtered directory as open data: streamed CSV (default) or a GeoJSON download."""
    export_format = request.GET.get("format", "csv")
    if export_format not in ("csv", "geojson"):
        return HttpResponseBadRequest(_("Unknown export format: choose csv or geojson."), content_type="text/plain")
    organisations = _filtered(request)
    base_url = request.build_absolute_uri("/").rstrip("/")
    if export_format == "geojson":
        data = selectors.organisation_geojson(queryset=organisations, base_url=base_url, full=True)
        response: HttpResponse | StreamingHttpResponse = JsonResponse(data, content_type="application/geo+json")
    else:
        writer = csv.writer(_Echo())
        rows = selectors.organisation_export_rows(queryset=organisations, base_url=base_url)
        response = StreamingHttpResponse((writer.writerow(row) for row in rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sinergia-organisations.{export_format}"'
    return response


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """An organisation's page: profile, map, networks, people (for its members) and schema.org data."""
    organisation = selectors.get_organisation_for(user=request.user, slug=slug)
    user = request.user
    logo_url = request.build_absolute_uri(organisation.logo.url) if organisation.logo else ""
    context = {
        "organisation": organisation,
        "networks": selectors.organisation_networks(organisation=organisation),
        "people": selectors.organisation_people(organisation=organisation, viewer=user),
        "jsonld": selectors.organisation_jsonld(organisation=organisation, logo_url=logo_url,
                                                url=request.build_absolute_uri(request.path)),
        "can_edit": user.has_perm("directory.change_organisation", organisation),
        "can_see_people": user.has_perm("directory.view_people", organisation),
        "can_claim": not user.is_authenticated or (
            user.has_perm("directory.claim_organisation", organisation) and not is_org_member(user, organisation)),
        "pending_claim": selectors.claim_pending_for(organisation=organisation, user=user),
    }
    return render(request, "directory/organisation_detail.html", context)


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    """Add an organisation; its creator becomes its administrator."""
    form = OrganisationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(by=request.user, **form.service_fields())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("%(name)s is now in the directory.") % {"name": organisation.name})
            return redirect("directory:detail", slug=organisation.slug)
    return render(request, "directory/organisation_form.html", {"form": form})


@login_required
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Change an organisation's profile and logo."""
    organisation = selectors.get_organisation_for(user=request.user, slug=slug, perm="directory.change_organisation")
    # The form works on a copy: a rejected change must not show up on the rest of the page.
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=copy.copy(organisation))
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(organisation=organisation, by=request.user, **form.service_fields())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The profile has been saved."))
            return redirect("directory:detail", slug=organisation.slug)
    return render(request, "directory/organisation_form.html", {"form": form, "organisation": organisation})


@login_required
def organisation_claim(request: HttpRequest, slug: str) -> HttpResponse:
    """Ask the operators to manage an organisation already listed."""
    organisation = selectors.get_organisation_for(user=request.user, slug=slug, perm="directory.claim_organisation")
    pending = selectors.claim_pending_for(organisation=organisation, user=request.user)
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.claim_submit(organisation=organisation, by=request.user, message=form.cleaned_data["message"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Thank you: an operator will verify your claim and let you know."))
            return redirect("directory:detail", slug=organisation.slug)
    return render(request, "directory/claim_form.html",
                  {"form": form, "organisation": organisation, "pending_claim": pending})


@login_required
@require_POST
def claim_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """An operator approves or rejects a claim, from the moderation page."""
    if not request.user.has_perm("directory.decide_claim"):
        raise Http404
    claim = get_object_or_404(Claim.objects.select_related("organisation", "user"), pk=pk)
    form = ClaimDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or reject the claim."))
        return redirect("core:moderation")
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services.claim_decide(claim=claim, by=request.user, approve=approve, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The claim of %(user)s on %(organisation)s was %(decision)s.") % {
            "user": claim.user, "organisation": claim.organisation,
            "decision": _("approved") if approve else _("rejected")})
    return redirect("core:moderation")


@login_required
def organisation_people(request: HttpRequest, slug: str) -> HttpResponse:
    """The people of an organisation, their roles and the pending invitations."""
    organisation = selectors.get_organisation_for(user=request.user, slug=slug, perm="directory.view_people")
    can_manage = request.user.has_perm("directory.manage_people", organisation)
    context = {
        "organisation": organisation,
        "people": selectors.organisation_people(organisation=organisation, viewer=request.user),
        "invitations": selectors.organisation_invitations(organisation=organisation) if can_manage else [],
        "can_manage": can_manage,
        "roles": OrganisationMember.Role.choices,
    }
    return render(request, "directory/people.html", context)


@login_required
def invitation_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Invite a colleague by e-mail with a role."""
    organisation = selectors.get_organisation_for(user=request.user, slug=slug, perm="directory.invite_people")
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(organisation=organisation, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("An invitation has been sent to %(email)s.") % {"email": invitation.email})
            return redirect("directory:people", slug=organisation.slug)
    return render(request, "directory/invitation_form.html", {"form": form, "organisation": organisation})


@login_required
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Show an invitation and, on POST, join the organisation; a problem is explained on the page."""
    invitation = selectors.invitation_get(token=token)
    problem = ""
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, by=request.user)
        except ValidationError as error:
            problem = " ".join(error.messages)
        else:
            messages.success(request, _("Welcome to %(name)s.") % {"name": invitation.organisation.name})
            return redirect("directory:detail", slug=invitation.organisation.slug)
    else:
        problem = services.invitation_problem(invitation=invitation, by=request.user)
    status = 400 if problem and request.method == "POST" else 200
    return render(request, "directory/invitation_accept.html",
                  {"invitation": invitation, "problem": problem}, status=status)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Withdraw an invitation not yet accepted."""
    organisation = selectors.get_organisation_for(user=request.user, slug=slug, perm="directory.manage_people")
    invitation = get_object_or_404(organisation.invitations, pk=pk)
    try:
        services.invitation_revoke(invitation=invitation, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email})
    return redirect("directory:people", slug=organisation.slug)


@login_required
@require_POST
def member_role(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Give a person of the organisation another role."""
    member = selectors.member_get_for(user=request.user, slug=slug, pk=pk)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role: administrator, editor or member."))
        return redirect("directory:people", slug=slug)
    try:
        services.member_set_role(member=member, by=request.user, role=form.cleaned_data["role"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        role = OrganisationMember.Role(form.cleaned_data["role"]).label
        messages.success(request, _("%(user)s is now: %(role)s.") % {"user": member.user, "role": role})
    return redirect("directory:people", slug=slug)


@login_required
@require_POST
def member_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Remove a person from the organisation, or leave it."""
    member = selectors.member_get_for(user=request.user, slug=slug, pk=pk)
    leaving = member.user_id == request.user.pk
    try:
        services.member_remove(member=member, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("directory:people", slug=slug)
    if leaving:
        messages.success(request, _("You have left %(name)s.") % {"name": member.organisation.name})
        return redirect("directory:detail", slug=slug)
    messages.success(request, _("%(user)s was removed.") % {"user": member.user})
    return redirect("directory:people", slug=slug)


def _wants_results_only(request: HttpRequest) -> bool:
    """True for htmx's requests that swap the results (not for history restores)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-Target") == RESULTS_TARGET
        and not request.headers.get("HX-History-Restore-Request")
    )


def _filtered(request: HttpRequest) -> QuerySet[Organisation]:
    """The organisations matching the request's filters."""
    return selectors.organisation_list(viewer=request.user, filters=OrganisationFilterForm(request.GET).filters())


IMPORT_ISSUES_SHOWN = 200


def organisation_import(request: HttpRequest) -> HttpResponse:
    """Operators upload an open-data file: checked first, then applied whole or not at all."""
    if not request.user.has_perm("directory.import_organisations"):
        raise Http404
    form = OrganisationImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = _import_upload(form, by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
    context = {"form": form, "result": result, "shown": IMPORT_ISSUES_SHOWN}
    return render(request, "directory/organisation_import.html", context)


def _import_upload(form: OrganisationImportForm, *, by) -> ImportResult:
    """Run the import service on the uploaded file, kept in a temporary file for the duration."""
    upload = form.cleaned_data["file"]
    suffix = Path(upload.name).suffix.lower()[:10]
    with tempfile.NamedTemporaryFile(suffix=suffix) as stored:
        for chunk in upload.chunks():
            stored.write(chunk)
        stored.flush()
        return import_organisations(
            location=Path(stored.name), format=form.cleaned_data["format"] or None,
            source=form.cleaned_data["source"] or Path(upload.name).stem, dry_run=not form.cleaned_data["apply"],
            by=by,
        )
