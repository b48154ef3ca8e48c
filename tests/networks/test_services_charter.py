"""Publishing charter versions and signing them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sinergia.core.models import AuditEntry, Notification
from sinergia.networks.models import CharterSignature, Membership
from sinergia.networks.selectors import network_current_charter
from sinergia.networks.services import charter_publish, charter_sign, membership_suspend
from tests import factories
from tests.factories import person
from tests.networks.conftest import CHARTER_V1, found_network

pytestmark = pytest.mark.django_db


def test_charter_publish_numbers_the_new_version(network, coordinator):
    version = charter_publish(network=network, by=coordinator, text="## Charter v2", changes="Fees added.")
    assert (version.number, version.text, version.changes, version.published_by) == (
        2, "## Charter v2", "Fees added.", coordinator)
    assert network_current_charter(network=network) == version


def test_charter_publish_asks_every_admitted_member_to_sign(network, coordinator, member, applicant_admin):
    pending_admin = person(factories.MembershipFactory(network=network, applied=True).organisation, "admin",
                           "pending@example.org")
    plain = person(member.organisation, "member", "plain@bonifica.example.org")
    charter_publish(network=network, by=coordinator, text="## Charter v2")
    expected = [f"{network.name} published version 2 of its charter: please sign it"]
    assert list(Notification.objects.filter(recipient=applicant_admin).values_list("title", flat=True)) == expected
    assert not Notification.objects.filter(recipient__in=[pending_admin, plain, coordinator]).exists()


def test_charter_publish_refuses_the_same_text(network, coordinator):
    with pytest.raises(ValidationError) as error:
        charter_publish(network=network, by=coordinator, text=f"  {CHARTER_V1}\n")
    assert error.value.message_dict == {"text": ["The text is the same as the current version 1."]}


def test_charter_publish_refuses_an_empty_or_over_long_text(network, coordinator):
    with pytest.raises(ValidationError):
        charter_publish(network=network, by=coordinator, text="")
    with pytest.raises(ValidationError):
        charter_publish(network=network, by=coordinator, text="a" * 100_001)
    with pytest.raises(ValidationError):
        charter_publish(network=network, by=coordinator, text="New", changes="c" * 5001)
    assert network.charter_versions.count() == 1


def test_charter_publish_by_a_member_is_denied(member, applicant_admin):
    with pytest.raises(PermissionDenied):
        charter_publish(network=member.network, by=applicant_admin, text="Ours now")


def test_charter_sign_records_who_when_and_which_version(member, applicant_admin):
    signature = charter_sign(membership=member, by=applicant_admin)
    assert (signature.charter.number, signature.signed_by, signature.signatory_name) == (
        1, applicant_admin, applicant_admin.display_name)
    assert signature.signed_at is not None
    assert AuditEntry.objects.get(action="charter.sign").data == {"version": 1, "charter": signature.charter.pk}


def test_charter_sign_twice_is_refused(member, applicant_admin):
    charter_sign(membership=member, by=applicant_admin)
    with pytest.raises(ValidationError) as error:
        charter_sign(membership=member, by=applicant_admin)
    assert error.value.messages == ["Museo della bonifica has already signed version 1 of the charter."]


def test_charter_sign_of_an_old_version_is_refused(member, coordinator, applicant_admin):
    old = network_current_charter(network=member.network)
    charter_publish(network=member.network, by=coordinator, text="## Charter v2")
    with pytest.raises(ValidationError) as error:
        charter_sign(membership=member, by=applicant_admin, charter=old)
    assert error.value.messages == [
        "Version 1 of the charter has been replaced: please read and sign version 2."]
    assert not CharterSignature.objects.exists()


def test_charter_sign_after_a_new_version_signs_the_new_one(member, coordinator, applicant_admin):
    charter_sign(membership=member, by=applicant_admin)
    charter_publish(network=member.network, by=coordinator, text="## Charter v2")
    signature = charter_sign(membership=member, by=applicant_admin)
    assert signature.charter.number == 2


def test_charter_sign_of_another_networks_charter_is_refused(member, applicant_admin):
    other = found_network(admin=factories.UserFactory(), name="Altra rete")
    with pytest.raises(ValidationError) as error:
        charter_sign(membership=member, by=applicant_admin, charter=network_current_charter(network=other))
    assert error.value.messages == ["This charter belongs to another network."]


def test_charter_sign_by_an_applicant_is_refused(application, applicant_admin):
    with pytest.raises(ValidationError) as error:
        charter_sign(membership=application, by=applicant_admin)
    assert error.value.messages == ["Only admitted members sign the charter; this membership is Applied."]


def test_charter_sign_by_a_suspended_member_is_refused(member, coordinator, applicant_admin):
    membership_suspend(membership=member, by=coordinator, reason="Fees unpaid.")
    with pytest.raises(ValidationError):
        charter_sign(membership=member, by=applicant_admin)


def test_charter_sign_by_an_editor_is_denied(member, applicant_editor):
    with pytest.raises(PermissionDenied):
        charter_sign(membership=member, by=applicant_editor)


def test_charter_sign_by_the_founder_is_an_explicit_act(network, coordinator):
    founder = Membership.objects.get(network=network, organisation=network.founded_by)
    assert not founder.signatures.exists()
    assert charter_sign(membership=founder, by=coordinator).charter.number == 1
