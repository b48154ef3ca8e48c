"""The charter page, publishing a new version and signing it."""

import pytest
from django.urls import reverse

from sinergia.networks.models import CharterSignature
from sinergia.networks.services import charter_publish
from tests import factories

pytestmark = pytest.mark.django_db


def charter_url(network, query="") -> str:
    return reverse("networks:charter", kwargs={"slug": network.slug}) + query


def test_charter_page_renders_the_current_version_sanitised(client, network, coordinator):
    charter_publish(network=network, by=coordinator,
                    text="## Rules\n\n<script>alert(1)</script><a href=\"javascript:evil()\">x</a> **share**")
    response = client.get(charter_url(network))
    content = response.content.decode()
    assert response.context["shown"].number == 2
    assert "<h2>Rules</h2>" in content and "<strong>share</strong>" in content
    assert ("alert(1)" in content, "javascript:" in content) == (False, False)


def test_charter_page_lists_versions_with_their_signature_counts(client, network, coordinator, member):
    factories.CharterSignatureFactory(membership=member, charter=network.charter_versions.get())
    charter_publish(network=network, by=coordinator, text="Version two")
    versions = client.get(charter_url(network)).context["versions"]
    assert [(v.number, v.signature_count) for v in versions] == [(2, 0), (1, 1)]


def test_charter_page_shows_an_old_version_on_request(client, network, coordinator):
    charter_publish(network=network, by=coordinator, text="Version two")
    response = client.get(charter_url(network, "?version=1"))
    assert (response.context["shown"].number, "replaced" in response.content.decode()) == (1, True)
    assert client.get(charter_url(network, "?version=9")).status_code == 404


def test_charter_page_offers_signing_to_the_members_admin_only(client, member, applicant_admin, applicant_editor):
    sign_url = reverse("networks:sign", args=[member.pk])
    client.force_login(applicant_editor)
    assert sign_url not in client.get(charter_url(member.network)).content.decode()
    client.force_login(applicant_admin)
    assert sign_url in client.get(charter_url(member.network)).content.decode()


def test_charter_page_shows_who_signed_which_version(client, network, coordinator, member):
    factories.CharterSignatureFactory(membership=member, charter=network.charter_versions.get())
    charter_publish(network=network, by=coordinator, text="Version two")
    content = client.get(charter_url(network)).content.decode()
    assert "Signed v1 · must sign v2" in content


def test_charter_sign_view_signs_the_current_version(client, member, applicant_admin):
    client.force_login(applicant_admin)
    current = member.network.charter_versions.get()
    response = client.post(reverse("networks:sign", args=[member.pk]), {"charter": current.pk})
    assert response.url == charter_url(member.network)
    signature = CharterSignature.objects.get(membership=member)
    assert (signature.charter, signature.signed_by) == (current, applicant_admin)


def test_charter_sign_view_refuses_an_old_version_with_a_message(client, member, coordinator, applicant_admin):
    old = member.network.charter_versions.get()
    charter_publish(network=member.network, by=coordinator, text="Version two")
    client.force_login(applicant_admin)
    response = client.post(reverse("networks:sign", args=[member.pk]), {"charter": old.pk}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Version 1 of the charter has been replaced: please read and sign version 2."]
    assert not CharterSignature.objects.exists()


def test_charter_sign_view_twice_shows_an_error(client, member, applicant_admin):
    client.force_login(applicant_admin)
    first = client.post(reverse("networks:sign", args=[member.pk]), follow=True)
    assert [str(m) for m in first.context["messages"]] == ["Museo della bonifica has signed the charter."]
    response = client.post(reverse("networks:sign", args=[member.pk]), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Museo della bonifica has already signed version 1 of the charter."]
    assert CharterSignature.objects.count() == 1


def test_charter_publish_view_creates_a_version(client, network, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("networks:charter_publish", args=[network.slug]),
                           {"text": "## v2\n\nNew rules.", "changes": "Fees."})
    assert response.url == charter_url(network)
    assert list(network.charter_versions.values_list("number", "changes")) == [(2, "Fees."), (1, "")]


def test_charter_publish_view_starts_from_the_current_text(client, network, coordinator):
    client.force_login(coordinator)
    form = client.get(reverse("networks:charter_publish", args=[network.slug])).context["form"]
    assert form.initial["text"] == network.charter_versions.get().text


def test_charter_publish_view_reports_an_unchanged_text(client, network, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("networks:charter_publish", args=[network.slug]),
                           {"text": network.charter_versions.get().text})
    assert response.context["form"].errors == {"text": ["The text is the same as the current version 1."]}


def test_charter_publish_view_refuses_an_over_long_text(client, network, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("networks:charter_publish", args=[network.slug]), {"text": "x" * 100_001})
    assert list(response.context["form"].errors) == ["text"]
    assert network.charter_versions.count() == 1


def test_charter_page_queries_stay_bounded(client, network, coordinator, django_assert_max_num_queries):
    charter = network.charter_versions.get()
    for membership in [factories.MembershipFactory(network=network) for _ in range(35)]:
        factories.CharterSignatureFactory(membership=membership, charter=charter)
    charter_publish(network=network, by=coordinator, text="Version two")
    client.force_login(coordinator)
    with django_assert_max_num_queries(15):
        response = client.get(charter_url(network))
    assert len(response.context["page"].object_list) == 36
