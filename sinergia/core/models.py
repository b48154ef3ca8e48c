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


class Notification(models.Model):
    """A message for one user, shown in-app and sent by e-mail by a task."""

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

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title


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
