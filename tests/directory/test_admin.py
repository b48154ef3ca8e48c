"""The operators' admin of the directory, and claims decided there through the service."""

import pytest

from sinergia.core.models import Notification
from sinergia.directory.models import Claim, OrganisationMember
from tests import factories

pytestmark = pytest.mark.django_db
CLAIMS = "/en/admin/directory/claim/"


@pytest.fixture
def superuser(db):
    return factories.UserFactory(email="root@example.org", is_staff=True, is_superuser=True)


@pytest.mark.parametrize("page", [
    "/en/admin/directory/organisation/", "/en/admin/directory/organisation/?q=bologna&kind__exact=museum",
    "/en/admin/directory/organisationmember/", "/en/admin/directory/invitation/", CLAIMS,
])
def test_admin_lists_open(client, superuser, museum, page, django_assert_max_num_queries):
    factories.OrganisationMemberFactory.create_batch(5, organisation=museum)
    factories.InvitationFactory.create_batch(5, organisation=museum)
    factories.ClaimFactory.create_batch(5, organisation=museum)
    client.force_login(superuser)

    with django_assert_max_num_queries(15):
        response = client.get(page)

    assert response.status_code == 200


def test_admin_organisation_page_has_the_people_inline(client, superuser, org_admin, museum):
    client.force_login(superuser)

    content = client.get(f"/en/admin/directory/organisation/{museum.pk}/change/").content.decode()

    assert 'id="people-group"' in content
    assert org_admin.email in content or str(org_admin.pk) in content


def test_admin_action_approves_claims_through_the_service(client, superuser, outsider, museum):
    claim = factories.ClaimFactory(organisation=museum, user=outsider)
    client.force_login(superuser)

    response = client.post(CLAIMS, {"action": "approve_claims", "_selected_action": [claim.pk]}, follow=True)

    assert "1 claim decided." in response.content.decode()
    assert museum.people.get(user=outsider).role == OrganisationMember.Role.ADMIN
    assert Notification.objects.filter(recipient=outsider, kind="directory.claim_approved").count() == 1


def test_admin_action_rejects_claims_with_a_reason(client, superuser, outsider, museum):
    claim = factories.ClaimFactory(organisation=museum, user=outsider)
    client.force_login(superuser)

    form = client.post(CLAIMS, {"action": "reject_claims", "_selected_action": [claim.pk]})
    assert 'name="reason"' in form.content.decode()
    client.post(CLAIMS, {"action": "reject_claims", "_selected_action": [claim.pk], "apply": "1",
                         "reason": "Nobody at the museum knows you."})

    claim.refresh_from_db()
    assert (claim.status, claim.reason) == (Claim.Status.REJECTED, "Nobody at the museum knows you.")
    assert not museum.people.filter(user=outsider).exists()


def test_admin_action_reports_claims_already_decided(client, superuser, museum):
    claim = factories.ClaimFactory(organisation=museum, status=Claim.Status.REJECTED)
    client.force_login(superuser)

    response = client.post(CLAIMS, {"action": "approve_claims", "_selected_action": [claim.pk]}, follow=True)

    assert "This claim has already been decided (Rejected)." in response.content.decode()
