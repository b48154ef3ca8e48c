"""Bearer-token authentication of the API against accounts.ApiToken."""

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import connections, router
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from sinergia.accounts.models import ApiToken

# last_used_at is written at most once in this interval, so reads do not turn into writes.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def user_for_token(raw: str):
    """The active user owning this raw token, or None; records when the token was last used.

    The user is read with its token's id and whether the token's last use is stale, in SQL: every API request with a
    token asks this, and the ORM took longer to build the join than the database to answer it.
    """
    now = timezone.now()
    connection = connections[router.db_for_read(ApiToken)]
    stale_before = connection.ops.adapt_datetimefield_value(now - LAST_USED_RESOLUTION)
    users = get_user_model()
    sql = _TOKEN_USER_SQL.format(users=users._meta.db_table, tokens=ApiToken._meta.db_table)
    user: Any = next(iter(users.objects.raw(sql, [stale_before, ApiToken.hash(raw)])), None)
    if user is None or not user.is_active:
        return None
    if user.token_stale:
        ApiToken.objects.filter(pk=user.token_id).update(last_used_at=now)
    return user


# The owner of a token (by its unique digest), with the token's id and whether its last use is unknown or stale.
_TOKEN_USER_SQL = (
    "SELECT u.*, t.id AS token_id, (t.last_used_at IS NULL OR t.last_used_at <= %s) AS token_stale"
    " FROM {users} u JOIN {tokens} t ON t.user_id = u.id WHERE t.digest = %s"
)


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; required by every write."""

    openapi_description = "An API token created in the account settings, sent as `Authorization: Bearer <token>`."

    def authenticate(self, request: HttpRequest, token: str):
        """The token's user (also set as request.user), or None for a 401."""
        user = user_for_token(token) if token else None
        if user is not None:
            request.user = user
        return user


token_auth = TokenAuth()


def viewer_of(request: HttpRequest):
    """Who is reading: the bearer token's user, else the session's user; a bad token is a 401."""
    header = request.headers.get("Authorization", "")
    if not header:
        return getattr(request, "user", None) or AnonymousUser()
    scheme, _, raw = header.partition(" ")
    user = user_for_token(raw.strip()) if scheme.lower() == "bearer" and raw.strip() else None
    if user is None:
        raise AuthenticationError()
    return user
