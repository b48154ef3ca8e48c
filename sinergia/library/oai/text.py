"""Text for XML: Markdown turned into plain text, and characters XML 1.0 cannot carry removed."""

import html
import re

# Characters XML 1.0 does not allow (lxml refuses them): C0 controls but tab/newline/return, surrogates, U+FFFE/F.
NOT_XML_RE = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Anything Markdown could read as syntax; text without it is already plain (the common case, read in microseconds).
MARKDOWN_HINT_RE = re.compile(r"[*_`\[\]<>#&\\|~]|^[ \t]*(?:[-+=]|\d+[.)])", re.MULTILINE)
# Backslash-escaped punctuation is set aside (as private-use characters) while the rules run, then put back.
ESCAPED_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>|~])")
ESCAPE_BASE = 0xE000
SET_ASIDE_RE = re.compile("[\ue000-\ue07f]")

# The rewriting rules, in order: (pattern, replacement). Markdown rendered to HTML costs ~1.7 ms per abstract, too
# much for a page of 100 records; these rules give the same plain text for the Markdown people write in abstracts.
MARKDOWN_RULES = [
    (re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL), ""),
    (re.compile(r"<!--.*?-->", re.DOTALL), ""),
    (re.compile(r"<((?:https?|mailto):[^>\s]+)>"), r"\1"),
    (re.compile(r"</?[A-Za-z][^>]*>"), ""),
    (re.compile(r"^[ \t]*(?:```|~~~).*$", re.MULTILINE), ""),
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),
    (re.compile(r"^[ \t]{0,3}\[[^\]]+\]:[ \t]*\S.*$", re.MULTILINE), ""),
    (re.compile(r"^[ \t]{0,3}#{1,6}[ \t]*(.*?)[ \t#]*$", re.MULTILINE), r"\1"),
    (re.compile(r"^[ \t]*(?:[-*_=][ \t]*){3,}$", re.MULTILINE), ""),
    (re.compile(r"^[ \t]{0,3}(?:>[ \t]?)+", re.MULTILINE), ""),
    (re.compile(r"^([ \t]*)[*+][ \t]+", re.MULTILINE), r"\1- "),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?!\*)"), r"\1"),
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),
    (re.compile(r"(`+)(.+?)\1"), r"\2"),
]


def xml_text(value: str) -> str:
    """The text without the characters XML 1.0 forbids (they come only from pasted or imported noise)."""
    return NOT_XML_RE.sub("", value)


def markdown_plain(text: str) -> str:
    """Markdown as plain text: paragraphs kept, markup, raw HTML, scripts and styles dropped, entities decoded."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    if MARKDOWN_HINT_RE.search(text):
        text = ESCAPED_RE.sub(lambda match: chr(ESCAPE_BASE + ord(match[1])), text)
        for pattern, replacement in MARKDOWN_RULES:
            text = pattern.sub(replacement, text)
        text = SET_ASIDE_RE.sub(lambda match: chr(ord(match[0]) - ESCAPE_BASE), html.unescape(text))
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
