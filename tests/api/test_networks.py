"""Read endpoints of networks: list and filters, detail, members with their signed charter version, charter."""

import pytest
from django.urls import reverse

from tests import factories
from tests.api.conftest import bearer


@pytest.fixture
def networks(db):
    """Networks that differ by each filter of the networks page."""
    art = factories.ConceptFactory(notation="art")
    built = {
        "po": factories.NetworkFactory(name="Rete dei musei del Po", slug="rete-po", region="Emilia-Romagna",
                                       country="IT", description="Musei lungo il fiume."),
        "alps": factories.NetworkFactory(name="Ecomusei delle Alpi", slug="ecomusei-alpi", kind="territorial",
                                         scale="international", governance="association", country=""),
        "lisboa": factories.NetworkFactory(name="Rede de museus de Lisboa", slug="rede-lisboa", scale="local",
                                           country="PT", governance="informal"),
        "closed": factories.NetworkFactory(name="Rete chiusa", slug="rete-chiusa", is_active=False),
    }
    built["po"].themes.add(art)
    return built


def slugs(response) -> list[str]:
    return [item["slug"] for item in response.json()["items"]]


@pytest.mark.parametrize(("query", "expected"), [
    ("", ["ecomusei-alpi", "rede-lisboa", "rete-po"]),
    ("kind=territorial", ["ecomusei-alpi"]),
    ("scale=local", ["rede-lisboa"]),
    ("governance=association", ["ecomusei-alpi"]),
    ("region=emilia-romagna", ["rete-po"]),
    ("country=pt", ["rede-lisboa"]),
    ("theme=art", ["rete-po"]),
    ("q=fiume", ["rete-po"]),
    ("q=alpi", ["ecomusei-alpi"]),
    ("scale=", ["ecomusei-alpi", "rede-lisboa", "rete-po"]),
])
def test_network_list_filters_match_the_networks_page(client, networks, query, expected):
    response = client.get(f"/api/networks?{query}")
    page = client.get(f"{reverse('networks:list')}?{query}")
    assert slugs(response) == [network.slug for network in page.context["page"].object_list]
    assert sorted(slugs(response)) == expected


@pytest.mark.parametrize("query", ["kind=big", "scale=planetary", "governance=anarchy", "country=PRT",
                                   "page_size=1000"])
def test_network_list_with_bad_parameters_is_a_422(client, networks, query):
    assert client.get(f"/api/networks?{query}").status_code == 422


def test_network_list_item_counts_admitted_members(client, networks):
    factories.MembershipFactory.create_batch(3, network=networks["po"])
    factories.MembershipFactory(network=networks["po"], applied=True)
    item = client.get("/api/networks?theme=art&lang=en").json()["items"][0]
    assert (item["member_count"], item["scale"], item["scale_label"]) == (3, "regional", "Regional")
    assert (item["governance"], item["governance_label"]) == ("mou", "Memorandum of understanding")
    assert item["url"] == "http://testserver/en/networks/rete-po/"


def test_network_list_queries_do_not_grow_with_rows(client, db, django_assert_max_num_queries):
    theme = factories.ConceptFactory()
    for network in factories.NetworkFactory.create_batch(35):
        network.themes.add(theme)
        factories.MembershipFactory(network=network)
    with django_assert_max_num_queries(15):
        response = client.get("/api/networks?page_size=35")
    assert len(response.json()["items"]) == 35


def test_network_detail(client, networks):
    network = networks["po"]
    factories.CharterVersionFactory(network=network, number=1)
    factories.CharterVersionFactory(network=network, number=2)
    data = client.get("/api/networks/rete-po").json()
    assert (data["name"], data["current_charter_number"], data["member_count"]) == ("Rete dei musei del Po", 2, 0)
    assert data["founded_by"]["slug"] == network.founded_by.slug
    assert data["objectives"] == "Share a calendar and a ticket."


@pytest.mark.parametrize("slug", ["no-such-network", "rete-chiusa"])
def test_network_unknown_or_unlisted_is_a_404_everywhere(client, networks, slug):
    for suffix in ("", "/members", "/charter"):
        response = client.get(f"/api/networks/{slug}{suffix}")
        assert (response.status_code, response.json()) == (404, {"detail": "Not found."})


def test_network_members_with_role_status_and_signed_version(client, network, applicant):
    admitted = factories.MembershipFactory(network=network, organisation=applicant)
    factories.CharterSignatureFactory(membership=admitted, charter=network.charter_versions.get())
    factories.MembershipFactory(network=network, applied=True)
    data = client.get(f"/api/networks/{network.slug}/members?lang=en").json()
    assert data["count"] == 2
    coordinator, member = data["items"]
    assert (coordinator["role"], coordinator["signed_version"]) == ("coordinator", None)
    assert member == {
        "id": admitted.pk, "role": "member", "role_label": "Member", "status": "admitted", "status_label": "Admitted",
        "signed_version": 1, "member": {"type": "organisation", "slug": "museo-della-bonifica",
                                        "name": "Museo della bonifica",
                                        "url": "http://testserver/en/organisations/museo-della-bonifica/"},
    }


def test_network_members_paginate(client, network):
    factories.MembershipFactory.create_batch(30, network=network)
    data = client.get(f"/api/networks/{network.slug}/members?page_size=20&page=2").json()
    assert (data["count"], len(data["items"]), data["next"]) == (31, 11, None)


def test_network_members_queries_do_not_grow_with_rows(client, network, django_assert_max_num_queries):
    charter = network.charter_versions.get()
    for membership in factories.MembershipFactory.create_batch(40, network=network):
        factories.CharterSignatureFactory(membership=membership, charter=charter)
    with django_assert_max_num_queries(15):
        response = client.get(f"/api/networks/{network.slug}/members?page_size=50")
    assert len(response.json()["items"]) == 41


def test_network_charter_current_and_history(client, network, applicant):
    factories.CharterVersionFactory(network=network, number=2, text="## Charter v2", changes="Adds a fee.")
    signed = factories.MembershipFactory(network=network, organisation=applicant)
    factories.CharterSignatureFactory(membership=signed, charter=network.charter_versions.get(number=1))
    data = client.get(f"/api/networks/{network.slug}/charter").json()
    assert (data["current"]["number"], data["current"]["text"], data["current"]["changes"]) == (
        2, "## Charter v2", "Adds a fee.")
    assert [(v["number"], v["signature_count"]) for v in data["history"]] == [(2, 0), (1, 1)]


def test_network_charter_of_a_network_without_charter(client, networks):
    assert client.get("/api/networks/rete-po/charter").json() == {"current": None, "history": []}


def test_unlisted_network_is_visible_to_operators(client, networks, operator):
    assert client.get("/api/networks/rete-chiusa", **bearer(operator)).status_code == 200


def test_network_applications_are_listed_to_coordinators_only(client, network, applicant, coordinator, outsider):
    application = factories.MembershipFactory(network=network, organisation=applicant, applied=True)
    url = f"/api/networks/{network.slug}/members?status=applied"
    listed = client.get(url, **bearer(coordinator)).json()
    assert [(item["id"], item["status"]) for item in listed["items"]] == [(application.pk, "applied")]
    assert client.get(url, **bearer(outsider)).json()["count"] == 0
    assert client.get(url).json()["count"] == 0


def test_network_members_with_several_statuses(client, network, applicant, coordinator):
    factories.MembershipFactory(network=network, organisation=applicant, applied=True)
    data = client.get(f"/api/networks/{network.slug}/members?status=applied&status=admitted", **bearer(coordinator))
    assert sorted(item["status"] for item in data.json()["items"]) == ["admitted", "applied"]


def test_network_members_with_an_unknown_status_is_a_422(client, network):
    assert client.get(f"/api/networks/{network.slug}/members?status=pending").status_code == 422
