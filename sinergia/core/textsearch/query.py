"""The search box's language, parsed once and rendered for each engine.

Words are required (AND); "quoted words" form a phrase; `or` between terms offers alternatives; a leading `-`
excludes a word or phrase. Nothing else is syntax: any other character only separates words, so no input can
inject PostgreSQL tsquery or SQLite FTS5 operators. The query is bounded in characters and in words.
"""

import re
from dataclasses import dataclass

from sinergia.core.textsearch.analysis import QUERY_CONFIGS, fold, terms, words

MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 12
CHUNK_RE = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')


@dataclass(frozen=True)
class Term:
    """A word, or a phrase of several words in order, possibly excluded."""

    words: tuple[str, ...]
    negated: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    """A query as alternatives (OR) of groups of terms (AND), each group with at least one required term."""

    text: str
    groups: tuple[tuple[Term, ...], ...]

    @property
    def is_empty(self) -> bool:
        return not self.groups

    @property
    def positive_words(self) -> list[str]:
        """The words the query looks for, in order (excluded ones left out)."""
        return [word for group in self.groups for term in group if not term.negated for word in term.words]


def clean_query(text: str) -> str:
    """The query as typed, without control characters, single-spaced, at most MAX_QUERY_CHARS long."""
    printable = "".join(ch if ch.isprintable() else " " for ch in str(text or ""))
    return " ".join(printable.split())[:MAX_QUERY_CHARS].strip()


def parse_query(text: str) -> ParsedQuery:
    """The query's groups of terms (an empty query when it has no word to look for)."""
    cleaned = clean_query(text)
    groups: list[list[Term]] = [[]]
    budget = MAX_QUERY_WORDS
    for match in CHUNK_RE.finditer(cleaned):
        negated = bool(match.group(1) or match.group(3))
        raw = match.group(2) if match.group(2) is not None else match.group(4)
        if match.group(4) is not None and raw.lower() == "or" and not negated:
            groups.append([])
            continue
        found = words(raw)[:budget]
        if found:
            budget -= len(found)
            groups[-1].append(Term(tuple(found), negated))
        if budget <= 0:
            break
    kept = tuple(tuple(group) for group in groups if any(not term.negated for term in group))
    return ParsedQuery(text=cleaned, groups=kept)


def websearch_text(query: ParsedQuery) -> str:
    """The query in PostgreSQL's websearch_to_tsquery syntax, every term quoted (so `or` stays a word)."""
    def term_text(term: Term) -> str:
        return ("-" if term.negated else "") + '"' + " ".join(term.words) + '"'

    return " or ".join(" ".join(term_text(term) for term in group) for group in query.groups)


def _fts5_term(term: Term, config: str) -> str | None:
    analysed = terms(list(term.words), config)
    return '"' + " ".join(analysed) + '"' if analysed else None


def _fts5_group(group: tuple[Term, ...], config: str) -> str | None:
    required = [_fts5_term(term, config) for term in group if not term.negated]
    excluded = [_fts5_term(term, config) for term in group if term.negated]
    required_terms = [term for term in required if term]
    if not required_terms:
        return None
    expression = "(" + " AND ".join(required_terms) + ")"
    return expression + "".join(f" NOT {term}" for term in excluded if term)


def fts5_expression(query: ParsedQuery) -> str:
    """The query for an FTS5 MATCH: the query analysed in each language, the analyses as alternatives.

    PostgreSQL ORs websearch_to_tsquery in every configuration; this is the same expression for FTS5, whose columns
    hold terms analysed in the resource's own language. Every term is an FTS5 string, never an operator.
    """
    alternatives: list[str] = []
    for config in QUERY_CONFIGS:
        for group in query.groups:
            expression = _fts5_group(group, config)
            if expression and expression not in alternatives:
                alternatives.append(expression)
    return " OR ".join(f"({expression})" for expression in alternatives)


def all_query_terms(query: ParsedQuery) -> frozenset[str]:
    """Every analysed form of the query's words in every language, folded (to highlight them in a text)."""
    found: set[str] = set()
    for config in QUERY_CONFIGS:
        found.update(fold(term) for term in terms(query.positive_words, config))
    return frozenset(found)


def query_stems(query: ParsedQuery) -> list[str]:
    """The analysed forms of the query's words in every language, three letters or more (to find them in a text)."""
    return sorted({term for config in QUERY_CONFIGS for term in terms(query.positive_words, config) if len(term) >= 3})
