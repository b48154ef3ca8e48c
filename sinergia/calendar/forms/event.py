"""The event editor's form: every field of an event, the recurrence builder, and their checks."""

from datetime import date, datetime
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sinergia.calendar import recurrence as rec
from sinergia.calendar.forms.choosers import (
    MAX_EXCEPTIONS,
    default_timezone,
    find_organisation,
    parse_exception_dates,
    timezone_choices,
)
from sinergia.calendar.models import Event
from sinergia.calendar.occurrences import validate_rrule
from sinergia.calendar.services import validate_event_image
from sinergia.core.models import Concept
from sinergia.directory.forms import StyledFormMixin
from sinergia.directory.models import Organisation
from sinergia.networks.models import Membership, Network
from sinergia.networks.selectors import networks_of

PLACE_OWN, PLACE_VENUE, PLACE_ADDRESS = "own", "venue", "address"
MAX_CO_ORGANISERS = 20
MAX_INTERVAL = 99
IMAGE_TYPES = "image/png,image/jpeg,image/gif,image/webp"
# Changing any of these re-runs the live clash check.
CLASH_FIELDS = (
    "start_date", "start_time", "end_date", "end_time", "all_day", "timezone", "place_kind", "venue", "latitude",
    "longitude", "audiences", "themes", "networks", "repeat", "interval", "weekdays", "monthly_by", "month_day",
    "week_ordinal", "week_day", "ends", "until", "count", "rrule", "exdates",
)
WEEKDAY_CHOICES = [("MO", _("Monday")), ("TU", _("Tuesday")), ("WE", _("Wednesday")), ("TH", _("Thursday")),
                   ("FR", _("Friday")), ("SA", _("Saturday")), ("SU", _("Sunday"))]
# The ordinal is chosen apart from the weekday, so it cannot agree with the weekday's gender.
WEEK_ORDINAL_CHOICES = [
    ("", _("As the start")),
    # Translators: which weekday of the month, chosen beside a separate list of weekdays: write these so they fit
    # every weekday, whatever its gender (e.g. as the week: "First week").
    (1, pgettext_lazy("week of the month", "First")), (2, pgettext_lazy("week of the month", "Second")),
    (3, pgettext_lazy("week of the month", "Third")), (4, pgettext_lazy("week of the month", "Fourth")),
    (-1, pgettext_lazy("week of the month", "Last"))]


class ConceptField(forms.ModelMultipleChoiceField):
    """Audiences or themes of the thesaurus, as checkboxes labelled in the active language."""

    def __init__(self, scheme: str, **kwargs: Any) -> None:
        super().__init__(queryset=Concept.objects.filter(scheme=scheme), required=False,
                         widget=forms.CheckboxSelectMultiple, **kwargs)

    def label_from_instance(self, obj: Concept) -> str:
        return obj.label



class EventForm(StyledFormMixin, forms.Form):
    """Everything an event says: what, for whom, where, when and how often, entry, sharing."""

    title = forms.CharField(label=_("Title"), max_length=255)
    description = forms.CharField(label=_("Description"), required=False, max_length=20_000,
                                  widget=forms.Textarea(attrs={"rows": 8}), help_text=_("Markdown is allowed."))
    language = forms.ChoiceField(label=_("Language of the texts"), required=False,
                                 choices=[("", _("Not said")), *settings.LANGUAGES])
    category = forms.ChoiceField(label=_("Category"), choices=Event.Category.choices, initial=Event.Category.OTHER)
    audiences = ConceptField(Concept.Scheme.AUDIENCE, label=_("Audiences"))
    themes = ConceptField(Concept.Scheme.THEME, label=_("Themes"))
    place_kind = forms.ChoiceField(label=_("The event takes place"), widget=forms.RadioSelect, initial=PLACE_OWN,
                                   choices=[(PLACE_OWN, _("At our place")),
                                            (PLACE_VENUE, _("At another organisation's place")),
                                            (PLACE_ADDRESS, _("At an address"))])
    venue = forms.CharField(label=_("Organisation"), required=False, max_length=400,
                            help_text=_("Type part of its name or town and choose it from the suggestions."))
    place_name = forms.CharField(label=_("Name of the place"), required=False, max_length=255)
    address = forms.CharField(label=_("Address"), required=False, max_length=255)
    locality = forms.CharField(label=_("Town or city"), required=False, max_length=120)
    province = forms.CharField(label=_("Province"), required=False, max_length=120)
    region = forms.CharField(label=_("Region"), required=False, max_length=120)
    country = forms.CharField(label=_("Country code"), required=False, max_length=2, help_text=_("E.g. IT, FR."))
    latitude = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90,
                                help_text=_("Click the map or drag its marker, or type it (e.g. 44.4949)."))
    longitude = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    all_day = forms.BooleanField(label=_("All day"), required=False)
    start_date = forms.DateField(label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("Start time"), required=False,
                                 widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end_date = forms.DateField(label=_("End date"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                               help_text=_("Leave empty when it ends on the day it starts."))
    end_time = forms.TimeField(label=_("End time"), required=False,
                               widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    timezone = forms.ChoiceField(label=_("Time zone"), choices=timezone_choices)
    repeat = forms.ChoiceField(label=_("Repeats"), required=False, initial=rec.NONE, choices=[
        (rec.NONE, _("Does not repeat")), (rec.DAILY, _("Daily")), (rec.WEEKLY, _("Weekly")),
        (rec.MONTHLY, _("Monthly")), (rec.CUSTOM, _("Custom rule (RFC 5545)"))])
    interval = forms.IntegerField(label=_("Every"), required=False, min_value=1, max_value=MAX_INTERVAL, initial=1,
                                  help_text=_("1 for every day, week or month; 2 for every other one…"))
    weekdays = forms.MultipleChoiceField(label=pgettext_lazy("weekdays of a weekly repetition", "On"),
                                         required=False, choices=WEEKDAY_CHOICES,
                                         widget=forms.CheckboxSelectMultiple,
                                         help_text=_("None chosen: the weekday of the start."))
    monthly_by = forms.ChoiceField(label=_("Each month"), required=False, widget=forms.RadioSelect,
                                   initial=rec.MONTHLY_BY_DAY, choices=[
                                       (rec.MONTHLY_BY_DAY, _("On a day of the month")),
                                       (rec.MONTHLY_BY_WEEKDAY, _("On a weekday of the month"))])
    month_day = forms.IntegerField(label=_("Day of the month"), required=False, min_value=1, max_value=31,
                                   help_text=_("Empty: the day of the start."))
    week_ordinal = forms.TypedChoiceField(label=pgettext_lazy("week of the month", "Which"), required=False,
                                          coerce=int, empty_value=None, choices=WEEK_ORDINAL_CHOICES)
    week_day = forms.ChoiceField(label=_("Weekday"), required=False,
                                 choices=[("", _("As the start")), *WEEKDAY_CHOICES])
    ends = forms.ChoiceField(label=_("Ends"), required=False, widget=forms.RadioSelect, initial=rec.ENDS_NEVER,
                             choices=[(rec.ENDS_NEVER, _("Never")), (rec.ENDS_ON, _("On a date")),
                                      (rec.ENDS_AFTER, _("After a number of times"))])
    until = forms.DateField(label=_("Last date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    count = forms.IntegerField(label=_("Number of times"), required=False, min_value=1,
                               max_value=settings.CALENDAR_MAX_OCCURRENCES_PER_EVENT)
    rrule = forms.CharField(label=_("Rule"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                            help_text=_("An RFC 5545 RRULE, e.g. FREQ=YEARLY;BYMONTH=5;BYDAY=2SU."))
    exdates = forms.CharField(label=_("Except on"), required=False, max_length=MAX_EXCEPTIONS * 40,
                              widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("Dates without the event, as YYYY-MM-DD, separated by commas."))
    is_free = forms.BooleanField(label=_("Free entry"), required=False)
    price = forms.CharField(label=_("Price"), required=False, max_length=255,
                            help_text=_("E.g. €8, reduced €5 for under-18s."))
    booking_url = forms.URLField(label=_("Booking link"), required=False, max_length=1000, assume_scheme="https")
    accessibility = forms.CharField(label=_("Accessibility notes"), required=False, max_length=5000,
                                    widget=forms.Textarea(attrs={"rows": 3}))
    image = forms.FileField(label=_("Image"), required=False, widget=forms.FileInput(attrs={"accept": IMAGE_TYPES}))
    remove_image = forms.BooleanField(label=_("Remove the current image"), required=False)
    co_organisers = forms.CharField(label=_("Co-organisers"), required=False, max_length=MAX_CO_ORGANISERS * 400,
                                    widget=forms.Textarea(attrs={"rows": 3}),
                                    help_text=_("One organisation per line, as suggested by the search above."))
    networks = forms.ModelMultipleChoiceField(label=_("Share with networks"), required=False,
                                              queryset=Network.objects.none(), widget=forms.CheckboxSelectMultiple)
    visibility = forms.ChoiceField(label=_("Who sees it"), widget=forms.RadioSelect, initial=Event.Visibility.PUBLIC,
                                   choices=Event.Visibility.choices)

    def __init__(self, *args: Any, organisation: Organisation, viewer, stored_rule: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation, self.viewer, self.stored_rule = organisation, viewer, stored_rule
        admitted = networks_of(organisation=organisation).filter(status=Membership.Status.ADMITTED)
        networks = Network.objects.filter(pk__in=admitted.values("network_id"), is_active=True).order_by("name")
        self.fields["networks"].queryset = networks  # type: ignore[attr-defined]
        self.fields["timezone"].initial = default_timezone(organisation)
        self.fields["image"].help_text = _("A PNG, JPEG, GIF or WebP picture of at most %(size)d MB.") % {
            "size": settings.CALENDAR_IMAGE_MAX_BYTES // (1024 * 1024)}
        check = {"hx-post": reverse("calendar:clash_check"), "hx-trigger": "change delay:400ms",
                 "hx-target": "#clashes", "hx-include": "#event-form", "hx-sync": "#event-form:replace"}
        for name in CLASH_FIELDS:
            self.fields[name].widget.attrs.update(check)
        # The chooser: typing asks the directory for suggestions (a datalist filled by htmx).
        self.fields["venue"].widget.input_type = "search"  # type: ignore[attr-defined]
        self.fields["venue"].widget.attrs.update(list="venue-options", autocomplete="off")
        self._keep_stored_choices("language", "timezone")

    def _keep_stored_choices(self, *names: str) -> None:
        """An imported event's language or zone outside the usual lists stays a valid choice when it is edited."""
        for name in names:
            field = self.fields[name]
            stored = self.initial.get(name)
            if stored and stored not in dict(field.choices):  # type: ignore[attr-defined]
                field.choices = [*field.choices, (stored, stored)]  # type: ignore[attr-defined]

    def clean_country(self) -> str:
        return self.cleaned_data["country"].strip().upper()

    def clean_venue(self) -> Organisation | None:
        text = self.cleaned_data["venue"].strip()
        if self.data.get("place_kind") != PLACE_VENUE:
            return None
        if not text:
            raise ValidationError(_("Choose the organisation where the event takes place."))
        return find_organisation(text, viewer=self.viewer)

    def clean_exdates(self) -> list[date]:
        return parse_exception_dates(self.cleaned_data["exdates"])

    def clean_image(self) -> Any:
        image = self.cleaned_data.get("image")
        if image:
            try:
                validate_event_image(image)
            except ValidationError as error:
                raise ValidationError(error.message_dict["image"]) from error
        return image or None

    def clean_co_organisers(self) -> list[Organisation]:
        lines = [line.strip() for line in self.cleaned_data["co_organisers"].splitlines() if line.strip()]
        if len(lines) > MAX_CO_ORGANISERS:
            raise ValidationError(_("Give at most %(max)d co-organisers.") % {"max": MAX_CO_ORGANISERS})
        found, problems = {}, []
        for line in lines:
            try:
                organisation = find_organisation(line, viewer=self.viewer)
            except ValidationError as error:
                problems.extend(error.messages)
            else:
                found[organisation.pk] = organisation
        if problems:
            raise ValidationError(problems)
        return list(found.values())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._clean_when(data)
        self._clean_recurrence(data)
        self._clean_place(data)
        return data

    def _clean_place(self, data: dict[str, Any]) -> None:
        located = data.get("latitude") is not None and data.get("longitude") is not None
        typed_badly = "latitude" in self.errors or "longitude" in self.errors
        if data.get("place_kind") == PLACE_ADDRESS and not located and not typed_badly:
            self.add_error("latitude", _("Pick the place on the map, or type its latitude and longitude."))

    def _clean_when(self, data: dict[str, Any]) -> None:
        """Sets data["start"]/["end"]: dates (the end inclusive) all day, else local wall times."""
        first, all_day = data.get("start_date"), data.get("all_day")
        if first is None:
            return
        last = data.get("end_date") or first
        if all_day:
            data["start"], data["end"] = first, last
        elif data.get("start_time") is None:
            self.add_error("start_time", _("Give the start time, or tick “All day”."))
        elif data.get("end_time") is None:
            self.add_error("end_time", _("Give the end time, or tick “All day”."))
        else:
            data["start"] = datetime.combine(first, data["start_time"])
            data["end"] = datetime.combine(last, data["end_time"])
        if "start" in data and data["end"] < data["start"]:
            self.add_error("end_date" if last < first else "end_time", _("The end cannot be before the start."))
            del data["start"], data["end"]

    def _clean_recurrence(self, data: dict[str, Any]) -> None:
        """Sets data["rule"], the RRULE built from the builder's fields (when the start is known)."""
        repeat, ends = data.get("repeat") or rec.NONE, data.get("ends") or rec.ENDS_NEVER
        if repeat == rec.CUSTOM and not data.get("rrule"):
            self.add_error("rrule", _("Write the rule, or choose how the event repeats."))
        built = repeat not in (rec.NONE, rec.CUSTOM)
        if built and ends == rec.ENDS_ON and data.get("until") is None and "until" not in self.errors:
            self.add_error("until", _("Give the last date, or choose another ending."))
        if built and ends == rec.ENDS_AFTER and not data.get("count") and "count" not in self.errors:
            self.add_error("count", _("Give the number of times, or choose another ending."))
        start = data.get("start")
        if start is None or any(name in self.errors for name in ("repeat", "rrule", "until", "count")):
            return
        if data.get("until") and ends == rec.ENDS_ON and data["until"] < data["start_date"]:
            self.add_error("until", _("The last date cannot be before the start."))
            return
        rule = self._unchanged_or(rec.build_rrule(self.recurrence(), start=start, timezone=data["timezone"],
                                                  all_day=bool(data.get("all_day"))), start, data)
        try:
            # Imported events may keep several rules, one per line.
            data["rule"] = "\n".join(validate_rrule(line) for line in rule.splitlines() if line.strip())
        except ValidationError as error:
            self.add_error("rrule" if repeat == rec.CUSTOM else "repeat", error.message_dict["rrule"])

    def _unchanged_or(self, rule: str, start: date, data: dict[str, Any]) -> str:
        """The stored rule when the builder shows it unchanged: saving must not rewrite (and so revise) it."""
        if not self.stored_rule:
            return rule
        options = {"start": start, "timezone": data["timezone"]}
        shown = rec.build_rrule(rec.parse_rrule(self.stored_rule, **options), all_day=bool(data.get("all_day")),
                                **options)
        return self.stored_rule if shown == rule else rule

    def recurrence(self) -> rec.Recurrence:
        """The builder's cleaned fields."""
        data = self.cleaned_data
        return rec.Recurrence(
            frequency=data.get("repeat") or rec.NONE, interval=data.get("interval") or 1,
            weekdays=tuple(data.get("weekdays") or ()), monthly_by=data.get("monthly_by") or rec.MONTHLY_BY_DAY,
            month_day=data.get("month_day"), week_ordinal=data.get("week_ordinal"), week_day=data.get("week_day", ""),
            ends=data.get("ends") or rec.ENDS_NEVER, until=data.get("until"), count=data.get("count"),
            custom=data.get("rrule", ""))


class CancelForm(StyledFormMixin, forms.Form):
    """Why the event is cancelled: told to co-organisers and networks, shown on the event."""

    reason = forms.CharField(label=_("Reason"), required=False, max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Optional; co-organisers and the networks it is shared with are told."))
