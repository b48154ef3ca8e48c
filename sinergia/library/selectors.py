"""Reads of the library shared by pages, feeds and the API (search itself lives in `sinergia.library.search`)."""

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from sinergia.core.models import Concept
from sinergia.directory.models import Organisation
from sinergia.library.models import CitationImport, Creator, Resource
from sinergia.library.rules import visible_resources_q

FEED_SIZE = 50
IMPORTS_LISTED = 10


def _with_related(qs: QuerySet[Resource]) -> QuerySet[Resource]:
    """What every page of resources shows: organisation, creators in order, topics."""
    return qs.select_related("organisation").prefetch_related(
        Prefetch("creators", queryset=Creator.objects.order_by("position")),
        Prefetch("topics", queryset=Concept.objects.order_by("notation")),
    )


def resource_list(*, viewer) -> QuerySet[Resource]:
    """The resources the viewer may see, newest first, with what a list shows of each."""
    return _with_related(Resource.objects.filter(visible_resources_q(viewer))).order_by("-created_at", "-id")


def resource_get_for(*, viewer, pk: int, perm: str | None = None) -> Resource:
    """One resource the viewer may see (Http404 otherwise, so hidden ones are not revealed), checked against `perm`.

    An invisible resource and a missing permission both answer 404: a 403 would tell that the resource exists.
    """
    qs = _with_related(Resource.objects.filter(visible_resources_q(viewer))).prefetch_related("networks",
                                                                                             "organisations")
    resource = qs.select_related("original", "created_by").filter(pk=pk).first()
    if resource is None or (perm and not viewer.has_perm(perm, resource)):
        raise Http404
    return resource


def resource_versions(*, resource: Resource, viewer) -> list[Resource]:
    """Every language version of the resource the viewer may see (itself included), by language."""
    root_id = resource.original_id or resource.pk
    group = Resource.objects.filter(visible_resources_q(viewer)).filter(Q(pk=root_id) | Q(original_id=root_id))
    return sorted(group.only("pk", "title", "language", "original_id"), key=lambda r: (r.language, r.pk))


def organisation_resources(*, organisation: Organisation, viewer) -> QuerySet[Resource]:
    """An organisation's contributions the viewer may see (its people see the private and pending ones too)."""
    return resource_list(viewer=viewer).filter(organisation=organisation)


def resource_pending_list() -> QuerySet[Resource]:
    """Contributions awaiting moderation, oldest first (operators only: the caller checks)."""
    qs = Resource.objects.filter(moderation=Resource.Moderation.PENDING, deleted_at__isnull=True)
    return _with_related(qs.select_related("created_by")).order_by("created_at", "id")


def resource_feed_list() -> QuerySet[Resource]:
    """The latest public resources for the RSS feed."""
    return resource_list(viewer=None)[:FEED_SIZE]


def resource_by_reference(*, text: str, viewer) -> Resource | None:
    """A resource the viewer may see, written as its number or as the address of its page ("…/library/123/")."""
    digits = [part for part in (text or "").strip().rstrip("/").split("/") if part.isdigit()]
    if not digits:
        return None
    return Resource.objects.filter(visible_resources_q(viewer)).filter(pk=int(digits[-1])).first()


def citation_imports_recent(*, user) -> list[CitationImport]:
    """The latest citation imports the user started, newest first (without their files)."""
    if not user.is_authenticated:
        return []
    qs = CitationImport.objects.filter(created_by=user).defer("content", "skipped", "errors", "options")
    return list(qs.select_related("organisation")[:IMPORTS_LISTED])


def citation_import_get_for(*, viewer, pk: int) -> CitationImport:
    """One citation import, for its author or an operator (Http404 for anyone else: it is not theirs to know)."""
    job = CitationImport.objects.defer("content").select_related("organisation").filter(pk=pk).first()
    if job is None or not viewer.has_perm("library.view_citationimport", job):
        raise Http404
    return job


def citation_import_added(*, job: CitationImport, viewer, limit: int) -> list[Resource]:
    """The first `limit` resources the import added that the viewer may still see, in the file's order."""
    ids = job.created_ids[:limit]
    found = Resource.objects.filter(visible_resources_q(viewer)).only("pk", "title", "language", "moderation")
    resources = found.in_bulk(ids)
    return [resources[pk] for pk in ids if pk in resources]
