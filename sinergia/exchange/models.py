"""Offers and needs of the exchange, the message threads kept on them, match notices and the partnerships they
lead to."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sinergia.core.models import Concept
from sinergia.directory.models import Organisation

MIN_RADIUS_KM = 1
MAX_RADIUS_KM = 500


class Listing(models.Model):
    """An offer or a need an organisation publishes: what, where it applies, until when, on which terms."""

    class Side(models.TextChoices):
        OFFER = "offer", pgettext_lazy("exchange side", "Offer")
        NEED = "need", pgettext_lazy("exchange side", "Need")

    class Kind(models.TextChoices):
        SERVICE = "service", _("Professional service")
        EQUIPMENT = "equipment", _("Equipment loan")
        SPACE = "space", _("Space")
        STAFF_TIME = "staff_time", _("Staff or volunteer time")
        EXPERTISE = "expertise", _("Expertise")
        EXHIBIT_LOAN = "exhibit_loan", _("Exhibit loan")
        TRANSPORT = "transport", _("Transport")
        COACHING = "coaching", _("Coaching or mentoring")

    class Area(models.TextChoices):
        RADIUS = "radius", _("Within a distance of a place")
        REGIONS = "regions", _("In regions or countries")
        REMOTE = "remote", _("Remotely, anywhere")

    class Conditions(models.TextChoices):
        FREE = "free", _("Free of charge")
        EXCHANGE = "exchange", _("In exchange for something")
        PAID = "paid", _("Paid")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Everyone")
        NETWORKS = "networks", _("Members of our networks only")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("exchange listing", "Open")
        CLOSED = "closed", pgettext_lazy("exchange listing", "Closed")
        FULFILLED = "fulfilled", pgettext_lazy("exchange listing", "Fulfilled")
        EXPIRED = "expired", pgettext_lazy("exchange listing", "Expired")

    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE,
                                     related_name="exchange_listings")
    side = models.CharField(_("offer or need"), max_length=5, choices=Side.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, blank=True,
                                   help_text=_("Markdown is allowed."))
    categories = models.ManyToManyField(Concept, verbose_name=_("categories"), through="ListingCategory",
                                        related_name="+", limit_choices_to={"scheme": Concept.Scheme.SERVICE})
    area = models.CharField(_("area served"), max_length=10, choices=Area.choices, default=Area.RADIUS)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    radius_km = models.PositiveSmallIntegerField(_("radius (km)"), null=True, blank=True)
    place_region = models.CharField(_("region of the place"), max_length=120, blank=True)
    place_country = models.CharField(_("country of the place"), max_length=2, blank=True)
    regions = models.JSONField(_("regions"), default=list, blank=True)
    countries = models.JSONField(_("countries"), default=list, blank=True, help_text=_("ISO 3166-1 alpha-2 codes."))
    languages = models.JSONField(_("languages"), default=list, blank=True, help_text=_("BCP 47 language tags."))
    available_from = models.DateField(_("available from"), null=True, blank=True)
    available_until = models.DateField(_("available until"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), db_index=True)
    conditions = models.CharField(_("conditions"), max_length=10, choices=Conditions.choices,
                                  default=Conditions.FREE)
    conditions_note = models.CharField(_("about the conditions"), max_length=500, blank=True)
    visibility = models.CharField(_("who sees it"), max_length=10, choices=Visibility.choices,
                                  default=Visibility.PUBLIC)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    # The expiry date the reminder was sent for: a renewal moves the date, so a new reminder is due.
    reminded_for = models.DateField(_("expiry reminder sent for"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("published at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("offer or need")
        verbose_name_plural = _("offers and needs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(radius_km__isnull=True) | Q(radius_km__gte=MIN_RADIUS_KM,
                                                                           radius_km__lte=MAX_RADIUS_KM),
                                   name="exchange_listing_radius_range"),
            models.CheckConstraint(condition=~Q(area="radius") | Q(radius_km__isnull=False, latitude__isnull=False,
                                                                   longitude__isnull=False),
                                   name="exchange_listing_radius_has_centre"),
            models.CheckConstraint(condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                                   name="exchange_listing_latitude_range"),
            models.CheckConstraint(condition=Q(longitude__isnull=True) | Q(longitude__gte=-180,
                                                                           longitude__lte=180),
                                   name="exchange_listing_longitude_range"),
            models.CheckConstraint(condition=Q(available_until__isnull=True) | Q(available_from__isnull=True)
                                   | Q(available_until__gte=models.F("available_from")),
                                   name="exchange_listing_dates_in_order"),
        ]
        indexes = [
            # The matching pre-filter: open listings of one side, not expired, by kind or near a point.
            models.Index(fields=["side", "status", "expires_on", "kind"], name="exchange_listing_open_idx"),
            models.Index(fields=["side", "status", "latitude", "longitude"], name="exchange_listing_geo_idx"),
            models.Index(fields=["organisation", "status"], name="exchange_listing_org_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        """Whether it is still open (the expiry task may not have marked it expired yet)."""
        from django.utils import timezone

        return self.status == self.Status.OPEN and self.expires_on >= timezone.localdate()

    @property
    def other_side(self) -> str:
        """The side of the listings that can answer this one."""
        return self.Side.NEED if self.side == self.Side.OFFER else self.Side.OFFER


class ListingCategory(models.Model):
    """A listing's category of the thesaurus (scheme "service"); indexed by concept for the matching pre-filter."""

    listing = models.ForeignKey(Listing, verbose_name=_("offer or need"), on_delete=models.CASCADE,
                                related_name="category_links")
    concept = models.ForeignKey(Concept, verbose_name=_("category"), on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("category of an offer or need")
        verbose_name_plural = _("categories of offers and needs")
        constraints = [models.UniqueConstraint(fields=["listing", "concept"], name="exchange_category_unique")]
        indexes = [models.Index(fields=["concept", "listing"], name="exchange_category_idx")]

    def __str__(self) -> str:
        return f"{self.listing_id}:{self.concept_id}"


class Thread(models.Model):
    """The conversation between a listing's organisation and one counterpart organisation, kept on the listing."""

    listing = models.ForeignKey(Listing, verbose_name=_("offer or need"), on_delete=models.CASCADE,
                                related_name="threads")
    counterpart = models.ForeignKey(Organisation, verbose_name=_("counterpart"), on_delete=models.CASCADE,
                                    related_name="exchange_threads")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("started by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    last_message_at = models.DateTimeField(_("last message at"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("message thread")
        verbose_name_plural = _("message threads")
        ordering = ["-last_message_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["listing", "counterpart"], name="exchange_thread_unique"),
        ]
        indexes = [models.Index(fields=["counterpart", "last_message_at"], name="exchange_thread_party_idx")]

    def __str__(self) -> str:
        return f"{self.listing} — {self.counterpart}"


class Message(models.Model):
    """One message of a thread, written by a person on behalf of one of the two organisations."""

    thread = models.ForeignKey(Thread, verbose_name=_("thread"), on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    organisation = models.ForeignKey(Organisation, verbose_name=_("on behalf of"), on_delete=models.CASCADE,
                                     related_name="+")
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["thread", "created_at"], name="exchange_message_idx")]

    def __str__(self) -> str:
        return f"{self.thread_id}: {self.body[:40]}"


class MatchNotice(models.Model):
    """A good match of a need and an offer that the two organisations were told of (once: the task is idempotent)."""

    need = models.ForeignKey(Listing, verbose_name=_("need"), on_delete=models.CASCADE, related_name="+")
    offer = models.ForeignKey(Listing, verbose_name=_("offer"), on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"))
    created_at = models.DateTimeField(_("notified at"), auto_now_add=True)

    class Meta:
        verbose_name = _("match notice")
        verbose_name_plural = _("match notices")
        constraints = [models.UniqueConstraint(fields=["need", "offer"], name="exchange_match_notice_unique")]

    def __str__(self) -> str:
        return f"{self.need_id} ↔ {self.offer_id}"


class Partnership(models.Model):
    """Two organisations that worked together through the exchange: a fulfilled listing (read by the network
    graph)."""

    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE,
                                     related_name="exchange_partnerships")
    partner = models.ForeignKey(Organisation, verbose_name=_("partner"), on_delete=models.CASCADE,
                                related_name="exchange_partnerships_as_partner")
    listing = models.OneToOneField(Listing, verbose_name=_("fulfilled listing"), on_delete=models.CASCADE,
                                   related_name="partnership")
    partner_listing = models.ForeignKey(Listing, verbose_name=_("the partner's listing"), null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")
    started_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(organisation=models.F("partner")),
                                   name="exchange_partnership_two_organisations"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} + {self.partner}"
