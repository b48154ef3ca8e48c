"""Questions asked to the desk, the experts who answer them and their answers."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sinergia.directory.models import Organisation


class Category(models.TextChoices):
    """What a question is about; experts are named for one or more categories."""

    FUNDING = "funding", _("Funding and calls")
    COPYRIGHT = "copyright", _("Copyright and SIAE")
    STREAMING = "streaming", _("Streaming rights")
    TICKETING = "ticketing", _("Ticketing")
    DIGITAL = "digital", _("Digital")
    FUNDRAISING = "fundraising", _("Fundraising")
    LEGAL = "legal", _("Legal and governance of networks")
    MARKETING = "marketing", _("Marketing and communication")
    OTHER = "other", _("Other")


class Expert(models.Model):
    """A user an operator named to answer the desk's questions in one category."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="desk_expertise")
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    named_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("named by"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    named_at = models.DateTimeField(_("named at"), auto_now_add=True)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        constraints = [models.UniqueConstraint(fields=["user", "category"], name="desk_expert_unique")]
        indexes = [models.Index(fields=["category", "user"], name="desk_expert_category_idx")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_category_display()}"


class Question(models.Model):
    """A question of a member, private (experts and the asker's organisation) or public (the knowledge base)."""

    class Visibility(models.TextChoices):
        PRIVATE = "private", _("Private: only experts and my organisation")
        PUBLIC = "public", _("Public: it can join the knowledge base")

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for an answer")
        ANSWERED = "answered", pgettext_lazy("desk question", "Answered")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", pgettext_lazy("desk question", "Closed")

    title = models.CharField(_("question"), max_length=200)
    body = models.TextField(_("details"), max_length=10_000, blank=True,
                            help_text=_("Markdown: the context experts need to answer."))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, db_index=True)
    language = models.CharField(_("language"), max_length=16, help_text=_("A BCP 47 language tag, e.g. it or pt-BR."))
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices,
                                  default=Visibility.PUBLIC)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("asked by"), null=True,
                                 on_delete=models.SET_NULL, related_name="desk_questions")
    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE,
                                     related_name="desk_questions")
    call = models.ForeignKey("desk.FundingCall", verbose_name=_("funding call"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="questions")
    accepted_answer = models.OneToOneField("desk.Answer", verbose_name=_("accepted answer"), null=True, blank=True,
                                           on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    first_answered_at = models.DateTimeField(_("first answered at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["category", "status", "created_at"], name="desk_question_queue_idx"),
            models.Index(fields=["visibility", "status", "category"], name="desk_question_kb_idx"),
            models.Index(fields=["organisation", "created_at"], name="desk_question_org_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(first_answered_at__isnull=True) | Q(first_answered_at__gte=models.F("created_at")),
                name="desk_question_answered_after_asked",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("desk:question_detail", args=[self.pk])


class Answer(models.Model):
    """An expert's answer (or a follow-up of the asker's organisation) to a question."""

    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.CASCADE,
                                 related_name="answers")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True,
                               on_delete=models.SET_NULL, related_name="desk_answers")
    body = models.TextField(_("answer"), max_length=20_000, help_text=_("Markdown."))
    by_expert = models.BooleanField(_("given by an expert"), default=False)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["question", "created_at"], name="desk_answer_question_idx")]

    def __str__(self) -> str:
        return f"{self.question} · {self.author}"
