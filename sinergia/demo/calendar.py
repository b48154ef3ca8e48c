"""The demo calendar: a season of events of the Bologna museums, written through the calendar services.

Dates are relative to the day the demo is loaded, so the calendar always shows the coming weeks; the choice of
events is seeded, so two loads on the same day give the same calendar.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from sinergia.accounts.models import User
from sinergia.calendar.models import Event
from sinergia.calendar.services import EventData, event_create
from sinergia.core.models import Concept
from sinergia.directory.models import Organisation
from sinergia.networks.models import Network

SEED = 2026


@dataclass(frozen=True)
class Template:
    """A kind of event a museum puts on, and when it usually happens."""

    title: str
    category: str
    audiences: tuple[str, ...]
    themes: tuple[str, ...]
    start: time
    hours: float
    weekday: int  # 0 = Monday; a weekly rule's BYDAY names the same day
    rrule: str = ""
    free: bool = False
    price: str = ""


TEMPLATES = (
    Template("Visita guidata alle collezioni", Event.Category.GUIDED_TOUR, ("adults",), ("art",), time(16), 1.5, 5,
             "FREQ=WEEKLY;BYDAY=SA;COUNT=10", price="€5, ridotto €3"),
    Template("Laboratorio per famiglie: piccoli restauratori", Event.Category.WORKSHOP, ("families", "children"),
             ("art",), time(15, 30), 2, 6, "FREQ=WEEKLY;BYDAY=SU;COUNT=6", price="€4 a bambino"),
    Template("Conferenza: la città e i suoi archivi", Event.Category.TALK, ("adults", "researchers"),
             ("history",), time(18), 1.5, 3, free=True),
    Template("Concerto nel chiostro", Event.Category.PERFORMANCE, ("adults",), ("music",), time(21), 2, 4,
             price="€10"),
    Template("Domenica al museo", Event.Category.OPEN_DAY, ("families", "adults"), ("history",), time(10), 8, 6,
             "FREQ=MONTHLY;BYDAY=1SU;COUNT=4", free=True),
    Template("Percorso tattile per persone cieche e ipovedenti", Event.Category.GUIDED_TOUR,
             ("people-with-disabilities",), ("art",), time(11), 1.5, 5, free=True),
    Template("Corso di fotografia del patrimonio", Event.Category.COURSE, ("adults", "young-people"),
             ("photography",), time(17, 30), 2, 1, "FREQ=WEEKLY;BYDAY=TU;COUNT=8", price="€60 il corso"),
)


def build_demo_calendar(*, bologna: list[Organisation], network: Network, operator: User,
                        admins: list[User], say=print) -> int:
    """Events for the network's museums (by their admins) and other museums of the city (by the operator)."""
    rng = random.Random(SEED)
    today = timezone.localdate()
    created = 0
    for index, (organisation, admin) in enumerate(zip(bologna, admins, strict=False)):
        created += _season(rng, organisation, admin, today, network if index < 3 else None)
    others = (Organisation.objects.filter(municipality__iexact="Bologna", latitude__isnull=False)
              .exclude(pk__in=[o.pk for o in bologna]).order_by("id")[:12])
    for organisation in others:
        created += _season(rng, organisation, operator, today, None, count=2)
    created += _exhibition(bologna[0], admins[0], today, network)
    say(f"Calendar: {created} events of {len(bologna) + len(others)} Bologna institutions.")
    return created


def _season(rng: random.Random, organisation: Organisation, by: User, today: date, network: Network | None,
            count: int = 4) -> int:
    """A few events of the organisation in the coming ten weeks, published; some shared with the network."""
    made = 0
    for template in rng.sample(TEMPLATES, count):
        day = _next_weekday(today + timedelta(days=rng.randint(3, 50)), template.weekday)
        networks = [network] if network and rng.random() < 0.7 else []
        event_create(organisation=organisation, by=by, data=_data(template, organisation, day, networks),
                     publish=True, confirm_clash=True)
        made += 1
    return made


def _exhibition(organisation: Organisation, by: User, today: date, network: Network) -> int:
    """A two-month exhibition: a long all-day event that the clash check weighs lightly."""
    start = today + timedelta(days=7)
    data = EventData(
        title="Mostra: Bologna, città delle arti (1500–1800)", category=Event.Category.EXHIBITION,
        description="Dipinti, disegni e stampe dalle collezioni civiche e dalle raccolte dei musei della rete.",
        language="it", audiences=_concepts(("adults", "schools")), themes=_concepts(("art", "history")),
        venue=organisation, start=start, end=start + timedelta(days=60), all_day=True, timezone="Europe/Rome",
        price="€12, ridotto €8", networks=[network],
    )
    event_create(organisation=organisation, by=by, data=data, publish=True, confirm_clash=True)
    return 1


def _data(template: Template, organisation: Organisation, day: date, networks: list[Network]) -> EventData:
    start = datetime.combine(day, template.start)
    return EventData(
        title=template.title, category=template.category, language="it",
        description=f"{template.title} a cura di {organisation.name}.",
        audiences=_concepts(template.audiences), themes=_concepts(template.themes), venue=organisation,
        start=start, end=start + timedelta(hours=template.hours), timezone="Europe/Rome",
        rrule=template.rrule,
        is_free=template.free, price=template.price, networks=networks,
        accessibility="Accessibile in sedia a rotelle; cani guida ammessi.",
        visibility=Event.Visibility.PUBLIC,
    )


def _next_weekday(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _concepts(notations: tuple[str, ...]) -> list[Concept]:
    """The thesaurus concepts of these notations (those the thesaurus has)."""
    return list(Concept.objects.filter(notation__in=notations))
