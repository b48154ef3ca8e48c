"""Writes of resources: add, change, delete (a tombstone for harvesters), translations and moderation."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sinergia.core.rules import is_operator
from sinergia.core.services import audit_record, notify_in_language
from sinergia.directory.models import Organisation
from sinergia.library.models import Creator, Resource
from sinergia.library.search import index_resources
from sinergia.library.services._data import ResourceData, resource_data_clean
from sinergia.library.services.files import resource_file_check, resource_file_remove, resource_file_store

MODERATION_NOTE_MAX = 500


def _require(by: Any, perm: str, obj: Any) -> Any:
    """The acting user, if signed in and allowed; else PermissionDenied."""
    if by is None or not by.is_authenticated or not by.has_perm(perm, obj):
        raise PermissionDenied(_("You are not allowed to do this."))
    return by


def contributor_is_trusted(user: Any) -> bool:
    """Whether the user's contributions are public at once: operators, older accounts, proven contributors."""
    if is_operator(user):
        return True
    age = timezone.now() - user.date_joined
    if age >= timedelta(days=settings.LIBRARY_TRUSTED_ACCOUNT_DAYS):
        return True
    approved = Resource.objects.filter(created_by=user, moderation=Resource.Moderation.APPROVED)
    return approved.count() >= settings.LIBRARY_TRUSTED_APPROVED_COUNT


def _original_of(candidate: Resource | None, resource: Resource | None = None) -> Resource | None:
    """The root of the translation group the resource joins (all versions point to one original)."""
    if candidate is None:
        return None
    root = candidate.original or candidate
    if resource is not None and resource.pk in {candidate.pk, root.pk}:
        raise ValidationError({"original": [_("A resource cannot be a translation of itself.")]})
    return root


def _mark_public(resource: Resource) -> None:
    """Remember when the resource first became public, so harvesters are later told of its withdrawal."""
    if resource.public_since is None and resource.is_public:
        resource.public_since = timezone.now()


def _relate(resource: Resource, data: ResourceData, *, new: bool = False) -> None:
    """Give the resource the data's topics, networks, organisations and creators (a `new` one has none yet: nothing
    to read or remove first, which spares an import of thousands of records four statements per record)."""
    relations: list[tuple[Any, list[Any]]] = [(resource.topics, data.topics), (resource.networks, data.networks),
                                              (resource.organisations, data.organisations)]
    for related, chosen in relations:
        if not new:
            related.set(chosen)
        elif chosen:
            related.add(*chosen)
    if not new:
        resource.creators.all().delete()
    Creator.objects.bulk_create([
        Creator(resource=resource, position=position, role=c.role or Creator.Role.AUTHOR, family=c.family.strip(),
                given=c.given.strip(), organisation_name=c.organisation_name.strip())
        for position, c in enumerate(data.creators, 1)
    ])


def _check_networks(organisation: Organisation, data: ResourceData) -> None:
    """A networks-only resource must concern at least one network, or nobody outside the organisation sees it."""
    if data.visibility == Resource.Visibility.NETWORKS and not data.networks:
        raise ValidationError({"networks": [_("Choose the networks whose members may see this resource.")]})


@transaction.atomic
def resource_create(*, organisation: Organisation, by: Any, data: ResourceData,
                    upload: UploadedFile | None = None, batch: bool = False) -> Resource:
    """Add a resource on behalf of the organisation; a new account's contribution waits for moderation.

    A `batch` caller (an import) indexes the resources it adds and tells the moderators once, at the end.
    """
    by = _require(by, "library.add_resource", organisation)
    values = resource_data_clean(data)
    _check_networks(organisation, data)
    file_info = resource_file_check(upload) if upload is not None else None
    values["original"] = _original_of(data.original)
    resource = Resource(organisation=organisation, created_by=by, **values)
    if not contributor_is_trusted(by):
        resource.moderation = Resource.Moderation.PENDING
    _mark_public(resource)
    resource.save()
    _relate(resource, data, new=True)
    if upload is not None and file_info is not None:
        resource_file_store(resource=resource, upload=upload, info=file_info)
    if not batch:
        index_resources(ids=[resource.pk])
    audit_record(actor=by, action="library.resource_created", target=resource,
                 data={"moderation": resource.moderation})
    if resource.moderation == Resource.Moderation.PENDING and not batch:
        resources_notify_moderators(resources=[resource])
    return resource


@transaction.atomic
def resource_update(*, resource: Resource, by: Any, data: ResourceData, upload: UploadedFile | None = None,
                    remove_file: bool = False) -> Resource:
    """Change a resource's description, its file, or the group of translations it belongs to."""
    by = _require(by, "library.change_resource", resource)
    values = resource_data_clean(data)
    _check_networks(resource.organisation, data)
    file_info = resource_file_check(upload) if upload is not None else None
    values["original"] = _original_of(data.original, resource)
    for name, value in values.items():
        setattr(resource, name, value)
    _mark_public(resource)
    resource.save()
    _relate(resource, data)
    if remove_file or upload is not None:
        resource_file_remove(resource=resource)
    if upload is not None and file_info is not None:
        resource_file_store(resource=resource, upload=upload, info=file_info)
    index_resources(ids=[resource.pk])
    audit_record(actor=by, action="library.resource_updated", target=resource)
    return resource


@transaction.atomic
def resource_file_replace(*, resource: Resource, by: Any, upload: UploadedFile) -> Resource:
    """Attach a file to the resource, or replace its file (checked by content; text read in the background)."""
    by = _require(by, "library.change_resource", resource)
    info = resource_file_check(upload)
    resource_file_remove(resource=resource)
    resource_file_store(resource=resource, upload=upload, info=info)
    index_resources(ids=[resource.pk])
    audit_record(actor=by, action="library.resource_file_replaced", target=resource,
                 data={"file_name": resource.file_name})
    return resource


@transaction.atomic
def resource_delete(*, resource: Resource, by: Any) -> Resource:
    """Delete a resource: its content and file go, a tombstone stays so harvesters learn of the deletion."""
    by = _require(by, "library.delete_resource", resource)
    resource_file_remove(resource=resource)
    Resource.objects.filter(original=resource).update(original=None)
    # Topics and networks stay: harvesters of a topic's or a network's set learn of the deletion too.
    resource.organisations.clear()
    resource.creators.all().delete()
    resource.abstract = ""
    resource.deleted_at = timezone.now()
    resource.original = None
    resource.save()
    index_resources(ids=[resource.pk])
    audit_record(actor=by, action="library.resource_deleted", target=resource)
    return resource


@transaction.atomic
def resource_moderate(*, resource: Resource, by: Any, approve: bool, note: str = "") -> Resource:
    """An operator approves a contribution (it becomes visible as its author chose) or rejects it with a note."""
    by = _require(by, "library.moderate_resources", None)
    if resource.moderation != Resource.Moderation.PENDING:
        raise ValidationError(_("This resource is not awaiting moderation."), code="not_pending")
    resource.moderation = Resource.Moderation.APPROVED if approve else Resource.Moderation.REJECTED
    resource.moderation_note = (note or "").strip()[:MODERATION_NOTE_MAX]
    _mark_public(resource)
    resource.save(update_fields=["moderation", "moderation_note", "public_since", "updated_at"])
    index_resources(ids=[resource.pk])
    audit_record(actor=by, action="library.resource_approved" if approve else "library.resource_rejected",
                 target=resource, data={"note": resource.moderation_note})
    _notify_contributor(resource, approve)
    return resource


def resources_notify_moderators(*, resources: list[Resource]) -> None:
    """Tell the operators that contributions await moderation (one notification for a whole import)."""
    from django.contrib.auth import get_user_model

    pending = [resource for resource in resources if resource.moderation == Resource.Moderation.PENDING]
    if not pending:
        return
    operators = get_user_model().objects.filter(is_staff=True, is_active=True)

    def title() -> str:
        if len(pending) == 1:
            return _("A library resource awaits moderation: %(title)s") % {"title": pending[0].title[:100]}
        return ngettext("%(count)d library resource awaits moderation.",
                        "%(count)d library resources await moderation.", len(pending)) % {"count": len(pending)}

    notify_in_language(users=operators, kind="library.moderation", title=title,
                       url=lambda: reverse("library:moderation"))


def _notify_contributor(resource: Resource, approved: bool) -> None:
    if resource.created_by is None:
        return
    notify_in_language(
        users=[resource.created_by], kind="library.moderated",
        title=lambda: (_("Your resource “%(title)s” is now published.") if approved
                       else _("Your resource “%(title)s” was not accepted.")) % {"title": resource.title[:100]},
        body=lambda: resource.moderation_note,
        url=lambda: reverse("library:resource_detail", args=[resource.pk]),
    )
