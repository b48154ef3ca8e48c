"""BCP 47 language tags of what members write (resources, questions, calls): validation, normalisation, names."""

import langcodes
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

MAX_TAG_LENGTH = 35


def language_tag_clean(tag: str) -> str:
    """The tag in its standard form ("pt-br" → "pt-BR"); ValidationError if it is not a registered BCP 47 tag."""
    tag = (tag or "").strip().replace("_", "-")
    if not tag:
        raise ValidationError(_("Give the language, e.g. it, en or pt-BR."), code="required")
    if len(tag) > MAX_TAG_LENGTH or not langcodes.tag_is_valid(tag) or tag.lower() in {"und", "zxx", "mul"}:
        raise ValidationError(_("“%(tag)s” is not a known language tag (BCP 47), e.g. it, en, fr-CA or pt-BR.")
                              % {"tag": tag[:MAX_TAG_LENGTH]}, code="invalid_language")
    return str(langcodes.standardize_tag(tag))


def language_family(tag: str) -> str:
    """The primary language subtag in lower case ("pt" for "pt-BR")."""
    return (tag or "").split("-", 1)[0].lower()


def language_name(tag: str) -> str:
    """The language's name in the active interface language, falling back to the tag itself."""
    family = language_family(tag)
    try:
        info = translation.get_language_info(family)
    except KeyError:
        return tag
    region = tag.split("-", 1)[1] if "-" in tag else ""
    name = info["name_translated"]
    return f"{name} ({region})" if region else str(name)
