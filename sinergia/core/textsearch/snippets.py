"""Highlighted titles and snippets, as safe HTML: the text escaped first, then the matches wrapped in <mark>.

Both engines mark matches with two control characters (PostgreSQL's ts_headline is told to use them; on SQLite
the words are found here); the text's own control characters are removed first, so only real matches are marked.
"""

import re
import unicodedata
from collections import deque
from collections.abc import Iterator
from functools import lru_cache
from itertools import islice

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from sinergia.core.textsearch.analysis import WORD_RE, fold, search_config, stem, stopwords

START, STOP = "\x02", "\x03"
FRAGMENT_WORDS = 30
WORDS_BEFORE = 8
# The extracted text is searched for the query's stems in its first BODY_WINDOW_CHARS characters; the snippet is
# made from SLICE_CHARS characters from a little before the first one found.
BODY_WINDOW_CHARS = 30_000
SLICE_CHARS = 1500
SLICE_LEAD_CHARS = 200
ELLIPSIS = "…"
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MARKDOWN_LINK_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
# Markup at the start of a line (headings, quotes, list items), emphasis and code marks. The text's first line is
# matched apart, so that every alternative of the rest starts with one of three characters the matcher looks for.
MARKDOWN_FIRST_LINE_RE = re.compile(r"\A\s*(#{1,6}|>|[-+*]|\d+\.)\s+")
MARKDOWN_NOISE_RE = re.compile(r"\n\s*(?:#{1,6}|>|[-+*]|\d+\.)\s+|\*{1,3}|`+")


def without_controls(text: str) -> str:
    """The text without control characters (so that none can pass for a highlight marker)."""
    return CONTROL_RE.sub(" ", unicodedata.normalize("NFC", text or ""))


def plain(markdown: str) -> str:
    """Markdown as plain text for a snippet: links reduced to their text, markup characters dropped."""
    text = MARKDOWN_LINK_RE.sub(r"\1", markdown) if "[" in markdown else markdown
    return " ".join(MARKDOWN_NOISE_RE.sub(" ", MARKDOWN_FIRST_LINE_RE.sub(" ", text, count=1)).split())


def marked_html(marked: str) -> SafeString:
    """Text whose matches sit between START and STOP as escaped HTML with <mark>s."""
    html = escape(marked).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only our own <mark> tags are added


def has_mark(marked: str) -> bool:
    return START in marked


@lru_cache(maxsize=200_000)
def _term(word: str, config: str) -> str:
    """A word of a text as the index holds it, folded ("" for a stop word)."""
    lowered = word.lower()
    return "" if lowered in stopwords(config) else fold(stem(lowered, config))


def _marked_words(text: str, config: str, query_terms: frozenset[str]) -> Iterator[tuple[int, int, bool]]:
    """(start, end, matched) of each word of the text, in the resource's analysis (query terms folded)."""
    for match in WORD_RE.finditer(text):
        yield match.start(), match.end(), bool(query_terms) and _term(match.group(), config) in query_terms


def _mark(text: str, spans: list[tuple[int, int, bool]], start: int, end: int) -> str:
    pieces, position = [], start
    for word_start, word_end, matched in spans:
        if matched and start <= word_start and word_end <= end:
            pieces += [text[position:word_start], START, text[word_start:word_end], STOP]
            position = word_end
    pieces.append(text[position:end])
    return "".join(pieces)


def highlight_all(text: str, language: str, query_terms: frozenset[str]) -> str:
    """The whole text with every match marked (for titles)."""
    text = without_controls(text)
    spans = list(_marked_words(text, search_config(language), query_terms))
    return _mark(text, spans, 0, len(text))


def fragment(text: str, language: str, query_terms: frozenset[str]) -> str:
    """About thirty words from a little before the first match, marked; the text's opening when nothing matches."""
    text = without_controls(text)
    spans = _marked_words(text, search_config(language), query_terms)
    if not query_terms:
        return _cut(text, list(islice(spans, FRAGMENT_WORDS + 1)), from_start=True)
    recent: deque[tuple[int, int, bool]] = deque(maxlen=WORDS_BEFORE + 1)
    opening: list[tuple[int, int, bool]] = []
    for span in spans:
        if len(opening) <= FRAGMENT_WORDS:
            opening.append(span)
        recent.append(span)
        if span[2]:
            # One word more than shown tells whether the text goes on.
            return _cut(text, [*recent, *islice(spans, FRAGMENT_WORDS + 1 - len(recent))], from_start=not opening
                        or opening[0] == recent[0])
    return _cut(text, opening, from_start=True)


def _cut(text: str, window: list[tuple[int, int, bool]], *, from_start: bool) -> str:
    """The window's words marked, with the text's edges when it reaches them, else ellipses."""
    if not window:
        return text.strip()
    goes_on = len(window) > FRAGMENT_WORDS
    window = window[:FRAGMENT_WORDS]
    start = 0 if from_start else window[0][0]
    end = window[-1][1] if goes_on else len(text)
    marked = _mark(text, window, start, end).strip()
    return ("" if from_start else ELLIPSIS) + marked + (ELLIPSIS if goes_on else "")


def text_slice_start(text: str, stems: list[str]) -> int:
    """Where to start a snippet of a long text: a little before the first of the stems in it (0 if none is)."""
    lowered = text[:BODY_WINDOW_CHARS].lower()
    found = [index for stem in stems if (index := lowered.find(stem)) >= 0]
    return max(0, min(found) - SLICE_LEAD_CHARS) if found else 0


def text_fragment(text: str, language: str, query_terms: frozenset[str], stems: list[str]) -> str:
    """A fragment of a long extracted text around the first match (see `fragment`)."""
    start = text_slice_start(text, stems)
    marked = fragment(text[start:start + SLICE_CHARS], language, query_terms)
    return ELLIPSIS + marked.lstrip(ELLIPSIS) if start and marked else marked
