"""Demo funding calls: a Creative Europe call, a regional Art Bonus style call and a foundation's call, all open."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from sinergia.core.models import Concept
from sinergia.desk.models import FundingCall
from sinergia.desk.services.calls import call_create, call_publish
from sinergia.desk.services.calls_data import CallData
from sinergia.directory.models import Organisation


@dataclass(frozen=True)
class DemoCall:
    """A demo call; its dates are days from today at a wall time of its zone."""

    title: str
    funder: str
    programme: str
    summary: str
    language: str
    days_left: int
    hour: int
    time_zone: str
    kinds: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    amounts: tuple[str | None, str | None] = (None, None)
    co_financing: int | None = None
    topics: tuple[str, ...] = ()
    url: str = ""


CALLS = (
    DemoCall(
        title="Creative Europe – European cooperation projects (small scale)", funder="European Commission (EACEA)",
        programme="Creative Europe – Culture", language="en", days_left=75, hour=17, time_zone="Europe/Brussels",
        summary="Grants for **transnational cooperation** between at least three organisations of three countries "
                "taking part in Creative Europe.\n\n- Duration up to 48 months\n- Priorities: audiences, social "
                "inclusion, sustainability, digital transition",
        kinds=("museum", "ecomuseum", "archive", "library", "association", "foundation", "public_body"),
        countries=("IT", "FR", "DE", "ES", "AT", "SI", "HR", "PT", "BE", "NL"),
        amounts=("60000", "200000"), co_financing=20, topics=("eu-funding", "networks-cooperation"),
        url="https://culture.ec.europa.eu/creative-europe"),
    DemoCall(
        title="Bando Art Bonus regionale per i piccoli musei", funder="Regione Emilia-Romagna",
        programme="Art Bonus regionale", language="it", days_left=40, hour=13, time_zone="Europe/Rome",
        summary="Contributi a **musei ed ecomusei** della regione per restauri, accessibilità e nuovi percorsi di "
                "visita, cumulabili con le erogazioni liberali Art Bonus.",
        kinds=("museum", "ecomuseum", "community_museum"), countries=("IT",), regions=("Emilia-Romagna",),
        amounts=("5000", "40000"), co_financing=30, topics=("art-bonus", "public-funding")),
    DemoCall(
        title="Bando Patrimonio e comunità 2026", funder="Fondazione di comunità", programme="Bando annuale",
        language="it", days_left=12, hour=12, time_zone="Europe/Rome",
        summary="La fondazione sostiene progetti che coinvolgono le **comunità locali** nella cura del patrimonio: "
                "volontariato, educazione, partecipazione.",
        kinds=("association", "ecomuseum", "community_museum", "museum"), countries=("IT",),
        amounts=(None, "15000"), topics=("foundations", "community-engagement")),
)


def _data(demo: DemoCall, regions: list[str]) -> CallData:
    today = timezone.localdate()
    deadline = datetime.combine(today + timedelta(days=demo.days_left), time(demo.hour))
    return CallData(
        title=demo.title, funder=demo.funder, programme=demo.programme, summary=demo.summary,
        language=demo.language, deadline=deadline, opens_at=datetime.combine(today - timedelta(days=10), time(9)),
        time_zone=demo.time_zone, eligible_kinds=list(demo.kinds), eligible_countries=list(demo.countries),
        eligible_regions=regions, amount_min=Decimal(demo.amounts[0]) if demo.amounts[0] else None,
        amount_max=Decimal(demo.amounts[1]) if demo.amounts[1] else None, co_financing_percent=demo.co_financing,
        topics=list(Concept.objects.filter(scheme=Concept.Scheme.TOPIC, notation__in=demo.topics)), url=demo.url)


def _present(regions: tuple[str, ...]) -> list[str]:
    """The regions that the directory has (a demo without them leaves the call open to every region)."""
    listed = set(Organisation.objects.filter(is_active=True, region__in=regions).values_list("region", flat=True))
    return [region for region in regions if region in listed]


def demo_calls(*, by: Any) -> list[FundingCall]:
    """Publish the demo calls as the operator `by` (skipping those already there, by title)."""
    created = []
    for demo in CALLS:
        if FundingCall.objects.filter(title=demo.title).exists():
            continue
        call = call_create(by=by, data=_data(demo, _present(demo.regions)))
        created.append(call_publish(call=call, by=by))
    return created
