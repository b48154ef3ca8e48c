"""Events out of Sinergia: iCalendar (`ics`), RSS (`rss`) and schema.org JSON-LD (`jsonld`), and what they share."""

import html
import re
from collections.abc import Callable
from typing import Protocol

from django.urls import reverse

# Markdown reduced to plain text with a few linear regular expressions: rendering it (markdown + nh3) costs a
# millisecond per description, too much for a feed of thousands of events.
_SCRIPT_BLOCK = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_TAG = re.compile(r"<[^>\n]{0,500}>")
_IMAGE = re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)")
_LINK = re.compile(r"\[([^\]\n]+)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"\n]*\")?\s*\)")
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]*(.*?)[ \t#]*$", re.MULTILINE)
_QUOTE = re.compile(r"^[ \t]{0,3}>[ \t]?", re.MULTILINE)
_RULE = re.compile(r"^[ \t]{0,3}([-*_])([ \t]*\1){2,}[ \t]*$", re.MULTILINE)
_STRONG = re.compile(r"(\*\*|__)(?=\S)([^\n]*?\S)\1")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])|(?<![\w_])_(?=\S)([^_\n]*?\S)_(?![\w_])")
_CODE = re.compile(r"`{1,3}([^`]*)`{1,3}")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>])")
_BLANK_LINES = re.compile(r"\n{3,}")


def markdown_text(source: str) -> str:
    """Markdown as readable plain text: markup and raw HTML dropped, links kept as "text (address)"."""
    text = (source or "").replace("\r\n", "\n").replace("\r", "\n")
    # Each expression runs only when its marker is in the text: most descriptions are plain sentences.
    if "<" in text:
        text = _TAG.sub("", _AUTOLINK.sub(r"\1", _SCRIPT_BLOCK.sub("", text)))
    if "[" in text:
        text = _LINK.sub(_link_text, _IMAGE.sub(r"\1", text))
    if "#" in text:
        text = _HEADING.sub(r"\1", text)
    if ">" in text:
        text = _QUOTE.sub("", text)
    if "\n" in text and ("-" in text or "*" in text or "_" in text):
        text = _RULE.sub("", text)
    if "**" in text or "__" in text:
        text = _STRONG.sub(r"\2", text)
    if "*" in text or "_" in text:
        text = _EMPHASIS.sub(lambda match: match.group(1) or match.group(2), text)
    if "`" in text:
        text = _CODE.sub(r"\1", text)
    if "\\" in text:
        text = _ESCAPED.sub(r"\1", text)
    if "&" in text:
        text = html.unescape(text)
    return _BLANK_LINES.sub("\n\n", text).strip()


def _link_text(match: re.Match) -> str:
    label, address = match.group(1), match.group(2)
    return address if label == address else f"{label} ({address})"


class Located(Protocol):
    """An event, or a row of one, with its place."""

    place_name: str
    address: str
    locality: str
    province: str


def event_place(event: Located) -> str:
    """Where the event is, in one line: place, address, locality and province (each once)."""
    parts: list[str] = []
    for part in (event.place_name, event.address, event.locality, event.province):
        part = (part or "").strip()
        if part and part not in parts:
            parts.append(part)
    return ", ".join(parts)


def event_url_builder(base_url: str) -> Callable[[int], str]:
    """A function giving an event page's absolute URL in the active language, reversing the route only once."""
    head, tail = reverse("calendar:event", kwargs={"pk": 999_999_999}).split("999999999")
    prefix = base_url.rstrip("/") + head

    def event_url(pk: int) -> str:
        return f"{prefix}{pk}{tail}"

    return event_url


def organisation_url(base_url: str, slug: str) -> str:
    """An organisation's page in the directory, absolute."""
    return base_url.rstrip("/") + reverse("directory:detail", kwargs={"slug": slug})
