"""Operators manage every model in the Django admin; other users cannot open it."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests import factories

MODELS = [f"{model._meta.app_label}_{model._meta.model_name}" for model in admin.site._registry
          if model._meta.app_label in {"core", "accounts", "directory", "networks", "calendar", "library", "exchange",
                                       "desk"}]


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS)
def test_operator_opens_every_changelist(client, operator, model):
    client.force_login(operator)
    assert client.get(reverse(f"admin:{model}_changelist")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS)
def test_non_staff_user_is_sent_to_the_admin_login(client, outsider, model):
    client.force_login(outsider)
    response = client.get(reverse(f"admin:{model}_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_operator_cannot_make_themselves_superuser(client, operator):
    client.force_login(operator)
    url = reverse("admin:accounts_user_change", args=[operator.pk])
    client.post(url, {"email": operator.email, "full_name": "Op", "language": "en", "is_active": "on",
                      "is_staff": "on", "is_superuser": "on"})
    operator.refresh_from_db()
    assert operator.is_superuser is False


def test_every_domain_model_is_in_the_admin():
    assert {"core_concept", "core_auditentry", "accounts_user", "directory_organisation", "directory_claim",
            "networks_network", "networks_membership", "networks_charterversion"} <= set(MODELS)


@pytest.mark.django_db
def test_concept_admin_lists_thesaurus_labels(client, operator):
    factories.ConceptFactory(notation="ecomuseology", labels={"en": "Ecomuseology", "it": "Ecomuseologia"})
    client.force_login(operator)
    assert "Ecomuseology" in client.get(reverse("admin:core_concept_changelist")).content.decode()
