"""Reads of the directory shared by pages, feeds and the API."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from sinergia.directory.models import Organisation, OrganisationMember


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
    for field in ("kind", "country"):
        if value := getattr(filters, field):
            qs = qs.filter(**{field: value})
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
