"""Highlighted titles and snippets are safe HTML: the text escaped, then only our <mark>s added."""

import pytest

from sinergia.core.textsearch import snippets
from sinergia.core.textsearch.analysis import fold

MUSEO = frozenset({"muse"})


def test_highlight_all_marks_every_form_of_the_word():
    marked = snippets.highlight_all("Museo, musei e MUSEI", "it", MUSEO)

    assert str(snippets.marked_html(marked)) == "<mark>Museo</mark>, <mark>musei</mark> e <mark>MUSEI</mark>"


def test_marked_html_escapes_before_marking():
    marked = snippets.highlight_all('<a href="x">Musei</a> & "reti"', "it", MUSEO)

    assert str(snippets.marked_html(marked)) == ("&lt;a href=&quot;x&quot;&gt;<mark>Musei</mark>&lt;/a&gt; &amp; "
                                                 "&quot;reti&quot;")


def test_control_characters_in_the_text_cannot_forge_a_mark():
    marked = snippets.highlight_all(f"{snippets.START}<script>{snippets.STOP} musei", "it", MUSEO)

    assert str(snippets.marked_html(marked)) == " &lt;script&gt;  <mark>musei</mark>"


def test_fragment_starts_a_little_before_the_first_match_and_ends_with_an_ellipsis():
    text = " ".join(f"w{n}" for n in range(100)) + " museo " + " ".join(f"v{n}" for n in range(100))

    fragment = snippets.fragment(text, "it", MUSEO)

    assert fragment.startswith("…w92 w93")
    assert f"{snippets.START}museo{snippets.STOP}" in fragment
    assert fragment.endswith("v20…")
    assert len(fragment.split()) == snippets.FRAGMENT_WORDS


def test_fragment_without_a_match_is_the_opening():
    text = " ".join(f"w{n}" for n in range(100))

    assert snippets.fragment(text, "it", MUSEO) == " ".join(f"w{n}" for n in range(30)) + "…"
    assert snippets.fragment("Breve.", "it", MUSEO) == "Breve."


def test_fragment_ignores_stop_words():
    assert snippets.fragment("e il museo", "it", frozenset({"e", "muse"})) == f"e il {snippets.START}museo{snippets.STOP}"


def test_plain_drops_markdown():
    assert snippets.plain("## Titolo\n\n* un **museo** con [sito](https://x.org) e `codice`") == \
        "Titolo un museo con sito e codice"


@pytest.mark.parametrize(("markdown", "text"), [
    ("# Titolo", "Titolo"),
    ("  > citazione", "citazione"),
    ("1. primo\n  2. secondo\n\n- terzo", "primo secondo terzo"),
    ("a-b 3.5 2*3 x", "a-b 3.5 2 3 x"),
    ("riga\n#hashtag e ##", "riga #hashtag e ##"),
    ("nessun [link e ](parentesi)", "nessun link e"),
    ("", ""),
])
def test_plain_drops_line_markers_on_every_line_the_first_included(markdown, text):
    assert snippets.plain(markdown) == text


def test_fold_drops_case_and_accents():
    assert fold("Città ÉCOMUSÉE Straße") == "citta ecomusee strasse"
