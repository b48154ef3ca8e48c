"""Reading an OAI-PMH 2.0 request: the verb, its arguments, dates, sets and identifiers, checked as the spec says."""

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from sinergia.library.oai.errors import BAD_ARGUMENT, BAD_VERB, OaiError, Problem

METADATA_PREFIX = "oai_dc"
RESUMPTION_TOKEN = "resumptionToken"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
DAY, SECOND = "day", "second"
MAX_SHOWN = 80  # characters of a bad value quoted back in a message


@dataclass(frozen=True)
class VerbArguments:
    """The arguments a verb takes: required, optional, and the exclusive resumptionToken."""

    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    resumable: bool = False


LIST_ARGUMENTS = VerbArguments(required=("metadataPrefix",), optional=("from", "until", "set"), resumable=True)
VERBS = {
    "Identify": VerbArguments(),
    "ListMetadataFormats": VerbArguments(optional=("identifier",)),
    "ListSets": VerbArguments(resumable=True),
    "GetRecord": VerbArguments(required=("identifier", "metadataPrefix")),
    "ListIdentifiers": LIST_ARGUMENTS,
    "ListRecords": LIST_ARGUMENTS,
}
# The lexical rules of the OAI-PMH schema, so that the request element only ever echoes what is valid.
SPEC_RE = re.compile(r"[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*\Z")
PREFIX_RE = re.compile(r"[A-Za-z0-9\-_.!~*'()]+\Z")
DAY_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})\Z")
SECOND_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z\Z")
URI_RE = re.compile(r"[\x21-\x7e]{1,300}\Z")
TOKEN_RE = re.compile(r"[\x21-\x7e]{1,4096}\Z")


@dataclass(frozen=True)
class OaiRequest:
    """A request whose verb is known and whose arguments are each given once and allowed for the verb."""

    verb: str
    arguments: dict[str, str]

    def get(self, name: str) -> str:
        return self.arguments.get(name, "")


def shown(value: str) -> str:
    """A value quoted back in a message, cut to a readable length."""
    return value if len(value) <= MAX_SHOWN else value[:MAX_SHOWN] + "…"


def request_parse(pairs: list[tuple[str, str]]) -> OaiRequest:
    """The verb and its arguments, or OaiError (badVerb, badArgument) as section 3.6 lists them."""
    verb = _verb(pairs)
    allowed = VERBS[verb]
    arguments: dict[str, str] = {}
    problems: list[Problem] = []
    for name, value in pairs:
        if name == "verb":
            continue
        if name in arguments:
            problems.append(Problem(BAD_ARGUMENT, _("The argument “%(name)s” is repeated.") % {"name": shown(name)}))
        elif name not in allowed.required + allowed.optional and not (allowed.resumable and name == RESUMPTION_TOKEN):
            problems.append(Problem(BAD_ARGUMENT, _("The argument “%(name)s” is not allowed with %(verb)s.")
                                    % {"name": shown(name), "verb": verb}))
        arguments.setdefault(name, value)
    problems += _missing_or_exclusive(verb, allowed, arguments)
    if problems:
        raise OaiError(*dict.fromkeys(problems))
    return OaiRequest(verb=verb, arguments=arguments)


def _verb(pairs: list[tuple[str, str]]) -> str:
    verbs = [value for name, value in pairs if name == "verb"]
    if not verbs:
        raise OaiError.of(BAD_VERB, _("The verb argument is missing."))
    if len(verbs) > 1:
        raise OaiError.of(BAD_VERB, _("The verb argument is repeated."))
    if verbs[0] not in VERBS:
        raise OaiError.of(BAD_VERB, _("“%(verb)s” is not an OAI-PMH verb.") % {"verb": shown(verbs[0])})
    return verbs[0]


def _missing_or_exclusive(verb: str, allowed: VerbArguments, arguments: dict[str, str]) -> list[Problem]:
    if allowed.resumable and RESUMPTION_TOKEN in arguments:
        others = [name for name in arguments if name != RESUMPTION_TOKEN]
        if others:
            return [Problem(BAD_ARGUMENT, _("The resumptionToken argument cannot be combined with other arguments."))]
        return []
    return [Problem(BAD_ARGUMENT, _("The argument “%(name)s” is required by %(verb)s.") % {"name": name, "verb": verb})
            for name in allowed.required if not arguments.get(name)]


def echoed_arguments(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """The arguments the request element repeats: those given once whose value the schema accepts."""
    counts: dict[str, int] = {}
    for name, _value in pairs:
        counts[name] = counts.get(name, 0) + 1
    checks: dict[str, Callable[[str], object]] = {
        "verb": VERBS.__contains__, "identifier": URI_RE.match, "metadataPrefix": PREFIX_RE.match,
        "set": SPEC_RE.match, "from": _is_date, "until": _is_date, RESUMPTION_TOKEN: TOKEN_RE.match}
    return {name: value for name, value in pairs
            if counts[name] == 1 and name in checks and checks[name](value)}


# --- Dates -----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UtcDate:
    """A from/until argument: the moment it names and its granularity (a day or a second)."""

    moment: datetime
    granularity: str

    @property
    def end(self) -> datetime:
        """The first moment after the day or second named: until is inclusive at its own granularity."""
        try:
            return self.moment + (timedelta(days=1) if self.granularity == DAY else timedelta(seconds=1))
        except OverflowError:  # until=9999-12-31: nothing comes after it
            return datetime.max.replace(tzinfo=UTC)


def _is_date(value: str) -> bool:
    return date_parse(value) is not None


def date_parse(value: str) -> UtcDate | None:
    """A UTCdatetime at day or second granularity (section 3.3.1), or None if it is not one."""
    if match := SECOND_RE.match(value):
        granularity = SECOND
    elif match := DAY_RE.match(value):
        granularity = DAY
    else:
        return None
    try:
        parts = [int(part) for part in match.groups()]
        year, month, day, hour, minute, second = parts + [0] * (6 - len(parts))
        moment = datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except ValueError:
        return None
    return UtcDate(moment=moment, granularity=granularity)


def dates_check(from_value: str | None, until_value: str | None) -> tuple[UtcDate | None, UtcDate | None]:
    """The from and until arguments (None: not given), or badArgument: illegal syntax, different granularities,
    from after until."""
    parsed = []
    for value in (from_value, until_value):
        moment = None if value is None else date_parse(value)
        if value is not None and moment is None:
            raise OaiError.of(BAD_ARGUMENT, _("“%(value)s” is not a date: use YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ.")
                              % {"value": shown(value)})
        parsed.append(moment)
    start, stop = parsed
    if start and stop and start.granularity != stop.granularity:
        raise OaiError.of(BAD_ARGUMENT, _("The from and until arguments must have the same granularity."))
    if start and stop and start.moment > stop.moment:
        raise OaiError.of(BAD_ARGUMENT, _("The from date is later than the until date."))
    return start, stop


def datestamp(moment: datetime) -> str:
    """A datestamp or responseDate at the repository's granularity (seconds, UTC)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- Sets ------------------------------------------------------------------------------------------------------------

NETWORK_SET, TOPIC_SET = "network", "topic"


@dataclass(frozen=True)
class SetSpec:
    """A set argument: a family (networks, topics) and, below it, one network's slug or one topic's notation."""

    family: str
    key: str = ""


def set_parse(value: str) -> SetSpec | None:
    """The set named, or None when the repository has no such set; badArgument if it is not a setSpec at all."""
    if not SPEC_RE.match(value):
        raise OaiError.of(BAD_ARGUMENT, _("“%(value)s” is not a valid set specification.") % {"value": shown(value)})
    family, _colon, key = value.partition(":")
    if family not in (NETWORK_SET, TOPIC_SET) or ":" in key:
        return None
    return SetSpec(family=family, key=key)


# --- Identifiers -----------------------------------------------------------------------------------------------------


def repository_identifier() -> str:
    """The repository's name in its identifiers (oai:<this>:<uuid>); it must never change once harvested.

    LIBRARY_OAI_REPOSITORY_IDENTIFIER if set; otherwise the host of SITE_URL, then the first host of ALLOWED_HOSTS.
    Never the request's Host header: an identifier must not depend on how the repository was reached.
    """
    configured = getattr(settings, "LIBRARY_OAI_REPOSITORY_IDENTIFIER", "")
    if configured:
        return str(configured)
    host = urlsplit(settings.SITE_URL).hostname
    if host:
        return host
    hosts = [host.lstrip(".") for host in settings.ALLOWED_HOSTS if host.strip(".*")]
    return hosts[0] if hosts else "localhost"


def oai_identifier(resource_uuid: uuid.UUID) -> str:
    return f"oai:{repository_identifier()}:{resource_uuid}"


def identifier_uuid(identifier: str) -> uuid.UUID | None:
    """The resource's uuid in one of this repository's identifiers, or None if the identifier is not ours."""
    prefix = f"oai:{repository_identifier()}:"
    if not identifier.startswith(prefix):
        return None
    candidate = identifier[len(prefix):]
    try:
        value = uuid.UUID(candidate)
    except ValueError:
        return None
    return value if str(value) == candidate else None
