"""Networks, their versioned charters, and the memberships of organisations and networks."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from sinergia.core.models import Concept
from sinergia.directory.models import Organisation


class Network(models.Model):
    """A thematic, territorial or mixed network of organisations (or of networks)."""

    class Kind(models.TextChoices):
        THEMATIC = "thematic", _("Thematic")
        TERRITORIAL = "territorial", _("Territorial")
        MIXED = "mixed", _("Mixed")

    class Scale(models.TextChoices):
        LOCAL = "local", _("Local")
        REGIONAL = "regional", _("Regional")
        NATIONAL = "national", _("National")
        INTERNATIONAL = "international", _("International")

    class Governance(models.TextChoices):
        INFORMAL = "informal", _("Informal")
        MOU = "mou", _("Memorandum of understanding")
        AGREEMENT = "agreement", _("Agreement or convention")
        ASSOCIATION = "association", _("Association")
        FOUNDATION = "foundation", _("Foundation")
        CONSORTIUM = "consortium", _("Consortium")
        NETWORK_CONTRACT = "network_contract", _("Network contract")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=255, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    scale = models.CharField(_("scale"), max_length=20, choices=Scale.choices, db_index=True)
    governance = models.CharField(_("governance model"), max_length=20, choices=Governance.choices)
    description = models.TextField(_("description"), blank=True, max_length=20_000,
                                   help_text=_("Markdown is allowed."))
    objectives = models.TextField(_("objectives"), blank=True, max_length=20_000,
                                  help_text=_("Markdown is allowed."))
    legal_notes = models.TextField(_("legal notes"), blank=True, max_length=20_000,
                                   help_text=_("Legal form, statutes, registration. Markdown is allowed."))
    management_notes = models.TextField(_("management notes"), blank=True, max_length=20_000,
                                        help_text=_("Bodies, decisions, fees. Markdown is allowed."))
    language = models.CharField(_("language of the texts"), max_length=16, blank=True)
    themes = models.ManyToManyField(Concept, verbose_name=_("themes"), blank=True, related_name="+",
                                    limit_choices_to={"scheme": Concept.Scheme.THEME})
    region = models.CharField(_("region"), max_length=120, blank=True, db_index=True)
    country = models.CharField(_("country"), max_length=2, blank=True, db_index=True,
                               help_text=_("ISO 3166-1 alpha-2 code; empty for international networks."))
    website = models.URLField(_("website"), blank=True, max_length=500)
    email = models.EmailField(_("e-mail"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/%Y/", blank=True)
    founded_by = models.ForeignKey(Organisation, verbose_name=_("founded by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="founded_networks")
    is_active = models.BooleanField(_("listed"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """An organisation's or a network's membership of a network, through its lifecycle."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        MEMBER = "member", _("Member")
        OBSERVER = "observer", _("Observer")
        PARTNER = "partner", _("Partner")

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        ADMITTED = "admitted", _("Admitted")
        DECLINED = "declined", _("Declined")
        SUSPENDED = "suspended", _("Suspended")
        LEFT = "left", _("Left")

    CURRENT = (Status.APPLIED, Status.ADMITTED, Status.SUSPENDED)

    network = models.ForeignKey(Network, verbose_name=_("network"), on_delete=models.CASCADE,
                                related_name="memberships")
    organisation = models.ForeignKey(Organisation, verbose_name=_("member organisation"), null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="network_memberships")
    member_network = models.ForeignKey(Network, verbose_name=_("member network"), null=True, blank=True,
                                       on_delete=models.CASCADE, related_name="memberships_in_networks")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.APPLIED,
                              db_index=True)
    motivation = models.TextField(_("motivation"), blank=True, max_length=5000)
    decision_reason = models.TextField(_("reason"), blank=True, max_length=5000)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("applied by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    applied_at = models.DateTimeField(_("applied at"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["network", "-applied_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(organisation__isnull=False, member_network__isnull=True)
                           | Q(organisation__isnull=True, member_network__isnull=False)),
                name="membership_one_kind_of_member"),
            models.CheckConstraint(condition=~Q(member_network=F("network")),
                                   name="membership_not_member_of_itself"),
            models.UniqueConstraint(fields=["network", "organisation"],
                                    condition=Q(status__in=["applied", "admitted", "suspended"]),
                                    name="membership_one_current_per_organisation"),
            models.UniqueConstraint(fields=["network", "member_network"],
                                    condition=Q(status__in=["applied", "admitted", "suspended"]),
                                    name="membership_one_current_per_network"),
        ]
        indexes = [models.Index(fields=["network", "status", "role"])]

    def __str__(self) -> str:
        return f"{self.member} in {self.network} ({self.get_status_display()})"

    @property
    def member(self) -> Organisation | Network | None:
        """The member: an organisation or a network."""
        return self.organisation or self.member_network


class CharterVersion(models.Model):
    """One published version of a network's charter; members sign a version."""

    network = models.ForeignKey(Network, verbose_name=_("network"), on_delete=models.CASCADE,
                                related_name="charter_versions")
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text"), max_length=100_000, help_text=_("Markdown is allowed."))
    changes = models.TextField(_("what changed"), blank=True, max_length=5000)
    language = models.CharField(_("language"), max_length=16, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)

    class Meta:
        verbose_name = _("charter version")
        verbose_name_plural = _("charter versions")
        ordering = ["network", "-number"]
        constraints = [models.UniqueConstraint(fields=["network", "number"], name="charter_version_unique")]

    def __str__(self) -> str:
        return f"{self.network} — v{self.number}"


class CharterSignature(models.Model):
    """A member's signature of one charter version: who signed, when, on whose behalf."""

    membership = models.ForeignKey(Membership, verbose_name=_("membership"), on_delete=models.CASCADE,
                                   related_name="signatures")
    charter = models.ForeignKey(CharterVersion, verbose_name=_("charter version"), on_delete=models.PROTECT,
                                related_name="signatures")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("signed by"), null=True,
                                  on_delete=models.SET_NULL, related_name="+")
    signatory_name = models.CharField(_("signatory"), max_length=150)
    signed_at = models.DateTimeField(_("signed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("charter signature")
        verbose_name_plural = _("charter signatures")
        ordering = ["-signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["membership", "charter"], name="charter_signature_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.signatory_name} signed {self.charter}"
