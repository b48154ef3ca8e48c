"""Pages of offers and needs: the list with filters, one listing with its matches, the publisher's forms."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from sinergia.directory.forms import add_service_error
from sinergia.directory.models import Organisation
from sinergia.directory.selectors import get_organisation_for, organisations_of
from sinergia.exchange import selectors, services
from sinergia.exchange.forms import ContactForm, FilterForm, ListingForm, listing_initial
from sinergia.exchange.models import Listing
from sinergia.exchange.reasons import explain
from sinergia.exchange.rules import organisation_ids_of

PAGE_SIZE = 20
MATCHES_SHOWN = 20
EDITING_ROLES = ("admin", "editor")


def listing_list(request: HttpRequest) -> HttpResponse:
    """Open offers and needs with filters (live with htmx, and without JavaScript)."""
    form = FilterForm(request.GET)
    listings = selectors.listing_list(viewer=request.user, filters=form.filters())
    page = Paginator(listings, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "querystring": query.urlencode()}
    template = "exchange/_results.html" if request.headers.get("HX-Request") else "exchange/listing_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _contact_organisations(request: HttpRequest, listing: Listing) -> Any:
    if not request.user.has_perm("exchange.contact_listing", listing):
        return Organisation.objects.none()
    return organisations_of(user=request.user).exclude(pk=listing.organisation_id)


def listing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One offer or need: its description, area and terms, the listings that fit it with the reasons, the
    threads the viewer takes part in, and a form to write to its organisation."""
    listing = selectors.listing_get_for(viewer=request.user, pk=pk)
    matches = selectors.listing_matches(listing=listing, viewer=request.user, limit=MATCHES_SHOWN) \
        if listing.is_open else []
    contact_organisations = _contact_organisations(request, listing)
    context = {
        "listing": listing,
        "matches": [(match, explain(match.score)) for match in matches],
        "threads": selectors.listing_threads(listing=listing, user=request.user),
        "can_edit": request.user.has_perm("exchange.change_listing", listing),
        "contact_form": ContactForm(organisations=contact_organisations) if contact_organisations else None,
    }
    return render(request, "exchange/listing_detail.html", context)


def _publishable(request: HttpRequest) -> Any:
    organisations = organisations_of(user=request.user, roles=EDITING_ROLES)
    if not organisations.exists():
        raise PermissionDenied(_("Only editors and administrators of an organisation of the directory publish "
                                 "offers and needs."))
    return organisations


@login_required
def listing_create(request: HttpRequest) -> HttpResponse:
    """A new offer or need, on behalf of one of the publisher's organisations."""
    organisations = _publishable(request)
    first = organisations.first()
    side = request.GET.get("side") if request.GET.get("side") in Listing.Side.values else Listing.Side.NEED
    initial = {"organisation": first, "side": side, "area": Listing.Area.RADIUS, "radius_km": 40,
               "languages": ", ".join(first.languages or []) if first else ""}
    form = ListingForm(request.POST or None, organisations=organisations, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            listing = services.listing_create(organisation=form.cleaned_data["organisation"], by=request.user,
                                              data=form.listing_data())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Published: organisations that fit are told in a few minutes."))
            return redirect("exchange:detail", listing.pk)
    return render(request, "exchange/listing_form.html", {"form": form, "organisations": organisations})


@login_required
def listing_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an offer or a need (its organisation's editors and admins, and operators)."""
    listing = selectors.listing_get_for(viewer=request.user, pk=pk, perm="exchange.change_listing")
    organisations = Organisation.objects.filter(pk=listing.organisation_id)
    form = ListingForm(request.POST or None, organisations=organisations, initial=listing_initial(listing))
    if request.method == "POST" and form.is_valid():
        try:
            services.listing_update(listing=listing, by=request.user, data=form.listing_data())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("exchange:detail", listing.pk)
    context = {"form": form, "listing": listing, "organisations": organisations}
    return render(request, "exchange/listing_form.html", context)


@login_required
def organisation_listings(request: HttpRequest, slug: str) -> HttpResponse:
    """An organisation's offers and needs in every state, for its people."""
    organisation = get_organisation_for(user=request.user, slug=slug)
    if organisation.pk not in organisation_ids_of(request.user) and not request.user.is_staff:
        raise PermissionDenied
    listings = selectors.organisation_listings(organisation=organisation, viewer=request.user)
    page = Paginator(listings, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"organisation": organisation, "page": page,
               "can_publish": request.user.has_perm("exchange.add_listing", organisation)}
    return render(request, "exchange/organisation_listings.html", context)
