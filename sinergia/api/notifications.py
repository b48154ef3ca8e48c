"""The signed-in user's notifications and notification preferences, and the one-click unsubscribe of e-mails."""

from datetime import datetime
from typing import Annotated, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import Field

from sinergia.api.auth import token_auth
from sinergia.api.errors import ErrorOut, service_error
from sinergia.api.pagination import NumberedPagination
from sinergia.core.models import EmailMode, Notification
from sinergia.core.notifications import KINDS, BadToken, Preferences, kind_info, preferences_of, unsubscribe_read
from sinergia.core.notifications.emails import absolute, kind_label
from sinergia.core.notifications.selectors import notification_list
from sinergia.core.services import notification_preferences_set, notification_unsubscribe, notifications_mark_read

router = Router(tags=["notifications"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 422: ErrorOut}
MODES = EmailMode.values
MAX_IDS = 500
Mode = Annotated[str, Field(pattern=f"^({'|'.join(MODES)})$", json_schema_extra={"enum": MODES})]


class NotificationOut(Schema):
    """One notification of the user."""

    id: int
    kind: str
    group: str = Field(description="The group of the kind: directory, networks, calendar, library, exchange, desk.")
    title: str
    body: str
    url: str = Field(description="Its link, absolute (empty if none).")
    created_at: datetime
    read_at: datetime | None

    @staticmethod
    def resolve_group(obj: Notification) -> str:
        return kind_info(obj.kind).group.value

    @staticmethod
    def resolve_url(obj: Notification) -> str:
        return absolute(obj.url)


class NotificationFilter(Schema):
    unread: bool = Field(False, description="Only the notifications not yet read.")


class ReadIn(Schema):
    ids: list[Annotated[int, Field(ge=1)]] | None = Field(
        None, max_length=MAX_IDS, description="The notifications to mark as read; all of them when omitted.")


class ReadOut(Schema):
    marked: int


class KindPreferenceOut(Schema):
    kind: str
    label: str
    group: str
    group_label: str
    mode: str
    default: str


class PreferencesOut(Schema):
    """The user's e-mail mode for each kind, and whether every e-mail is off (which wins over the modes)."""

    all_off: bool
    kinds: list[KindPreferenceOut]


class PreferencesIn(Schema):
    """The modes to change (kinds not named keep theirs) and, if given, the switch of every e-mail."""

    all_off: bool | None = None
    modes: dict[Annotated[str, Field(max_length=60)], Mode] = Field(default_factory=dict, max_length=len(KINDS))


class UnsubscribedOut(Schema):
    detail: str


def _preferences_out(preferences: Preferences) -> dict[str, Any]:
    kinds = [{"kind": kind.key, "label": str(kind.label), "group": kind.group.value,
              "group_label": str(kind.group.label), "mode": preferences.modes[kind.key], "default": kind.default}
             for kind in KINDS]
    return {"all_off": preferences.all_off, "kinds": kinds}


@router.get("/notifications", response={200: list[NotificationOut], **ERRORS}, auth=token_auth,
            summary="List my notifications")
@paginate(NumberedPagination)
def notification_list_endpoint(request: HttpRequest, filters: Query[NotificationFilter]):
    """The requester's notifications, newest first."""
    return notification_list(viewer=request.user, unread=filters.unread)


@router.post("/notifications/read", response={200: ReadOut, **ERRORS}, auth=token_auth,
             summary="Mark my notifications as read")
def notifications_read_endpoint(request: HttpRequest, payload: ReadIn):
    """Mark the given notifications of the requester (all of them without ids) as read; others' ids are ignored."""
    return {"marked": notifications_mark_read(user=request.user, ids=payload.ids)}


@router.get("/notifications/preferences", response={200: PreferencesOut, **ERRORS}, auth=token_auth,
            summary="My e-mail preferences")
def preferences_get_endpoint(request: HttpRequest):
    """How each kind of notification reaches the requester by e-mail."""
    return _preferences_out(preferences_of(user=request.user))


@router.put("/notifications/preferences", response={200: PreferencesOut, **ERRORS}, auth=token_auth,
            summary="Change my e-mail preferences")
def preferences_set_endpoint(request: HttpRequest, payload: PreferencesIn):
    """Set the modes of the named kinds (immediate, digest, off) and the switch of every e-mail."""
    try:
        preferences = notification_preferences_set(user=request.user, modes=payload.modes, all_off=payload.all_off)
    except ValidationError as error:
        raise HttpError(400, service_error(error)) from error
    return _preferences_out(preferences)


# The one-click unsubscribe of RFC 8058: a mail client POSTs to the List-Unsubscribe address without a session or
# a CSRF token (none of this router's cookies is read: the signed token is the only credential).
ONE_CLICK = "/notifications/unsubscribe/{token}"


# Left out of the OpenAPI schema: it is the address of e-mails' headers, for mail clients rather than API clients.
@router.post(ONE_CLICK, response={200: UnsubscribedOut, 400: ErrorOut}, url_name="notification_unsubscribe_one_click",
             include_in_schema=False)
def one_click_unsubscribe_endpoint(request: HttpRequest, token: Annotated[str, Field(max_length=300)]):
    """Switch off what an e-mail's List-Unsubscribe token names (a kind of notification, or every e-mail)."""
    user, kind = _token_user(token)
    notification_unsubscribe(user=user, kind=kind)
    with translation.override(user.language or None):  # a mail client sends no language: the user's own
        return {"detail": _("Unsubscribed from %(kind)s.") % {"kind": kind_label(kind)}}


@router.get(ONE_CLICK, include_in_schema=False)
def one_click_page_endpoint(request: HttpRequest, token: Annotated[str, Field(max_length=300)]) -> HttpResponse:
    """A mail client that opens the address instead: the confirmation page, in the user's language."""
    user, _kind = _token_user(token)
    with translation.override(user.language):
        return HttpResponseRedirect(reverse("core:notification_unsubscribe", args=[token]))


def _token_user(token: str) -> tuple[Any, str]:
    try:
        user_id, kind = unsubscribe_read(token)
    except BadToken as error:
        raise HttpError(400, _("This unsubscribe link is not valid.")) from error
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise HttpError(400, _("This unsubscribe link is not valid."))
    return user, kind
