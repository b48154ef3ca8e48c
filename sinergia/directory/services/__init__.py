"""Writes of the directory: organisations, their logos, claims, invitations and people."""

from sinergia.directory.services.claims import claim_decide, claim_submit
from sinergia.directory.services.organisations import (
    RESERVED_SLUGS,
    organisation_create,
    organisation_set_logo,
    organisation_unique_slug,
    organisation_update,
    validate_logo,
)
from sinergia.directory.services.people import (
    INVITATION_VALID_DAYS,
    invitation_accept,
    invitation_create,
    invitation_problem,
    invitation_revoke,
    member_remove,
    member_set_role,
)

__all__ = [
    "INVITATION_VALID_DAYS",
    "RESERVED_SLUGS",
    "claim_decide",
    "claim_submit",
    "invitation_accept",
    "invitation_create",
    "invitation_problem",
    "invitation_revoke",
    "member_remove",
    "member_set_role",
    "organisation_create",
    "organisation_set_logo",
    "organisation_unique_slug",
    "organisation_update",
    "validate_logo",
]
