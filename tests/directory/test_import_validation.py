"""Validation of one imported row: what is an error, what is a warning, and that nothing else escapes."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sinergia.directory.importers import IMPORT_FIELDS, ImportFailed, RowInvalid, clean_row
from sinergia.directory.importers.kinds import kind_guess
from sinergia.directory.importers.readers import read_csv


def reasons_of(values: dict) -> list[str]:
    with pytest.raises(RowInvalid) as invalid:
        clean_row(values, line=7)
    return invalid.value.reasons


def test_clean_row_keeps_valid_values():
    row = clean_row({"source_id": " 42 ", "name": "  Museo   civico ", "latitude": "44,49", "longitude": "11.34",
                     "website": "www.museo.it", "country": "it", "themes": "Arte| Storia |Arte"}, line=3)
    assert (row.line, row.source_id) == (3, "42")
    assert row.fields == {"name": "Museo civico", "latitude": 44.49, "longitude": 11.34,
                          "website": "http://www.museo.it", "country": "IT"}
    assert row.concepts == {"themes": ["Arte", "Storia"]}
    assert row.warnings == []


@pytest.mark.parametrize("empty", ["", "None", "null", "NULL", "  none  ", None])
def test_none_and_null_literals_are_empty(empty):
    row = clean_row({"name": "Museo", "locality": empty, "latitude": empty, "longitude": empty}, line=2)
    assert (row.fields["locality"], row.fields["latitude"], row.fields["longitude"]) == ("", None, None)


@pytest.mark.parametrize("name", ["", "None", "   "])
def test_missing_name_is_an_error(name):
    assert reasons_of({"name": name}) == ["The name is missing."]


@pytest.mark.parametrize(("lat", "lon"), [("100.0", "100.0"), ("0", "0"), ("0.0", "0.000")])
def test_sentinel_coordinates_are_a_warning_and_no_location(lat, lon):
    row = clean_row({"name": "Museo", "latitude": lat, "longitude": lon}, line=2)
    assert (row.fields["latitude"], row.fields["longitude"]) == (None, None)
    assert row.warnings == [f"The coordinates {lat}, {lon} are a placeholder; imported without a location."]


@pytest.mark.parametrize(
    ("lat", "lon", "reason"),
    [
        ("91", "10", "The coordinates 91, 10 are out of range (latitude −90…90, longitude −180…180)."),
        ("45", "-180.5", "The coordinates 45, -180.5 are out of range (latitude −90…90, longitude −180…180)."),
        ("north", "10", "Latitude “north” is not a number."),
        ("45", "nan", "Longitude “nan” is not a number."),
        ("45", "", "Latitude and longitude must be given together, or both left empty."),
    ],
)
def test_bad_coordinates_are_errors(lat, lon, reason):
    assert reasons_of({"name": "Museo", "latitude": lat, "longitude": lon}) == [reason]


def test_over_long_name_is_an_error():
    assert reasons_of({"name": "M" * 256}) == ["Name is 256 characters long; at most 255 are allowed."]


def test_over_long_optional_value_is_left_empty_with_a_warning():
    row = clean_row({"name": "Museo", "postcode": "Piazzale San Benedetto"}, line=2)
    assert row.fields["postcode"] == ""
    assert row.warnings == ["Postcode is 22 characters long; at most 20 are allowed. It was left empty."]


@pytest.mark.parametrize(
    ("given_url", "kept"),
    [
        ("http://www.museo.it", "http://www.museo.it"),
        (" http://www.museo.it ", "http://www.museo.it"),
        ("www.comune.esempio.it", "http://www.comune.esempio.it"),
        ("http//www.incampania.com", "http://www.incampania.com"),
        ("http://http://www.visit-trieste.it/it", "http://www.visit-trieste.it/it"),
        ("http://www.comune.lanciano.chieti.it:", "http://www.comune.lanciano.chieti.it"),
        ("http://www.a.it; http://www.b.it", "http://www.a.it"),
        ("https://musei.example.org/", "https://musei.example.org/"),
    ],
)
def test_web_addresses_are_repaired_when_the_slip_is_obvious(given_url, kept):
    row = clean_row({"name": "Museo", "website": given_url}, line=2)
    assert (row.fields["website"], row.warnings) == (kept, [])


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "ftp://files.example.org", "http://www. .fiscali.it/x",
                                 "not a url at all"])
def test_bad_web_address_is_left_empty_with_a_warning(bad):
    row = clean_row({"name": "Museo", "website": bad}, line=2)
    assert row.fields["website"] == ""
    assert row.warnings == [f"“{bad}” is not a web address; the website was left empty."]


def test_bad_email_is_left_empty_with_a_warning():
    row = clean_row({"name": "Museo", "email": "info at museo"}, line=2)
    assert (row.fields["email"], row.warnings) == ("", ["“info at museo” is not an e-mail address; the e-mail was left empty."])


@pytest.mark.parametrize(("given_kind", "code"), [("museum", "museum"), ("Heritage site", "heritage_site"),
                                                  ("ECOMUSEUM", "ecomuseum")])
def test_kind_accepts_codes_and_names(given_kind, code):
    assert clean_row({"name": "X", "kind": given_kind}, line=2).fields["kind"] == code


def test_unknown_kind_country_and_language_are_errors():
    assert reasons_of({"name": "X", "kind": "zoo", "country": "Italy", "language": "it_IT!"}) == [
        "“zoo” is not a kind of organisation; use one of: museum, ecomuseum, community_museum, archive, library, "
        "heritage_site, association, public_body, foundation, university, company, freelance.",
        "“Italy” is not a two-letter ISO 3166 country code.",
        "“it_IT!” is not a language tag such as it or pt-BR.",
    ]


def test_every_reason_of_a_row_is_reported_at_once():
    reasons = reasons_of({"name": "", "latitude": "x", "longitude": "200"})
    assert reasons == ["The name is missing.", "Latitude “x” is not a number."]


@pytest.mark.parametrize(
    ("name", "categories", "kind"),
    [
        ("ECOMUSEO DELLA VAL DI SOLE", [], "ecomuseum"),
        ("Museo di comunità di Varano", ["community-museum"], "community_museum"),
        ("MUSEO DIOCESANO", ["religious-building"], "museum"),
        ("Santa Maria Assunta", ["religious-building"], "heritage_site"),
        ("Archivio di Stato di Ancona", [], "archive"),
        ("Biblioteca civica", [], "library"),
        ("CASTELLO DI PRALORMO", [], "heritage_site"),
        ("Collezione Tolone Azzariti", ["other"], "museum"),
        ("Spazio Kappa", [], "museum"),
    ],
)
def test_kind_guess(name, categories, kind):
    assert kind_guess(name=name, categories=categories) == kind


values_strategy = st.dictionaries(
    keys=st.sampled_from([*IMPORT_FIELDS, "unrelated"]),
    values=st.one_of(st.none(), st.text(max_size=300), st.sampled_from(["None", "100.0", "0", "-91", "1e400", "nan",
                                                                        "http//x", "www.x.it", "museum", "IT"])),
)


@settings(max_examples=400, deadline=None)
@given(values=values_strategy, line=st.integers(min_value=1, max_value=10**9))
def test_clean_row_raises_nothing_but_row_invalid(values, line):
    try:
        row = clean_row(values, line=line)
    except RowInvalid as invalid:
        assert invalid.reasons and all(isinstance(reason, str) and reason for reason in invalid.reasons)
        return
    assert row.fields["name"]
    assert all("\x00" not in value for value in row.fields.values() if isinstance(value, str))
    latitude, longitude = row.fields.get("latitude"), row.fields.get("longitude")
    assert (latitude is None) == (longitude is None)
    assert latitude is None or (-90 <= latitude <= 90 and -180 <= longitude <= 180)


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.sampled_from('ab,;\t|"\r\n\x00é '), max_size=200),
       delimiter=st.sampled_from([None, ",", ";"]))
def test_csv_reader_raises_nothing_but_import_failed(text, delimiter):
    try:
        table = read_csv(text, delimiter=delimiter)
    except ImportFailed as failed:
        assert failed.messages
        return
    assert all(record.line >= 2 for record in table.records)
    assert all(set(record.values) <= set(table.columns) for record in table.records)
