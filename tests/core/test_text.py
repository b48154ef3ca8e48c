"""Markdown written by users is rendered without anything that could run."""

from sinergia.core.text import render_markdown


def test_render_markdown_keeps_formatting():
    assert render_markdown("**bold** and [link](https://example.org)") == (
        '<p><strong>bold</strong> and <a href="https://example.org" rel="nofollow noopener noreferrer">link</a></p>'
    )


def test_render_markdown_drops_script_tags():
    assert "<script" not in render_markdown("hello <script>alert(1)</script>")


def test_render_markdown_drops_javascript_urls():
    assert render_markdown("[x](javascript:alert(1))") == '<p><a rel="nofollow noopener noreferrer">x</a></p>'


def test_render_markdown_drops_event_handlers():
    assert render_markdown('<img src="x" onerror="alert(1)">') == "<p></p>"
