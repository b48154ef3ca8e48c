"""Forms of the networks' pages; the services re-check every rule."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergia.core.models import Concept
from sinergia.directory.models import Organisation
from sinergia.networks.models import CharterVersion, Membership, Network
from sinergia.networks.selectors import NetworkFilters
from sinergia.networks.services.networks import CHARTER_MAX_LENGTH

NETWORK_FIELDS = ["name", "kind", "scale", "governance", "description", "objectives", "legal_notes",
                  "management_notes", "themes", "region", "country", "website", "email"]


class ThemeChoiceField(forms.ModelMultipleChoiceField):
    """Themes of the thesaurus, labelled in the active language."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Concept.objects.filter(scheme=Concept.Scheme.THEME))
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(**kwargs)

    def label_from_instance(self, obj: Concept) -> str:
        return obj.label


class NetworkForm(forms.ModelForm):
    """The description, governance and contacts of a network."""

    themes = ThemeChoiceField(label=_("Themes"))
    website = forms.URLField(label=_("Website"), required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = Network
        # The website is declared above (https by default), so the model's form field is not built.
        fields = [name for name in NETWORK_FIELDS if name != "website"]
        widgets = {field: forms.Textarea(attrs={"rows": 4}) for field in
                   ("description", "objectives", "legal_notes", "management_notes")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("description", "objectives", "legal_notes", "management_notes"):
            self.fields[name].max_length = Network._meta.get_field(name).max_length

    def clean_country(self) -> str:
        return self.cleaned_data["country"].strip().upper()

    def _post_clean(self) -> None:
        # The service validates the model (with clearer messages); the form only checks its fields.
        pass


class NetworkFoundForm(NetworkForm):
    """Found a network: who founds it, what it is, and its first charter."""

    founder = forms.ModelChoiceField(label=_("Founding organisation"), queryset=Organisation.objects.none(),
                                     help_text=_("One of the organisations you administer; it becomes coordinator."))
    charter_text = forms.CharField(label=_("Charter"), widget=forms.Textarea(attrs={"rows": 12}),
                                   max_length=CHARTER_MAX_LENGTH,
                                   help_text=_("Markdown is allowed. Members sign this text; later versions are "
                                               "signed again."))

    class Meta(NetworkForm.Meta):
        fields = ["founder", *NetworkForm.Meta.fields, "charter_text"]

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["founder"].queryset = organisations
        self.order_fields(["founder", *NETWORK_FIELDS, "charter_text"])


class CharterForm(forms.Form):
    """A new version of the charter."""

    text = forms.CharField(label=_("Charter"), widget=forms.Textarea(attrs={"rows": 16}),
                           max_length=CHARTER_MAX_LENGTH, help_text=_("Markdown is allowed."))
    changes = forms.CharField(label=_("What changed"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              max_length=CharterVersion._meta.get_field("changes").max_length,
                              help_text=_("A short summary members read before signing again."))


class ApplyForm(forms.Form):
    """Apply to join: which of my organisations (or networks) applies, with which role and why."""

    applicant = forms.ChoiceField(label=_("Who applies"))
    role = forms.ChoiceField(label=_("Role requested"), initial=Membership.Role.MEMBER, choices=[
        (role.value, role.label) for role in (Membership.Role.MEMBER, Membership.Role.OBSERVER,
                                              Membership.Role.PARTNER)])
    motivation = forms.CharField(label=_("Motivation"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
                                 max_length=Membership._meta.get_field("motivation").max_length,
                                 help_text=_("Why you want to join and what you bring to the network."))

    def __init__(self, *args, organisations, networks, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {f"organisation-{o.pk}": o for o in organisations}
        self.networks = {f"network-{n.pk}": n for n in networks}
        choices = [(key, o.name) for key, o in self.organisations.items()]
        if self.networks:
            choices.append((_("Networks you coordinate"), [(key, n.name) for key, n in self.networks.items()]))
        self.fields["applicant"].choices = choices

    def applicant_kwargs(self) -> dict:
        """The service's `organisation=` or `member_network=` argument."""
        key = self.cleaned_data["applicant"]
        if key in self.organisations:
            return {"organisation": self.organisations[key]}
        return {"member_network": self.networks[key]}


class ReasonForm(forms.Form):
    """The reason of a decline or a suspension."""

    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}),
                             max_length=Membership._meta.get_field("decision_reason").max_length,
                             help_text=_("The member reads it."))


class RoleForm(forms.Form):
    """A member's new role."""

    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class NetworkFilterForm(forms.Form):
    """The network list's filters."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any kind")), *Network.Kind.choices])
    scale = forms.ChoiceField(label=_("Scale"), required=False, choices=[("", _("Any scale")), *Network.Scale.choices])
    governance = forms.ChoiceField(label=_("Governance"), required=False,
                                   choices=[("", _("Any governance model")), *Network.Governance.choices])
    region = forms.CharField(label=_("Region"), required=False, max_length=120)
    country = forms.RegexField(label=_("Country"), required=False, regex=r"^[A-Za-z]{2}$", max_length=2,
                               help_text=_("Two-letter code, e.g. IT."),
                               error_messages={"invalid": _("Use a two-letter country code, e.g. IT.")})
    theme = forms.ChoiceField(label=_("Theme"), required=False)

    def __init__(self, *args, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", _("Any theme")), *((c.notation, c.label) for c in themes)]

    def filters(self) -> NetworkFilters:
        """The selector's filters; invalid values are dropped."""
        if not self.is_bound:
            return NetworkFilters()
        self.is_valid()
        values = {name: (self.cleaned_data.get(name) or "").strip() for name in self.fields}
        values["country"] = values["country"].upper()
        return NetworkFilters(**values)
