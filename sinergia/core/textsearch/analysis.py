"""Text analysis shared by both engines: words, stop words and stems per language, folding for comparisons.

PostgreSQL analyses text with its snowball configurations; on SQLite the same analysis runs here, in Python, with
the same Snowball algorithms and PostgreSQL's stop-word lists, so that both engines find the same documents.
snowballstemmer runs the Snowball project's C stemmers (PyStemmer) when they are installed, as requirements.txt
has them: the same stems, about twenty times faster than its own Python ones.
"""

import re
import threading
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

import snowballstemmer

from sinergia.core.languages import language_family

# Primary language subtag → Snowball algorithm (and PostgreSQL text search configuration of the same name).
STEMMED_LANGUAGES = {"it": "italian", "en": "english", "fr": "french", "es": "spanish", "pt": "portuguese"}
SIMPLE = "simple"
# Every query is analysed in each of these: the five stemmed languages, and unstemmed for any other language.
QUERY_CONFIGS = (*STEMMED_LANGUAGES.values(), SIMPLE)
WORD_RE = re.compile(r"[^\W_]+")
STOPWORDS_DIR = Path(__file__).resolve().parent / "stopwords"

_stemmers = threading.local()


def search_config(language_tag: str) -> str:
    """The analysis of a resource's language: a Snowball language for it, en, fr, es, pt, else "simple"."""
    return STEMMED_LANGUAGES.get(language_family(language_tag), SIMPLE)


def fold(text: str) -> str:
    """Lower case without accents, for comparisons that ignore both (titles, labels)."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def words(text: str) -> list[str]:
    """The words of a text in lower case, split as the engines split them (letters and digits)."""
    return WORD_RE.findall(unicodedata.normalize("NFC", text).lower())


@cache
def stopwords(config: str) -> frozenset[str]:
    """PostgreSQL's stop words of a Snowball language (the Snowball project's lists); none for "simple"."""
    if config == SIMPLE:
        return frozenset()
    lines = (STOPWORDS_DIR / f"{config}.stop").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip())


def _stemmer(config: str):
    # Snowball stemmers keep state while stemming: one per thread.
    cached = _stemmers.__dict__.setdefault("by_config", {})
    if config not in cached:
        cached[config] = snowballstemmer.stemmer(config)
    return cached[config]


@lru_cache(maxsize=200_000)
def stem(word: str, config: str) -> str:
    """The stem of a lower-case word in a Snowball language ("musei" → "muse"); the word itself for "simple"."""
    if config == SIMPLE:
        return word
    return _stemmer(config).stemWord(word)


def terms(words_: list[str], config: str) -> list[str]:
    """The indexed terms of words in a configuration: stop words dropped, the rest stemmed."""
    stop = stopwords(config)
    return [stem(word, config) for word in words_ if word not in stop]


def index_text(text: str, config: str) -> str:
    """A text as the space-separated terms an FTS5 column stores for it."""
    return " ".join(terms(words(text), config))
