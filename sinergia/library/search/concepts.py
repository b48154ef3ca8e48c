"""Across languages through the thesaurus: the topics and themes whose labels a query names, in any language."""

import time

from django.core.cache import cache

from sinergia.core.models import Concept
from sinergia.core.textsearch.analysis import WORD_RE
from sinergia.core.textsearch.query import ParsedQuery
from sinergia.core.thesaurus import normalise_label

LABELS_CACHE_KEY = "library:search:concept-labels"
LABELS_VERSION_KEY = "library:search:concept-labels-version"
LABELS_CACHE_SECONDS = 300
SCHEMES = (Concept.Scheme.TOPIC, Concept.Scheme.THEME)
# Short words ("la", "of", "dei") may stand between labels without preventing the match.
FILLER_MAX_LENGTH = 3


def label_key(text: str) -> str:
    """A label or a run of query words folded alike: no accents, no case, punctuation as spaces."""
    return " ".join(WORD_RE.findall(normalise_label(text)))


# This process's copy of the labels and the version of the shared cache it was taken from.
_copy: dict[str, tuple[int, dict[str, list[int]]]] = {}


def concept_labels() -> dict[str, list[int]]:
    """Every folded label and alternative label of topics and themes, in any language → the concepts' ids.

    Cached for a few minutes, and forgotten as soon as the thesaurus changes (sinergia.library.receivers). Each
    process keeps its own copy while the cached version stays the same: the labels of a full thesaurus weigh tens of
    kilobytes, which every search would otherwise fetch and unpickle (about a millisecond).
    """
    version = cache.get(LABELS_VERSION_KEY)
    copy = _copy.get("labels")
    if version is not None and copy is not None and copy[0] == version:
        return copy[1]
    labels = cache.get(LABELS_CACHE_KEY)
    if labels is None:
        labels = _labels_read()
        cache.set(LABELS_CACHE_KEY, labels, LABELS_CACHE_SECONDS)
    if version is None:
        version = time.time_ns()
        cache.set(LABELS_VERSION_KEY, version, LABELS_CACHE_SECONDS)
    _copy["labels"] = (version, labels)
    return labels


def concept_labels_forget() -> None:
    """Read the labels again at the next search, in every process."""
    cache.delete_many([LABELS_CACHE_KEY, LABELS_VERSION_KEY])


def _labels_read() -> dict[str, list[int]]:
    labels: dict[str, list[int]] = {}
    rows = Concept.objects.filter(scheme__in=SCHEMES).values_list("id", "labels", "alt_labels")
    for concept_id, preferred, alternatives in rows:
        for text in [*preferred.values(), *(text for values in alternatives.values() for text in values)]:
            ids = labels.setdefault(label_key(text), [])
            if concept_id not in ids:
                ids.append(concept_id)
    return labels


def query_concepts(query: ParsedQuery) -> list[list[list[int]]]:
    """For each alternative of the query that names concepts, the concepts it names (see `named_concepts`)."""
    alternatives = []
    for group in query.groups:
        words = [word for term in group if not term.negated for word in term.words]
        named = named_concepts(words)
        if named and named not in alternatives:
            alternatives.append(named)
    return alternatives


def named_concepts(words: list[str]) -> list[list[int]]:
    """The concepts words name, one list per label found; empty unless labels cover all the longer words.

    "raccolta fondi" → [[fundraising]]; "fundraising and volunteering" → [[fundraising], [volunteering]].
    Labels are matched longest first, ignoring case and accents.
    """
    if not words:
        return []
    labels = concept_labels()
    groups: list[list[int]] = []
    start = 0
    while start < len(words):
        end = next((end for end in range(len(words), start, -1)
                    if label_key(" ".join(words[start:end])) in labels), None)
        if end is not None:
            groups.append(labels[label_key(" ".join(words[start:end]))])
            start = end
        elif len(words[start]) <= FILLER_MAX_LENGTH:
            start += 1
        else:
            return []
    return groups
