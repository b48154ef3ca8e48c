"""Permission matrix: every write of the directory × anonymous, outsider, org member, editor, admin,
network coordinator (an outsider to this organisation) and operator, through the pages and the services."""

from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from sinergia.directory import services
from sinergia.directory.models import Claim, Invitation, Organisation
from tests import factories
from tests.directory.conftest import ACTORS, image_upload, person

pytestmark = pytest.mark.django_db
OK, LOGIN = "ok", "login"


@dataclass
class Scene:
    museum: Organisation
    colleague: Any  # an editor of the museum the actor acts upon
    invitation: Invitation
    claim: Claim
    actor: Any


@pytest.fixture
def scene(museum, actor):
    colleague = museum.people.get(user=person(museum, "editor", "colleague@mpi.example.org"))
    invitation = factories.InvitationFactory(organisation=museum, email="invitee@example.org")
    claim = factories.ClaimFactory(organisation=museum, user=factories.UserFactory(email="claimant@example.org"))
    return Scene(museum, colleague, invitation, claim, actor)


def slug_url(scene: Scene, tail: str) -> str:
    return f"/en/organisations/{scene.museum.slug}/{tail}"


def edited(scene: Scene) -> bool:
    scene.museum.refresh_from_db()
    return scene.museum.description == "Changed."


def logo_set(scene: Scene) -> bool:
    scene.museum.refresh_from_db()
    return bool(scene.museum.logo)


def profile(scene: Scene, **extra) -> dict:
    return {"name": scene.museum.name, "kind": "museum", "municipality": "Bologna", "country": "IT",
            "latitude": "44.5", "longitude": "11.3", "description": "Changed.", **extra}


# write -> (how to do it, how to tell it happened, expected outcome per actor)
WRITES = {
    "create": (
        lambda c, s: c.post("/en/organisations/new/", {"name": "Nuovo museo", "kind": "museum", "country": "IT"}),
        lambda s: Organisation.objects.filter(name="Nuovo museo").exists(),
        {"anonymous": LOGIN, "outsider": OK, "org_member": OK, "org_editor": OK, "org_admin": OK,
         "coordinator": OK, "operator": OK},
    ),
    "edit": (
        lambda c, s: c.post(slug_url(s, "edit/"), profile(s)),
        edited,
        {"anonymous": LOGIN, "outsider": 403, "org_member": 403, "org_editor": OK, "org_admin": OK,
         "coordinator": 403, "operator": OK},
    ),
    "logo": (
        lambda c, s: c.post(slug_url(s, "edit/"), profile(s, logo=image_upload())),
        logo_set,
        {"anonymous": LOGIN, "outsider": 403, "org_member": 403, "org_editor": OK, "org_admin": OK,
         "coordinator": 403, "operator": OK},
    ),
    "claim": (
        lambda c, s: c.post(slug_url(s, "claim/"), {"message": "It is mine."}),
        lambda s: Claim.objects.filter(organisation=s.museum, message="It is mine.").exists(),
        {"anonymous": LOGIN, "outsider": OK, "org_member": 403, "org_editor": 403, "org_admin": 403,
         "coordinator": OK, "operator": OK},
    ),
    "decide_claim": (
        lambda c, s: c.post(f"/en/organisations/claims/{s.claim.pk}/decide/", {"decision": "approve"}),
        lambda s: Claim.objects.get(pk=s.claim.pk).status == Claim.Status.APPROVED,
        {"anonymous": LOGIN, "outsider": 404, "org_member": 404, "org_editor": 404, "org_admin": 404,
         "coordinator": 404, "operator": OK},
    ),
    "invite": (
        lambda c, s: c.post(slug_url(s, "people/invite/"), {"email": "new@example.org", "role": "member"}),
        lambda s: Invitation.objects.filter(email="new@example.org").exists(),
        {"anonymous": LOGIN, "outsider": 403, "org_member": 403, "org_editor": 403, "org_admin": OK,
         "coordinator": 403, "operator": OK},
    ),
    "revoke_invitation": (
        lambda c, s: c.post(slug_url(s, f"invitations/{s.invitation.pk}/revoke/")),
        lambda s: not Invitation.objects.filter(pk=s.invitation.pk).exists(),
        {"anonymous": LOGIN, "outsider": 403, "org_member": 403, "org_editor": 403, "org_admin": OK,
         "coordinator": 403, "operator": OK},
    ),
    "set_role": (
        lambda c, s: c.post(slug_url(s, f"people/{s.colleague.pk}/role/"), {"role": "admin"}),
        lambda s: s.museum.people.get(pk=s.colleague.pk).role == "admin",
        {"anonymous": LOGIN, "outsider": 404, "org_member": 403, "org_editor": 403, "org_admin": OK,
         "coordinator": 404, "operator": OK},
    ),
    "remove_member": (
        lambda c, s: c.post(slug_url(s, f"people/{s.colleague.pk}/remove/")),
        lambda s: not s.museum.people.filter(pk=s.colleague.pk).exists(),
        {"anonymous": LOGIN, "outsider": 404, "org_member": 403, "org_editor": 403, "org_admin": OK,
         "coordinator": 404, "operator": OK},
    ),
    "accept_own_invitation": (
        lambda c, s: c.post(f"/en/organisations/invitations/{own_invitation(s).token}/"),
        lambda s: Invitation.objects.filter(organisation=s.museum, accepted_at__isnull=False).exists(),
        {"anonymous": LOGIN, "outsider": OK, "org_member": OK, "org_editor": OK, "org_admin": OK,
         "coordinator": OK, "operator": OK},
    ),
}


def own_invitation(scene: Scene) -> Invitation:
    email = getattr(scene.actor, "email", "nobody@example.org")
    return factories.InvitationFactory(organisation=scene.museum, email=email, role="member")


@pytest.mark.parametrize("write", list(WRITES))
def test_write_matrix_through_the_pages(client, scene, actor_name, write, org_admin):
    do, happened, expected = WRITES[write]
    if actor_name != "anonymous":
        client.force_login(scene.actor)

    response = do(client, scene)

    outcome = expected[actor_name]
    if outcome == OK:
        assert response.status_code == 302, response.content.decode()[:500]
        assert happened(scene)
    elif outcome == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/en/accounts/login/")
        assert not happened(scene)
    else:
        assert response.status_code == outcome
        assert not happened(scene)


def test_matrix_covers_every_actor():
    assert all(set(expected) == set(ACTORS) for _, _, expected in WRITES.values())


SERVICE_WRITES = {
    "organisation_update": (
        lambda s: services.organisation_update(organisation=s.museum, by=s.actor, description="Changed."),
        {"org_editor", "org_admin", "operator"},
    ),
    "organisation_set_logo": (
        lambda s: services.organisation_set_logo(organisation=s.museum, by=s.actor, logo=image_upload()),
        {"org_editor", "org_admin", "operator"},
    ),
    "claim_submit": (
        lambda s: services.claim_submit(organisation=s.museum, by=s.actor, message="Mine."),
        {"outsider", "coordinator", "operator"},
    ),
    "claim_decide": (
        lambda s: services.claim_decide(claim=s.claim, by=s.actor, approve=True),
        {"operator"},
    ),
    "invitation_create": (
        lambda s: services.invitation_create(organisation=s.museum, by=s.actor, email="n@example.org", role="member"),
        {"org_admin", "operator"},
    ),
    "invitation_revoke": (
        lambda s: services.invitation_revoke(invitation=s.invitation, by=s.actor),
        {"org_admin", "operator"},
    ),
    "member_set_role": (
        lambda s: services.member_set_role(member=s.colleague, by=s.actor, role="member"),
        {"org_admin", "operator"},
    ),
    "member_remove": (
        lambda s: services.member_remove(member=s.colleague, by=s.actor),
        {"org_admin", "operator"},
    ),
}


@pytest.mark.parametrize("write", list(SERVICE_WRITES))
def test_write_matrix_of_the_services(scene, actor_name, write, org_admin):
    do, allowed = SERVICE_WRITES[write]
    if actor_name in allowed:
        do(scene)
    else:
        with pytest.raises(PermissionDenied):
            do(scene)


def test_organisation_create_service_needs_a_signed_in_user(anonymous, outsider):
    with pytest.raises(PermissionDenied):
        services.organisation_create(by=anonymous, name="Museo", kind="museum")
    assert services.organisation_create(by=outsider, name="Museo", kind="museum").people.get().user == outsider
