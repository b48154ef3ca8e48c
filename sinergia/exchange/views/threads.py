"""Message threads kept on listings: writing to a listing's organisation, a thread, the user's conversations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergia.directory.forms import add_service_error
from sinergia.directory.selectors import organisations_of
from sinergia.exchange import selectors, services
from sinergia.exchange.forms import ContactForm, MessageForm

PAGE_SIZE = 20


@login_required
@require_POST
def listing_contact(request: HttpRequest, pk: int) -> HttpResponse:
    """Write to the listing's organisation: a thread between the two organisations, kept on the listing."""
    listing = selectors.listing_get_for(viewer=request.user, pk=pk, perm="exchange.contact_listing")
    organisations = organisations_of(user=request.user).exclude(pk=listing.organisation_id)
    form = ContactForm(request.POST, organisations=organisations)
    if form.is_valid():
        try:
            thread = services.thread_start(listing=listing, by=request.user,
                                           organisation=form.cleaned_data["organisation"],
                                           body=form.cleaned_data["body"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Message sent."))
            return redirect("exchange:thread", thread.pk)
    return render(request, "exchange/contact.html", {"listing": listing, "form": form}, status=400)


@login_required
def thread_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A conversation about a listing, with a form to answer (for the two organisations' people)."""
    thread = selectors.thread_get_for(user=request.user, pk=pk)
    can_write = request.user.has_perm("exchange.write_thread", thread)
    form = MessageForm(request.POST or None)
    if request.method == "POST":
        if not can_write:
            raise Http404
        if form.is_valid():
            try:
                services.message_send(thread=thread, by=request.user, body=form.cleaned_data["body"])
            except ValidationError as error:
                add_service_error(form, error)
            else:
                return redirect("exchange:thread", thread.pk)
    context = {"thread": thread, "listing": thread.listing, "thread_messages": selectors.thread_messages(thread=thread),
               "form": form if can_write else None}
    return render(request, "exchange/thread.html", context)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The conversations of the user's organisations, latest first."""
    page = Paginator(selectors.threads_of_user(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "exchange/inbox.html", {"page": page})
