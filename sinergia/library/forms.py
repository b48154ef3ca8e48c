"""The resource form and the moderation form; they read what people type and hand ResourceData to the services."""

import re
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergia.core.models import Concept
from sinergia.directory.forms import StyledFormMixin
from sinergia.directory.models import Organisation
from sinergia.directory.selectors import organisation_find, organisation_networks
from sinergia.library.models import Creator, Resource
from sinergia.library.selectors import resource_by_reference
from sinergia.library.services import CreatorData, ResourceData
from sinergia.networks.models import Network

MAX_CREATOR_LINES = 200
MAX_CONCERNED = 50
ROLE_FIELDS = {"authors": Creator.Role.AUTHOR, "editors": Creator.Role.EDITOR,
               "translators": Creator.Role.TRANSLATOR}
CREATOR_HELP = gettext_lazy("One per line, in order: “Family name, Given names” for a person, or the name of an "
                            "organisation (without a comma).")
FILE_TYPES = (".pdf,.odt,.ods,.odp,.docx,.xlsx,.pptx,.txt,.md,.jpg,.jpeg,.png,.webp,.gif,.tif,.tiff,"
              "application/pdf,image/*")


def creators_parse(text: str, role: str) -> list[CreatorData]:
    """Creators from lines of "Family, Given" (a person) or a name without a comma (an organisation)."""
    creators = []
    for line in (text or "").splitlines():
        line = " ".join(line.split())
        if not line:
            continue
        family, comma, given = line.partition(",")
        if comma:
            creators.append(CreatorData(family=family.strip(), given=given.strip(), role=role))
        else:
            creators.append(CreatorData(organisation_name=line, role=role))
    return creators


def creators_text(resource: Resource, role: str) -> str:
    """The creators of one role as the form writes them."""
    return "\n".join(c.organisation_name if c.is_organisation else (f"{c.family}, {c.given}" if c.given else
                                                                    f"{c.family},")
                     for c in resource.creators.all() if c.role == role)


class TopicChoiceField(forms.ModelMultipleChoiceField):
    """Topics of the thesaurus, each shown by its label in the interface language."""

    def label_from_instance(self, obj: Any) -> str:
        return obj.label


class ResourceForm(StyledFormMixin, forms.Form):
    """Everything about a resource, as a contributor gives it."""

    organisation = forms.ModelChoiceField(label=gettext_lazy("On behalf of"), queryset=Organisation.objects.none(),
                                          empty_label=None)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Resource.Kind.choices)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=500)
    language = forms.CharField(label=gettext_lazy("Language"), max_length=35,
                               help_text=gettext_lazy("The language of the resource as a BCP 47 tag: it, en, fr, es, "
                                                      "pt, pt-BR, de…"),
                               widget=forms.TextInput(attrs={"list": "language-options", "autocomplete": "off"}))
    abstract = forms.CharField(label=gettext_lazy("Abstract"), required=False, max_length=20_000,
                               widget=forms.Textarea(attrs={"rows": 6}),
                               help_text=gettext_lazy("Markdown is allowed."))
    authors = forms.CharField(label=gettext_lazy("Authors"), required=False, help_text=CREATOR_HELP,
                              widget=forms.Textarea(attrs={"rows": 3}), max_length=MAX_CREATOR_LINES * 200)
    editors = forms.CharField(label=gettext_lazy("Editors"), required=False, help_text=CREATOR_HELP,
                              widget=forms.Textarea(attrs={"rows": 2}), max_length=MAX_CREATOR_LINES * 200)
    translators = forms.CharField(label=gettext_lazy("Translators"), required=False, help_text=CREATOR_HELP,
                                  widget=forms.Textarea(attrs={"rows": 2}), max_length=MAX_CREATOR_LINES * 200)
    year = forms.IntegerField(label=gettext_lazy("Year"), required=False, min_value=1, max_value=2999)
    month = forms.IntegerField(label=gettext_lazy("Month"), required=False, min_value=1, max_value=12)
    day = forms.IntegerField(label=gettext_lazy("Day"), required=False, min_value=1, max_value=31)
    publisher = forms.CharField(label=gettext_lazy("Publisher"), required=False, max_length=255)
    place_published = forms.CharField(label=gettext_lazy("Place of publication"), required=False, max_length=255)
    container_title = forms.CharField(label=gettext_lazy("Journal or book"), required=False, max_length=500,
                                      help_text=gettext_lazy("For an article, the journal; for a chapter, the book."))
    volume = forms.CharField(label=gettext_lazy("Volume"), required=False, max_length=50)
    issue = forms.CharField(label=gettext_lazy("Issue"), required=False, max_length=50)
    pages = forms.CharField(label=gettext_lazy("Pages"), required=False, max_length=50)
    edition = forms.CharField(label=gettext_lazy("Edition"), required=False, max_length=50)
    doi = forms.CharField(label=gettext_lazy("DOI"), required=False, max_length=255,
                          help_text=gettext_lazy("E.g. 10.1000/xyz123, without https://doi.org/."))
    isbn = forms.CharField(label=gettext_lazy("ISBN"), required=False, max_length=40)
    url = forms.URLField(label=gettext_lazy("Web address"), required=False, max_length=1000, assume_scheme="https",
                         help_text=gettext_lazy("For a video or a website, its address."))
    licence = forms.CharField(label=gettext_lazy("Licence"), required=False, max_length=100,
                              widget=forms.TextInput(attrs={"list": "licence-options"}),
                              help_text=gettext_lazy("E.g. CC BY 4.0, or All rights reserved."))
    topics = TopicChoiceField(label=gettext_lazy("Topics"), required=False, queryset=Concept.objects.none(),
                              widget=forms.CheckboxSelectMultiple)
    networks = forms.ModelMultipleChoiceField(label=gettext_lazy("Networks it concerns"), required=False,
                                              queryset=Network.objects.none(),
                                              widget=forms.CheckboxSelectMultiple)
    concerned = forms.CharField(label=gettext_lazy("Organisations it concerns"), required=False,
                                widget=forms.Textarea(attrs={"rows": 2}), max_length=MAX_CONCERNED * 400,
                                help_text=gettext_lazy("One organisation of the directory per line: its name, or "
                                                       "its name followed by its address in brackets."))
    original = forms.CharField(label=gettext_lazy("Translation of"), required=False, max_length=500,
                               help_text=gettext_lazy("If this resource translates another one of the library, the "
                                                      "address of that resource's page (or its number)."))
    file = forms.FileField(label=gettext_lazy("File"), required=False,
                           widget=forms.ClearableFileInput(attrs={"accept": FILE_TYPES}))
    remove_file = forms.BooleanField(label=gettext_lazy("Remove the current file"), required=False)
    visibility = forms.ChoiceField(label=gettext_lazy("Who sees it"), widget=forms.RadioSelect,
                                   choices=Resource.Visibility.choices, initial=Resource.Visibility.PUBLIC)

    def __init__(self, *args: Any, organisations: Any, viewer: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        topics = Concept.objects.filter(scheme=Concept.Scheme.TOPIC).select_related("broader")
        self.fields["topics"].queryset = topics  # type: ignore[attr-defined]
        self.fields["file"].help_text = _("A PDF, an OpenDocument or Word file, a text or a picture of at most "
                                          "%(size)d MB. A video is given by its web address.") % {
            "size": settings.LIBRARY_FILE_MAX_BYTES // (1024 * 1024)}
        organisation = self._organisation()
        if organisation is not None:
            admitted = organisation_networks(organisation=organisation).values("network_id")
            self.fields["networks"].queryset = Network.objects.filter(  # type: ignore[attr-defined]
                pk__in=admitted).order_by("name")

    def topic_groups(self) -> list[tuple[str, list[Any]]]:
        """The topic checkboxes grouped under their top concept, groups and topics by label."""
        concepts = {c.pk: c for c in self.fields["topics"].queryset}  # type: ignore[attr-defined]

        def root(concept: Concept) -> Concept:
            seen = set()
            while concept.broader_id in concepts and concept.pk not in seen:
                seen.add(concept.pk)
                concept = concepts[concept.broader_id]
            return concept

        groups: dict[int, list[Any]] = {}
        for box in self["topics"]:
            concept = concepts.get(int(str(box.data["value"])))
            if concept is not None:
                groups.setdefault(root(concept).pk, []).append(box)
        ordered = sorted(groups.items(), key=lambda item: concepts[item[0]].label.casefold())
        return [(concepts[pk].label, sorted(boxes, key=lambda b: (str(b.data["value"]) != str(pk),
                                                                  b.choice_label.casefold())))
                for pk, boxes in ordered]

    def _organisation(self) -> Organisation | None:
        queryset = self.fields["organisation"].queryset  # type: ignore[attr-defined]
        chosen = self.data.get("organisation") if self.is_bound else self.initial.get("organisation")
        if chosen:
            found = queryset.filter(pk=getattr(chosen, "pk", chosen)).first() if str(getattr(
                chosen, "pk", chosen)).isdigit() else None
            if found is not None:
                return found
        return queryset.first()

    def clean_concerned(self) -> list[Organisation]:
        lines = [line for line in self.cleaned_data["concerned"].splitlines() if line.strip()]
        if len(lines) > MAX_CONCERNED:
            raise ValidationError(_("At most %(limit)d organisations.") % {"limit": MAX_CONCERNED})
        found, errors = [], []
        for line in lines:
            try:
                found.append(organisation_find(line, viewer=self.viewer))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return list(dict.fromkeys(found))

    def clean_original(self) -> Resource | None:
        text = self.cleaned_data["original"].strip()
        if not text:
            return None
        original = resource_by_reference(text=text, viewer=self.viewer)
        if original is None:
            raise ValidationError(_("No resource of the library you can see has this address or number."))
        return original

    def resource_data(self) -> ResourceData:
        """What the contributor gave, for the services."""
        data = self.cleaned_data
        creators = [c for name, role in ROLE_FIELDS.items() for c in creators_parse(data[name], role)]
        scalars = {name: data[name] for name in (
            "kind", "title", "language", "abstract", "year", "month", "day", "publisher", "place_published",
            "container_title", "volume", "issue", "pages", "edition", "doi", "isbn", "url", "licence", "visibility")}
        return ResourceData(**scalars, creators=creators, topics=list(data["topics"]),
                            networks=list(data["networks"]), organisations=data["concerned"],
                            original=data["original"])


def resource_initial(resource: Resource) -> dict[str, Any]:
    """The form's initial values for an existing resource."""
    from django.forms.models import model_to_dict

    initial = model_to_dict(resource, exclude=["file", "original", "topics", "networks", "organisations"])
    initial.update({name: creators_text(resource, role) for name, role in ROLE_FIELDS.items()})
    initial.update(organisation=resource.organisation, topics=list(resource.topics.all()),
                   networks=list(resource.networks.all()),
                   concerned="\n".join(f"{o.name} ({o.slug})" for o in resource.organisations.all()),
                   original=str(resource.original_id or ""))
    return initial


class ModerationForm(StyledFormMixin, forms.Form):
    """An operator's decision on a contribution awaiting moderation."""

    decision = forms.ChoiceField(label=gettext_lazy("Decision"), widget=forms.RadioSelect,
                                 choices=[("approve", gettext_lazy("Publish")), ("reject", gettext_lazy("Reject"))])
    note = forms.CharField(label=gettext_lazy("Note to the contributor"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))


class SearchForm(forms.Form):
    """The search page's query and facet filters (also read by the exports of a search and by the API)."""

    q = forms.CharField(label=gettext_lazy("Search the library"), required=False, max_length=200)
    language = forms.MultipleChoiceField(label=gettext_lazy("Language"), required=False, choices=())
    kind = forms.MultipleChoiceField(label=gettext_lazy("Kind"), required=False, choices=Resource.Kind.choices)
    topic = forms.TypedMultipleChoiceField(label=gettext_lazy("Topic"), required=False, coerce=int, choices=())
    year = forms.TypedMultipleChoiceField(label=gettext_lazy("Year"), required=False, coerce=int, choices=())
    network = forms.TypedMultipleChoiceField(label=gettext_lazy("Network"), required=False, coerce=int, choices=())
    mine = forms.BooleanField(label=gettext_lazy("Only in my languages"), required=False)

    def clean_language(self) -> list[str]:
        return [tag.lower() for tag in self.cleaned_data["language"]]

    def full_clean(self) -> None:
        # Facet values are open sets (any language, topic, year or network may appear): accept well-formed ones.
        for name, pattern in (("language", r"^[a-zA-Z]{2,8}$"), ("topic", r"^\d{1,12}$"), ("year", r"^\d{1,4}$"),
                              ("network", r"^\d{1,12}$")):
            values = self.data.getlist(name) if hasattr(self.data, "getlist") else self.data.get(name) or []
            self.fields[name].choices = [(v, v) for v in values[:50] if _matches(pattern, v)]  # type: ignore
        super().full_clean()


def _matches(pattern: str, value: Any) -> bool:
    return isinstance(value, str) and re.match(pattern, value) is not None
