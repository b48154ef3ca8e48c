"""What each resource of the bench library will be (issue 4), drawn from a seeded generator, before any write.

Pure given its context (the contributing organisations, the thesaurus topics, the anchor date): the same seed
gives the same plans. Resources are in Italian, English, French, Spanish and Portuguese, by organisations of every
size (a few contribute much), with 1–4 creators, thesaurus topics, publication details by kind, and datestamps
spread over ten years before the anchor. About one in ten is a translation of an earlier resource (same kind,
year, topics and creators, plus a translator); a fixed tenth carries an extracted text (bench.library_text).
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bench import names
from bench.library_lexicon import LANGUAGES, LEXICONS
from bench.library_text import Subject, Writer, zipf_choice

OWN_LANGUAGE_SHARE, ENGLISH_SHARE = 0.5, 0.3  # the rest: any of the five
KIND_WEIGHTS = {"article": 25, "book": 9, "chapter": 10, "report": 12, "thesis": 5, "toolkit": 6, "case_study": 8,
                "good_practice": 10, "video": 3, "poster": 2, "presentation": 4, "website": 2, "dataset": 2}
CREATOR_COUNTS = {1: 45, 2: 30, 3: 15, 4: 10}
TRANSLATION_SHARE, TEXT_SHARE = 0.10, 0.10
PRIVATE_SHARE, PENDING_SHARE, REJECTED_SHARE, DELETED_SHARE = 0.04, 0.03, 0.005, 0.005
SHARED_SHARE, MEMBERS_ONLY_SHARE, CONCERNS_SHARE, ORGANISATION_CREATOR_SHARE = 0.3, 0.25, 0.05, 0.08
FIRST_YEAR, LAST_YEAR = 1970, 2026
HISTORY = timedelta(days=3650)
ABSTRACT_WORDS = (100, 300)
TEXT_PAGES = (16, 24)
DOI_PREFIX = "10.5555/sinergia-bench"
ISBN_PREFIXES = {"it": "97888", "en": "9781", "fr": "9782", "es": "97884", "pt": "978972"}
LICENCES = ("CC BY 4.0", "CC BY-SA 4.0", "CC BY-NC 4.0", "All rights reserved", "", "")


@dataclass(frozen=True)
class Contributor:
    """A listed bench organisation as the library sees it."""

    pk: int
    name: str
    slug: str
    language: str
    town: str
    region: str
    networks: tuple[int, ...]


@dataclass
class Context:
    """What plans are drawn from."""

    seed: int
    contributors: list[Contributor]
    weights: list[float]  # cumulative: a few organisations contribute much
    topics: list[tuple[int, dict[str, str]]]  # (concept id, labels by language), the most used first
    anchor: datetime  # no datestamp after it
    writers: dict[str, Writer] = field(default_factory=lambda: {code: Writer(lex) for code, lex in LEXICONS.items()})
    _labels: dict[str, dict[int, str]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for code in LANGUAGES:
            self._labels[code] = {pk: labels.get(code) or labels.get("en") or next(iter(labels.values()), "")
                                  for pk, labels in self.topics}

    def labels(self, topic_ids: tuple[int, ...], language: str) -> tuple[str, ...]:
        """The labels of topics in a language (English when it has none)."""
        return tuple(self._labels[language][pk] for pk in topic_ids)

    def every_label(self, language: str) -> tuple[str, ...]:
        return tuple(self._labels[language].values())


@dataclass(frozen=True)
class Creator:
    role: str
    family: str = ""
    given: str = ""
    organisation_name: str = ""
    organisation_id: int | None = None


@dataclass(frozen=True)
class Original:
    """What a translation takes from the resource it translates."""

    index: int
    language: str
    kind: str
    year: int
    topics: tuple[int, ...]
    creators: tuple[Creator, ...]


@dataclass(frozen=True)
class Plan:
    """One resource: its fields, creators, links, translation and text, and where it sits in the sequence."""

    index: int
    organisation_id: int
    kind: str
    language: str
    title: str
    abstract: str
    year: int
    month: int | None
    details: dict[str, str]  # publisher, container_title, volume, issue, pages, edition, doi, isbn, url, licence
    creators: tuple[Creator, ...]
    topics: tuple[int, ...]
    networks: tuple[int, ...]
    concerns: tuple[int, ...]  # other organisations it concerns
    visibility: str
    moderation: str
    created_at: datetime
    updated_at: datetime
    deleted: bool
    original: int | None  # the index of the resource it translates
    text_pages: int  # 0: no extracted text
    subject: Subject


def plans(rng: random.Random, count: int, context: Context) -> Iterator[Plan]:
    """The plans of `count` resources, in order (a translation always after its original)."""
    with_text = set(rng.sample(range(count), round(count * TEXT_SHARE)))
    originals: list[Original] = []
    for index in range(count):
        original = rng.choice(originals) if originals and rng.random() < TRANSLATION_SHARE else None
        plan = _plan(rng, index, count, context, original=original, text=index in with_text)
        if original is None and not plan.deleted:
            originals.append(Original(index, plan.language, plan.kind, plan.year, plan.topics, plan.creators))
        yield plan


def _plan(rng: random.Random, index: int, count: int, context: Context, *, original: Original | None,
          text: bool) -> Plan:
    contributor = rng.choices(context.contributors, cum_weights=context.weights)[0]
    language = _language(rng, contributor.language, original)
    topics = original.topics if original else _topics(rng, context)
    subject = Subject(context.labels(topics, language), contributor.town, contributor.region, contributor.name,
                      context.every_label(language))
    writer = context.writers[language]
    kind = original.kind if original else _weighted(rng, KIND_WEIGHTS)
    year = original.year if original else _year(rng)
    networks = _networks(rng, contributor)
    visibility, moderation = _status(rng, bool(networks))
    created_at, updated_at = _datestamps(rng, index, count, context.anchor)
    return Plan(
        index=index, organisation_id=contributor.pk, kind=kind, language=language,
        title=writer.title(rng, subject), abstract=writer.abstract(rng, subject, rng.randint(*ABSTRACT_WORDS)),
        year=year, month=rng.randint(1, 12) if rng.random() < 0.4 else None,
        details=_details(rng, kind, language, contributor, index, context.seed),
        creators=_creators(rng, contributor, original), topics=topics, networks=networks,
        concerns=_concerns(rng, context, contributor), visibility=visibility, moderation=moderation,
        created_at=created_at, updated_at=updated_at, deleted=not text and rng.random() < DELETED_SHARE,
        original=original.index if original else None, text_pages=rng.randint(*TEXT_PAGES) if text else 0,
        subject=subject)


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _language(rng: random.Random, own: str, original: Original | None) -> str:
    if original is not None:
        others = [code for code in LANGUAGES if code != original.language]
        return "en" if "en" in others and rng.random() < 0.5 else rng.choice(others)
    draw = rng.random()
    if draw < OWN_LANGUAGE_SHARE and own in LANGUAGES:
        return own
    return "en" if draw < OWN_LANGUAGE_SHARE + ENGLISH_SHARE else rng.choice(LANGUAGES)


def _topics(rng: random.Random, context: Context) -> tuple[int, ...]:
    """One to four topics, the first (the main one) drawn with Zipf-like weights, so some topics are common."""
    chosen = [zipf_choice(rng, context.topics)[0]]
    for _ in range(rng.choice((0, 1, 1, 2, 3))):
        pk = zipf_choice(rng, context.topics)[0]
        if pk not in chosen:
            chosen.append(pk)
    return tuple(chosen)


def _year(rng: random.Random) -> int:
    """A year of publication, most of them recent."""
    return min(LAST_YEAR, max(FIRST_YEAR, round(rng.triangular(FIRST_YEAR, LAST_YEAR + 1, 2022))))


def _networks(rng: random.Random, contributor: Contributor) -> tuple[int, ...]:
    if not contributor.networks or rng.random() >= SHARED_SHARE:
        return ()
    return tuple(rng.sample(contributor.networks, min(len(contributor.networks), rng.randint(1, 2))))


def _status(rng: random.Random, shared: bool) -> tuple[str, str]:
    """(visibility, moderation): mostly public and approved; some private, networks-only, pending or rejected."""
    visibility = "private" if rng.random() < PRIVATE_SHARE else "public"
    if shared and visibility == "public" and rng.random() < MEMBERS_ONLY_SHARE:
        visibility = "networks"
    draw = rng.random()
    moderation = "pending" if draw < PENDING_SHARE else "rejected" if draw < PENDING_SHARE + REJECTED_SHARE \
        else "approved"
    return visibility, moderation


def _datestamps(rng: random.Random, index: int, count: int, anchor: datetime) -> tuple[datetime, datetime]:
    """Added in sequence over ten years before the anchor; three in ten changed some days later."""
    step = HISTORY / count
    created = anchor - HISTORY + step * index + step * rng.random()
    updated = created + timedelta(days=rng.randint(1, 400)) if rng.random() < 0.3 else created
    return created, min(updated, anchor)


def _creators(rng: random.Random, contributor: Contributor, original: Original | None) -> tuple[Creator, ...]:
    if original is not None:
        translator = Creator("translator", rng.choice(names.SURNAMES), rng.choice(names.FIRST_NAMES))
        return (*original.creators, translator)
    how_many = int(_weighted(rng, {str(n): weight for n, weight in CREATOR_COUNTS.items()}))
    if rng.random() < ORGANISATION_CREATOR_SHARE:
        return (Creator("author", organisation_name=contributor.name, organisation_id=contributor.pk),)
    role = "editor" if how_many > 2 and rng.random() < 0.3 else "author"
    return tuple(Creator(role, rng.choice(names.SURNAMES), rng.choice(names.FIRST_NAMES)) for _ in range(how_many))


def _concerns(rng: random.Random, context: Context, contributor: Contributor) -> tuple[int, ...]:
    if rng.random() >= CONCERNS_SHARE:
        return ()
    other = rng.choice(context.contributors)
    return () if other.pk == contributor.pk else (other.pk,)


def _details(rng: random.Random, kind: str, language: str, contributor: Contributor, index: int,
             seed: int) -> dict[str, str]:
    """Publication details as the kind has them: journal, volume and pages, publisher, DOI, ISBN, web address."""
    lexicon = LEXICONS[language]
    details = {"licence": rng.choice(LICENCES)}
    if kind == "article":
        first = rng.randint(1, 300)
        details.update(container_title=rng.choice(lexicon.journals), volume=str(rng.randint(1, 60)),
                       issue=str(rng.randint(1, 4)), pages=f"{first}-{first + rng.randint(5, 30)}")
        if rng.random() < 0.6:
            details["doi"] = f"{DOI_PREFIX}.{seed}.{index}"
    elif kind in ("book", "chapter"):
        details.update(publisher=rng.choice(lexicon.publishers), place_published=rng.choice(lexicon.cities))
        if kind == "chapter":
            first = rng.randint(1, 250)
            details.update(container_title=rng.choice(lexicon.books), pages=f"{first}-{first + rng.randint(8, 40)}")
        if rng.random() < 0.7:
            details["isbn"] = isbn13(ISBN_PREFIXES[language], index)
        if kind == "book" and rng.random() < 0.1:
            details["edition"] = str(rng.randint(2, 4))
    else:
        details["publisher"] = contributor.name
    if kind not in ("article", "book", "chapter") or rng.random() < 0.3:
        details["url"] = f"https://{contributor.slug[:50]}.example.org/library/{index}"
    return details


def isbn13(prefix: str, number: int) -> str:
    """A valid ISBN-13 (digits only) of a prefix and a number."""
    body = f"{prefix}{number:0{12 - len(prefix)}d}"[:12]
    check = (10 - sum(int(digit) * (1 if position % 2 == 0 else 3) for position, digit in enumerate(body)) % 10) % 10
    return f"{body}{check}"
