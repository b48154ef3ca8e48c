"""Applying to a network, the coordinators' queue and member management, and leaving."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergia.directory.selectors import organisations_of
from sinergia.networks import services
from sinergia.networks.forms import ApplyForm, ReasonForm, RoleForm
from sinergia.networks.models import Membership, Network
from sinergia.networks.rules import coordinated_network_ids
from sinergia.networks.selectors import membership_get_for, network_members
from sinergia.networks.views._helpers import (
    MEMBERS_PER_PAGE,
    add_service_errors,
    get_network_or_404,
    is_htmx,
    next_url,
    run_service,
)

MANAGED_STATUSES = (Membership.Status.ADMITTED, Membership.Status.SUSPENDED)


@login_required
def membership_apply(request: HttpRequest, slug: str) -> HttpResponse:
    """Apply to join, for one of my organisations or one of the networks I coordinate."""
    network = get_network_or_404(request, slug)
    networks = Network.objects.filter(pk__in=coordinated_network_ids(request.user)).exclude(pk=network.pk)
    form = ApplyForm(request.POST or None, organisations=organisations_of(user=request.user, roles=("admin",)),
                     networks=networks)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_apply(network=network, by=request.user, role=form.cleaned_data["role"],
                                      motivation=form.cleaned_data["motivation"], **form.applicant_kwargs())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your application has been sent; the coordinators will decide."))
            return redirect("networks:detail", slug=network.slug)
    return render(request, "networks/membership_apply.html", {"form": form, "network": network})


def _managed_network(request: HttpRequest, slug: str) -> Network:
    """The network whose memberships the user decides on, or 403."""
    network = get_network_or_404(request, slug)
    if not request.user.has_perm("networks.decide_membership", network):
        raise PermissionDenied
    return network


@login_required
def application_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The coordinators' queue of pending applications, oldest first."""
    network = _managed_network(request, slug)
    applications = network_members(network=network, viewer=request.user, statuses=(Membership.Status.APPLIED,))
    page = Paginator(applications.order_by("applied_at", "pk"), MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "networks/application_list.html",
                  {"network": network, "page": page, "role_choices": Membership.Role.choices})


@login_required
def member_manage(request: HttpRequest, slug: str) -> HttpResponse:
    """Coordinators' view of the members: change roles, suspend, reinstate."""
    network = _managed_network(request, slug)
    members = network_members(network=network, viewer=request.user, statuses=MANAGED_STATUSES)
    page = Paginator(members, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "networks/member_manage.html",
                  {"network": network, "page": page, "role_choices": Membership.Role.choices})


def _act(request: HttpRequest, membership: Membership, service: Callable[..., Any], success: str,
         template: str, fallback: str, **kwargs: Any) -> HttpResponse:
    """Run a decision; htmx gets the row back with the outcome, a plain form a redirect with a message."""
    if not is_htmx(request):
        run_service(request, service, success, membership=membership, by=request.user, **kwargs)
        return redirect(next_url(request, fallback))
    outcome, error = success, ""
    try:
        service(membership=membership, by=request.user, **kwargs)
    except ValidationError as problem:
        outcome, error = "", " ".join(problem.messages)
    network = get_network_or_404(request, membership.network.slug)
    # A coordinator who just gave up coordinating no longer sees non-public rows: show the plain membership.
    row = network_members(network=network, viewer=request.user, statuses=Membership.Status.values).filter(
        pk=membership.pk).first() or membership
    return render(request, template, {"membership": row, "outcome": outcome, "error": error, "network": network,
                                      "role_choices": Membership.Role.choices})


def _queue_url(membership: Membership) -> str:
    return reverse("networks:applications", kwargs={"slug": membership.network.slug})


def _manage_url(membership: Membership) -> str:
    return reverse("networks:manage", kwargs={"slug": membership.network.slug})


@login_required
@require_POST
def membership_admit(request: HttpRequest, pk: int) -> HttpResponse:
    """Admit an application, with the requested role or the one chosen."""
    membership = membership_get_for(user=request.user, pk=pk, action="decide_membership")
    role = request.POST.get("role") or None
    return _act(request, membership, services.membership_admit, _("%(member)s has been admitted.")
                % {"member": membership.member}, "networks/_application.html", _queue_url(membership), role=role)


@login_required
@require_POST
def membership_decline(request: HttpRequest, pk: int) -> HttpResponse:
    """Decline an application with a reason."""
    membership = membership_get_for(user=request.user, pk=pk, action="decide_membership")
    return _act(request, membership, services.membership_decline, _("The application has been declined."),
                "networks/_application.html", _queue_url(membership), reason=_reason(request))


@login_required
@require_POST
def membership_suspend(request: HttpRequest, pk: int) -> HttpResponse:
    """Suspend an admitted member with a reason."""
    membership = membership_get_for(user=request.user, pk=pk, action="suspend_membership")
    return _act(request, membership, services.membership_suspend, _("%(member)s has been suspended.")
                % {"member": membership.member}, "networks/_member_manage_row.html", _manage_url(membership),
                reason=_reason(request))


@login_required
@require_POST
def membership_reinstate(request: HttpRequest, pk: int) -> HttpResponse:
    """Reinstate a suspended member."""
    membership = membership_get_for(user=request.user, pk=pk, action="suspend_membership")
    return _act(request, membership, services.membership_reinstate, _("%(member)s has been reinstated.")
                % {"member": membership.member}, "networks/_member_manage_row.html", _manage_url(membership))


@login_required
@require_POST
def membership_set_role(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an admitted member's role."""
    membership = membership_get_for(user=request.user, pk=pk, action="decide_membership")
    form = RoleForm(request.POST)
    role = form.cleaned_data["role"] if form.is_valid() else request.POST.get("role", "")
    return _act(request, membership, services.membership_set_role, _("The role has been changed."),
                "networks/_member_manage_row.html", _manage_url(membership), role=role)


@login_required
@require_POST
def membership_leave(request: HttpRequest, pk: int) -> HttpResponse:
    """Leave the network (or withdraw the application) on behalf of the member."""
    membership = membership_get_for(user=request.user, pk=pk, action="leave_network")
    run_service(request, services.membership_leave, _("%(member)s has left %(network)s.")
                % {"member": membership.member, "network": membership.network}, membership=membership,
                by=request.user)
    return redirect(next_url(request, reverse("networks:detail", kwargs={"slug": membership.network.slug})))


def _reason(request: HttpRequest) -> str:
    """The posted reason, bounded by the form (the service reports a missing one)."""
    form = ReasonForm(request.POST)
    return form.cleaned_data["reason"] if form.is_valid() else request.POST.get("reason", "")
