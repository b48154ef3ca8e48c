"""One VEVENT series (a master and its RECURRENCE-ID overrides) into an IcsEvent, or a rejection."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from sinergia.calendar.ics import fields
from sinergia.calendar.ics.expand import Expansion, expand, horizon_end
from sinergia.calendar.ics.fields import EventProblem
from sinergia.calendar.ics.limits import IcsLimits
from sinergia.calendar.ics.results import IcsEvent, IcsOverride, IcsRejection
from sinergia.calendar.ics.zones import iana_zone, is_custom_zone, to_utc, zone_name
from sinergia.calendar.recurrence_guard import walk_cost


@dataclass(frozen=True)
class Context:
    """What every event of one calendar is read against."""

    zone: ZoneInfo
    window: tuple[datetime, datetime]
    limits: IcsLimits


def read_series(components: list, context: Context, budget: int) -> IcsEvent | IcsRejection:
    """The event of one UID, or the reason it cannot be used; never raises."""
    master = _master(components)
    warnings: list[str] = []
    uid = fields.uid_of(master, warnings)
    summary = fields.text(master, "SUMMARY", 500, [])
    try:
        return _event(master, components, context, budget, uid, warnings)
    except EventProblem as problem:
        return IcsRejection(uid=uid, summary=summary, reason=str(problem))
    except Exception:  # the libraries raise many kinds of errors on hostile input
        return IcsRejection(uid=uid, summary=summary, reason=_("The event could not be read."))


def series_steps(components: list, context: Context) -> float:
    """Estimated rule steps needed to expand this series, past the window too (0 when it will be rejected anyway)."""
    master = _master(components)
    try:
        start = fields.moment(master, "DTSTART")
        rules = master.get("RRULE")
        until = horizon_end(context.window, context.limits)
        steps = 0.0
        for rule in rules if isinstance(rules, list) else [rules]:
            if rule and start is not None:
                steps += walk_cost(rule, start, until)
    except Exception:  # an unreadable series is rejected with its reason later
        return 0.0
    return steps if steps <= context.limits.max_rrule_steps else 0.0


def _master(components: list):
    """The component without RECURRENCE-ID with the highest SEQUENCE (else the first override)."""
    masters = [c for c in components if "RECURRENCE-ID" not in c] or components
    return max(masters, key=fields.sequence_of)


def _event(master, components, context: Context, budget: int, uid: str, warnings: list[str]) -> IcsEvent:
    start, end = _start_end(master, context.limits)
    local = _local_zone(master, start, context.zone, warnings)
    rrule = _rrule(master, start, context)
    rdates = tuple(to_utc(d, local) for d in _checked_dates(master, "RDATE", context.limits))
    exdates = tuple(to_utc(d, local) for d in _checked_dates(master, "EXDATE", context.limits))
    overrides = tuple(_override(c, local, context.limits) for c in components if "RECURRENCE-ID" in c)
    text_limit = context.limits.max_text_chars
    expansion = _occurrences(components, master, start, local, context, budget, warnings)
    return IcsEvent(
        uid=uid,
        sequence=fields.sequence_of(master),
        summary=fields.text(master, "SUMMARY", 500, warnings),
        description=fields.text(master, "DESCRIPTION", text_limit, warnings),
        location=fields.text(master, "LOCATION", 500, warnings),
        url=fields.text(master, "URL", 2000, warnings),
        geo=fields.geo_of(master, warnings),
        categories=fields.categories_of(master),
        status=fields.status_of(master),
        dtstart=to_utc(start, local),
        dtend=to_utc(end, local),
        all_day=not isinstance(start, datetime),
        timezone=zone_name(start, local),
        rrule=rrule,
        rdates=rdates,
        exdates=exdates,
        overrides=overrides,
        last_modified=fields.utc_stamp(master, "LAST-MODIFIED"),
        dtstamp=fields.utc_stamp(master, "DTSTAMP"),
        occurrences=expansion.occurrences,
        truncated=expansion.truncated,
        warnings=tuple(warnings),
    )


def _start_end(component, limits: IcsLimits) -> tuple[date, date]:
    """DTSTART and the end (DTEND, DURATION or the RFC 5545 default), checked for sense."""
    start = fields.moment(component, "DTSTART")
    if start is None:
        raise EventProblem(_("The event has no start date (DTSTART)."))
    _check_year(start, limits)
    end = _same_kind(_end(component, start, limits), start)
    _check_year(end, limits)
    if _naive(end) < _naive(start):
        raise EventProblem(_("The event ends before it starts."))
    if _naive(end) - _naive(start) > timedelta(days=limits.max_event_days):
        raise EventProblem(_("The event lasts longer than %(days)d days.") % {"days": limits.max_event_days})
    return start, end


def _end(component, start: date, limits: IcsLimits) -> date:
    end = fields.moment(component, "DTEND")
    if end is not None:
        return end
    if "DURATION" not in component:
        return start if isinstance(start, datetime) else start + timedelta(days=1)
    try:
        duration = component["DURATION"].dt
        if not isinstance(duration, timedelta) or abs(duration) > timedelta(days=limits.max_event_days):
            raise ValueError(duration)
        return start + duration
    except (AttributeError, ValueError, OverflowError) as error:
        raise EventProblem(_("The event's duration (DURATION) is invalid or impractical.")) from error


def _same_kind(end: date, start: date) -> date:
    """An end of the start's kind: a date for all-day events, a time in the start's zone otherwise."""
    if isinstance(start, datetime) and not isinstance(end, datetime):
        return datetime(end.year, end.month, end.day, tzinfo=start.tzinfo)
    if not isinstance(start, datetime) and isinstance(end, datetime):
        return max(end.date(), start + timedelta(days=1))
    return end


def _naive(value: date) -> datetime:
    """A comparable datetime: dates at midnight, aware times in UTC."""
    if not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    if value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


def _check_year(value: date, limits: IcsLimits) -> None:
    if not limits.min_year <= value.year <= limits.max_year:
        raise EventProblem(
            _("The date %(date)s is outside the years %(min)d–%(max)d.")
            % {"date": value.isoformat()[:10], "min": limits.min_year, "max": limits.max_year}
        )


def _local_zone(component, start: date, calendar_zone: ZoneInfo, warnings: list[str]) -> ZoneInfo:
    """The zone floating or unresolvable times are read in, with a warning for unknown TZIDs."""
    tzid = str(component["DTSTART"].params.get("TZID", "") or "").strip()
    zone = getattr(start, "tzinfo", None)
    if isinstance(zone, ZoneInfo):
        return zone
    if tzid and zone is None:
        warnings.append(
            _("Unknown time zone “%(tz)s”; the times were read in %(zone)s.")
            % {"tz": tzid[:80], "zone": calendar_zone.key}
        )
    elif is_custom_zone(start):
        warnings.append(
            _("The time zone “%(tz)s” is defined only in the file; it is shown as %(zone)s.")
            % {"tz": tzid[:80], "zone": calendar_zone.key}
        )
    return iana_zone(tzid) or calendar_zone


def _rrule(component, start: date, context: Context) -> str:
    """The RRULE as RFC 5545 text, refused when it would make the expansion walk too many steps."""
    rules = component.get("RRULE")
    # An empty "RRULE:" line (seen in exported holiday calendars) means no repetition.
    rules = [rule for rule in (rules if isinstance(rules, list) else [rules]) if rule]
    until = horizon_end(context.window, context.limits)
    for rule in rules:
        try:
            steps = walk_cost(rule, start, until)
        except (TypeError, ValueError, AttributeError, OverflowError) as error:
            raise EventProblem(_("The repetition rule (RRULE) is invalid.")) from error
        if steps > context.limits.max_rrule_steps:
            raise EventProblem(_("The repetition rule (RRULE) repeats too often to be expanded."))
    return "\n".join(rule.to_ical().decode("utf-8", "replace") for rule in rules)


def _checked_dates(component, name: str, limits: IcsLimits) -> list[date]:
    values = fields.date_list(component, name)
    for value in values:
        _check_year(value, limits)
    return values


def _override(component, local: ZoneInfo, limits: IcsLimits) -> IcsOverride:
    recurrence_id = fields.moment(component, "RECURRENCE-ID")
    start, end = _start_end(component, limits)
    return IcsOverride(
        recurrence_id=to_utc(recurrence_id or start, local),
        start=to_utc(start, local),
        end=to_utc(end, local),
        status=fields.status_of(component),
        summary=fields.text(component, "SUMMARY", 500, []),
    )


def _occurrences(components, master, start, local, context: Context, budget: int, warnings) -> Expansion:
    """Expand within the window and the horizon, and say so when a bound cut the series."""
    window = (context.window[0], horizon_end(context.window, context.limits))
    limit = min(context.limits.max_occurrences_per_event, budget)
    if limit == 0:
        warnings.append(_("The file has too many occurrences in all: this event's were not expanded."))
        return Expansion((), True)
    try:
        expansion = expand(components, local=local, window=window, limit=limit)
    except Exception as error:  # recurring-ical-events and dateutil raise many kinds of errors
        if "RRULE" in master:
            raise EventProblem(_("The repetition rule (RRULE) is invalid.")) from error
        raise EventProblem(_("The event's dates (RDATE, EXDATE, RECURRENCE-ID) cannot be combined.")) from error
    cut_by_horizon = window[1] < context.window[1] and _continues_after(master, start, window[1], local)
    if expansion.truncated or cut_by_horizon:
        last = expansion.occurrences[-1][0] if expansion.occurrences else window[1]
        warnings.append(
            _("The event repeats beyond what can be imported: only %(n)d occurrences, until %(date)s, were kept.")
            % {"n": len(expansion.occurrences), "date": last.isoformat()[:10]}
        )
        return Expansion(expansion.occurrences, True)
    return expansion


def _continues_after(master, start: date, moment: datetime, local: ZoneInfo) -> bool:
    """Whether the series may have occurrences after `moment` (cheap: from UNTIL and RDATE only)."""
    rdates = [to_utc(d, local) for d in fields.date_list(master, "RDATE")]
    if any(_naive(d) > _naive(moment) for d in rdates):
        return True
    rules = master.get("RRULE")
    for rule in rules if isinstance(rules, list) else [rules] if rules is not None else []:
        until = rule.get("UNTIL")
        if not until or _naive(until[0]) > _naive(moment):
            return True
    return False
