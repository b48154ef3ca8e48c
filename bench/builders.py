"""The pieces of the bench data set, built in bulk (called by bench.generate inside one transaction)."""

import random

from django.contrib.auth.hashers import make_password
from django.utils.text import slugify

from bench import names, places
from bench.common import BENCH_PASSWORD, BENCH_SOURCE, BIG_NETWORK_SLUG, Sizes, bulk, sample
from sinergia.accounts.models import User
from sinergia.core.models import Concept
from sinergia.directory.models import Organisation, OrganisationMember
from sinergia.networks.models import CharterSignature, CharterVersion, Membership, Network

KIND_WEIGHTS = {
    "museum": 40, "ecomuseum": 6, "community_museum": 4, "archive": 10, "library": 10, "heritage_site": 8,
    "association": 8, "public_body": 4, "foundation": 3, "university": 2, "company": 3, "freelance": 2,
}
COUNTRY_WEIGHTS = {"IT": 85, "FR": 5, "ES": 6, "PT": 4}
COUNTRY_NAMES = {"IT": "Italia", "FR": "France", "ES": "España", "PT": "Portugal"}
FALLBACK_CONCEPTS = {
    "theme": {"art": "Art", "history": "History", "archaeology": "Archaeology", "science": "Science",
              "ethnography": "Ethnography", "landscape": "Landscape", "industrial-heritage": "Industrial heritage"},
    "audience": {"families": "Families", "schools": "Schools", "seniors": "Seniors", "researchers": "Researchers"},
    "category": {"civic-museum": "Civic museum", "church-museum": "Church museum", "house-museum": "House museum"},
}
CHARTER = ("## Charter of {name}\n\nMembers share their calendars, lend each other expertise and equipment, "
           "and meet twice a year.\n\n1. Openness\n2. Cooperation\n3. Care of the territory\n")


def concepts() -> dict[str, list[int]]:
    """Ids of the themes, audiences and categories: the thesaurus when loaded, else a few made here."""
    found = {scheme: list(Concept.objects.filter(scheme=scheme).values_list("pk", flat=True))
             for scheme in FALLBACK_CONCEPTS}
    for scheme, labels in FALLBACK_CONCEPTS.items():
        if not found[scheme]:
            found[scheme] = [Concept.objects.get_or_create(notation=notation, defaults={
                "scheme": scheme, "labels": {"en": label}})[0].pk for notation, label in labels.items()]
    return found


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _place(rng: random.Random) -> tuple[str, str, str, str, float, float]:
    """(country, region, province, town, latitude, longitude) of a random place."""
    country = _weighted(rng, COUNTRY_WEIGHTS)
    regions = places.ITALY if country == "IT" else places.EUROPE[country]
    region = rng.choice(list(regions))
    province, lat, lon, towns = rng.choice(regions[region])
    jitter = places.JITTER
    return (country, region, province, rng.choice(towns),
            round(lat + rng.uniform(-jitter, jitter), 6), round(lon + rng.uniform(-jitter, jitter), 6))


def _unique_slug(base: str, taken: set[str]) -> str:
    slug, n = slugify(base)[:110] or "item", 2
    candidate = slug
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    taken.add(candidate)
    return candidate


def _organisation(rng: random.Random, index: int, taken: set[str]) -> Organisation:
    country, region, province, town, lat, lon = _place(rng)
    kind = _weighted(rng, KIND_WEIGHTS)
    name = names.organisation_name(rng, country, kind, town)
    slug = _unique_slug(name, taken)
    located = rng.random() > 0.03
    return Organisation(
        name=name, slug=slug, kind=kind, country=country, region=region, province=province, municipality=town,
        locality=town, address=f"Via {rng.choice(names.SURNAMES)} {rng.randint(1, 120)}",
        postcode=f"{rng.randint(10, 98)}{rng.randint(0, 999):03d}", latitude=lat if located else None,
        longitude=lon if located else None, language={"IT": "it"}.get(country, country.lower()),
        languages=[{"IT": "it"}.get(country, country.lower()), "en"], website=f"https://{slug[:50]}.example.org",
        email=f"info@{slug[:50]}.example.org", phone=f"+39 0{rng.randint(10, 99)} {rng.randint(100000, 999999)}",
        description=f"{name} keeps and tells the history of {town}.\n\nOpen from Tuesday to Sunday.",
        is_active=rng.random() > 0.04, source=BENCH_SOURCE, source_id=str(index))


def organisations(rng: random.Random, count: int, concept_ids: dict[str, list[int]]) -> list[Organisation]:
    """`count` organisations with themes, audiences and categories."""
    taken: set[str] = set(Organisation.objects.values_list("slug", flat=True))
    created = bulk(Organisation, (_organisation(rng, index, taken) for index in range(count)))
    for field, scheme, most in (("themes", "theme", 3), ("audiences", "audience", 2), ("categories", "category", 1)):
        through = getattr(Organisation, field).through
        bulk(through, (through(organisation_id=org.pk, concept_id=concept)
                       for org in created for concept in sample(rng, concept_ids[scheme], rng.randint(1, most))))
    return created


def users(rng: random.Random, count: int, orgs: list[Organisation]) -> list[User]:
    """`count` users (one password for all); the first of each organisation is its admin, the rest editors/members."""
    password = make_password(BENCH_PASSWORD)
    languages = ("it", "it", "it", "en", "fr", "es", "pt")
    created = bulk(User, (User(email=f"bench-user-{n}@example.org", full_name=names.person_name(rng),
                               password=password, language=rng.choice(languages)) for n in range(count)))
    roles = [OrganisationMember(organisation=org, user=user, role=OrganisationMember.Role.ADMIN)
             for org, user in zip(orgs, created, strict=False)]
    for user in created[len(orgs):]:
        role = rng.choice((OrganisationMember.Role.EDITOR, OrganisationMember.Role.MEMBER))
        roles.append(OrganisationMember(organisation=rng.choice(orgs), user=user, role=role))
    bulk(OrganisationMember, roles)
    return created


def _network(rng: random.Random, index: int, founder: Organisation, taken: set[str], big: bool) -> Network:
    scale = Network.Scale.NATIONAL.value if big else rng.choice(Network.Scale.values)
    place = {"local": founder.municipality, "regional": founder.region, "national": COUNTRY_NAMES[founder.country],
             "international": "Europa"}[scale]
    name = "Rete Nazionale dei Musei Civici" if big else names.network_name(rng, place)
    while slugify(name) in taken:
        name = f"{name} {index}"
    slug = BIG_NETWORK_SLUG if big else _unique_slug(name, taken)
    taken.add(slug)
    return Network(
        name=name, slug=slug, kind=rng.choice(Network.Kind.values), scale=scale,
        governance=rng.choice(Network.Governance.values), founded_by=founder,
        region=founder.region if scale in ("local", "regional") else "",
        country="" if scale == "international" else founder.country, language="it",
        description=f"{name} brings together the institutions of {place}.",
        objectives="- A shared calendar\n- Joint exhibitions\n- Training for staff", website="https://example.org")


def networks(rng: random.Random, sizes: Sizes, orgs: list[Organisation], people: list[User],
             concept_ids: dict[str, list[int]]) -> None:
    """The networks, their charters, memberships and signatures; the first is the big one."""
    listed = [org for org in orgs if org.is_active]
    taken: set[str] = set(Network.objects.values_list("slug", flat=True))
    built = bulk(Network, (_network(rng, i, rng.choice(listed), taken, big=i == 0) for i in range(sizes.networks)))
    through = Network.themes.through
    bulk(through, (through(network_id=net.pk, concept_id=concept)
                   for net in built for concept in sample(rng, concept_ids["theme"], rng.randint(1, 2))))
    admin_of = {org.pk: user for org, user in zip(orgs, people, strict=False)}
    charters = _charters(built, admin_of)
    memberships = _memberships(rng, sizes, built, listed, admin_of)
    _signatures(rng, memberships, charters, admin_of)


def _charters(built: list[Network], admin_of: dict[int, User]) -> dict[int, list[CharterVersion]]:
    """Version 1 of every charter, and a version 2 for the big network."""
    versions = [CharterVersion(network=net, number=1, text=CHARTER.format(name=net.name), language="it",
                               published_by=admin_of.get(net.founded_by_id or 0)) for net in built]
    versions.append(CharterVersion(network=built[0], number=2, text=CHARTER.format(name=built[0].name) + "4. Care\n",
                                   changes="Adds care of the collections.", language="it"))
    by_network: dict[int, list[CharterVersion]] = {}
    for version in bulk(CharterVersion, versions):
        by_network.setdefault(version.network_id, []).append(version)
    return by_network


def _memberships(rng: random.Random, sizes: Sizes, built: list[Network], listed: list[Organisation],
                 admin_of: dict[int, User]) -> list[Membership]:
    """Founders coordinate; the big network has its members; the last networks gather national networks."""
    status_weights = {"admitted": 85, "applied": 8, "suspended": 3, "left": 4}
    rows = []
    for position, net in enumerate(built):
        founder = net.founded_by
        assert founder is not None  # every bench network was built with its founder
        rows.append(Membership(network=net, organisation=founder, role="coordinator", status="admitted",
                               applied_by=admin_of.get(founder.pk)))
        size = sizes.big_network_members - 1 if position == 0 else rng.randint(3, 30)
        others = sample(rng, [org for org in rng.sample(listed, min(len(listed), size + 1)) if org != founder], size)
        for org in others:
            status = "admitted" if position == 0 else _weighted(rng, status_weights)
            rows.append(Membership(network=net, organisation=org, status=status, applied_by=admin_of.get(org.pk),
                                   motivation="We would like to share our programme.",
                                   role=rng.choice(("member", "member", "member", "observer", "partner"))))
    rows += _networks_of_networks(built)
    return bulk(Membership, rows)


def _networks_of_networks(built: list[Network]) -> list[Membership]:
    """National networks join the international ones (at most 20 members each)."""
    international = [net for net in built[1:] if net.scale == "international"][:5]
    national = [net for net in built if net.scale == "national"][:20]
    return [Membership(network=parent, member_network=child, status="admitted", role="member")
            for parent in international for child in national if child.pk != parent.pk]


def _signatures(rng: random.Random, memberships: list[Membership], charters: dict[int, list[CharterVersion]],
                admin_of: dict[int, User]) -> None:
    """Most admitted members signed their charter; in the big network some still have only version 1."""
    rows = []
    for membership in memberships:
        if membership.status != "admitted" or rng.random() > 0.8 or membership.organisation_id is None:
            continue
        versions = charters[membership.network_id]
        signer = admin_of.get(membership.organisation_id)
        for version in versions if len(versions) == 1 else sample(rng, versions, rng.randint(1, 2)):
            rows.append(CharterSignature(membership=membership, charter=version, signed_by=signer,
                                         signatory_name=signer.display_name if signer else "Direzione"))
    bulk(CharterSignature, rows)


def counts() -> dict[str, int]:
    """How many of each thing the database holds."""
    return {"organisations": Organisation.objects.count(), "networks": Network.objects.count(),
            "users": User.objects.count(), "organisation roles": OrganisationMember.objects.count(),
            "memberships": Membership.objects.count(), "charter signatures": CharterSignature.objects.count(),
            "big network members": Membership.objects.filter(network__slug=BIG_NETWORK_SLUG,
                                                             status="admitted").count()}
