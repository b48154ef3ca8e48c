"""The calendar's filters: one frozen value read from a query string, shared by the pages, the feeds and the API."""

import dataclasses
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from sinergia.calendar.models import Event

# A date range wider than this would make a page or a feed scan years of occurrences.
MAX_RANGE = timedelta(days=3 * 366)
MIN_YEAR, MAX_YEAR = 1900, 2100
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"


@dataclass(frozen=True)
class EventFilters:
    """What to show on the calendar; every field is optional (concepts by notation, network/organisation by slug)."""

    q: str = ""
    region: str = ""
    province: str = ""
    network: str = ""
    organisation: str = ""
    category: str = ""
    audience: str = ""
    theme: str = ""
    free: bool = False
    start: date | None = None
    end: date | None = None

    def to_query(self) -> str:
        """The filters that are set, as a query string (dates in ISO 8601, free as 1)."""
        values: dict[str, str] = {}
        for name, value in dataclasses.asdict(self).items():
            if isinstance(value, date):
                values[name] = value.isoformat()
            elif value is True:
                values[name] = "1"
            elif value:
                values[name] = value
        return urlencode(values)

    @property
    def is_empty(self) -> bool:
        """Whether no filter is set."""
        return self == EventFilters()


def _slug_field(label: Any, message: Any) -> forms.RegexField:
    return forms.RegexField(label=label, required=False, max_length=120, regex=SLUG_PATTERN,
                            error_messages={"invalid": message})


class EventFilterForm(forms.Form):
    """The calendar's filters, read from the query string: a value that does not fit is a form error and ignored."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    region = forms.CharField(label=_("Region"), required=False, max_length=120)
    province = forms.CharField(label=_("Province"), required=False, max_length=120)
    network = _slug_field(_("Network"), _("Choose a network from the list."))
    organisation = _slug_field(_("Organisation"), _("Choose an organisation by its address name (slug)."))
    category = forms.ChoiceField(label=_("Category"), required=False,
                                 choices=[("", _("Any category")), *Event.Category.choices])
    audience = _slug_field(_("Audience"), _("Choose an audience from the list."))
    theme = _slug_field(_("Theme"), _("Choose a theme from the list."))
    free = forms.BooleanField(label=_("Free entry only"), required=False)
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean_start(self) -> date | None:
        return _within_years(self.cleaned_data.get("start"))

    def clean_end(self) -> date | None:
        return _within_years(self.cleaned_data.get("end"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end date cannot be before the start date."))
        elif start and end and end - start > MAX_RANGE:
            self.add_error("end", _("Choose a range of at most three years."))
        return cleaned

    def filters(self) -> EventFilters:
        """The valid filters as the selectors take them; fields with errors are left out."""
        if not self.is_bound:
            return EventFilters()
        self.is_valid()
        values = {name: self.cleaned_data[name] for name in self.fields if name in self.cleaned_data}
        values = {name: value.strip() if isinstance(value, str) else value for name, value in values.items()}
        return EventFilters(**{name: value for name, value in values.items() if value not in (None, "")})


def _within_years(value: date | None) -> date | None:
    if value is not None and not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValidationError(_("Choose a date between the years %(min)d and %(max)d."),
                              params={"min": MIN_YEAR, "max": MAX_YEAR}, code="out_of_range")
    return value
