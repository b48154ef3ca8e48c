"""Typo tolerance on titles: a query that finds (almost) nothing as typed is corrected against the words of titles.

Every word of every title (and its stem) is kept once, in lower case, in a vocabulary with a trigram index (pg_trgm
on PostgreSQL, an FTS5 trigram table on SQLite). A query word of five letters or more that is in no title is
replaced by the title words at most one edit away (two from nine letters), where an edit inserts, deletes, replaces
or swaps letters and accents do not count: "musuem" → "museum", "citta" → "città". Candidates are the vocabulary
words that share the word's first or last three letters (a bounded list), measured here; the corrected query is
then matched against titles only, by the engine's index, and its hits rank below all others. The corrections are
never shown: they may come from titles the reader may not see, whose resources the visibility filter keeps out.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from sinergia.core.textsearch.analysis import fold, search_config, stem, words
from sinergia.core.textsearch.query import ParsedQuery

MIN_WORD_LENGTH = 5
TWO_EDITS_LENGTH = 9
PIECE_LENGTH = 3
CANDIDATES_MAX = 500
CORRECTIONS_MAX = 3
# Below this many hits as typed, a search also tries the corrected query.
RUN_BELOW = 5


@dataclass(frozen=True)
class Correction:
    """A corrected query: alternatives (OR) of groups (AND) of words, each word with its alternatives (OR)."""

    groups: tuple[tuple[tuple[str, ...], ...], ...]


def vocabulary_words(titles: Iterable[tuple[str, str]]) -> set[str]:
    """The words of (title, language) pairs and their stems in the language, as the vocabulary keeps them."""
    found: set[str] = set()
    for title, language in titles:
        config = search_config(language)
        found.update(form for word in words(title) for form in (word, stem(word, config)))
    return found


def allowed_edits(word: str) -> int:
    return 2 if len(word) >= TWO_EDITS_LENGTH else 1


def pieces(word: str) -> tuple[str, ...]:
    """The substrings a close word shares with the word: its first three letters, or its last three."""
    return tuple(dict.fromkeys((word[:PIECE_LENGTH], word[-PIECE_LENGTH:])))


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau–Levenshtein distance (adjacent swaps count one), or limit + 1 as soon as it exceeds the limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def closest(word: str, candidates: Iterable[str]) -> list[str]:
    """The candidates within the word's allowed edits (accents aside), closest first, at most CORRECTIONS_MAX."""
    limit, folded = allowed_edits(word), fold(word)
    scored = sorted((distance, candidate) for candidate in set(candidates)
                    if (distance := edit_distance(folded, fold(candidate), limit)) <= limit)
    return [candidate for _distance, candidate in scored[:CORRECTIONS_MAX]]


def words_to_correct(query: ParsedQuery) -> list[str]:
    """The query's words (lower case) long enough to correct."""
    return list(dict.fromkeys(word for word in query.positive_words if len(word) >= MIN_WORD_LENGTH))


def correction_build(query: ParsedQuery, corrections: dict[str, list[str]]) -> Correction | None:
    """The query with each unknown word replaced by its corrections (None when nothing was corrected).

    Phrases become plain words, excluded words are left out; a group with a word that has no correction is dropped.
    """
    groups = []
    for group in query.groups:
        group_words = [word for term in group if not term.negated for word in term.words]
        alternatives = [tuple(corrections[word]) if word in corrections else (word,) for word in group_words]
        if any(word in corrections for word in group_words) and all(alternatives):
            groups.append(tuple(alternatives))
    return Correction(tuple(groups)) if groups else None


def query_correction(query: ParsedQuery, engine) -> Correction | None:
    """The corrected query for the words in no title (vocabulary look-ups through the engine), or None."""
    candidates_for = words_to_correct(query)
    known = engine.vocabulary_known(candidates_for) if candidates_for else set()
    unknown = [word for word in candidates_for if word not in known]
    if not unknown:
        return None
    candidates = engine.vocabulary_candidates(
        [piece for word in unknown for piece in pieces(word)],
        min(len(word) - allowed_edits(word) for word in unknown),
        max(len(word) + allowed_edits(word) for word in unknown))
    return correction_build(query, {word: closest(word, candidates) for word in unknown})
