"""Citation keys: short, plain and unique within an export ("rossi2020ecomusei")."""

import re
import unicodedata

from sinergia.library.models import Resource


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def citation_key(resource: Resource, used: set[str]) -> str:
    """A key unique in `used`: first creator, year, first long word of the title ("rossi2020ecomusei")."""
    creators = list(resource.creators.all())
    who = ""
    if creators:
        first = creators[0]
        who = _ascii_word(first.family or first.organisation_name.split(" ")[0])[:20]
    words = [_ascii_word(word) for word in resource.title.split()]
    word = next((w for w in words if len(w) >= 4), next((w for w in words if w), ""))[:20]
    base = f"{who}{resource.year or ''}{word}" or f"resource{resource.pk}"
    key, suffix = base, 0
    while key in used:
        suffix += 1
        key = f"{base}{_suffix(suffix)}"
    used.add(key)
    return key


def _suffix(number: int) -> str:
    return "abcdefghijklmnopqrstuvwxyz"[number - 1] if number <= 26 else str(number)
