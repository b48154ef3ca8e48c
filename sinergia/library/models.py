"""Resources of the library (documents, bibliography, good practices), their creators and extracted text."""

import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sinergia.core.models import Concept
from sinergia.directory.models import Organisation
from sinergia.networks.models import Network


class LibraryStorage(FileSystemStorage):
    """Resources' files under settings.LIBRARY_FILES_ROOT (followed when the setting changes, as in tests)."""

    @cached_property
    def base_location(self) -> str:
        return self._value_or_setting(self._location, settings.LIBRARY_FILES_ROOT)  # type: ignore[attr-defined]

    def _clear_cached_properties(self, setting: str, **kwargs: Any) -> None:
        super()._clear_cached_properties(setting, **kwargs)  # type: ignore[arg-type]
        if setting == "LIBRARY_FILES_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)


_library_storage = LibraryStorage()


def library_storage() -> Storage:
    """Where resources' files are kept: not under MEDIA_ROOT, downloads go through a view that checks who asks."""
    return _library_storage


class Resource(models.Model):
    """A document or a bibliographic record, in one language, possibly a translation of another resource."""

    class Kind(models.TextChoices):
        ARTICLE = "article", _("Article")
        BOOK = "book", _("Book")
        CHAPTER = "chapter", _("Book chapter")
        REPORT = "report", _("Report")
        THESIS = "thesis", _("Thesis")
        TOOLKIT = "toolkit", _("Toolkit or guide")
        CASE_STUDY = "case_study", _("Case study")
        GOOD_PRACTICE = "good_practice", _("Good practice")
        VIDEO = "video", _("Video")
        POSTER = "poster", _("Poster")
        PRESENTATION = "presentation", _("Presentation")
        WEBSITE = "website", _("Website")
        DATASET = "dataset", _("Dataset")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        NETWORKS = "networks", _("Members of its networks only")
        PRIVATE = "private", _("Private to the organisation")

    class Moderation(models.TextChoices):
        PENDING = "pending", pgettext_lazy("library moderation", "Awaiting moderation")
        APPROVED = "approved", pgettext_lazy("library moderation", "Approved")
        REJECTED = "rejected", pgettext_lazy("library moderation", "Rejected")

    class TextStatus(models.TextChoices):
        NONE = "none", _("No file to read")
        PENDING = "pending", _("Reading the file")
        DONE = "done", _("Text extracted")
        EMPTY = "empty", _("No text in the file")
        FAILED = "failed", _("The text could not be read")

    organisation = models.ForeignKey(Organisation, verbose_name=_("contributed by"), on_delete=models.CASCADE,
                                     related_name="library_resources")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    title = models.CharField(_("title"), max_length=500)
    abstract = models.TextField(_("abstract"), blank=True, max_length=20_000, help_text=_("Markdown is allowed."))
    language = models.CharField(_("language"), max_length=35, db_index=True,
                                help_text=_("A BCP 47 language tag, e.g. it, en, fr-CA, pt-BR."))
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True, db_index=True,
                                            validators=[MinValueValidator(1), MaxValueValidator(2999)])
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True,
                                             validators=[MinValueValidator(1), MaxValueValidator(12)])
    day = models.PositiveSmallIntegerField(_("day"), null=True, blank=True,
                                           validators=[MinValueValidator(1), MaxValueValidator(31)])
    publisher = models.CharField(_("publisher"), max_length=255, blank=True)
    place_published = models.CharField(_("place of publication"), max_length=255, blank=True)
    container_title = models.CharField(_("journal or book"), max_length=500, blank=True)
    volume = models.CharField(_("volume"), max_length=50, blank=True)
    issue = models.CharField(_("issue"), max_length=50, blank=True)
    pages = models.CharField(_("pages"), max_length=50, blank=True)
    edition = models.CharField(_("edition"), max_length=50, blank=True)
    doi = models.CharField(_("DOI"), max_length=255, blank=True, db_index=True,
                           help_text=_("E.g. 10.1000/xyz123, without https://doi.org/."))
    isbn = models.CharField(_("ISBN"), max_length=17, blank=True, db_index=True)
    url = models.URLField(_("web address"), max_length=1000, blank=True)
    licence = models.CharField(_("licence"), max_length=100, blank=True,
                               help_text=_("E.g. CC BY 4.0, or All rights reserved."))
    topics = models.ManyToManyField(Concept, verbose_name=_("topics"), blank=True, related_name="+",
                                    limit_choices_to={"scheme": Concept.Scheme.TOPIC})
    networks = models.ManyToManyField(Network, verbose_name=_("networks it concerns"), blank=True,
                                      related_name="library_resources")
    organisations = models.ManyToManyField(Organisation, verbose_name=_("organisations it concerns"), blank=True,
                                           related_name="library_mentions")
    original = models.ForeignKey("self", verbose_name=_("translation of"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="translations",
                                 help_text=_("The resource this one translates; all versions point to one original."))
    file = models.FileField(_("file"), upload_to="%Y/", storage=library_storage, blank=True, max_length=255)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    file_type = models.CharField(_("file type"), max_length=100, blank=True)
    file_size = models.PositiveBigIntegerField(_("file size"), null=True, blank=True)
    file_sha256 = models.CharField(_("file checksum"), max_length=64, blank=True, db_index=True)
    text_status = models.CharField(_("full text"), max_length=10, choices=TextStatus.choices,
                                   default=TextStatus.NONE)
    text_error = models.CharField(_("why the text could not be read"), max_length=500, blank=True)
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices,
                                  default=Visibility.PUBLIC, db_index=True)
    moderation = models.CharField(_("moderation"), max_length=10, choices=Moderation.choices,
                                  default=Moderation.APPROVED, db_index=True)
    moderation_note = models.CharField(_("moderation note"), max_length=500, blank=True)
    # OAI-PMH identifiers and deleted records: a deleted resource keeps its row (without its content) so that
    # harvesters learn of the deletion.
    uuid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True, db_index=True)
    public_since = models.DateTimeField(_("public since"), null=True, blank=True,
                                        help_text=_("When it was first public and approved: from then on, "
                                                    "harvesters are told if it is withdrawn."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("added by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(original=models.F("id")), name="resource_not_own_translation"),
        ]
        indexes = [
            # Covering indexes of the search's facets and visibility filter: narrow entries, not whole rows.
            models.Index(fields=["id", "deleted_at", "moderation", "visibility", "organisation", "kind", "year",
                                 "language"], name="library_res_search_id_idx"),
            models.Index(fields=["deleted_at", "moderation", "visibility", "kind", "year", "language",
                                 "organisation"], name="library_res_search_browse_idx"),
            # The harvest's order, covering what decides exposure: the page and its completeListSize count read
            # the index alone.
            models.Index(fields=["updated_at", "id", "deleted_at", "moderation", "visibility", "public_since"],
                         name="library_res_oai_cover_idx"),
            # The sample of broad searches (sinergia.library.search.sql.SAMPLE_MODULUS).
            models.Index(models.F("id") % 64, name="library_res_sample_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_deleted(self) -> bool:
        """Whether the resource was deleted (kept only as a tombstone for harvesters)."""
        return self.deleted_at is not None

    @property
    def is_public(self) -> bool:
        """Whether everyone sees it now: approved, public and not deleted."""
        return (self.deleted_at is None and self.visibility == self.Visibility.PUBLIC
                and self.moderation == self.Moderation.APPROVED)

    @property
    def is_withdrawn(self) -> bool:
        """Once public, now deleted or hidden: harvesters see it as a deleted record."""
        return self.public_since is not None and not self.is_public

    @property
    def language_family(self) -> str:
        """The primary language subtag, lower case ("pt" for "pt-BR")."""
        return self.language.split("-", 1)[0].lower()


class Creator(models.Model):
    """One author, editor or translator of a resource, in order; a person (family, given) or an organisation."""

    class Role(models.TextChoices):
        AUTHOR = "author", pgettext_lazy("creator role", "Author")
        EDITOR = "editor", pgettext_lazy("creator role", "Editor")
        TRANSLATOR = "translator", pgettext_lazy("creator role", "Translator")
        CONTRIBUTOR = "contributor", pgettext_lazy("creator role", "Contributor")

    resource = models.ForeignKey(Resource, verbose_name=_("resource"), on_delete=models.CASCADE,
                                 related_name="creators")
    position = models.PositiveSmallIntegerField(_("position"))
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.AUTHOR)
    family = models.CharField(_("family name"), max_length=255, blank=True)
    given = models.CharField(_("given names"), max_length=255, blank=True)
    organisation_name = models.CharField(_("organisation"), max_length=500, blank=True,
                                         help_text=_("For a creator that is an organisation."))
    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation in the directory"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("creator")
        verbose_name_plural = _("creators")
        ordering = ["resource", "position"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "position"], name="creator_unique_position"),
            models.CheckConstraint(condition=~Q(family="") | ~Q(organisation_name=""),
                                   name="creator_has_a_name"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_organisation(self) -> bool:
        """Whether the creator is an organisation rather than a person."""
        return bool(self.organisation_name) and not self.family

    @property
    def display_name(self) -> str:
        """"Family, Given" for a person, the name for an organisation."""
        if self.is_organisation:
            return self.organisation_name
        return f"{self.family}, {self.given}" if self.given else self.family


class ResourceText(models.Model):
    """The text extracted from a resource's file, kept apart so that lists never load it."""

    resource = models.OneToOneField(Resource, verbose_name=_("resource"), on_delete=models.CASCADE,
                                    primary_key=True, related_name="text")
    body = models.TextField(_("text"))
    pages = models.PositiveIntegerField(_("pages"), default=0)
    extracted_at = models.DateTimeField(_("extracted at"), auto_now=True)

    class Meta:
        verbose_name = _("extracted text")
        verbose_name_plural = _("extracted texts")

    def __str__(self) -> str:
        return str(self.resource_id)


# A citations import still waiting or running after this long has stopped (no worker came, or it was killed); its
# transaction was never committed, so nothing of it was written. The hourly library.drop_stale_imports job marks such
# imports failed; until it runs, their pages already show them as stopped.
IMPORT_STALE_AFTER = timedelta(hours=2)


class CitationImport(models.Model):
    """A confirmed import of a citations file, run by the task worker: the file waits here until it is read, then
    the outcome stays for its author (what was added, what was left out and why)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        REJECTED = "rejected", _("Nothing imported: records with errors")
        FAILED = "failed", _("Nothing imported: the import failed")

    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE,
                                     related_name="citation_imports")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("imported by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    content = models.BinaryField(_("file"), editable=False, default=bytes)
    options = models.JSONField(_("choices"), default=dict, blank=True)
    skip_errors = models.BooleanField(_("skip the records with errors"), default=False)
    skip_duplicates = models.BooleanField(_("skip the records already in the library"), default=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    records = models.PositiveIntegerField(_("records in the file"), default=0)
    created_ids = models.JSONField(_("resources added"), default=list, blank=True)
    skipped = models.JSONField(_("records left out"), default=list, blank=True,
                               help_text=_("Each record left out: its number, title, status and reasons."))
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("citations import")
        verbose_name_plural = _("citations imports")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="library_import_by_idx")]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        """Whether the import has ended, well or not."""
        return self.status in (self.Status.DONE, self.Status.REJECTED, self.Status.FAILED)

    @property
    def skipped_duplicates(self) -> list[dict[str, Any]]:
        """The records left out as already in the library."""
        return [row for row in self.skipped if row.get("status") == "duplicate"]

    @property
    def skipped_errors(self) -> list[dict[str, Any]]:
        """The records left out for their errors."""
        return [row for row in self.skipped if row.get("status") == "error"]

    @property
    def is_stale(self) -> bool:
        """Whether the import waited or ran so long without an end that it must have stopped."""
        since = self.started_at or self.created_at
        return not self.is_finished and since is not None and timezone.now() - since > IMPORT_STALE_AFTER
