"""The shipped thesaurus: its content, the idempotent load, label look-ups, SKOS and CSV export."""

import csv
import io
import json
import re
from collections import Counter

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from sinergia.core.models import Concept
from sinergia.core.thesaurus import (
    THESAURUS_PATH,
    concept_lookup,
    normalise_label,
    thesaurus_csv,
    thesaurus_ensure_loaded,
    thesaurus_load,
    thesaurus_read,
    thesaurus_skos,
)
from tests import factories

LANGUAGES = [code for code, _name in settings.LANGUAGES]
MINISTRY_TYPES = [
    "Museo, galleria non a scopo di lucro e/o raccolta", "Area archeologica", "Altro", "Chiesa o edificio di culto",
    "Architettura fortificata", "Villa o palazzo di interesse storico o artistico", "Monumento",
    "Parco o giardino di interesse storico o artistico", "Architettura civile", "Parco archeologico",
    "Monumento di archeologia industriale", "Monumento funerario", "Biblioteca", "Archivio",
]
MINISTRY_CATEGORIES = ["Arte", "Archeologia", "Storia", "Etnografia e antropologia", "Territoriale",
                       "Storia naturale e scienze naturali", "Scienza e tecnica"]


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English, whatever the site's default language."""
    with translation.override("en"):
        yield


def write_thesaurus(tmp_path, concepts) -> object:
    path = tmp_path / "thesaurus.json"
    path.write_text(json.dumps({"concepts": concepts}), encoding="utf-8")
    return path


def concept_entry(notation: str, scheme: str = "theme", **extra) -> dict:
    labels = {code: f"{notation} {code}" for code in LANGUAGES}
    return {"notation": notation, "scheme": scheme, "labels": labels, **extra}


def test_shipped_thesaurus_has_concepts_in_the_five_schemes():
    schemes = Counter(entry["scheme"] for entry in thesaurus_read())
    assert sum(schemes.values()) >= 140
    assert set(schemes) == {"theme", "audience", "category", "topic", "service"}
    assert min(schemes.values()) >= 10


def test_shipped_thesaurus_labels_every_concept_in_the_five_languages():
    for entry in thesaurus_read():
        assert sorted(entry["labels"]) == sorted(LANGUAGES), entry["notation"]


def test_shipped_labels_do_not_clash_within_a_scheme():
    owners: dict[tuple[str, str], set[str]] = {}
    for entry in thesaurus_read():
        labels = [*entry["labels"].values(), *(a for alts in entry.get("alt_labels", {}).values() for a in alts)]
        for label in labels:
            owners.setdefault((entry["scheme"], normalise_label(label)), set()).add(entry["notation"])
    assert {key: value for key, value in owners.items() if len(value) > 1} == {}


@pytest.mark.django_db
def test_load_creates_every_concept_with_broader_links():
    result = thesaurus_load()
    total = len(thesaurus_read())
    assert (result.created, result.updated, result.unchanged) == (total, 0, 0)
    assert Concept.objects.count() == total
    assert Concept.objects.get(notation="contemporary-art").broader.notation == "art"
    assert Concept.objects.get(notation="archaeological-park").broader.notation == "archaeological-area"
    assert Concept.objects.get(notation="ecomuseum").labels["fr"] == "Écomusée"


@pytest.mark.django_db
def test_load_twice_changes_nothing():
    thesaurus_load()
    result = thesaurus_load()
    assert (result.created, result.updated, result.unchanged) == (0, 0, len(thesaurus_read()))


@pytest.mark.django_db
def test_load_restores_edited_labels_and_keeps_other_concepts():
    thesaurus_load()
    Concept.objects.filter(notation="music").update(labels={"en": "Noise"}, broader=Concept.objects.get(notation="art"))
    mine = factories.ConceptFactory(notation="local-saints", scheme=Concept.Scheme.TOPIC)
    result = thesaurus_load()
    assert (result.created, result.updated) == (0, 1)
    music = Concept.objects.get(notation="music")
    assert (music.labels["en"], music.broader) == ("Music", None)
    assert Concept.objects.filter(pk=mine.pk).exists()


@pytest.mark.django_db
def test_ensure_loaded_loads_only_when_concepts_are_missing():
    assert thesaurus_ensure_loaded().created == len(thesaurus_read())
    assert thesaurus_ensure_loaded() is None


@pytest.mark.parametrize(
    ("concepts", "message"),
    [
        ([concept_entry("Bad Notation")], "lower-case slug"),
        ([concept_entry("art", scheme="colour")], "unknown scheme"),
        ([{"notation": "art", "scheme": "theme", "labels": {"en": "Art"}}], "no label in it, fr, es, pt"),
        ([concept_entry("art"), concept_entry("art")], "appears twice"),
        ([concept_entry("art", broader="missing")], "the broader concept missing does not exist"),
        ([concept_entry("art", broader="kids"), concept_entry("kids", scheme="audience")], "same scheme"),
        ([concept_entry("a", broader="b"), concept_entry("b", broader="a")], "cycle"),
        ([concept_entry("art", alt_labels={"it": "Arte"})], "alt_labels must map languages to lists"),
    ],
)
def test_read_refuses_a_bad_file_with_a_specific_message(tmp_path, concepts, message):
    with pytest.raises(ValidationError) as error:
        thesaurus_read(path=write_thesaurus(tmp_path, concepts))
    assert message in " ".join(error.value.messages)


def test_read_refuses_a_file_that_is_not_json(tmp_path):
    path = tmp_path / "thesaurus.json"
    path.write_text("{concepts: [", encoding="utf-8")
    with pytest.raises(ValidationError, match="not valid UTF-8 JSON"):
        thesaurus_read(path=path)


@pytest.mark.django_db
def test_bad_file_writes_nothing(tmp_path):
    with pytest.raises(ValidationError):
        thesaurus_load(path=write_thesaurus(tmp_path, [concept_entry("fine"), concept_entry("Bad")]))
    assert Concept.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("scheme", "label", "notation"),
    [
        ("category", "Museo, galleria non a scopo di lucro e/o raccolta", "museum-gallery-collection"),
        ("category", "parco o giardino di interesse storico o artistico", "historic-park-garden"),
        ("category", "Teatri storici", "historic-theatre"),
        ("category", "Gallerie", "art-gallery"),
        ("theme", "Territoriale", "territory-landscape"),
        ("theme", "  storia   naturale e scienze naturali ", "natural-history"),
        ("theme", "Ethnographie et anthropologie", "ethnography-anthropology"),
        ("theme", "Património industrial", "industrial-heritage"),
        ("theme", "patrimonio industrial", "industrial-heritage"),
        ("audience", "Escolas", "schools"),
        ("audience", "seniors", "seniors"),
    ],
)
def test_concept_lookup_finds_labels_in_any_language_and_case(scheme, label, notation):
    thesaurus_load()
    assert concept_lookup(scheme=scheme, label=label).notation == notation


@pytest.mark.django_db
def test_concept_lookup_is_limited_to_the_scheme():
    thesaurus_load()
    assert concept_lookup(scheme="theme", label="Biblioteca") is None
    assert concept_lookup(scheme="category", label="Biblioteca").notation == "library"
    assert concept_lookup(scheme="category", label="nothing like this") is None


@pytest.mark.django_db
def test_every_ministry_type_and_category_maps_to_a_concept():
    thesaurus_load()
    assert [label for label in MINISTRY_TYPES if concept_lookup(scheme="category", label=label) is None] == []
    assert [label for label in MINISTRY_CATEGORIES if concept_lookup(scheme="theme", label=label) is None] == []


@pytest.mark.django_db
def test_skos_export_describes_every_concept():
    thesaurus_load()
    turtle = thesaurus_skos(base_iri="https://sinergia.example/thesaurus/")
    assert turtle.startswith("@prefix skos: <http://www.w3.org/2004/02/skos/core#> .")
    assert turtle.count("a skos:Concept ;") == Concept.objects.count()
    assert turtle.count("a skos:ConceptScheme ;") == 5
    block = turtle.split("<https://sinergia.example/thesaurus/contemporary-art>\n", 1)[1].split(" .\n", 1)[0]
    assert "skos:broader <https://sinergia.example/thesaurus/art>" in block
    assert '"Arte contemporanea"@it' in block
    assert '"Arte contemporâneo"@pt' not in block
    assert '"Arte contemporânea"@pt' in block
    assert "skos:inScheme <https://sinergia.example/thesaurus/scheme/theme>" in block


@pytest.mark.django_db
def test_skos_export_escapes_literals():
    factories.ConceptFactory(notation="quoted", labels={"en": 'Say "hi"\\\nnow'})
    turtle = thesaurus_skos(base_iri="https://x.example/")
    assert '"Say \\"hi\\"\\\\\\nnow"@en' in turtle
    # Every statement of a subject ends with ";" or "." at the end of a line.
    assert re.search(r'[^;.,\n]\n<', turtle) is None


@pytest.mark.django_db
def test_csv_export_has_one_row_per_concept_with_labels_by_language():
    thesaurus_load()
    rows = list(csv.DictReader(io.StringIO(thesaurus_csv())))
    assert len(rows) == Concept.objects.count()
    row = next(r for r in rows if r["notation"] == "archaeological-park")
    assert (row["scheme"], row["broader"], row["label_es"], row["label_it"]) == (
        "category", "archaeological-area", "Parque arqueológico", "Parco archeologico")
    seniors = next(r for r in rows if r["notation"] == "seniors")
    assert seniors["alt_labels_en"] == "Older people | Elderly"
    fundraising = next(r for r in rows if r["notation"] == "fundraising")
    assert fundraising["definition_en"] == ("Asking individuals, companies and foundations for support: donations, "
                                            "sponsorship, patronage.")


@pytest.mark.django_db
def test_command_loads_then_reports_unchanged():
    out = io.StringIO()
    call_command("load_thesaurus", stdout=out)
    call_command("load_thesaurus", stdout=out)
    total = len(thesaurus_read())
    assert out.getvalue().splitlines() == [
        f"Thesaurus: {total} created, 0 updated, 0 unchanged.",
        f"Thesaurus: 0 created, 0 updated, {total} unchanged.",
    ]


@pytest.mark.django_db
def test_command_exports_skos_and_csv_to_files(tmp_path):
    call_command("load_thesaurus", stdout=io.StringIO())
    call_command("load_thesaurus", "--export", "skos", "--output", str(tmp_path / "t.ttl"), stdout=io.StringIO())
    call_command("load_thesaurus", "--export", "csv", "--output", str(tmp_path / "t.csv"), stdout=io.StringIO())
    assert (tmp_path / "t.ttl").read_text(encoding="utf-8").count("a skos:Concept ;") == Concept.objects.count()
    assert (tmp_path / "t.csv").read_text(encoding="utf-8").startswith("notation,scheme,broader,label_it")


@pytest.mark.django_db
def test_command_reports_a_bad_file_as_an_error(tmp_path):
    with pytest.raises(CommandError, match="appears twice"):
        call_command("load_thesaurus", "--file", str(write_thesaurus(tmp_path, [concept_entry("x")] * 2)))


def test_shipped_file_is_the_default():
    assert THESAURUS_PATH.name == "thesaurus.json"
    assert THESAURUS_PATH.is_file()
