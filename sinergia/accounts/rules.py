"""Who may act on an account and its API tokens, as rules predicates."""

import rules

from sinergia.core.rules import is_operator, operators_manage_models


@rules.predicate
def is_self(user, account) -> bool:
    """The account is the user's own."""
    return bool(user and user.is_authenticated and account is not None and user.pk == account.pk)


@rules.predicate
def owns_token(user, token) -> bool:
    return bool(user and user.is_authenticated and token is not None and token.user_id == user.pk)


rules.add_perm("accounts.manage_account", is_self)
rules.add_perm("accounts.export_account", is_self | is_operator)
rules.add_perm("accounts.delete_account", is_self | is_operator)
rules.add_perm("accounts.revoke_token", owns_token | is_operator)

operators_manage_models("accounts", ("user", "apitoken"))
