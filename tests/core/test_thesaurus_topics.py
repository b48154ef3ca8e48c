"""The topics of the shipped thesaurus: museology and ecomuseology in five languages, with a hierarchy."""

from collections import Counter

import pytest
from django.conf import settings

from sinergia.core.thesaurus import concept_lookup, thesaurus_load, thesaurus_read

LANGUAGES = [code for code, _name in settings.LANGUAGES]
REQUIRED = [
    "Governance", "Fundraising", "Crowdfunding", "Art Bonus", "Copyright", "Streaming", "Ticketing",
    "Digital innovation", "Community engagement", "Landscape", "Intangible heritage", "Education", "Accessibility",
    "Sustainability", "Volunteering", "Public–private partnership", "Local development", "Ecomuseums",
    "Parish maps", "Heritage communities", "Museum networks", "Audience development",
]


def topics() -> list[dict]:
    return [entry for entry in thesaurus_read() if entry["scheme"] == "topic"]


def test_shipped_thesaurus_has_at_least_eighty_topics():
    assert len(topics()) >= 80


def test_every_required_topic_is_there_by_its_english_label():
    english = Counter(entry["labels"]["en"] for entry in topics())
    assert {label: english[label] for label in REQUIRED} == dict.fromkeys(REQUIRED, 1)


def test_every_topic_has_labels_and_a_definition_in_the_five_languages():
    incomplete = [entry["notation"] for entry in topics()
                  if sorted(entry["labels"]) != sorted(LANGUAGES) or sorted(entry["definition"]) != sorted(LANGUAGES)]
    assert incomplete == []


def test_topics_have_a_dozen_top_concepts_each_with_narrower_ones():
    entries = topics()
    tops = {entry["notation"] for entry in entries if not entry.get("broader")}
    parents = {entry["broader"] for entry in entries if entry.get("broader")}
    assert 10 <= len(tops) <= 12
    assert tops <= parents


def test_topic_notations_take_the_prefix_only_where_another_scheme_has_the_slug():
    others = {entry["notation"] for entry in thesaurus_read() if entry["scheme"] != "topic"}
    prefixed = [entry["notation"] for entry in topics() if entry["notation"].startswith("topic-")]
    assert [n for n in prefixed if n.removeprefix("topic-") not in others] == []
    assert "topic-intangible-heritage" in prefixed
    assert {"fundraising", "parish-maps", "landscape", "volunteering", "ecomuseums"} <= {e["notation"] for e in topics()}


def test_italian_labels_are_the_idiomatic_ones():
    by_notation = {entry["notation"]: entry for entry in topics()}
    assert by_notation["fundraising"]["labels"]["it"] == "Raccolta fondi"
    assert by_notation["copyright"]["labels"]["it"] == "Diritto d'autore"
    assert by_notation["parish-maps"]["labels"]["it"] == "Mappe di comunità"
    assert by_notation["public-private-partnership"]["labels"]["it"] == "Partenariato pubblico-privato"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("label", "notation"),
    [
        ("sponsorship", "fundraising"),
        ("Donazioni", "fundraising"),
        ("mécénat", "fundraising"),
        ("crowdfunding", "crowdfunding"),
        ("Financement participatif", "crowdfunding"),
        ("SIAE", "copyright"),
        ("diritto d'autore", "copyright"),
        ("Public-private partnership", "public-private-partnership"),
        ("Mappe di comunità", "parish-maps"),
        ("Convenzione di Faro", "heritage-communities"),
        ("Bilheteira", "ticketing"),
        ("intangible cultural heritage", "topic-intangible-heritage"),
        ("Ecomuseology", "ecomuseums"),
    ],
)
def test_topic_lookup_finds_synonyms_in_any_language(label, notation):
    thesaurus_load()
    assert concept_lookup(scheme="topic", label=label).notation == notation


@pytest.mark.django_db
def test_crowdfunding_and_art_bonus_are_narrower_than_fundraising():
    thesaurus_load()
    crowdfunding = concept_lookup(scheme="topic", label="Crowdfunding")
    art_bonus = concept_lookup(scheme="topic", label="Art Bonus")
    assert (crowdfunding.broader.notation, art_bonus.broader.notation) == ("fundraising", "fundraising")
    assert crowdfunding.broader.broader.notation == "funding"
