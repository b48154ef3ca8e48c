"""Predicates every domain composes into its own permissions."""

import rules


@rules.predicate
def is_operator(user) -> bool:
    """Platform staff: the regional department or the platform operator."""
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


is_authenticated = rules.is_authenticated
