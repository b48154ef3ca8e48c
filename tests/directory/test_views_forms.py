"""The directory's forms through the browser's eyes: success, and every bad input shown clearly."""

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sinergia.directory.models import Claim, Invitation, Organisation, OrganisationMember
from tests import factories
from tests.directory.conftest import image_upload

pytestmark = pytest.mark.django_db
NEW = "/en/organisations/new/"


def form_data(**fields) -> dict:
    data = {"name": "Ecomuseo delle Valli", "kind": "ecomuseum", "municipality": "Argenta", "country": "IT",
            "latitude": "44.61", "longitude": "11.83", "languages": "it, en", "description": "Valleys."}
    return {**data, **fields}


def test_create_page_needs_a_signed_in_user(client):
    response = client.get(NEW)
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/?next=/en/organisations/new/")


def test_create_page_has_a_labelled_form(client, outsider):
    client.force_login(outsider)
    content = client.get(NEW).content.decode()

    assert '<label for="id_name" class="active">Name' in content
    assert 'enctype="multipart/form-data"' in content
    assert 'accept="image/png,image/jpeg,image/gif,image/webp"' in content


def test_create_makes_the_organisation_and_its_admin(client, outsider, png):
    client.force_login(outsider)

    response = client.post(NEW, {**form_data(), "logo": png})

    organisation = Organisation.objects.get(name="Ecomuseo delle Valli")
    assert response.status_code == 302
    assert response["Location"] == "/en/organisations/ecomuseo-delle-valli/"
    assert organisation.languages == ["it", "en"]
    assert organisation.logo.name.endswith("ecomuseo-delle-valli.png")
    assert organisation.people.get().role == OrganisationMember.Role.ADMIN


@pytest.mark.parametrize(("fields", "message"), [
    ({"latitude": "95"}, "Latitude must be between -90 and 90."),
    ({"longitude": "-200"}, "Longitude must be between -180 and 180."),
    ({"latitude": ""}, "Give both latitude and longitude, or neither."),
    ({"name": "x" * 300}, "Ensure this value has at most 255 characters (it has 300)."),
    ({"description": "x" * 20_001}, "Ensure this value has at most 20000 characters (it has 20001)."),
    ({"country": "ITA"}, "Ensure this value has at most 2 characters (it has 3)."),
    ({"languages": "italiano!"}, "These are not language codes: italiano!."),
])
def test_create_shows_bad_input_and_writes_nothing(client, outsider, fields, message):
    client.force_login(outsider)

    response = client.post(NEW, form_data(**fields))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Organisation.objects.count() == 0


def test_create_refuses_a_duplicate_name(client, outsider, museum):
    client.force_login(outsider)

    response = client.post(NEW, form_data(name="Museo del Patrimonio Industriale", municipality="Bologna"))

    assert "An organisation called “Museo del Patrimonio Industriale” is already listed in Bologna." in (
        response.content.decode())
    assert Organisation.objects.count() == 1


def test_create_refuses_a_logo_that_is_not_an_image(client, outsider):
    client.force_login(outsider)
    fake = SimpleUploadedFile("logo.png", b"%PDF-1.4 not an image", content_type="image/png")

    response = client.post(NEW, {**form_data(), "logo": fake})

    assert "This file is not an image we can use: upload a PNG, JPEG, GIF or WebP picture." in (
        response.content.decode())
    assert Organisation.objects.count() == 0


def test_create_refuses_a_three_megabyte_logo(client, outsider):
    client.force_login(outsider)
    big = image_upload(size=(1100, 1000), noise=True)

    response = client.post(NEW, {**form_data(), "logo": big})

    content = response.content.decode()
    assert "The logo is 3." in content
    assert "a logo may be at most 2.0\xa0MB." in content
    assert Organisation.objects.count() == 0


def test_edit_saves_the_profile(client, org_editor, museum):
    client.force_login(org_editor)
    data = form_data(name=museum.name, municipality="Bologna", description="New **text**.")

    response = client.post(f"/en/organisations/{museum.slug}/edit/", data)

    assert response.status_code == 302
    museum.refresh_from_db()
    assert (museum.description, museum.kind) == ("New **text**.", "ecomuseum")


def test_edit_form_shows_the_current_values(client, org_editor, museum):
    museum.languages = ["it", "de"]
    museum.save()
    client.force_login(org_editor)

    content = client.get(f"/en/organisations/{museum.slug}/edit/").content.decode()

    assert 'value="it, de"' in content
    assert 'value="Museo del Patrimonio Industriale"' in content


def test_edit_with_a_bad_latitude_keeps_the_stored_profile(client, org_admin, museum):
    client.force_login(org_admin)

    response = client.post(f"/en/organisations/{museum.slug}/edit/", form_data(name="Renamed", latitude="95"))

    assert "Latitude must be between -90 and 90." in response.content.decode()
    museum.refresh_from_db()
    assert (museum.name, museum.latitude) == ("Museo del Patrimonio Industriale", 44.4949)


def test_claim_sends_the_claim(client, outsider, museum):
    client.force_login(outsider)

    response = client.post(f"/en/organisations/{museum.slug}/claim/", {"message": "I am the director."})

    assert response.status_code == 302
    assert Claim.objects.get().message == "I am the director."


def test_claim_page_says_a_claim_is_pending(client, outsider, museum):
    factories.ClaimFactory(organisation=museum, user=outsider)
    client.force_login(outsider)

    content = client.get(f"/en/organisations/{museum.slug}/claim/").content.decode()

    assert "An operator will verify it and notify you." in content
    assert "<textarea" not in content


def test_claim_without_a_message_shows_the_error(client, outsider, museum):
    client.force_login(outsider)
    response = client.post(f"/en/organisations/{museum.slug}/claim/", {"message": ""})
    assert "This field is required." in response.content.decode()
    assert Claim.objects.count() == 0


def test_operator_approves_a_claim_from_the_moderation_page(client, operator, outsider, museum):
    claim = factories.ClaimFactory(organisation=museum, user=outsider)
    client.force_login(operator)
    assert f'action="/en/organisations/claims/{claim.pk}/decide/"' in client.get("/en/moderation/").content.decode()

    response = client.post(f"/en/organisations/claims/{claim.pk}/decide/", {"decision": "approve"}, follow=True)

    assert f"The claim of {outsider.display_name} on Museo del Patrimonio Industriale was approved." in (
        response.content.decode())
    assert museum.people.get(user=outsider).role == OrganisationMember.Role.ADMIN


def test_operator_must_give_a_reason_to_reject(client, operator, museum):
    claim = factories.ClaimFactory(organisation=museum)
    client.force_login(operator)

    response = client.post(f"/en/organisations/claims/{claim.pk}/decide/", {"decision": "reject"}, follow=True)

    assert "Please fill in the reason of the decision." in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PENDING


def test_moderation_page_lists_pending_claims_and_recent_actions(client, operator, museum,
                                                                  django_assert_max_num_queries):
    for _ in range(20):
        factories.ClaimFactory(organisation=museum)
    client.force_login(operator)

    with django_assert_max_num_queries(10):
        response = client.get("/en/moderation/")

    content = response.content.decode()
    assert "20 claims to verify" in content
    assert content.count("/decide/") == 20


def test_moderation_page_is_for_operators_only(client, outsider):
    client.force_login(outsider)
    assert client.get("/en/moderation/").status_code == 302


def test_invite_sends_the_invitation(client, org_admin, museum, django_capture_on_commit_callbacks):
    client.force_login(org_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/organisations/{museum.slug}/people/invite/",
                               {"email": "curator@example.org", "role": "editor"})

    assert response["Location"] == f"/en/organisations/{museum.slug}/people/"
    assert Invitation.objects.get().role == "editor"
    assert [m.to for m in mail.outbox] == [["curator@example.org"]]


def test_invite_shows_a_bad_address(client, org_admin, museum):
    client.force_login(org_admin)
    response = client.post(f"/en/organisations/{museum.slug}/people/invite/", {"email": "nope", "role": "editor"})
    assert "Enter a valid email address." in response.content.decode()


def test_accept_page_then_accept(client, outsider, museum):
    invitation = factories.InvitationFactory(organisation=museum, email=outsider.email, role="member")
    client.force_login(outsider)
    url = f"/en/organisations/invitations/{invitation.token}/"

    assert "Accept the invitation" in client.get(url).content.decode()
    response = client.post(url)

    assert response["Location"] == f"/en/organisations/{museum.slug}/"
    assert museum.people.get(user=outsider).role == "member"


def test_accept_page_explains_a_wrong_address_and_an_expiry(client, outsider, museum):
    wrong = factories.InvitationFactory(organisation=museum, email="other@example.org")
    expired = factories.InvitationFactory(organisation=museum, email=outsider.email,
                                          expires_at=timezone.now() - datetime.timedelta(days=1))
    client.force_login(outsider)

    wrong_page = client.get(f"/en/organisations/invitations/{wrong.token}/").content.decode()
    response = client.post(f"/en/organisations/invitations/{expired.token}/")

    assert "This invitation was sent to another e-mail address." in wrong_page
    assert "Accept the invitation" not in wrong_page
    assert response.status_code == 400
    assert "ask the organisation to invite you again." in response.content.decode()
    assert not museum.people.filter(user=outsider).exists()


def test_accept_needs_login_and_an_existing_token(client, outsider):
    assert client.get("/en/organisations/invitations/abc/").status_code == 302
    client.force_login(outsider)
    assert client.get("/en/organisations/invitations/abc/").status_code == 404


def test_people_page_lists_roles_and_invitations(client, org_admin, org_member, museum,
                                                 django_assert_max_num_queries):
    factories.InvitationFactory(organisation=museum, email="waiting@example.org")
    for _ in range(20):
        factories.OrganisationMemberFactory(organisation=museum, plain=True)
    client.force_login(org_admin)

    with django_assert_max_num_queries(12):
        content = client.get(f"/en/organisations/{museum.slug}/people/").content.decode()

    assert content.count('name="role"') == 22
    assert "waiting@example.org" in content


def test_people_page_shows_a_member_no_management(client, org_admin, org_member, museum):
    client.force_login(org_member)

    content = client.get(f"/en/organisations/{museum.slug}/people/").content.decode()

    assert 'name="role"' not in content
    assert content.count(">Leave<") == 1


def test_role_change_refuses_to_demote_the_last_admin(client, org_admin, museum):
    client.force_login(org_admin)
    member = museum.people.get(user=org_admin)

    response = client.post(f"/en/organisations/{museum.slug}/people/{member.pk}/role/", {"role": "member"},
                           follow=True)

    assert "must keep at least one administrator" in response.content.decode()
    member.refresh_from_db()
    assert member.role == "admin"


def test_remove_and_revoke(client, org_admin, org_editor, museum):
    invitation = factories.InvitationFactory(organisation=museum)
    client.force_login(org_admin)
    editor = museum.people.get(user=org_editor)

    client.post(f"/en/organisations/{museum.slug}/people/{editor.pk}/remove/")
    client.post(f"/en/organisations/{museum.slug}/invitations/{invitation.pk}/revoke/")

    assert list(museum.people.values_list("user", flat=True)) == [org_admin.pk]
    assert Invitation.objects.count() == 0


def test_a_member_leaves_from_the_people_page(client, org_admin, org_member, museum):
    client.force_login(org_member)
    member = museum.people.get(user=org_member)

    response = client.post(f"/en/organisations/{museum.slug}/people/{member.pk}/remove/")

    assert response["Location"] == f"/en/organisations/{museum.slug}/"
    assert not museum.people.filter(user=org_member).exists()
