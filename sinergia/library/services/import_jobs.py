"""Confirmed citation imports run by the task worker: a file of thousands of records takes longer than a request
may last. The import itself stays all or nothing (citations_import); its outcome is kept for its author."""

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sinergia.core.services import notify_in_language
from sinergia.directory.models import Organisation
from sinergia.directory.selectors import organisation_networks
from sinergia.library.models import IMPORT_STALE_AFTER, CitationImport, Resource
from sinergia.library.services.imports import CitationsRejected, PreviewRow, citations_import, require_importer
from sinergia.networks.models import Network

logger = logging.getLogger(__name__)


def import_options(organisation: Organisation, options: dict[str, Any]) -> dict[str, Any]:
    """The choices stored with an uploaded file as the import services take them (networks only among those the
    organisation belongs to)."""
    admitted = organisation_networks(organisation=organisation).values("network_id")
    networks = list(Network.objects.filter(pk__in=options.get("networks") or [], id__in=admitted).order_by("name"))
    return {"format": options.get("format", "auto"), "default_language": options.get("default_language", ""),
            "visibility": options.get("visibility", Resource.Visibility.PUBLIC), "networks": networks}


def citation_import_enqueue(*, organisation: Organisation, by: Any, content: bytes, filename: str,
                            options: dict[str, Any], skip_errors: bool, skip_duplicates: bool) -> CitationImport:
    """Keep the confirmed file with its choices and hand it to the task worker (once the transaction commits)."""
    from sinergia.library.tasks import citations_import_task

    require_importer(by, organisation)
    job = CitationImport.objects.create(organisation=organisation, created_by=by, filename=filename[:200],
                                        content=content, options=options, skip_errors=skip_errors,
                                        skip_duplicates=skip_duplicates)
    transaction.on_commit(lambda: citations_import_task.enqueue(job.pk))
    return job


def citation_import_run(*, import_id: int) -> CitationImport | None:
    """Run a waiting import, in its author's language; None if it is not waiting (already run, or running).

    The outcome is stored whatever happens: done, rejected with each record's reasons, or failed with why. The file
    is dropped once read: the outcome is all that is kept.
    """
    # An import that waited longer than its page promises is reported as stopped there: it must not run after all.
    if citation_imports_drop_stale(ids=[import_id]):
        return None
    waiting = CitationImport.objects.filter(pk=import_id, status=CitationImport.Status.QUEUED)
    if not waiting.update(status=CitationImport.Status.RUNNING, started_at=timezone.now()):
        return None
    job = CitationImport.objects.select_related("organisation", "created_by").get(pk=import_id)
    by = job.created_by
    with translation.override(getattr(by, "language", "") or settings.LANGUAGE_CODE):
        _run(job, by)
        job.content = b""
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "records", "created_ids", "skipped", "errors", "content", "finished_at"])
        if by is not None:
            _notify(job, by)
    return job


def citation_imports_drop_stale(*, ids: list[int] | None = None) -> int:
    """Mark failed, with why and without their files, the imports (of `ids`, or all) that waited or ran past
    IMPORT_STALE_AFTER: their worker never came or was killed, and nothing of them was committed. How many."""
    limit = timezone.now() - IMPORT_STALE_AFTER
    stale = CitationImport.objects.filter(
        Q(status=CitationImport.Status.QUEUED, created_at__lt=limit)
        | Q(status=CitationImport.Status.RUNNING, started_at__lt=limit))
    if ids is not None:
        stale = stale.filter(pk__in=ids)
    dropped = 0
    for job in stale.select_related("created_by").defer("content"):
        with translation.override(getattr(job.created_by, "language", "") or settings.LANGUAGE_CODE):
            error = (_("The import waited too long for the site's task worker and was dropped: nothing was "
                       "imported. Upload the file again.") if job.status == CitationImport.Status.QUEUED
                     else _("This import stopped before its end, so nothing of it was imported. Upload the file "
                            "again; if it happens again, tell the site's operators."))
        # Only if it is still where it was read: a worker that ends it meanwhile keeps its outcome.
        dropped += CitationImport.objects.filter(pk=job.pk, status=job.status).update(
            status=CitationImport.Status.FAILED, errors=[error], content=b"", finished_at=timezone.now())
    return dropped


def _run(job: CitationImport, by: Any) -> None:
    try:
        result = citations_import(organisation=job.organisation, by=by, content=bytes(job.content),
                                  filename=job.filename, skip_errors=job.skip_errors,
                                  skip_duplicates=job.skip_duplicates,
                                  **import_options(job.organisation, job.options))
    except CitationsRejected as rejected:
        job.status, job.skipped = CitationImport.Status.REJECTED, _rows(rejected.rows)
        job.records = rejected.records
    except (ValidationError, PermissionDenied) as error:
        job.status = CitationImport.Status.FAILED
        job.errors = list(error.messages) if isinstance(error, ValidationError) else [str(error)]
    except Exception:
        logger.exception("Citations import %s failed", job.pk)
        job.status = CitationImport.Status.FAILED
        job.errors = [_("The import stopped on an unexpected error: nothing was imported. The site's operators "
                        "can see what happened; try again later.")]
    else:
        job.status, job.records = CitationImport.Status.DONE, len(result.preview.rows)
        job.created_ids = [resource.pk for resource in result.created]
        job.skipped = _rows([*result.skipped_duplicates, *result.skipped_errors])


def _rows(rows: list[PreviewRow]) -> list[dict[str, Any]]:
    """What the outcome page shows of each record left out."""
    return [{"index": row.index, "title": row.title[:300], "key": row.record.source_key[:100],
             "status": row.status, "reasons": [str(reason) for reason in row.reasons]}
            for row in sorted(rows, key=lambda row: row.index)]


def _notify(job: CitationImport, by: Any) -> None:
    def title() -> str:
        if job.status == CitationImport.Status.DONE:
            return ngettext("Import of %(name)s: %(count)d resource added.",
                            "Import of %(name)s: %(count)d resources added.",
                            len(job.created_ids)) % {"name": job.filename, "count": len(job.created_ids)}
        return _("Import of %(name)s: nothing was imported.") % {"name": job.filename}

    notify_in_language(users=[by], kind="library.imported", title=title,
                       url=lambda: reverse("library:import_status", args=[job.pk]))
