"""Organisations of every kind, the people in them, claims and invitations."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sinergia.core.models import Concept


class Organisation(models.Model):
    """A museum, ecomuseum, archive, company, professional… listed in the directory."""

    class Kind(models.TextChoices):
        MUSEUM = "museum", _("Museum")
        ECOMUSEUM = "ecomuseum", _("Ecomuseum")
        COMMUNITY_MUSEUM = "community_museum", _("Community museum")
        ARCHIVE = "archive", _("Archive")
        LIBRARY = "library", _("Library")
        HERITAGE_SITE = "heritage_site", _("Heritage site")
        ASSOCIATION = "association", _("Association")
        PUBLIC_BODY = "public_body", _("Public body")
        FOUNDATION = "foundation", _("Foundation")
        UNIVERSITY = "university", _("University or school")
        COMPANY = "company", _("Company")
        FREELANCE = "freelance", _("Freelance professional")

    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, db_index=True)
    description = models.TextField(_("description"), blank=True, max_length=20_000,
                                   help_text=_("Markdown is allowed."))
    language = models.CharField(_("language of the description"), max_length=16, blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True,
                                 help_text=_("BCP 47 language tags, e.g. it, en, fr."))
    website = models.URLField(_("website"), blank=True, max_length=500)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    locality = models.CharField(_("locality"), max_length=120, blank=True)
    municipality = models.CharField(_("municipality"), max_length=120, blank=True, db_index=True)
    province = models.CharField(_("province"), max_length=120, blank=True, db_index=True)
    region = models.CharField(_("region"), max_length=120, blank=True, db_index=True)
    country = models.CharField(_("country"), max_length=2, default="IT", db_index=True,
                               help_text=_("ISO 3166-1 alpha-2 code."))
    latitude = models.FloatField(_("latitude"), null=True, blank=True,
                                 validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.FloatField(_("longitude"), null=True, blank=True,
                                  validators=[MinValueValidator(-180), MaxValueValidator(180)])
    themes = models.ManyToManyField(Concept, verbose_name=_("themes"), blank=True, related_name="+",
                                    limit_choices_to={"scheme": Concept.Scheme.THEME})
    audiences = models.ManyToManyField(Concept, verbose_name=_("audiences"), blank=True, related_name="+",
                                       limit_choices_to={"scheme": Concept.Scheme.AUDIENCE})
    categories = models.ManyToManyField(Concept, verbose_name=_("categories"), blank=True, related_name="+",
                                        limit_choices_to={"scheme": Concept.Scheme.CATEGORY})
    logo = models.ImageField(_("logo"), upload_to="logos/%Y/", blank=True)
    source = models.CharField(_("data source"), max_length=60, blank=True,
                              help_text=_("The open-data set this entry was imported from."))
    source_id = models.CharField(_("identifier in the source"), max_length=120, blank=True)
    is_active = models.BooleanField(_("listed"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], condition=~Q(source_id=""),
                                    name="organisation_unique_source_id"),
            models.CheckConstraint(condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                                   name="organisation_latitude_range"),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="organisation_longitude_range"),
        ]
        indexes = [
            models.Index(fields=["region", "province"]),
            models.Index(fields=["latitude", "longitude"]),
            # The directory lists listed organisations by name: this index serves that order without a sort.
            models.Index(fields=["is_active", "name", "id"], name="organisation_listing_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class OrganisationMember(models.Model):
    """A user's role in an organisation."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        EDITOR = "editor", _("Editor")
        MEMBER = "member", _("Member")

    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE,
                                     related_name="people")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="organisation_roles")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    title = models.CharField(_("job title"), max_length=120, blank=True)
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("person in an organisation")
        verbose_name_plural = _("people in organisations")
        ordering = ["organisation", "role", "joined_at"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="organisation_member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation} ({self.get_role_display()})"


class Invitation(models.Model):
    """An invitation, sent by e-mail, to join an organisation with a role."""

    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE,
                                     related_name="invitations")
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=10, choices=OrganisationMember.Role.choices,
                            default=OrganisationMember.Role.MEMBER)
    token = models.CharField(max_length=64, unique=True, editable=False, default=secrets.token_urlsafe)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("invited by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("accepted by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "email"], condition=Q(accepted_at__isnull=True),
                                    name="invitation_one_pending_per_email"),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"


class Claim(models.Model):
    """A user's request to manage an organisation already listed; an operator decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE,
                                     related_name="claims")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="claims")
    message = models.TextField(_("message"), max_length=2000,
                               help_text=_("Who you are and how the organisation can verify it."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(_("reason of the decision"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], condition=Q(status="pending"),
                                    name="claim_one_pending_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} claims {self.organisation}"
