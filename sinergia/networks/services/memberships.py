"""The membership lifecycle: applied → admitted (or declined) → suspended/reinstated → left."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergia.core.services import audit_record
from sinergia.directory.models import Organisation
from sinergia.networks.models import Membership, Network
from sinergia.networks.rules import forget_cached_networks
from sinergia.networks.selectors import member_contacts, network_coordinator_users
from sinergia.networks.services._common import (
    Actor,
    check_role,
    clean_reason,
    lock_status,
    require_no_cycle,
    require_other_coordinator,
    require_perm,
    require_status,
    save_unique,
    send,
    text_length_errors,
)

Status = Membership.Status
APPLICANT_ROLES = (Membership.Role.MEMBER, Membership.Role.OBSERVER, Membership.Role.PARTNER)


@transaction.atomic
def membership_apply(*, network: Network, by: Actor, organisation: Organisation | None = None,
                     member_network: Network | None = None,
                     motivation: str = "", role: str = Membership.Role.MEMBER) -> Membership:
    """Apply, for an organisation or a network, to join a network; its coordinators are notified."""
    if (organisation is None) == (member_network is None):
        raise ValidationError(_("Choose who applies: one organisation or one network."))
    membership = Membership(network=network, organisation=organisation, member_network=member_network, role=role,
                            status=Status.APPLIED, motivation=(motivation or "").strip())
    by = require_perm(by, "networks.apply_membership", membership)
    membership.applied_by = by
    _check_application(membership)
    if errors := text_length_errors(membership):
        raise ValidationError(errors)
    membership.full_clean(validate_constraints=False)
    save_unique(membership, _("%(member)s has already applied to %(network)s.")
                % {"member": membership.member, "network": network})
    audit_record(actor=by, action="membership.apply", target=membership, data={"role": role})
    send(network_coordinator_users(network=network), kind="networks.application",
         title=_("%(member)s applied to join %(network)s"), body=_("Motivation: %(motivation)s"),
         params={"member": membership.member, "network": network.name, "motivation": membership.motivation or "—"},
         url_name="networks:applications", url_kwargs={"slug": network.slug}, exclude=by)
    return membership


def _check_application(membership: Membership) -> None:
    """An open network, an applicant's role, no current membership, no cycle of networks."""
    network = membership.network
    if not network.is_active:
        raise ValidationError(_("%(network)s does not accept applications.") % {"network": network})
    if membership.role not in APPLICANT_ROLES:
        raise ValidationError({"role": _("Apply as member, observer or partner; coordinators appoint "
                                         "coordinators.")})
    require_no_cycle(membership)
    member_field = "organisation" if membership.organisation_id else "member_network"
    current = Membership.objects.filter(network=network, status__in=Membership.CURRENT,
                                        **{member_field: membership.member}).first()
    if current is not None:
        raise ValidationError(_("%(member)s already has a membership of %(network)s (%(status)s).")
                              % {"member": membership.member, "network": network,
                                 "status": current.get_status_display()})


@transaction.atomic
def membership_admit(*, membership: Membership, by: Actor, role: str | None = None) -> Membership:
    """Admit an applicant (with its requested role unless another is given); the applicant is notified."""
    by = require_perm(by, "networks.decide_membership", membership.network)
    lock_status(membership)
    require_status(membership, [Status.APPLIED], _("Only pending applications can be admitted; this one is "
                                                    "%(status)s."))
    membership.role = check_role(role or membership.role)
    # Pending applications may cross; the first admitted wins and the other one is refused.
    require_no_cycle(membership, statuses=(Status.ADMITTED, Status.SUSPENDED))
    _decide(membership, by=by, status=Status.ADMITTED, reason="")
    audit_record(actor=by, action="membership.admit", target=membership, data={"role": membership.role})
    _tell_member(membership, by=by, kind="networks.admitted", url_name="networks:charter",
                 title=_("%(member)s has been admitted to %(network)s: please sign its charter"))
    forget_cached_networks(by)
    return membership


@transaction.atomic
def membership_decline(*, membership: Membership, by: Actor, reason: str) -> Membership:
    """Decline an application with a reason the applicant reads."""
    by = require_perm(by, "networks.decide_membership", membership.network)
    reason = clean_reason(reason)
    lock_status(membership)
    require_status(membership, [Status.APPLIED], _("Only pending applications can be declined; this one is "
                                                    "%(status)s."))
    membership.ended_at = timezone.now()
    _decide(membership, by=by, status=Status.DECLINED, reason=reason)
    audit_record(actor=by, action="membership.decline", target=membership, data={"reason": reason})
    _tell_member(membership, by=by, kind="networks.declined", url_name="networks:detail",
                 title=_("The application of %(member)s to %(network)s has been declined"), body=reason)
    return membership


@transaction.atomic
def membership_leave(*, membership: Membership, by: Actor) -> Membership:
    """Leave a network (or withdraw an application); the coordinators are notified."""
    by = require_perm(by, "networks.leave_network", membership)
    lock_status(membership)
    require_status(membership, Membership.CURRENT, _("This membership has already ended (%(status)s)."))
    require_other_coordinator(membership)
    membership.status, membership.ended_at = Status.LEFT, timezone.now()
    membership.save(update_fields=["status", "ended_at"])
    audit_record(actor=by, action="membership.leave", target=membership)
    send(network_coordinator_users(network=membership.network), kind="networks.left",
         title=_("%(member)s has left %(network)s"), params=_params(membership),
         url_name="networks:detail", url_kwargs={"slug": membership.network.slug}, exclude=by)
    forget_cached_networks(by)
    return membership


@transaction.atomic
def membership_suspend(*, membership: Membership, by: Actor, reason: str) -> Membership:
    """Suspend an admitted member, with a reason it reads."""
    by = require_perm(by, "networks.suspend_membership", membership)
    reason = clean_reason(reason)
    lock_status(membership)
    require_status(membership, [Status.ADMITTED], _("Only admitted members can be suspended; this membership is "
                                                     "%(status)s."))
    require_other_coordinator(membership)
    _decide(membership, by=by, status=Status.SUSPENDED, reason=reason)
    audit_record(actor=by, action="membership.suspend", target=membership, data={"reason": reason})
    _tell_member(membership, by=by, kind="networks.suspended", url_name="networks:detail",
                 title=_("%(member)s has been suspended from %(network)s"), body=reason)
    forget_cached_networks(by)
    return membership


@transaction.atomic
def membership_reinstate(*, membership: Membership, by: Actor) -> Membership:
    """Reinstate a suspended member."""
    by = require_perm(by, "networks.suspend_membership", membership)
    lock_status(membership)
    require_status(membership, [Status.SUSPENDED], _("Only suspended members can be reinstated; this membership "
                                                      "is %(status)s."))
    _decide(membership, by=by, status=Status.ADMITTED, reason="")
    audit_record(actor=by, action="membership.reinstate", target=membership)
    _tell_member(membership, by=by, kind="networks.reinstated", url_name="networks:detail",
                 title=_("%(member)s has been reinstated in %(network)s"))
    forget_cached_networks(by)
    return membership


@transaction.atomic
def membership_set_role(*, membership: Membership, by: Actor, role: str) -> Membership:
    """Change an admitted member's role (coordinator, member, observer, partner)."""
    by = require_perm(by, "networks.decide_membership", membership)
    role = check_role(role)
    lock_status(membership)
    require_status(membership, [Status.ADMITTED], _("Only admitted members have a role to change; this "
                                                     "membership is %(status)s."))
    if role == membership.role:
        return membership
    if role != Membership.Role.COORDINATOR:
        require_other_coordinator(membership)
    previous, membership.role = membership.role, role
    membership.save(update_fields=["role"])
    audit_record(actor=by, action="membership.set_role", target=membership, data={"from": previous, "to": role})
    _tell_member(membership, by=by, kind="networks.role", url_name="networks:detail",
                 title=_("%(member)s now has the role “%(role)s” in %(network)s"))
    forget_cached_networks(by)
    return membership


def _decide(membership: Membership, *, by, status: str, reason: str) -> None:
    """Record a coordinator's decision on the membership."""
    membership.status, membership.decision_reason = status, reason
    membership.decided_by, membership.decided_at = by, timezone.now()
    membership.save(update_fields=["status", "role", "decision_reason", "decided_by", "decided_at", "ended_at"])


def _params(membership: Membership) -> dict:
    """Values the notification texts about a membership use."""
    # The role's label stays lazy so that each recipient reads it in their own language.
    return {"member": str(membership.member), "network": membership.network.name,
            "role": Membership.Role(membership.role).label}


def _tell_member(membership: Membership, *, by, kind: str, url_name: str, title, body: str = "") -> None:
    """Notify the people who speak for the member (its admins, or its network's coordinators)."""
    send(member_contacts(membership=membership), kind=kind, title=title, body=body.replace("%", "%%"),
         params=_params(membership), url_name=url_name, url_kwargs={"slug": membership.network.slug}, exclude=by)
