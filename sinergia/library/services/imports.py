"""Importing citations (RIS, BibTeX, CSL-JSON): a preview of each record — new, duplicate or in error — then an
all-or-nothing import through resource_create."""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergia.core.models import Concept
from sinergia.core.services import audit_record
from sinergia.directory.models import Organisation
from sinergia.directory.selectors import organisation_networks
from sinergia.library.citations.languages import language_from_text
from sinergia.library.citations.reading import AUTO, FORMATS, read_citations
from sinergia.library.citations.records import ParsedRecord
from sinergia.library.models import Resource
from sinergia.library.rules import visible_resources_q
from sinergia.library.search import index_resources
from sinergia.library.search.concepts import concept_labels, label_key
from sinergia.library.services._data import MAX_RELATED
from sinergia.library.services.resources import resource_create, resources_notify_moderators
from sinergia.networks.models import Network

BATCH = 500
TITLE_SCAN_CHUNK = 2000


class RecordStatus(models.TextChoices):
    NEW = "new", gettext_lazy("New")
    DUPLICATE = "duplicate", gettext_lazy("Already in the library")
    ERROR = "error", gettext_lazy("Cannot be imported")


@dataclass
class PreviewRow:
    """One record of the file, what an import would do with it, and why."""

    record: ParsedRecord
    status: str
    reasons: list[str] = field(default_factory=list)
    duplicate_of: Resource | None = None
    duplicate_of_index: int | None = None

    @property
    def index(self) -> int:
        return self.record.index

    @property
    def title(self) -> str:
        return self.record.title

    @property
    def kind_label(self) -> str:
        data = self.record.data
        return str(Resource.Kind(data.kind).label) if data is not None and data.kind in Resource.Kind.values else ""

    def get_status_display(self) -> str:
        return str(RecordStatus(self.status).label)


@dataclass
class ImportPreview:
    """Every record of a file with its status, the file's format, encoding and warnings."""

    format: str
    encoding: str
    rows: list[PreviewRow]
    warnings: list[str] = field(default_factory=list)

    def _with(self, status: str) -> list[PreviewRow]:
        return [row for row in self.rows if row.status == status]

    @property
    def new(self) -> list[PreviewRow]:
        return self._with(RecordStatus.NEW)

    @property
    def duplicates(self) -> list[PreviewRow]:
        return self._with(RecordStatus.DUPLICATE)

    @property
    def errors(self) -> list[PreviewRow]:
        return self._with(RecordStatus.ERROR)

    @property
    def format_name(self) -> str:
        return str(FORMATS.get(self.format, self.format))


@dataclass
class ImportResult:
    """What an import created and what it left out."""

    created: list[Resource]
    skipped_duplicates: list[PreviewRow]
    skipped_errors: list[PreviewRow]
    preview: ImportPreview


class CitationsRejected(ValidationError):
    """Records of the file have errors and skipping them was not asked: nothing was imported."""

    def __init__(self, rows: list[PreviewRow], records: int = 0) -> None:
        self.rows, self.records = rows, records
        super().__init__([_("Record %(index)d%(key)s: %(reasons)s") % {
            "index": row.index, "key": f" ({row.record.source_key})" if row.record.source_key else "",
            "reasons": " ".join(row.reasons)} for row in rows], code="records_rejected")


def require_importer(by: Any, organisation: Organisation) -> None:
    """PermissionDenied unless `by` may import citations for the organisation."""
    if by is None or not by.is_authenticated or not by.has_perm("library.add_resource", organisation):
        raise PermissionDenied(_("You are not allowed to import citations for this organisation."))


def _checked_options(organisation: Organisation, default_language: str, visibility: str,
                     networks: Sequence[Network]) -> str:
    """The default language in its standard form, after checking visibility and networks."""
    errors = {}
    if default_language:
        try:
            default_language = language_from_text(default_language)
        except ValidationError as error:
            errors["default_language"] = error.messages
    if visibility not in Resource.Visibility.values:
        errors["visibility"] = [_("Choose who may see the resources from the list.")]
    elif visibility == Resource.Visibility.NETWORKS and not networks:
        errors["networks"] = [_("Choose the networks whose members may see the imported resources.")]
    if networks:
        admitted = set(organisation_networks(organisation=organisation).values_list("network_id", flat=True))
        if any(network.pk not in admitted for network in networks):
            errors["networks"] = [_("Choose among the networks the organisation belongs to.")]
    if errors:
        raise ValidationError(errors)
    return default_language


def citations_preview(*, organisation: Organisation, by: Any, content: bytes, filename: str = "",
                      format: str = AUTO, default_language: str = "",
                      visibility: str = Resource.Visibility.PUBLIC,
                      networks: Sequence[Network] = ()) -> ImportPreview:
    """Each record of the file: new, duplicate (of a resource `by` may see, or of an earlier record) or in error."""
    require_importer(by, organisation)
    default_language = _checked_options(organisation, default_language, visibility, networks)
    read = read_citations(content, filename=filename, format=format, default_language=default_language)
    if not read.records:
        raise ValidationError(_("No citation was found in the file."), code="no_records")
    for record in read.records:
        if record.data is not None:
            record.data.visibility = visibility
            record.data.networks = list(networks)
    _keyword_topics(read.records)
    rows = _sorted_rows(read.records, _existing_duplicates(read.records, by))
    return ImportPreview(format=read.format, encoding=read.encoding, rows=rows, warnings=read.warnings)


def citations_import(*, organisation: Organisation, by: Any, content: bytes, filename: str = "",
                     format: str = AUTO, default_language: str = "",
                     visibility: str = Resource.Visibility.PUBLIC, networks: Sequence[Network] = (),
                     skip_errors: bool = False, skip_duplicates: bool = True) -> ImportResult:
    """Create a resource for each new record, all or nothing: CitationsRejected (nothing written) if any record has
    errors, unless `skip_errors`; duplicates are left out unless `skip_duplicates` is False."""
    preview = citations_preview(organisation=organisation, by=by, content=content, filename=filename, format=format,
                                default_language=default_language, visibility=visibility, networks=networks)
    if preview.errors and not skip_errors:
        raise CitationsRejected(preview.errors, records=len(preview.rows))
    rows = preview.new if skip_duplicates else [*preview.new, *preview.duplicates]
    rows.sort(key=lambda row: row.index)
    # Reading the file stays outside the transaction: SQLite's write lock is held only while writing.
    with transaction.atomic():
        created = [_create(organisation, by, row) for row in rows]
        index_resources(ids=[resource.pk for resource in created])
        resources_notify_moderators(resources=created)
        audit_record(actor=by, action="library.citations_imported", target=organisation, data={
            "format": preview.format, "filename": filename[:200], "created": len(created),
            "skipped_duplicates": len(preview.duplicates) if skip_duplicates else 0,
            "skipped_errors": len(preview.errors)})
    return ImportResult(created=created, skipped_duplicates=preview.duplicates if skip_duplicates else [],
                        skipped_errors=preview.errors, preview=preview)


def _create(organisation: Organisation, by: Any, row: PreviewRow) -> Resource:
    assert row.record.data is not None  # rows without data are errors
    try:
        return resource_create(organisation=organisation, by=by, data=row.record.data, batch=True)
    except ValidationError as error:
        row.reasons = error.messages
        raise CitationsRejected([row]) from error


def _keyword_topics(records: list[ParsedRecord]) -> None:
    """Each record's topics: the thesaurus topics whose label or alternative label, in any language, is one of its
    keywords (compared without case or accents); the keywords that name none are kept in `keywords_left`."""
    labels = concept_labels()
    wanted = {pk for record in records for keyword in record.keywords for pk in labels.get(label_key(keyword), [])}
    topics = Concept.objects.filter(pk__in=wanted, scheme=Concept.Scheme.TOPIC).in_bulk() if wanted else {}
    for record in records:
        found: dict[int, Concept] = {}
        for keyword in record.keywords:
            named = [topics[pk] for pk in labels.get(label_key(keyword), []) if pk in topics]
            found.update((topic.pk, topic) for topic in named)
            if not named:
                record.keywords_left.append(keyword)
        if record.data is not None and found:
            if len(found) > MAX_RELATED:
                record.warnings.append(_("Its keywords name %(total)d topics: only the first %(count)d were kept.")
                                       % {"total": len(found), "count": MAX_RELATED})
            record.data.topics = list(found.values())[:MAX_RELATED]


# --- Duplicates ------------------------------------------------------------------------------------------------


def title_key(title: str) -> str:
    """A title compared without case, accents, punctuation or spacing ("L'Écomusée!" → "lecomusee")."""
    folded = unicodedata.normalize("NFKD", title.casefold())
    return re.sub(r"[\W_]+", "", "".join(ch for ch in folded if not unicodedata.combining(ch)))


def _keys(record: ParsedRecord) -> list[tuple[str, Any]]:
    """What makes two records the same work: the DOI, the ISBN (not for chapters: a book's chapters share it),
    the title with the year."""
    data = record.data
    if data is None:
        return []
    keys: list[tuple[str, Any]] = []
    if data.doi:
        keys.append(("doi", data.doi))
    if data.isbn and data.kind != Resource.Kind.CHAPTER:
        keys.append(("isbn", data.isbn))
    if title_key(data.title):
        keys.append(("title", (title_key(data.title), data.year)))
    return keys


def _chunks(values: Iterable[Any], size: int = BATCH) -> Iterable[list[Any]]:
    items = list(values)
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _existing_duplicates(records: list[ParsedRecord], viewer: Any) -> dict[int, tuple[Resource, str]]:
    """Record index → (a resource the viewer may see that is the same work, the key that matched)."""
    wanted: dict[tuple[str, Any], list[int]] = {}
    for record in records:
        if record.ok:
            for key in _keys(record):
                wanted.setdefault(key, []).append(record.index)
    matches = _matching_resources(wanted, viewer)
    found: dict[int, tuple[int, str]] = {}
    for key, resource_id in matches.items():
        for index in wanted[key]:
            found.setdefault(index, (resource_id, key[0]))
    resources = Resource.objects.in_bulk({pk for pk, _kind in found.values()})
    return {index: (resources[pk], kind) for index, (pk, kind) in found.items() if pk in resources}


def _matching_resources(wanted: dict[tuple[str, Any], list[int]], viewer: Any) -> dict[tuple[str, Any], int]:
    visible = Resource.objects.filter(visible_resources_q(viewer))
    matches: dict[tuple[str, Any], int] = {}
    dois = [value for kind, value in wanted if kind == "doi"]
    for chunk in _chunks(dois):
        for pk, doi in visible.filter(doi__in=chunk).values_list("pk", "doi"):
            matches.setdefault(("doi", doi), pk)
    isbns = [value for kind, value in wanted if kind == "isbn"]
    for chunk in _chunks(isbns):
        for pk, isbn in visible.filter(isbn__in=chunk).exclude(kind=Resource.Kind.CHAPTER).values_list("pk", "isbn"):
            matches.setdefault(("isbn", isbn), pk)
    titles = {value for kind, value in wanted if kind == "title"}
    matches.update(_matching_titles(visible, titles))
    return matches


def _matching_titles(visible: models.QuerySet, titles: set[tuple[str, int | None]]) -> dict[tuple[str, Any], int]:
    """Titles are compared normalised, which the database cannot index: the resources of the same years are read
    (id, title and year only) and compared here."""
    matches: dict[tuple[str, Any], int] = {}
    years = {year for _title, year in titles}
    filters = models.Q(year__in=[year for year in years if year is not None])
    if None in years:
        filters |= models.Q(year__isnull=True)
    rows = visible.filter(filters).order_by("pk").values_list("pk", "title", "year")
    for pk, title, year in rows.iterator(chunk_size=TITLE_SCAN_CHUNK):
        key = (title_key(title), year)
        if key in titles:
            matches.setdefault(("title", key), pk)
    return matches


REASONS = {
    "doi": gettext_lazy("Same DOI as “%(title)s”, already in the library."),
    "isbn": gettext_lazy("Same ISBN as “%(title)s”, already in the library."),
    "title": gettext_lazy("Same title and year as “%(title)s”, already in the library."),
}
FILE_REASONS = {
    "doi": gettext_lazy("Same DOI as record %(index)d of this file."),
    "isbn": gettext_lazy("Same ISBN as record %(index)d of this file."),
    "title": gettext_lazy("Same title and year as record %(index)d of this file."),
}


def _sorted_rows(records: list[ParsedRecord], existing: dict[int, tuple[Resource, str]]) -> list[PreviewRow]:
    """Each record's row: in error, duplicate of a resource, duplicate of an earlier record, or new."""
    seen: dict[tuple[str, Any], int] = {}
    rows = []
    for record in records:
        if not record.ok:
            rows.append(PreviewRow(record=record, status=RecordStatus.ERROR, reasons=list(record.errors)))
            continue
        if record.index in existing:
            resource, kind = existing[record.index]
            rows.append(PreviewRow(record=record, status=RecordStatus.DUPLICATE, duplicate_of=resource,
                                   reasons=[str(REASONS[kind]) % {"title": resource.title[:120]}]))
        else:
            earlier = next(((seen[key], key[0]) for key in _keys(record) if key in seen), None)
            if earlier is None:
                rows.append(PreviewRow(record=record, status=RecordStatus.NEW))
            else:
                rows.append(PreviewRow(record=record, status=RecordStatus.DUPLICATE, duplicate_of_index=earlier[0],
                                       reasons=[str(FILE_REASONS[earlier[1]]) % {"index": earlier[0]}]))
        for key in _keys(record):
            seen.setdefault(key, record.index)
    return rows
