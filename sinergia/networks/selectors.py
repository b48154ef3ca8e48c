"""Reads of networks, memberships and charters shared by pages, feeds and the API."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, F, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import NoReverseMatch, reverse

from sinergia.networks.models import CharterSignature, CharterVersion, Membership, Network
from sinergia.networks.rules import COORDINATING_ROLES, coordinated_network_ids

PUBLIC_STATUSES = (Membership.Status.ADMITTED,)
ADMIN_ROLE = "admin"


@dataclass(frozen=True)
class NetworkFilters:
    """The network list's filters; every field is optional."""

    q: str = ""
    kind: str = ""
    scale: str = ""
    governance: str = ""
    region: str = ""
    country: str = ""
    theme: str = ""


def _admitted_count() -> Coalesce:
    """Number of admitted members of the outer network."""
    members = (Membership.objects.filter(network=OuterRef("pk"), status=Membership.Status.ADMITTED)
               .order_by().values("network").annotate(count=Count("pk")).values("count"))
    return Coalesce(Subquery(members, output_field=IntegerField()), Value(0))


def _current_charter_number(network_ref: str = "pk") -> Subquery:
    """Number of the latest charter version of the network referenced by `network_ref`."""
    latest = (CharterVersion.objects.filter(network=OuterRef(network_ref)).order_by()
              .values("network").annotate(top=Max("number")).values("top"))
    return Subquery(latest, output_field=IntegerField())


def _signed_version(membership_ref: str = "pk") -> Subquery:
    """Highest charter version number the outer membership has signed."""
    signed = (CharterSignature.objects.filter(membership=OuterRef(membership_ref)).order_by()
              .values("membership").annotate(top=Max("charter__number")).values("top"))
    return Subquery(signed, output_field=IntegerField())


def network_list(*, viewer=None, filters: NetworkFilters | None = None) -> QuerySet[Network]:
    """Listed networks matching the filters (theme by notation), annotated with member_count."""
    filters = filters or NetworkFilters()
    qs = Network.objects.filter(is_active=True)
    for word in filters.q.split()[:8]:
        qs = qs.filter(Q(name__icontains=word) | Q(description__icontains=word) | Q(region__icontains=word))
    for field in ("kind", "scale", "governance", "country"):
        if value := getattr(filters, field):
            qs = qs.filter(**{field: value})
    if filters.region:
        qs = qs.filter(region__iexact=filters.region)
    if filters.theme:
        qs = qs.filter(pk__in=Network.themes.through.objects.filter(concept__notation=filters.theme)
                       .values("network_id"))
    return qs.annotate(member_count=_admitted_count()).prefetch_related("themes")


def network_get(*, slug: str, viewer=None) -> Network:
    """One network (listed, unless the viewer is an operator), annotated; raises Network.DoesNotExist."""
    qs = Network.objects.select_related("founded_by").prefetch_related("themes")
    if not (viewer and viewer.is_authenticated and viewer.is_staff):
        qs = qs.filter(is_active=True)
    qs = qs.annotate(member_count=_admitted_count(), current_charter_number=_current_charter_number())
    return qs.get(slug=slug)


def _viewer_manages(viewer, network: Network) -> bool:
    """The viewer coordinates the network or is an operator."""
    if not (viewer and viewer.is_authenticated):
        return False
    return viewer.is_staff or network.pk in coordinated_network_ids(viewer)


def network_members(*, network: Network, viewer=None, statuses=("admitted",)) -> QuerySet[Membership]:
    """Members in the statuses the viewer may see, coordinators first, with `signed_version`."""
    if not _viewer_manages(viewer, network):
        statuses = [status for status in statuses if status in PUBLIC_STATUSES]
    role_order = Case(When(role=Membership.Role.COORDINATOR, then=Value(0)), default=Value(1),
                      output_field=IntegerField())
    return (
        Membership.objects.filter(network=network, status__in=list(statuses))
        .select_related("organisation", "member_network")
        .annotate(signed_version=_signed_version(), role_order=role_order,
                  member_name=Coalesce("organisation__name", "member_network__name"))
        .order_by("role_order", "member_name", "pk")
    )


def network_coordinators(*, network: Network) -> QuerySet[Membership]:
    """The network's admitted coordinating members."""
    return (Membership.objects.filter(network=network, status=Membership.Status.ADMITTED,
                                      role=Membership.Role.COORDINATOR)
            .select_related("organisation", "member_network").order_by("applied_at", "pk"))


def network_current_charter(*, network: Network) -> CharterVersion | None:
    """The latest published version of the network's charter, or None."""
    return CharterVersion.objects.filter(network=network).select_related("published_by").order_by("-number").first()


def network_charter_versions(*, network: Network) -> QuerySet[CharterVersion]:
    """Every version of the network's charter, newest first, with its number of signatures."""
    return (CharterVersion.objects.filter(network=network).select_related("published_by")
            .annotate(signature_count=Count("signatures")).order_by("-number"))


def network_member_geojson(*, network: Network) -> dict:
    """FeatureCollection of the located admitted member organisations, also those of member networks."""
    admitted = Membership.Status.ADMITTED
    member_networks = Membership.objects.filter(network=network, status=admitted, member_network__isnull=False)
    rows = (Membership.objects.filter(status=admitted, organisation__latitude__isnull=False,
                                      organisation__longitude__isnull=False)
            .filter(Q(network=network) | Q(network_id__in=member_networks.values("member_network_id")))
            .order_by("organisation__name", "pk")
            .values_list("organisation_id", "organisation__name", "organisation__slug", "organisation__kind",
                         "organisation__latitude", "organisation__longitude", "network__name"))
    return {"type": "FeatureCollection", "features": _features(rows)}


def _features(rows) -> list[dict]:
    """GeoJSON features of (id, name, slug, kind, lat, lon, network) rows, one per organisation."""
    from sinergia.directory.models import Organisation

    kinds = dict(Organisation.Kind.choices)
    url_of = _organisation_url_builder()
    features, seen = [], set()
    for pk, name, slug, kind, lat, lon, network_name in rows:
        if pk in seen:
            continue
        seen.add(pk)
        properties = {"name": name, "url": url_of(slug), "kind": str(kinds.get(kind, kind)), "network": network_name}
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                         "properties": properties})
    return features


def _organisation_url_builder():
    """A fast slug → organisation page URL function (one reverse for thousands of rows)."""
    marker = "organisation-slug-marker"
    try:
        template = reverse("directory:detail", args=[marker])
    except NoReverseMatch:
        return lambda slug: ""
    return lambda slug: template.replace(marker, slug)


def networks_of(*, organisation) -> QuerySet[Membership]:
    """The organisation's current memberships, with `signed_version` and the network's `current_version`."""
    return (Membership.objects.filter(organisation=organisation, status__in=Membership.CURRENT)
            .select_related("network")
            .annotate(signed_version=_signed_version(),
                      current_version=_current_charter_number("network_id"))
            .order_by("network__name", "pk"))


def memberships_acting_for(*, user, network: Network | None = None) -> QuerySet[Membership]:
    """Current memberships the user may act for (as organisation admin or member network coordinator)."""
    if not user.is_authenticated:
        return Membership.objects.none()
    condition = Q(organisation_id__in=user.organisation_roles.filter(role=ADMIN_ROLE).values("organisation_id"))
    condition |= Q(member_network_id__in=list(coordinated_network_ids(user)))
    qs = Membership.objects.filter(condition, status__in=Membership.CURRENT)
    if network is not None:
        qs = qs.filter(network=network)
    return (qs.select_related("network", "organisation", "member_network")
            .annotate(signed_version=_signed_version(), current_version=_current_charter_number("network_id"))
            .order_by("network__name", "pk"))


def charters_to_sign(*, user) -> QuerySet[Membership]:
    """Admitted memberships the user signs for that have not signed their network's current charter."""
    unsigned = Q(signed_version__isnull=True) | Q(signed_version__lt=F("current_version"))
    current = Q(status=Membership.Status.ADMITTED, current_version__isnull=False)
    return memberships_acting_for(user=user).filter(unsigned & current)


def memberships_of_user(*, user) -> QuerySet[Membership]:
    """Current memberships of every organisation the user belongs to and of every network they coordinate."""
    if not user.is_authenticated:
        return Membership.objects.none()
    condition = Q(organisation_id__in=user.organisation_roles.values("organisation_id"))
    condition |= Q(member_network_id__in=list(coordinated_network_ids(user)))
    return (Membership.objects.filter(condition, status__in=Membership.CURRENT)
            .select_related("network", "organisation", "member_network")
            .annotate(signed_version=_signed_version(), current_version=_current_charter_number("network_id"))
            .order_by("network__name", "pk"))


def applications_to_decide(*, user) -> QuerySet[Membership]:
    """Pending applications to the networks the user coordinates, oldest first."""
    ids = list(coordinated_network_ids(user))
    return (Membership.objects.filter(network_id__in=ids, status=Membership.Status.APPLIED)
            .select_related("network", "organisation", "member_network").order_by("applied_at", "pk"))


def network_parents(*, network: Network) -> QuerySet[Membership]:
    """The network's admitted memberships of other networks."""
    return (Membership.objects.filter(member_network=network, status=Membership.Status.ADMITTED)
            .select_related("network").order_by("network__name"))


def member_contacts(*, membership: Membership) -> QuerySet:
    """Users who speak for a member: its organisation's admins, or its member network's coordinators."""
    if membership.organisation_id is not None:
        return organisation_admins(organisation_id=membership.organisation_id)
    if membership.member_network is not None:
        return network_coordinator_users(network=membership.member_network)
    return get_user_model().objects.none()


def organisation_admins(*, organisation_id: int) -> QuerySet:
    """Active admins of an organisation."""
    return get_user_model().objects.filter(
        organisation_roles__organisation_id=organisation_id, organisation_roles__role=ADMIN_ROLE, is_active=True
    )


def network_coordinator_users(*, network: Network) -> QuerySet:
    """Active users who coordinate the network, directly or through a coordinating member network."""
    coordinators = Membership.objects.filter(status=Membership.Status.ADMITTED, role=Membership.Role.COORDINATOR)
    direct = coordinators.filter(network=network)
    organisations = coordinators.filter(Q(network=network) | Q(network_id__in=direct.values("member_network_id")),
                                        organisation__isnull=False)
    return get_user_model().objects.filter(
        organisation_roles__organisation_id__in=organisations.values("organisation_id"),
        organisation_roles__role__in=COORDINATING_ROLES, is_active=True,
    ).distinct()


def charter_signatory_users(*, network: Network) -> list:
    """Users who sign for the admitted members: organisation admins and member networks' coordinators."""
    admitted = Membership.objects.filter(network=network, status=Membership.Status.ADMITTED)
    users = list(get_user_model().objects.filter(
        organisation_roles__organisation_id__in=admitted.filter(organisation__isnull=False).values("organisation_id"),
        organisation_roles__role=ADMIN_ROLE, is_active=True,
    ).distinct())
    for member_network in Network.objects.filter(pk__in=admitted.values("member_network_id")):
        users.extend(network_coordinator_users(network=member_network))
    return users


def membership_get_for(*, user, pk: int, action: str) -> Membership:
    """The membership if the user may see it; Http404 if not, PermissionDenied if `action` is not allowed."""
    membership = (Membership.objects.select_related("network", "organisation", "member_network")
                  .filter(pk=pk).first())
    if membership is None or not _may_see(user, membership):
        raise Http404
    if not user.has_perm(f"networks.{action}", membership):
        raise PermissionDenied
    return membership


def _may_see(user, membership: Membership) -> bool:
    """Admitted members of listed networks are public; the rest only to their two sides and operators."""
    if membership.status in PUBLIC_STATUSES and membership.network.is_active:
        return True
    return user.has_perm("networks.view_membership", membership)


def admitted_member_organisations(*, network_ids: Iterable[int]) -> QuerySet:
    """The ids of the organisations admitted to any of these networks (a subquery: `values("organisation_id")`)."""
    return Membership.objects.filter(network_id__in=list(network_ids), status=Membership.Status.ADMITTED,
                                     organisation__isnull=False).values("organisation_id")


def admitted_networks_by_organisation(*, organisation_ids: Iterable[int]) -> dict[int, frozenset[int]]:
    """Organisation id → the ids of the networks it is admitted to, in one query."""
    rows = Membership.objects.filter(organisation_id__in=set(organisation_ids), status=Membership.Status.ADMITTED)
    found: dict[int, set[int]] = {}
    for organisation_id, network_id in rows.values_list("organisation_id", "network_id"):
        found.setdefault(organisation_id, set()).add(network_id)
    return {key: frozenset(value) for key, value in found.items()}
