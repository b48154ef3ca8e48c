"""Bearer-token authentication: who may write, and what a bad token gets."""

import datetime

import pytest
from django.utils import timezone
from django.utils.translation import gettext, override

from sinergia.accounts.models import ApiToken
from sinergia.accounts.services import api_token_revoke
from tests.api.conftest import bearer

UNAUTHORISED = "A valid API token is required (Authorization: Bearer <token>)."


@pytest.fixture
def application(membership_in):
    return membership_in("applied")


def admit(client, membership, **headers):
    return client.post(f"/api/memberships/{membership.pk}/admit", {}, content_type="application/json", **headers)


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer ", "Bearer sin_not-a-real-token", "Basic dXNlcjpwYXNz",
                                    "Token sin_whatever"])
def test_write_without_a_valid_token_is_a_401(client, application, coordinator, header):
    response = admit(client, application, **({"HTTP_AUTHORIZATION": header} if header else {}))
    assert (response.status_code, response.json()) == (401, {"detail": UNAUTHORISED})
    assert response["WWW-Authenticate"] == "Bearer"
    application.refresh_from_db()
    assert application.status == "applied"


def test_write_with_a_revoked_token_is_a_401(client, application, coordinator):
    headers = bearer(coordinator)
    api_token_revoke(token=ApiToken.objects.get(user=coordinator), by=coordinator)
    assert admit(client, application, **headers).status_code == 401


def test_write_with_the_token_of_a_deactivated_user_is_a_401(client, application, coordinator):
    headers = bearer(coordinator)
    coordinator.is_active = False
    coordinator.save()
    assert admit(client, application, **headers).status_code == 401


def test_write_with_a_session_but_no_token_is_a_401(client, application, coordinator):
    client.force_login(coordinator)
    assert admit(client, application).status_code == 401


def test_token_records_its_last_use(client, coordinator):
    headers = bearer(coordinator)
    client.get("/api/memberships/1", **headers)
    token = ApiToken.objects.get(user=coordinator)
    assert timezone.now() - token.last_used_at < datetime.timedelta(seconds=5)


def test_token_last_use_is_written_at_most_once_a_minute(client, coordinator):
    headers = bearer(coordinator)
    recent = timezone.now() - datetime.timedelta(seconds=30)
    ApiToken.objects.filter(user=coordinator).update(last_used_at=recent)
    client.get("/api/networks", **headers)
    assert ApiToken.objects.get(user=coordinator).last_used_at == recent
    ApiToken.objects.filter(user=coordinator).update(last_used_at=recent - datetime.timedelta(seconds=31))
    client.get("/api/networks", **headers)
    assert ApiToken.objects.get(user=coordinator).last_used_at > recent


def test_read_with_a_bad_token_is_a_401(client, network):
    response = client.get("/api/networks", HTTP_AUTHORIZATION="Bearer sin_wrong")
    assert response.status_code == 401


def test_read_without_a_token_is_public(client, network):
    assert client.get("/api/networks").status_code == 200


@pytest.mark.parametrize(("query", "headers", "language"), [
    ("?lang=it", {}, "it"),
    ("?lang=pt", {"HTTP_ACCEPT_LANGUAGE": "fr"}, "pt"),
    ("", {"HTTP_ACCEPT_LANGUAGE": "es"}, "es"),
    ("?lang=xx", {"HTTP_ACCEPT_LANGUAGE": "fr"}, "fr"),
])
def test_errors_speak_the_requested_language(client, application, query, headers, language):
    response = client.post(f"/api/memberships/{application.pk}/admit{query}", {}, content_type="application/json",
                           **headers)
    assert response["Content-Language"] == language
    with override(language):
        assert response.json() == {"detail": gettext(UNAUTHORISED)}


@pytest.mark.parametrize("language", ["it", "fr", "es", "pt"])
def test_errors_are_translated(client, application, language):
    response = client.post(f"/api/memberships/{application.pk}/admit?lang={language}", {},
                           content_type="application/json")
    with override(language):
        translated = gettext(UNAUTHORISED)
    assert translated != UNAUTHORISED
    assert response.json() == {"detail": translated}
