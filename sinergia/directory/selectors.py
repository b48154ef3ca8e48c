"""Reads of the directory shared by pages, feeds and the API."""

import dataclasses
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from sinergia.core.models import Concept
from sinergia.core.text import render_markdown
from sinergia.directory.models import Claim, Invitation, Organisation, OrganisationMember


@dataclass(frozen=True)
class OrganisationFilters:
    """The directory's filters; every field is optional."""

    q: str = ""
    kind: str = ""
    region: str = ""
    province: str = ""
    country: str = ""
    theme: str = ""
    audience: str = ""
    category: str = ""
    network: str = ""


CONCEPT_FILTERS = {"theme": "themes", "audience": "audiences", "category": "categories"}


def organisation_list(*, viewer=None, filters: OrganisationFilters | None = None) -> QuerySet[Organisation]:
    """Listed organisations matching the filters (concepts by notation, network by slug)."""
    filters = filters or OrganisationFilters()
    qs = Organisation.objects.filter(is_active=True)
    if filters.q:
        for word in filters.q.split()[:8]:
            qs = qs.filter(Q(name__icontains=word) | Q(municipality__icontains=word) | Q(province__icontains=word))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.country:
        qs = qs.filter(country=filters.country.strip().upper())
    for field in ("region", "province"):
        if value := getattr(filters, field):
            qs = qs.filter(**{f"{field}__iexact": value})
    for field, relation in CONCEPT_FILTERS.items():
        if value := getattr(filters, field):
            qs = qs.filter(**{f"{relation}__notation": value})
    if filters.network:
        qs = qs.filter(
            network_memberships__network__slug=filters.network,
            network_memberships__status="admitted",
        )
    return qs.distinct() if (filters.network or filters.theme or filters.audience or filters.category) else qs


SLUG_IN_BRACKETS = re.compile(r"\(([-a-zA-Z0-9_]+)\)\s*$")


def organisation_find(text: str, *, viewer=None) -> Organisation:
    """The listed organisation written as "Name (slug)", as a slug or as its exact name; ValidationError otherwise."""
    text = text.strip()
    listed = organisation_list(viewer=viewer)
    match = SLUG_IN_BRACKETS.search(text)
    found = listed.filter(slug=match.group(1) if match else text).first()
    if found is None:
        named = list(listed.filter(name__iexact=text)[:2])
        if len(named) > 1:
            raise ValidationError(_("Several organisations are called “%(name)s”: choose one from the suggestions.")
                                  % {"name": text})
        found = named[0] if named else None
    if found is None:
        raise ValidationError(_("No organisation in the directory is called “%(name)s”.") % {"name": text[:100]})
    return found


def organisation_get(*, slug: str, viewer=None) -> Organisation:
    """One listed organisation with its concepts prefetched (raises DoesNotExist)."""
    qs = Organisation.objects.prefetch_related("themes", "audiences", "categories")
    if not (viewer and viewer.is_authenticated and viewer.is_staff):
        qs = qs.filter(is_active=True)
    return qs.get(slug=slug)


def organisations_of(*, user, roles: tuple[str, ...] | None = None) -> QuerySet[Organisation]:
    """The organisations in which the user has one of the roles (any role by default)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    memberships = OrganisationMember.objects.filter(user=user)
    if roles:
        memberships = memberships.filter(role__in=roles)
    return Organisation.objects.filter(pk__in=memberships.values("organisation_id")).order_by("name")


def organisation_cards(*, viewer=None, filters: OrganisationFilters | None = None) -> QuerySet[Organisation]:
    """The directory list's rows: organisation_list with the themes shown on each card prefetched."""
    return organisation_list(viewer=viewer, filters=filters).prefetch_related("themes")


@dataclass(frozen=True)
class DirectoryFacets:
    """The options of the directory's filters, each built with one query."""

    kinds: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    regions: list[str] = dataclasses.field(default_factory=list)
    provinces: list[tuple[str, list[str]]] = dataclasses.field(default_factory=list)
    countries: list[str] = dataclasses.field(default_factory=list)
    themes: list[Concept] = dataclasses.field(default_factory=list)
    audiences: list[Concept] = dataclasses.field(default_factory=list)
    categories: list[Concept] = dataclasses.field(default_factory=list)
    networks: list[tuple[str, str]] = dataclasses.field(default_factory=list)


# Filter options change rarely and cost five scans of the directory: every page shares them for a minute.
FACETS_CACHE_SECONDS = 60


def organisation_facets() -> DirectoryFacets:
    """Filter options present among listed organisations, cached briefly per language."""
    key = f"directory:facets:{translation.get_language()}"
    facets = cache.get(key)
    if facets is None:
        facets = _organisation_facets()
        cache.set(key, facets, FACETS_CACHE_SECONDS)
    return facets


def _organisation_facets() -> DirectoryFacets:
    """Filter options present among listed organisations: distinct values, never one query per row."""
    from sinergia.networks.models import Network  # networks build on the directory, not the reverse

    listed = Organisation.objects.filter(is_active=True)
    present_kinds = set(listed.order_by("kind").values_list("kind", flat=True).distinct())
    places = listed.order_by("region", "province").values_list("region", "province").distinct()
    provinces: dict[str, list[str]] = {}
    for region, province in places:
        provinces.setdefault(region, [])
        if province:
            provinces[region].append(province)
    concepts: dict[str, list[Concept]] = {scheme: [] for scheme in CONCEPT_FILTERS}
    for concept in Concept.objects.filter(scheme__in=list(CONCEPT_FILTERS)):
        concepts[concept.scheme].append(concept)
    return DirectoryFacets(
        kinds=[(value, str(label)) for value, label in Organisation.Kind.choices if value in present_kinds],
        regions=[region for region in provinces if region],
        provinces=[(region, names) for region, names in provinces.items() if names],
        countries=list(listed.order_by("country").values_list("country", flat=True).distinct()),
        networks=list(Network.objects.filter(is_active=True).order_by("name").values_list("slug", "name")),
        **{CONCEPT_FILTERS[scheme]: sorted(found, key=lambda c: c.label.casefold())
           for scheme, found in concepts.items()},
    )


def get_organisation_for(*, user, slug: str, perm: str | None = None) -> Organisation:
    """The organisation the user may see (Http404 otherwise), checked against `perm` (PermissionDenied)."""
    try:
        organisation = organisation_get(slug=slug, viewer=user)
    except Organisation.DoesNotExist as error:
        raise Http404 from error
    if perm and not user.has_perm(perm, organisation):
        raise PermissionDenied
    return organisation


def organisation_networks(*, organisation: Organisation) -> QuerySet[Any]:
    """The organisation's admitted memberships of listed networks, with their network."""
    from sinergia.networks.models import Membership  # networks build on the directory, not the reverse

    return (
        Membership.objects.filter(organisation=organisation, status=Membership.Status.ADMITTED,
                                  network__is_active=True)
        .select_related("network")
        .order_by("network__name")
    )


def organisation_people(*, organisation: Organisation, viewer=None) -> QuerySet[OrganisationMember]:
    """The people of an organisation with their user, for its own members and operators only."""
    if not (viewer and viewer.has_perm("directory.view_people", organisation)):
        return OrganisationMember.objects.none()
    return organisation.people.select_related("user").order_by("role", "user__full_name", "user__email")


def organisation_invitations(*, organisation: Organisation) -> QuerySet[Invitation]:
    """The organisation's invitations not yet accepted, newest first."""
    return organisation.invitations.filter(accepted_at__isnull=True).select_related("invited_by")


def member_get_for(*, user, slug: str, pk: int) -> OrganisationMember:
    """A person of the organisation, for someone who may see its people (Http404 otherwise)."""
    organisation = get_organisation_for(user=user, slug=slug)
    if not user.has_perm("directory.view_people", organisation):
        raise Http404
    try:
        return organisation.people.select_related("user", "organisation").get(pk=pk)
    except OrganisationMember.DoesNotExist as error:
        raise Http404 from error


def invitation_get(*, token: str) -> Invitation:
    """The invitation with this token (Http404 if there is none)."""
    try:
        return Invitation.objects.select_related("organisation", "invited_by").get(token=token)
    except Invitation.DoesNotExist as error:
        raise Http404 from error


def claim_pending_list() -> QuerySet[Claim]:
    """Claims waiting for an operator, oldest first."""
    return (
        Claim.objects.filter(status=Claim.Status.PENDING)
        .select_related("organisation", "user")
        .order_by("created_at", "id")
    )


def claim_pending_for(*, organisation: Organisation, user) -> Claim | None:
    """The user's pending claim of the organisation, if any."""
    if not (user and user.is_authenticated):
        return None
    return Claim.objects.filter(organisation=organisation, user=user, status=Claim.Status.PENDING).first()


MAP_FIELDS = ("slug", "name", "kind", "municipality", "longitude", "latitude")
FULL_MAP_FIELDS = (*MAP_FIELDS, "locality", "province", "region", "country", "website", "source", "source_id")


def organisation_geojson(*, queryset: QuerySet[Organisation], base_url: str = "", full: bool = False) -> dict:
    """A GeoJSON FeatureCollection of the located organisations of `queryset`; coordinates are [lon, lat].

    Built from plain tuples, without model instances, so that 10,000 organisations stay fast.
    Properties: name, url, kind (label), municipality; `full` adds slug, place, website and source identifiers.
    """
    fields = FULL_MAP_FIELDS if full else MAP_FIELDS
    rows = (
        queryset.filter(latitude__isnull=False, longitude__isnull=False)
        .order_by()
        .values_list(*fields)
    )
    kinds = {value: str(label) for value, label in Organisation.Kind.choices}
    url_head, url_tail = _detail_url_parts(base_url)
    features = []
    for row in rows:
        slug, name, kind, municipality, longitude, latitude, *extra = row
        properties = {"name": name, "url": f"{url_head}{slug}{url_tail}", "kind": kinds.get(kind, kind),
                      "municipality": municipality}
        if full:
            properties.update(zip(("slug", *FULL_MAP_FIELDS[len(MAP_FIELDS):]), (slug, *extra), strict=True))
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
                         "properties": properties})
    return {"type": "FeatureCollection", "features": features}


def _detail_url_parts(base_url: str) -> tuple[str, str]:
    """The detail page's URL split around the slug, so that rows need no reverse() each."""
    head, tail = reverse("directory:detail", kwargs={"slug": "SLUG"}).split("SLUG")
    return base_url + head, tail


EXPORT_FIELDS = (
    "source", "source_id", "name", "slug", "kind", "description", "language", "languages", "website", "email",
    "phone", "address", "postcode", "locality", "municipality", "province", "region", "country", "latitude",
    "longitude",
)
EXPORT_COLUMNS = (*EXPORT_FIELDS, "themes", "audiences", "categories", "url")
EXPORT_CHUNK = 2000
LANGUAGES_AT, SLUG_AT = EXPORT_FIELDS.index("languages"), EXPORT_FIELDS.index("slug")


def organisation_export_rows(*, queryset: QuerySet[Organisation], base_url: str = "") -> Iterator[list[Any]]:
    """The header and one row per organisation, read in chunks of 2,000 (concepts as |-separated notations)."""
    yield list(EXPORT_COLUMNS)
    url_head, url_tail = _detail_url_parts(base_url)
    batch: list[tuple] = []
    for row in queryset.values_list("pk", *EXPORT_FIELDS).iterator(chunk_size=EXPORT_CHUNK):
        batch.append(row)
        if len(batch) == EXPORT_CHUNK:
            yield from _export_batch(batch, url_head, url_tail)
            batch = []
    yield from _export_batch(batch, url_head, url_tail)


def _export_batch(batch: list[tuple], url_head: str, url_tail: str) -> Iterator[list[Any]]:
    notations = _concept_notations([row[0] for row in batch])
    for pk, *values in batch:
        values[LANGUAGES_AT] = "|".join(str(tag) for tag in values[LANGUAGES_AT] or [])
        concepts = ["|".join(notations[relation].get(pk, ())) for relation in CONCEPT_FILTERS.values()]
        url = f"{url_head}{values[SLUG_AT]}{url_tail}"
        yield [*("" if value is None else value for value in values), *concepts, url]


def _concept_notations(ids: Iterable[int]) -> dict[str, dict[int, list[str]]]:
    """For each concept relation, the notations of each organisation: one query per relation and batch."""
    ids = list(ids)
    result: dict[str, dict[int, list[str]]] = {}
    for relation in CONCEPT_FILTERS.values():
        mapping: dict[int, list[str]] = defaultdict(list)
        if ids:
            through = getattr(Organisation, relation).through.objects
            pairs = through.filter(organisation_id__in=ids).order_by("concept__notation")
            for organisation_id, notation in pairs.values_list("organisation_id", "concept__notation"):
                mapping[organisation_id].append(notation)
        result[relation] = mapping
    return result


MUSEUM_KINDS = frozenset({Organisation.Kind.MUSEUM, Organisation.Kind.ECOMUSEUM, Organisation.Kind.COMMUNITY_MUSEUM})


def organisation_jsonld(*, organisation: Organisation, url: str, logo_url: str = "") -> dict:
    """schema.org Museum (museum-like kinds) or Organization data of an organisation, for JSON-LD."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Museum" if organisation.kind in MUSEUM_KINDS else "Organization",
        "@id": url,
        "url": url,
        "name": organisation.name,
    }
    optional = {
        "description": strip_tags(render_markdown(organisation.description)).strip(),
        "email": organisation.email,
        "telephone": organisation.phone,
        "logo": logo_url,
        "sameAs": [organisation.website] if organisation.website else [],
        "knowsLanguage": list(organisation.languages or []),
        "keywords": [concept.label for concept in organisation.themes.all()],
        "address": _postal_address(organisation),
    }
    data.update({key: value for key, value in optional.items() if value})
    if organisation.has_location:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": organisation.latitude,
                       "longitude": organisation.longitude}
    return data


def _postal_address(organisation: Organisation) -> dict[str, str]:
    parts = {
        "streetAddress": organisation.address,
        "postalCode": organisation.postcode,
        "addressLocality": organisation.locality or organisation.municipality,
        "addressRegion": organisation.region,
        "addressCountry": organisation.country,
    }
    present = {key: value for key, value in parts.items() if value}
    return {"@type": "PostalAddress", **present} if present else {}
