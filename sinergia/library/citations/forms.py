"""The forms of a citations import (upload, then confirm) and of an export of selected resources."""

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergia.directory.forms import StyledFormMixin
from sinergia.directory.models import Organisation
from sinergia.directory.selectors import organisation_networks
from sinergia.library.citations.exports import EXPORT_FORMATS
from sinergia.library.citations.languages import language_from_text
from sinergia.library.citations.reading import AUTO, FORMATS
from sinergia.library.models import Resource
from sinergia.networks.models import Network

ACCEPT = ".ris,.bib,.bibtex,.json,.txt,application/x-research-info-systems,application/x-bibtex,application/json"
ALL, SKIP_ERRORS = "all", "skip_errors"


class CitationUploadForm(StyledFormMixin, forms.Form):
    """A citations file and what the resources it adds take: organisation, default language, who sees them."""

    organisation = forms.ModelChoiceField(label=gettext_lazy("On behalf of"), queryset=Organisation.objects.none(),
                                          empty_label=None)
    file = forms.FileField(label=gettext_lazy("Citations file"), widget=forms.ClearableFileInput(
        attrs={"accept": ACCEPT}))
    format = forms.ChoiceField(label=gettext_lazy("Format"), initial=AUTO, choices=[
        (AUTO, gettext_lazy("Recognise it from the content")), *FORMATS.items()])
    default_language = forms.CharField(
        label=gettext_lazy("Default language"), required=False, max_length=40,
        help_text=gettext_lazy("For the records that do not say their language: a tag (it, en, pt-BR) or a "
                               "language's name. Leave empty to have such records reported."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}))
    visibility = forms.ChoiceField(label=gettext_lazy("Who sees the imported resources"), widget=forms.RadioSelect,
                                   choices=Resource.Visibility.choices, initial=Resource.Visibility.PUBLIC)
    networks = forms.ModelMultipleChoiceField(label=gettext_lazy("Networks whose members see them"), required=False,
                                              queryset=Network.objects.none(), widget=forms.CheckboxSelectMultiple,
                                              help_text=gettext_lazy("When only members of networks see them."))

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["file"].help_text = _("A RIS (.ris), BibTeX (.bib) or CSL-JSON (.json) file, as Zotero, "
                                          "Mendeley, EndNote or JabRef export it; at most %(size)s.") % {
            "size": filesizeformat(settings.LIBRARY_IMPORT_MAX_BYTES)}
        organisation = self._organisation()
        if organisation is not None:
            admitted = organisation_networks(organisation=organisation).values("network_id")
            self.fields["networks"].queryset = Network.objects.filter(  # type: ignore[attr-defined]
                pk__in=admitted).order_by("name")

    def _organisation(self) -> Organisation | None:
        queryset = self.fields["organisation"].queryset  # type: ignore[attr-defined]
        chosen = str(self.data.get("organisation", "")) if self.is_bound else ""
        found = queryset.filter(pk=int(chosen)).first() if chosen.isdigit() else None
        return found or queryset.first()

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > settings.LIBRARY_IMPORT_MAX_BYTES:
            raise ValidationError(_("The file is larger than %(size)s: split it into smaller files.")
                                  % {"size": filesizeformat(settings.LIBRARY_IMPORT_MAX_BYTES)})
        self.filename = (upload.name or "")[:200]
        return upload.read()

    def clean_default_language(self) -> str:
        text = self.cleaned_data["default_language"].strip()
        return language_from_text(text) if text else ""

    def options(self) -> dict[str, Any]:
        """The choices the service takes, JSON-friendly (networks by id) to wait with the file."""
        data = self.cleaned_data
        return {"format": data["format"], "default_language": data["default_language"],
                "visibility": data["visibility"], "networks": [network.pk for network in data["networks"]]}


class CitationConfirmForm(forms.Form):
    """Import everything, or the records without errors only; duplicates too if asked."""

    action = forms.ChoiceField(choices=[(ALL, ALL), (SKIP_ERRORS, SKIP_ERRORS)])
    import_duplicates = forms.BooleanField(required=False)


class ExportSelectionForm(forms.Form):
    """Resources chosen on a page of results, and the format to export them in."""

    format = forms.ChoiceField(choices=[(code, f.label) for code, f in EXPORT_FORMATS.items()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        values = self.data.getlist("selected") if hasattr(self.data, "getlist") else []
        self.ids = list(dict.fromkeys(int(value) for value in values if str(value).isdigit() and len(value) < 13))

    def clean(self) -> dict[str, Any]:
        if not self.ids:
            raise ValidationError(_("Select at least one resource to export."))
        if len(self.ids) > settings.LIBRARY_EXPORT_MAX_RECORDS:
            raise ValidationError(_("At most %(limit)d resources can be exported at once.")
                                  % {"limit": settings.LIBRARY_EXPORT_MAX_RECORDS})
        return self.cleaned_data
