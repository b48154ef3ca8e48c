"""Who is told of what happens on the exchange."""

from typing import Any

from django.contrib.auth import get_user_model

from sinergia.directory.models import OrganisationMember

EDITING_ROLES = (OrganisationMember.Role.ADMIN, OrganisationMember.Role.EDITOR)


def organisation_people(*, organisation_id: int, roles: tuple[str, ...] = EDITING_ROLES) -> list[Any]:
    """The active users with one of the roles in the organisation (its editors and admins by default)."""
    users = get_user_model().objects.filter(is_active=True, organisation_roles__organisation_id=organisation_id,
                                            organisation_roles__role__in=roles)
    return list(users.distinct().order_by("pk"))
