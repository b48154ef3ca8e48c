"""Forms of the exchange: they read what people type and hand ListingData (or plain values) to the services."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergia.core.models import Concept
from sinergia.directory.forms import StyledFormMixin
from sinergia.directory.models import Organisation
from sinergia.exchange.models import Listing
from sinergia.exchange.selectors import ListingFilters, ProfessionalFilters
from sinergia.exchange.services import ListingData

LIST_HELP = _("Separated by commas.")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def split_list(text: str) -> list[str]:
    """Comma- or line-separated values, stripped, without empty ones."""
    return [part.strip() for part in (text or "").replace("\n", ",").split(",") if part.strip()]


class ConceptChoiceField(forms.ModelMultipleChoiceField):
    """Service categories of the thesaurus, each shown by its label in the interface language."""

    def label_from_instance(self, obj: Any) -> str:
        return obj.label


def service_categories() -> Any:
    return Concept.objects.filter(scheme=Concept.Scheme.SERVICE).order_by("notation")


class ListingForm(StyledFormMixin, forms.Form):
    """An offer or a need, as its publisher describes it."""

    organisation = forms.ModelChoiceField(label=_("On behalf of"), queryset=Organisation.objects.none(),
                                          empty_label=None)
    side = forms.ChoiceField(label=_("Offer or need"), choices=Listing.Side.choices, widget=forms.RadioSelect)
    kind = forms.ChoiceField(label=_("Kind"), choices=Listing.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 6}), help_text=_("Markdown is allowed."))
    categories = ConceptChoiceField(label=_("Categories"), queryset=Concept.objects.none(), required=False,
                                    widget=forms.CheckboxSelectMultiple)
    area = forms.ChoiceField(label=_("Area served"), choices=Listing.Area.choices, widget=forms.RadioSelect,
                             required=False)
    radius_km = forms.FloatField(label=_("Distance (km)"), required=False,
                                 help_text=_("From 1 to 500 km around the place."))
    latitude = forms.FloatField(label=_("Latitude"), required=False,
                                help_text=_("Empty: the organisation's place."))
    longitude = forms.FloatField(label=_("Longitude"), required=False)
    regions = forms.CharField(label=_("Regions"), required=False, max_length=2500, help_text=LIST_HELP)
    countries = forms.CharField(label=_("Countries"), required=False, max_length=200,
                                help_text=_("Two-letter ISO 3166 codes, separated by commas, e.g. IT, FR."))
    languages = forms.CharField(label=_("Languages"), required=False, max_length=400,
                                help_text=_("Language codes separated by commas, e.g. it, en."))
    available_from = forms.DateField(label=_("Available from"), required=False, widget=DATE)
    available_until = forms.DateField(label=_("Available until"), required=False, widget=DATE)
    expires_on = forms.DateField(label=_("Expires on"), required=False, widget=DATE,
                                 help_text=_("Within a year; empty: in 90 days. It can be renewed."))
    conditions = forms.ChoiceField(label=_("Conditions"), choices=Listing.Conditions.choices,
                                   widget=forms.RadioSelect, initial=Listing.Conditions.FREE)
    conditions_note = forms.CharField(label=_("About the conditions"), required=False, max_length=500)
    visibility = forms.ChoiceField(label=_("Who sees it"), choices=Listing.Visibility.choices,
                                   widget=forms.RadioSelect, initial=Listing.Visibility.PUBLIC)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["categories"].queryset = service_categories()  # type: ignore[attr-defined]

    def listing_data(self) -> ListingData:
        """What the publisher gave, for the services (which check it)."""
        data = self.cleaned_data
        return ListingData(
            side=data["side"], kind=data["kind"], title=data["title"], description=data["description"],
            categories=list(data["categories"]), area=data["area"], latitude=data["latitude"],
            longitude=data["longitude"], radius_km=data["radius_km"], regions=split_list(data["regions"]),
            countries=split_list(data["countries"]), languages=split_list(data["languages"]),
            available_from=data["available_from"], available_until=data["available_until"],
            expires_on=data["expires_on"], conditions=data["conditions"], conditions_note=data["conditions_note"],
            visibility=data["visibility"])


def listing_initial(listing: Listing) -> dict[str, Any]:
    """The form's values of a stored listing."""
    names = ("side", "kind", "title", "description", "area", "radius_km", "latitude", "longitude", "available_from",
             "available_until", "expires_on", "conditions", "conditions_note", "visibility")
    initial = {name: getattr(listing, name) for name in names}
    initial.update(organisation=listing.organisation, categories=list(listing.categories.all()),
                   regions=", ".join(listing.regions), countries=", ".join(listing.countries),
                   languages=", ".join(listing.languages))
    return initial


class ContactForm(StyledFormMixin, forms.Form):
    """A first message to a listing's organisation, on behalf of one of the writer's organisations."""

    organisation = forms.ModelChoiceField(label=_("On behalf of"), queryset=Organisation.objects.none(),
                                          empty_label=None)
    body = forms.CharField(label=_("Your message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class MessageForm(StyledFormMixin, forms.Form):
    """An answer in a thread."""

    body = forms.CharField(label=_("Your message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))


class RenewForm(StyledFormMixin, forms.Form):
    """The new expiry date of a listing."""

    expires_on = forms.DateField(label=_("Open until"), required=False, widget=DATE,
                                 help_text=_("Within a year; empty: in 90 days."))


class FulfilForm(StyledFormMixin, forms.Form):
    """Who the listing was fulfilled with: one of the organisations that wrote, or any other of the directory."""

    partner = forms.ModelChoiceField(label=_("Partner organisation"), queryset=Organisation.objects.none(),
                                     required=False, empty_label=_("Another organisation (below)"))
    other = forms.CharField(label=_("Another organisation of the directory"), required=False, max_length=300,
                            help_text=_("Its name, or its name followed by its address in brackets."))
    on = forms.DateField(label=_("Date"), required=False, widget=DATE, help_text=_("Empty: today."))

    def __init__(self, *args: Any, partners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("partner") and not data.get("other"):
            raise forms.ValidationError(_("Choose the partner organisation, or name another one."))
        return data


class FilterForm(forms.Form):
    """The list's filters, read from the query string; a value that does not fit is ignored."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    side = forms.ChoiceField(label=_("Offers or needs"), required=False,
                             choices=[("", _("Both")), *Listing.Side.choices])
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any kind")), *Listing.Kind.choices])
    category = forms.ChoiceField(label=_("Category"), required=False)
    conditions = forms.ChoiceField(label=_("Conditions"), required=False,
                                   choices=[("", _("Any conditions")), *Listing.Conditions.choices])
    language = forms.CharField(label=_("Language"), required=False, max_length=8)
    region = forms.CharField(label=_("Region"), required=False, max_length=120)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("Any category")),  # type: ignore[attr-defined]
                                           *[(c.notation, c.label) for c in service_categories()]]

    def filters(self) -> ListingFilters:
        """The valid filters as the selectors take them."""
        self.is_valid()  # the fields that do fit are kept in cleaned_data
        data = self.cleaned_data
        return ListingFilters(q=data.get("q") or "", side=data.get("side") or "", kind=data.get("kind") or "",
                              category=data.get("category") or "", conditions=data.get("conditions") or "",
                              language=data.get("language") or "", region=data.get("region") or "")


class ProfessionalFilterForm(FilterForm):
    """The professionals directory's filters: category, region, language, a point and a radius."""

    latitude = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    radius_km = forms.FloatField(label=_("Within (km)"), required=False, min_value=1, max_value=500)

    def professional_filters(self) -> ProfessionalFilters:
        """The valid filters as the selector takes them."""
        self.is_valid()
        data = self.cleaned_data
        return ProfessionalFilters(category=data.get("category") or "", region=data.get("region") or "",
                                   language=data.get("language") or "", q=data.get("q") or "",
                                   latitude=data.get("latitude"), longitude=data.get("longitude"),
                                   radius_km=data.get("radius_km"))
