"""Operators manage networks, memberships and charters in the Django admin."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["network", "membership", "charterversion", "chartersignature"])
def test_admin_changelist_opens_for_operators(client, operator, member, model):
    factories.CharterSignatureFactory(membership=member, charter=member.network.charter_versions.get())
    client.force_login(operator)
    response = client.get(reverse(f"admin:networks_{model}_changelist"))
    assert (response.status_code, response.context["cl"].result_count >= 1) == (200, True)


def test_admin_network_page_shows_memberships_and_charter_versions_inline(client, operator, member):
    client.force_login(operator)
    response = client.get(reverse("admin:networks_network_change", args=[member.network.pk]))
    formsets = [formset.formset.prefix for formset in response.context["inline_admin_formsets"]]
    assert (response.status_code, formsets) == (200, ["memberships", "charter_versions"])


def test_admin_is_closed_to_coordinators(client, coordinator, network):
    client.force_login(coordinator)
    response = client.get(reverse("admin:networks_network_changelist"))
    assert response.status_code == 302
