"""Predicates every domain composes into its own permissions."""

import rules


@rules.predicate
def is_operator(user) -> bool:
    """Platform staff: the regional department or the platform operator."""
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


is_authenticated = rules.is_authenticated


def operators_manage_models(app_label: str, model_names: tuple[str, ...]) -> None:
    """Let operators view, add, change and delete these models in the Django admin.

    Permissions an app has already defined (object-level ones among them) are left as they are.
    """
    for model_name in model_names:
        for action in ("view", "add", "change", "delete"):
            name = f"{app_label}.{action}_{model_name}"
            if not rules.perm_exists(name):
                rules.add_perm(name, is_operator)


operators_manage_models("core", ("concept", "notification", "auditentry", "notificationpreference", "digestdelivery",
                                 "periodicrun"))

rules.add_perm("core.manage_thesaurus", is_operator)
