"""What the bench calendar schedules: seeded plans of events (when, how often, what), without the database.

Every occurrence of a plan falls between 51 weeks before and 103 weeks after the reference Monday, so a refresh
run on any day of the following week still finds all of them inside the horizon (12 months back, 24 ahead).
"""

import itertools
import math
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

from bench import names

FIRST_WEEK, LAST_WEEK = -51, 103
ZONES = {"IT": "Europe/Rome", "FR": "Europe/Paris", "ES": "Europe/Madrid", "PT": "Europe/Lisbon"}
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# Weekday of a one-off event (Monday first): museums programme mostly at the weekend.
WEEKDAY_WEIGHTS = (4, 8, 10, 12, 16, 27, 23)
EXDATE_SHARE = 0.25
UNTIL_SHARE = 0.2


@dataclass(frozen=True)
class Template:
    """A kind of event: category, how it repeats, how long it lasts, when it starts."""

    category: str
    weight: int
    repeat: str  # "once", "weekly", "daily", "monthly", "days" (all-day, several days)
    minutes: tuple[int, int] = (60, 120)  # duration of a timed occurrence
    starts: tuple[str, ...] = ("10:00",)  # local start times
    count: tuple[int, int] = (1, 1)  # occurrences (weekly, daily, monthly) or days (all-day spans)
    byday: tuple[str, ...] = ()  # weekly: day sets to pick from; monthly: weekday codes
    all_day: bool = False


# About a third of the events repeat; weekend guided tours carry most of the occurrences.
TEMPLATES = (
    Template("guided_tour", 9, "once", (60, 120), ("10:00", "11:00", "15:00", "16:00", "17:30")),
    Template("talk", 10, "once", (60, 120), ("17:00", "17:30", "18:00", "18:30", "21:00")),
    Template("performance", 8, "once", (90, 150), ("20:30", "21:00", "21:30")),
    Template("workshop", 6, "once", (90, 180), ("10:00", "15:00", "16:00")),
    Template("other", 5, "once", (60, 180), ("09:30", "11:00", "17:00")),
    Template("open_day", 2, "days", count=(1, 1), all_day=True),
    Template("exhibition", 4, "days", count=(14, 180), all_day=True),
    Template("festival", 2, "days", count=(2, 4), all_day=True),
    Template("guided_tour", 9, "weekly", (60, 90), ("10:30", "11:00", "15:30", "16:00"), (60, 240),
             ("SA,SU", "SA,SU", "SU", "SA", "TU,TH")),
    Template("workshop", 3, "weekly", (90, 120), ("10:00", "15:30"), (8, 40), ("SA", "SU")),
    Template("course", 3, "weekly", (90, 120), ("18:00", "20:30"), (8, 30), ("TU", "WE", "TH")),
    Template("performance", 1, "weekly", (90, 120), ("21:00",), (6, 12), ("FR",)),
    Template("festival", 2, "daily", (480, 600), ("10:00",), (3, 10)),
    Template("open_day", 3, "monthly", (480, 480), ("10:00",), (6, 24), ("1SU",)),
    Template("other", 2, "monthly", (90, 90), ("18:00",), (6, 24), ("2TH", "3WE", "-1TH", "4SA")),
)

TITLES = {
    "exhibition": ("Mostra: {subject}", "{subject}. Opere dalle collezioni di {town}", "Esposizione: {subject}"),
    "guided_tour": ("Visita guidata: {subject}", "Visita guidata alle collezioni", "Passeggiata a {town}"),
    "workshop": ("Laboratorio per famiglie: {subject}", "Laboratorio di {subject}", "Piccoli esploratori"),
    "talk": ("Conferenza: {subject}", "Incontro con l'autore", "Presentazione del libro «{subject} a {town}»"),
    "performance": ("Concerto nel chiostro", "Teatro al museo: {subject}", "Musica a {town}"),
    "festival": ("Festa della {subject}", "Notte dei musei a {town}", "Festival della {subject} di {town}"),
    "course": ("Corso di {subject}", "Corso di storia dell'arte", "Corso di catalogazione"),
    "open_day": ("Domenica al museo", "Porte aperte a {town}", "Giornata a ingresso libero"),
    "other": ("Gruppo di lettura", "Caccia al tesoro a {town}", "Assemblea dei soci"),
}
PRICES = ("€5", "€8, ridotto €5", "€10", "€3", "€12, ridotto €8 per gli under 18", "€15")


@dataclass
class Plan:
    """One event to build: its schedule (aware instants, RRULE and exceptions) and its texts."""

    category: str
    title: str
    start: datetime
    end: datetime
    all_day: bool
    timezone: str
    rrule: str = ""
    exdates: list[str] = field(default_factory=list)
    expected: int = 1  # occurrences it makes, all inside the horizon

    @property
    def recurring(self) -> bool:
        return bool(self.rrule)


def reference_monday(today: date | None = None) -> date:
    """The Monday of the current week (UTC): where the seeded schedule is anchored."""
    today = today or datetime.now(UTC).date()
    return today - timedelta(days=today.weekday())


def choose_template(rng: random.Random) -> Template:
    """A template by weight."""
    return rng.choices(TEMPLATES, weights=[t.weight for t in TEMPLATES])[0]


def plan(rng: random.Random, template: Template, *, monday: date, country: str, town: str) -> Plan:
    """A seeded plan of this template for an organisation of that country and town."""
    zone = ZONES.get(country, ZONES["IT"])
    title = rng.choice(TITLES[template.category]).format(subject=rng.choice(names.SUBJECTS), town=town)
    builder = {"once": _once, "days": _days, "weekly": _weekly, "daily": _daily, "monthly": _monthly}
    return builder[template.repeat](rng, template, monday=monday, zone=zone, title=title)


def _day(rng: random.Random, monday: date, *, last_week: int, weekday: int | None = None) -> date:
    week = rng.randint(FIRST_WEEK, last_week)
    if weekday is None:
        weekday = rng.choices(range(7), weights=WEEKDAY_WEIGHTS)[0]
    return monday + timedelta(weeks=week, days=weekday)


def _local(day: date, clock: str, zone: str) -> datetime:
    hours, minutes = map(int, clock.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=ZoneInfo(zone))


def _midnight(day: date, zone: str) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(zone))


def _timed(rng: random.Random, template: Template, day: date, zone: str) -> tuple[datetime, datetime]:
    start = _local(day, rng.choice(template.starts), zone)
    minutes = rng.randrange(template.minutes[0], template.minutes[1] + 1, 15)
    return start, start + timedelta(minutes=minutes)


def _once(rng: random.Random, template: Template, *, monday: date, zone: str, title: str) -> Plan:
    start, end = _timed(rng, template, _day(rng, monday, last_week=LAST_WEEK - 1), zone)
    return Plan(template.category, title, start, end, False, zone)


def _days(rng: random.Random, template: Template, *, monday: date, zone: str, title: str) -> Plan:
    """An all-day span: an open day, a festival weekend, an exhibition of weeks or months."""
    days = rng.randint(*template.count)
    first = _day(rng, monday, last_week=LAST_WEEK - 1 - math.ceil(days / 7))
    return Plan(template.category, title, _midnight(first, zone), _midnight(first + timedelta(days=days), zone),
                True, zone)


def _weekly(rng: random.Random, template: Template, *, monday: date, zone: str, title: str) -> Plan:
    days = rng.choice(template.byday).split(",")
    span = LAST_WEEK - FIRST_WEEK - 2
    count = min(rng.randint(*template.count), span * len(days))
    weeks = math.ceil(count / len(days))
    day = _day(rng, monday, last_week=LAST_WEEK - 1 - weeks, weekday=DAY_CODES.index(days[0]))
    start, end = _timed(rng, template, day, zone)
    rule = f"FREQ=WEEKLY;BYDAY={','.join(days)}"
    if len(days) == 1 and rng.random() < UNTIL_SHARE:
        # The last start at the same wall time (daylight saving moves its UTC hour), as RFC 5545 wants it: UTC.
        last = datetime.combine(day + timedelta(weeks=count - 1), start.time(), tzinfo=start.tzinfo)
        rule += f";UNTIL={last.astimezone(UTC):%Y%m%dT%H%M%SZ}"
    else:
        rule += f";COUNT={count}"
    return _with_exdates(rng, Plan(template.category, title, start, end, False, zone, rule, expected=count))


def _daily(rng: random.Random, template: Template, *, monday: date, zone: str, title: str) -> Plan:
    count = rng.randint(*template.count)
    start, end = _timed(rng, template, _day(rng, monday, last_week=LAST_WEEK - 3), zone)
    return _with_exdates(rng, Plan(template.category, title, start, end, False, zone, f"FREQ=DAILY;COUNT={count}",
                                   expected=count))


def _monthly(rng: random.Random, template: Template, *, monday: date, zone: str, title: str) -> Plan:
    """The nth weekday of every month (the first Sunday, the last Thursday), starting on the first of them."""
    count = rng.randint(*template.count)
    byday = rng.choice(template.byday)
    rough = _day(rng, monday, last_week=LAST_WEEK - 6 - math.ceil(count * 31 / 7), weekday=0)
    first = next(iter(rrulestr(f"FREQ=MONTHLY;BYDAY={byday}", dtstart=datetime.combine(rough, time.min))))
    rule = f"FREQ=MONTHLY;BYDAY={byday};COUNT={count}"
    start, end = _timed(rng, template, first.date(), zone)
    return _with_exdates(rng, Plan(template.category, title, start, end, False, zone, rule, expected=count))


def _with_exdates(rng: random.Random, planned: Plan) -> Plan:
    """A quarter of the series skip one to three of their dates (never the first): holidays, closures."""
    if planned.expected < 4 or rng.random() >= EXDATE_SHARE:
        return planned
    picks = sorted(rng.sample(range(1, planned.expected), min(rng.randint(1, 3), planned.expected - 1)))
    instants = itertools.islice(rrulestr(planned.rrule, dtstart=planned.start), picks[-1] + 1)
    chosen = [instant for index, instant in enumerate(instants) if index in picks]
    planned.exdates = [instant.astimezone(UTC).isoformat() for instant in chosen]  # stored as aware UTC
    planned.expected -= len(chosen)
    return planned


def price(rng: random.Random) -> tuple[bool, str]:
    """(is_free, price): four in ten events are free."""
    if rng.random() < 0.4:
        return True, ""
    return False, rng.choice(PRICES)
