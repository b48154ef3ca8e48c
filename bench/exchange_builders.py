"""The exchange of the bench data set (issue 5): offers and needs of the listed bench organisations.

Written in bulk in the caller's transaction from a seeded generator: professionals (companies and freelancers) and
associations offer services, museums offer equipment, spaces, staff time and expertise and ask for services;
most listings serve a radius around their organisation, some whole regions or countries, some are remote; most are
open, the rest expired, closed or fulfilled. The categories are the thesaurus's service scheme.
"""

import random
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate

from bench.common import BENCH_SOURCE, bulk, own_datestamps
from sinergia.core.models import Concept
from sinergia.directory.models import Organisation, OrganisationMember
from sinergia.exchange.models import Listing, ListingCategory

PROFESSIONAL_KINDS = {"company", "freelance", "association", "foundation", "university"}
OFFER_KINDS = {"service": 50, "equipment": 12, "space": 10, "staff_time": 8, "expertise": 10, "exhibit_loan": 3,
               "transport": 4, "coaching": 3}
NEED_KINDS = {"service": 60, "equipment": 10, "space": 6, "staff_time": 10, "expertise": 8, "exhibit_loan": 2,
              "transport": 2, "coaching": 2}
AREA_WEIGHTS = {"radius": 72, "regions": 18, "remote": 10}
STATUS_WEIGHTS = {"open": 84, "closed": 5, "fulfilled": 6}  # the rest of the past ones are expired
TITLES = {
    "offer": {"en": "{category}: {kind} for museums near {town}", "it": "{category}: {kind} per i musei di {town}",
              "fr": "{category} : {kind} pour les musées de {town}", "es": "{category}: {kind} para museos de {town}",
              "pt": "{category}: {kind} para museus de {town}"},
    "need": {"en": "Looking for {category} ({kind}) in {town}", "it": "Cerchiamo {category} ({kind}) a {town}",
             "fr": "Nous cherchons {category} ({kind}) à {town}", "es": "Buscamos {category} ({kind}) en {town}",
             "pt": "Procuramos {category} ({kind}) em {town}"},
}


@dataclass
class Context:
    """The listed bench organisations with coordinates, who publishes for them, the service categories."""

    organisations: list[tuple[int, str, str, str, str, str, float | None, float | None]]  # pk, kind, language, town,
    # region, country, latitude, longitude (never None: filtered)
    weights: dict[str, list[float]]
    publisher: dict[int, int]
    categories: list[tuple[int, dict]]
    today: date


def has_listings() -> bool:
    """Whether the bench exchange is already there."""
    return Listing.objects.filter(organisation__source=BENCH_SOURCE).exists()


def load_context(rng: random.Random) -> Context:
    """The bench organisations that have coordinates and an admin, and the thesaurus's service categories."""
    from sinergia.core.thesaurus import thesaurus_ensure_loaded

    thesaurus_ensure_loaded()
    publisher = dict(OrganisationMember.objects.filter(organisation__source=BENCH_SOURCE, role="admin").values_list(
        "organisation_id", "user_id"))
    organisations = [row for row in Organisation.objects.filter(
        source=BENCH_SOURCE, is_active=True, latitude__isnull=False).order_by("pk").values_list(
        "pk", "kind", "language", "municipality", "region", "country", "latitude", "longitude") if row[0] in publisher]
    # Professionals offer much more than they ask; museums ask more than they offer.
    offer = [8.0 if row[1] in PROFESSIONAL_KINDS else 1.0 for row in organisations]
    need = [0.3 if row[1] in PROFESSIONAL_KINDS else 1.0 for row in organisations]
    categories = list(Concept.objects.filter(scheme=Concept.Scheme.SERVICE).order_by("notation").values_list(
        "pk", "labels"))
    rng.shuffle(categories)  # which categories are the common ones
    return Context(organisations=organisations, publisher=publisher, categories=categories,
                   weights={"offer": list(accumulate(offer)), "need": list(accumulate(need))},
                   today=datetime.now(UTC).date())


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def listings(rng: random.Random, offers: int, needs: int, context: Context) -> dict:
    """`offers` offers and `needs` needs with their categories; what was written and how long it took."""
    started = time.perf_counter()
    planned = [_listing(rng, "offer", context) for _ in range(offers)] + [
        _listing(rng, "need", context) for _ in range(needs)]
    with own_datestamps(Listing, "created_at", "updated_at"):
        created = bulk(Listing, (listing for listing, _categories in planned))
    bulk(ListingCategory, (ListingCategory(listing_id=listing.pk, concept_id=concept)
                           for listing, (_l, categories) in zip(created, planned, strict=True)
                           for concept in categories))
    return {"offers": offers, "needs": needs, "open listings": sum(listing.status == "open" for listing in created),
            "seconds": round(time.perf_counter() - started, 1)}


def _listing(rng: random.Random, side: str, context: Context) -> tuple[Listing, list[int]]:
    organisation = rng.choices(context.organisations, cum_weights=context.weights[side])[0]
    pk, _kind, language, town, region, country, latitude, longitude = organisation
    kind = _weighted(rng, OFFER_KINDS if side == "offer" else NEED_KINDS)
    categories = [context.categories[min(int(rng.paretovariate(1.1)) - 1, len(context.categories) - 1)]
                  for _ in range(rng.randint(1, 2))]
    area = _weighted(rng, AREA_WEIGHTS)
    created = context.today - timedelta(days=rng.randint(0, 400))
    expires = created + timedelta(days=rng.choice((90, 180, 365)))
    status = _weighted(rng, STATUS_WEIGHTS) if expires >= context.today else "expired"
    language = language if language in TITLES[side] else "en"
    label = categories[0][1].get(language) or categories[0][1]["en"]
    moment = datetime.combine(created, datetime.min.time(), tzinfo=UTC) + timedelta(hours=rng.randint(8, 19))
    listing = Listing(
        organisation_id=pk, side=side, kind=kind, area=area, created_by_id=context.publisher[pk],
        title=TITLES[side][language].format(category=label, kind=Listing.Kind(kind).label, town=town)[:200],
        description=f"{label}. {town}, {region}.", latitude=latitude, longitude=longitude,
        radius_km=rng.choice((10, 20, 30, 40, 60, 100, 150)) if area == "radius" else None,
        place_region=region, place_country=country, regions=[region] if area == "regions" else [],
        languages=sorted({language, "en"}) if rng.random() < 0.4 else [language], expires_on=expires,
        conditions=rng.choice(Listing.Conditions.values), status=status,
        visibility="networks" if rng.random() < 0.15 else "public", created_at=moment, updated_at=moment,
        closed_at=moment + timedelta(days=30) if status in ("closed", "fulfilled") else None)
    return listing, sorted({pk for pk, _labels in categories})


def counts() -> dict[str, int]:
    """What the bench exchange holds."""
    return {"offers": Listing.objects.filter(side="offer").count(),
            "needs": Listing.objects.filter(side="need").count()}
