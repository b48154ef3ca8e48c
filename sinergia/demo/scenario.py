"""The demo: real open data in the directory, a few networks and the people who run them.

Everything is written through the domain services, as a user of the site would write it, so the
demo also exercises the rules (claims decided by an operator, applications admitted by coordinators,
charters signed by each member's administrator).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction

from sinergia.accounts.models import User
from sinergia.core.thesaurus import thesaurus_ensure_loaded
from sinergia.demo.calendar import build_demo_calendar
from sinergia.demo.exchange_desk import build_demo_exchange_desk
from sinergia.demo.library import build_demo_library
from sinergia.directory.importers import import_organisations
from sinergia.directory.models import Organisation
from sinergia.directory.rules import forget_cached_roles
from sinergia.directory.services import claim_decide, claim_submit, organisation_create
from sinergia.networks.models import Membership, Network
from sinergia.networks.services import (
    charter_publish,
    charter_sign,
    membership_admit,
    membership_apply,
    network_found,
)

DEMO_DOMAIN = "sinergia.demo"
OPERATOR_EMAIL = f"operator@{DEMO_DOMAIN}"

BOLOGNA_CHARTER = """## Carta della rete dei musei di Bologna

1. I musei aderenti pubblicano i propri eventi sul calendario condiviso **prima** di annunciarli.
2. Si impegnano a verificare le sovrapposizioni con gli altri membri entro 25 km.
3. Condividono attrezzature, spazi e competenze secondo il regolamento di scambio.
4. Ogni membro nomina un referente e partecipa all'assemblea annuale.
"""
ECOMUSEUM_CHARTER = """## Carta degli ecomusei italiani

Gli ecomusei aderenti riconoscono il patrimonio come bene comune della comunità locale,
promuovono la partecipazione degli abitanti e condividono buone pratiche e formazione.
"""
WORLD_CHARTER = """## Charter of the world ecomuseum platform

National networks of ecomuseums and community museums join to exchange practice,
translate toolkits into their members' languages and speak with one voice.
"""


@dataclass
class DemoResult:
    """What the demo holds, and the accounts with which to try it."""

    source: str
    organisations: int = 0
    networks: list[str] = field(default_factory=list)
    accounts: list[tuple[str, str]] = field(default_factory=list)
    already_loaded: bool = False


def demo_load(*, password: str, data_dir: Path | None = None, say: Callable[[str], None] = print) -> DemoResult:
    """Load the demo once; a second call only reports what is there."""
    data_dir = Path(data_dir or settings.SHARED_DATA_DIR)
    thesaurus_ensure_loaded()
    if User.objects.filter(email=OPERATOR_EMAIL).exists():
        return _report(DemoResult(source="", already_loaded=True))
    source = _load_directory(data_dir, say)
    with transaction.atomic():
        operator, bologna, admins, city = _build_networks(password)
    with transaction.atomic():
        build_demo_calendar(bologna=bologna, network=city, operator=operator, admins=admins, say=say)
    with transaction.atomic():
        contributors = {"bologna": admins[0], "italy": User.objects.get(email=f"ecomuseo1@{DEMO_DOMAIN}"),
                        "world": User.objects.get(email=f"world@{DEMO_DOMAIN}")}
        build_demo_library(contributors=contributors, networks={"bologna": city}, operator=operator, say=say)
    with transaction.atomic():
        build_demo_exchange_desk(operator=operator, bologna=bologna, admins=admins, say=say,
                                 new_user=lambda name, full_name: _user(f"{name}@{DEMO_DOMAIN}", full_name, password))
    return _report(DemoResult(source=source))


def _load_directory(data_dir: Path, say: Callable[[str], None]) -> str:
    """Import the real registers when they are there, else generate a seeded directory."""
    dbunico = data_dir / "museums" / "museums-it-mibact-dbunico-2014"
    bologna = data_dir / "museums" / "museums-it-bologna" / "musei.geojson"
    if dbunico.is_dir() and bologna.is_file():
        for location, fmt in ((dbunico, "dbunico"), (bologna, "geojson")):
            result = import_organisations(location=location, format=fmt)
            say(f"Imported {location.name}: {result.created} created, {result.updated} updated, "
                f"{len(result.warnings)} warning(s).")
        return "open data"
    from bench.generate import generate  # the seeded generator stands in for the real registers

    say(f"{data_dir} is not there: the directory is filled by the seeded generator of bench/ instead.")
    generate(scale=0.05, seed=42)
    return "generated"


def _user(email: str, name: str, password: str, *, staff: bool = False) -> User:
    """A demo account whose e-mail address is already verified."""
    user = User.objects.create_user(email=email, password=password, full_name=name, is_staff=staff,
                                    is_superuser=staff, language="it")
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _adopt(organisation: Organisation, user: User, operator: User) -> Organisation:
    """The user claims the organisation and the operator approves: the user becomes its administrator."""
    claim = claim_submit(organisation=organisation, by=user, message="Demo: I run this institution.")
    claim_decide(claim=claim, by=operator, approve=True)
    forget_cached_roles(user)  # the approval changed roles cached on this very object
    return organisation


def _pick(kind: str, *, name_contains: str = "", municipality: str = "", count: int = 1) -> list[Organisation]:
    """Organisations of the directory to give the demo accounts, best located first."""
    qs = Organisation.objects.filter(kind=kind, latitude__isnull=False)
    if name_contains:
        qs = qs.filter(name__icontains=name_contains)
    if municipality:
        qs = qs.filter(municipality__iexact=municipality)
    picked = list(qs.order_by("id")[:count])
    if len(picked) < count:
        picked += list(Organisation.objects.filter(latitude__isnull=False).exclude(pk__in=[o.pk for o in picked])
                       .order_by("id")[: count - len(picked)])
    return picked


def _join(network: Network, organisation: Organisation, admin: User, coordinator: User, *, sign: bool) -> Membership:
    """Apply, be admitted and (optionally) sign the current charter."""
    membership = membership_apply(network=network, by=admin, organisation=organisation,
                                  motivation="Vogliamo partecipare alla programmazione condivisa.")
    membership_admit(membership=membership, by=coordinator)
    if sign:
        charter_sign(membership=membership, by=admin)
    return membership


def _build_networks(password: str) -> tuple[User, list[Organisation], list[User], Network]:
    """Three networks: a territorial one, a national thematic one, and a world network of networks."""
    operator = _user(OPERATOR_EMAIL, "Operatrice della piattaforma", password, staff=True)
    bologna = _pick(Organisation.Kind.MUSEUM, municipality="Bologna", count=4)
    admins = [_user(f"museo{i + 1}@{DEMO_DOMAIN}", f"Referente museo {i + 1}", password) for i in range(4)]
    for organisation, admin in zip(bologna, admins, strict=True):
        _adopt(organisation, admin, operator)
    city = network_found(
        founder=bologna[0], by=admins[0], name="Rete dei musei di Bologna", kind=Network.Kind.TERRITORIAL,
        scale=Network.Scale.LOCAL, governance=Network.Governance.MOU, language="it", region="Emilia-Romagna",
        country="IT", charter_text=BOLOGNA_CHARTER,
        objectives="Un calendario condiviso, un biglietto unico e lo scambio di attrezzature tra i musei della città.",
        legal_notes="Protocollo d'intesa firmato dai direttori dei musei aderenti.",
        management_notes="Un comitato di coordinamento con un referente per museo; assemblea annuale.",
    )
    charter_sign(membership=city.memberships.get(organisation=bologna[0]), by=admins[0])
    for organisation, admin in zip(bologna[1:3], admins[1:3], strict=True):
        _join(city, organisation, admin, admins[0], sign=True)
    membership_apply(network=city, by=admins[3], organisation=bologna[3],
                     motivation="Il nostro museo vorrebbe aderire alla rete cittadina.")
    charter_publish(network=city, by=admins[0], text=BOLOGNA_CHARTER + "5. I dati del calendario sono aperti.\n",
                    changes="Aggiunto l'impegno sui dati aperti.")
    _build_ecomuseums(operator, password)
    return operator, bologna, admins, city


def _build_ecomuseums(operator: User, password: str) -> None:
    """The Italian ecomuseum network, member of a world platform of national networks."""
    ecomuseums = _pick(Organisation.Kind.ECOMUSEUM, count=5)
    admins = [_user(f"ecomuseo{i + 1}@{DEMO_DOMAIN}", f"Referente ecomuseo {i + 1}", password) for i in range(5)]
    for organisation, admin in zip(ecomuseums, admins, strict=True):
        _adopt(organisation, admin, operator)
    national = network_found(
        founder=ecomuseums[0], by=admins[0], name="Rete italiana degli ecomusei", kind=Network.Kind.THEMATIC,
        scale=Network.Scale.NATIONAL, governance=Network.Governance.ASSOCIATION, language="it", country="IT",
        charter_text=ECOMUSEUM_CHARTER,
        objectives="Formazione comune, buone pratiche condivise e una voce nazionale per gli ecomusei.",
    )
    charter_sign(membership=national.memberships.get(organisation=ecomuseums[0]), by=admins[0])
    for organisation, admin in zip(ecomuseums[1:], admins[1:], strict=True):
        _join(national, organisation, admin, admins[0], sign=True)
    world_admin = _user(f"world@{DEMO_DOMAIN}", "World platform coordinator", password)
    platform = organisation_create(by=world_admin, name="World Ecomuseum Platform Secretariat",
                                   kind=Organisation.Kind.ASSOCIATION, country="PT", municipality="Lisboa",
                                   latitude=38.7223, longitude=-9.1393, language="en")
    world = network_found(
        founder=platform, by=world_admin, name="World Ecomuseum Platform", kind=Network.Kind.THEMATIC,
        scale=Network.Scale.INTERNATIONAL, governance=Network.Governance.ASSOCIATION, language="en",
        charter_text=WORLD_CHARTER, objectives="A world platform of national ecomuseum networks.",
    )
    charter_sign(membership=world.memberships.get(organisation=platform), by=world_admin)
    application = membership_apply(network=world, by=admins[0], member_network=national,
                                   motivation="The Italian network wishes to join the world platform.")
    membership_admit(membership=application, by=world_admin)
    charter_sign(membership=application, by=admins[0])


def _report(result: DemoResult) -> DemoResult:
    """Fill in the counts and the demo accounts."""
    result.organisations = Organisation.objects.count()
    result.networks = list(Network.objects.order_by("name").values_list("name", flat=True))
    result.accounts = list(User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").order_by("email")
                           .values_list("email", "full_name"))
    return result
