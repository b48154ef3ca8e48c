"""Resumption tokens: opaque, signed, expiring; each carries the harvest and a keyset cursor, never an offset."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

from sinergia.library.oai.errors import BAD_RESUMPTION_TOKEN, OaiError
from sinergia.library.oai.harvest import Harvest
from sinergia.library.oai.protocol import TOKEN_RE, dates_check, set_parse

SALT = "sinergia.library.oai.resumption"
DEFAULT_MAX_AGE = timedelta(hours=24)


@dataclass(frozen=True)
class Resumption:
    """Where a harvest goes on: after the record (updated_at, id), with the list's size and the records sent so far."""

    harvest: Harvest
    after: tuple[datetime, int]
    complete_size: int
    cursor: int


def token_max_age() -> timedelta:
    """How long a token is honoured (setting LIBRARY_OAI_TOKEN_MAX_AGE_SECONDS, 24 hours by default)."""
    seconds = getattr(settings, "LIBRARY_OAI_TOKEN_MAX_AGE_SECONDS", None)
    return timedelta(seconds=seconds) if seconds is not None else DEFAULT_MAX_AGE


def token_dumps(resumption: Resumption) -> str:
    harvest = resumption.harvest
    payload = {"v": harvest.verb, "t": harvest.started.isoformat(), "s": harvest.set_value, "f": harvest.from_value,
               "u": harvest.until_value, "a": [resumption.after[0].isoformat(), resumption.after[1]],
               "n": resumption.complete_size, "c": resumption.cursor}
    return signing.dumps(payload, salt=SALT, compress=True)


def _bad_token() -> OaiError:
    return OaiError.of(BAD_RESUMPTION_TOKEN, _("The resumption token is not valid or has expired: start the harvest "
                                               "again without it."))


def token_loads(token: str, *, verb: str) -> Resumption:
    """The resumption a token of this verb carries; badResumptionToken if it is forged, altered, expired or foreign."""
    if not TOKEN_RE.match(token):
        raise _bad_token()
    try:
        payload = signing.loads(token, salt=SALT, max_age=token_max_age())
        resumption = _resumption(payload)
    except (signing.BadSignature, ValueError, TypeError, KeyError, OaiError) as error:
        raise _bad_token() from error
    if resumption.harvest.verb != verb:
        raise _bad_token()
    return resumption


def _resumption(payload: Any) -> Resumption:
    """The payload read back; every field checked, since tokens outlive the code that wrote them."""
    after_moment, after_id = payload["a"]
    harvest = Harvest(verb=str(payload["v"]), started=_moment(payload["t"]),
                      set_value=_optional_text(payload["s"]), from_value=_optional_text(payload["f"]),
                      until_value=_optional_text(payload["u"]))
    dates_check(harvest.from_value, harvest.until_value)
    if harvest.set_value is not None:
        set_parse(harvest.set_value)
    numbers = (after_id, payload["n"], payload["c"])
    if not all(type(number) is int and number >= 0 for number in numbers):
        raise ValueError("negative or non-integer numbers in a token")
    return Resumption(harvest=harvest, after=(_moment(after_moment), after_id),
                      complete_size=payload["n"], cursor=payload["c"])


def _optional_text(value: Any) -> str | None:
    if value is not None and not isinstance(value, str):
        raise TypeError("a token's text field is neither text nor null")
    return value


def _moment(value: Any) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("a token's moment has no time zone")
    return moment
