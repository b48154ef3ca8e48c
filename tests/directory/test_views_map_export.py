"""The map page, its GeoJSON feed, and the CSV / GeoJSON exports of any filter."""

import csv
import io
import json

import pytest

from sinergia.directory.selectors import EXPORT_COLUMNS
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(db):
    history = factories.ConceptFactory(notation="history")
    first = factories.OrganisationFactory(name="Museo Ça ira", slug="museo-ca-ira", source="mibact", source_id="101",
                                          languages=["it", "fr"], description='Line one\nline "two", three')
    second = factories.OrganisationFactory(name="Archivio", slug="archivio", region="Piemonte", province="Torino",
                                           latitude=45.07, longitude=7.69)
    factories.OrganisationFactory(name="Senza luogo", slug="senza-luogo", latitude=None, longitude=None)
    first.themes.set([history])
    return first, second


def test_map_page_has_the_map_element_of_the_contract(client, three, settings):
    response = client.get("/en/organisations/map/", {"region": "Piemonte"})

    content = response.content.decode()
    assert response.status_code == 200
    assert 'class="map js-map"' in content
    assert 'data-geojson-url="/en/organisations/geojson/?region=Piemonte"' in content
    assert f'data-tile-url="{settings.MAP_TILE_URL}"' in content
    assert "data-tile-attribution=" in content
    assert "/static/vendor/leaflet.markercluster/leaflet.markercluster.js" in content
    assert "/static/js/map.js" in content
    assert 'href="/en/organisations/?region=Piemonte">See these organisations as a list</a>' in content


def test_geojson_feed_is_a_feature_collection_in_lon_lat_order(client, three):
    response = client.get("/en/organisations/geojson/", {"region": "Piemonte"})

    assert response["Content-Type"] == "application/geo+json"
    assert json.loads(response.content) == {"type": "FeatureCollection", "features": [{
        "type": "Feature", "geometry": {"type": "Point", "coordinates": [7.69, 45.07]},
        "properties": {"name": "Archivio", "url": "/en/organisations/archivio/", "kind": "Museum",
                       "municipality": "Bologna"}}]}


def test_geojson_feed_of_many_organisations_takes_few_queries(client, django_assert_max_num_queries):
    factories.OrganisationFactory.create_batch(150)
    with django_assert_max_num_queries(3):
        response = client.get("/en/organisations/geojson/")
    assert len(json.loads(response.content)["features"]) == 150


def read_csv(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_export_is_streamed_with_one_row_per_organisation(client, three):
    response = client.get("/en/organisations/export/", {"format": "csv"})

    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="sinergia-organisations.csv"'
    rows = read_csv(response)
    assert [row["name"] for row in rows] == ["Archivio", "Museo Ça ira", "Senza luogo"]
    assert list(rows[0]) == list(EXPORT_COLUMNS)


def test_csv_export_keeps_identifiers_text_and_concepts(client, three):
    [row] = read_csv(client.get("/en/organisations/export/", {"format": "csv", "theme": "history"}))

    assert {key: row[key] for key in ("source", "source_id", "slug", "languages", "themes", "description",
                                      "latitude", "longitude", "url")} == {
        "source": "mibact", "source_id": "101", "slug": "museo-ca-ira", "languages": "it|fr", "themes": "history",
        "description": 'Line one\nline "two", three', "latitude": "44.4949", "longitude": "11.3426",
        "url": "http://testserver/en/organisations/museo-ca-ira/"}


def test_csv_export_uses_commas_not_semicolons(client, three):
    text = b"".join(client.get("/en/organisations/export/").streaming_content).decode("utf-8")
    assert text.splitlines()[0] == ",".join(EXPORT_COLUMNS)


def test_csv_export_of_many_organisations_takes_few_queries(client, django_assert_max_num_queries):
    for organisation in factories.OrganisationFactory.create_batch(60):
        organisation.themes.set([factories.ConceptFactory(notation="history")])
    response = client.get("/en/organisations/export/", {"format": "csv"})
    with django_assert_max_num_queries(5):
        rows = read_csv(response)
    assert len(rows) == 60
    assert {row["themes"] for row in rows} == {"history"}


def test_geojson_export_is_a_download_with_identifiers(client, three):
    response = client.get("/en/organisations/export/", {"format": "geojson", "region": "Emilia-Romagna"})

    assert response["Content-Disposition"] == 'attachment; filename="sinergia-organisations.geojson"'
    data = json.loads(response.content)
    [feature] = [f for f in data["features"] if f["properties"]["slug"] == "museo-ca-ira"]
    assert feature["geometry"]["coordinates"] == [11.3426, 44.4949]
    assert (feature["properties"]["source"], feature["properties"]["source_id"]) == ("mibact", "101")
    assert len(data["features"]) == 1


def test_export_refuses_an_unknown_format(client, three):
    response = client.get("/en/organisations/export/", {"format": "xlsx"})

    assert response.status_code == 400
    assert response.content.decode() == "Unknown export format: choose csv or geojson."
