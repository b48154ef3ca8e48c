"""Applying, the coordinators' queue, member management and leaving, through the pages."""

import pytest
from django.urls import reverse

from sinergia.networks.models import Membership
from tests import factories
from tests.networks.conftest import found_network

pytestmark = pytest.mark.django_db
Status, Role = Membership.Status, Membership.Role
HTMX = {"HX-Request": "true"}


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_apply_page_offers_my_administered_organisations_and_coordinated_networks(client, network, applicant,
                                                                                  applicant_admin):
    mine = found_network(admin=applicant_admin, name="Rete mia")
    client.force_login(applicant_admin)
    form = client.get(reverse("networks:apply", args=[network.slug])).context["form"]
    labels = [label for _, label in form.fields["applicant"].choices if isinstance(label, str)]
    assert labels == sorted([applicant.name, mine.founded_by.name])
    assert [name for _, name in form.fields["applicant"].choices[-1][1]] == ["Rete mia"]


def test_apply_page_without_organisation_explains_what_to_do(client, network, outsider):
    client.force_login(outsider)
    assert "No organisation to apply for" in client.get(reverse("networks:apply", args=[network.slug])).content.decode()


def test_apply_creates_an_application_and_redirects(client, network, applicant, applicant_admin):
    client.force_login(applicant_admin)
    response = client.post(reverse("networks:apply", args=[network.slug]), {
        "applicant": f"organisation-{applicant.pk}", "role": "observer", "motivation": "We study the Po."})
    membership = Membership.objects.get(organisation=applicant)
    assert response.url == reverse("networks:detail", args=[network.slug])
    assert (membership.status, membership.role, membership.motivation) == (Status.APPLIED, Role.OBSERVER,
                                                                           "We study the Po.")


def test_apply_for_a_member_network(client, network, coordinator):
    world = found_network(admin=factories.UserFactory(), name="World network")
    client.force_login(coordinator)
    client.post(reverse("networks:apply", args=[world.slug]), {"applicant": f"network-{network.pk}", "role": "member"})
    assert Membership.objects.get(network=world, member_network=network).status == Status.APPLIED


def test_apply_twice_shows_the_error_on_the_form(client, application, applicant, applicant_admin):
    client.force_login(applicant_admin)
    response = client.post(reverse("networks:apply", args=[application.network.slug]), {
        "applicant": f"organisation-{applicant.pk}", "role": "member"})
    assert response.context["form"].non_field_errors() == [
        f"Museo della bonifica already has a membership of {application.network.name} (Applied)."]
    assert Membership.objects.filter(organisation=applicant).count() == 1


def test_apply_refuses_an_organisation_i_do_not_administer(client, network, applicant, applicant_editor):
    client.force_login(applicant_editor)
    response = client.post(reverse("networks:apply", args=[network.slug]), {
        "applicant": f"organisation-{applicant.pk}", "role": "member"})
    assert "applicant" in response.context["form"].errors
    assert not Membership.objects.filter(organisation=applicant).exists()


def test_apply_refuses_an_over_long_motivation(client, network, applicant, applicant_admin):
    client.force_login(applicant_admin)
    response = client.post(reverse("networks:apply", args=[network.slug]), {
        "applicant": f"organisation-{applicant.pk}", "role": "member", "motivation": "m" * 5001})
    assert list(response.context["form"].errors) == ["motivation"]


def test_applications_queue_lists_pending_applications(client, application, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("networks:applications", args=[application.network.slug]))
    assert [m.pk for m in response.context["page"].object_list] == [application.pk]
    assert application.motivation in response.content.decode()


def test_applications_queue_is_forbidden_to_members(client, member, applicant_admin):
    client.force_login(applicant_admin)
    assert client.get(reverse("networks:applications", args=[member.network.slug])).status_code == 403


def test_applications_queue_queries_stay_bounded(client, network, coordinator, django_assert_max_num_queries):
    for _ in range(30):
        factories.MembershipFactory(network=network, applied=True)
    client.force_login(coordinator)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("networks:applications", args=[network.slug]))
    assert len(response.context["page"].object_list) == 30


def test_admit_with_htmx_returns_the_updated_row(client, application, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("networks:admit", args=[application.pk]), {"role": "partner"}, headers=HTMX)
    application.refresh_from_db()
    assert (application.status, application.role) == (Status.ADMITTED, Role.PARTNER)
    assert next(t.name for t in response.templates) == "networks/_application.html"
    assert "Museo della bonifica has been admitted." in response.content.decode()


def test_decline_without_reason_with_htmx_shows_the_error_in_the_row(client, application, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("networks:decline", args=[application.pk]), {"reason": ""}, headers=HTMX)
    assert "Please give a reason: the member will read it." in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.APPLIED


def test_decline_without_javascript_redirects_to_the_queue_with_a_message(client, application, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("networks:decline", args=[application.pk]), {"reason": "Out of territory."},
                           follow=True)
    assert response.redirect_chain[-1][0] == reverse("networks:applications", args=[application.network.slug])
    assert messages_of(response) == ["The application has been declined."]


def test_admit_from_a_non_coordinator_account_is_not_found(client, application, applicant_admin, outsider):
    client.force_login(outsider)
    assert client.post(reverse("networks:admit", args=[application.pk])).status_code == 404
    client.force_login(applicant_admin)
    assert client.post(reverse("networks:admit", args=[application.pk])).status_code == 403
    application.refresh_from_db()
    assert application.status == Status.APPLIED


def test_manage_page_lists_admitted_and_suspended_members(client, network, coordinator, member):
    suspended = factories.MembershipFactory(network=network, status=Status.SUSPENDED)
    factories.MembershipFactory(network=network, applied=True)
    client.force_login(coordinator)
    response = client.get(reverse("networks:manage", args=[network.slug]))
    assert {m.pk for m in response.context["page"].object_list} == {
        member.pk, suspended.pk, Membership.objects.get(network=network, organisation=network.founded_by).pk}


def test_suspend_and_reinstate_with_htmx(client, member, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("networks:suspend", args=[member.pk]), {"reason": "Fees unpaid."}, headers=HTMX)
    member.refresh_from_db()
    assert (member.status, "Museo della bonifica has been suspended." in response.content.decode()) == (
        Status.SUSPENDED, True)
    client.post(reverse("networks:reinstate", args=[member.pk]), headers=HTMX)
    member.refresh_from_db()
    assert member.status == Status.ADMITTED


def test_set_role_view_changes_the_role(client, member, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("networks:set_role", args=[member.pk]), {"role": "coordinator"})
    member.refresh_from_db()
    assert (response.status_code, member.role) == (302, Role.COORDINATOR)


def test_set_role_view_reports_an_unknown_role(client, member, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("networks:set_role", args=[member.pk]), {"role": "emperor"}, follow=True)
    assert messages_of(response) == ["Unknown role “emperor”."]


def test_demoting_the_last_coordinator_shows_why_not(client, network, coordinator):
    own = Membership.objects.get(network=network, organisation=network.founded_by)
    client.force_login(coordinator)
    response = client.post(reverse("networks:set_role", args=[own.pk]), {"role": "member"}, headers=HTMX)
    assert "is the last coordinator" in response.content.decode()


def test_leave_view_ends_the_membership(client, member, applicant_admin):
    client.force_login(applicant_admin)
    response = client.post(reverse("networks:leave", args=[member.pk]), follow=True)
    member.refresh_from_db()
    assert member.status == Status.LEFT
    assert messages_of(response) == [f"Museo della bonifica has left {member.network.name}."]


def test_leave_view_ignores_a_next_address_on_another_site(client, member, applicant_admin):
    client.force_login(applicant_admin)
    response = client.post(reverse("networks:leave", args=[member.pk]), {"next": "https://evil.example/"})
    assert response.url == reverse("networks:detail", args=[member.network.slug])


def test_membership_actions_need_post(client, member, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("networks:suspend", args=[member.pk])).status_code == 405
