"""Permissions on funding calls, as rules predicates and the query they share."""

import rules
from django.db.models import Q

from sinergia.core.rules import is_operator, operators_manage_models
from sinergia.desk.models import CallPublisher, FundingCall
from sinergia.directory.models import OrganisationMember
from sinergia.directory.rules import is_org_admin, is_org_editor, is_org_member

EDITING_ROLES = (OrganisationMember.Role.ADMIN, OrganisationMember.Role.EDITOR)


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def publisher_organisation_ids(user) -> frozenset[int]:
    """The trusted publishers the user is an admin or editor of, cached on the user object for the request."""
    if not _signed_in(user):
        return frozenset()
    cached = user.__dict__.get("_desk_publisher_orgs")
    if cached is None:
        roles = OrganisationMember.objects.filter(user=user, role__in=EDITING_ROLES)
        cached = frozenset(CallPublisher.objects.filter(organisation_id__in=roles.values("organisation_id"))
                           .values_list("organisation_id", flat=True))
        user.__dict__["_desk_publisher_orgs"] = cached
    return cached


def forget_cached_publishers(user) -> None:
    """Drop the publishers cached on this user object, after a service changed them."""
    if user is not None:
        user.__dict__.pop("_desk_publisher_orgs", None)


def visible_calls_q(viewer, prefix: str = "") -> Q:
    """The calls the viewer may see, as a filter (on FundingCall, or through `prefix`, e.g. "call__").

    Published calls are seen by everyone; drafts and withdrawn calls by the people of the publishing organisation,
    their author and operators.
    """
    published = Q(**{f"{prefix}status": FundingCall.Status.PUBLISHED})
    if not _signed_in(viewer):
        return published
    if is_operator(viewer):
        return Q(**{f"{prefix}pk__isnull": False})
    own_orgs = OrganisationMember.objects.filter(user=viewer).values("organisation_id")
    return published | Q(**{f"{prefix}organisation_id__in": own_orgs}) | Q(**{f"{prefix}created_by": viewer})


@rules.predicate
def is_call_publisher(user) -> bool:
    """The user may publish calls for some organisation (or as an operator)."""
    return bool(is_operator(user) or publisher_organisation_ids(user))


@rules.predicate
def can_publish_for(user, organisation) -> bool:
    """Operators publish for anyone (or no organisation); editors and admins of a trusted publisher for it."""
    if is_operator(user):
        return True
    return organisation is not None and organisation.pk in publisher_organisation_ids(user)


def _is_call(call) -> bool:
    return isinstance(call, FundingCall)


@rules.predicate
def is_call_organisation_editor(user, call) -> bool:
    """An admin or editor of the organisation that published the call."""
    if not _is_call(call) or call.organisation is None:
        return False
    return bool(is_org_admin(user, call.organisation) or is_org_editor(user, call.organisation))


@rules.predicate
def can_view_call(user, call) -> bool:
    """The rule of `visible_calls_q`, for one call in memory."""
    if not _is_call(call):
        return False
    if call.status == FundingCall.Status.PUBLISHED or is_operator(user):
        return True
    if not _signed_in(user):
        return False
    return call.created_by_id == user.pk or bool(call.organisation and is_org_member(user, call.organisation))


@rules.predicate
def can_edit_call(user, call) -> bool:
    """Operators, and editors of the publishing organisation while it is still trusted to publish."""
    if is_operator(user):
        return True
    return _is_call(call) and call.organisation_id in publisher_organisation_ids(user)


@rules.predicate
def can_withdraw_call(user, call) -> bool:
    """Who may change the call, and the organisation's editors even after it lost the publisher's trust."""
    return bool(can_edit_call(user, call) or is_call_organisation_editor(user, call))


@rules.predicate
def can_follow_call(user, call) -> bool:
    """Signed-in users follow published calls."""
    return _signed_in(user) and _is_call(call) and call.status == FundingCall.Status.PUBLISHED


rules.add_perm("desk.view_fundingcall", can_view_call)
# On an organisation (None: no organisation, operators only).
rules.add_perm("desk.add_fundingcall", can_publish_for)
rules.add_perm("desk.change_fundingcall", can_edit_call)
rules.add_perm("desk.publish_fundingcall", can_edit_call)
rules.add_perm("desk.withdraw_fundingcall", can_withdraw_call)
rules.add_perm("desk.delete_fundingcall", is_operator)
rules.add_perm("desk.follow_fundingcall", can_follow_call)
rules.add_perm("desk.publish_calls", is_call_publisher)
rules.add_perm("desk.manage_call_publishers", is_operator)

operators_manage_models("desk", ("calldocument", "callfollow", "callreminder", "callpublisher"))
