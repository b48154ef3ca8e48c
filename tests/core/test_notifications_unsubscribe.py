"""Unsubscribe links: the signed token, the confirmation page and the one-click POST of RFC 8058."""

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from sinergia.core.models import AuditEntry, NotificationPreference
from sinergia.core.notifications import BadToken, unsubscribe_read, unsubscribe_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return UserFactory(email="lucia@example.org", language="it")


@pytest.fixture
def token(user):
    return unsubscribe_token(user_id=user.pk, kind="exchange.match")


def page(token):
    return f"/en/notifications/unsubscribe/{token}/"


def one_click(token):
    return f"/api/notifications/unsubscribe/{token}"


def stored(user):
    return dict(NotificationPreference.objects.filter(user=user).values_list("kind", "mode"))


def forged(token):
    return token[:-1] + ("A" if token[-1] != "A" else "B")


def test_token_round_trip():
    assert unsubscribe_read(unsubscribe_token(user_id=7, kind="*")) == (7, "*")


def test_token_altered_is_refused(token):
    with pytest.raises(BadToken):
        unsubscribe_read(forged(token))


@given(st.text(max_size=400))
def test_token_read_of_any_text_is_a_pair_or_bad_token(text):
    try:
        user_id, kind = unsubscribe_read(text)
    except BadToken:
        return
    assert (type(user_id), type(kind)) == (int, str)


def test_token_signed_with_another_salt_is_refused():
    from django.core import signing

    with pytest.raises(BadToken):
        unsubscribe_read(signing.Signer(salt="another").sign_object([1, "exchange.match"]))


def test_page_get_says_what_will_stop_and_changes_nothing(client, user, token):
    response = client.get(page(token))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Stop e-mail about “An offer or need matches yours” to l***@example.org?" in html
    assert stored(user) == {}


def test_page_post_switches_the_kind_off(client, user, token):
    response = client.post(page(token))

    assert response.status_code == 200
    assert "Done: no more e-mail about “An offer or need matches yours” will be sent to l***@example.org." in (
        response.content.decode())
    assert stored(user) == {"exchange.match": "off"}
    assert AuditEntry.objects.get().action == "core.notification_unsubscribe"


def test_page_post_of_an_all_token_switches_every_email_off(client, user):
    client.post(page(unsubscribe_token(user_id=user.pk, kind="*")))

    assert stored(user) == {"*": "off"}


def test_page_needs_the_csrf_token(user, token):
    response = Client(enforce_csrf_checks=True).post(page(token))

    assert (response.status_code, stored(user)) == (403, {})


@pytest.mark.parametrize("make", [forged, lambda token: "nonsense", lambda token: "x" * 400],
                         ids=["forged", "garbage", "too-long"])
def test_page_with_a_bad_token_is_a_clear_400(client, user, token, make):
    response = client.post(page(make(token)))

    assert response.status_code == 400
    assert "This unsubscribe link does not work" in response.content.decode()
    assert stored(user) == {}


def test_page_for_a_deleted_user_is_a_400(client, user, token):
    user.delete()

    assert client.get(page(token)).status_code == 400


def test_page_of_another_user_token_changes_that_user_only(client, user, token):
    signed_in = UserFactory(email="other@example.org")
    client.force_login(signed_in)

    client.post(page(token))

    assert (stored(user), stored(signed_in)) == ({"exchange.match": "off"}, {})


def test_one_click_post_without_session_or_csrf_switches_the_kind_off_and_answers_in_the_user_language(user, token):
    response = Client(enforce_csrf_checks=True).post(
        one_click(token), "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")

    assert (response.status_code, response.json()) == (
        200, {"detail": "Non riceverà più e-mail per: Un'offerta o una richiesta corrisponde alla sua."})
    assert stored(user) == {"exchange.match": "off"}


def test_one_click_post_twice_is_harmless(client, user, token):
    client.post(one_click(token))

    assert (client.post(one_click(token)).status_code, stored(user)) == (200, {"exchange.match": "off"})


def test_one_click_with_a_forged_token_is_a_400(client, user, token):
    response = client.post(one_click(forged(token)), headers={"Accept-Language": "en"})

    assert (response.status_code, response.json()) == (400, {"detail": "This unsubscribe link is not valid."})
    assert stored(user) == {}


def test_one_click_get_leads_to_the_confirmation_page_in_the_user_language(client, user, token):
    response = client.get(one_click(token))

    assert (response.status_code, response["Location"]) == (302, f"/it/notifications/unsubscribe/{token}/")
    assert stored(user) == {}
