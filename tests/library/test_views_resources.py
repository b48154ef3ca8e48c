"""Pages of the library: search, a resource, the contributor's form, delete, files, moderation, the RSS feed."""


import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from sinergia.library.models import Resource
from tests import factories
from tests.factories import person, trusted_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def museum():
    return factories.OrganisationFactory(name="Museo della carta", slug="museo-della-carta")


@pytest.fixture
def editor(museum):
    return trusted_person(museum, "editor", "editor@carta.example.org")


@pytest.fixture
def member(museum):
    return person(museum, "member", "member@carta.example.org")


def form_data(museum, **changes) -> dict:
    values = {"organisation": museum.pk, "kind": "toolkit", "title": "Guida al crowdfunding", "language": "it",
              "abstract": "Passo per passo.", "authors": "Neri, Paolo\nFondazione Cariplo", "editors": "",
              "translators": "", "year": "2022", "visibility": "public"}
    return {**values, **changes}


def test_search_page_lists_public_resources_with_a_bounded_number_of_queries(client, museum,
                                                                             django_assert_max_num_queries):
    for number in range(12):
        factories.ResourceFactory(organisation=museum, title=f"Rapporto {number}")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("library:search"))
    assert response.status_code == 200
    assert response.content.decode().count('class="card card-bg mb-3"') == 12


def test_search_page_advertises_the_rss_feed(client):
    assert b'type="application/rss+xml"' in client.get(reverse("library:search")).content


def test_resource_page_shows_metadata_and_language_versions(client, museum):
    original = factories.ResourceFactory(organisation=museum, title="Mappe di comunità")
    factories.ResourceFactory(organisation=museum, title="Parish maps", language="en", original=original)
    page = client.get(reverse("library:resource_detail", args=[original.pk])).content.decode()
    assert "Mappe di comunità" in page and "Parish maps" in page and 'hreflang="en"' in page


def test_resource_page_of_a_private_resource_is_404_for_outsiders(client, museum, outsider):
    private = factories.ResourceFactory(organisation=museum, private=True)
    client.force_login(outsider)
    assert client.get(reverse("library:resource_detail", args=[private.pk])).status_code == 404


def test_resource_page_renders_markdown_abstracts_sanitised(client, museum):
    resource = factories.ResourceFactory(organisation=museum, abstract="**Forte** <script>alert(1)</script>")
    page = client.get(reverse("library:resource_detail", args=[resource.pk])).content.decode()
    assert "<strong>Forte</strong>" in page and "<script>alert(1)" not in page


def test_create_form_needs_an_account_and_an_organisation(client, outsider):
    assert client.get(reverse("library:resource_create")).status_code == 302
    client.force_login(outsider)
    assert client.get(reverse("library:resource_create")).status_code == 403


def test_create_form_adds_the_resource_with_its_creators(client, museum, editor):
    client.force_login(editor)
    response = client.post(reverse("library:resource_create"), form_data(museum))
    resource = Resource.objects.get()
    assert response.status_code == 302 and response.url == reverse("library:resource_detail", args=[resource.pk])
    assert [c.display_name for c in resource.creators.all()] == ["Neri, Paolo", "Fondazione Cariplo"]


def test_create_form_shows_the_service_errors_on_their_fields(client, museum, editor):
    client.force_login(editor)
    response = client.post(reverse("library:resource_create"), form_data(museum, language="elvish", doi="x"))
    assert response.status_code == 200
    assert "is not a known language tag" in response.content.decode()
    assert not Resource.objects.exists()


def test_create_form_refuses_an_organisation_of_someone_else(client, museum, editor):
    other = factories.OrganisationFactory()
    client.force_login(editor)
    response = client.post(reverse("library:resource_create"), form_data(other))
    assert response.status_code == 200 and not Resource.objects.exists()


@pytest.mark.parametrize(("actor", "status"), [("outsider", 404), ("member", 404), ("editor", 200),
                                               ("operator", 200)])
def test_edit_permission_matrix(client, museum, editor, member, outsider, operator, actor, status):
    resource = factories.ResourceFactory(organisation=museum)
    client.force_login({"outsider": outsider, "member": member, "editor": editor, "operator": operator}[actor])
    assert client.get(reverse("library:resource_edit", args=[resource.pk])).status_code == status


def test_edit_form_saves_changes(client, museum, editor):
    resource = factories.ResourceFactory(organisation=museum)
    client.force_login(editor)
    response = client.post(reverse("library:resource_edit", args=[resource.pk]),
                           form_data(museum, title="Nuovo titolo"))
    resource.refresh_from_db()
    assert response.status_code == 302 and resource.title == "Nuovo titolo"


def test_delete_asks_then_leaves_a_tombstone(client, museum, editor):
    resource = factories.ResourceFactory(organisation=museum)
    client.force_login(editor)
    assert client.get(reverse("library:resource_delete", args=[resource.pk])).status_code == 200
    client.post(reverse("library:resource_delete", args=[resource.pk]))
    resource.refresh_from_db()
    assert resource.deleted_at is not None
    assert client.get(reverse("library:resource_detail", args=[resource.pk])).status_code == 404


def test_file_download_checks_who_asks_and_is_sandboxed(client, museum, outsider):
    resource = factories.ResourceFactory(organisation=museum, private=True, file_name="piano.pdf",
                                         file_type="application/pdf")
    resource.file.save("piano.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    client.force_login(outsider)
    assert client.get(reverse("library:resource_file", args=[resource.pk])).status_code == 404
    member = person(museum, "member", "reader@carta.example.org")
    client.force_login(member)
    response = client.get(reverse("library:resource_file", args=[resource.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Content-Disposition"] == 'attachment; filename="piano.pdf"'


def test_moderation_queue_is_for_operators(client, museum, editor, operator):
    factories.ResourceFactory(organisation=museum, pending=True, title="Da controllare")
    client.force_login(editor)
    assert client.get(reverse("library:moderation")).status_code == 302
    client.force_login(operator)
    assert "Da controllare" in client.get(reverse("library:moderation")).content.decode()


def test_moderate_publishes_a_pending_resource(client, museum, operator):
    resource = factories.ResourceFactory(organisation=museum, pending=True)
    client.force_login(operator)
    client.post(reverse("library:moderate", args=[resource.pk]), {"decision": "approve", "note": ""})
    resource.refresh_from_db()
    assert resource.moderation == Resource.Moderation.APPROVED


def test_organisation_page_lists_its_pending_and_private_resources_for_its_people(client, museum, member, outsider):
    factories.ResourceFactory(organisation=museum, pending=True, title="In attesa")
    factories.ResourceFactory(organisation=museum, private=True, title="Interno")
    client.force_login(member)
    page = client.get(reverse("library:organisation_resources", args=[museum.slug])).content.decode()
    assert "In attesa" in page and "Interno" in page
    client.force_login(outsider)
    assert client.get(reverse("library:organisation_resources", args=[museum.slug])).status_code == 403


def test_rss_feed_has_only_public_approved_resources(client, museum):
    factories.ResourceFactory(organisation=museum, title="Pubblica")
    factories.ResourceFactory(organisation=museum, title="Riservata", networks_only=True)
    factories.ResourceFactory(organisation=museum, title="In attesa", pending=True)
    body = client.get(reverse("library:feed")).content.decode()
    assert "Pubblica" in body and "Riservata" not in body and "In attesa" not in body
