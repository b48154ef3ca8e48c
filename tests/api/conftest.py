"""The API's world: a network with its coordinator, an applicant organisation and its people, bearer tokens."""

import pytest
from django.test import Client

from sinergia.accounts.services import api_token_create
from sinergia.networks.models import Membership
from tests import factories
from tests.factories import person


def bearer(user) -> dict:
    """Request headers carrying a fresh API token of the user (none for anonymous)."""
    if user is None:
        return {}
    _token, raw = api_token_create(user=user, by=user, name="test client")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}



@pytest.fixture
def client():
    """A client that asks for English, so that messages and page URLs read the same on every machine."""
    return Client(headers={"accept-language": "en"})


@pytest.fixture
def network(db):
    network = factories.NetworkFactory(name="Rete dei musei del Po", slug="rete-dei-musei-del-po")
    factories.MembershipFactory(network=network, organisation=network.founded_by, coordinator=True)
    factories.CharterVersionFactory(network=network, number=1)
    return network


@pytest.fixture
def coordinator(network):
    return person(network.founded_by, "admin", "coordinator@example.org")


@pytest.fixture
def applicant(db):
    return factories.OrganisationFactory(name="Museo della bonifica", slug="museo-della-bonifica")


@pytest.fixture
def org_admin(applicant):
    return person(applicant, "admin", "admin@bonifica.example.org")


@pytest.fixture
def org_editor(applicant):
    return person(applicant, "editor", "editor@bonifica.example.org")


@pytest.fixture
def org_member(applicant):
    return person(applicant, "member", "member@bonifica.example.org")


@pytest.fixture
def actors(outsider, org_member, org_editor, org_admin, coordinator, operator):
    """Everyone of the permission matrix, by name (anonymous is None)."""
    return {"anonymous": None, "outsider": outsider, "org_member": org_member, "org_editor": org_editor,
            "org_admin": org_admin, "coordinator": coordinator, "operator": operator}


@pytest.fixture
def membership_in(network, applicant):
    """A membership of the applicant in the network, in the given status."""

    def make(status: str) -> Membership:
        return factories.MembershipFactory(network=network, organisation=applicant, status=status)

    return make
