"""The Python analysis that stands in for PostgreSQL's on SQLite: Snowball's C stemmers, PostgreSQL's stems."""

import threading

import pytest
import Stemmer

from sinergia.core.textsearch import analysis


def test_stems_come_from_snowballs_c_stemmers_not_the_pure_python_ones():
    # requirements.txt installs PyStemmer; without it snowballstemmer falls back to stemmers ~20 times slower.
    assert all(isinstance(analysis._stemmer(config), Stemmer.Stemmer) for config in analysis.STEMMED_LANGUAGES.values())


@pytest.mark.parametrize(("word", "config", "stemmed"), [
    ("musei", "italian", "muse"), ("museums", "english", "museum"), ("écomusées", "french", "écomus"),
    ("voluntarios", "spanish", "voluntari"), ("comunitários", "portuguese", "comunitári"), ("musei", "simple", "musei"),
])
def test_words_stem_as_postgresqls_snowball_configurations_stem_them(word, config, stemmed):
    assert analysis.stem(word, config) == stemmed


def test_each_thread_has_its_own_stemmers():
    # A stemmer object keeps state while it stems, so threads must not share one.
    other = []
    thread = threading.Thread(target=lambda: other.append(analysis._stemmer("italian")))
    thread.start()
    thread.join()
    assert other[0] is not analysis._stemmer("italian")
