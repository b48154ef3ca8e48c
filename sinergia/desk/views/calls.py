"""Pages of funding calls for everyone: the list, a call, following it, and the deadlines as iCalendar."""

from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from sinergia.calendar.services import feed_token_for
from sinergia.core.countries import country_name
from sinergia.desk.forms.calls import CallFilterForm
from sinergia.desk.models import FundingCall
from sinergia.desk.selectors import calls as selectors
from sinergia.desk.services import calls as services
from sinergia.desk.services.calls_files import CONTENT_TYPES, document_download_name
from sinergia.directory.models import Organisation

PAGE_SIZE = 20
FEED_SALT = "desk.calls.deadlines"


def feed_links(request: HttpRequest, querystring: str = "", *, path: str = "") -> dict[str, str]:
    """The deadlines feed's addresses for these filters: https for downloads, webcal for calendar apps."""
    path = path or reverse("desk:call_deadlines_ics")
    ics = request.build_absolute_uri(f"{path}?{querystring}" if querystring else path)
    return {"ics": ics, "webcal": "webcal://" + ics.split("://", 1)[1]}


def private_feed_path(user: Any) -> str:
    """The secret path of the user's feed of calls their organisations may apply to (reset with the calendar's)."""
    signed = signing.dumps([user.pk, feed_token_for(user=user).token], salt=FEED_SALT)
    return reverse("desk:call_private_ics", kwargs={"token": signed})


@require_safe
def call_list(request: HttpRequest) -> HttpResponse:
    """Calls with filters, by deadline (live with htmx, and without JavaScript)."""
    form = CallFilterForm(request.GET)
    calls = selectors.call_list(viewer=request.user, filters=form.filters())
    page = Paginator(calls, PAGE_SIZE).get_page(request.GET.get("page"))
    querystring = form.querystring()
    context = {"form": form, "page": page, "querystring": querystring, "feeds": feed_links(request, querystring),
               "followed": selectors.followed_call_ids(user=request.user, calls=page.object_list),
               "regions": selectors.call_region_options(), "now": timezone.now()}
    if request.user.is_authenticated:
        context["private_feeds"] = feed_links(request, path=private_feed_path(request.user))
    template = "desk/_call_results.html" if request.headers.get("HX-Request") else "desk/call_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _zones(call: FundingCall) -> dict[str, Any]:
    """The deadline in the call's zone and, when it differs, in the site's."""
    own = timezone.localtime(call.deadline, ZoneInfo(call.time_zone))
    site = timezone.localtime(call.deadline)
    return {"deadline_local": own, "deadline_site": site if site.utcoffset() != own.utcoffset() else None,
            "site_zone": timezone.get_current_timezone_name()}


@require_safe
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One call: summary, eligibility for the viewer's organisations, amounts, documents, questions about it."""
    call = selectors.call_get_for(viewer=request.user, pk=pk)
    user = request.user
    context = {
        "call": call, **_zones(call), "is_open": call.deadline > timezone.now(),
        "eligibility": selectors.call_eligibility(call=call, organisations=selectors.viewer_organisations(
            viewer=user)),
        "following": bool(selectors.followed_call_ids(user=user, calls=[call])),
        "questions": selectors.call_questions(call=call, viewer=user),
        "can_edit": user.has_perm("desk.change_fundingcall", call),
        "can_withdraw": user.has_perm("desk.withdraw_fundingcall", call),
        "feeds": feed_links(request, path=reverse("desk:call_ics", args=[call.pk])),
        "eligible_kind_labels": [Organisation.Kind(kind).label for kind in call.eligible_kinds
                                 if kind in Organisation.Kind.values],
        "eligible_country_names": [f"{country_name(code)} ({code})" for code in call.eligible_countries],
        "ask_url": _ask_url(call) if call.status == FundingCall.Status.PUBLISHED else "",
    }
    return render(request, "desk/call_detail.html", context)


def _ask_url(call: FundingCall) -> str:
    """The desk's question form about this call ("" while the desk has no such page)."""
    for name in ("desk:question_ask", "desk:question_create"):
        try:
            return f"{reverse(name)}?call={call.pk}"
        except NoReverseMatch:
            continue
    return ""


@login_required
@require_POST
def call_follow(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow or stop following a call (htmx swaps the button; without JavaScript, back to the call)."""
    call = selectors.call_get_for(viewer=request.user, pk=pk)
    follow = request.POST.get("follow") != "0"
    if follow and not request.user.has_perm("desk.follow_fundingcall", call):
        raise PermissionDenied(_("Only published calls can be followed."))
    if follow:
        services.call_follow(call=call, user=request.user)
    else:
        services.call_unfollow(call=call, user=request.user)
    if request.headers.get("HX-Request"):
        return render(request, "desk/_call_follow.html", {"call": call, "following": follow})
    return redirect(request.POST.get("next", "") if _safe_next(request) else reverse("desk:call_detail", args=[pk]))


def _safe_next(request: HttpRequest) -> bool:
    return url_has_allowed_host_and_scheme(request.POST.get("next"), allowed_hosts={request.get_host()},
                                           require_https=request.is_secure())


@login_required
@require_safe
def call_followed(request: HttpRequest) -> HttpResponse:
    """The calls the user follows, by deadline."""
    page = Paginator(selectors.followed_calls(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "followed": {call.pk for call in page.object_list}, "now": timezone.now()}
    return render(request, "desk/call_followed.html", context)


@require_safe
def call_document(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    """A document's file, to whoever may see the call."""
    call = selectors.call_get_for(viewer=request.user, pk=pk)
    document = next((d for d in call.documents.all() if d.pk == document_pk and d.file), None)
    if document is None:
        raise Http404
    extension = (document.file.name or "").rsplit(".", 1)[-1]
    response = FileResponse(document.file.open("rb"), as_attachment=True,
                            filename=document_download_name(document),
                            content_type=CONTENT_TYPES.get(extension, "application/octet-stream"))
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response
