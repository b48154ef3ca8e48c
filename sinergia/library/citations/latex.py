"""LaTeX in BibTeX values: read into Unicode text (pylatexenc, as bibtexparser's decoding middleware does) and
written so that LaTeX prints the text as it is."""

import re
from functools import lru_cache

from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

LATEX_SIGNS = re.compile(r"[\\{}$~]|--|``|''|[?!]`")
UNESCAPED_PERCENT = re.compile(r"(?<!\\)%")
CARET = re.compile(r"\\textasciicircum(?:\{\}|(?![a-zA-Z]))")
# Braces are written as macros, not \{ \}: BibTeX counts every brace, escaped or not, so text with an unpaired
# brace would leave the entry unbalanced.
ESCAPES = {"\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}", "$": r"\$", "&": r"\&",
           "%": r"\%", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
SPECIALS = re.compile(r"[\\{}$&%#_~^]")
# TeX ligatures that would change the text when read back: -- (dash), `` and '' (quotes), ?` and !` (¿ ¡).
LIGATURES = re.compile(r"-(?=-)|`(?=`)|'(?=')|[?!](?=`)")


@lru_cache(maxsize=1)
def _decoder() -> LatexNodes2Text:
    context = get_default_latex_context_db()
    context.add_context_category("sinergia", prepend=True, macros=[
        MacroTextSpec("url", simplify_repl="%s"), MacroTextSpec("textbraceleft", simplify_repl="{"),
        MacroTextSpec("textbraceright", simplify_repl="}")])
    return LatexNodes2Text(latex_context=context, keep_braced_groups=False, math_mode="verbatim")


def latex_text(value: str) -> str:
    """Unicode text of a LaTeX value ("C{\\'e}sar" → "César"); a bare % is a percent sign, not a comment."""
    if not LATEX_SIGNS.search(value):
        return value
    # pylatexenc reads \textasciicircum as a modifier letter (ˆ); LaTeX prints a plain caret.
    value = CARET.sub("\ue003", UNESCAPED_PERCENT.sub(r"\\%", value))
    try:
        return _decoder().latex_to_text(value).replace("\xa0", " ").replace("\ue003", "^")
    except Exception:
        return value.replace("{", "").replace("}", "")


def latex_escape(text: str) -> str:
    """Text that LaTeX and BibTeX print as written (every special character escaped, no ligature formed)."""
    escaped = SPECIALS.sub(lambda match: ESCAPES[match.group()], text)
    return LIGATURES.sub(lambda match: match.group() + "{}", escaped)


def latex_protected(text: str) -> str:
    """Escaped, with words holding capitals after their first letter braced so styles keep their case ({ICOM})."""
    return re.sub(r"\S+", lambda m: (f"{{{latex_escape(m.group())}}}" if re.search(r"[A-Z]", m.group()[1:])
                                     else latex_escape(m.group())), text)
