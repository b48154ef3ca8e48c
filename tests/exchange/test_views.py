"""The exchange's pages: who sees and does what (role matrix), bad input, escaping, query counts."""

import pytest
from django.test import Client

from sinergia.exchange.models import Listing, Partnership, Thread
from tests import factories
from tests.factories import ListingFactory, MessageFactory, ThreadFactory, person, service

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client(headers={"accept-language": "en"})


@pytest.fixture
def world(museum, photographer, photo, operator, outsider):
    network = factories.NetworkFactory()
    factories.MembershipFactory(network=network, organisation=museum)
    neighbour = factories.OrganisationFactory(name="Museo del Po")
    factories.MembershipFactory(network=network, organisation=neighbour)
    need = ListingFactory(organisation=museum, categories=[photo], title="Photographer <b>wanted</b>",
                          description="We need <script>alert(1)</script> **photos**.")
    hidden = ListingFactory(organisation=museum, categories=[photo], networks_only=True, title="Network need")
    offer = ListingFactory(organisation=photographer, offer=True, categories=[photo], title="Museum photography")
    thread = ThreadFactory(listing=need, counterpart=photographer)
    MessageFactory(thread=thread, organisation=photographer, body="<i>Hello</i>")
    people = {"anonymous": None, "outsider": outsider, "operator": operator,
              "member": person(museum, "member", "member@canapa.example.org"),
              "editor": person(museum, "editor", "editor@canapa.example.org"),
              "photographer": person(photographer, "admin", "anna@luce.example.org"),
              "network_member": person(neighbour, "member", "po@example.org")}
    return {"need": need, "hidden": hidden, "offer": offer, "thread": thread, "people": people,
            "museum": museum, "photographer": photographer}


def as_(client, user):
    if user is not None:
        client.force_login(user)
    return client


SEES_HIDDEN = {"anonymous": 404, "outsider": 404, "operator": 200, "member": 200, "editor": 200,
               "photographer": 404, "network_member": 200}


@pytest.mark.parametrize("who", sorted(SEES_HIDDEN))
def test_networks_only_need_is_seen_by_its_networks(client, world, who):
    response = as_(client, world["people"][who]).get(f"/en/exchange/{world['hidden'].pk}/")
    assert response.status_code == SEES_HIDDEN[who]


def test_detail_escapes_the_title_and_sanitises_the_description(client, world):
    html = client.get(f"/en/exchange/{world['need'].pk}/").content.decode()
    assert "Photographer &lt;b&gt;wanted&lt;/b&gt;" in html
    assert "<script>alert(1)" not in html
    assert "<strong>photos</strong>" in html


def test_detail_of_a_need_shows_the_offer_with_reasons(client, world):
    html = client.get(f"/en/exchange/{world['need'].pk}/").content.decode()
    assert "Museum photography" in html
    assert "20 km away" in html
    assert "Score 86/100" in html


EDITS = {"anonymous": 302, "outsider": 404, "operator": 200, "member": 404, "editor": 200, "photographer": 404,
         "network_member": 404}


@pytest.mark.parametrize("page", ["edit", "renew", "close", "fulfil"])
@pytest.mark.parametrize("who", sorted(EDITS))
def test_management_pages_are_for_editors(client, world, who, page):
    response = as_(client, world["people"][who]).get(f"/en/exchange/{world['need'].pk}/{page}/")
    assert response.status_code == EDITS[who]


READS_THREAD = {"anonymous": 302, "outsider": 404, "operator": 200, "member": 200, "editor": 200,
                "photographer": 200, "network_member": 404}


@pytest.mark.parametrize("who", sorted(READS_THREAD))
def test_thread_is_read_by_the_two_organisations(client, world, who):
    response = as_(client, world["people"][who]).get(f"/en/exchange/messages/{world['thread'].pk}/")
    assert response.status_code == READS_THREAD[who]
    if response.status_code == 200:
        assert "&lt;i&gt;Hello&lt;/i&gt;" in response.content.decode()


def test_operator_reads_but_cannot_answer(client, world):
    response = as_(client, world["people"]["operator"]).post(f"/en/exchange/messages/{world['thread'].pk}/",
                                                            {"body": "Moderator here"})
    assert response.status_code == 404


def test_photographer_writes_from_the_need_page(client, world):
    other = ListingFactory(organisation=world["museum"], categories=list(world["need"].categories.all()))
    response = as_(client, world["people"]["photographer"]).post(
        f"/en/exchange/{other.pk}/contact/", {"organisation": world["photographer"].pk, "body": "I can help."})
    thread = Thread.objects.get(listing=other)
    assert response.status_code == 302 and response["Location"] == f"/en/exchange/messages/{thread.pk}/"


def test_contact_form_is_not_offered_to_the_listings_own_people(client, world):
    html = as_(client, world["people"]["editor"]).get(f"/en/exchange/{world['need'].pk}/").content.decode()
    assert "Write to Museo della canapa" not in html


def test_create_form_shows_clear_errors(client, world):
    response = as_(client, world["people"]["editor"]).post("/en/exchange/new/", {
        "organisation": world["museum"].pk, "side": "need", "kind": "service", "title": "Video",
        "categories": [world["need"].categories.get().pk], "area": "radius", "radius_km": "-4",
        "conditions": "free", "visibility": "public"})
    assert response.status_code == 200
    assert "The radius must be between 1 and 500 km." in response.content.decode()


def test_create_is_forbidden_to_plain_members(client, world):
    assert as_(client, world["people"]["member"]).get("/en/exchange/new/").status_code == 403


def test_fulfil_page_records_the_partnership_with_a_thread_counterpart(client, world):
    response = as_(client, world["people"]["editor"]).post(f"/en/exchange/{world['need'].pk}/fulfil/",
                                                          {"partner": world["photographer"].pk})
    assert response.status_code == 302
    assert Partnership.objects.get().partner == world["photographer"]
    assert Listing.objects.get(pk=world["need"].pk).status == "fulfilled"


def test_list_reads_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    for index in range(25):
        ListingFactory(categories=[service("service-photo-video"), service(f"service-x-{index % 4}")])
    with django_assert_max_num_queries(8):
        response = client.get("/en/exchange/")
    assert response.status_code == 200


def test_professionals_lists_freelancers_with_their_offers(client, world, django_assert_max_num_queries):
    for index in range(10):
        organisation = factories.OrganisationFactory(kind="company", name=f"Agency {index}")
        ListingFactory(organisation=organisation, offer=True)
    with django_assert_max_num_queries(9):
        html = client.get("/en/exchange/professionals/?category=service-photo-video").content.decode()
    assert "Studio Luce" in html and "Museum photography" in html and "Agency 9" in html
    assert "Museo della canapa" not in html


def test_professionals_geojson_has_the_located_professionals(client, world):
    data = client.get("/en/exchange/professionals.geojson").json()
    assert [f["properties"]["name"] for f in data["features"]] == ["Studio Luce"]
    assert data["truncated"] is False


def test_inbox_lists_the_threads_of_the_users_organisations(client, world):
    html = as_(client, world["people"]["photographer"]).get("/en/exchange/messages/").content.decode()
    assert "Photographer &lt;b&gt;wanted&lt;/b&gt;" in html
