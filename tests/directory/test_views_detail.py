"""An organisation's page: fields, chips, map, networks, people, buttons by role, JSON-LD, sanitised text."""

import json
import re

import pytest

from sinergia.core.models import Concept
from sinergia.directory.models import Organisation
from tests import factories

pytestmark = pytest.mark.django_db


def page(client, organisation, user=None) -> str:
    if user is not None:
        client.force_login(user)
    response = client.get(f"/en/organisations/{organisation.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def jsonld(content: str) -> dict:
    [block] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
    return json.loads(block)


def test_detail_shows_the_profile(client, museum):
    museum.website, museum.email, museum.phone, museum.address = "https://mpi.it", "info@mpi.it", "051 1", "Via 1"
    museum.save()
    museum.themes.set([factories.ConceptFactory(notation="industrial-heritage")])
    museum.audiences.set([factories.ConceptFactory(notation="schools", scheme=Concept.Scheme.AUDIENCE)])
    museum.categories.set([factories.ConceptFactory(notation="technical", scheme=Concept.Scheme.CATEGORY)])

    content = page(client, museum)

    assert "<h1 class=\"mb-1\">Museo del Patrimonio Industriale</h1>" in content
    for chip in ("Industrial Heritage", "Schools", "Technical"):
        assert f'<span class="chip-label">{chip}</span>' in content
    assert '<a href="https://mpi.it" rel="noopener nofollow">https://mpi.it</a>' in content
    assert 'href="mailto:info@mpi.it"' in content
    assert 'data-latitude="44.494900" data-longitude="11.342600"' in content
    assert "/static/js/map.js" in content


def test_detail_lists_the_networks_it_belongs_to(client, museum, coordinator):
    factories.MembershipFactory(organisation=museum, applied=True, network=factories.NetworkFactory(name="Rete in attesa"))

    content = page(client, museum)

    network = museum.network_memberships.get(status="admitted").network
    assert f'<a href="/en/networks/{network.slug}/">{network.name}</a>' in content
    assert "Rete in attesa" not in content


def test_detail_jsonld_describes_a_museum(client, museum):
    museum.website = "https://mpi.it"
    museum.save()

    data = jsonld(page(client, museum))

    assert data["@type"] == "Museum"
    assert data["url"] == "http://testserver/en/organisations/museo-patrimonio-industriale/"
    assert data["sameAs"] == ["https://mpi.it"]
    assert data["address"] == {"@type": "PostalAddress", "addressLocality": "Bologna",
                               "addressRegion": "Emilia-Romagna", "addressCountry": "IT"}
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 44.4949, "longitude": 11.3426}


def test_detail_jsonld_of_a_company_is_an_organization(client):
    company = factories.OrganisationFactory(kind=Organisation.Kind.COMPANY)
    assert jsonld(page(client, company))["@type"] == "Organization"


def test_detail_renders_script_in_the_description_harmless(client, museum):
    museum.description = 'Hello <script>alert("x")</script> **bold** <img src=x onerror=alert(1)> [a](javascript:alert(2))'
    museum.save()

    content = page(client, museum)

    assert "<strong>bold</strong>" in content
    assert "<script>alert" not in content
    assert "onerror" not in content
    assert "javascript:" not in content
    assert jsonld(content)["description"].startswith("Hello")


def test_detail_escapes_a_name_with_html(client):
    organisation = factories.OrganisationFactory(name="<b>Museo</b></script>", slug="museo-b")

    content = page(client, organisation)

    assert "<b>Museo</b>" not in content
    assert "&lt;b&gt;Museo&lt;/b&gt;" in content
    assert jsonld(content)["name"] == "<b>Museo</b></script>"


@pytest.mark.parametrize(("who", "edit", "people", "claim"), [
    ("anonymous", False, False, True),
    ("outsider", False, False, True),
    ("coordinator", False, False, True),
    ("org_member", False, True, False),
    ("org_editor", True, True, False),
    ("org_admin", True, True, False),
    ("operator", True, True, True),
])
def test_detail_buttons_follow_the_rules(request, client, museum, org_admin, who, edit, people, claim):
    user = request.getfixturevalue(who)
    content = page(client, museum, None if who == "anonymous" else user)

    assert ('href="/en/organisations/museo-patrimonio-industriale/edit/"' in content) is edit
    assert ('href="/en/organisations/museo-patrimonio-industriale/people/"' in content) is people
    assert (org_admin.display_name in content) is people
    assert ('href="/en/organisations/museo-patrimonio-industriale/claim/"' in content) is claim


def test_detail_says_when_the_users_claim_is_pending(client, museum, outsider):
    factories.ClaimFactory(organisation=museum, user=outsider)

    content = page(client, museum, outsider)

    assert "Your claim is waiting for an operator" in content
    assert "/claim/" not in content


def test_detail_of_an_unknown_or_unlisted_organisation_is_404(client, operator):
    hidden = factories.OrganisationFactory(is_active=False)

    assert client.get("/en/organisations/nobody/").status_code == 404
    assert client.get(f"/en/organisations/{hidden.slug}/").status_code == 404
    client.force_login(operator)
    assert client.get(f"/en/organisations/{hidden.slug}/").status_code == 200


def test_detail_stays_within_fifteen_queries(client, museum, org_admin, org_member, coordinator,
                                             django_assert_max_num_queries):
    museum.themes.set([factories.ConceptFactory() for _ in range(10)])
    for _ in range(10):
        factories.MembershipFactory(organisation=museum)
    client.force_login(org_admin)

    with django_assert_max_num_queries(15):
        response = client.get(f"/en/organisations/{museum.slug}/")

    assert response.status_code == 200
