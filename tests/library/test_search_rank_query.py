"""The query PostgreSQL ranks the matches of several words with: each word's forms in every language, the words
AND'ed; the words it applies to (run on both databases, the tsquery on PostgreSQL only)."""

import pytest
from django.db import connection

from sinergia.core.textsearch.query import parse_query
from sinergia.library.search import postgres, resource_search
from tests import factories

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="tsqueries: PostgreSQL only")


@pytest.mark.parametrize(("query", "words"), [
    ("raccolta fondi musei", ("raccolta", "fondi", "musei")),
    ("museo", ()),  # one word: the query as matched is already one alternative per form
    ('"raccolta fondi" musei', ()),  # a phrase keeps its order only in the query as matched
    ("musei -arte", ()),
    ("musei or archivi", ()),
])
def test_only_queries_of_several_required_words_are_ranked_by_a_query_of_their_own(query, words):
    assert postgres.rank_words(parse_query(query)) == words


@postgresql_only
def test_the_rank_query_ors_each_word_s_forms_and_ands_the_words():
    ranked = postgres._rank_query_text(("raccolta", "fondi", "musei"))

    assert ranked == ("( ( 'raccolt' ) | ( 'raccolta' ) ) & ( ( 'fond' ) | ( 'fondi' ) ) "
                      "& ( ( 'mus' ) | ( 'muse' ) | ( 'musei' ) )")


@postgresql_only
def test_the_rank_query_leaves_out_words_that_some_language_does_not_index():
    assert postgres._rank_query_text(("musei", "della", "città")) == (
        "( ( 'mus' ) | ( 'muse' ) | ( 'musei' ) ) & ( ( 'citt' ) | ( 'città' ) )")
    assert postgres._rank_query_text(("the", "of", "and")) == ""


@postgresql_only
def test_every_resource_the_query_matches_also_matches_its_rank_query():
    italian = factories.ResourceFactory(title="La raccolta di fondi nei piccoli musei", language="it")
    english = factories.ResourceFactory(title="Raccolta fondi musei: an Italian phrase", abstract="", language="en")
    french = factories.ResourceFactory(title="Les musées et la collecte", abstract="", language="fr")
    rank = postgres._rank_query_text(("raccolta", "fondi", "musei"))

    found = resource_search(viewer=None, query="raccolta fondi musei")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM library_resource WHERE search_vector @@ %s::tsquery", [rank])
        ranked = {row[0] for row in cursor.fetchall()}

    assert {hit.resource.pk for hit in found.hits} == {italian.pk, english.pk} <= ranked
    assert french.pk not in ranked
    assert all(hit.rank > 0 for hit in found.hits)
