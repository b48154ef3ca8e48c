"""What a listing's publisher does to it: renew, close, close as fulfilled (recording the partnership)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sinergia.directory.forms import add_service_error
from sinergia.directory.models import Organisation
from sinergia.directory.selectors import organisation_find
from sinergia.exchange import selectors, services
from sinergia.exchange.forms import FulfilForm, RenewForm
from sinergia.exchange.models import Listing


def _listing_to_manage(request: HttpRequest, pk: int) -> Listing:
    return selectors.listing_get_for(viewer=request.user, pk=pk, perm="exchange.change_listing")


@login_required
def listing_renew(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the listing again until a new date."""
    listing = _listing_to_manage(request, pk)
    form = RenewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.listing_renew(listing=listing, by=request.user, expires_on=form.cleaned_data["expires_on"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Renewed: open until %(date)s.") % {"date": listing.expires_on})
            return redirect("exchange:detail", listing.pk)
    return render(request, "exchange/listing_renew.html", {"listing": listing, "form": form})


@login_required
def listing_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then withdraw the listing without a partnership."""
    listing = _listing_to_manage(request, pk)
    error = ""
    if request.method == "POST":
        try:
            services.listing_close(listing=listing, by=request.user)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(request, _("Closed."))
            return redirect("exchange:detail", listing.pk)
    return render(request, "exchange/listing_close.html", {"listing": listing, "error": error})


def _partners(listing: Listing) -> QuerySet[Organisation]:
    return Organisation.objects.filter(exchange_threads__listing=listing).distinct().order_by("name")


def _partner_of(request: HttpRequest, form: FulfilForm) -> Organisation:
    if form.cleaned_data["partner"] is not None:
        return form.cleaned_data["partner"]
    try:
        return organisation_find(form.cleaned_data["other"], viewer=request.user)
    except ValidationError as error:
        raise ValidationError({"other": error.messages}) from error


@login_required
def listing_fulfil(request: HttpRequest, pk: int) -> HttpResponse:
    """Close the listing as fulfilled with a partner (one that wrote, or any organisation of the directory)."""
    listing = _listing_to_manage(request, pk)
    partners = _partners(listing)
    form = FulfilForm(request.POST or None, partners=partners, initial={"partner": partners.first()})
    if request.method == "POST" and form.is_valid():
        try:
            partner = _partner_of(request, form)
            services.listing_fulfil(listing=listing, by=request.user, partner=partner, on=form.cleaned_data["on"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Fulfilled: the partnership with %(partner)s is recorded.")
                             % {"partner": partner.name})
            return redirect("exchange:detail", listing.pk)
    context: dict[str, Any] = {"listing": listing, "form": form}
    return render(request, "exchange/listing_fulfil.html", context)
