"""Exports of resources the viewer may see, as RIS, BibTeX or CSL-JSON, written while they are read."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Prefetch

from sinergia.core.models import Concept
from sinergia.library.citations.bibtex import bibtex_chunks
from sinergia.library.citations.csljson import csljson_chunks
from sinergia.library.citations.ris import ris_chunks
from sinergia.library.models import Creator, Resource
from sinergia.library.rules import visible_resources_q

BATCH = 500


@dataclass(frozen=True)
class ExportFormat:
    """A citation format: its name in URLs, its label, media type, file extension and writer."""

    code: str
    label: str
    content_type: str
    extension: str
    chunks: Callable[[Iterable[Resource]], Iterator[str]]


EXPORT_FORMATS: dict[str, ExportFormat] = {
    "ris": ExportFormat("ris", "RIS", "application/x-research-info-systems", "ris", ris_chunks),
    "bibtex": ExportFormat("bibtex", "BibTeX", "application/x-bibtex", "bib", bibtex_chunks),
    "csljson": ExportFormat("csljson", "CSL-JSON", "application/vnd.citationstyles.csl+json", "json", csljson_chunks),
}


def export_resources(*, viewer, ids: Iterable[int]) -> Iterator[Resource]:
    """The resources of `ids` the viewer may see, in the order given, read in batches with their creators and
    topics."""
    wanted = list(dict.fromkeys(ids))
    base = Resource.objects.filter(visible_resources_q(viewer)).prefetch_related(
        Prefetch("creators", queryset=Creator.objects.order_by("position")),
        Prefetch("topics", queryset=Concept.objects.only("id", "notation", "labels").order_by("notation")))
    for start in range(0, len(wanted), BATCH):
        batch = wanted[start:start + BATCH]
        found = {resource.pk: resource for resource in base.filter(pk__in=batch)}
        yield from (found[pk] for pk in batch if pk in found)
