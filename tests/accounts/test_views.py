"""The account pages: profile, tokens, export and deletion, as a signed-in person uses them."""

import json

import pytest
from django.conf import settings
from django.urls import reverse

from sinergia.accounts.models import ApiToken, User
from tests import factories
from tests.accounts.conftest import PASSWORD


def test_profile_saves_and_switches_to_the_chosen_language(member_client, member):
    response = member_client.post(reverse("accounts:profile"), {"full_name": "Ada King", "language": "fr"})
    assert (response.status_code, response.url) == (302, "/fr/account/")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    member.refresh_from_db()
    assert (member.full_name, member.language) == ("Ada King", "fr")
    page = member_client.get(response.url)
    assert '<html lang="fr">' in page.content.decode()


def test_profile_shows_errors_on_the_form(member_client, member):
    response = member_client.post(reverse("accounts:profile"), {"full_name": "", "language": "xx"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_full_name_error"' in html and 'id="id_language_error"' in html
    member.refresh_from_db()
    assert member.full_name == "Ada Lovelace"


def test_token_is_shown_once_then_listed_by_prefix(member_client, member):
    response = member_client.post(reverse("accounts:tokens"), {"name": "calendar sync"})
    token = ApiToken.objects.get(user=member)
    raw = response.context["raw_token"]
    assert ApiToken.hash(raw) == token.digest
    assert raw in response.content.decode()
    listing = member_client.get(reverse("accounts:tokens")).content.decode()
    assert raw not in listing
    assert f"{token.prefix}…" in listing and "calendar sync" in listing


def test_token_form_errors_are_shown(member_client, member):
    response = member_client.post(reverse("accounts:tokens"), {"name": ""})
    assert response.status_code == 200
    assert 'id="id_name_error"' in response.content.decode()
    assert ApiToken.objects.count() == 0


def test_token_revoke_of_own_token(member_client, member):
    member_client.post(reverse("accounts:tokens"), {"name": "x"})
    token = ApiToken.objects.get()
    response = member_client.post(reverse("accounts:token_revoke", args=[token.pk]), follow=True)
    assert "The token “x” was revoked." in response.content.decode()
    assert ApiToken.objects.count() == 0


def test_token_revoke_of_someone_elses_token_is_not_found(member_client, outsider):
    raw = ApiToken.generate()
    token = ApiToken.objects.create(user=outsider, name="theirs", digest=ApiToken.hash(raw), prefix=raw[:8])
    response = member_client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_token_revoke_needs_post(member_client, member):
    member_client.post(reverse("accounts:tokens"), {"name": "x"})
    response = member_client.get(reverse("accounts:token_revoke", args=[ApiToken.objects.get().pk]))
    assert response.status_code == 405


def test_tokens_page_queries_stay_few(member_client, member, django_assert_max_num_queries):
    for number in range(20):
        raw = ApiToken.generate()
        ApiToken.objects.create(user=member, name=f"t{number}", digest=ApiToken.hash(raw), prefix=raw[:8])
    with django_assert_max_num_queries(15):
        response = member_client.get(reverse("accounts:tokens"))
    assert response.content.decode().count("Revoke<span") == 20


def test_export_downloads_json(member_client, member):
    response = member_client.post(reverse("accounts:export"))
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="sinergia-personal-data.json"'
    data = json.loads(response.content)
    assert (data["format"], data["profile"]["full_name"]) == ("sinergia-personal-data/1", "Ada Lovelace")


def test_delete_needs_the_password(member_client, member):
    response = member_client.post(reverse("accounts:delete"), {"password": "wrong"})
    assert "The password is not correct." in response.content.decode()
    assert User.objects.filter(pk=member.pk).exists()


def test_delete_signs_out_and_removes_the_account(member_client, member):
    response = member_client.post(reverse("accounts:delete"), {"password": PASSWORD}, follow=True)
    assert "Your account and your personal data were deleted." in response.content.decode()
    assert "_auth_user_id" not in member_client.session
    assert not User.objects.filter(pk=member.pk).exists()


def test_delete_page_explains_why_it_is_refused(member_client, member):
    factories.OrganisationMemberFactory(organisation=factories.OrganisationFactory(name="Museo A"), user=member)
    page = member_client.get(reverse("accounts:delete")).content.decode()
    assert "You are the last administrator of these organisations:" in page and "<li>Museo A</li>" in page
    response = member_client.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert "You are the last administrator of Museo A." in response.content.decode()
    assert User.objects.filter(pk=member.pk).exists()


@pytest.mark.django_db
def test_export_and_delete_need_a_signed_in_user(client):
    assert client.post(reverse("accounts:export")).status_code == 302
    assert client.post(reverse("accounts:delete"), {"password": PASSWORD}).status_code == 302
