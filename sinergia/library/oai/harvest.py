"""A harvest: what a ListIdentifiers or ListRecords request selects, fixed by its first request."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from sinergia.library.oai.errors import CANNOT_DISSEMINATE_FORMAT, OaiError
from sinergia.library.oai.protocol import METADATA_PREFIX, OaiRequest, SetSpec, dates_check, set_parse, shown


@dataclass(frozen=True)
class Harvest:
    """The selection of a list request; `started` bounds it so that a harvest sees the repository as it began.

    A record changed after the first request leaves this harvest (its new datestamp is later than `started`) and is
    found by the next incremental harvest (from = this harvest's first responseDate): section 3.5.1 lets a list
    leave out records whose datestamp changes, and this way no record is sent twice within one harvest.
    """

    verb: str
    started: datetime
    set_value: str | None = None
    from_value: str | None = None
    until_value: str | None = None

    @property
    def start(self) -> datetime | None:
        start, _stop = dates_check(self.from_value, self.until_value)
        return start.moment if start else None

    @property
    def end(self) -> datetime | None:
        """The first moment after `until` (exclusive bound), or None."""
        _start, stop = dates_check(self.from_value, self.until_value)
        return stop.end if stop else None

    @property
    def set_spec(self) -> SetSpec | None:
        """The set asked for; None also when a set is asked for that the repository does not have."""
        return set_parse(self.set_value) if self.set_value is not None else None

    @property
    def set_unknown(self) -> bool:
        return self.set_value is not None and self.set_spec is None


def metadata_prefix_check(value: str) -> None:
    """cannotDisseminateFormat unless the format is oai_dc (the only one this repository offers)."""
    if value != METADATA_PREFIX:
        raise OaiError.of(CANNOT_DISSEMINATE_FORMAT, _("The metadata format “%(prefix)s” is not available: use "
                                                       "oai_dc.") % {"prefix": shown(value)})


def harvest_from_request(request: OaiRequest, *, now: datetime) -> Harvest:
    """The harvest a first list request asks for; badArgument (dates, set) before cannotDisseminateFormat."""
    arguments = request.arguments
    dates_check(arguments.get("from"), arguments.get("until"))
    if "set" in arguments:
        set_parse(arguments["set"])
    metadata_prefix_check(arguments["metadataPrefix"])
    return Harvest(verb=request.verb, started=now, set_value=arguments.get("set"),
                   from_value=arguments.get("from"), until_value=arguments.get("until"))
