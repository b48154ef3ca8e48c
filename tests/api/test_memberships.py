"""Write endpoints of memberships: the permission matrix over every write, then each write's behaviour."""

import pytest
from django.utils.translation import gettext, override

from sinergia.networks.models import CharterSignature, Membership
from tests import factories
from tests.api.conftest import bearer

ACTORS = ("anonymous", "outsider", "org_member", "org_editor", "org_admin", "coordinator", "operator")

# (action, status of the membership before, body, {actor: expected HTTP status}, status after success)
MATRIX = [
    ("admit", "applied", {}, dict(zip(ACTORS, (401, 404, 404, 404, 403, 200, 200), strict=True)), "admitted"),
    ("decline", "applied", {"reason": "Outside our territory."},
     dict(zip(ACTORS, (401, 404, 404, 404, 403, 200, 200), strict=True)), "declined"),
    ("suspend", "admitted", {"reason": "Fees unpaid for two years."},
     dict(zip(ACTORS, (401, 403, 403, 403, 403, 200, 200), strict=True)), "suspended"),
    ("reinstate", "suspended", {}, dict(zip(ACTORS, (401, 404, 404, 404, 403, 200, 200), strict=True)), "admitted"),
    ("leave", "admitted", {}, dict(zip(ACTORS, (401, 403, 403, 403, 200, 403, 403), strict=True)), "left"),
]
APPLY = dict(zip(ACTORS, (401, 403, 403, 403, 201, 403, 403), strict=True))
SIGN = dict(zip(ACTORS, (401, 403, 403, 403, 201, 403, 403), strict=True))
VIEW_APPLICATION = dict(zip(ACTORS, (401, 404, 404, 404, 200, 200, 200), strict=True))


def post(client, url: str, user, body: dict | None = None):
    return client.post(url, body or {}, content_type="application/json", **bearer(user))


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("action", "before", "body", "expected", "after"), MATRIX, ids=[row[0] for row in MATRIX])
def test_membership_write_permission_matrix(client, actors, membership_in, actor, action, before, body, expected,
                                            after):
    membership = membership_in(before)
    response = post(client, f"/api/memberships/{membership.pk}/{action}", actors[actor], body)
    assert response.status_code == expected[actor], response.content
    membership.refresh_from_db()
    assert membership.status == (after if expected[actor] == 200 else before)


@pytest.mark.parametrize("actor", ACTORS)
def test_apply_permission_matrix(client, actors, network, applicant, actor):
    body = {"organisation": applicant.slug, "motivation": "We keep the memory of the reclamation."}
    response = post(client, f"/api/networks/{network.slug}/applications", actors[actor], body)
    assert response.status_code == APPLY[actor], response.content
    applied = Membership.objects.filter(network=network, organisation=applicant, status="applied").count()
    assert applied == (1 if APPLY[actor] == 201 else 0)


@pytest.mark.parametrize("actor", ACTORS)
def test_sign_permission_matrix(client, actors, membership_in, actor):
    membership = membership_in("admitted")
    response = post(client, f"/api/memberships/{membership.pk}/sign", actors[actor])
    assert response.status_code == SIGN[actor], response.content
    assert CharterSignature.objects.filter(membership=membership).count() == (1 if SIGN[actor] == 201 else 0)


@pytest.mark.parametrize("actor", ACTORS)
def test_membership_detail_visible_to_its_two_sides_and_operators(client, actors, membership_in, actor):
    membership = membership_in("applied")
    response = client.get(f"/api/memberships/{membership.pk}", **bearer(actors[actor]))
    assert response.status_code == VIEW_APPLICATION[actor]


def test_apply_returns_the_application(client, network, applicant, org_admin):
    body = {"organisation": applicant.slug, "motivation": "We keep the memory of the reclamation."}
    response = post(client, f"/api/networks/{network.slug}/applications", org_admin, body)
    data = response.json()
    membership = Membership.objects.get(network=network, organisation=applicant)
    assert (data["id"], data["status"], data["role"]) == (membership.pk, "applied", "member")
    assert data["member"]["type"] == "organisation"
    assert data["member"]["slug"] == applicant.slug
    assert data["network"]["slug"] == network.slug
    assert data["motivation"] == "We keep the memory of the reclamation."
    assert membership.applied_by == org_admin


def test_apply_twice_is_refused_with_the_reason(client, network, applicant, org_admin):
    body = {"organisation": applicant.slug, "motivation": "Again."}
    post(client, f"/api/networks/{network.slug}/applications", org_admin, body)
    response = post(client, f"/api/networks/{network.slug}/applications", org_admin, body)
    assert response.status_code == 400
    assert response.json() == {"detail": "Museo della bonifica already has a membership of Rete dei musei del Po "
                                         "(Applied)."}
    assert Membership.objects.filter(network=network, organisation=applicant).count() == 1


def test_apply_for_a_member_network(client, network):
    national = factories.NetworkFactory(name="Rete nazionale", slug="rete-nazionale")
    factories.MembershipFactory(network=national, organisation=national.founded_by, coordinator=True)
    national_coordinator = factories.UserFactory(email="national@example.org")
    factories.OrganisationMemberFactory(organisation=national.founded_by, user=national_coordinator)
    response = post(client, f"/api/networks/{network.slug}/applications", national_coordinator,
                    {"member_network": national.slug})
    assert response.status_code == 201
    assert response.json()["member"] == {"type": "network", "slug": "rete-nazionale", "name": "Rete nazionale",
                                         "url": f"http://testserver/en/networks/{national.slug}/"}


@pytest.mark.parametrize(("body", "detail"), [
    ({}, "Name either an organisation or a member network, not both or neither."),
    ({"organisation": "museo-della-bonifica", "member_network": "rete-dei-musei-del-po"},
     "Name either an organisation or a member network, not both or neither."),
    ({"organisation": "museo-che-non-esiste"}, "There is no organisation “museo-che-non-esiste”."),
    ({"member_network": "rete-che-non-esiste"}, "There is no network “rete-che-non-esiste”."),
])
def test_apply_with_a_bad_applicant_is_refused(client, network, applicant, org_admin, body, detail):
    response = post(client, f"/api/networks/{network.slug}/applications?lang=en", org_admin, body)
    assert (response.status_code, response.json()) == (400, {"detail": detail})
    assert not Membership.objects.filter(organisation=applicant).exists()


def test_apply_as_coordinator_is_refused(client, network, applicant, org_admin):
    body = {"organisation": applicant.slug, "role": "coordinator"}
    response = post(client, f"/api/networks/{network.slug}/applications", org_admin, body)
    assert response.status_code == 400
    assert response.json() == {"detail": "Apply as member, observer or partner; coordinators appoint coordinators."}


def test_apply_with_an_overlong_motivation_is_a_422(client, network, applicant, org_admin):
    body = {"organisation": applicant.slug, "motivation": "x" * 5001}
    response = post(client, f"/api/networks/{network.slug}/applications", org_admin, body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "motivation"]


def test_apply_to_an_unknown_network_is_a_404(client, applicant, org_admin):
    response = post(client, "/api/networks/no-such-network/applications", org_admin,
                    {"organisation": applicant.slug})
    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})


def test_unknown_membership_is_a_404(client, coordinator):
    response = post(client, "/api/memberships/987654/admit", coordinator)
    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})


def test_admit_with_another_role(client, membership_in, coordinator):
    membership = membership_in("applied")
    response = post(client, f"/api/memberships/{membership.pk}/admit", coordinator, {"role": "observer"})
    assert (response.json()["status"], response.json()["role"]) == ("admitted", "observer")


def test_admit_twice_is_refused_with_the_reason(client, membership_in, coordinator):
    membership = membership_in("applied")
    post(client, f"/api/memberships/{membership.pk}/admit", coordinator)
    response = post(client, f"/api/memberships/{membership.pk}/admit", coordinator)
    assert response.status_code == 400
    assert response.json() == {"detail": "Only pending applications can be admitted; this one is Admitted."}


def test_decline_needs_a_reason(client, membership_in, coordinator):
    membership = membership_in("applied")
    response = post(client, f"/api/memberships/{membership.pk}/decline", coordinator, {})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "reason"]
    membership.refresh_from_db()
    assert membership.status == "applied"


def test_decline_with_a_blank_reason_is_refused(client, membership_in, coordinator):
    membership = membership_in("applied")
    response = post(client, f"/api/memberships/{membership.pk}/decline", coordinator, {"reason": "   "})
    assert (response.status_code, response.json()) == (400, {"detail": "Please give a reason: the member will "
                                                                       "read it."})


def test_decline_records_the_reason(client, membership_in, coordinator):
    membership = membership_in("applied")
    response = post(client, f"/api/memberships/{membership.pk}/decline", coordinator, {"reason": "Too far."})
    assert (response.json()["status"], response.json()["decision_reason"]) == ("declined", "Too far.")


def test_sign_records_the_latest_version(client, network, membership_in, org_admin):
    factories.CharterVersionFactory(network=network, number=2)
    membership = membership_in("admitted")
    response = post(client, f"/api/memberships/{membership.pk}/sign", org_admin)
    data = response.json()
    assert (data["membership_id"], data["charter_version"]) == (membership.pk, 2)
    assert data["signatory_name"] == org_admin.display_name
    signature = CharterSignature.objects.get(membership=membership)
    assert (signature.charter.number, signature.signed_by) == (2, org_admin)


def test_sign_twice_is_refused_with_the_reason(client, membership_in, org_admin):
    membership = membership_in("admitted")
    post(client, f"/api/memberships/{membership.pk}/sign", org_admin)
    response = post(client, f"/api/memberships/{membership.pk}/sign", org_admin)
    assert response.status_code == 400
    assert response.json() == {"detail": "Museo della bonifica has already signed version 1 of the charter."}
    assert CharterSignature.objects.filter(membership=membership).count() == 1


def test_sign_an_old_version_is_refused(client, network, membership_in, org_admin):
    factories.CharterVersionFactory(network=network, number=2)
    membership = membership_in("admitted")
    response = post(client, f"/api/memberships/{membership.pk}/sign", org_admin, {"version": 1})
    assert response.status_code == 400
    assert response.json() == {"detail": "Version 1 of the charter has been replaced: please read and sign "
                                         "version 2."}
    assert not CharterSignature.objects.filter(membership=membership).exists()


def test_sign_an_unknown_version_is_refused(client, membership_in, org_admin):
    membership = membership_in("admitted")
    response = post(client, f"/api/memberships/{membership.pk}/sign", org_admin, {"version": 7})
    assert (response.status_code, response.json()) == (400, {"detail": "The charter has no version 7."})


def test_membership_detail_lists_the_signed_versions(client, network, membership_in, org_admin):
    membership = membership_in("admitted")
    factories.CharterSignatureFactory(membership=membership, charter=network.charter_versions.get(number=1))
    response = client.get(f"/api/memberships/{membership.pk}", **bearer(org_admin))
    assert response.json()["signed_versions"] == [1]


def test_leave_as_last_coordinator_is_refused(client, network, coordinator):
    membership = network.memberships.get(role="coordinator")
    response = post(client, f"/api/memberships/{membership.pk}/leave", coordinator)
    assert response.status_code == 400
    assert response.json() == {"detail": f"{network.founded_by.name} is the last coordinator of Rete dei musei del "
                                         "Po: appoint another coordinator first."}


@pytest.mark.parametrize("body", ["{not json", "organisation=museo-della-bonifica"])
def test_apply_with_a_body_that_is_not_json_is_a_400(client, network, org_admin, body):
    response = client.post(f"/api/networks/{network.slug}/applications", body, content_type="application/json",
                           **bearer(org_admin))
    assert (response.status_code, response.json()) == (400, {"detail": "The request body is not valid JSON."})


@pytest.mark.parametrize(("membership_id", "status"), [("abc", 422), ("-1", 404), ("9" * 30, 404)])
def test_bad_membership_ids_are_refused(client, coordinator, membership_id, status):
    response = post(client, f"/api/memberships/{membership_id}/admit", coordinator)
    assert response.status_code == status


def test_business_errors_speak_the_requested_language(client, network, applicant, org_admin):
    body = {"organisation": applicant.slug}
    post(client, f"/api/networks/{network.slug}/applications", org_admin, body)
    response = post(client, f"/api/networks/{network.slug}/applications?lang=it", org_admin, body)
    with override("it"):
        expected = gettext("%(member)s already has a membership of %(network)s (%(status)s).") % {
            "member": applicant.name, "network": network.name, "status": Membership.Status.APPLIED.label}
    assert expected != "Museo della bonifica already has a membership of Rete dei musei del Po (Applied)."
    assert (response.status_code, response.json()) == (400, {"detail": expected})
