"""Who may see, add, change and moderate library resources, as rules predicates and the query they share."""

import rules
from django.db.models import Exists, OuterRef, Q

from sinergia.core.rules import is_operator, operators_manage_models
from sinergia.directory.models import OrganisationMember
from sinergia.directory.rules import can_edit_organisation, is_org_member
from sinergia.library.models import CitationImport, Resource
from sinergia.networks.rules import member_network_ids

EDITING_ROLES = (OrganisationMember.Role.ADMIN, OrganisationMember.Role.EDITOR)


def _in_networks(network_ids: frozenset[int], prefix: str) -> Exists:
    through = Resource.networks.through.objects.filter(resource_id=OuterRef(f"{prefix}pk"),
                                                       network_id__in=network_ids)
    return Exists(through)


def visible_resources_q(viewer, *, prefix: str = "") -> Q:
    """The resources the viewer may see, as a filter (on Resource, or through `prefix`).

    Approved public resources are seen by everyone; approved networks-only ones by members of the networks they
    concern; everything of an organisation (private, awaiting moderation) by its people; all by operators.
    Deleted resources are never listed (OAI-PMH reports them as deleted through its own selector).
    """
    alive = Q(**{f"{prefix}deleted_at__isnull": True})
    if viewer is not None and viewer.is_authenticated and is_operator(viewer):
        return alive
    approved = Q(**{f"{prefix}moderation": Resource.Moderation.APPROVED})
    visible = approved & Q(**{f"{prefix}visibility": Resource.Visibility.PUBLIC})
    if viewer is None or not viewer.is_authenticated:
        return alive & visible
    networks = member_network_ids(viewer)
    if networks:
        visible |= approved & Q(**{f"{prefix}visibility": Resource.Visibility.NETWORKS}) & Q(
            _in_networks(networks, prefix))
    own_orgs = OrganisationMember.objects.filter(user=viewer).values("organisation_id")
    visible |= Q(**{f"{prefix}organisation_id__in": own_orgs})
    return alive & visible


@rules.predicate
def can_view_resource(user, resource) -> bool:
    """The user may see the resource (the rule of `visible_resources_q`, for one object in memory)."""
    if not isinstance(resource, Resource) or resource.is_deleted:
        return False
    approved = resource.moderation == Resource.Moderation.APPROVED
    if approved and resource.visibility == Resource.Visibility.PUBLIC:
        return True
    if is_operator(user) or is_org_member(user, resource.organisation):
        return True
    if not approved or resource.visibility != Resource.Visibility.NETWORKS:
        return False
    networks = member_network_ids(user)
    return bool(networks) and any(network.pk in networks for network in resource.networks.all())


@rules.predicate
def can_edit_resource(user, resource) -> bool:
    """Editors and admins of the contributing organisation (and operators) change and delete it."""
    return isinstance(resource, Resource) and not resource.is_deleted and bool(
        can_edit_organisation(user, resource.organisation))


@rules.predicate
def can_contribute(user, organisation) -> bool:
    """Any person of an organisation adds resources on its behalf (members too: the library is a shared pool)."""
    return bool(is_org_member(user, organisation) or is_operator(user))


@rules.predicate
def is_import_author(user, job) -> bool:
    """The person who started a citations import follows it (operators too)."""
    return isinstance(job, CitationImport) and (
        (job.created_by_id is not None and job.created_by_id == user.pk) or bool(is_operator(user)))


rules.add_perm("library.view_resource", can_view_resource)
rules.add_perm("library.change_resource", can_edit_resource)
rules.add_perm("library.delete_resource", can_edit_resource)
# On an organisation: add resources and import citations on its behalf.
rules.add_perm("library.add_resource", can_contribute)
rules.add_perm("library.moderate_resources", is_operator)
rules.add_perm("library.manage_thesaurus", is_operator)
rules.add_perm("library.view_citationimport", is_import_author)

operators_manage_models("library", ("resource", "creator", "resourcetext"))
