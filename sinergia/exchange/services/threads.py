"""Writes of message threads: a person writes to an offer's or a need's organisation, both sides answer."""

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergia.core.services import audit_record, notify_in_language
from sinergia.directory.models import Organisation, OrganisationMember
from sinergia.exchange.models import Listing, Message, Thread
from sinergia.exchange.rules import organisation_ids_of
from sinergia.exchange.services._data import plain_text
from sinergia.exchange.services.listings import require
from sinergia.exchange.services.people import organisation_people

MESSAGE_MAX = 5000
ALL_ROLES = tuple(OrganisationMember.Role.values)
RATE_WINDOW_SECONDS = 3600


def threads_per_hour() -> int:
    """How many new threads one person may start in an hour (setting EXCHANGE_THREADS_PER_HOUR)."""
    return int(getattr(settings, "EXCHANGE_THREADS_PER_HOUR", 20))


def messages_per_hour() -> int:
    """How many messages one person may send in an hour (setting EXCHANGE_MESSAGES_PER_HOUR)."""
    return int(getattr(settings, "EXCHANGE_MESSAGES_PER_HOUR", 60))


def _spend(user: Any, what: str, limit: int, message: str) -> None:
    """Count one more `what` of the user in this hour's window; a clear error past the limit."""
    window = int(timezone.now().timestamp()) // RATE_WINDOW_SECONDS
    key = f"exchange:rate:{what}:{user.pk}:{window}"
    cache.add(key, 0, timeout=RATE_WINDOW_SECONDS + 60)
    if cache.incr(key) > limit:
        raise ValidationError(message % {"count": limit}, code="rate_limited")


def _body(text: str) -> str:
    return plain_text(text, label=_("message"), limit=MESSAGE_MAX, required=True, multiline=True)


@transaction.atomic
def thread_start(*, listing: Listing, by: Any, organisation: Organisation, body: str) -> Thread:
    """Write to the listing's organisation on behalf of one of your organisations (the thread is reused if any)."""
    if organisation.pk == listing.organisation_id:
        raise ValidationError(_("This is your own organisation's offer or need: you cannot write to yourself."),
                              code="self")
    by = require(by, "exchange.contact_listing", listing)
    if organisation.pk not in organisation_ids_of(by):
        raise PermissionDenied(_("You can only write on behalf of an organisation you belong to."))
    body = _body(body)
    thread = Thread.objects.filter(listing=listing, counterpart=organisation).first()
    if thread is None:
        _spend(by, "threads", threads_per_hour(),
               _("You started %(count)d conversations in the last hour: please wait before starting another."))
        thread = Thread.objects.create(listing=listing, counterpart=organisation, started_by=by)
        audit_record(actor=by, action="exchange.thread_started", target=thread)
    _send(thread, by, organisation, body)
    return thread


def _side_of(thread: Thread, user: Any) -> Organisation:
    """The organisation the user writes for: the counterpart if they belong to it, else the listing's."""
    own = organisation_ids_of(user)
    return thread.counterpart if thread.counterpart_id in own else thread.listing.organisation


@transaction.atomic
def message_send(*, thread: Thread, by: Any, body: str) -> Message:
    """Answer in a thread, on behalf of your side; the other side is notified."""
    by = require(by, "exchange.write_thread", thread)
    return _send(thread, by, _side_of(thread, by), _body(body))


def _send(thread: Thread, by: Any, organisation: Organisation, body: str) -> Message:
    _spend(by, "messages", messages_per_hour(),
           _("You sent %(count)d messages in the last hour: please wait a little before sending more."))
    message = Message.objects.create(thread=thread, author=by, organisation=organisation, body=body)
    Thread.objects.filter(pk=thread.pk).update(last_message_at=message.created_at)
    thread.last_message_at = message.created_at
    _notify_other_side(thread, message)
    return message


def _notify_other_side(thread: Thread, message: Message) -> None:
    listing = thread.listing
    other = thread.counterpart_id if message.organisation_id == listing.organisation_id else listing.organisation_id
    people = [user for user in organisation_people(organisation_id=other, roles=ALL_ROLES)
              if user.pk != message.author_id]
    notify_in_language(
        users=people, kind="exchange.message",
        title=lambda: _("New message from %(organisation)s about “%(title)s”.")
        % {"organisation": message.organisation.name, "title": listing.title[:100]},
        body=lambda: message.body[:500],
        url=lambda: reverse("exchange:thread", args=[thread.pk]),
    )
