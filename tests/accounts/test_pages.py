"""Every account page renders in the site's layout, with labelled Bootstrap Italia fields."""

import re

import pytest
from django.urls import reverse

ANONYMOUS_PAGES = ["account_login", "account_signup", "account_reset_password", "account_reset_password_done",
                   "account_email_verification_sent"]
MEMBER_PAGES = ["account_logout", "account_email", "account_change_password", "accounts:profile", "accounts:tokens",
                "accounts:export", "accounts:delete"]


def assert_site_page(html: str) -> None:
    assert 'class="it-header-wrapper"' in html
    assert len(re.findall(r"<h1[ >]", html)) == 1
    for input_id in re.findall(r'<input[^>]*type="(?:text|email|password)"[^>]*id="([^"]+)"', html):
        assert f'for="{input_id}"' in html, input_id
    assert "<script>" not in html
    assert "style=" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("name", ANONYMOUS_PAGES)
def test_entrance_pages_use_the_site_layout(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert_site_page(response.content.decode())


@pytest.mark.parametrize("name", MEMBER_PAGES)
def test_account_pages_use_the_site_layout(member_client, name):
    response = member_client.get(reverse(name))
    assert response.status_code == 200
    assert_site_page(response.content.decode())


@pytest.mark.parametrize("name", MEMBER_PAGES[3:])
def test_account_pages_need_a_signed_in_user(client, db, name):
    response = client.get(reverse(name))
    assert (response.status_code, response.url) == (302, f"{reverse('account_login')}?next={reverse(name)}")


def test_login_form_fields_are_styled(client, db):
    html = client.get(reverse("account_login")).content.decode()
    assert re.search(r'<input[^>]*type="email"[^>]*class="form-control"|<input[^>]*class="form-control"[^>]*type="email"',
                     html)
    assert 'class="form-check-input"' in html
    assert reverse("account_reset_password") in html
