"""Background work of the library: reading the text of uploaded files for full-text search."""

from django.conf import settings
from django.utils import translation
from django_tasks import task

from sinergia.library.models import Resource
from sinergia.library.services.files import resource_text_extract


@task()
def resource_extract_text(resource_id: int, file_sha256: str = "") -> str:
    """Read, store and index the text of a resource's file; returns the text status, or "" when the resource was
    deleted or its file replaced since the task was enqueued (a repeat reads the same file again, harmlessly)."""
    resource = Resource.objects.filter(pk=resource_id, deleted_at__isnull=True).exclude(file="").first()
    if resource is None:
        return ""
    # The reason a file could not be read is stored in the site's language: the resource's page shows it.
    with translation.override(settings.LANGUAGE_CODE):
        return resource_text_extract(resource=resource, sha256=file_sha256 or None)
