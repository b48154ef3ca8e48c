"""Sign-up with e-mail verification, login by e-mail, password reset: allauth wired into the site."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db
User = get_user_model()
NEW_PASSWORD = "a quite different passphrase"


def link_in(message, path_piece: str) -> str:
    """The path of the first link in the e-mail that contains `path_piece`."""
    match = re.search(rf"https?://[^/\s]+(/\S*{re.escape(path_piece)}\S*)", message.body)
    assert match, message.body
    return match.group(1)


def sign_up(client, email: str = "Grace@Example.org"):
    return client.post(reverse("account_signup"), {
        "email": email, "full_name": "Grace Hopper", "password1": PASSWORD, "password2": PASSWORD,
    })


def test_signup_sends_a_verification_email_and_keeps_the_name(client):
    response = sign_up(client)
    assert (response.status_code, response.url) == (302, reverse("account_email_verification_sent"))
    user = User.objects.get(email="grace@example.org")
    assert (user.full_name, user.language) == ("Grace Hopper", "en")
    assert [message.to for message in mail.outbox] == [["grace@example.org"]]
    assert "/confirm-email/" in mail.outbox[0].body


def test_signup_with_a_taken_email_warns_the_owner_without_revealing_the_account(client, member):
    response = sign_up(client, email="ADA@example.org")
    assert (response.status_code, response.url) == (302, reverse("account_email_verification_sent"))
    assert User.objects.filter(email__iexact="ada@example.org").count() == 1
    assert [message.to for message in mail.outbox] == [["ada@example.org"]]
    assert "already" in mail.outbox[0].subject.lower()


def test_login_is_refused_until_the_address_is_confirmed(client):
    sign_up(client)
    client.logout()
    mail.outbox.clear()
    response = client.post(reverse("account_login"), {"login": "grace@example.org", "password": PASSWORD})
    assert (response.status_code, response.url) == (302, reverse("account_email_verification_sent"))
    assert "_auth_user_id" not in client.session


def test_confirming_the_address_then_logging_in_by_email(client):
    sign_up(client)
    confirm_path = link_in(mail.outbox[0], "/confirm-email/")
    page = client.get(confirm_path, follow=True)
    assert page.status_code == 200
    assert "Please confirm that" in page.content.decode()
    client.post(page.redirect_chain[-1][0] if page.redirect_chain else confirm_path)
    assert EmailAddress.objects.get(email="grace@example.org").verified
    client.logout()
    response = client.post(reverse("account_login"), {"login": "GRACE@example.org", "password": PASSWORD})
    assert (response.status_code, response.url) == (302, reverse("core:dashboard"))
    assert int(client.session["_auth_user_id"]) == User.objects.get(email="grace@example.org").pk


def test_wrong_password_shows_an_error_on_the_login_page(client, member):
    response = client.post(reverse("account_login"), {"login": member.email, "password": "wrong"})
    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in response.content.decode()


def test_an_invalid_confirmation_link_says_so(client):
    response = client.get(reverse("account_confirm_email", args=["not-a-key"]))
    assert "This email confirmation link expired or is invalid." in response.content.decode()


def test_password_reset_by_email(client, member):
    response = client.post(reverse("account_reset_password"), {"email": "ada@example.org"})
    assert (response.status_code, response.url) == (302, reverse("account_reset_password_done"))
    assert [message.to for message in mail.outbox] == [["ada@example.org"]]
    key_path = link_in(mail.outbox[0], "/password/reset/key/")
    form_page = client.get(key_path, follow=True)
    assert "Change Password" in form_page.content.decode()
    set_path = form_page.redirect_chain[-1][0]
    done = client.post(set_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert (done.status_code, done.url) == (302, reverse("account_reset_password_from_key_done"))
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)


def test_a_used_reset_link_is_a_bad_token(client, member):
    client.post(reverse("account_reset_password"), {"email": "ada@example.org"})
    key_path = link_in(mail.outbox[0], "/password/reset/key/")
    set_path = client.get(key_path, follow=True).redirect_chain[-1][0]
    client.post(set_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    again = client.get(key_path, follow=True)
    assert "Bad Token" in again.content.decode()
