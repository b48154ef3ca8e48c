"""The directory list: filters, htmx partial, pagination, facets, export links, query count."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from sinergia.core.models import Concept
from sinergia.directory.models import Organisation
from tests import factories

pytestmark = pytest.mark.django_db
URL = "/en/organisations/"


@pytest.fixture
def forty(db):
    """Forty organisations with two themes and an audience each, in two regions, half in a network."""
    themes = [factories.ConceptFactory(notation=f"theme-{n}") for n in range(3)]
    audience = factories.ConceptFactory(notation="families", scheme=Concept.Scheme.AUDIENCE)
    network = factories.NetworkFactory(slug="rete", founded_by=None)
    organisations = []
    for n in range(40):
        organisation = factories.OrganisationFactory(
            name=f"Museo {n:02d}", region="Piemonte" if n % 2 else "Emilia-Romagna",
            province="Torino" if n % 2 else "Bologna")
        organisation.themes.set(themes[n % 2:n % 2 + 2])
        organisation.audiences.set([audience])
        if n % 4 == 0:
            factories.MembershipFactory(network=network, organisation=organisation)
        organisations.append(organisation)
    return organisations


def test_list_shows_the_first_page_and_the_count(client, forty, settings):
    response = client.get(URL)

    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1 class=\"mb-0\">Directory of organisations</h1>" in content
    assert "40 organisations" in content
    assert [o.name for o in response.context["page"].object_list] == [f"Museo {n:02d}" for n in range(24)]
    assert "Page 1 of 2" in content


def test_list_filters_by_region_and_theme(client, forty):
    response = client.get(URL, {"region": "Piemonte", "theme": "theme-2"})

    names = [o.name for o in response.context["page"].object_list]
    assert names == [f"Museo {n:02d}" for n in range(1, 40, 2)]
    assert "20 organisations" in response.content.decode()


def test_list_filters_by_network_and_free_text(client, forty):
    response = client.get(URL, {"network": "rete", "q": "museo 1"})

    assert [o.name for o in response.context["page"].object_list] == ["Museo 12", "Museo 16"]


def test_list_second_page_keeps_the_filters_in_its_links(client, forty):
    response = client.get(URL, {"audience": "families", "page": 2})

    assert [o.name for o in response.context["page"].object_list] == [f"Museo {n:02d}" for n in range(24, 40)]
    assert 'href="?audience=families&amp;page=1"' in response.content.decode()


def test_list_offers_facets_and_keeps_the_chosen_values(client, forty):
    content = client.get(URL, {"region": "Piemonte"}).content.decode()

    assert '<option selected>Piemonte</option>' in content
    assert '<option>Emilia-Romagna</option>' in content
    assert '<optgroup label="Piemonte">' in content
    assert '<option value="museum">Museum</option>' in content
    assert '<option value="theme-0">Theme 0</option>' in content


def test_list_links_the_exports_and_the_map_of_the_same_filter(client, forty):
    content = client.get(URL, {"region": "Piemonte", "theme": "theme-1"}).content.decode()

    assert 'href="/en/organisations/export/?format=csv&amp;region=Piemonte&amp;theme=theme-1"' in content
    assert 'href="/en/organisations/export/?format=geojson&amp;region=Piemonte&amp;theme=theme-1"' in content
    assert 'href="/en/organisations/map/?region=Piemonte&amp;theme=theme-1"' in content


def test_list_form_works_live_with_htmx(client, forty):
    content = client.get(URL).content.decode()

    assert 'hx-get="/en/organisations/"' in content
    assert 'hx-target="#directory-results"' in content
    assert 'hx-push-url="true"' in content
    assert '<div id="directory-results" aria-live="polite">' in content


def test_htmx_request_gets_only_the_results(client, forty):
    response = client.get(URL, {"region": "Piemonte"}, headers={"HX-Request": "true", "HX-Target": "directory-results"})

    content = response.content.decode()
    assert "<html" not in content
    assert "<form" not in content
    assert "20 organisations" in content
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_whole_page(client, forty):
    response = client.get(URL, headers={"HX-Request": "true", "HX-Target": "directory-results",
                                        "HX-History-Restore-Request": "true"})
    assert "<html" in response.content.decode()


def test_list_ignores_a_filter_too_long_and_says_when_nothing_matches(client, forty):
    response = client.get(URL, {"q": "x" * 500, "kind": "castle"})

    assert response.status_code == 200
    assert "No organisation matches these filters." in response.content.decode()


def test_list_hides_unlisted_organisations(client, db):
    factories.OrganisationFactory(name="Museo nascosto", is_active=False)
    assert "Museo nascosto" not in client.get(URL).content.decode()


@pytest.mark.parametrize("signed_in", [False, True])
def test_list_stays_within_fifteen_queries(client, forty, signed_in, django_assert_max_num_queries):
    if signed_in:
        user = factories.UserFactory()
        factories.OrganisationMemberFactory(organisation=forty[0], user=user)
        client.force_login(user)

    with django_assert_max_num_queries(15):
        response = client.get(URL, {"theme": "theme-1"})

    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 24


def test_list_query_count_does_not_grow_with_the_data(client, forty, django_assert_max_num_queries):
    with django_assert_max_num_queries(10) as small:
        client.get(URL)
    for organisation in factories.OrganisationFactory.create_batch(30):
        organisation.themes.set(Concept.objects.all())
    cache.clear()  # measure the facets' queries again, not the cached copy
    with django_assert_max_num_queries(10) as large:
        client.get(URL)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_reverse_of_the_list_is_under_the_language_prefix():
    assert reverse("directory:list") == URL
    assert Organisation.Kind.MUSEUM.label == "Museum"
