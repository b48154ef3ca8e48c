"""The language of an imported citation: a BCP 47 tag, or a language's name ("English", "italiano", "ngerman")."""

import re
import unicodedata
from functools import lru_cache

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from sinergia.core.languages import language_tag_clean

# The names LaTeX (babel, polyglossia) and biblatex's `langid` use, in order of preference for each tag: the first
# name of a tag is the one written on export.
BABEL_NAMES: dict[str, str] = {
    "english": "en", "american": "en-US", "usenglish": "en-US", "british": "en-GB", "ukenglish": "en-GB",
    "canadian": "en-CA", "australian": "en-AU", "newzealand": "en-NZ",
    "italian": "it", "french": "fr", "francais": "fr", "canadien": "fr-CA", "acadian": "fr-CA",
    "spanish": "es", "mexican": "es-MX", "portuguese": "pt", "portuges": "pt", "brazilian": "pt-BR", "brazil": "pt-BR",
    "german": "de", "ngerman": "de", "austrian": "de-AT", "naustrian": "de-AT", "swissgerman": "de-CH",
    "nswissgerman": "de-CH", "dutch": "nl", "latin": "la", "greek": "el", "polutonikogreek": "el",
    "russian": "ru", "ukrainian": "uk", "polish": "pl", "czech": "cs", "slovak": "sk", "slovene": "sl",
    "slovenian": "sl", "croatian": "hr", "serbian": "sr", "bulgarian": "bg", "danish": "da", "swedish": "sv",
    "norsk": "nb", "norwegian": "nb", "nynorsk": "nn", "finnish": "fi", "icelandic": "is", "estonian": "et",
    "latvian": "lv", "lithuanian": "lt", "hungarian": "hu", "magyar": "hu", "romanian": "ro", "turkish": "tr",
    "catalan": "ca", "galician": "gl", "basque": "eu", "irish": "ga", "welsh": "cy", "scottish": "gd",
    "breton": "br", "hebrew": "he", "arabic": "ar", "japanese": "ja", "chinese": "zh", "korean": "ko",
    "albanian": "sq", "armenian": "hy", "friulan": "fur", "sardinian": "sc", "occitan": "oc", "romansh": "rm",
    "esperanto": "eo", "afrikaans": "af", "indonesian": "id", "malay": "ms", "vietnamese": "vi", "thai": "th",
    "hindi": "hi", "persian": "fa", "farsi": "fa",
}
# "English; French", "en, fr", biblatex's "langlatin and langgerman": the first language is the resource's.
SEPARATORS = re.compile(r"\s*(?:[;,/|]|\band\b)\s*", re.IGNORECASE)
MAX_TEXT = 100


def _key(text: str) -> str:
    """Lower case, without accents or spaces: "Português" → "portugues"."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in folded if ch.isalnum() and not unicodedata.combining(ch))


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Every name we recognise → tag: babel names, then Django's language names in English, in the language itself
    and in each interface language ("Inglese", "anglais", "inglés", "inglês")."""
    names: dict[str, str] = {}
    for code, info in LANG_INFO.items():
        if "name" not in info:
            continue
        try:
            tag = language_tag_clean(code)
        except ValidationError:
            continue
        names.setdefault(_key(info["name"]), tag)
        names.setdefault(_key(info["name_local"]), tag)
        for interface, _label in settings.LANGUAGES:
            with translation.override(interface):
                names.setdefault(_key(translation.gettext(info["name"])), tag)
    names.update(BABEL_NAMES)
    return names


def language_from_text(text: str) -> str:
    """The BCP 47 tag of a citation's language field; ValidationError if it names no language we know."""
    first = SEPARATORS.split((text or "").strip(), maxsplit=1)[0].strip()[:MAX_TEXT]
    key = _key(first)
    names = _names()
    if key in names:
        return names[key]
    if key.startswith("lang") and key[4:] in names:  # biblatex localisation keys: "langitalian"
        return names[key[4:]]
    try:
        return language_tag_clean(first)
    except ValidationError as error:
        if error.code == "required":
            raise
        raise ValidationError(_("“%(text)s” is neither a language tag (e.g. it, en, pt-BR) nor a language's name.")
                              % {"text": first}, code="invalid_language") from error


@lru_cache(maxsize=1)
def _babel_by_tag() -> dict[str, str]:
    tags: dict[str, str] = {}
    for name, tag in BABEL_NAMES.items():
        tags.setdefault(tag, name)
    return tags


def babel_name(tag: str) -> str:
    """The LaTeX name of a language for biblatex's `langid` ("italian" for "it"), or the tag itself."""
    return _babel_by_tag().get(tag, tag)
