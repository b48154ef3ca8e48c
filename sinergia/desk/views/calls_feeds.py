"""Deadlines of funding calls as iCalendar: one call, the list's filters, and a private feed of eligible calls."""

import dataclasses
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from sinergia.calendar.services import feed_token_for
from sinergia.desk.export_calls import calls_ics
from sinergia.desk.forms.calls import CallFilterForm
from sinergia.desk.models import FundingCall
from sinergia.desk.selectors import calls as selectors
from sinergia.desk.views.calls import FEED_SALT

FEED_SIZE = 1000  # the nearest deadlines a feed holds
FEED_HISTORY_DAYS = 30  # a feed keeps the deadlines passed this recently
FEED_MAX_AGE = 15 * 60  # seconds calendar apps and caches may keep a feed
ICS_TYPE = "text/calendar; charset=utf-8"


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=ICS_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _feed_calls(request: HttpRequest, viewer: Any, *, eligible: bool = False) -> list[FundingCall]:
    """The published calls of the query string's filters, with deadlines from a month ago, nearest first."""
    filters = dataclasses.replace(CallFilterForm(request.GET).filters(), state="", eligible=eligible)
    since = timezone.now() - timedelta(days=FEED_HISTORY_DAYS)
    calls = selectors.call_list(viewer=viewer, filters=filters).filter(
        status=FundingCall.Status.PUBLISHED, deadline__gte=since)
    return list(calls[:FEED_SIZE])


@require_safe
def call_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """One call's deadline as an .ics file, for anyone who may see the call."""
    call = selectors.call_get_for(viewer=request.user, pk=pk)
    response = _ics_response(calls_ics([call], name=call.title, base_url=_base_url(request)),
                             f"sinergia-call-{call.pk}.ics")
    public = call.status == FundingCall.Status.PUBLISHED
    patch_cache_control(response, **({"public": True} if public else {"private": True}), max_age=FEED_MAX_AGE)
    return response


@require_safe
def deadlines_ics(request: HttpRequest) -> HttpResponse:
    """The deadlines of the published calls of the list's filters, for calendar apps."""
    calls = _feed_calls(request, AnonymousUser())
    response = _ics_response(calls_ics(calls, name=_("Sinergia · deadlines of funding calls"),
                                       base_url=_base_url(request)), "sinergia-calls.ics")
    patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
    return response


def _feed_owner(token: str) -> Any:
    """The user of a private feed's signed token, while their calendar feed token is unchanged (404 otherwise)."""
    try:
        user_pk, secret = signing.loads(token, salt=FEED_SALT)
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise Http404 from error
    user = get_user_model().objects.filter(pk=user_pk, is_active=True).first()
    if user is None or not constant_time_compare(feed_token_for(user=user).token, str(secret)):
        raise Http404
    return user


@require_safe
def private_deadlines_ics(request: HttpRequest, token: str) -> HttpResponse:
    """The deadlines of the open calls the token owner's organisations may apply to."""
    owner = _feed_owner(token)
    calls = _feed_calls(request, owner, eligible=True)
    response = _ics_response(calls_ics(calls, name=_("Sinergia · calls my organisations may apply to"),
                                       base_url=_base_url(request)), "sinergia-my-calls.ics")
    patch_cache_control(response, private=True, max_age=FEED_MAX_AGE)
    # The URL is a secret: not for search engines, not to be passed on by links.
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
