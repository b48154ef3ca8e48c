"""Forms of the desk's questions: ask, answer, the knowledge base's search, experts and statistics for operators."""

import datetime
import re
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergia.desk.models import Category, Question
from sinergia.desk.selectors.questions import call_for_question
from sinergia.desk.services.questions import ANSWER_MAX, BODY_MAX, TITLE_MAX
from sinergia.directory.forms import StyledFormMixin
from sinergia.directory.models import Organisation

STATS_PERIOD_MAX_DAYS = 731
STALE_DAYS_MAX = 365


class QuestionForm(StyledFormMixin, forms.Form):
    """A question to the desk, asked on behalf of one of the asker's organisations."""

    organisation = forms.ModelChoiceField(label=gettext_lazy("On behalf of"), queryset=Organisation.objects.none(),
                                          empty_label=None)
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=Category.choices)
    title = forms.CharField(label=gettext_lazy("Your question"), max_length=TITLE_MAX,
                            help_text=gettext_lazy("One sentence, e.g. “Do we pay SIAE fees to stream a concert?”"))
    body = forms.CharField(label=gettext_lazy("Details"), required=False, max_length=BODY_MAX,
                           widget=forms.Textarea(attrs={"rows": 8}),
                           help_text=gettext_lazy("The context experts need to answer. Markdown is allowed."))
    language = forms.CharField(label=gettext_lazy("Language of the question"), max_length=35,
                               widget=forms.TextInput(attrs={"list": "language-options", "autocomplete": "off"}),
                               help_text=gettext_lazy("A BCP 47 tag: it, en, fr, es, pt, pt-BR, de…"))
    visibility = forms.ChoiceField(label=gettext_lazy("Who sees it"), widget=forms.RadioSelect,
                                   choices=Question.Visibility.choices, initial=Question.Visibility.PUBLIC)
    call = forms.CharField(required=False, widget=forms.HiddenInput, max_length=12)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]

    def clean_call(self) -> Any:
        text = self.cleaned_data["call"]
        if not text:
            return None
        call = call_for_question(pk=text)
        if call is None:
            raise ValidationError(_("This funding call is not published."))
        return call


class AnswerForm(StyledFormMixin, forms.Form):
    """An answer (or a follow-up) to a question."""

    body = forms.CharField(label=gettext_lazy("Your answer"), max_length=ANSWER_MAX,
                           widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=gettext_lazy("Markdown is allowed."),
                           error_messages={"required": gettext_lazy("Write your answer.")})


class KnowledgeSearchForm(forms.Form):
    """The knowledge base's words and filters (also read by the desk home's search box)."""

    q = forms.CharField(label=gettext_lazy("Search the knowledge base"), required=False, max_length=200)
    category = forms.MultipleChoiceField(label=gettext_lazy("Category"), required=False, choices=Category.choices)
    language = forms.MultipleChoiceField(label=gettext_lazy("Language"), required=False, choices=())
    mine = forms.BooleanField(label=gettext_lazy("Only in my languages"), required=False)

    def full_clean(self) -> None:
        # Languages are an open set: accept well-formed primary subtags.
        values = self.data.getlist("language") if hasattr(self.data, "getlist") else self.data.get("language") or []
        self.fields["language"].choices = [  # type: ignore[attr-defined]
            (value, value) for value in values[:20] if isinstance(value, str) and re.match(r"^[a-zA-Z]{2,8}$", value)]
        super().full_clean()

    def clean_language(self) -> list[str]:
        return [code.lower() for code in self.cleaned_data["language"]]


class ExpertForm(StyledFormMixin, forms.Form):
    """An operator names a user, by e-mail address, expert of a category."""

    email = forms.EmailField(label=gettext_lazy("E-mail address of the user"), max_length=254)
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=Category.choices)

    def clean_email(self) -> Any:
        user = get_user_model().objects.filter(email__iexact=self.cleaned_data["email"], is_active=True).first()
        if user is None:
            raise ValidationError(_("No active account has this e-mail address."))
        return user


class StatsForm(StyledFormMixin, forms.Form):
    """The period of the desk's statistics and the age after which an unanswered question is late."""

    since = forms.DateField(label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=gettext_lazy("To (included)"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    stale_days = forms.IntegerField(label=gettext_lazy("Unanswered for more than (days)"), required=False,
                                    min_value=1, max_value=STALE_DAYS_MAX)

    def clean(self) -> dict[str, Any]:
        data = _with_defaults(super().clean() or {})
        if data["since"] > data["until"]:
            raise ValidationError(_("The period must start before it ends."))
        if (data["until"] - data["since"]).days > STATS_PERIOD_MAX_DAYS:
            raise ValidationError(_("Choose a period of at most two years."))
        return data

    def period(self) -> dict[str, Any]:
        """The period and delay asked for; the last 90 days and 7 days when nothing valid was asked."""
        return self.cleaned_data if self.is_bound and self.is_valid() else _with_defaults({})


def _with_defaults(data: dict[str, Any]) -> dict[str, Any]:
    data["until"] = data.get("until") or timezone.localdate()
    data["since"] = data.get("since") or data["until"] - datetime.timedelta(days=90)
    data["stale_days"] = data.get("stale_days") or 7
    return data
