"""The home page and the signed-in user's dashboard."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from sinergia.core.models import Notification
from sinergia.networks.models import Membership
from sinergia.networks.services import charter_publish, charter_sign, network_found
from tests import factories

pytestmark = pytest.mark.django_db


def found(admin, name, founder=None):
    founder = founder or factories.OrganisationFactory(name=f"Capofila {name}")
    factories.OrganisationMemberFactory(organisation=founder, user=admin)
    return network_found(founder=founder, by=admin, name=name, kind="thematic", scale="regional",
                         governance="mou", charter_text="We agree.")


def test_home_shows_counts_latest_networks_and_search(client):
    factories.OrganisationFactory.create_batch(3)
    hidden = factories.OrganisationFactory(is_active=False)
    first = found(factories.UserFactory(), "Prima rete")
    second = found(factories.UserFactory(), "Seconda rete")
    response = client.get(reverse("core:home"))
    assert (response.context["organisation_count"], response.context["network_count"]) == (5, 2)
    assert list(response.context["latest_networks"]) == [second, first]
    content = response.content.decode()
    assert f'action="{reverse("directory:list")}"' in content and f'action="{reverse("networks:list")}"' in content
    assert hidden.name not in content


def test_home_queries_stay_bounded(client, django_assert_max_num_queries):
    for index in range(30):
        network = found(factories.UserFactory(), f"Rete {index}")
        network.themes.add(factories.ConceptFactory(notation=f"theme-{index}"))
    with django_assert_max_num_queries(15):
        response = client.get(reverse("core:home"))
    assert len(response.context["latest_networks"]) == 6


def test_dashboard_needs_sign_in(client):
    response = client.get(reverse("core:dashboard"))
    assert response.url.split("?")[0] == reverse("account_login")


def test_dashboard_lists_my_organisations_with_my_role(client):
    user = factories.UserFactory()
    museum = factories.OrganisationFactory(name="Museo A")
    archive = factories.OrganisationFactory(name="Archivio B")
    factories.OrganisationMemberFactory(organisation=museum, user=user, role="editor")
    factories.OrganisationMemberFactory(organisation=archive, user=user, role="admin")
    client.force_login(user)
    roles = client.get(reverse("core:dashboard")).context["roles"]
    assert [(r.organisation.name, r.role) for r in roles] == [("Archivio B", "admin"), ("Museo A", "editor")]


def test_dashboard_shows_my_networks_with_status_and_charter_signature(client):
    admin = factories.UserFactory()
    network = found(admin, "Rete del Po")
    own = Membership.objects.get(network=network)
    charter_sign(membership=own, by=admin)
    charter_publish(network=network, by=admin, text="Version two")
    client.force_login(admin)
    response = client.get(reverse("core:dashboard"))
    rows = [(m.network.name, m.status, m.signed_version, m.current_version) for m in response.context["memberships"]]
    assert rows == [("Rete del Po", "admitted", 1, 2)]
    assert list(response.context["charters_to_sign"]) == [own]
    assert "Signed v1 · must sign v2" in response.content.decode()


def test_dashboard_shows_applications_to_decide_to_coordinators(client):
    coordinator = factories.UserFactory()
    network = found(coordinator, "Rete del Po")
    application = factories.MembershipFactory(network=network, applied=True, organisation__name="Museo candidato")
    client.force_login(coordinator)
    response = client.get(reverse("core:dashboard"))
    assert list(response.context["applications"]) == [application]
    assert reverse("networks:applications", args=[network.slug]) in response.content.decode()


def test_dashboard_shows_invitations_to_my_verified_address_only(client):
    user = factories.UserFactory(email="curator@example.org")
    invitation = factories.InvitationFactory(email="Curator@example.org", organisation__name="Museo invitante")
    factories.InvitationFactory(email="curator@example.org", expires_at=timezone.now() - datetime.timedelta(days=1))
    client.force_login(user)
    assert list(client.get(reverse("core:dashboard")).context["invitations"]) == []
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    assert list(client.get(reverse("core:dashboard")).context["invitations"]) == [invitation]


def test_dashboard_shows_the_latest_five_notifications(client):
    user = factories.UserFactory()
    for index in range(7):
        Notification.objects.create(recipient=user, kind="test", title=f"Message {index}")
    client.force_login(user)
    titles = [n.title for n in client.get(reverse("core:dashboard")).context["notifications"]]
    assert titles == ["Message 6", "Message 5", "Message 4", "Message 3", "Message 2"]


def test_dashboard_queries_stay_bounded(client, django_assert_max_num_queries):
    user = factories.UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    for index in range(30):
        network = found(type(user).objects.get(pk=user.pk), f"Rete {index}")  # fresh: roles are cached per object
        factories.MembershipFactory(network=network, applied=True)
        factories.InvitationFactory(email=user.email)
        Notification.objects.create(recipient=user, kind="test", title=f"Message {index}")
    client.force_login(user)
    with django_assert_max_num_queries(17):
        response = client.get(reverse("core:dashboard"))
    assert (len(response.context["memberships"]), len(response.context["applications"]),
            len(response.context["charters_to_sign"]), len(response.context["invitations"])) == (30, 30, 30, 30)


OFFERS = 4


def _dashboard_world(user):
    """The user edits a museum with a need that offers answer, is an expert with open questions of their
    category, follows an open call and may apply to another."""
    museum = factories.OrganisationFactory(name="Museo della carta", kind="museum", latitude=44.49, longitude=11.34)
    factories.OrganisationMemberFactory(organisation=museum, user=user, role="editor")
    photo = factories.service()
    need = factories.ListingFactory(organisation=museum, title="Fotografo per la collezione", radius_km=40)
    need.categories.add(photo)
    for index in range(OFFERS):
        studio = factories.OrganisationFactory(name=f"Studio {index}", kind="freelance", latitude=44.5,
                                               longitude=11.3 + index / 100)
        offer = factories.ListingFactory(organisation=studio, side="offer", title=f"Fotografia {index}",
                                         radius_km=50)
        offer.categories.add(photo)
    factories.ExpertFactory(user=user, category="copyright")
    for index in range(OFFERS):
        factories.QuestionFactory(category="copyright", title=f"Diritti SIAE {index}")
    followed = factories.FundingCallFactory(title="Bando Art Bonus", status="published")
    factories.CallFollowFactory(call=followed, user=user)
    factories.FundingCallFactory(title="Europa Creativa", status="published", eligible_kinds=["museum"])


def test_dashboard_shows_matches_desk_questions_and_calls_in_bounded_queries(client, django_assert_max_num_queries):
    user = factories.UserFactory()
    _dashboard_world(user)
    client.force_login(user)
    with django_assert_max_num_queries(28):
        content = client.get(reverse("core:dashboard")).content.decode()
    for text in ("Matches for you", "Fotografia 0", "Fotografia 2", "Questions waiting for your expertise",
                 "Diritti SIAE 0", "Diritti SIAE 2", "Bando Art Bonus", "Europa Creativa"):
        assert text in content
