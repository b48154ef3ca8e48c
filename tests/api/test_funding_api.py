"""The funding API: calls with the pages' visibility and filters; publishers create and change; users follow."""

import datetime

import pytest
from django.utils import timezone

from sinergia.desk.models import CallFollow, FundingCall
from tests import factories
from tests.api.conftest import bearer
from tests.factories import FundingCallFactory, calls_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(operator, outsider):
    return calls_world(operator, outsider)


def payload(**changes) -> dict:
    deadline = (timezone.now() + datetime.timedelta(days=30)).strftime("%Y-%m-%dT17:00:00")
    values = {"organisation": "fondazione-del-monte", "title": "Bando cultura", "funder": "Fondazione del Monte",
              "summary": "Contributi.", "language": "it", "deadline": deadline, "time_zone": "Europe/Rome",
              "eligible_kinds": ["museum"], "amount_min": "1000", "amount_max": "20000"}
    return {**values, **changes}


ROLES = ("anonymous", "outsider", "org_member", "org_editor", "other_editor", "operator")


@pytest.mark.parametrize("role", ROLES)
def test_list_shows_drafts_only_to_the_organisation_and_operators(client, world, role):
    FundingCallFactory(title="Pubblicato", organisation=world["publisher"])
    FundingCallFactory(title="Bozza", draft=True, organisation=world["publisher"])
    titles = sorted(item["title"] for item in client.get("/api/funding/calls", **bearer(world[role])).json()["items"])
    sees_draft = role in ("org_member", "org_editor", "operator")
    assert titles == (["Bozza", "Pubblicato"] if sees_draft else ["Pubblicato"])


@pytest.mark.parametrize("role", ROLES)
def test_detail_of_a_draft_by_role(client, world, role):
    call = FundingCallFactory(draft=True, organisation=world["publisher"])
    status = client.get(f"/api/funding/calls/{call.pk}", **bearer(world[role])).status_code
    assert status == (200 if role in ("org_member", "org_editor", "operator") else 404)


def test_list_eligible_for_the_tokens_user(client, world, outsider):
    factories.OrganisationMemberFactory(user=outsider, organisation__kind="archive")
    FundingCallFactory(title="Archivi", eligible_kinds=["archive"])
    FundingCallFactory(title="Musei", eligible_kinds=["museum"])
    items = client.get("/api/funding/calls?eligible=true", **bearer(outsider)).json()["items"]
    assert [item["title"] for item in items] == ["Archivi"]


def test_list_query_count_bounded(client, world, django_assert_max_num_queries):
    for _ in range(30):
        FundingCallFactory(organisation=world["publisher"])
    with django_assert_max_num_queries(6):
        response = client.get("/api/funding/calls?page_size=30")
    assert len(response.json()["items"]) == 30


def test_list_bad_state_is_422(client, db):
    assert client.get("/api/funding/calls?state=soon").status_code == 422


def test_create_by_publisher_editor_stores_wall_time_in_zone(client, world):
    response = client.post("/api/funding/calls", payload(), content_type="application/json",
                           **bearer(world["org_editor"]))
    body = response.json()
    assert (response.status_code, body["status"], body["deadline_local"][11:19], body["time_zone"]) == (
        201, "draft", "17:00:00", "Europe/Rome")


def test_create_and_publish_at_once(client, world):
    response = client.post("/api/funding/calls", payload(publish=True), content_type="application/json",
                           **bearer(world["org_editor"]))
    assert response.json()["status"] == "published"


@pytest.mark.parametrize("role", ["outsider", "org_member", "other_editor"])
def test_create_refused_to_non_publishers(client, world, role):
    response = client.post("/api/funding/calls", payload(), content_type="application/json",
                           **bearer(world[role]))
    assert response.status_code == 403


def test_create_anonymous_is_401(client, world):
    assert client.post("/api/funding/calls", payload(), content_type="application/json").status_code == 401


def test_create_impossible_eligibility_is_400_naming_fields(client, world):
    response = client.post("/api/funding/calls", payload(eligible_countries=["XX"], amount_min="50000"),
                           content_type="application/json", **bearer(world["operator"]))
    assert (response.status_code, response.json()["detail"]) == (400, (
        "amount_max: The maximum amount must not be less than the minimum. "
        "eligible_countries: Unknown: “XX”. Use two-letter ISO 3166 country codes, e.g. IT, FR or DE."))


def test_create_published_with_past_deadline_is_400(client, world):
    response = client.post("/api/funding/calls", payload(deadline="2020-01-01T12:00:00", publish=True),
                           content_type="application/json", **bearer(world["operator"]))
    assert (response.status_code, FundingCall.objects.count()) == (400, 0)


def test_patch_changes_only_the_fields_sent(client, world):
    call = FundingCallFactory(organisation=world["publisher"], title="Vecchio", funder="Fondazione")
    response = client.patch(f"/api/funding/calls/{call.pk}", {"title": "Nuovo"}, content_type="application/json",
                            **bearer(world["org_admin"]))
    assert (response.json()["title"], response.json()["funder"]) == ("Nuovo", "Fondazione")


@pytest.mark.parametrize(("role", "status"), [("outsider", 404), ("org_member", 404), ("other_editor", 404)],
                         ids=["outsider", "member", "other-editor"])
def test_patch_refused_as_not_found(client, world, role, status):
    call = FundingCallFactory(organisation=world["publisher"])
    response = client.patch(f"/api/funding/calls/{call.pk}", {"title": "X"}, content_type="application/json",
                            **bearer(world[role]))
    assert response.status_code == status


def test_follow_and_unfollow(client, world, outsider):
    call = FundingCallFactory()
    headers = bearer(outsider)
    followed = client.post(f"/api/funding/calls/{call.pk}/follow", **headers).json()
    stored = CallFollow.objects.filter(call=call, user=outsider).count()
    deleted = client.delete(f"/api/funding/calls/{call.pk}/follow", **headers).status_code
    assert (followed, stored, deleted, CallFollow.objects.count()) == ({"following": True}, 1, 204, 0)


def test_follow_draft_is_404_for_outsider(client, world, outsider):
    call = FundingCallFactory(draft=True, organisation=world["publisher"])
    assert client.post(f"/api/funding/calls/{call.pk}/follow", **bearer(outsider)).status_code == 404


def test_withdraw_hides_the_call(client, world):
    call = FundingCallFactory(organisation=world["publisher"])
    client.post(f"/api/funding/calls/{call.pk}/withdraw", {"reason": "Annullato"}, content_type="application/json",
                **bearer(world["org_admin"]))
    assert client.get(f"/api/funding/calls/{call.pk}").status_code == 404
