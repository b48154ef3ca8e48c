"""The two real data sets of ../shared/data: the Ministry's DBUnico register and Bologna's museums."""

from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from sinergia.core.models import Concept
from sinergia.directory.importers import import_organisations
from sinergia.directory.models import Organisation

pytestmark = pytest.mark.django_db

MUSEUMS = Path(str(settings.SHARED_DATA_DIR)) / "museums"
DBUNICO = MUSEUMS / "museums-it-mibact-dbunico-2014"
BOLOGNA = MUSEUMS / "museums-it-bologna" / "musei.geojson"
needs_data = pytest.mark.skipif(not MUSEUMS.is_dir(), reason=f"the shared data folder {MUSEUMS} is absent")


@pytest.fixture(scope="module")
def dbunico_result(django_db_setup, django_db_blocker):
    """The register imported once for the module (about two seconds), removed afterwards."""
    if not DBUNICO.is_dir():
        pytest.skip(f"the shared data folder {DBUNICO} is absent")
    with django_db_blocker.unblock(), translation.override("en"):
        concepts_before = set(Concept.objects.values_list("pk", flat=True))
        result = import_organisations(location=DBUNICO, format="dbunico")
        yield result
        Organisation.objects.filter(source=result.source).delete()
        Concept.objects.exclude(pk__in=concepts_before).delete()


@needs_data
def test_dbunico_imports_every_place(dbunico_result):
    assert (dbunico_result.ok, dbunico_result.created, dbunico_result.updated) == (True, 5757, 0)
    assert Organisation.objects.filter(source="mibact-dbunico").count() == 5757


@needs_data
def test_dbunico_sentinel_coordinates_become_missing_locations_with_warnings(dbunico_result):
    placeholders = [w for w in dbunico_result.warnings if "are a placeholder" in w.message]
    assert len(placeholders) == 101
    assert Organisation.objects.filter(source="mibact-dbunico", latitude__isnull=True).count() == 101
    albino = Organisation.objects.get(source="mibact-dbunico", name="Museo Etnografico della Torre")
    assert (albino.latitude, albino.longitude, albino.municipality) == (None, None, "Albino")


@needs_data
def test_dbunico_joins_codes_regions_types_and_categories(dbunico_result):
    canosa = Organisation.objects.get(source="mibact-dbunico", source_id="100040")
    assert (canosa.name, canosa.region, canosa.locality, canosa.postcode) == (
        "MUSEO DELLA GUERRA PER LA PACE", "Abruzzo", "PALAZZO", "66010")
    assert list(canosa.categories.values_list("notation", flat=True)) == ["monument"]
    assert list(canosa.themes.values_list("notation", flat=True)) == ["science-technology"]
    bomba = Organisation.objects.get(source="mibact-dbunico", source_id="100038")
    assert (bomba.locality, bomba.website) == ("", "http://www.museoetnograficobomba.it")
    assert not Organisation.objects.filter(source="mibact-dbunico", region="").exists()


@needs_data
def test_dbunico_ambiguous_addresses_get_derived_identifiers(dbunico_result):
    derived = Organisation.objects.filter(source="mibact-dbunico", source_id__startswith="h-")
    assert derived.count() == 333
    lanciano = set(derived.filter(municipality="Lanciano").values_list("name", flat=True))
    assert {"CATTEDRALE DI SANTA MARIA DEL PONTE", "CHIESA E CONVENTO DI SAN FRANCESCO (MIRACOLO EUCARISTICO)"} <= lanciano
    assert len(ambiguous := [w for w in dbunico_result.warnings if "DBUnico codes" in w.message]) == 333
    assert ambiguous[0].message == ("The address matches the DBUnico codes 110819, 110820, shared with other places; "
                                    "the identifier was derived from name, address and coordinates.")


@needs_data
def test_dbunico_duplicate_names_are_kept_as_distinct_places(dbunico_result):
    pralormo = Organisation.objects.filter(source="mibact-dbunico", name="CASTELLO DI PRALORMO")
    assert pralormo.count() == 2
    assert len(set(pralormo.values_list("slug", flat=True))) == 2
    reggio = Organisation.objects.filter(source="mibact-dbunico", name="Piccolo Museo S. Paolo")
    assert reggio.count() == 2


@needs_data
def test_dbunico_kinds_come_from_names_and_types(dbunico_result):
    kinds = Counter(Organisation.objects.filter(source="mibact-dbunico").values_list("kind", flat=True))
    assert kinds["ecomuseum"] == 69
    assert set(kinds) == {"museum", "heritage_site", "ecomuseum", "archive", "library"}
    assert Organisation.objects.get(source="mibact-dbunico", source_id="20762").kind == "heritage_site"


@needs_data
def test_dbunico_reimport_changes_nothing(dbunico_result):
    again = import_organisations(location=DBUNICO, format="dbunico")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5757)
    assert Organisation.objects.filter(source="mibact-dbunico").count() == 5757


@needs_data
def test_dbunico_accepts_the_named_file_with_its_siblings(dbunico_result):
    named = DBUNICO / "luoghicultura_named_2014-08-07.csv"
    result = import_organisations(location=named, format="dbunico", dry_run=True)
    assert (result.source, result.created, result.unchanged) == ("mibact-dbunico", 0, 5757)


@needs_data
def test_bologna_geojson_uses_geometry_order_and_keeps_mojibake():
    result = import_organisations(location=BOLOGNA)
    assert (result.source, result.created, result.warnings, result.errors) == ("comune-bologna-musei", 120, [], [])
    imported = Organisation.objects.filter(source="comune-bologna-musei")
    assert imported.filter(latitude__range=(44.3, 44.7), longitude__range=(11.1, 11.6)).count() == 120
    verzura = imported.get(name="Teatrino della Verzura")
    assert (verzura.latitude, verzura.longitude, verzura.kind, verzura.municipality) == (
        44.548055, 11.36554, "heritage_site", "Bologna")
    assert list(verzura.categories.values_list("notation", flat=True)) == ["historic-theatre"]
    assert imported.filter(address="Via de'\x80\x99 Pepoli, 6/E - 40125 Bologna").count() == 1
    categories = Counter(imported.values_list("categories__notation", flat=True))
    assert categories == {"museum-gallery-collection": 56, "art-gallery": 56, "historic-theatre": 8}


@needs_data
def test_bologna_reimport_is_idempotent():
    import_organisations(location=BOLOGNA)
    again = import_organisations(location=BOLOGNA)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 120)
