"""A network founded through the service, and the people around one applicant organisation."""

import pytest

from sinergia.networks.models import Membership, Network
from sinergia.networks.services import network_found
from tests import factories
from tests.factories import person

CHARTER_V1 = "## Charter\n\nMembers share their calendars."


def found_network(*, admin, name="Rete dei musei del Po", founder=None) -> Network:
    """Found a network whose founder organisation `admin` administers."""
    founder = founder or factories.OrganisationFactory(name=f"Capofila di {name}")
    factories.OrganisationMemberFactory(organisation=founder, user=admin)
    return network_found(founder=founder, by=admin, name=name, kind=Network.Kind.TERRITORIAL,
                         scale=Network.Scale.REGIONAL, governance=Network.Governance.MOU, charter_text=CHARTER_V1,
                         objectives="Share a calendar.")



@pytest.fixture
def coordinator(db):
    return factories.UserFactory(email="coordinator@example.org", language="en")


@pytest.fixture
def network(coordinator):
    return found_network(admin=coordinator)


@pytest.fixture
def applicant(db):
    return factories.OrganisationFactory(name="Museo della bonifica")


@pytest.fixture
def applicant_admin(applicant):
    return person(applicant, "admin", "admin@bonifica.example.org")


@pytest.fixture
def applicant_editor(applicant):
    return person(applicant, "editor", "editor@bonifica.example.org")


@pytest.fixture
def applicant_member(applicant):
    return person(applicant, "member", "member@bonifica.example.org")


@pytest.fixture
def application(network, applicant, applicant_admin):
    return factories.MembershipFactory(network=network, organisation=applicant, applied=True,
                                       applied_by=applicant_admin)


@pytest.fixture
def member(network, applicant, applicant_admin):
    return factories.MembershipFactory(network=network, organisation=applicant, status=Membership.Status.ADMITTED)
