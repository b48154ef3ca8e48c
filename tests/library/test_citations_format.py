"""A resource's formatted citation: APA by default (also with the shared APA style file), localised, HTML-safe."""

from pathlib import Path

import pytest
from django.conf import settings
from django.utils.safestring import SafeString

from sinergia.library.citations import citation_format
from sinergia.library.citations.formatted import csl_locale
from sinergia.library.models import Creator, Resource
from tests import factories

pytestmark = pytest.mark.django_db
SHARED_APA = Path(settings.SHARED_DATA_DIR) / "schemas" / "csl" / "apa.csl"


def article(title: str = "Ecomusei e comunità") -> Resource:
    resource = factories.ResourceFactory(
        index=False, kind=Resource.Kind.ARTICLE, title=title, year=2020, month=5, container_title="Museologia",
        volume="3", issue="2", pages="10-20", doi="10.1000/xyz", authors=[("Rossi", "Maria")])
    Creator.objects.create(resource=resource, position=2, organisation_name="ICOM Italia")
    return resource


def chapter() -> Resource:
    resource = factories.ResourceFactory(index=False, kind=Resource.Kind.CHAPTER, title="Il capitolo", year=2011,
                                         publisher="Pendragon", container_title="Il libro", pages="3-9",
                                         authors=[("Rossi", "Maria")])
    Creator.objects.create(resource=resource, position=2, family="Bianchi", given="Luca", role="editor")
    return resource


def test_apa_citation_of_an_article():
    assert citation_format(article(), language="en") == (
        "Rossi, M., &amp; ICOM Italia. (2020). Ecomusei e comunità. <i>Museologia</i>, <i>3</i>(2), 10–20. "
        "https://doi.org/10.1000/xyz")


def test_apa_citation_of_a_chapter_in_italian_and_english():
    resource = chapter()
    assert citation_format(resource, language="en") == (
        "Rossi, M. (2011). Il capitolo. In L. Bianchi (ed.), <i>Il libro</i> (pp. 3–9). Pendragon.")
    assert citation_format(resource, language="it") == (
        "Rossi, M. (2011). Il capitolo. In L. Bianchi (a c. di), <i>Il libro</i> (pp. 3–9). Pendragon.")


@pytest.mark.skipif(not SHARED_APA.is_file(), reason=f"shared APA style not found at {SHARED_APA}")
def test_shared_apa_style_file_gives_the_same_citation():
    resource = article()
    assert citation_format(resource, style=SHARED_APA, language="en") == citation_format(resource, language="en")


def test_citation_is_safe_html_whatever_the_title():
    citation = citation_format(article('Musei & <script>alert("x")</script> <b>fondi</b>'), language="en")
    assert isinstance(citation, SafeString)
    assert citation == (
        "Rossi, M., &amp; ICOM Italia. (2020). Musei &amp; &lt;script&gt;alert(\"x\")&lt;/script&gt; "
        "&lt;b&gt;fondi&lt;/b&gt;. <i>Museologia</i>, <i>3</i>(2), 10–20. https://doi.org/10.1000/xyz")


def test_citation_takes_the_interface_language_by_default(settings):
    from django.utils import translation

    with translation.override("it"):
        assert "(a c. di)" in citation_format(chapter())


def test_other_styles_by_name():
    assert citation_format(article(), style="chicago-author-date", language="en") == (
        "Rossi, M., and ICOM Italia. 2020. “Ecomusei e comunità”. <i>Museologia</i> 3 (2): 10–20. "
        "https://doi.org/10.1000/xyz.")


def test_unknown_style_falls_back_to_a_plain_citation():
    assert citation_format(article(), style="../../etc/passwd", language="en") == (
        "Rossi, Maria; ICOM Italia (2020). Ecomusei e comunità.")


@pytest.mark.parametrize(("language", "locale"), [("it", "it-IT"), ("pt", "pt-PT"), ("pt-BR", "pt-BR"),
                                                  ("en", "en-US"), ("fr-CA", "fr-CA"), ("xx", "en-US"),
                                                  (None, "en-US"), ("es_MX", "es-MX")])
def test_csl_locale_of_a_language(language, locale):
    assert csl_locale(language) == locale
