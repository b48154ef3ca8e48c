"""The calendar of the bench data set: events of the bench organisations, built in bulk (issue 3).

Each event takes its place (address, province, region, coordinates) from its venue: mostly the organisation
itself, sometimes another organisation of the same province. Audiences and themes lean on the organisation's own;
some events are shared with networks the organisation is an admitted member of, some of those for members only.
Occurrences are not written here: the project's own refresh (`occurrences_refresh_all`) materialises them.
"""

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from bench import calendar_plans
from bench.common import BENCH_SOURCE, bulk, sample
from sinergia.calendar.models import Event, Occurrence
from sinergia.directory.models import Organisation, OrganisationMember
from sinergia.networks.models import Membership

UID_PREFIX = "bench-"
UID_DOMAIN = "@sinergia.bench"
DRAFT_SHARE, CANCELLED_SHARE = 0.05, 0.03
SHARED_SHARE, MEMBERS_ONLY_SHARE = 0.35, 0.4  # of the events of organisations in a network; of those shared
OTHER_VENUE_SHARE, CO_ORGANISED_SHARE = 0.08, 0.05
ACCESSIBILITY = ("Accessibile in sedia a ruote; ascensore all'ingresso laterale.",
                 "Percorso tattile e audioguide su richiesta.", "")


@dataclass
class Context:
    """What the events are drawn from: the listed bench organisations and their concepts, networks and admins."""

    organisations: list[Organisation]
    by_province: dict[str, list[Organisation]]
    themes: dict[int, list[int]]
    audiences: dict[int, list[int]]
    networks: dict[int, list[int]]
    admins: dict[int, int]
    all_themes: list[int]
    all_audiences: list[int]


def has_events() -> bool:
    """Whether the bench calendar is already there."""
    return Event.objects.filter(uid__startswith=UID_PREFIX, organisation__source=BENCH_SOURCE).exists()


def load_context(concept_ids: dict[str, list[int]]) -> Context:
    """The listed bench organisations with, by organisation id, their themes, audiences, networks and admin."""
    organisations = list(Organisation.objects.filter(source=BENCH_SOURCE, is_active=True).order_by("pk"))
    by_province: dict[str, list[Organisation]] = defaultdict(list)
    for organisation in organisations:
        by_province[organisation.province].append(organisation)
    admins = dict(OrganisationMember.objects.filter(organisation__source=BENCH_SOURCE,
                                                    role=OrganisationMember.Role.ADMIN)
                  .values_list("organisation_id", "user_id"))
    admitted = Membership.objects.filter(status=Membership.Status.ADMITTED, organisation__source=BENCH_SOURCE)
    return Context(organisations=organisations, by_province=dict(by_province),
                   themes=_grouped(Organisation.themes.through.objects.values_list("organisation_id", "concept_id")),
                   audiences=_grouped(Organisation.audiences.through.objects.values_list("organisation_id",
                                                                                          "concept_id")),
                   networks=_grouped(admitted.values_list("organisation_id", "network_id")),
                   admins=admins, all_themes=concept_ids["theme"], all_audiences=concept_ids["audience"])


def _grouped(pairs) -> dict[int, list[int]]:
    """Values by key, sorted so the seeded draws do not depend on the database's row order."""
    grouped: dict[int, list[int]] = defaultdict(list)
    for key, value in pairs:
        grouped[key].append(value)
    return {key: sorted(values) for key, values in grouped.items()}


def events(rng: random.Random, count: int, context: Context, *, monday: date) -> dict[str, int]:
    """`count` events with their audiences, themes, networks and co-organisers; what was planned."""
    if not context.organisations:
        return {"events": 0, "recurring events": 0, "planned occurrences": 0}
    built, links = [], []
    planned = recurring = 0
    for index in range(count):
        event, relations, schedule = _event(rng, index, context, monday)
        built.append(event)
        links.append(relations)
        planned += schedule.expected
        recurring += schedule.recurring
    created = bulk(Event, built)
    _relations(created, links)
    return {"events": len(created), "recurring events": recurring, "planned occurrences": planned}


@dataclass
class _Links:
    audiences: list[int]
    themes: list[int]
    networks: list[int]
    co_organisers: list[int]


def _event(rng: random.Random, index: int, context: Context,
           monday: date) -> tuple[Event, _Links, calendar_plans.Plan]:
    organisation = rng.choice(context.organisations)
    venue = organisation
    if rng.random() < OTHER_VENUE_SHARE:
        venue = rng.choice(context.by_province[organisation.province])
    template = calendar_plans.choose_template(rng)
    schedule = calendar_plans.plan(rng, template, monday=monday, country=organisation.country,
                                   town=organisation.municipality or organisation.locality)
    status = _status(rng)
    networks = _networks(rng, context.networks.get(organisation.pk, []))
    members_only = bool(networks) and rng.random() < MEMBERS_ONLY_SHARE
    is_free, price = calendar_plans.price(rng)
    event = Event(
        organisation=organisation, title=schedule.title, language=organisation.language or "it",
        description=f"{schedule.title}.\n\nA cura di **{organisation.name}**. Prenotazione consigliata.",
        category=schedule.category, venue=venue, place_name=venue.name, address=venue.address,
        locality=venue.locality, province=venue.province, region=venue.region, country=venue.country,
        latitude=venue.latitude, longitude=venue.longitude, start=schedule.start.astimezone(UTC),
        end=schedule.end.astimezone(UTC), all_day=schedule.all_day, timezone=schedule.timezone,
        rrule=schedule.rrule, exdates=schedule.exdates, is_free=is_free, price=price,
        booking_url=rng.choice(("", f"{organisation.website}/prenota")), accessibility=rng.choice(ACCESSIBILITY),
        status=status, visibility=Event.Visibility.NETWORKS if members_only else Event.Visibility.PUBLIC,
        uid=f"{UID_PREFIX}{index}{UID_DOMAIN}", created_by_id=context.admins.get(organisation.pk),
        published_at=None if status == Event.Status.DRAFT else _published_at(rng, schedule.start, monday))
    links = _Links(audiences=_concepts(rng, context.audiences.get(organisation.pk), context.all_audiences, 0, 2),
                   themes=_concepts(rng, context.themes.get(organisation.pk), context.all_themes, 1, 2),
                   networks=networks, co_organisers=_co_organisers(rng, organisation, context))
    return event, links, schedule


def _status(rng: random.Random) -> str:
    draw = rng.random()
    if draw < DRAFT_SHARE:
        return Event.Status.DRAFT
    if draw < DRAFT_SHARE + CANCELLED_SHARE:
        return Event.Status.CANCELLED
    return Event.Status.PUBLISHED


def _published_at(rng: random.Random, start: datetime, monday: date) -> datetime:
    """A few weeks before the start, never after the reference Monday."""
    anchor = datetime.combine(monday, time(9), tzinfo=UTC)
    return min(start.astimezone(UTC) - timedelta(days=rng.randint(7, 60)), anchor)


def _networks(rng: random.Random, admitted: list[int]) -> list[int]:
    if not admitted or rng.random() >= SHARED_SHARE:
        return []
    return sample(rng, admitted, rng.randint(1, 2))


def _concepts(rng: random.Random, own: list[int] | None, every: list[int], least: int, most: int) -> list[int]:
    """Mostly the organisation's own concepts, sometimes any other."""
    pool = own if own and rng.random() < 0.8 else every
    return sample(rng, pool, rng.randint(least, most))


def _co_organisers(rng: random.Random, organisation: Organisation, context: Context) -> list[int]:
    if rng.random() >= CO_ORGANISED_SHARE:
        return []
    neighbours = [org.pk for org in context.by_province[organisation.province] if org.pk != organisation.pk]
    return sample(rng, neighbours, 1)


def _relations(created: list[Event], links: list[_Links]) -> None:
    """The many-to-many rows of every event, in bulk."""
    for field in ("audiences", "themes", "networks", "co_organisers"):
        through = getattr(Event, field).through
        column = {"audiences": "concept_id", "themes": "concept_id", "networks": "network_id",
                  "co_organisers": "organisation_id"}[field]
        bulk(through, (through(event_id=event.pk, **{column: value})
                       for event, link in zip(created, links, strict=True) for value in getattr(link, field)))


def counts() -> dict[str, int]:
    """How many events and occurrences the database holds."""
    recurring = Event.objects.exclude(rrule="").count()
    return {"events": Event.objects.count(), "recurring events": recurring,
            "networks-only events": Event.objects.filter(visibility=Event.Visibility.NETWORKS).count(),
            "occurrences": Occurrence.objects.count()}
