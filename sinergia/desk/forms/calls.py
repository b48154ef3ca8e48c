"""Forms of funding calls: they parse and show errors; the services decide."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sinergia.calendar.forms import timezone_choices
from sinergia.core.countries import country_choices
from sinergia.core.models import Concept
from sinergia.desk.models import FundingCall
from sinergia.desk.selectors.calls import MAX_WITHIN_DAYS, CallFilters
from sinergia.desk.services.calls_data import MAX_REGIONS, REGION_MAX_CHARS, CallData
from sinergia.directory.forms import StyledFormMixin
from sinergia.directory.models import Organisation

WALL_TIME_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S")
STATES = [("open", pgettext_lazy("funding calls", "Open")), ("closed", pgettext_lazy("funding calls", "Closed")),
          ("all", pgettext_lazy("funding calls", "Open and closed"))]


class WallTimeField(forms.DateTimeField):
    """A date and time as written, without a zone: the call's own time zone gives it its meaning."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value: Any) -> datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.replace(tzinfo=None)
        for pattern in WALL_TIME_FORMATS:
            try:
                return datetime.strptime(str(value).strip(), pattern)
            except ValueError:
                continue
        raise ValidationError(_("Enter a date and time, e.g. 2026-05-31 17:00."), code="invalid")


class CallFilterForm(forms.Form):
    """The list's filters, read from the query string; a value that does not fit is ignored."""

    state = forms.ChoiceField(label=_("Calls"), choices=STATES, required=False)
    q = forms.CharField(label=_("Funder, programme or title"), required=False, max_length=200)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    kind = forms.ChoiceField(label=_("Open to the kind of organisation"), required=False,
                             choices=[("", _("Any kind")), *Organisation.Kind.choices])
    country = forms.ChoiceField(label=_("Open to organisations in the country"), required=False)
    region = forms.CharField(label=_("Open to organisations in the region"), required=False,
                             max_length=REGION_MAX_CHARS, widget=forms.TextInput(attrs={"list": "call-regions"}))
    within = forms.IntegerField(label=_("Deadline within (days)"), required=False, min_value=1,
                                max_value=MAX_WITHIN_DAYS)
    eligible = forms.BooleanField(label=_("Only calls my organisations may apply to"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        topics = Concept.objects.filter(scheme=Concept.Scheme.TOPIC)
        self.fields["topic"].choices = [("", _("Any topic")), *sorted(  # type: ignore[attr-defined]
            ((c.notation, c.label) for c in topics), key=lambda c: c[1].casefold())]
        self.fields["country"].choices = [("", _("Any country")), *country_choices()]  # type: ignore[attr-defined]

    def filters(self) -> CallFilters:
        """The valid filters as the selectors take them (invalid ones dropped)."""
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        state = data.get("state") or "open"
        return CallFilters(state="" if state == "all" else state, q=data.get("q", ""), topic=data.get("topic", ""),
                           kind=data.get("kind", ""), country=data.get("country", ""),
                           region=" ".join((data.get("region") or "").split()), within_days=data.get("within"),
                           eligible=bool(data.get("eligible")))

    def querystring(self) -> str:
        """The valid filters as a query string, without the page number."""
        self.is_valid()
        values = {name: value for name, value in self.cleaned_data.items() if value and name not in self.errors}
        return urlencode({name: "on" if value is True else value for name, value in values.items()})


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in (text or "").replace(";", "\n").splitlines() if line.strip()]


class CallForm(StyledFormMixin, forms.Form):
    """A call's description, eligibility, amounts and dates (in its own time zone)."""

    organisation = forms.ModelChoiceField(label=_("Published by"), queryset=Organisation.objects.none(),
                                          required=False)
    title = forms.CharField(label=_("Title"), max_length=255)
    funder = forms.CharField(label=_("Funder"), max_length=255,
                             help_text=_("E.g. European Commission, Regione Emilia-Romagna, a foundation."))
    programme = forms.CharField(label=_("Programme"), max_length=255, required=False,
                                help_text=_("E.g. Creative Europe, regional Art Bonus."))
    summary = forms.CharField(label=_("Summary"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 8}),
                              help_text=_("Markdown: who may apply, what is funded, how to apply."))
    language = forms.CharField(label=_("Language of the text"), max_length=35,
                               widget=forms.TextInput(attrs={"list": "call-languages"}),
                               help_text=_("A language code, e.g. it or en."))
    eligible_kinds = forms.MultipleChoiceField(label=_("Kinds of organisation that may apply"), required=False,
                                               choices=Organisation.Kind.choices, widget=forms.CheckboxSelectMultiple,
                                               help_text=_("None checked: every kind."))
    eligible_countries = forms.MultipleChoiceField(label=_("Countries"), required=False,
                                                   widget=forms.SelectMultiple(attrs={"size": 8}),
                                                   help_text=_("None chosen: every country."))
    eligible_regions = forms.CharField(
        label=_("Regions"), required=False, max_length=MAX_REGIONS * (REGION_MAX_CHARS + 1),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One region per line, as the directory names it; empty: every region of the countries."))
    amount_min = forms.DecimalField(label=_("Minimum amount"), required=False, min_value=0, max_digits=14,
                                    decimal_places=2)
    amount_max = forms.DecimalField(label=_("Maximum amount"), required=False, min_value=0, max_digits=14,
                                    decimal_places=2)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="EUR",
                               help_text=_("Its ISO 4217 code, e.g. EUR."))
    co_financing_percent = forms.IntegerField(label=_("Co-financing required (%)"), required=False, min_value=0,
                                              max_value=100)
    opens_at = WallTimeField(label=_("Opens at"), required=False)
    deadline = WallTimeField(label=_("Deadline"))
    time_zone = forms.ChoiceField(label=_("Time zone of the dates"), initial="Europe/Rome",
                                  help_text=_("The zone in which the funder states the deadline."))
    topics = forms.ModelMultipleChoiceField(label=_("Topics"), required=False, queryset=Concept.objects.none(),
                                            widget=forms.SelectMultiple(attrs={"size": 8}))
    url = forms.URLField(label=_("Link to the call"), required=False, max_length=500, assume_scheme="https")

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisations is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["eligible_countries"].choices = country_choices()  # type: ignore[attr-defined]
        self.fields["time_zone"].choices = timezone_choices()  # type: ignore[attr-defined]
        self.fields["topics"].queryset = Concept.objects.filter(  # type: ignore[attr-defined]
            scheme=Concept.Scheme.TOPIC).order_by("notation")

    def call_data(self) -> CallData:
        """The cleaned values as the services take them."""
        data = {name: value for name, value in self.cleaned_data.items() if name != "organisation"}
        data["eligible_regions"] = _lines(data["eligible_regions"])
        data["topics"] = list(data["topics"])
        return CallData(**data)


def call_initial(call: FundingCall) -> dict[str, Any]:
    """The form's values of a stored call: its dates as wall times of its zone."""
    zone = ZoneInfo(call.time_zone)
    names = ("title", "funder", "programme", "summary", "language", "eligible_kinds", "eligible_countries",
             "amount_min", "amount_max", "currency", "co_financing_percent", "time_zone", "url")
    initial = {name: getattr(call, name) for name in names}
    initial.update(eligible_regions="\n".join(call.eligible_regions), topics=list(call.topics.all()),
                   deadline=timezone.localtime(call.deadline, zone).replace(tzinfo=None),
                   opens_at=timezone.localtime(call.opens_at, zone).replace(tzinfo=None) if call.opens_at else None)
    return initial


class DocumentForm(StyledFormMixin, forms.Form):
    """A document of the call: a file or a link."""

    title = forms.CharField(label=_("Title of the document"), max_length=255)
    file = forms.FileField(label=_("File"), required=False,
                           widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.odt,.docx"}),
                           help_text=_("A PDF, ODT or DOCX document of at most 10 MB."))
    url = forms.URLField(label=_("Or a link"), required=False, max_length=500, assume_scheme="https")


class WithdrawForm(StyledFormMixin, forms.Form):
    """Why the call is withdrawn (its followers read it)."""

    reason = forms.CharField(label=_("Reason"), required=False, max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))


class PublisherForm(StyledFormMixin, forms.Form):
    """The organisation an operator trusts to publish calls, by the address of its page or its slug."""

    organisation = forms.CharField(label=_("Organisation"), max_length=500,
                                   help_text=_("The address of its page in the directory, or the last part of it."))

    def clean_organisation(self) -> Organisation:
        text = self.cleaned_data["organisation"].strip().rstrip("/")
        slug = text.rsplit("/", 1)[-1]
        organisation = Organisation.objects.filter(slug=slug, is_active=True).first()
        if organisation is None:
            raise ValidationError(_("No organisation of the directory has the address “%(slug)s”.")
                                  % {"slug": slug[:120]})
        return organisation
