"""Write endpoints of memberships (token auth): apply, decide, suspend, reinstate, leave, sign the charter."""

import datetime
from typing import Annotated

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from sinergia.api.auth import token_auth
from sinergia.api.errors import ErrorOut
from sinergia.api.schemas import MemberRef, NetworkRef, Slug, member_ref
from sinergia.directory.selectors import organisation_get
from sinergia.networks import services
from sinergia.networks.models import Membership
from sinergia.networks.selectors import membership_get_for, network_charter_versions, network_get

# TokenAuth puts the token's user in request.user: every endpoint below acts as that user.
router = Router(tags=["memberships"], auth=token_auth)

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
Reason = Annotated[str, Field(min_length=1, max_length=5000)]


class ApplicationIn(Schema):
    """An application to join: exactly one of `organisation` or `member_network` (slugs)."""

    organisation: Slug | None = None
    member_network: Slug | None = None
    motivation: Annotated[str, Field(max_length=5000)] = ""
    role: Membership.Role = Membership.Role.MEMBER


class AdmitIn(Schema):
    """Admission, optionally with another role than the one applied for."""

    role: Membership.Role | None = None


class ReasonIn(Schema):
    """The reason of a decline or a suspension, told to the member."""

    reason: Reason


class SignIn(Schema):
    """Which charter version is signed: the latest when omitted (an older one is refused)."""

    version: Annotated[int, Field(ge=1, le=1_000_000)] | None = None


class MembershipOut(Schema):
    """A membership with its lifecycle and the charter versions it signed."""

    id: int
    network: NetworkRef
    member: MemberRef
    role: str
    status: str
    motivation: str
    decision_reason: str
    applied_at: datetime.datetime
    decided_at: datetime.datetime | None
    ended_at: datetime.datetime | None
    signed_versions: list[int]

    @staticmethod
    def resolve_member(obj: Membership, context) -> dict:
        return member_ref(obj, context)

    @staticmethod
    def resolve_signed_versions(obj: Membership) -> list[int]:
        return sorted({signature.charter.number for signature in obj.signatures.select_related("charter")})


class SignatureOut(Schema):
    """A signature of a charter version on behalf of a member."""

    membership_id: int
    charter_version: int
    signatory_name: str
    signed_at: datetime.datetime

    @staticmethod
    def resolve_charter_version(obj) -> int:
        return obj.charter.number


def _applicant(request: HttpRequest, payload: ApplicationIn) -> dict:
    """The applicant named in the payload, looked up with the requester's visibility."""
    if bool(payload.organisation) == bool(payload.member_network):
        raise ValidationError(_("Name either an organisation or a member network, not both or neither."))
    if payload.organisation:
        try:
            return {"organisation": organisation_get(slug=payload.organisation, viewer=request.user)}
        except ObjectDoesNotExist:
            raise ValidationError(_("There is no organisation “%(slug)s”.") % {"slug": payload.organisation}) from None
    try:
        return {"member_network": network_get(slug=payload.member_network or "", viewer=request.user)}
    except ObjectDoesNotExist:
        raise ValidationError(_("There is no network “%(slug)s”.") % {"slug": payload.member_network}) from None


@router.post("/networks/{slug}/applications", response={201: MembershipOut, **ERRORS},
             summary="Apply to join a network")
def membership_apply_endpoint(request: HttpRequest, slug: str, payload: ApplicationIn):
    """An organisation (or a network) applies to join the network; its coordinators are notified."""
    network = network_get(slug=slug, viewer=request.user)
    membership = services.membership_apply(network=network, by=request.user, motivation=payload.motivation,
                                           role=payload.role, **_applicant(request, payload))
    return Status(201, membership)


@router.get("/memberships/{membership_id}", response={200: MembershipOut, **ERRORS}, summary="One membership")
def membership_detail_endpoint(request: HttpRequest, membership_id: int):
    """A membership the requester may see (404 otherwise)."""
    return membership_get_for(user=request.user, pk=membership_id, action="view_membership")


@router.post("/memberships/{membership_id}/admit", response={200: MembershipOut, **ERRORS}, summary="Admit")
def membership_admit_endpoint(request: HttpRequest, membership_id: int, payload: AdmitIn):
    """A coordinator admits an applicant."""
    membership = membership_get_for(user=request.user, pk=membership_id, action="decide_membership")
    return services.membership_admit(membership=membership, by=request.user, role=payload.role)


@router.post("/memberships/{membership_id}/decline", response={200: MembershipOut, **ERRORS}, summary="Decline")
def membership_decline_endpoint(request: HttpRequest, membership_id: int, payload: ReasonIn):
    """A coordinator declines an applicant, with a reason."""
    membership = membership_get_for(user=request.user, pk=membership_id, action="decide_membership")
    return services.membership_decline(membership=membership, by=request.user, reason=payload.reason)


@router.post("/memberships/{membership_id}/suspend", response={200: MembershipOut, **ERRORS}, summary="Suspend")
def membership_suspend_endpoint(request: HttpRequest, membership_id: int, payload: ReasonIn):
    """A coordinator suspends a member, with a reason."""
    membership = membership_get_for(user=request.user, pk=membership_id, action="suspend_membership")
    return services.membership_suspend(membership=membership, by=request.user, reason=payload.reason)


@router.post("/memberships/{membership_id}/reinstate", response={200: MembershipOut, **ERRORS},
             summary="Reinstate")
def membership_reinstate_endpoint(request: HttpRequest, membership_id: int):
    """A coordinator reinstates a suspended member."""
    membership = membership_get_for(user=request.user, pk=membership_id, action="suspend_membership")
    return services.membership_reinstate(membership=membership, by=request.user)


@router.post("/memberships/{membership_id}/leave", response={200: MembershipOut, **ERRORS}, summary="Leave")
def membership_leave_endpoint(request: HttpRequest, membership_id: int):
    """The member leaves the network."""
    membership = membership_get_for(user=request.user, pk=membership_id, action="leave_network")
    return services.membership_leave(membership=membership, by=request.user)


@router.post("/memberships/{membership_id}/sign", response={201: SignatureOut, **ERRORS},
             summary="Sign the current charter")
def membership_sign_endpoint(request: HttpRequest, membership_id: int, payload: SignIn | None = None):
    """The member signs the latest charter version, on behalf of its organisation or network."""
    membership = membership_get_for(user=request.user, pk=membership_id, action="sign_charter")
    charter = _charter_version(membership, payload.version if payload else None)
    return Status(201, services.charter_sign(membership=membership, by=request.user, charter=charter))


def _charter_version(membership: Membership, number: int | None):
    """The version of the membership's charter with this number (None: let the service take the latest)."""
    if number is None:
        return None
    version = network_charter_versions(network=membership.network).filter(number=number).first()
    if version is None:
        raise ValidationError(_("The charter has no version %(number)d.") % {"number": number})
    return version
