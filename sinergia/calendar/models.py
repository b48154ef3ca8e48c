"""Events of organisations and networks, their materialised occurrences, imported feeds and private feed tokens."""

import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from sinergia.core.models import Concept
from sinergia.directory.models import Organisation
from sinergia.networks.models import Network


def new_uid() -> str:
    """A globally unique iCalendar UID for an event created here."""
    return f"{uuid.uuid4()}@sinergia"


def new_token() -> str:
    """A secret for a private feed URL."""
    return secrets.token_urlsafe(32)


class Event(models.Model):
    """Something an organisation puts on the calendar: once, or recurring by an RFC 5545 rule."""

    class Category(models.TextChoices):
        EXHIBITION = "exhibition", _("Exhibition")
        GUIDED_TOUR = "guided_tour", _("Guided tour")
        WORKSHOP = "workshop", _("Workshop")
        TALK = "talk", _("Talk or conference")
        PERFORMANCE = "performance", _("Concert or performance")
        FESTIVAL = "festival", _("Festival")
        COURSE = "course", _("Course")
        OPEN_DAY = "open_day", _("Open day")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        NETWORKS = "networks", _("Members of its networks only")

    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE,
                                     related_name="events")
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True, max_length=20_000,
                                   help_text=_("Markdown is allowed."))
    language = models.CharField(_("language of the texts"), max_length=16, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, default=Category.OTHER,
                                db_index=True)
    audiences = models.ManyToManyField(Concept, verbose_name=_("audiences"), blank=True, related_name="+",
                                       limit_choices_to={"scheme": "audience"})
    themes = models.ManyToManyField(Concept, verbose_name=_("themes"), blank=True, related_name="+",
                                    limit_choices_to={"scheme": "theme"})
    # Where: an organisation's place (its own or another's) or an address picked on the map. The address and
    # coordinates are always stored on the event (copied from the venue) so filters and the clash check never join.
    venue = models.ForeignKey(Organisation, verbose_name=_("venue"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="hosted_events")
    place_name = models.CharField(_("place"), max_length=255, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    locality = models.CharField(_("locality"), max_length=120, blank=True)
    province = models.CharField(_("province"), max_length=120, blank=True, db_index=True)
    region = models.CharField(_("region"), max_length=120, blank=True, db_index=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True,
                                 validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.FloatField(_("longitude"), null=True, blank=True,
                                  validators=[MinValueValidator(-180), MaxValueValidator(180)])
    # When: the first occurrence, as aware instants. An all-day event starts and ends at local midnight of its
    # time zone (end exclusive, as DTEND in RFC 5545).
    start = models.DateTimeField(_("start"), db_index=True)
    end = models.DateTimeField(_("end"))
    all_day = models.BooleanField(_("all day"), default=False)
    timezone = models.CharField(_("time zone"), max_length=64, default="Europe/Rome")
    rrule = models.CharField(_("recurrence rule"), max_length=500, blank=True,
                             help_text=_("An RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=SA;COUNT=10."))
    rdates = models.JSONField(_("extra dates"), default=list, blank=True,
                              help_text=_("ISO 8601 starts added to the rule."))
    exdates = models.JSONField(_("excluded dates"), default=list, blank=True,
                               help_text=_("ISO 8601 starts removed from the rule."))
    overrides = models.JSONField(_("changed occurrences"), default=list, blank=True,
                                 help_text=_("Occurrences moved or cancelled (RECURRENCE-ID), as imported."))
    is_free = models.BooleanField(_("free entry"), default=False, db_index=True)
    price = models.CharField(_("price"), max_length=255, blank=True,
                             help_text=_("E.g. €8, reduced €5 for under-18s."))
    booking_url = models.URLField(_("booking link"), max_length=1000, blank=True)
    accessibility = models.TextField(_("accessibility notes"), blank=True, max_length=5000)
    image = models.ImageField(_("image"), upload_to="events/%Y/", blank=True)
    co_organisers = models.ManyToManyField(Organisation, verbose_name=_("co-organisers"), blank=True,
                                           related_name="co_organised_events")
    networks = models.ManyToManyField(Network, verbose_name=_("shared with networks"), blank=True,
                                      related_name="events")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices,
                                  default=Visibility.PUBLIC, db_index=True)
    uid = models.CharField(_("iCalendar UID"), max_length=255, default=new_uid)
    sequence = models.PositiveIntegerField(_("revision"), default=0)
    feed = models.ForeignKey("CalendarFeed", verbose_name=_("imported from feed"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="events")
    source_modified = models.DateTimeField(_("changed at the source"), null=True, blank=True)
    occurrences_until = models.DateTimeField(_("occurrences materialised until"), null=True, blank=True)
    occurrences_truncated = models.BooleanField(_("more occurrences than shown"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["start", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "uid"], name="event_unique_uid_per_organisation"),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="event_end_not_before_start"),
        ]
        indexes = [models.Index(fields=["status", "visibility", "start"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_recurring(self) -> bool:
        """Whether the event repeats (by a rule or extra dates)."""
        return bool(self.rrule or self.rdates)

    @property
    def has_coordinates(self) -> bool:
        """Whether both latitude and longitude are known."""
        return self.latitude is not None and self.longitude is not None


class Occurrence(models.Model):
    """One materialised instance of an event in the rolling horizon, with what range queries filter on copied in.

    Short occurrences (up to a day) are found by an index range on `start` widened by a day; the few long ones
    (exhibitions) carry `is_long` and are found through their own partial index on `end`, and the few all-day short
    ones (whose dates shift with the time zone they are read in) through theirs. `cell` is the place's square of
    the coarse grid of `sinergia.calendar.occurrences.place_cell`, so that "near here, at that time" is a few short
    ranges of the (cell, start) index, one per square of the area, instead of every occurrence of the country.
    """

    LONG = 86_400  # seconds: longer occurrences are "long"

    # The unique (event, start) index serves lookups by event: a second one on the event alone would only slow the
    # refresh down.
    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="occurrences",
                              db_index=False)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    all_day = models.BooleanField(_("all day"), default=False)
    is_long = models.BooleanField(_("longer than a day"), default=False)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    region = models.CharField(_("region"), max_length=120, blank=True)
    cell = models.IntegerField(_("grid square"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("occurrence")
        verbose_name_plural = _("occurrences")
        ordering = ["start", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "start"], name="occurrence_unique_start_per_event"),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="occurrence_end_not_before_start"),
        ]
        # The event rides in the time index so that the occurrences of a network's events in a time range are
        # picked from the index itself; the small partial indexes carry what their queries filter on.
        indexes = [
            models.Index(fields=["start", "event"], name="occurrence_start_event"),
            models.Index(fields=["region", "start"], name="occurrence_region_start"),
            models.Index(fields=["cell", "start"], name="occurrence_cell_start"),
            models.Index(fields=["end", "start", "region", "latitude", "longitude", "event"],
                         condition=Q(is_long=True), name="occurrence_long_span"),
            models.Index(fields=["start", "latitude", "longitude", "event"],
                         condition=Q(all_day=True, is_long=False), name="occurrence_all_day_start"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} @ {self.start.isoformat()}"


class CalendarFeed(models.Model):
    """An organisation's existing calendar at a URL, kept in sync by a periodic task (by UID)."""

    class SyncStatus(models.TextChoices):
        PENDING = "pending", _("Waiting for the first sync")
        OK = "ok", _("Synchronised")
        NOT_MODIFIED = "not_modified", _("Unchanged since the last sync")
        PARTIAL = "partial", _("Synchronised, some events rejected")
        FAILED = "failed", _("Failed")

    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE,
                                     related_name="calendar_feeds")
    url = models.URLField(_("feed URL"), max_length=2000)
    name = models.CharField(_("name"), max_length=255, blank=True)
    is_active = models.BooleanField(_("kept in sync"), default=True)
    # Imported events take these unless the feed says otherwise.
    default_category = models.CharField(_("category of its events"), max_length=20, choices=Event.Category.choices,
                                        default=Event.Category.OTHER)
    default_visibility = models.CharField(_("visibility of its events"), max_length=10,
                                          choices=Event.Visibility.choices, default=Event.Visibility.PUBLIC)
    etag = models.CharField(max_length=255, blank=True, editable=False)
    last_modified_header = models.CharField(max_length=64, blank=True, editable=False)
    status = models.CharField(_("sync status"), max_length=15, choices=SyncStatus.choices,
                              default=SyncStatus.PENDING)
    error = models.TextField(_("last error"), blank=True)
    rejected = models.JSONField(_("rejected items"), default=list, blank=True,
                                help_text=_("Each rejected event of the last sync with its reason."))
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    added_count = models.PositiveIntegerField(_("events added"), default=0)
    updated_count = models.PositiveIntegerField(_("events updated"), default=0)
    cancelled_count = models.PositiveIntegerField(_("events cancelled"), default=0)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last successful sync"), null=True, blank=True)
    next_sync_at = models.DateTimeField(_("next sync"), null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        ordering = ["organisation", "url"]
        constraints = [models.UniqueConstraint(fields=["organisation", "url"], name="feed_unique_url_per_org")]

    def __str__(self) -> str:
        return self.name or self.url


class FeedToken(models.Model):
    """The secret in a member's private feed URL, which also shows network-only events; reset at will."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                                related_name="calendar_feed_token")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("private feed token")
        verbose_name_plural = _("private feed tokens")

    def __str__(self) -> str:
        return f"{self.user}"
