"""Who may see, publish and change offers and needs, and who reads their message threads."""

import rules
from django.db.models import Q

from sinergia.core.rules import is_operator, operators_manage_models
from sinergia.directory.models import OrganisationMember
from sinergia.directory.rules import can_edit_organisation, is_org_member
from sinergia.exchange.models import Listing, Thread
from sinergia.networks.rules import member_network_ids
from sinergia.networks.selectors import admitted_member_organisations


def organisation_ids_of(user) -> frozenset[int]:
    """Ids of the organisations the user belongs to (any role), cached on the user object for the request."""
    if not (user and user.is_authenticated):
        return frozenset()
    cached = user.__dict__.get("_exchange_organisations")
    if cached is None:
        cached = frozenset(OrganisationMember.objects.filter(user=user).values_list("organisation_id", flat=True))
        user.__dict__["_exchange_organisations"] = cached
    return cached


def visible_listings_q(viewer, *, prefix: str = "") -> Q:
    """The listings the viewer may see: public ones, networks-only ones of organisations in the viewer's networks,
    every listing of the viewer's organisations; all for operators."""
    if viewer is not None and viewer.is_authenticated and is_operator(viewer):
        return Q()
    visible = Q(**{f"{prefix}visibility": Listing.Visibility.PUBLIC})
    if viewer is None or not viewer.is_authenticated:
        return visible
    networks = member_network_ids(viewer)
    if networks:
        in_networks = admitted_member_organisations(network_ids=networks)
        visible |= Q(**{f"{prefix}visibility": Listing.Visibility.NETWORKS,
                        f"{prefix}organisation_id__in": in_networks})
    own = organisation_ids_of(viewer)
    if own:
        visible |= Q(**{f"{prefix}organisation_id__in": own})
    return visible


def _shares_network(user, listing: Listing) -> bool:
    networks = member_network_ids(user)
    return bool(networks) and admitted_member_organisations(network_ids=networks).filter(
        organisation_id=listing.organisation_id).exists()


@rules.predicate
def can_view_listing(user, listing) -> bool:
    """The rule of `visible_listings_q`, for one listing in memory."""
    if not isinstance(listing, Listing):
        return False
    if listing.visibility == Listing.Visibility.PUBLIC or is_operator(user):
        return True
    return bool(is_org_member(user, listing.organisation)) or _shares_network(user, listing)


@rules.predicate
def can_edit_listing(user, listing) -> bool:
    """Editors and admins of the listing's organisation (and operators) change, renew, close and fulfil it."""
    return isinstance(listing, Listing) and bool(can_edit_organisation(user, listing.organisation))


@rules.predicate
def can_publish_for(user, organisation) -> bool:
    """Editors and admins publish offers and needs on behalf of their organisation."""
    return bool(can_edit_organisation(user, organisation))


@rules.predicate
def can_contact(user, listing) -> bool:
    """A person of another organisation who sees an open listing may write to its organisation."""
    if not (isinstance(listing, Listing) and user and user.is_authenticated and listing.is_open):
        return False
    others = organisation_ids_of(user) - {listing.organisation_id}
    return bool(others) and bool(can_view_listing(user, listing))


def thread_sides(thread: Thread) -> tuple[int, int]:
    """The two organisations of a thread: the listing's and the counterpart."""
    return thread.listing.organisation_id, thread.counterpart_id


@rules.predicate
def is_thread_participant(user, thread) -> bool:
    """A person of one of the thread's two organisations."""
    return isinstance(thread, Thread) and bool(organisation_ids_of(user) & set(thread_sides(thread)))


can_read_thread = is_thread_participant | is_operator

rules.add_perm("exchange.view_listing", is_operator | can_view_listing)
rules.add_perm("exchange.change_listing", is_operator | can_edit_listing)
rules.add_perm("exchange.add_listing", can_publish_for)
rules.add_perm("exchange.contact_listing", can_contact)
rules.add_perm("exchange.view_thread", can_read_thread)
rules.add_perm("exchange.write_thread", is_thread_participant)

operators_manage_models("exchange", ("listing", "listingcategory", "thread", "message", "matchnotice",
                                     "partnership"))


def forget_cached_organisations(user) -> None:
    """Drop the organisations cached on this user object."""
    if user is not None:
        user.__dict__.pop("_exchange_organisations", None)
