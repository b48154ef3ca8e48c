"""Bearer-token authentication of the API against accounts.ApiToken."""

import datetime

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from sinergia.accounts.models import ApiToken

# last_used_at is written at most once in this interval, so reads do not turn into writes.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def user_for_token(raw: str):
    """The active user owning this raw token, or None; records when the token was last used."""
    token = ApiToken.objects.select_related("user").filter(digest=ApiToken.hash(raw)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


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
