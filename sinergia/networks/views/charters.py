"""The charter page: the current text, its history, who signed which version; publishing and signing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergia.networks import services
from sinergia.networks.forms import CharterForm
from sinergia.networks.models import CharterVersion
from sinergia.networks.selectors import (
    membership_get_for,
    memberships_acting_for,
    network_charter_versions,
    network_members,
)
from sinergia.networks.views._helpers import (
    MEMBERS_PER_PAGE,
    add_service_errors,
    get_network_or_404,
    is_htmx,
    next_url,
    run_service,
)


def charter_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The charter (current version, or `?version=N`), its versions, and each member's signed version."""
    network = get_network_or_404(request, slug)
    versions = list(network_charter_versions(network=network))
    shown = _version_shown(versions, request.GET.get("version", ""))
    members = Paginator(network_members(network=network, viewer=request.user), MEMBERS_PER_PAGE)
    page = members.get_page(request.GET.get("page"))
    if is_htmx(request) and request.headers.get("HX-Target") == "members":
        return render(request, "networks/_members.html", {"network": network, "page": page})
    return render(request, "networks/charter_detail.html", {
        "network": network, "versions": versions, "current": versions[0] if versions else None, "shown": shown,
        "page": page,
        "my_memberships": memberships_acting_for(user=request.user, network=network),
        "can_publish": request.user.has_perm("networks.publish_charter", network),
    })


def _version_shown(versions: list[CharterVersion], number: str) -> CharterVersion | None:
    """The version asked for by number, or the current one; 404 for a number that does not exist."""
    if not number:
        return versions[0] if versions else None
    for version in versions:
        if str(version.number) == number:
            return version
    raise Http404


@login_required
def charter_publish(request: HttpRequest, slug: str) -> HttpResponse:
    """Publish a new version of the charter (coordinators and operators)."""
    network = get_network_or_404(request, slug)
    if not request.user.has_perm("networks.publish_charter", network):
        raise PermissionDenied
    current = network_charter_versions(network=network).first()
    form = CharterForm(request.POST or None, initial={"text": current.text if current else ""})
    if request.method == "POST" and form.is_valid():
        try:
            version = services.charter_publish(network=network, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Version %(number)d of the charter is published; members are asked to "
                                        "sign it.") % {"number": version.number})
            return redirect("networks:charter", slug=network.slug)
    return render(request, "networks/charter_form.html", {"form": form, "network": network, "current": current})


@login_required
@require_POST
def charter_sign(request: HttpRequest, pk: int) -> HttpResponse:
    """Sign the charter version shown to the user, on behalf of one member."""
    membership = membership_get_for(user=request.user, pk=pk, action="sign_charter")
    charter = None
    if request.POST.get("charter", "").isdigit():
        charter = CharterVersion.objects.filter(network=membership.network, pk=request.POST["charter"]).first()
    run_service(request, services.charter_sign, _("%(member)s has signed the charter.") % {"member": membership.member},
                membership=membership, by=request.user, charter=charter)
    return redirect(next_url(request, reverse("networks:charter", kwargs={"slug": membership.network.slug})))
