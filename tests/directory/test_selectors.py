"""The directory's reads: filters alone and combined, facets, GeoJSON, export rows, JSON-LD, access helpers."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from sinergia.core.models import Concept
from sinergia.directory.models import Organisation
from sinergia.directory.selectors import (
    EXPORT_COLUMNS,
    OrganisationFilters,
    claim_pending_list,
    get_organisation_for,
    organisation_export_rows,
    organisation_facets,
    organisation_geojson,
    organisation_jsonld,
    organisation_list,
    organisation_networks,
    organisation_people,
)
from sinergia.networks.models import Membership
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(db):
    """Four organisations in two regions, with themes, an audience, a category and a network."""
    history = factories.ConceptFactory(notation="history")
    industry = factories.ConceptFactory(notation="industry")
    children = factories.ConceptFactory(notation="children", scheme=Concept.Scheme.AUDIENCE)
    civic = factories.ConceptFactory(notation="civic-museum", scheme=Concept.Scheme.CATEGORY)
    bologna = factories.OrganisationFactory(name="Museo della Storia di Bologna", municipality="Bologna",
                                            province="Bologna", region="Emilia-Romagna")
    imola = factories.OrganisationFactory(name="Ecomuseo di Imola", kind=Organisation.Kind.ECOMUSEUM,
                                          municipality="Imola", province="Bologna", region="Emilia-Romagna")
    torino = factories.OrganisationFactory(name="Archivio di Torino", kind=Organisation.Kind.ARCHIVE,
                                           municipality="Torino", province="Torino", region="Piemonte",
                                           latitude=45.07, longitude=7.69)
    lyon = factories.OrganisationFactory(name="Lyon, Musée des Confluences", municipality="Lyon", province="", region="",
                                         country="FR", latitude=None, longitude=None)
    bologna.themes.set([history, industry])
    imola.themes.set([history])
    torino.themes.set([industry])
    bologna.audiences.set([children])
    imola.categories.set([civic])
    network = factories.NetworkFactory(slug="rete-po", founded_by=torino)
    factories.MembershipFactory(network=network, organisation=imola)
    factories.MembershipFactory(network=network, organisation=torino, status=Membership.Status.APPLIED)
    factories.OrganisationFactory(name="Museo nascosto", is_active=False)
    return {"bologna": bologna, "imola": imola, "torino": torino, "lyon": lyon}


def names(**filters) -> list[str]:
    return list(organisation_list(filters=OrganisationFilters(**filters)).values_list("name", flat=True))


def test_no_filter_lists_every_listed_organisation_by_name(places):
    assert names() == ["Archivio di Torino", "Ecomuseo di Imola", "Lyon, Musée des Confluences", "Museo della Storia di Bologna"]


@pytest.mark.parametrize(("filters", "expected"), [
    ({"q": "storia"}, ["Museo della Storia di Bologna"]),
    ({"q": "BOLOGNA"}, ["Ecomuseo di Imola", "Museo della Storia di Bologna"]),
    ({"q": "imola ecomuseo"}, ["Ecomuseo di Imola"]),
    ({"kind": "archive"}, ["Archivio di Torino"]),
    ({"region": "emilia-romagna"}, ["Ecomuseo di Imola", "Museo della Storia di Bologna"]),
    ({"province": "Torino"}, ["Archivio di Torino"]),
    ({"country": "FR"}, ["Lyon, Musée des Confluences"]),
    ({"theme": "history"}, ["Ecomuseo di Imola", "Museo della Storia di Bologna"]),
    ({"audience": "children"}, ["Museo della Storia di Bologna"]),
    ({"category": "civic-museum"}, ["Ecomuseo di Imola"]),
    ({"network": "rete-po"}, ["Ecomuseo di Imola"]),
])
def test_each_filter(places, filters, expected):
    assert names(**filters) == expected


@pytest.mark.parametrize(("filters", "expected"), [
    ({"region": "Emilia-Romagna", "theme": "industry"}, ["Museo della Storia di Bologna"]),
    ({"theme": "history", "kind": "ecomuseum", "network": "rete-po"}, ["Ecomuseo di Imola"]),
    ({"theme": "industry", "province": "Bologna", "audience": "children"}, ["Museo della Storia di Bologna"]),
    ({"theme": "industry", "region": "Piemonte", "country": "FR"}, []),
])
def test_filters_combine(places, filters, expected):
    assert names(**filters) == expected


def test_a_theme_filter_never_repeats_an_organisation(places):
    places["bologna"].themes.add(factories.ConceptFactory(notation="history-of-work", broader=None))
    assert names(theme="history").count("Museo della Storia di Bologna") == 1


def test_facets_list_the_values_present(places, django_assert_num_queries):
    with django_assert_num_queries(5):
        facets = organisation_facets()

    assert facets.kinds == [("museum", "Museum"), ("ecomuseum", "Ecomuseum"), ("archive", "Archive")]
    assert facets.regions == ["Emilia-Romagna", "Piemonte"]
    assert facets.provinces == [("Emilia-Romagna", ["Bologna"]), ("Piemonte", ["Torino"])]
    assert facets.countries == ["FR", "IT"]
    assert [c.notation for c in facets.themes] == ["history", "industry"]
    assert [c.notation for c in facets.audiences] == ["children"]
    assert [c.notation for c in facets.categories] == ["civic-museum"]
    assert facets.networks == [("rete-po", places["torino"].founded_networks.get().name)]


def test_geojson_has_one_point_per_located_organisation_with_lon_lat(places):
    data = organisation_geojson(queryset=organisation_list(filters=OrganisationFilters(region="Piemonte")))

    assert data == {"type": "FeatureCollection", "features": [{
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [7.69, 45.07]},
        "properties": {"name": "Archivio di Torino", "url": f"/en/organisations/{places['torino'].slug}/",
                       "kind": "Archive", "municipality": "Torino"},
    }]}


def test_geojson_leaves_out_organisations_without_coordinates(places):
    data = organisation_geojson(queryset=organisation_list())
    assert sorted(f["properties"]["name"] for f in data["features"]) == [
        "Archivio di Torino", "Ecomuseo di Imola", "Museo della Storia di Bologna"]


def test_geojson_reads_many_organisations_in_one_query(django_assert_num_queries):
    factories.OrganisationFactory.create_batch(120)
    with django_assert_num_queries(1):
        data = organisation_geojson(queryset=organisation_list(filters=OrganisationFilters(theme="")))
    assert len(data["features"]) == 120


def test_full_geojson_adds_identifiers_and_absolute_urls(db):
    factories.OrganisationFactory(name="Museo", slug="museo", source="mibact", source_id="42", website="https://m.it")

    [feature] = organisation_geojson(queryset=organisation_list(), base_url="https://s.org", full=True)["features"]

    assert feature["properties"] == {
        "name": "Museo", "url": "https://s.org/en/organisations/museo/", "kind": "Museum", "municipality": "Bologna",
        "slug": "museo", "locality": "", "province": "Bologna", "region": "Emilia-Romagna", "country": "IT",
        "website": "https://m.it", "source": "mibact", "source_id": "42"}


def test_export_rows_have_a_header_and_one_row_per_organisation(places, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        rows = list(organisation_export_rows(queryset=organisation_list(filters=OrganisationFilters(theme="history")),
                                             base_url="https://s.org"))

    header, *body = rows
    assert header == list(EXPORT_COLUMNS)
    assert [dict(zip(header, row, strict=True))["name"] for row in body] == [
        "Ecomuseo di Imola", "Museo della Storia di Bologna"]
    bologna = dict(zip(header, body[1], strict=True))
    assert (bologna["themes"], bologna["audiences"], bologna["categories"]) == ("history|industry", "children", "")
    assert bologna["url"] == f"https://s.org/en/organisations/{places['bologna'].slug}/"
    assert (bologna["latitude"], bologna["longitude"], bologna["languages"]) == (44.4949, 11.3426, "")


def test_jsonld_of_a_museum(db):
    organisation = factories.OrganisationFactory(
        name="Museo <b>civico</b>", kind=Organisation.Kind.COMMUNITY_MUSEUM, description="Un **museo**.",
        website="https://museo.example.org", address="Via Roma 1", postcode="40100", email="info@museo.it",
        languages=["it", "en"])

    data = organisation_jsonld(organisation=organisation, url="https://s.org/m/", logo_url="")

    assert data == {
        "@context": "https://schema.org", "@type": "Museum", "@id": "https://s.org/m/", "url": "https://s.org/m/",
        "name": "Museo <b>civico</b>", "description": "Un museo.", "email": "info@museo.it",
        "sameAs": ["https://museo.example.org"], "knowsLanguage": ["it", "en"],
        "address": {"@type": "PostalAddress", "streetAddress": "Via Roma 1", "postalCode": "40100",
                    "addressLocality": "Bologna", "addressRegion": "Emilia-Romagna", "addressCountry": "IT"},
        "geo": {"@type": "GeoCoordinates", "latitude": 44.4949, "longitude": 11.3426},
    }


def test_jsonld_of_other_kinds_is_an_organization_without_geo_when_unlocated(db):
    organisation = factories.OrganisationFactory(kind=Organisation.Kind.COMPANY, latitude=None, longitude=None)

    data = organisation_jsonld(organisation=organisation, url="https://s.org/c/")

    assert data["@type"] == "Organization"
    assert "geo" not in data


def test_networks_are_the_admitted_memberships_only(places):
    assert [m.network.slug for m in organisation_networks(organisation=places["imola"])] == ["rete-po"]
    assert list(organisation_networks(organisation=places["torino"])) == []


def test_people_are_visible_to_members_and_operators_only(museum, org_admin, org_member, outsider, operator):
    assert [m.user for m in organisation_people(organisation=museum, viewer=org_member)] == [org_admin, org_member]
    assert [m.user for m in organisation_people(organisation=museum, viewer=operator)] == [org_admin, org_member]
    assert list(organisation_people(organisation=museum, viewer=outsider)) == []


def test_access_helper_hides_unlisted_organisations_but_from_operators(outsider, operator):
    hidden = factories.OrganisationFactory(is_active=False)

    with pytest.raises(Http404):
        get_organisation_for(user=outsider, slug=hidden.slug)
    assert get_organisation_for(user=operator, slug=hidden.slug) == hidden


def test_access_helper_checks_the_permission(museum, outsider, org_editor):
    with pytest.raises(PermissionDenied):
        get_organisation_for(user=outsider, slug=museum.slug, perm="directory.change_organisation")
    assert get_organisation_for(user=org_editor, slug=museum.slug, perm="directory.change_organisation") == museum


def test_pending_claims_are_listed_oldest_first(museum):
    first = factories.ClaimFactory(organisation=museum)
    second = factories.ClaimFactory(organisation=museum)
    factories.ClaimFactory(organisation=museum, status="rejected")

    assert list(claim_pending_list()) == [first, second]


@pytest.mark.django_db
def test_country_filter_ignores_case():
    french = factories.OrganisationFactory(country="FR", name="Écomusée d'Alsace")
    factories.OrganisationFactory(country="IT")
    assert list(organisation_list(filters=OrganisationFilters(country="fr"))) == [french]


@pytest.mark.django_db
def test_facets_are_shared_between_requests_for_a_minute(django_assert_num_queries):
    factories.OrganisationFactory(region="Marche", province="Ancona")
    organisation_facets()
    with django_assert_num_queries(0):
        assert organisation_facets().regions == ["Marche"]
