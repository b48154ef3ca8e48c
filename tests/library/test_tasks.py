"""Reading the text of resources' files in the background: stored, indexed, skipped when stale, harmless repeated."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus

from sinergia.library.models import Resource, ResourceText
from sinergia.library.services import CreatorData, ResourceData, resource_create
from sinergia.library.services.files import resource_file_check, resource_file_store, resource_text_extract
from sinergia.library.tasks import resource_extract_text
from tests import factories
from tests.library import files
from tests.library.test_extract import ITALIAN_TEXT

pytestmark = pytest.mark.django_db
Status = Resource.TextStatus


@pytest.fixture(autouse=True)
def _site_in_english(settings):
    """Reasons are stored in the site's language; the assertions read English."""
    settings.LANGUAGE_CODE = "en"


def with_file(data: bytes, name: str, resource: Resource | None = None) -> Resource:
    """A resource whose file was stored, its text still pending (the commit that would enqueue the task never comes)."""
    resource = resource or factories.ResourceFactory(index=False)
    upload = files.upload(data, name)
    resource_file_store(resource=resource, upload=upload, info=resource_file_check(upload))
    return resource


def test_upload_through_resource_create_stores_the_text(django_capture_on_commit_callbacks):
    organisation = factories.OrganisationFactory()
    admin = factories.person(organisation, "admin", "admin@example.org")
    admin.date_joined = timezone.now() - timedelta(days=60)  # a trusted contributor: published at once
    admin.save(update_fields=["date_joined"])
    data = ResourceData(kind=Resource.Kind.REPORT, title="Musei in rete", language="it",
                        creators=[CreatorData(family="Rossi", given="Maria")])
    with django_capture_on_commit_callbacks(execute=True):
        created = resource_create(organisation=organisation, by=admin, data=data,
                                  upload=files.italian_pdf_upload("Musei in rete.pdf"))
    resource = Resource.objects.select_related("text").get(pk=created.pk)
    assert (resource.text_status, resource.text_error, resource.file_name) == (Status.DONE, "", "Musei in rete.pdf")
    assert (resource.text.body, resource.text.pages) == (ITALIAN_TEXT, 3)


def test_task_returns_the_status_and_stores_the_text():
    resource = with_file(files.odt_bytes(), "testo.odt")
    result = resource_extract_text.enqueue(resource.pk, resource.file_sha256)
    resource.refresh_from_db()
    assert (result.status, result.return_value, resource.text_status) == (
        TaskResultStatus.SUCCESSFUL, Status.DONE, Status.DONE)
    assert resource.text.body == "Titolo del rapporto\n\n" + ITALIAN_TEXT


def test_task_repeated_reads_the_same_text_again():
    resource = with_file(files.pdf_bytes(), "rapporto.pdf")
    resource_extract_text.enqueue(resource.pk, resource.file_sha256)
    result = resource_extract_text.enqueue(resource.pk, resource.file_sha256)
    assert (result.return_value, ResourceText.objects.filter(resource=resource).count()) == (Status.DONE, 1)


def test_task_does_not_change_the_date_harvesters_see():
    resource = with_file(files.pdf_bytes(), "rapporto.pdf")
    before = Resource.objects.get(pk=resource.pk).updated_at
    resource_extract_text.enqueue(resource.pk, resource.file_sha256)
    assert Resource.objects.get(pk=resource.pk).updated_at == before


def test_task_of_an_encrypted_pdf_records_why_it_failed():
    resource = with_file(files.encrypted_pdf_bytes(), "segreto.pdf")
    assert resource_extract_text.enqueue(resource.pk, resource.file_sha256).return_value == Status.FAILED
    resource.refresh_from_db()
    assert (resource.text_status, resource.text_error) == (
        Status.FAILED, "The PDF is encrypted: it opens only with a password, so its text cannot be read.")
    assert not ResourceText.objects.filter(resource=resource).exists()


def test_task_of_a_damaged_pdf_records_why_it_failed():
    resource = with_file(files.corrupt_pdf_bytes(), "rotto.pdf")
    resource_extract_text.enqueue(resource.pk, resource.file_sha256)
    resource.refresh_from_db()
    assert (resource.text_status, resource.text_error) == (
        Status.FAILED, "The PDF is damaged and its text could not be read (Stream has ended unexpectedly).")


def test_task_of_a_pdf_without_text_records_it_empty():
    resource = with_file(files.pdf_bytes(("", "")), "scansione.pdf")
    assert resource_extract_text.enqueue(resource.pk, resource.file_sha256).return_value == Status.EMPTY
    resource.refresh_from_db()
    assert (resource.text_status, resource.text_error) == (Status.EMPTY, "")
    assert not ResourceText.objects.filter(resource=resource).exists()


def test_task_replaces_an_earlier_text():
    resource = with_file(files.pdf_bytes(), "rapporto.pdf")
    factories.ResourceTextFactory(resource=resource, body="Testo vecchio.", pages=9)
    resource_extract_text.enqueue(resource.pk, resource.file_sha256)
    assert ResourceText.objects.values_list("body", "pages").get(resource=resource) == (ITALIAN_TEXT, 3)


def test_task_of_a_missing_file_records_why_it_failed():
    resource = with_file(files.pdf_bytes(), "rapporto.pdf")
    Path(resource.file.path).unlink()
    resource_extract_text.enqueue(resource.pk, resource.file_sha256)
    resource.refresh_from_db()
    assert (resource.text_status, resource.text_error) == (
        Status.FAILED, "The file is missing from the server's storage.")


def test_task_of_a_deleted_resource_does_nothing():
    resource = with_file(files.pdf_bytes(), "rapporto.pdf")
    Resource.objects.filter(pk=resource.pk).update(deleted_at=timezone.now())
    assert resource_extract_text.enqueue(resource.pk, resource.file_sha256).return_value == ""
    assert resource_extract_text.enqueue(resource.pk + 1000, "").return_value == ""
    assert not ResourceText.objects.exists()


def test_task_for_a_file_since_replaced_does_nothing():
    resource = with_file(files.pdf_bytes(), "primo.pdf")
    first_sha = resource.file_sha256
    with_file(files.odt_bytes(), "secondo.odt", resource)
    assert resource_extract_text.enqueue(resource.pk, first_sha).return_value == ""
    resource.refresh_from_db()
    assert (resource.text_status, ResourceText.objects.filter(resource=resource).exists()) == (Status.PENDING, False)


def test_extract_keeps_nothing_if_the_file_changed_while_it_was_read():
    resource = with_file(files.pdf_bytes(), "primo.pdf")
    stale = Resource.objects.get(pk=resource.pk)
    with_file(files.odt_bytes(), "secondo.odt", resource)
    assert resource_text_extract(resource=stale) == ""
    resource.refresh_from_db()
    assert (resource.text_status, ResourceText.objects.filter(resource=resource).exists()) == (Status.PENDING, False)
