"""The search box's language: parsing, bounds, and hostile input on the database in use (SQLite or PostgreSQL)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sinergia.core.textsearch.query import (
    MAX_QUERY_CHARS,
    MAX_QUERY_WORDS,
    Term,
    fts5_expression,
    parse_query,
    websearch_text,
)
from sinergia.library.search import SearchFilters, resource_search, resource_search_ids
from sinergia.library.search.fuzzy import edit_distance
from tests import factories

HOSTILE = [
    '"', '""', '"""', "'", "NEAR(", "NEAR(a b, 2)", "*", "a*", ":", "title:museo", "{title}: museo", "&|!",
    "!museo", "museo & arte | (", "(", ")", "^museo", "-", "--", "- -", "-museo", "or", "OR OR", "museo or",
    "AND", "NOT museo", "museo NOT", "\\", "%", "_", "%_%", "\x00", "musei\x00arte", "<->", "a <2> b",
    "museo:*", "museo:A", "';DROP TABLE library_resource;--", "𝔪𝔲𝔰𝔢𝔬", "ⅷ", "ß", "٣", "é" * 300,
    " ".join(["museo"] * 50), "x" * 1000, "\u200b", "\ufeffmuseo", "mu\u0301seo",
    "³³", "①", "÷", "½ ¹",
]


@pytest.mark.parametrize("query", HOSTILE)
@pytest.mark.django_db
def test_hostile_queries_never_fail(query):
    factories.ResourceFactory(title="Museo civico", abstract="Arte e musei.")

    result = resource_search(viewer=AnonymousUser(), query=query, filters=SearchFilters())
    ids = resource_search_ids(viewer=AnonymousUser(), query=query, filters=SearchFilters())

    assert result.total == len(ids)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=60))
def test_any_text_is_a_query(query):
    result = resource_search(viewer=AnonymousUser(), query=query, filters=SearchFilters())

    assert result.total >= 0


def test_parse_query_reads_words_phrases_alternatives_and_exclusions():
    parsed = parse_query('Musei "rete civica" -turismo OR archivi')

    assert parsed.groups == (
        (Term(("musei",)), Term(("rete", "civica")), Term(("turismo",), negated=True)),
        (Term(("archivi",)),),
    )
    assert parsed.positive_words == ["musei", "rete", "civica", "archivi"]


def test_parse_query_reads_other_characters_as_separators_within_a_phrase():
    # As websearch_to_tsquery does: the words of one run of characters without spaces form a phrase.
    assert parse_query("NEAR(museo, arte)*").groups == ((Term(("near", "museo")), Term(("arte",))),)
    assert parse_query("l'arte:museo").groups == ((Term(("l", "arte", "museo")),),)


def test_parse_query_without_a_required_word_is_empty():
    assert parse_query("-museo").is_empty
    assert parse_query("- or & | *").is_empty
    assert parse_query("   ").is_empty


def test_parse_query_is_bounded_in_characters_and_words():
    assert len(parse_query("x" * 1000).text) == MAX_QUERY_CHARS
    assert len(parse_query(" ".join(f"w{n}" for n in range(40))).positive_words) == MAX_QUERY_WORDS


def test_websearch_text_quotes_every_term():
    assert websearch_text(parse_query('musei "rete civica" -or')) == '"musei" "rete civica" -"or"'


def test_fts5_expression_holds_only_strings_and_operators():
    expression = fts5_expression(parse_query('musei NEAR(x) -"rete*"'))

    assert '(("muse" AND "near x") NOT "ret")' in expression
    assert '(("musei" AND "near x") NOT "rete")' in expression
    assert "NEAR(" not in expression and "*" not in expression


def test_fts5_expression_drops_stop_words_per_language():
    expression = fts5_expression(parse_query("the museum"))

    assert '("museum")' in expression
    assert '("the" AND "museum")' in expression


@pytest.mark.parametrize(("a", "b", "distance"), [
    ("museum", "museum", 0), ("musuem", "museum", 1), ("museo", "musei", 1), ("museum", "musem", 1),
    ("ecomusuems", "ecomuseums", 1), ("ecomseuum", "ecomuseum", 2), ("museum", "archive", 3),
])
def test_edit_distance_counts_swaps_as_one_edit(a, b, distance):
    assert edit_distance(a, b, 2) == min(distance, 3)
