"""Word banks and sentence templates of the bench library, one module per language (it, en, fr, es, pt).

Templates name their slots in braces: {np} and {np2} are noun phrases with their article, used only as objects
(so that no verb or preposition has to agree with them); {group} and {group2} are bare plural nouns, usable after
any preposition; {topic} and {topic2} are labels of the resource's thesaurus topics in its language (lower case;
{Topic} capitalised); {place} a town, {region} a region, {org} the contributing organisation, {year} and {number}
numbers. Banks are ordered from the most to the least common: the generator draws them with Zipf-like weights, so
that some words are in most texts of a language and others in few, as in a real library.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Lexicon:
    """What the generator writes a language with."""

    code: str
    titles: tuple[str, ...]
    subtitles: tuple[str, ...]
    sentences: tuple[str, ...]
    objects: tuple[str, ...]  # noun phrases with their article ({np})
    groups: tuple[str, ...]  # bare plural nouns ({group})
    headings: tuple[str, ...]  # section headings of the extracted text's pages
    journals: tuple[str, ...]
    books: tuple[str, ...]  # edited volumes that hold chapters
    publishers: tuple[str, ...]
    cities: tuple[str, ...]  # places of publication
    topic_join: str  # "{topic} e {topic2}"


def _lexicons() -> dict[str, Lexicon]:
    from bench.library_lexicon import en, es, fr, it, pt

    return {module.LEXICON.code: module.LEXICON for module in (it, en, fr, es, pt)}


LEXICONS = _lexicons()
LANGUAGES = tuple(LEXICONS)
