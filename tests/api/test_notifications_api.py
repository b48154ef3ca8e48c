"""The notifications API: the requester's list, marking as read and e-mail preferences, with a bearer token."""

import pytest

from sinergia.core.models import Notification, NotificationPreference
from sinergia.core.notifications import KINDS
from tests.api.conftest import bearer
from tests.factories import NotificationFactory, UserFactory

pytestmark = pytest.mark.django_db

ENDPOINTS = [("get", "/api/notifications"), ("post", "/api/notifications/read"),
             ("get", "/api/notifications/preferences"), ("put", "/api/notifications/preferences")]


@pytest.fixture
def owner():
    return UserFactory(email="lucia@example.org")


@pytest.fixture
def owned(owner):
    return [NotificationFactory(recipient=owner, title="Read", read_at="2026-03-01T10:00:00Z"),
            NotificationFactory(recipient=owner, title="Unread", kind="exchange.match", url="/en/exchange/3/")]


def call(client, method, path, user=None, body=None, headers=None):
    return getattr(client, method)(path, body or {}, content_type="application/json",
                                   **(headers if headers is not None else bearer(user)))


@pytest.mark.parametrize(("method", "path"), ENDPOINTS, ids=[f"{m}-{p}" for m, p in ENDPOINTS])
@pytest.mark.parametrize("headers", [{}, {"HTTP_AUTHORIZATION": "Bearer not-a-token"}], ids=["anonymous", "bad"])
def test_every_endpoint_needs_a_token(client, owned, method, path, headers):
    response = call(client, method, path, headers=headers)

    assert (response.status_code, response.json()) == (
        401, {"detail": "A valid API token is required (Authorization: Bearer <token>)."})


def test_every_endpoint_refuses_a_session_without_token(client, owner, owned):
    client.force_login(owner)

    assert [call(client, method, path, headers={}).status_code for method, path in ENDPOINTS] == [401] * 4


def test_list_gives_the_owner_their_notifications_newest_first(client, owner, owned):
    response = call(client, "get", "/api/notifications", owner)

    body = response.json()
    assert (response.status_code, body["count"], [item["title"] for item in body["items"]]) == (
        200, 2, ["Unread", "Read"])
    assert {k: v for k, v in body["items"][0].items() if k not in ("id", "created_at")} == {
        "kind": "exchange.match", "group": "exchange", "title": "Unread", "body": "",
        "url": "http://127.0.0.1:8000/en/exchange/3/", "read_at": None}


def test_list_unread_filter(client, owner, owned):
    body = call(client, "get", "/api/notifications?unread=true", owner).json()

    assert [item["title"] for item in body["items"]] == ["Unread"]


@pytest.mark.parametrize("who", ["outsider", "operator"], ids=["outsider", "operator"])
def test_list_never_shows_another_user_notifications(client, owned, outsider, operator, who):
    body = call(client, "get", "/api/notifications", {"outsider": outsider, "operator": operator}[who]).json()

    assert (body["count"], body["items"]) == (0, [])


def test_list_queries_do_not_grow_with_notifications(client, owner, django_assert_max_num_queries):
    NotificationFactory.create_batch(30, recipient=owner)
    headers = bearer(owner)

    with django_assert_max_num_queries(5):
        response = call(client, "get", "/api/notifications?page_size=30", headers=headers)

    assert len(response.json()["items"]) == 30


def test_read_marks_the_given_ids_of_the_owner_only(client, owner, owned, outsider):
    other = NotificationFactory(recipient=outsider)

    response = call(client, "post", "/api/notifications/read", owner, {"ids": [owned[1].pk, other.pk]})

    assert (response.status_code, response.json()) == (200, {"marked": 1})
    assert list(Notification.objects.filter(read_at__isnull=True)) == [other]


def test_read_without_ids_marks_all_of_the_owner(client, owner, owned, outsider):
    other = NotificationFactory(recipient=outsider)

    assert call(client, "post", "/api/notifications/read", owner).json() == {"marked": 1}
    assert list(Notification.objects.filter(read_at__isnull=True)) == [other]


def test_read_refuses_too_many_ids(client, owner):
    response = call(client, "post", "/api/notifications/read", owner, {"ids": list(range(1, 502))})

    assert response.status_code == 422


def test_preferences_get_lists_every_kind_with_its_mode(client, owner):
    NotificationPreference.objects.create(user=owner, kind="exchange.match", mode="off")

    body = call(client, "get", "/api/notifications/preferences", owner).json()

    assert (body["all_off"], len(body["kinds"])) == (False, len(KINDS))
    assert [k for k in body["kinds"] if k["kind"] == "exchange.match"] == [
        {"kind": "exchange.match", "label": "An offer or need matches yours", "group": "exchange",
         "group_label": "Exchange", "mode": "off", "default": "digest"}]


def test_preferences_put_changes_the_named_kinds_and_all_off(client, owner, outsider):
    response = call(client, "put", "/api/notifications/preferences", owner,
                    {"all_off": True, "modes": {"networks.admitted": "digest"}})

    body = response.json()
    assert (response.status_code, body["all_off"]) == (200, True)
    assert [k["mode"] for k in body["kinds"] if k["kind"] == "networks.admitted"] == ["digest"]
    assert dict(NotificationPreference.objects.filter(user=owner).values_list("kind", "mode")) == {
        "networks.admitted": "digest", "*": "off"}
    assert NotificationPreference.objects.filter(user=outsider).count() == 0


@pytest.mark.parametrize(("modes", "status", "detail"), [
    ({"networks.unknown": "off"}, 400, "Unknown kinds or modes: networks.unknown."),
    ({"networks.admitted": "weekly"}, 422, None),
], ids=["unknown-kind", "unknown-mode"])
def test_preferences_put_refuses_unknown_kinds_and_modes(client, owner, modes, status, detail):
    response = call(client, "put", "/api/notifications/preferences", owner, {"modes": modes})

    assert response.status_code == status
    if detail:
        assert response.json() == {"detail": detail}
    assert NotificationPreference.objects.count() == 0
