"""Pages of networks: the list, a network, its map, founding and editing."""

import json

import pytest
from django.urls import reverse

from sinergia.networks.models import CharterSignature, Membership, Network
from tests import factories
from tests.factories import person
from tests.networks.conftest import found_network

pytestmark = pytest.mark.django_db


def detail_url(network) -> str:
    return reverse("networks:detail", kwargs={"slug": network.slug})


def with_members(network, count: int, *, signed_version=None):
    """Admitted member organisations, with a signature of the given version if any."""
    memberships = [factories.MembershipFactory(network=network) for _ in range(count)]
    if signed_version is not None:
        charter = network.charter_versions.get(number=signed_version)
        for membership in memberships:
            factories.CharterSignatureFactory(membership=membership, charter=charter)
    return memberships


def test_network_list_shows_listed_networks_with_member_counts(client, network):
    with_members(network, 3)
    hidden = found_network(admin=factories.UserFactory(), name="Rete nascosta")
    hidden.is_active = False
    hidden.save()
    response = client.get(reverse("networks:list"))
    assert response.status_code == 200
    assert [n.name for n in response.context["page"].object_list] == [network.name]
    assert response.context["page"].object_list[0].member_count == 4
    assert "4 members" in response.content.decode()


@pytest.mark.parametrize(("query", "expected"), [
    ("kind=thematic", ["Rete tematica"]),
    ("scale=national", ["Rete tematica"]),
    ("governance=association", ["Rete tematica"]),
    ("region=toscana", ["Rete tematica"]),
    ("country=fr", ["Rete tematica"]),
    ("theme=archaeology", ["Rete tematica"]),
    ("q=tematica", ["Rete tematica"]),
    ("country=France", ["Rete dei musei del Po", "Rete tematica"]),
])
def test_network_list_filters(client, network, query, expected):
    other = found_network(admin=factories.UserFactory(), name="Rete tematica")
    other.kind, other.scale, other.governance, other.region, other.country = (
        "thematic", "national", "association", "Toscana", "FR")
    other.save()
    other.themes.add(factories.ConceptFactory(notation="archaeology"))
    network.kind = "territorial"
    network.save()
    response = client.get(f"{reverse('networks:list')}?{query}")
    assert [n.name for n in response.context["page"].object_list] == expected


def test_network_list_htmx_returns_only_the_results(client, network):
    response = client.get(reverse("networks:list"), headers={"HX-Request": "true", "HX-Target": "network-results"})
    assert next(t.name for t in response.templates) == "networks/_network_results.html"


def test_network_list_queries_stay_bounded(client, django_assert_max_num_queries):
    for index in range(30):
        network = found_network(admin=factories.UserFactory(), name=f"Rete {index}")
        network.themes.add(factories.ConceptFactory(notation=f"theme-{index}"))
        with_members(network, 2)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("networks:list"))
    assert len(response.context["page"].object_list) == 24


def test_network_detail_shows_description_governance_coordinator_and_members(client, network, member):
    network.legal_notes, network.management_notes = "Registered in 2024.", "An assembly meets twice a year."
    network.save()
    content = client.get(detail_url(network)).content.decode()
    for text in ("Share a calendar.", "Memorandum of understanding", "Registered in 2024.",
                 "An assembly meets twice a year.", network.founded_by.name, "Museo della bonifica",
                 "Charter not signed", f'data-geojson-url="{reverse("networks:geojson", args=[network.slug])}"'):
        assert text in content


def test_network_detail_shows_who_signed_which_version(client, network, coordinator, member):
    old_signer = with_members(network, 1, signed_version=1)[0]
    network.charter_versions.create(number=2, text="Version 2")
    factories.CharterSignatureFactory(membership=member, charter=network.charter_versions.get(number=2))
    response = client.get(detail_url(network))
    rows = {m.pk: m.signed_version for m in response.context["page"].object_list}
    assert (rows[member.pk], rows[old_signer.pk]) == (2, 1)
    content = response.content.decode()
    assert "Signed v2" in content and "Signed v1 · must sign v2" in content


def test_network_detail_lists_member_networks_and_parent_networks(client, network):
    child = found_network(admin=factories.UserFactory(), name="Rete figlia")
    factories.MembershipFactory(network=network, organisation=None, member_network=child)
    content = client.get(detail_url(child)).content.decode()
    assert f'href="{detail_url(network)}"' in content
    assert f'href="{detail_url(child)}"' in client.get(detail_url(network)).content.decode()


def test_network_detail_has_schema_org_organization_with_members(client, network, member):
    response = client.get(detail_url(network))
    data = response.context["jsonld"]
    assert (data["@type"], data["name"]) == ("Organization", network.name)
    assert [m["name"] for m in data["member"]] == [network.founded_by.name, "Museo della bonifica"]
    assert '<script type="application/ld+json">' in response.content.decode()


def test_network_detail_sanitises_html_in_markdown(client, network):
    network.description = "Hello <script>alert('x')</script> **bold** <img src=x onerror=alert(1)>"
    network.save()
    content = client.get(detail_url(network)).content.decode()
    assert "<strong>bold</strong>" in content
    assert ("alert" in content, "onerror" in content) == (False, False)


def test_network_detail_paginates_members_by_fifty(client, network):
    with_members(network, 60)
    first = client.get(detail_url(network))
    second = client.get(detail_url(network) + "?page=2", headers={"HX-Request": "true", "HX-Target": "members"})
    assert (len(first.context["page"].object_list), len(second.context["page"].object_list)) == (50, 11)
    assert next(t.name for t in second.templates) == "networks/_members.html"


@pytest.mark.parametrize("who", ["anonymous", "coordinator"])
def test_network_detail_queries_stay_bounded(client, network, coordinator, who, django_assert_max_num_queries):
    with_members(network, 35, signed_version=1)
    child = found_network(admin=factories.UserFactory(), name="Rete figlia")
    factories.MembershipFactory(network=network, organisation=None, member_network=child)
    network.themes.add(factories.ConceptFactory(notation="archaeology"))
    if who == "coordinator":
        client.force_login(coordinator)
    with django_assert_max_num_queries(15):
        response = client.get(detail_url(network))
    assert response.context["network"].member_count == 37


def test_network_detail_of_an_unlisted_network_is_404_except_for_operators(client, network, operator):
    network.is_active = False
    network.save()
    assert client.get(detail_url(network)).status_code == 404
    client.force_login(operator)
    assert client.get(detail_url(network)).status_code == 200


def test_network_geojson_has_located_members_and_members_of_member_networks(client, network, member):
    child = found_network(admin=factories.UserFactory(), name="Rete figlia")
    factories.MembershipFactory(network=network, organisation=None, member_network=child)
    factories.MembershipFactory(network=network, applied=True, organisation__name="Museo in attesa")
    factories.MembershipFactory(network=network, organisation__name="Museo senza luogo",
                                organisation__latitude=None, organisation__longitude=None)
    data = json.loads(client.get(reverse("networks:geojson", args=[network.slug])).content)
    names = sorted(f["properties"]["name"] for f in data["features"])
    assert names == sorted([network.founded_by.name, "Museo della bonifica", child.founded_by.name])
    feature = next(f for f in data["features"] if f["properties"]["name"] == "Museo della bonifica")
    assert feature["geometry"] == {"type": "Point", "coordinates": [11.3426, 44.4949]}
    assert feature["properties"]["url"] == reverse("directory:detail", kwargs={"slug": member.organisation.slug})
    assert feature["properties"]["kind"] == "Museum"


def test_network_create_needs_sign_in(client):
    response = client.get(reverse("networks:create"))
    assert (response.status_code, response.url.split("?")[0]) == (302, reverse("account_login"))


def test_network_create_without_an_administered_organisation_explains_why(client, applicant, applicant_editor):
    client.force_login(applicant_editor)
    response = client.get(reverse("networks:create"))
    assert "You need an organisation first" in response.content.decode()


def test_network_create_founds_and_redirects_to_the_network(client, applicant, applicant_admin):
    client.force_login(applicant_admin)
    response = client.post(reverse("networks:create"), {
        "founder": applicant.pk, "name": "Rete della bonifica", "kind": "territorial", "scale": "local",
        "governance": "agreement", "objectives": "Tell the story of the reclaimed land.", "country": "it",
        "charter_text": "## We agree\n\nTo share.", "legal_notes": "A convention signed in 2025.",
    })
    network = Network.objects.get(name="Rete della bonifica")
    assert response.url == detail_url(network)
    assert (network.country, network.founded_by, network.charter_versions.get().text) == (
        "IT", applicant, "## We agree\n\nTo share.")
    assert Membership.objects.get(network=network).role == Membership.Role.COORDINATOR


def test_network_create_offers_only_organisations_the_user_administers(client, applicant, applicant_editor):
    mine = factories.OrganisationFactory(name="Mio museo")
    factories.OrganisationMemberFactory(organisation=mine, user=applicant_editor)
    client.force_login(applicant_editor)
    response = client.post(reverse("networks:create"), {
        "founder": applicant.pk, "name": "Presa", "kind": "thematic", "scale": "local", "governance": "informal",
        "charter_text": "x"})
    assert list(response.context["form"].fields["founder"].queryset) == [mine]
    assert "founder" in response.context["form"].errors
    assert not Network.objects.filter(name="Presa").exists()


def test_network_create_shows_a_duplicate_name_as_a_field_error(client, network, applicant, applicant_admin):
    client.force_login(applicant_admin)
    response = client.post(reverse("networks:create"), {
        "founder": applicant.pk, "name": network.name.lower(), "kind": "thematic", "scale": "local",
        "governance": "informal", "charter_text": "x"})
    assert response.context["form"].errors["name"] == [f"A network named “{network.name.lower()}” already exists."]


def test_network_create_refuses_over_long_text(client, applicant, applicant_admin):
    client.force_login(applicant_admin)
    response = client.post(reverse("networks:create"), {
        "founder": applicant.pk, "name": "Lunga", "kind": "thematic", "scale": "local", "governance": "informal",
        "charter_text": "x", "objectives": "o" * 20_001})
    assert list(response.context["form"].errors) == ["objectives"]
    assert not Network.objects.filter(name="Lunga").exists()


def test_network_edit_by_the_coordinator(client, network, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("networks:edit", args=[network.slug]), {
        "name": network.name, "kind": "mixed", "scale": "national", "governance": "foundation",
        "objectives": "New objectives", "management_notes": "A board of five."})
    network.refresh_from_db()
    assert response.url == detail_url(network)
    assert (network.kind, network.governance, network.management_notes) == ("mixed", "foundation", "A board of five.")


def test_network_edit_is_forbidden_to_a_member(client, member, applicant_admin):
    client.force_login(applicant_admin)
    assert client.get(reverse("networks:edit", args=[member.network.slug])).status_code == 403


def test_network_detail_shows_the_viewers_memberships_with_sign_and_leave(client, member, applicant_admin):
    client.force_login(applicant_admin)
    content = client.get(detail_url(member.network)).content.decode()
    assert reverse("networks:leave", args=[member.pk]) in content
    assert "Read and sign the charter" in content
    CharterSignature.objects.create(membership=member, charter=member.network.charter_versions.get(),
                                    signatory_name="A")
    assert "Read and sign the charter" not in client.get(detail_url(member.network)).content.decode()


def test_network_detail_coordination_links_only_for_coordinators(client, network, coordinator, outsider):
    edit = reverse("networks:edit", args=[network.slug])
    client.force_login(outsider)
    assert edit not in client.get(detail_url(network)).content.decode()
    client.force_login(coordinator)
    assert edit in client.get(detail_url(network)).content.decode()


def test_network_detail_of_an_editor_of_the_coordinator_shows_coordination(client, network):
    editor = person(network.founded_by, "editor", "editor@capofila.example.org")
    client.force_login(editor)
    assert client.get(detail_url(network)).context["can_manage"] is True
