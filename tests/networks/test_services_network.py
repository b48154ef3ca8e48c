"""Founding and editing a network."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sinergia.core.models import AuditEntry
from sinergia.networks.models import CharterVersion, Membership, Network
from sinergia.networks.services import network_found, network_update
from tests import factories
from tests.networks.conftest import CHARTER_V1, found_network

pytestmark = pytest.mark.django_db


def found(by, founder, **overrides):
    values = {"name": "Rete museale", "kind": "thematic", "scale": "national", "governance": "association",
              "charter_text": CHARTER_V1}
    return network_found(founder=founder, by=by, **{**values, **overrides})


def test_network_found_makes_the_founder_an_admitted_coordinator(network):
    membership = Membership.objects.get(network=network)
    assert (membership.organisation, membership.role, membership.status) == (
        network.founded_by, Membership.Role.COORDINATOR, Membership.Status.ADMITTED)


def test_network_found_publishes_charter_version_one_unsigned(network, coordinator):
    version = CharterVersion.objects.get(network=network)
    assert (version.number, version.text, version.published_by, version.signatures.count()) == (
        1, CHARTER_V1, coordinator, 0)


def test_network_found_records_an_audit_entry(network, coordinator):
    entry = AuditEntry.objects.get(action="network.found")
    assert (entry.actor, entry.target) == (coordinator, network)


def test_network_found_slug_is_unique_and_avoids_reserved_words(coordinator):
    founder = factories.OrganisationFactory()
    factories.OrganisationMemberFactory(organisation=founder, user=coordinator)
    first = found(coordinator, founder, name="New")
    second = found(coordinator, founder, name="New!")
    assert (first.slug, second.slug) == ("new-2", "new-3")


def test_network_found_refuses_a_name_already_taken_in_any_case(network, coordinator):
    with pytest.raises(ValidationError) as error:
        found(coordinator, network.founded_by, name=network.name.upper())
    assert error.value.message_dict["name"] == [f"A network named “{network.name.upper()}” already exists."]


def test_network_found_requires_the_founders_admin(applicant, applicant_editor):
    with pytest.raises(PermissionDenied):
        found(applicant_editor, applicant)
    assert Network.objects.count() == 0


def test_network_found_requires_a_charter(applicant, applicant_admin):
    with pytest.raises(ValidationError) as error:
        found(applicant_admin, applicant, charter_text="   ")
    assert error.value.message_dict == {"charter_text": ["The charter cannot be empty."]}


def test_network_found_refuses_an_over_long_charter_and_writes_nothing(applicant, applicant_admin):
    with pytest.raises(ValidationError) as error:
        found(applicant_admin, applicant, charter_text="x" * 100_001)
    assert list(error.value.message_dict) == ["charter_text"]
    assert (Network.objects.count(), Membership.objects.count()) == (0, 0)


def test_network_found_refuses_unknown_choices_and_bad_country(applicant, applicant_admin):
    with pytest.raises(ValidationError) as error:
        found(applicant_admin, applicant, kind="galactic", country="Italy")
    assert sorted(error.value.message_dict) == ["country", "kind"]


def test_network_found_refuses_over_long_objectives(applicant, applicant_admin):
    with pytest.raises(ValidationError) as error:
        found(applicant_admin, applicant, objectives="o" * 20_001)
    assert list(error.value.message_dict) == ["objectives"]


def test_network_found_sets_themes_by_notation(applicant, applicant_admin):
    factories.ConceptFactory(notation="archaeology")
    network = found(applicant_admin, applicant, themes=["archaeology"])
    assert list(network.themes.values_list("notation", flat=True)) == ["archaeology"]


def test_network_found_refuses_unknown_themes(applicant, applicant_admin):
    with pytest.raises(ValidationError) as error:
        found(applicant_admin, applicant, themes=["astrology"])
    assert error.value.message_dict == {"themes": ["Unknown themes: astrology."]}


def test_network_found_keeps_the_language_it_was_written_in(applicant, applicant_admin):
    from django.utils import translation

    with translation.override("fr"):
        network = found(applicant_admin, applicant)
    assert (network.language, network.charter_versions.get().language) == ("fr", "fr")


def test_network_update_changes_fields_and_keeps_the_slug(network, coordinator):
    slug = network.slug
    network_update(network=network, by=coordinator, name="Rete del Delta", governance="consortium",
                   legal_notes="Statute of 2024.")
    network.refresh_from_db()
    assert (network.name, network.slug, network.governance, network.legal_notes) == (
        "Rete del Delta", slug, "consortium", "Statute of 2024.")


def test_network_update_refuses_unknown_fields(network, coordinator):
    with pytest.raises(ValidationError) as error:
        network_update(network=network, by=coordinator, slug="hijack", is_active=False)
    assert error.value.messages == ["These fields cannot be changed: is_active, slug."]


def test_network_update_refuses_a_name_of_another_network(network, coordinator):
    other = found_network(admin=factories.UserFactory(), name="Altra rete")
    with pytest.raises(ValidationError):
        network_update(network=network, by=coordinator, name=other.name)
    network.refresh_from_db()
    assert network.name == "Rete dei musei del Po"


def test_network_update_is_refused_to_a_member(member, applicant_admin):
    with pytest.raises(PermissionDenied):
        network_update(network=member.network, by=applicant_admin, name="Taken over")
