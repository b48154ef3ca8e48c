"""Forms of the directory: they parse and show errors; the services decide."""

import dataclasses
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from sinergia.directory.models import Claim, Organisation, OrganisationMember
from sinergia.directory.selectors import OrganisationFilters
from sinergia.directory.services import validate_logo

LOGO_TYPES = "image/png,image/jpeg,image/gif,image/webp"


def add_service_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its fields where they exist, else on the whole form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class StyledFormMixin:
    """Bootstrap Italia classes on the widgets, and `is-invalid` on fields with errors."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if not isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput | forms.Select):
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} form-control".strip()

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            if name in self.fields:  # type: ignore[attr-defined]
                widget = self.fields[name].widget  # type: ignore[attr-defined]
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class OrganisationFilterForm(forms.Form):
    """The directory's filters, read from the query string; a value that does not fit is ignored."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.CharField(label=_("Kind"), required=False, max_length=30)
    region = forms.CharField(label=_("Region"), required=False, max_length=120)
    province = forms.CharField(label=_("Province"), required=False, max_length=120)
    country = forms.CharField(label=_("Country"), required=False, max_length=2)
    theme = forms.CharField(label=_("Theme"), required=False, max_length=80)
    audience = forms.CharField(label=_("Audience"), required=False, max_length=80)
    category = forms.CharField(label=_("Category"), required=False, max_length=80)
    network = forms.CharField(label=_("Network"), required=False, max_length=120)

    def filters(self) -> OrganisationFilters:
        """The valid filters as the selectors take them."""
        self.is_valid()
        return OrganisationFilters(**{name: self.cleaned_data.get(name, "") for name in self.fields})

    def querystring(self) -> str:
        """The active filters as a query string, without the page number."""
        values = dataclasses.asdict(self.filters())
        return urlencode({name: value for name, value in values.items() if value})


class OrganisationForm(StyledFormMixin, forms.ModelForm):
    """An organisation's profile, with its logo."""

    languages = forms.CharField(
        label=_("Languages spoken"), required=False, max_length=200,
        help_text=_("Language codes separated by commas, e.g. it, en, fr."),
    )
    website = forms.URLField(label=_("Website"), required=False, max_length=500, assume_scheme="https")
    logo = forms.FileField(
        label=_("Logo"), required=False,
        help_text=_("A PNG, JPEG, GIF or WebP picture of at most 2 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": LOGO_TYPES}),
    )

    class Meta:
        model = Organisation
        fields = [
            "name", "kind", "description", "language", "languages", "themes", "audiences", "categories",
            "website", "email", "phone", "address", "postcode", "locality", "municipality", "province", "region",
            "country", "latitude", "longitude",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "themes": forms.CheckboxSelectMultiple,
            "audiences": forms.CheckboxSelectMultiple,
            "categories": forms.SelectMultiple(attrs={"size": 8}),
        }
        error_messages = {
            "latitude": {"min_value": _("Latitude must be between -90 and 90."),
                         "max_value": _("Latitude must be between -90 and 90.")},
            "longitude": {"min_value": _("Longitude must be between -180 and 180."),
                          "max_value": _("Longitude must be between -180 and 180.")},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["languages"] = ", ".join(self.instance.languages or [])
        for name in ("themes", "audiences", "categories"):
            self.fields[name].required = False

    def clean_languages(self) -> list[str]:
        text = self.cleaned_data.get("languages") or ""
        return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]

    def clean_country(self) -> str:
        return (self.cleaned_data.get("country") or "").strip().upper()

    def clean_logo(self) -> Any:
        logo = self.cleaned_data.get("logo")
        if logo:
            try:
                validate_logo(logo)
            except ValidationError as error:
                raise ValidationError(error.message_dict["logo"]) from error
        return logo or None

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values as keyword arguments of organisation_create/organisation_update."""
        return dict(self.cleaned_data)


class ClaimForm(StyledFormMixin, forms.Form):
    """Why the user should manage the organisation."""

    message = forms.CharField(
        label=_("Message to the operators"), max_length=Claim._meta.get_field("message").max_length,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Who you are, your role in the organisation and how the operators can verify it."),
    )


class ClaimDecisionForm(StyledFormMixin, forms.Form):
    """An operator's decision on a claim."""

    decision = forms.ChoiceField(label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=Claim._meta.get_field("reason").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when rejecting; the claimant reads it."),
    )


class InvitationForm(StyledFormMixin, forms.Form):
    """Invite a colleague by e-mail."""

    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=OrganisationMember.Role.choices,
                             initial=OrganisationMember.Role.MEMBER)


class MemberRoleForm(forms.Form):
    """A person's new role."""

    role = forms.ChoiceField(label=_("Role"), choices=OrganisationMember.Role.choices)


IMPORT_MAX_BYTES = 20 * 1024 * 1024


class OrganisationImportForm(StyledFormMixin, forms.Form):
    """An open-data file to import into the directory, checked first or applied."""

    FORMAT_CHOICES = [("", _("Guess from the file")), ("csv", "CSV"), ("geojson", "GeoJSON")]

    file = forms.FileField(label=_("File"), help_text=_("CSV (any delimiter, UTF-8) or GeoJSON, at most 20 MB."))
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES, required=False)
    source = forms.SlugField(label=_("Name of the data set"), max_length=60, required=False,
                             help_text=_("Identifiers are unique within a data set: importing the same set again "
                                         "updates its organisations instead of duplicating them."))
    apply = forms.BooleanField(label=_("Apply the import (otherwise only check it)"), required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise ValidationError(_("The file is larger than 20 MB."), code="too_large")
        return upload
