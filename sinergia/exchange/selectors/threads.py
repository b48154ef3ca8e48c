"""Reads of message threads: only the two organisations' people (and operators) ever see them."""

from django.db.models import Q, QuerySet
from django.http import Http404

from sinergia.core.rules import is_operator
from sinergia.exchange.models import Listing, Message, Thread
from sinergia.exchange.rules import organisation_ids_of

THREAD_MESSAGES_MAX = 500


def _participant_q(user) -> Q:
    own = organisation_ids_of(user)
    return Q(listing__organisation_id__in=own) | Q(counterpart_id__in=own)


def threads_of_user(*, user) -> QuerySet[Thread]:
    """The threads of every organisation the user belongs to, latest message first."""
    if not (user and user.is_authenticated):
        return Thread.objects.none()
    return (Thread.objects.filter(_participant_q(user))
            .select_related("listing", "listing__organisation", "counterpart")
            .order_by("-last_message_at", "-id"))


def listing_threads(*, listing: Listing, user) -> QuerySet[Thread]:
    """The listing's threads the user takes part in (all of them for its organisation and for operators)."""
    if not (user and user.is_authenticated):
        return Thread.objects.none()
    qs = Thread.objects.filter(listing=listing).select_related("counterpart", "listing__organisation")
    if not is_operator(user):
        qs = qs.filter(_participant_q(user))
    return qs.order_by("-last_message_at", "-id")


def thread_get_for(*, user, pk: int, perm: str = "exchange.view_thread") -> Thread:
    """One thread the user may read (Http404 otherwise: nobody learns that a thread exists)."""
    thread = (Thread.objects.select_related("listing", "listing__organisation", "counterpart")
              .filter(pk=pk).first())
    if thread is None or not (user and user.has_perm(perm, thread)):
        raise Http404
    return thread


def thread_messages(*, thread: Thread) -> QuerySet[Message]:
    """The thread's messages in order (the caller checked who reads), with their author and organisation."""
    return thread.messages.select_related("author", "organisation").order_by("created_at", "id")[
        :THREAD_MESSAGES_MAX]
