"""Pages of networks: the list, a network, its map, founding and editing."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from sinergia.core.models import Concept
from sinergia.core.text import render_markdown
from sinergia.directory.selectors import organisations_of
from sinergia.networks import services
from sinergia.networks.forms import NETWORK_FIELDS, NetworkFilterForm, NetworkForm, NetworkFoundForm
from sinergia.networks.models import Network
from sinergia.networks.selectors import (
    memberships_acting_for,
    network_coordinators,
    network_list,
    network_member_geojson,
    network_members,
    network_parents,
)
from sinergia.networks.templatetags.network_tags import member_url
from sinergia.networks.views._helpers import MEMBERS_PER_PAGE, add_service_errors, get_network_or_404, is_htmx


def network_list_view(request: HttpRequest) -> HttpResponse:
    """Listed networks, filtered, with their number of members."""
    form = NetworkFilterForm(request.GET or None, themes=Concept.objects.filter(scheme=Concept.Scheme.THEME))
    networks = network_list(viewer=request.user, filters=form.filters())
    page = Paginator(networks, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "querystring": query.urlencode()}
    if is_htmx(request) and request.headers.get("HX-Target") == "network-results":
        return render(request, "networks/_network_results.html", context)
    return render(request, "networks/network_list.html", context)


def network_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A network: what it is, how it is governed, who coordinates it, its members and their map."""
    network = get_network_or_404(request, slug)
    members = Paginator(network_members(network=network, viewer=request.user), MEMBERS_PER_PAGE)
    page = members.get_page(request.GET.get("page"))
    context = {"network": network, "page": page, "can_manage": request.user.has_perm("networks.change_network",
                                                                                      network)}
    if is_htmx(request) and request.headers.get("HX-Target") == "members":
        return render(request, "networks/_members.html", context)
    context.update(
        coordinators=network_coordinators(network=network),
        parents=network_parents(network=network),
        my_memberships=memberships_acting_for(user=request.user, network=network),
        jsonld=_network_jsonld(request, network, page.object_list),
    )
    return render(request, "networks/network_detail.html", context)


def _network_jsonld(request: HttpRequest, network: Network, members) -> dict:
    """schema.org Organization markup of the network, with the members shown on the page."""
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "Organization", "name": network.name,
        "url": request.build_absolute_uri(reverse("networks:detail", kwargs={"slug": network.slug})),
        "description": _plain_text(network.description or network.objectives)[:1000],
        "member": [_member_jsonld(request, membership) for membership in members],
    }
    if network.founded_by:
        data["founder"] = {"@type": "Organization", "name": network.founded_by.name}
    optional = {"email": network.email, "sameAs": network.website, "areaServed": network.region or network.country}
    data.update({key: value for key, value in optional.items() if value})
    return data


def _plain_text(markdown_text: str) -> str:
    """Markdown as plain text, with nothing a script could hide in."""
    return strip_tags(render_markdown(markdown_text)).strip()


def _member_jsonld(request: HttpRequest, membership) -> dict:
    """One member as a schema.org Organization."""
    return {"@type": "Organization", "name": str(membership.member),
            "url": request.build_absolute_uri(member_url(membership))}


def network_geojson(request: HttpRequest, slug: str) -> JsonResponse:
    """The map of the network's located members, as GeoJSON."""
    network = get_network_or_404(request, slug)
    response = JsonResponse(network_member_geojson(network=network))
    # Revalidated each time: a member just admitted must see itself on the map of the page it reloads.
    response["Cache-Control"] = "no-cache"
    return response


@login_required
def network_create(request: HttpRequest) -> HttpResponse:
    """Found a network on behalf of one of the organisations the user administers."""
    organisations = organisations_of(user=request.user, roles=("admin",))
    form = NetworkFoundForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in NETWORK_FIELDS}
        try:
            network = services.network_found(by=request.user, founder=form.cleaned_data["founder"],
                                              charter_text=form.cleaned_data["charter_text"], **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The network has been founded; your organisation coordinates it."))
            return redirect("networks:detail", slug=network.slug)
    return render(request, "networks/network_form.html",
                  {"form": form, "has_organisations": organisations.exists()})


@login_required
def network_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Edit the network's description, governance and contacts (coordinators and operators)."""
    network = get_network_or_404(request, slug)
    if not request.user.has_perm("networks.change_network", network):
        raise PermissionDenied
    form = NetworkForm(request.POST or None, instance=network)
    if request.method == "POST" and form.is_valid():
        try:
            services.network_update(network=network, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            network.refresh_from_db()
        else:
            messages.success(request, _("The network has been updated."))
            return redirect("networks:detail", slug=network.slug)
    return render(request, "networks/network_form.html", {"form": form, "network": network})
