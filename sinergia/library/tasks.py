"""Background work of the library: reading the text of uploaded files for full-text search, importing citations."""

from django.conf import settings
from django.utils import translation
from django_tasks import task

from sinergia.library.models import Resource
from sinergia.library.services.files import resource_text_extract
from sinergia.library.services.import_jobs import citation_import_run, citation_imports_drop_stale


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


@task()
def citations_import_task(import_id: int) -> str:
    """Run a confirmed citations import; returns its outcome, or "" if it was not waiting (a repeat is harmless)."""
    job = citation_import_run(import_id=import_id)
    return job.status if job is not None else ""


@task()
def drop_stale_imports_task() -> int:
    """Mark failed the citation imports whose worker never came or was killed (periodic); returns how many."""
    return citation_imports_drop_stale()
