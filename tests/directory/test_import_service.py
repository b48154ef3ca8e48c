"""import_organisations on small files: formats, mappings, idempotence, all-or-nothing, URLs."""

import http.server
import json
import threading
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied

from sinergia.core.models import Concept
from sinergia.directory.importers import ImportFailed, import_organisations
from sinergia.directory.models import Organisation

pytestmark = pytest.mark.django_db

HEADER = "id,name,municipality,latitude,longitude,website,categories,themes\n"


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


def issues(result, kind: str = "errors") -> list[str]:
    return [str(issue) for issue in getattr(result, kind)]


def test_csv_import_creates_organisations_with_concepts_and_kind(tmp_path):
    path = write(tmp_path, "musei.csv", HEADER + 'a1,Museo civico,Forlì,44.22,12.04,www.museo.it,Museo,"Arte|Storia"\n'
                                                 "a2,Rocca di Ravaldino,Forlì,44.21,12.03,,Architettura fortificata,\n")
    result = import_organisations(location=path)
    assert (result.source, result.created, result.updated, result.unchanged) == ("musei", 2, 0, 0)
    museum = Organisation.objects.get(source="musei", source_id="a1")
    assert (museum.name, museum.slug, museum.kind, museum.website) == (
        "Museo civico", "museo-civico", "museum", "http://www.museo.it")
    assert sorted(museum.themes.values_list("notation", flat=True)) == ["art", "history"]
    assert list(museum.categories.values_list("notation", flat=True)) == ["museum-gallery-collection"]
    fortress = Organisation.objects.get(source_id="a2")
    assert (fortress.kind, fortress.latitude) == ("heritage_site", 44.21)


def test_reimport_is_idempotent_and_updates_what_changed(tmp_path):
    path = write(tmp_path, "musei.csv", HEADER + "a1,Museo civico,Forlì,44.22,12.04,,Museo,Arte\n"
                                                 "a2,Museo del sale,Cervia,44.26,12.35,,,\n")
    import_organisations(location=path, source="romagna")
    again = import_organisations(location=path, source="romagna")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    write(tmp_path, "musei.csv", HEADER + "a1,Museo civico,Forlì,44.22,12.04,,Museo,Storia\n"
                                          "a2,Museo del sale di Cervia,Cervia,44.26,12.35,,,\n"
                                          "a3,Casa Artusi,Forlimpopoli,44.19,12.13,,,\n")
    changed = import_organisations(location=path, source="romagna")
    assert (changed.created, changed.updated, changed.unchanged) == (1, 2, 0)
    assert Organisation.objects.filter(source="romagna").count() == 3
    assert list(Organisation.objects.get(source_id="a1").themes.values_list("notation", flat=True)) == ["history"]
    salt = Organisation.objects.get(source_id="a2")
    assert (salt.name, salt.slug) == ("Museo del sale di Cervia", "museo-del-sale")


def test_same_identifier_in_two_sources_makes_two_organisations(tmp_path):
    path = write(tmp_path, "musei.csv", HEADER + "1,Museo civico,Forlì,44.22,12.04,,,\n")
    import_organisations(location=path, source="one")
    import_organisations(location=path, source="two")
    assert Organisation.objects.filter(source_id="1").count() == 2
    assert sorted(Organisation.objects.values_list("slug", flat=True)) == ["museo-civico", "museo-civico-forli"]


def test_semicolons_bom_crlf_and_multiline_fields_are_read(tmp_path):
    content = ("\ufeffid;name;description;municipality\r\n"
               '7;"Museo ""del"" mare";"Two lines:\r\nboats; nets";Cesenatico\r\n'
               "8;Museo della marineria;;Cesenatico\r\n")
    path = write(tmp_path, "mare.csv", content.encode("utf-8"))
    result = import_organisations(location=path)
    assert (result.created, issues(result)) == (2, [])
    first = Organisation.objects.get(source_id="7")
    assert (first.name, first.description) == ('Museo "del" mare', "Two lines:\r\nboats; nets")


def test_bad_rows_are_reported_with_their_lines_and_nothing_is_written(tmp_path):
    content = (HEADER
               + "b1,Good museum,Roma,41.9,12.5,,,\n"
               + 'b2,"",Roma,41.9,12.5,,,\n'
               + 'b3,"Multi\nline",Roma,95,12.5,,,\n'
               + "b4,Another,Roma,41.9,12.5,,,\n"
               + "b4,Twin,Roma,41.9,12.5,,,\n"
               + "b6,Short row\n")
    result = import_organisations(location=write(tmp_path, "bad.csv", content))
    assert issues(result) == [
        "line 3: The name is missing.",
        "line 4: The coordinates 95, 12.5 are out of range (latitude −90…90, longitude −180…180).",
        "line 6: The identifier “b4” is used more than once in the file (line 6, 7).",
        "line 7: The identifier “b4” is used more than once in the file (line 6, 7).",
        "line 8: The row has 2 values but the header has 8 columns.",
    ]
    assert (result.ok, result.created) == (False, 0)
    assert Organisation.objects.count() == 0


def test_warnings_do_not_block_the_import(tmp_path):
    content = HEADER + "c1,Museo,Albino,100.0,100.0,htp:/bad,Nonexistent type,\n"
    result = import_organisations(location=write(tmp_path, "w.csv", content))
    assert result.created == 1
    assert issues(result, "warnings") == [
        "line 2: “htp:/bad” is not a web address; the website was left empty.",
        "line 2: The coordinates 100.0, 100.0 are a placeholder; imported without a location.",
        "line 2: Categories: “Nonexistent type” is not in the thesaurus; left out.",
    ]
    assert Organisation.objects.get().latitude is None


def test_rows_without_identifier_get_a_stable_one(tmp_path):
    content = "name,municipality,latitude,longitude\nMuseo,Roma,41.9,12.5\nMuseo,Roma,41.9,12.5\nMuseo,Ostia,41.7,12.3\n"
    path = write(tmp_path, "noid.csv", content)
    first = import_organisations(location=path)
    ids = sorted(Organisation.objects.values_list("source_id", flat=True))
    second = import_organisations(location=path)
    assert (first.created, second.created, second.unchanged) == (3, 0, 3)
    assert sorted(Organisation.objects.values_list("source_id", flat=True)) == ids
    assert issues(second, "warnings") == ["line 3: Same name, address and coordinates as line 2; kept as a distinct place."]


def test_mapping_file_maps_columns_and_fixed_values(tmp_path):
    path = write(tmp_path, "x.csv", "codice;denominazione;lat;lng\nX1;Pinacoteca;45.1;9.2\n")
    mapping = write(tmp_path, "m.json", json.dumps({"source_id": "codice", "name": "denominazione", "latitude": "lat",
                                                    "longitude": "lng", "region": {"value": "Lombardia"}}))
    result = import_organisations(location=path, mapping=mapping, source="lombardia")
    org = Organisation.objects.get(source="lombardia", source_id="X1")
    assert (result.created, org.name, org.region, org.longitude) == (1, "Pinacoteca", "Lombardia", 9.2)


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ("{not json", "is not valid JSON"),
        ("[1, 2]", "must be a JSON object from field names to column names"),
        ('{"name": "nome", "colour": "x"}', "The mapping names unknown fields: colour. Known fields: source_id, name"),
        ('{"name": "title"}', "The mapping names columns that are not in the file: title. Columns found: nome, comune."),
        ('{"municipality": "comune"}', "does not say which column holds the name"),
        ('{"name": 3}', "The mapping of “name” must be a column name"),
    ],
)
def test_bad_mapping_is_a_clear_error(tmp_path, mapping, message):
    path = write(tmp_path, "x.csv", "nome,comune\nMuseo,Roma\n")
    with pytest.raises(ImportFailed) as failed:
        import_organisations(location=path, mapping=write(tmp_path, "m.json", mapping))
    assert message in failed.value.messages[0]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        ("nome,comune\nMuseo,Roma\n".encode("latin-1") + b"\xe0\n", "is not UTF-8 text (invalid byte at position"),
        (b"name,,city\nx,y,z\n", "Column 2 of the header has no name."),
        (b"name,name\nx,y\n", "The column “name” appears twice in the header."),
    ],
)
def test_unreadable_file_is_a_clear_error(tmp_path, content, message):
    with pytest.raises(ImportFailed) as failed:
        import_organisations(location=write(tmp_path, "x.csv", content))
    assert message in failed.value.messages[0]


def test_missing_file_and_unknown_format_are_errors(tmp_path):
    with pytest.raises(ImportFailed, match="is not a file"):
        import_organisations(location=tmp_path / "missing.csv")
    with pytest.raises(ImportFailed, match="Unknown format “xml”"):
        import_organisations(location=write(tmp_path, "x.csv", "name\nx\n"), format="xml")


def test_dry_run_counts_without_writing(tmp_path):
    result = import_organisations(location=write(tmp_path, "x.csv", HEADER + "d1,Museo,Roma,41.9,12.5,,Museo,\n"),
                                  dry_run=True)
    assert (result.dry_run, result.created) == (True, 1)
    assert Organisation.objects.count() == 0
    assert Concept.objects.count() == 0


def test_geojson_takes_coordinates_from_point_geometry(tmp_path):
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [11.34, 44.49]},
         "properties": {"id": "g1", "name": "Museo", "categories": ["Musei", "Gallerie"]}},
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": []}, "properties": {"id": "g2", "name": "Park"}},
        {"type": "Feature", "geometry": None, "properties": {"id": "g3", "name": "Archive"}},
    ]
    path = write(tmp_path, "x.geojson", json.dumps({"type": "FeatureCollection", "features": features}))
    result = import_organisations(location=path)
    first = Organisation.objects.get(source_id="g1")
    assert (result.created, first.latitude, first.longitude) == (3, 44.49, 11.34)
    assert sorted(first.categories.values_list("notation", flat=True)) == ["art-gallery", "museum-gallery-collection"]
    assert issues(result, "warnings") == ["feature 2: The geometry is a Polygon, not a Point; imported without a location."]


def test_geojson_bad_features_are_reported_by_number(tmp_path):
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [200, 44]}, "properties": {"name": "A"}},
                "oops"]
    path = write(tmp_path, "x.geojson", json.dumps({"type": "FeatureCollection", "features": features}))
    result = import_organisations(location=path)
    assert issues(result) == [
        "feature 1: The coordinates 44, 200 are out of range (latitude −90…90, longitude −180…180).",
        "feature 2: This is not a GeoJSON Feature.",
    ]


def test_json_that_is_not_a_feature_collection_is_refused(tmp_path):
    with pytest.raises(ImportFailed, match="not a GeoJSON FeatureCollection"):
        import_organisations(location=write(tmp_path, "x.geojson", '{"type": "Feature"}'))


def test_ten_thousand_rows_are_written_in_bulk(tmp_path, django_assert_max_num_queries):
    lines = [f"r{i},Museo {i},Comune {i % 50},{40 + i / 10000},{10 + i / 10000},,Museo,Arte\n" for i in range(10_000)]
    path = write(tmp_path, "big.csv", HEADER + "".join(lines))
    # Batches, not one query per row: SQLite takes at most 999 parameters per statement, ~30 rows per INSERT.
    with django_assert_max_num_queries(450):
        result = import_organisations(location=path)
    assert (result.created, Organisation.objects.count()) == (10_000, 10_000)
    assert Organisation.objects.filter(themes__notation="art").count() == 10_000
    with django_assert_max_num_queries(15):
        assert import_organisations(location=path).unchanged == 10_000


def test_only_operators_may_import_from_the_site(tmp_path, outsider, operator):
    path = write(tmp_path, "x.csv", "name\nMuseo\n")
    with pytest.raises(PermissionDenied):
        import_organisations(location=path, by=outsider)
    assert import_organisations(location=path, by=operator).created == 1


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, dict, bytes]] = {}

    def do_GET(self):
        status, headers, body = self.routes.get(self.path, (404, {}, b"missing"))
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        return None


@pytest.fixture
def web_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_url_is_fetched_and_imported(web_server):
    _Handler.routes = {"/data/musei.csv": (200, {"Content-Type": "text/csv"}, b"id,name\nu1,Museo remoto\n")}
    result = import_organisations(location=f"{web_server}/data/musei.csv")
    assert (result.source, result.created) == ("musei", 1)


def test_url_errors_and_limits_are_clear(web_server, monkeypatch):
    _Handler.routes = {"/big.csv": (200, {}, b"name\n" + b"x\n" * 100),
                       "/to-file": (302, {"Location": "file:///etc/passwd"}, b""),
                       "/to-ftp": (302, {"Location": "ftp://127.0.0.1/x.csv"}, b"")}
    with pytest.raises(ImportFailed, match="answered 404"):
        import_organisations(location=f"{web_server}/nothing.csv")
    with pytest.raises(ImportFailed, match="Redirection to url 'file:///etc/passwd' is not allowed"):
        import_organisations(location=f"{web_server}/to-file")
    with pytest.raises(ImportFailed, match=r"redirected to ftp://127\.0\.0\.1/x\.csv, which is not an http or https URL"):
        import_organisations(location=f"{web_server}/to-ftp")
    with pytest.raises(ImportFailed, match="Only http and https URLs can be imported"):
        import_organisations(location="ftp://127.0.0.1/x.csv")
    monkeypatch.setattr("sinergia.directory.importers.sources.MAX_BYTES", 50)
    with pytest.raises(ImportFailed, match="is larger than the limit of 50"):
        import_organisations(location=f"{web_server}/big.csv")


def test_deeply_nested_json_is_refused_cleanly(tmp_path):
    with pytest.raises(ImportFailed, match="The file is not valid JSON"):
        import_organisations(location=write(tmp_path, "x.geojson", "[" * 100_000 + "]" * 100_000))
