"""Template helpers: sanitised Markdown and JSON-LD."""

import json

from django import template
from django.utils.safestring import SafeString, mark_safe

from sinergia.core.text import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """Render user-written Markdown to sanitised HTML."""
    return mark_safe(render_markdown(text))  # noqa: S308 - render_markdown sanitises with nh3


@register.filter(name="jsonld")
def jsonld_filter(data: dict) -> SafeString:
    """Serialise a dict as JSON safe to embed in a <script type="application/ld+json">."""
    text = json.dumps(data, ensure_ascii=False, default=str)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)  # noqa: S308 - characters that could close the script are escaped
