"""What every domain shares: the thesaurus of concepts, notifications, the audit trail."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Concept(models.Model):
    """A SKOS-like concept of the multilingual thesaurus (a theme, an audience, a category)."""

    class Scheme(models.TextChoices):
        THEME = "theme", _("Theme")
        AUDIENCE = "audience", _("Audience")
        CATEGORY = "category", _("Category")
        TOPIC = "topic", _("Topic")
        SERVICE = "service", _("Service")

    scheme = models.CharField(_("scheme"), max_length=20, choices=Scheme.choices, db_index=True)
    notation = models.SlugField(_("notation"), max_length=80, unique=True)
    labels = models.JSONField(_("preferred labels"), default=dict, help_text=_("One label per language code."))
    alt_labels = models.JSONField(_("alternative labels"), default=dict, blank=True)
    definition = models.JSONField(_("definitions"), default=dict, blank=True)
    broader = models.ForeignKey(
        "self", verbose_name=_("broader concept"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="narrower",
    )

    class Meta:
        verbose_name = _("concept")
        verbose_name_plural = _("concepts")
        ordering = ["scheme", "notation"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The preferred label in the active language, falling back to English, then any."""
        language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
        return (
            self.labels.get(language)
            or self.labels.get("en")
            or next(iter(self.labels.values()), self.notation)
        )


class EmailMode(models.TextChoices):
    """How a kind of notification reaches a user by e-mail (the in-app list always keeps it)."""

    IMMEDIATE = "immediate", _("Immediately")
    DIGEST = "digest", _("Daily digest")
    OFF = "off", _("Off")


class Notification(models.Model):
    """A message for one user, shown in-app and sent by e-mail by a task.

    `delivery` is the e-mail route chosen when it was created, from the recipient's preferences: "immediate"
    ones are e-mailed by send_notification_emails, "digest" ones by the daily digest, "off" ones never.
    `emailed_at` is set when a task claims it for sending (immediate or digest), so nothing is sent twice.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    delivery = models.CharField(_("e-mail delivery"), max_length=10, choices=EmailMode.choices,
                                default=EmailMode.IMMEDIATE)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            # What the daily digest still has to send: small, whatever the size of the whole table.
            models.Index(fields=["recipient"], name="core_notification_digest_due",
                         condition=models.Q(delivery="digest", emailed_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return self.title


class NotificationPreference(models.Model):
    """A user's e-mail mode for one kind of notification; no row means the kind's default.

    The kind ALL ("*") with mode "off" is the user's switch that turns every e-mail off whatever the other rows say.
    """

    ALL = "*"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="notification_preferences")
    kind = models.CharField(_("kind"), max_length=60)
    mode = models.CharField(_("e-mail"), max_length=10, choices=EmailMode.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="core_notification_preference_unique")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.mode}"


class DigestDelivery(models.Model):
    """The claim of one user's daily digest for one day: its unique row is what makes a retried run send nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="+")
    day = models.DateField(_("day"))
    claim = models.CharField(_("claim"), max_length=32, help_text=_("The run that claimed it."))
    notification_count = models.PositiveIntegerField(_("notifications"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("digest delivery")
        verbose_name_plural = _("digest deliveries")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="core_digest_delivery_unique")]
        indexes = [models.Index(fields=["day", "claim"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"


class PeriodicRun(models.Model):
    """When the periodic scheduler last enqueued a job, so that a restart does not run a daily job again."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    last_enqueued_at = models.DateTimeField(_("last enqueued at"), null=True, blank=True)

    class Meta:
        verbose_name = _("periodic run")
        verbose_name_plural = _("periodic runs")

    def __str__(self) -> str:
        return self.name


class AuditEntry(models.Model):
    """Who did what to which object, and when."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    action = models.CharField(_("action"), max_length=80, db_index=True)
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.CharField(max_length=64)
    target = GenericForeignKey("target_type", "target_id")
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.action} {self.target_type_id}:{self.target_id}"
