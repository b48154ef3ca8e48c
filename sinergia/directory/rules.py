"""Who may do what to an organisation, as rules predicates."""

import rules

from sinergia.core.rules import is_operator, operators_manage_models
from sinergia.directory.models import OrganisationMember


def _role(user, organisation) -> str | None:
    """The user's role in the organisation, cached on the user for the request."""
    if not (user and user.is_authenticated and organisation is not None):
        return None
    cache = user.__dict__.setdefault("_organisation_roles", None)
    if cache is None:
        cache = dict(OrganisationMember.objects.filter(user=user).values_list("organisation_id", "role"))
        user.__dict__["_organisation_roles"] = cache
    return cache.get(organisation.pk)


@rules.predicate
def is_org_admin(user, organisation) -> bool:
    return _role(user, organisation) == OrganisationMember.Role.ADMIN


@rules.predicate
def is_org_editor(user, organisation) -> bool:
    return _role(user, organisation) == OrganisationMember.Role.EDITOR


@rules.predicate
def is_org_member(user, organisation) -> bool:
    return _role(user, organisation) is not None


can_edit_organisation = is_org_admin | is_org_editor | is_operator
can_manage_people = is_org_admin | is_operator

rules.add_perm("directory.add_organisation", rules.is_authenticated)
rules.add_perm("directory.change_organisation", can_edit_organisation)
rules.add_perm("directory.manage_people", can_manage_people)
rules.add_perm("directory.claim_organisation", rules.is_authenticated & ~is_org_member)
rules.add_perm("directory.decide_claim", is_operator)
rules.add_perm("directory.view_people", is_org_member | is_operator)
rules.add_perm("directory.invite_people", can_manage_people)
rules.add_perm("directory.view_claims", is_operator)
rules.add_perm("directory.import_organisations", is_operator)


def forget_cached_roles(user) -> None:
    """Drop the roles cached on this user object, after a service changed them."""
    if user is not None:
        user.__dict__.pop("_organisation_roles", None)

operators_manage_models("directory", ("organisation", "organisationmember", "invitation", "claim"))
