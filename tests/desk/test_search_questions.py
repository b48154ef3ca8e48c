"""The knowledge base's search: the same results on both engines, stemmed per language, ranked, highlighted, inert."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sinergia.desk.models import Category, Question
from sinergia.desk.search import VISIBLE, QuestionFilters, index_all_questions, question_search
from tests import factories
from tests.factories import ExpertFactory, QuestionFactory, resolved

pytestmark = pytest.mark.django_db


def _titles(result) -> list[str]:
    return [hit.question.title for hit in result.hits]


@pytest.fixture
def knowledge():
    """Three resolved public questions (Italian, English) and one open one, one private resolved one."""
    siae = resolved(QuestionFactory(title="Licenza SIAE per un concerto in streaming",
                                    body="Trasmettiamo il concerto dal chiostro.", category=Category.COPYRIGHT),
                    "Serve la licenza SIAE per la diffusione in rete.")
    bonus = resolved(QuestionFactory(title="Art Bonus for a museum restoration", language="en",
                                     body="Can donors of our restoration claim the tax credit?",
                                     category=Category.FUNDRAISING), "Yes: the Art Bonus covers restorations.")
    europe = resolved(QuestionFactory(title="Cofinanziamento Europa Creativa", category=Category.FUNDING,
                                      body="Quanto dobbiamo cofinanziare?"), "Il 40% del budget.")
    QuestionFactory(title="Concerto in streaming: biglietti?", category=Category.TICKETING)
    resolved(QuestionFactory(title="Concerti privati e SIAE", private=True))
    return {"siae": siae, "bonus": bonus, "europe": europe}


def test_search_finds_stemmed_italian_words(knowledge):
    assert _titles(question_search(viewer=None, query="concerti streaming")) == [
        "Licenza SIAE per un concerto in streaming"]


def test_search_finds_stemmed_english_words(knowledge):
    assert _titles(question_search(viewer=None, query="restorations donor")) == ["Art Bonus for a museum restoration"]


def test_search_matches_the_accepted_answer(knowledge):
    assert _titles(question_search(viewer=None, query="budget")) == ["Cofinanziamento Europa Creativa"]


def test_search_knowledge_base_leaves_out_open_and_private_questions(knowledge):
    assert question_search(viewer=None, query="concerto").total == 1


def test_search_ranks_title_above_answer(knowledge):
    in_answer = resolved(QuestionFactory(title="Diritti di un festival", body="Nulla."), "Serve una licenza.")
    titles = _titles(question_search(viewer=None, query="licenza"))
    assert titles == ["Licenza SIAE per un concerto in streaming", in_answer.title]


def test_search_highlights_title_and_snippet(knowledge):
    hit = question_search(viewer=None, query="bonus").hits[0]
    assert (str(hit.title_html), "<mark>" in str(hit.snippet)) == (
        "Art <mark>Bonus</mark> for a museum restoration", True)


def test_search_escapes_html_in_snippets():
    resolved(QuestionFactory(title="<b>Bold</b> SIAE question", body="<script>alert(1)</script> siae"), "ok")
    hit = question_search(viewer=None, query="siae").hits[0]
    assert (str(hit.title_html), "<script>" in str(hit.snippet)) == (
        "&lt;b&gt;Bold&lt;/b&gt; <mark>SIAE</mark> question", False)


def test_search_category_facet_and_filter(knowledge):
    result = question_search(viewer=None, query="", filters=QuestionFilters(categories=["funding"]))
    facet = {value.value: (value.count, value.selected) for value in result.facets["category"]}
    assert (_titles(result), facet) == (["Cofinanziamento Europa Creativa"], {"funding": (1, True)})


def test_search_language_facet_counts_the_whole_result(knowledge):
    result = question_search(viewer=None, query="")
    assert {value.value: value.count for value in result.facets["language"]} == {"it": 2, "en": 1}


def test_search_my_languages_filter(knowledge):
    result = question_search(viewer=None, query="", filters=QuestionFilters(my_languages=["en"]))
    assert _titles(result) == ["Art Bonus for a museum restoration"]


def test_search_visible_scope_shows_private_questions_to_experts_only(knowledge):
    expert = factories.UserFactory()
    ExpertFactory(user=expert, category=Category.COPYRIGHT)
    filters = QuestionFilters(scope=VISIBLE)
    found = {name: question_search(viewer=viewer, query="siae", filters=filters).total
             for name, viewer in (("anonymous", None), ("expert", expert))}
    assert found == {"anonymous": 1, "expert": 2}


def test_search_browse_lists_newest_first(knowledge):
    assert _titles(question_search(viewer=None, query="")) == [
        "Cofinanziamento Europa Creativa", "Art Bonus for a museum restoration",
        "Licenza SIAE per un concerto in streaming"]


def test_search_pages(knowledge):
    second = question_search(viewer=None, query="", page=2, page_size=2)
    assert (second.total, _titles(second)) == (3, ["Licenza SIAE per un concerto in streaming"])


def test_index_all_questions_rebuilds_the_index(knowledge):
    Question.objects.filter(pk=knowledge["bonus"].pk).update(title="Sponsorship of a museum")
    assert index_all_questions(batch_size=2) == 5
    assert _titles(question_search(viewer=None, query="sponsorship")) == ["Sponsorship of a museum"]


@pytest.mark.parametrize("query", ['"', "siae AND", "NOT siae", "siae*", "title:siae", "!&|():*", "NEAR(siae)",
                                   "-siae", "' OR 1=1 --"])
def test_search_fts_syntax_is_inert(knowledge, query):
    result = question_search(viewer=None, query=query)
    assert result.total in (0, 1, 3)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=60))
def test_search_never_fails_on_any_text(knowledge, text):
    result = question_search(viewer=None, query=text)
    assert 0 <= result.total <= 3
