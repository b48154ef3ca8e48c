"""Permission matrix through the pages: every write × every kind of person, judged by what changed."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from sinergia.networks.models import CharterSignature, Membership, Network
from tests import factories
from tests.factories import person

pytestmark = pytest.mark.django_db
Status = Membership.Status
PERSONAS = ["anonymous", "outsider", "org_member", "org_editor", "org_admin", "coordinator", "operator"]
MANAGERS = {"coordinator", "operator"}
MEMBER_SIDE = {"org_admin"}


def _membership(w, **traits):
    return factories.MembershipFactory(network=w["network"], organisation=w["applicant"], **traits)


def _status_write(name, status_before, status_after, data=None, **traits):
    """A POST on a membership action that moves it from one status to another."""
    def prepare(w):
        membership = _membership(w, status=status_before, **traits)
        changed = lambda: Membership.objects.get(pk=membership.pk).status == status_after  # noqa: E731
        return reverse(f"networks:{name}", args=[membership.pk]), data or {}, changed
    return prepare


def _found(w):
    data = {"founder": w["applicant"].pk, "name": "Nuova rete", "kind": "thematic", "scale": "local",
            "governance": "informal", "charter_text": "We agree."}
    return reverse("networks:create"), data, lambda: Network.objects.filter(name="Nuova rete").exists()


def _edit(w):
    n = w["network"]
    data = {"name": n.name, "kind": n.kind, "scale": n.scale, "governance": n.governance, "objectives": "Changed"}
    return (reverse("networks:edit", args=[n.slug]), data,
            lambda: Network.objects.get(pk=n.pk).objectives == "Changed")


def _publish(w):
    n = w["network"]
    return (reverse("networks:charter_publish", args=[n.slug]), {"text": "Version two"},
            lambda: n.charter_versions.count() == 2)


def _apply(w):
    return (reverse("networks:apply", args=[w["network"].slug]),
            {"applicant": f"organisation-{w['applicant'].pk}", "role": "member"},
            lambda: Membership.objects.filter(organisation=w["applicant"]).exists())


def _set_role(w):
    membership = _membership(w)
    return (reverse("networks:set_role", args=[membership.pk]), {"role": "partner"},
            lambda: Membership.objects.get(pk=membership.pk).role == "partner")


def _sign(w):
    membership = _membership(w)
    return (reverse("networks:sign", args=[membership.pk]), {},
            lambda: CharterSignature.objects.filter(membership=membership).exists())


WRITES = {
    "create": (MEMBER_SIDE, _found),
    "edit": (MANAGERS, _edit),
    "charter_publish": (MANAGERS, _publish),
    "apply": (MEMBER_SIDE, _apply),
    "admit": (MANAGERS, _status_write("admit", Status.APPLIED, Status.ADMITTED)),
    "decline": (MANAGERS, _status_write("decline", Status.APPLIED, Status.DECLINED, {"reason": "No."})),
    "leave": (MEMBER_SIDE, _status_write("leave", Status.ADMITTED, Status.LEFT)),
    "suspend": (MANAGERS, _status_write("suspend", Status.ADMITTED, Status.SUSPENDED, {"reason": "Fees."})),
    "reinstate": (MANAGERS, _status_write("reinstate", Status.SUSPENDED, Status.ADMITTED)),
    "set_role": (MANAGERS, _set_role),
    "sign": (MEMBER_SIDE, _sign),
}


@pytest.fixture
def world(network, applicant, coordinator, operator, outsider):
    return {
        "network": network, "applicant": applicant,
        "anonymous": AnonymousUser(), "outsider": outsider, "coordinator": coordinator, "operator": operator,
        "org_member": person(applicant, "member", "m@example.org"),
        "org_editor": person(applicant, "editor", "e@example.org"),
        "org_admin": person(applicant, "admin", "a@example.org"),
    }


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("write", sorted(WRITES))
def test_page_write_changes_data_exactly_for_its_actors(client, world, write, persona):
    allowed, prepare = WRITES[write]
    url, data, changed = prepare(world)
    if persona != "anonymous":
        client.force_login(world[persona])
    response = client.post(url, data)
    if persona == "anonymous":
        assert (response.status_code, response.url.split("?")[0]) == (302, reverse("account_login"))
    elif persona in allowed:
        assert response.status_code == 302
    else:
        assert response.status_code in (200, 403, 404)
    assert changed() is (persona in allowed)


def test_every_write_url_is_in_the_matrix():
    from sinergia.networks.urls import urlpatterns

    reads = {"list", "detail", "geojson", "charter", "applications", "manage"}
    assert sorted(p.name for p in urlpatterns if p.name not in reads) == sorted(WRITES)
