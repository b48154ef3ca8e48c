"""The exchange API: lists and matches with the pages' visibility, writes by token, threads for participants only."""

import datetime

import pytest
from django.utils import timezone

from sinergia.exchange.models import Listing, Message, Partnership
from tests import factories
from tests.api.conftest import bearer
from tests.exchange.conftest import NEAR_20_KM
from tests.factories import ListingFactory, MessageFactory, ThreadFactory, person, service

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db, operator, outsider):
    """A museum's need, a photographer's offer 20 km away, a networks-only need, a thread between them."""
    photo = service("service-photo-video")
    network = factories.NetworkFactory()
    museum = factories.OrganisationFactory(name="Museo della canapa", languages=["it"])
    factories.MembershipFactory(network=network, organisation=museum)
    photographer = factories.OrganisationFactory(name="Studio Luce", kind="freelance", latitude=NEAR_20_KM[0],
                                                 longitude=NEAR_20_KM[1])
    partner_in_network = factories.OrganisationFactory(name="Museo del Po")
    factories.MembershipFactory(network=network, organisation=partner_in_network)
    need = ListingFactory(organisation=museum, categories=[photo], title="Photographer for the collection")
    offer = ListingFactory(organisation=photographer, offer=True, categories=[photo], title="Museum photography")
    hidden = ListingFactory(organisation=museum, categories=[photo], networks_only=True, title="Network need")
    thread = ThreadFactory(listing=need, counterpart=photographer)
    MessageFactory(thread=thread, organisation=photographer, body="I can come next week.")
    people = {
        "anonymous": None, "outsider": outsider, "operator": operator,
        "museum_member": person(museum, "member", "member@canapa.example.org"),
        "museum_editor": person(museum, "editor", "editor@canapa.example.org"),
        "photographer": person(photographer, "admin", "anna@luce.example.org"),
        "network_member": person(partner_in_network, "member", "po@example.org"),
    }
    return {"need": need, "offer": offer, "hidden": hidden, "thread": thread, "museum": museum,
            "photographer": photographer, "photo": photo, "people": people}


def get(client, url, user):
    return client.get(url, **bearer(user))


LIST_SEES_HIDDEN = {"anonymous": False, "outsider": False, "operator": True, "museum_member": True,
                    "museum_editor": True, "photographer": False, "network_member": True}


@pytest.mark.parametrize("who", sorted(LIST_SEES_HIDDEN))
def test_list_shows_networks_only_needs_to_their_networks(client, world, who):
    response = get(client, "/api/exchange/listings?side=need", world["people"][who])
    titles = {item["title"] for item in response.json()["items"]}
    expected = {"Photographer for the collection"} | ({"Network need"} if LIST_SEES_HIDDEN[who] else set())
    assert (response.status_code, titles) == (200, expected)


@pytest.mark.parametrize("who", sorted(LIST_SEES_HIDDEN))
def test_detail_of_a_networks_only_need_is_404_outside_its_networks(client, world, who):
    response = get(client, f"/api/exchange/listings/{world['hidden'].pk}", world["people"][who])
    assert response.status_code == (200 if LIST_SEES_HIDDEN[who] else 404)


def test_list_reads_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    for index in range(20):
        ListingFactory(categories=[world["photo"], service(f"service-extra-{index % 3}")])
    with django_assert_max_num_queries(4):
        response = client.get("/api/exchange/listings?page_size=50")
    assert response.json()["count"] == 22


def test_matches_of_the_need_list_the_offer_with_reasons(client, world):
    response = client.get(f"/api/exchange/listings/{world['need'].pk}/matches")
    [match] = response.json()
    assert (match["listing"]["title"], match["score"]) == ("Museum photography", 86)
    assert [reason["code"] for reason in match["reasons"]] == ["category", "kind", "distance", "languages", "dates"]
    assert match["reasons"][2]["text"] == "20 km away"


def create_payload(world, **overrides):
    return {"organisation": world["museum"].slug, "side": "need", "kind": "service", "title": "Video of the museum",
            "categories": ["service-photo-video"], "area": "radius", "radius_km": 40, "languages": ["it"],
            **overrides}


CAN_PUBLISH = {"outsider": 403, "operator": 201, "museum_member": 403, "museum_editor": 201, "photographer": 403}


@pytest.mark.parametrize("who", sorted(CAN_PUBLISH))
def test_create_is_for_the_organisations_editors(client, world, who):
    response = client.post("/api/exchange/listings", create_payload(world), content_type="application/json",
                           **bearer(world["people"][who]))
    assert response.status_code == CAN_PUBLISH[who]


def test_create_anonymously_is_401(client, world):
    response = client.post("/api/exchange/listings", create_payload(world), content_type="application/json")
    assert response.status_code == 401


@pytest.mark.parametrize(("overrides", "detail"), [
    ({"radius_km": -3}, "area: The radius must be between 1 and 500 km."),
    ({"area": ""}, "area: Choose the area served: a distance around a place, regions or countries, or remotely."),
    ({"title": "<b>Video</b>"}, "title: The title is plain text: remove the HTML tags (such as <b> or <script>)."),
    ({"expires_on": "2000-01-01"}, "expires_on: The expiry date is in the past: choose a date from today on."),
], ids=["radius", "area", "html", "expired"])
def test_create_with_bad_input_is_400_with_a_clear_message(client, world, overrides, detail):
    response = client.post("/api/exchange/listings", create_payload(world, **overrides),
                           content_type="application/json", **bearer(world["people"]["museum_editor"]))
    assert (response.status_code, response.json()) == (400, {"detail": detail})


def test_create_with_an_unknown_category_is_422(client, world):
    response = client.post("/api/exchange/listings", create_payload(world, categories=["service-nope"]),
                           content_type="application/json", **bearer(world["people"]["museum_editor"]))
    assert response.status_code == 422


CAN_CHANGE = {"outsider": 404, "operator": 200, "museum_member": 404, "museum_editor": 200, "photographer": 404}


@pytest.mark.parametrize("who", sorted(CAN_CHANGE))
def test_update_is_for_the_organisations_editors(client, world, who):
    response = client.put(f"/api/exchange/listings/{world['need'].pk}", create_payload(world, title="Changed"),
                          content_type="application/json", **bearer(world["people"][who]))
    assert response.status_code == CAN_CHANGE[who]


def test_fulfil_records_the_partnership(client, world):
    response = client.post(f"/api/exchange/listings/{world['need'].pk}/fulfil",
                           {"partner": world["photographer"].slug, "partner_listing": world["offer"].pk},
                           content_type="application/json", **bearer(world["people"]["museum_editor"]))
    assert (response.status_code, response.json()["status"]) == (200, "fulfilled")
    partnership = Partnership.objects.get()
    assert (partnership.partner, partnership.partner_listing) == (world["photographer"], world["offer"])


READS_THREAD = {"outsider": 404, "operator": 200, "museum_member": 200, "museum_editor": 200, "photographer": 200,
                "network_member": 404}


@pytest.mark.parametrize("who", sorted(READS_THREAD))
def test_thread_messages_are_read_by_the_two_organisations_only(client, world, who):
    response = get(client, f"/api/exchange/threads/{world['thread'].pk}/messages", world["people"][who])
    assert response.status_code == READS_THREAD[who]
    if response.status_code == 200:
        assert [m["body"] for m in response.json()] == ["I can come next week."]


@pytest.mark.parametrize("who", sorted(READS_THREAD))
def test_listing_threads_are_listed_to_participants_only(client, world, who):
    response = get(client, f"/api/exchange/listings/{world['need'].pk}/threads", world["people"][who])
    assert (response.status_code, len(response.json())) == (200, 1 if READS_THREAD[who] == 200 else 0)


WRITES_THREAD = {"outsider": 404, "operator": 404, "museum_member": 201, "museum_editor": 201, "photographer": 201,
                 "network_member": 404}


@pytest.mark.parametrize("who", sorted(WRITES_THREAD))
def test_answers_are_written_by_the_two_organisations_only(client, world, who):
    response = client.post(f"/api/exchange/threads/{world['thread'].pk}/messages", {"body": "Tuesday?"},
                           content_type="application/json", **bearer(world["people"][who]))
    assert response.status_code == WRITES_THREAD[who]
    assert Message.objects.filter(body="Tuesday?").count() == (1 if WRITES_THREAD[who] == 201 else 0)


def test_writing_to_ones_own_listing_is_400(client, world):
    response = client.post(f"/api/exchange/listings/{world['need'].pk}/threads",
                           {"organisation": world["museum"].slug, "body": "Hello me"},
                           content_type="application/json", **bearer(world["people"]["museum_editor"]))
    assert (response.status_code, response.json()) == (
        400, {"detail": "This is your own organisation's offer or need: you cannot write to yourself."})


def test_mass_messaging_is_429(client, world, settings):
    settings.EXCHANGE_THREADS_PER_HOUR = 1
    other = ListingFactory(organisation=world["museum"], categories=[world["photo"]])
    headers = bearer(world["people"]["photographer"])
    statuses = [client.post(f"/api/exchange/listings/{listing.pk}/threads",
                            {"organisation": world["photographer"].slug, "body": "Hi"},
                            content_type="application/json", **headers).status_code
                for listing in (world["offer"], other, world["hidden"])]
    assert statuses == [400, 201, 404]  # their own offer, the first thread, a need they may not see
    third = ListingFactory(organisation=world["museum"], categories=[world["photo"]])
    response = client.post(f"/api/exchange/listings/{third.pk}/threads",
                           {"organisation": world["photographer"].slug, "body": "Hi"},
                           content_type="application/json", **headers)
    assert response.status_code == 429
    assert response.json()["detail"].startswith("You started 1 conversations in the last hour")


def test_expired_listing_has_no_matches(client, world):
    Listing.objects.filter(pk=world["need"].pk).update(expires_on=timezone.localdate() - datetime.timedelta(days=1))
    response = client.get(f"/api/exchange/listings/{world['need'].pk}/matches")
    assert (response.status_code, response.json()) == (200, [])


def test_matches_for_you_list_the_matches_of_the_requesters_organisations(client, world, django_assert_max_num_queries):
    headers = bearer(world["people"]["photographer"])
    with django_assert_max_num_queries(16):
        response = client.get("/api/exchange/matches", **headers)
    assert [(m["subject_title"], m["listing"]["title"]) for m in response.json()] == [
        ("Museum photography", "Photographer for the collection")]


def test_matches_for_you_need_a_token(client, world):
    assert client.get("/api/exchange/matches").status_code == 401
