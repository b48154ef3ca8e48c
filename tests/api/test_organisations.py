"""Read endpoints of organisations: list, filters (as on the directory page), pagination, detail, GeoJSON."""

import pytest
from django.urls import reverse
from django.utils.translation import override

from sinergia.core.models import Concept
from sinergia.directory.models import Organisation
from tests import factories
from tests.api.conftest import bearer


@pytest.fixture
def art(db):
    return factories.ConceptFactory(notation="art", labels={"en": "Art", "it": "Arte"})


@pytest.fixture
def families(db):
    return factories.ConceptFactory(notation="families", scheme=Concept.Scheme.AUDIENCE,
                                    labels={"en": "Families", "it": "Famiglie"})


@pytest.fixture
def directory(art, families):
    """Organisations that differ by each filter of the directory."""
    orgs = {
        "bologna": factories.OrganisationFactory(name="Museo della Musica", slug="museo-della-musica"),
        "ferrara": factories.OrganisationFactory(name="Archivio di Ferrara", slug="archivio-ferrara",
                                                 kind="archive", province="Ferrara", municipality="Ferrara"),
        "firenze": factories.OrganisationFactory(name="Museo di Firenze", slug="museo-firenze", region="Toscana",
                                                 province="Firenze", municipality="Firenze"),
        "lyon": factories.OrganisationFactory(name="Musée de Lyon", slug="musee-lyon", country="FR",
                                              region="Auvergne-Rhône-Alpes", province="Rhône", municipality="Lyon",
                                              latitude=None, longitude=None),
        "hidden": factories.OrganisationFactory(name="Museo chiuso", slug="museo-chiuso", is_active=False),
    }
    network = factories.NetworkFactory(slug="rete-po", founded_by=orgs["bologna"])
    orgs["bologna"].themes.add(art)
    orgs["firenze"].themes.add(art)
    orgs["ferrara"].audiences.add(families)
    factories.MembershipFactory(network=network, organisation=orgs["ferrara"])
    factories.MembershipFactory(network=network, organisation=orgs["firenze"], applied=True)
    return orgs


def slugs(response) -> list[str]:
    return [item["slug"] for item in response.json()["items"]]


@pytest.mark.parametrize(("query", "expected"), [
    ("", ["archivio-ferrara", "musee-lyon", "museo-della-musica", "museo-firenze"]),
    ("q=ferrara", ["archivio-ferrara"]),
    ("q=museo+firenze", ["museo-firenze"]),
    ("kind=archive", ["archivio-ferrara"]),
    ("kind=", ["archivio-ferrara", "musee-lyon", "museo-della-musica", "museo-firenze"]),
    ("region=toscana", ["museo-firenze"]),
    ("province=Ferrara", ["archivio-ferrara"]),
    ("country=FR", ["musee-lyon"]),
    ("theme=art", ["museo-della-musica", "museo-firenze"]),
    ("audience=families", ["archivio-ferrara"]),
    ("network=rete-po", ["archivio-ferrara"]),
    ("region=Emilia-Romagna&theme=art", ["museo-della-musica"]),
    ("theme=no-such-theme", []),
])
def test_organisation_list_filters_match_the_directory_page(client, directory, query, expected):
    response = client.get(f"/api/organisations?{query}")
    page = client.get(f"{reverse('directory:list')}?{query}")
    assert slugs(response) == [org.slug for org in page.context["page"].object_list]
    assert sorted(slugs(response)) == expected
    assert response.json()["count"] == page.context["page"].paginator.count


def test_organisation_list_country_is_case_insensitive(client, directory):
    assert slugs(client.get("/api/organisations?country=fr")) == ["musee-lyon"]


def test_organisation_list_item(client, directory):
    item = client.get("/api/organisations?theme=art&region=Toscana").json()["items"][0]
    assert item == {
        "slug": "museo-firenze", "name": "Museo di Firenze", "url": "http://testserver/en/organisations/museo-firenze/",
        "kind": "museum", "kind_label": "Museum",
        "municipality": "Firenze", "province": "Firenze", "region": "Toscana", "country": "IT",
        "latitude": 44.4949, "longitude": 11.3426, "website": "", "themes": [{"notation": "art", "label": "Art"}],
    }


def test_organisation_list_labels_follow_the_language(client, directory):
    item = client.get("/api/organisations?theme=art&region=Toscana&lang=it").json()["items"][0]
    with override("it"):
        museum = str(Organisation.Kind.MUSEUM.label)
    assert (item["kind_label"], item["themes"]) == (museum, [{"notation": "art", "label": "Arte"}])
    assert item["url"] == "http://testserver/it/organisations/museo-firenze/"


@pytest.mark.parametrize("query", ["kind=castle", "country=ITA", "theme=Not a slug", "page_size=101", "page_size=0",
                                   "page=0", "page=abc", f"q={'x' * 201}"])
def test_organisation_list_with_bad_parameters_is_a_422(client, directory, query):
    response = client.get(f"/api/organisations?{query}")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][0] == "query"


def test_organisation_list_paginates_with_links(client, db):
    factories.OrganisationFactory.create_batch(25)
    first = client.get("/api/organisations?page_size=10&kind=museum").json()
    second = client.get(first["next"]).json()
    last = client.get(second["next"]).json()
    assert (first["count"], len(first["items"]), len(second["items"]), len(last["items"])) == (25, 10, 10, 5)
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/organisations?page_size=10&kind=museum&page=2"
    assert second["previous"] == "http://testserver/api/organisations?page_size=10&kind=museum&page=1"
    assert last["next"] is None
    seen = [item["slug"] for page in (first, second, last) for item in page["items"]]
    assert len(set(seen)) == 25


def test_organisation_list_past_the_last_page_is_empty(client, directory):
    data = client.get("/api/organisations?page=9").json()
    assert (data["count"], data["items"], data["next"]) == (4, [], None)


def test_organisation_list_default_page_size_is_the_sites(client, db, settings):
    factories.OrganisationFactory.create_batch(settings.PAGE_SIZE + 1)
    assert len(client.get("/api/organisations").json()["items"]) == settings.PAGE_SIZE


def test_organisation_list_queries_do_not_grow_with_rows(client, art, django_assert_max_num_queries):
    for org in factories.OrganisationFactory.create_batch(40):
        org.themes.add(art, factories.ConceptFactory())
    with django_assert_max_num_queries(15):
        response = client.get("/api/organisations?page_size=40")
    assert len(response.json()["items"]) == 40


def test_organisation_detail(client, directory, families):
    data = client.get("/api/organisations/archivio-ferrara").json()
    assert (data["slug"], data["name"], data["kind"]) == ("archivio-ferrara", "Archivio di Ferrara", "archive")
    assert data["audiences"] == [{"notation": "families", "label": "Families"}]
    assert data["networks"] == [{"network": {"slug": "rete-po", "name": directory["ferrara"].network_memberships
                                             .get().network.name, "url": "http://testserver/en/networks/rete-po/"},
                                 "role": "member"}]


def test_organisation_detail_hides_applications(client, directory):
    assert client.get("/api/organisations/museo-firenze").json()["networks"] == []


@pytest.mark.parametrize("slug", ["no-such-museum", "museo-chiuso"])
def test_organisation_detail_unknown_or_unlisted_is_a_404(client, directory, slug):
    response = client.get(f"/api/organisations/{slug}")
    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})


def test_organisation_detail_unlisted_is_visible_to_operators(client, directory, operator):
    assert client.get("/api/organisations/museo-chiuso", **bearer(operator)).status_code == 200


def test_unlisted_organisation_is_not_listed_even_to_operators(client, directory, operator):
    assert "museo-chiuso" not in slugs(client.get("/api/organisations", **bearer(operator)))


def test_organisation_geojson_has_the_located_filtered_organisations(client, directory):
    response = client.get("/api/organisations.geojson?region=Emilia-Romagna")
    data = response.json()
    assert response["Content-Type"] == "application/geo+json"
    assert data["type"] == "FeatureCollection"
    assert sorted(f["properties"]["name"] for f in data["features"]) == ["Archivio di Ferrara", "Museo della Musica"]
    feature = next(f for f in data["features"] if f["properties"]["name"] == "Museo della Musica")
    assert feature["geometry"] == {"type": "Point", "coordinates": [11.3426, 44.4949]}
    assert feature["properties"]["url"] == "http://testserver/en/organisations/museo-della-musica/"


def test_organisation_geojson_matches_the_map_page(client, directory):
    api = client.get("/api/organisations.geojson?theme=art").json()
    page = client.get(f"{reverse('directory:geojson')}?theme=art").json()
    assert sorted(f["properties"]["name"] for f in api["features"]) == sorted(
        f["properties"]["name"] for f in page["features"])


def test_organisation_geojson_queries_do_not_grow_with_rows(client, db, django_assert_max_num_queries):
    factories.OrganisationFactory.create_batch(40)
    with django_assert_max_num_queries(3):
        response = client.get("/api/organisations.geojson")
    assert len(response.json()["features"]) == 40
