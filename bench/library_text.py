"""Titles, abstracts and extracted texts of the bench library, written from the word banks of bench.library_lexicon.

Pure and seeded: the same random generator state and the same inputs give the same text. A resource's text
speaks of its own thesaurus topics (their labels in its language), its organisation and its town, so that a search
for a topic's label finds the resources tagged with it, and the words of a language recur with a long tail.
"""

import functools
import itertools
import random
import string
from collections.abc import Sequence
from dataclasses import dataclass

from bench.library_lexicon import Lexicon

ZIPF_EXPONENT = 0.8
PAGE_CHARS, PAGE_SLACK = 2500, 300  # a page ends with the paragraph that brings it within PAGE_SLACK of PAGE_CHARS
POOL_PARAGRAPHS = 400
SUBTITLE_SHARE = 0.4


@dataclass(frozen=True)
class Subject:
    """What a resource is about: its topics' labels (the first is its main topic), where, and by whom."""

    topics: tuple[str, ...]
    place: str
    region: str
    organisation: str
    every_topic: tuple[str, ...]  # the labels of every topic in the language, for a topic of another resource


def label_lower(label: str) -> str:
    """A thesaurus label as it reads inside a sentence ("Raccolta fondi" → "raccolta fondi", "Art Bonus" kept)."""
    words = label.split()
    if len(words) > 1 and any(word[:1].isupper() for word in words[1:]):
        return label
    return label[:1].lower() + label[1:]


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


@functools.cache
def _cumulative(size: int) -> tuple[float, ...]:
    """Cumulative Zipf-like weights of `size` ranked items (the first the most frequent)."""
    return tuple(itertools.accumulate(1 / (rank + 1) ** ZIPF_EXPONENT for rank in range(size)))


def zipf_choice(rng: random.Random, items: Sequence):
    """An item of a list ranked from the most to the least common."""
    return rng.choices(items, cum_weights=_cumulative(len(items)))[0]


@functools.cache
def _fields(template: str) -> tuple[str, ...]:
    return tuple(name for _text, name, _spec, _conversion in string.Formatter().parse(template) if name)


class Writer:
    """Writes the texts of one language."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self._pool: list[str] = []

    def fill(self, rng: random.Random, template: str, subject: Subject) -> str:
        """A template with its slots filled for the subject (two topics of a sentence are two different ones)."""
        values = {name: self._slot(rng, name, subject) for name in _fields(template)}
        first = (values.get("topic") or values.get("Topic") or "").lower()
        if first and values.get("topic2", "").lower() == first:
            values["topic2"] = label_lower(rng.choice([label for label in subject.every_topic
                                                       if label.lower() != first]))
        return template.format_map(values)

    def _slot(self, rng: random.Random, name: str, subject: Subject) -> str:
        lexicon = self.lexicon
        if name[0].isupper():
            return capitalised(self._slot(rng, name.lower(), subject))
        if name in ("np", "np2"):
            return zipf_choice(rng, lexicon.objects)
        if name in ("group", "group2"):
            return zipf_choice(rng, lexicon.groups)
        if name == "topic":
            return label_lower(subject.topics[0] if rng.random() < 0.6 else rng.choice(subject.topics))
        if name == "topic2":
            others = subject.topics[1:] or subject.every_topic
            return label_lower(rng.choice(others))
        if name in ("year", "number"):
            return str(rng.randint(1970, 2020) if name == "year" else rng.randint(3, 120))
        return {"place": subject.place, "region": subject.region, "org": subject.organisation}[name]

    def title(self, rng: random.Random, subject: Subject) -> str:
        """A title, sometimes with a subtitle."""
        title = self.fill(rng, zipf_choice(rng, self.lexicon.titles), subject)
        if ":" not in title and rng.random() < SUBTITLE_SHARE:
            title = f"{title}: {self.fill(rng, rng.choice(self.lexicon.subtitles), subject)}"
        return capitalised(title)

    def sentences(self, rng: random.Random, subject: Subject, words: int) -> list[str]:
        """Sentences about the subject until they hold at least `words` words."""
        written: list[str] = []
        templates: list[str] = []
        count = 0
        while count < words:
            if not templates:  # every template once before any comes again
                templates = rng.sample(self.lexicon.sentences, len(self.lexicon.sentences))
            sentence = capitalised(self.fill(rng, templates.pop(), subject))
            written.append(sentence)
            count += sentence.count(" ") + 1
        return written

    def abstract(self, rng: random.Random, subject: Subject, words: int) -> str:
        """An abstract of about `words` words, in one to three paragraphs (Markdown)."""
        written = self.sentences(rng, subject, words)
        cuts = sorted(rng.sample(range(1, len(written)), min(rng.randint(0, 2), len(written) - 1)))
        bounds = [0, *cuts, len(written)]
        return "\n\n".join(" ".join(written[start:end]) for start, end in itertools.pairwise(bounds))

    def pool(self, seed: str, every_topic: tuple[str, ...], places: Sequence[tuple[str, str, str]]) -> list[str]:
        """Paragraphs of the language that extracted texts are made of (built once, seeded)."""
        if not self._pool:
            rng = random.Random(seed)
            for _ in range(POOL_PARAGRAPHS):
                place, region, organisation = rng.choice(places)
                subject = Subject(tuple(rng.sample(every_topic, 2)), place, region, organisation, every_topic)
                self._pool.append(" ".join(self.sentences(rng, subject, rng.randint(50, 110))))
        return self._pool

    def body(self, rng: random.Random, subject: Subject, *, pages: int, abstract: str, title: str,
             pool: list[str]) -> str:
        """The text extracted from a document of `pages` pages of about PAGE_CHARS characters each."""
        written = []
        for number in range(1, pages + 1):
            parts = [title, abstract] if number == 1 else []
            if number == 1 or rng.random() < 0.3:
                parts.append(f"{number}. {rng.choice(self.lexicon.headings)}")
            parts.append(" ".join(self.sentences(rng, subject, 25)))
            size = sum(len(part) for part in parts)
            while size < PAGE_CHARS - PAGE_SLACK:
                paragraph = rng.choice(pool)
                parts.append(paragraph)
                size += len(paragraph) + 2
            written.append("\n\n".join(parts))
        return "\n\n".join(written)
