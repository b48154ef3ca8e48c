"""Pages of the publishers of funding calls: write, publish, withdraw, documents; operators' trusted publishers."""

from typing import Any

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergia.core.rules import is_operator
from sinergia.desk.forms.calls import CallForm, DocumentForm, PublisherForm, WithdrawForm, call_initial
from sinergia.desk.models import CallPublisher, FundingCall
from sinergia.desk.rules.calls import publisher_organisation_ids
from sinergia.desk.selectors import calls as selectors
from sinergia.desk.services import calls as services
from sinergia.directory.forms import add_service_error
from sinergia.directory.models import Organisation


def _publishing_for(user: Any) -> Any:
    """The organisations the user may publish calls for (PermissionDenied when none and not an operator)."""
    if not user.has_perm("desk.publish_calls"):
        raise PermissionDenied(_("Only operators and trusted organisations publish funding calls."))
    return Organisation.objects.filter(pk__in=publisher_organisation_ids(user)).order_by("name")


def _form_context(form: CallForm, call: FundingCall | None = None, **extra: Any) -> dict[str, Any]:
    return {"form": form, "call": call, "regions": selectors.call_region_options(), **extra}


@login_required
def call_create(request: HttpRequest) -> HttpResponse:
    """A new call, saved as a draft to publish once checked."""
    organisations = _publishing_for(request.user)
    initial = {"organisation": organisations.first(), "language": getattr(request, "LANGUAGE_CODE", "")}
    form = CallForm(request.POST or None, organisations=organisations, initial=initial)
    if not is_operator(request.user):
        form.fields["organisation"].required = True
    if request.method == "POST" and form.is_valid():
        try:
            call = services.call_create(by=request.user, data=form.call_data(),
                                        organisation=form.cleaned_data.get("organisation"))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The call is saved as a draft: add its documents, then publish it."))
            return redirect("desk:call_edit", call.pk)
    return render(request, "desk/call_form.html", _form_context(form))


@login_required
def call_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a call and its documents."""
    call = selectors.call_get_for(viewer=request.user, pk=pk, perm="desk.change_fundingcall")
    form = CallForm(request.POST or None, initial=call_initial(call))
    if request.method == "POST" and form.is_valid():
        try:
            services.call_update(call=call, by=request.user, data=form.call_data())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The call is saved."))
            return redirect("desk:call_detail", call.pk)
    return render(request, "desk/call_form.html", _form_context(form, call, document_form=DocumentForm()))


@login_required
@require_POST
def call_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish a draft: everyone sees it."""
    call = selectors.call_get_for(viewer=request.user, pk=pk, perm="desk.publish_fundingcall")
    try:
        services.call_publish(call=call, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("desk:call_edit", call.pk)
    messages.success(request, _("The call is published."))
    return redirect("desk:call_detail", call.pk)


@login_required
def call_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then withdraw a published call; its followers are told."""
    call = selectors.call_get_for(viewer=request.user, pk=pk, perm="desk.withdraw_fundingcall")
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.call_withdraw(call=call, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The call is withdrawn: only your organisation and the operators see it."))
        return redirect("desk:call_detail", call.pk)
    return render(request, "desk/call_withdraw.html", {"call": call, "form": form})


@login_required
def call_document_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach a file or a link to the call."""
    call = selectors.call_get_for(viewer=request.user, pk=pk, perm="desk.change_fundingcall")
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.call_document_add(call=call, by=request.user, title=form.cleaned_data["title"],
                                       upload=form.cleaned_data["file"], url=form.cleaned_data["url"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The document is attached to the call."))
            return redirect("desk:call_edit", call.pk)
    context = _form_context(CallForm(initial=call_initial(call)), call, document_form=form)
    return render(request, "desk/call_form.html", context, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def call_document_remove(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    """Remove a document of the call."""
    call = selectors.call_get_for(viewer=request.user, pk=pk, perm="desk.change_fundingcall")
    document = get_object_or_404(call.documents.all(), pk=document_pk)
    services.call_document_remove(document=document, by=request.user)
    messages.success(request, _("The document is removed."))
    return redirect("desk:call_edit", call.pk)


@staff_member_required
def publishers(request: HttpRequest) -> HttpResponse:
    """Operators' list of the organisations trusted to publish calls, and the form to add one."""
    form = PublisherForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        services.call_publisher_grant(organisation=organisation, by=request.user)
        messages.success(request, _("%(name)s may now publish funding calls.") % {"name": organisation.name})
        return redirect("desk:call_publishers")
    return render(request, "desk/call_publishers.html", {"form": form, "publishers": selectors.publisher_list()})


@staff_member_required
@require_POST
def publisher_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw an organisation's trust to publish calls."""
    publisher = get_object_or_404(CallPublisher.objects.select_related("organisation"), pk=pk)
    services.call_publisher_revoke(organisation=publisher.organisation, by=request.user)
    messages.success(request, _("%(name)s may no longer publish funding calls.") % {
        "name": publisher.organisation.name})
    return redirect("desk:call_publishers")
