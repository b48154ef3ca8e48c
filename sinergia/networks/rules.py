"""Who may do what to a network and its memberships, as rules predicates."""

import rules
from django.db import connections, router
from django.db.models import Q

from sinergia.core.rules import is_operator, operators_manage_models
from sinergia.directory.models import OrganisationMember
from sinergia.directory.rules import is_org_admin
from sinergia.networks.models import Membership, Network

# Roles in an organisation that let a person act for it as a network's coordinator.
COORDINATING_ROLES = ("admin", "editor")


def coordinated_network_ids(user) -> frozenset[int]:
    """Ids of the networks the user coordinates, cached on the user object for the request."""
    if not (user and user.is_authenticated):
        return frozenset()
    cached = user.__dict__.get("_coordinated_networks")
    if cached is None:
        cached = frozenset(_coordinated_network_ids_query(user))
        user.__dict__["_coordinated_networks"] = cached
    return cached


def _coordinated_network_ids_query(user) -> list[int]:
    """Direct coordination through an organisation, and one level through a coordinating member network."""
    admitted_coordinators = Membership.objects.filter(
        status=Membership.Status.ADMITTED, role=Membership.Role.COORDINATOR
    )
    direct = admitted_coordinators.filter(
        organisation__people__user=user, organisation__people__role__in=COORDINATING_ROLES
    ).values("network_id")
    condition = Q(network_id__in=direct) | Q(member_network_id__in=direct)
    return list(admitted_coordinators.filter(condition).values_list("network_id", flat=True).distinct())


def member_network_ids(user) -> frozenset[int]:
    """Networks the user belongs to: one of their organisations is admitted, or they coordinate it (cached on the
    user object for the request)."""
    if not (user and user.is_authenticated):
        return frozenset()
    cached = user.__dict__.get("_member_networks")
    if cached is None:
        cached = frozenset(_member_network_ids_query(user))
        user.__dict__["_member_networks"] = cached
    return cached


_MEMBER_NETWORKS_SQL = """
    SELECT m.network_id FROM {membership} m
      JOIN {person} p ON p.organisation_id = m.organisation_id
     WHERE p.user_id = %s AND m.status = %s
    UNION
    SELECT m.network_id FROM {membership} m
      JOIN {membership} c ON c.network_id = m.member_network_id
      JOIN {person} p ON p.organisation_id = c.organisation_id
     WHERE p.user_id = %s AND p.role IN ({roles}) AND c.status = %s AND c.role = %s AND m.status = %s AND m.role = %s
"""


def _member_network_ids_query(user) -> list[int]:
    """`admitted | coordinated_network_ids(user)` in one query, each part sought by its index.

    A network the user coordinates directly is one of their organisations' admitted networks already; what
    coordination adds is one level down: the networks coordinated by a member network that the user coordinates.
    Written in SQL: every authenticated read of the calendar and the library asks it, and the ORM took thirty times
    longer to build its four nested querysets (about 1.5 ms) than the database takes to answer (0.05 ms).
    """
    admitted, coordinator = Membership.Status.ADMITTED, Membership.Role.COORDINATOR
    roles = ", ".join(["%s"] * len(COORDINATING_ROLES))
    sql = _MEMBER_NETWORKS_SQL.format(membership=Membership._meta.db_table, person=OrganisationMember._meta.db_table,
                                      roles=roles)
    with connections[router.db_for_read(Membership)].cursor() as cursor:
        cursor.execute(sql, [user.pk, admitted, user.pk, *COORDINATING_ROLES, admitted, coordinator, admitted,
                             coordinator])
        return [network_id for (network_id,) in cursor.fetchall()]


def forget_cached_networks(user) -> None:
    """Drop the networks cached on this user object, after a service changed them."""
    if user is not None:
        user.__dict__.pop("_coordinated_networks", None)
        user.__dict__.pop("_member_networks", None)


def _network_of(obj) -> Network | None:
    """The network a permission is asked about: the object itself or a membership's network."""
    if isinstance(obj, Membership):
        return obj.network
    return obj if isinstance(obj, Network) else None


@rules.predicate
def is_network_coordinator(user, obj) -> bool:
    """The user coordinates the network (given itself or through one of its memberships)."""
    network = _network_of(obj)
    return network is not None and network.pk in coordinated_network_ids(user)


@rules.predicate
def can_act_for_member(user, membership) -> bool:
    """The user may act on behalf of the member: its organisation's admin or its network's coordinator."""
    if not isinstance(membership, Membership):
        return False
    if membership.organisation_id is not None:
        return bool(is_org_admin(user, membership.organisation))
    return membership.member_network_id in coordinated_network_ids(user)


@rules.predicate
def can_found_for(user, organisation) -> bool:
    """Founding a network is an act of the founding organisation, so of its admins."""
    return bool(is_org_admin(user, organisation))


can_manage_network = is_network_coordinator | is_operator

rules.add_perm("networks.found_network", can_found_for)
rules.add_perm("networks.change_network", can_manage_network)
rules.add_perm("networks.decide_membership", can_manage_network)
rules.add_perm("networks.publish_charter", can_manage_network)
rules.add_perm("networks.suspend_membership", can_manage_network)
rules.add_perm("networks.apply_membership", can_act_for_member)
rules.add_perm("networks.sign_charter", can_act_for_member)
rules.add_perm("networks.leave_network", can_act_for_member)
rules.add_perm("networks.view_membership", can_act_for_member | can_manage_network)

# Operators manage every network record in the Django admin (model-level permissions, no object given).
operators_manage_models("networks", ("network", "membership", "charterversion", "chartersignature"))
