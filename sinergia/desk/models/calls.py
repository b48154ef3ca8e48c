"""Funding calls published for members, who follow them and are reminded of their deadlines."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from sinergia.core.models import Concept
from sinergia.directory.models import Organisation


class FundingCall(models.Model):
    """A call for funding (EU programme, regional Art Bonus, foundation…) with its eligibility and deadline."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    title = models.CharField(_("title"), max_length=255)
    funder = models.CharField(_("funder"), max_length=255)
    programme = models.CharField(_("programme"), max_length=255, blank=True,
                                 help_text=_("e.g. Creative Europe, regional Art Bonus, a foundation's call."))
    summary = models.TextField(_("summary"), max_length=20_000, help_text=_("Markdown."))
    language = models.CharField(_("language"), max_length=16, help_text=_("A BCP 47 language tag, e.g. it or pt-BR."))
    eligible_kinds = models.JSONField(_("eligible kinds of organisation"), default=list, blank=True,
                                      help_text=_("Empty: every kind of organisation."))
    eligible_countries = models.JSONField(_("eligible countries"), default=list, blank=True,
                                          help_text=_("ISO 3166 codes; empty: every country."))
    eligible_regions = models.JSONField(_("eligible regions"), default=list, blank=True,
                                        help_text=_("Region names as in the directory; empty: every region."))
    amount_min = models.DecimalField(_("minimum amount"), max_digits=14, decimal_places=2, null=True, blank=True,
                                     validators=[MinValueValidator(0)])
    amount_max = models.DecimalField(_("maximum amount"), max_digits=14, decimal_places=2, null=True, blank=True,
                                     validators=[MinValueValidator(0)])
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    co_financing_percent = models.PositiveSmallIntegerField(
        _("co-financing required (%)"), null=True, blank=True, validators=[MaxValueValidator(100)],
        help_text=_("The share of the budget the applicant must bring; empty if none."),
    )
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    deadline = models.DateTimeField(_("deadline"), db_index=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Rome",
                                 help_text=_("The IANA time zone in which the funder states the deadline."))
    topics = models.ManyToManyField(Concept, verbose_name=_("topics"), blank=True, related_name="+",
                                    limit_choices_to={"scheme": Concept.Scheme.TOPIC})
    url = models.URLField(_("link to the call"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    organisation = models.ForeignKey(Organisation, verbose_name=_("published by the organisation"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="funding_calls")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("funding call")
        verbose_name_plural = _("funding calls")
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["status", "deadline"], name="desk_call_open_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_min__isnull=True) | Q(amount_max__isnull=True) | Q(amount_max__gte=F("amount_min")),
                name="desk_call_amounts_ordered",
            ),
            models.CheckConstraint(condition=Q(opens_at__isnull=True) | Q(deadline__gt=F("opens_at")),
                                   name="desk_call_deadline_after_opening"),
        ]

    def __str__(self) -> str:
        return self.title


class CallDocument(models.Model):
    """A document of a call: an uploaded file or a link to the funder's site."""

    call = models.ForeignKey(FundingCall, verbose_name=_("funding call"), on_delete=models.CASCADE,
                             related_name="documents")
    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(_("file"), upload_to="calls/%Y/", blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("document of a call")
        verbose_name_plural = _("documents of calls")
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=~Q(file="") | ~Q(url=""), name="desk_document_file_or_url")]

    def __str__(self) -> str:
        return self.title


class CallFollow(models.Model):
    """A user following a call, reminded before its deadline."""

    call = models.ForeignKey(FundingCall, verbose_name=_("funding call"), on_delete=models.CASCADE,
                             related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="followed_calls")
    created_at = models.DateTimeField(_("followed since"), auto_now_add=True)

    class Meta:
        verbose_name = _("followed call")
        verbose_name_plural = _("followed calls")
        constraints = [models.UniqueConstraint(fields=["call", "user"], name="desk_follow_unique")]
        indexes = [models.Index(fields=["user", "call"], name="desk_follow_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} → {self.call}"


class CallReminder(models.Model):
    """A reminder sent to one follower N days before one deadline: its row makes a retried task send nothing."""

    call = models.ForeignKey(FundingCall, verbose_name=_("funding call"), on_delete=models.CASCADE,
                             related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="+")
    days_before = models.PositiveSmallIntegerField(_("days before the deadline"))
    deadline = models.DateTimeField(_("deadline reminded"),
                                    help_text=_("A moved deadline is reminded again."))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("deadline reminder")
        verbose_name_plural = _("deadline reminders")
        constraints = [models.UniqueConstraint(fields=["call", "user", "days_before", "deadline"],
                                               name="desk_reminder_once")]

    def __str__(self) -> str:
        return f"{self.call} · {self.user} · {self.days_before}"


class CallPublisher(models.Model):
    """An organisation an operator trusts to publish funding calls (operators always may)."""

    organisation = models.OneToOneField(Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE,
                                        related_name="call_publisher")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("granted by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("trusted publisher of calls")
        verbose_name_plural = _("trusted publishers of calls")

    def __str__(self) -> str:
        return str(self.organisation)
