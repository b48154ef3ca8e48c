"""Forms of the planning pages: the free-date finder, the .ics upload and an organisation's feeds (add, remove)."""

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import PurePath
from typing import Any, cast

from dateutil.relativedelta import relativedelta
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from sinergia.calendar.models import Event
from sinergia.calendar.occurrences import horizon
from sinergia.directory.forms import StyledFormMixin
from sinergia.directory.models import Organisation
from sinergia.directory.selectors import OrganisationFilters, organisation_list

MAX_DAYS = 366
DEFAULT_MONTHS = 2
DEFAULT_RADIUS_KM = 30
NAME_MATCHES_SHOWN = 5
ICS_EXTENSIONS = frozenset({".ics", ".ical", ".icalendar", ".ifb", ".vcs"})
ICS_TYPES = "text/calendar,.ics,.ical,.icalendar,.ifb,.vcs"
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"


class Where:
    """How the finder's place is given."""

    ORGANISATION = "organisation"
    NAME = "name"
    POINT = "point"
    CHOICES = [
        (ORGANISATION, _("One of my organisations")),
        (NAME, _("An organisation, by name")),
        (POINT, _("A point on the map")),
    ]


@dataclass(frozen=True)
class FinderPlace:
    """The centre of the search: coordinates, a label, and the organisation it is, if any."""

    latitude: float
    longitude: float
    label: str
    organisation: Organisation | None = None


def default_range(today: date | None = None) -> tuple[date, date]:
    """The next two months from today (both days included)."""
    first = today or timezone.localdate()
    return first, first + relativedelta(months=DEFAULT_MONTHS) - timedelta(days=1)


def _located(queryset):
    return queryset.filter(latitude__isnull=False, longitude__isnull=False)


class FreeDateForm(StyledFormMixin, forms.Form):
    """Which days between two dates are quietest around a place, for an audience, a theme, a network.

    Read from the query string so that a search is a shareable address; dates and radius default when absent.
    """

    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                          help_text=_("At most 366 days after the first day."))
    where = forms.ChoiceField(label=_("Around"), choices=Where.CHOICES, required=False, widget=forms.RadioSelect)
    organisation = forms.RegexField(label=_("My organisation"), required=False, max_length=120, regex=SLUG_PATTERN,
                                    widget=forms.Select,
                                    error_messages={"invalid": _("Choose an organisation from the list.")})
    name = forms.CharField(label=_("Organisation name"), required=False, max_length=200,
                           help_text=_("Type the name of any organisation in the directory."))
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90,
                           help_text=_("Click the map to fill in the coordinates, or type them."))
    lon = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    radius = forms.IntegerField(label=_("Within (km)"), required=False, min_value=1, max_value=500,
                                widget=forms.NumberInput(attrs={"min": 1, "max": 500, "step": 1}))
    audience = forms.ChoiceField(label=_("Audience"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    network = forms.ChoiceField(label=_("Network"), required=False)

    def __init__(self, *args: Any, viewer=None, my_organisations=(), audiences=(), themes=(), networks=(),
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        self.my_organisations = list(my_organisations)
        for name, empty, options in (("audience", _("Any audience"), audiences), ("theme", _("Any theme"), themes),
                                     ("network", _("Any network or none"), networks)):
            cast(forms.ChoiceField, self.fields[name]).choices = [("", empty), *options]
        self.fields["organisation"].widget.choices = [(o.slug, o.name) for o in self.my_organisations]
        self.fields["organisation"].widget.attrs.pop("maxlength", None)
        self.fields["where"].widget.attrs = {"class": "form-check-input js-finder-where"}
        self.fields["name"].widget.attrs.update({"list": "finder-name-options", "autocomplete": "off",
                                                 "class": "form-control js-finder-name"})
        for name in ("lat", "lon"):
            self.fields[name].widget.attrs["step"] = "any"

    def current_where(self) -> str:
        """The way the place is given, as the form shows it: chosen, else guessed from what was typed."""
        if not self.is_bound:
            return self.initial.get("where", Where.NAME)
        chosen = getattr(self, "cleaned_data", {}).get("where") or self.data.get("where", "")
        if chosen in dict(Where.CHOICES):
            return chosen
        raw = {name: self.data.get(name) or None for name in ("lat", "lon", "name")}
        return self._guess_where(raw)

    @classmethod
    def defaults(cls, *, my_organisations) -> dict[str, str]:
        """The query a first visit runs: the next two months, 30 km around my first located organisation."""
        start, end = default_range()
        values = {"start": start.isoformat(), "end": end.isoformat(), "radius": str(DEFAULT_RADIUS_KM)}
        if my_organisations:
            values.update(where=Where.ORGANISATION, organisation=my_organisations[0].slug)
        else:
            values["where"] = Where.NAME
        return values

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self._clean_range(cleaned)
        if cleaned.get("radius") is None and "radius" not in self.errors:
            cleaned["radius"] = DEFAULT_RADIUS_KM
        if not self.errors:
            cleaned["place"] = self._place(cleaned)
        return cleaned

    def _clean_range(self, cleaned: dict[str, Any]) -> None:
        if "start" in self.errors or "end" in self.errors:
            return
        first, last = default_range(cleaned.get("start"))
        start, end = cleaned.get("start") or first, cleaned.get("end") or last
        if end < start:
            self.add_error("end", _("The last day is before the first one."))
        elif (end - start).days + 1 > MAX_DAYS:
            self.add_error("end", _("Choose at most %(days)s days.") % {"days": MAX_DAYS})
        else:
            self._check_known(start, end)
        cleaned.update(start=start, end=end)

    def _check_known(self, start: date, end: date) -> None:
        """Occurrences exist only within the rolling horizon: days outside it would look free but are unknown."""
        known_from, known_until = (moment.date() for moment in horizon())
        if start < known_from:
            self.add_error("start", _("The calendar keeps events from %(date)s: choose a later first day.")
                           % {"date": date_format(known_from, "DATE_FORMAT")})
        if end > known_until:
            self.add_error("end", _("The calendar knows events up to %(date)s: choose an earlier last day.")
                           % {"date": date_format(known_until, "DATE_FORMAT")})

    def _place(self, cleaned: dict[str, Any]) -> FinderPlace | None:
        where = cleaned.get("where") or self._guess_where(cleaned)
        cleaned["where"] = where
        try:
            if where == Where.POINT:
                return self._point(cleaned)
            if where == Where.NAME:
                return self._by_name(cleaned.get("name", "").strip())
            return self._by_slug(cleaned.get("organisation", ""))
        except ValidationError as error:
            self.add_error(None, error)
        return None

    @staticmethod
    def _guess_where(cleaned: dict[str, Any]) -> str:
        """Without a choice, the place given: coordinates, then a name, then an organisation."""
        if cleaned.get("lat") is not None or cleaned.get("lon") is not None:
            return Where.POINT
        return Where.NAME if cleaned.get("name") else Where.ORGANISATION

    def _point(self, cleaned: dict[str, Any]) -> FinderPlace:
        latitude, longitude = cleaned.get("lat"), cleaned.get("lon")
        if latitude is None or longitude is None:
            field = "lat" if latitude is None else "lon"
            raise ValidationError({field: _("Pick the place on the map, or type both its latitude and longitude.")})
        return FinderPlace(latitude=latitude, longitude=longitude,
                           label=_("the point %(lat).4f, %(lon).4f") % {"lat": latitude, "lon": longitude})

    def _by_slug(self, slug: str) -> FinderPlace:
        if not slug:
            message = (_("Choose one of your organisations, or search another one by name.") if self.my_organisations
                       else _("Search an organisation by name, or pick a point on the map."))
            raise ValidationError({"organisation" if self.my_organisations else "name": message})
        found = next((o for o in self.my_organisations if o.slug == slug), None)
        if found is None:
            found = _located(Organisation.objects.filter(is_active=True, slug=slug)).first()
        if found is None:
            raise ValidationError({"organisation": _("This organisation is not in the directory or has no "
                                                     "location.")})
        if found not in self.my_organisations:
            # A shared address may name an organisation that is not the viewer's: show it as the choice made.
            widget = self.fields["organisation"].widget
            widget.choices = [*widget.choices, (found.slug, found.name)]
        return _organisation_place(found)

    def _by_name(self, name: str) -> FinderPlace:
        if not name:
            raise ValidationError({"name": _("Type the name of an organisation.")})
        matches = list(_located(organisation_list(viewer=self.viewer, filters=OrganisationFilters(q=name)))
                       .order_by("name")[:50])
        exact = [o for o in matches if o.name.casefold() == name.casefold()]
        if len(exact) == 1 or len(matches) == 1:
            return _organisation_place((exact or matches)[0])
        if not matches:
            raise ValidationError({"name": _("No organisation with a location matches “%(name)s”.")
                                   % {"name": name}})
        shown = ", ".join(_name_and_place(o) for o in matches[:NAME_MATCHES_SHOWN])
        raise ValidationError({"name": _("Several organisations match “%(name)s” (%(shown)s…): type more of the "
                                         "name.") % {"name": name, "shown": shown}})


def _organisation_place(organisation: Organisation) -> FinderPlace:
    if organisation.latitude is None or organisation.longitude is None:
        raise ValidationError({"organisation": _("This organisation is not in the directory or has no location.")})
    return FinderPlace(latitude=organisation.latitude, longitude=organisation.longitude,
                       label=organisation.name, organisation=organisation)


def _name_and_place(organisation: Organisation) -> str:
    town = organisation.municipality or organisation.locality
    return f"{organisation.name} ({town})" if town else organisation.name


class IcsUploadForm(StyledFormMixin, forms.Form):
    """An iCalendar file to check and import into an organisation's calendar."""

    file = forms.FileField(label=_("iCalendar file (.ics)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ICS_TYPES}),
                           error_messages={"required": _("Choose the .ics file to import.")})
    category = forms.ChoiceField(label=_("Category of the imported events"), choices=Event.Category.choices,
                                 initial=Event.Category.OTHER)
    visibility = forms.ChoiceField(label=_("Who sees the imported events"), choices=Event.Visibility.choices,
                                   initial=Event.Visibility.PUBLIC)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = filesizeformat(settings.CALENDAR_IMPORT_MAX_BYTES)
        self.fields["file"].help_text = _(
            "An export of your calendar in iCalendar format, at most %(size)s. Events are matched by their UID: "
            "importing the same file again updates them instead of adding them twice.") % {"size": limit}

    def clean_file(self) -> bytes:
        """The file's bytes, once its type and size are right."""
        upload = self.cleaned_data["file"]
        extension = PurePath(upload.name or "").suffix.lower()
        content_type = (upload.content_type or "").split(";")[0].strip().lower()
        if extension not in ICS_EXTENSIONS and content_type != "text/calendar":
            raise ValidationError(_("“%(name)s” is not an iCalendar file: choose a file ending in .ics.")
                                  % {"name": upload.name}, code="wrong_type")
        if upload.size > settings.CALENDAR_IMPORT_MAX_BYTES:
            raise ValidationError(_("The file is %(size)s; the most that can be imported is %(max)s.")
                                  % {"size": filesizeformat(upload.size),
                                     "max": filesizeformat(settings.CALENDAR_IMPORT_MAX_BYTES)}, code="too_large")
        upload.seek(0)
        return upload.read()


class FeedForm(StyledFormMixin, forms.Form):
    """The address of a calendar the organisation publishes elsewhere, to keep in sync."""

    url = forms.CharField(label=_("Calendar address"), max_length=2000,
                          widget=forms.URLInput(attrs={"placeholder": "https://", "inputmode": "url"}),
                          help_text=_("An http, https or webcal address of an iCalendar feed (.ics)."))
    name = forms.CharField(label=_("Name"), required=False, max_length=255,
                           help_text=_("Optional: how this feed is called on this page."))
    category = forms.ChoiceField(label=_("Category of its events"), choices=Event.Category.choices,
                                 initial=Event.Category.OTHER)
    visibility = forms.ChoiceField(label=_("Who sees its events"), choices=Event.Visibility.choices,
                                   initial=Event.Visibility.PUBLIC)

    def clean_url(self) -> str:
        return self.cleaned_data["url"].strip()



class FeedRemoveForm(StyledFormMixin, forms.Form):
    """What becomes of a removed feed's events still to come: kept as the organisation's own, or cancelled."""

    KEEP, CANCEL = "keep", "cancel"
    future = forms.ChoiceField(
        label=_("Its events still to come"), required=False, initial=KEEP, widget=forms.RadioSelect,
        choices=[(KEEP, _("Keep them on the calendar as our own events (you can then change or cancel each one)")),
                 (CANCEL, _("Cancel them: calendars showing them learn of the cancellation"))])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["future"].widget.attrs = {"class": "form-check-input"}

    def cancel_future(self) -> bool:
        """Whether the future events are to be cancelled (keeping them is the default)."""
        return self.cleaned_data.get("future") == self.CANCEL
