"""Confirmed citation imports run by the task worker: their outcome kept for their author, whatever happens, and
the page that follows them."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from sinergia.core.models import Notification
from sinergia.library.models import CitationImport, Resource
from sinergia.library.services import import_jobs
from sinergia.library.tasks import drop_stale_imports_task
from tests import factories
from tests.factories import trusted_person
from tests.library.files import RIS_TWO, RIS_WITH_ERROR

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(museum):
    return trusted_person(museum, "member", "member@casentino.example.org")


def queued(museum, by, content: bytes = RIS_TWO, filename: str = "refs.ris", **fields) -> CitationImport:
    """An import waiting for the worker (created without enqueueing it: the test runs it)."""
    return CitationImport.objects.create(organisation=museum, created_by=by, filename=filename, content=content,
                                         **fields)


def titles(museum) -> list[str]:
    return sorted(Resource.objects.filter(organisation=museum).values_list("title", flat=True))


# --- The service ------------------------------------------------------------------------------------------------


def test_enqueue_keeps_the_file_and_runs_it_once_committed(museum, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = import_jobs.citation_import_enqueue(organisation=museum, by=member, content=RIS_TWO,
                                                  filename="refs.ris", options={}, skip_errors=False,
                                                  skip_duplicates=True)
        assert (job.status, titles(museum)) == ("queued", [])
    job.refresh_from_db()
    assert (job.status, job.records, len(job.created_ids), bytes(job.content)) == ("done", 2, 2, b"")
    assert titles(museum) == ["Ecomusei e paesaggio", "Musei in rete"]
    assert job.started_at is not None and job.finished_at >= job.started_at


def test_only_the_people_of_the_organisation_may_enqueue(museum, outsider):
    with pytest.raises(PermissionDenied):
        import_jobs.citation_import_enqueue(organisation=museum, by=outsider, content=RIS_TWO, filename="refs.ris",
                                            options={}, skip_errors=False, skip_duplicates=True)
    assert not CitationImport.objects.exists()


def test_a_done_import_keeps_what_it_added_and_left_out_and_tells_its_author(museum, member):
    factories.ResourceFactory(title="Musei in rete", year=2019, index=False)
    job = import_jobs.citation_import_run(import_id=queued(museum, member, RIS_WITH_ERROR, skip_errors=True).pk)
    assert (job.status, job.records, titles(museum)) == ("done", 3, ["Ecomusei e paesaggio"])
    assert [(row["index"], row["status"]) for row in job.skipped] == [(2, "duplicate"), (3, "error")]
    assert "Same title and year as “Musei in rete”, already in the library." in job.skipped[0]["reasons"]
    notice = Notification.objects.get(recipient=member)
    assert (notice.kind, notice.title, notice.url) == (
        "library.imported", "Import of refs.ris: 1 resource added.", reverse("library:import_status", args=[job.pk]))


def test_an_import_runs_once(museum, member):
    job = queued(museum, member)
    assert import_jobs.citation_import_run(import_id=job.pk).status == "done"
    assert import_jobs.citation_import_run(import_id=job.pk) is None
    assert Resource.objects.count() == 2


def test_records_in_error_reject_the_whole_import_with_their_reasons(museum, member):
    job = import_jobs.citation_import_run(import_id=queued(museum, member, RIS_WITH_ERROR).pk)
    assert (job.status, job.records, job.created_ids, titles(museum)) == ("rejected", 3, [], [])
    assert [(row["index"], row["title"]) for row in job.skipped] == [(3, "Senza lingua")]
    assert job.skipped[0]["reasons"] == [
        "The record does not say its language: choose a default language for the import."]
    assert Notification.objects.get(recipient=member).title == "Import of refs.ris: nothing was imported."


def test_an_author_who_left_the_organisation_imports_nothing(museum, member):
    job = queued(museum, member)
    museum.people.filter(user=member).delete()
    job = import_jobs.citation_import_run(import_id=job.pk)
    assert (job.status, job.errors, titles(museum)) == (
        "failed", ["You are not allowed to import citations for this organisation."], [])


def test_an_unexpected_error_is_kept_as_a_failure_and_logged(museum, member, monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(import_jobs, "citations_import", broken)
    job = import_jobs.citation_import_run(import_id=queued(museum, member).pk)
    assert job.status == "failed" and "nothing was imported" in job.errors[0]
    assert "disk full" in caplog.text and bytes(CitationImport.objects.get().content) == b""


def test_the_outcome_is_written_in_the_language_of_its_author(museum, member):
    member.language = "it"
    member.save(update_fields=["language"])
    job = import_jobs.citation_import_run(import_id=queued(museum, member, RIS_WITH_ERROR).pk)
    assert job.skipped[0]["reasons"] == [
        "Il record non indica la propria lingua: scelga una lingua predefinita per l'importazione."]
    assert Notification.objects.get(recipient=member).title == "Importazione di refs.ris: nulla è stato importato."


def test_an_import_that_waited_too_long_is_dropped_rather_than_run_late(museum, member):
    job = queued(museum, member)
    CitationImport.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(hours=3))
    assert import_jobs.citation_import_run(import_id=job.pk) is None
    job.refresh_from_db()
    assert (job.status, bytes(job.content), titles(museum)) == ("failed", b"", [])
    assert job.errors == ["The import waited too long for the site's task worker and was dropped: nothing was "
                          "imported. Upload the file again."]


def test_the_periodic_sweep_fails_the_imports_no_worker_will_end_and_only_those(museum, member):
    long_ago = timezone.now() - datetime.timedelta(hours=3)
    waited = queued(museum, member, filename="waited.ris")
    killed = queued(museum, member, filename="killed.ris", status=CitationImport.Status.RUNNING, started_at=long_ago)
    fresh = queued(museum, member, filename="fresh.ris")
    CitationImport.objects.filter(pk__in=[waited.pk, killed.pk]).update(created_at=long_ago)
    assert drop_stale_imports_task.call() == 2
    outcome = {job.filename: (job.status, bytes(job.content), job.errors) for job in CitationImport.objects.all()}
    assert outcome["waited.ris"][:2] == outcome["killed.ris"][:2] == ("failed", b"")
    assert outcome["killed.ris"][2] == ["This import stopped before its end, so nothing of it was imported. Upload the "
                                        "file again; if it happens again, tell the site's operators."]
    assert outcome["fresh.ris"] == ("queued", RIS_TWO, [])
    assert import_jobs.citation_import_run(import_id=fresh.pk).status == "done"


def test_an_import_that_never_ended_is_known_as_stopped(museum, member):
    job = queued(museum, member)
    assert not job.is_stale
    CitationImport.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(hours=3))
    job.refresh_from_db()
    assert job.is_stale
    job.status = CitationImport.Status.DONE
    assert not job.is_stale


# --- The page ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "status"), [
    ("anonymous", 302), ("outsider", 404), ("colleague", 404), ("author", 200), ("operator", 200)])
def test_an_import_is_seen_by_its_author_and_operators(client, museum, member, outsider, operator, persona, status):
    job = import_jobs.citation_import_run(import_id=queued(museum, member).pk)
    people = {"anonymous": AnonymousUser(), "outsider": outsider, "operator": operator, "author": member,
              "colleague": trusted_person(museum, "editor", "editor@casentino.example.org")}
    if persona != "anonymous":
        client.force_login(people[persona])
    assert client.get(reverse("library:import_status", args=[job.pk])).status_code == status


def test_the_page_of_a_waiting_import_asks_again_until_it_moves(client, museum, member):
    job = queued(museum, member)
    client.force_login(member)
    page = client.get(reverse("library:import_status", args=[job.pk])).content.decode()
    assert "Waiting to start" in page and f'hx-get="/en/library/import/{job.pk}/?status=queued"' in page
    url = reverse("library:import_status", args=[job.pk])
    same = client.get(url, {"status": "queued"}, headers={"HX-Request": "true"})
    assert (same.status_code, same.has_header("HX-Refresh")) == (204, False)
    import_jobs.citation_import_run(import_id=job.pk)
    moved = client.get(url, {"status": "queued"}, headers={"HX-Request": "true"})
    assert (moved.status_code, moved["HX-Refresh"]) == (204, "true")
    page = client.get(url).content.decode()
    assert "2 resources added on behalf of Ecomuseo del Casentino." in page and "hx-get" not in page


def test_the_page_of_a_stopped_import_says_nothing_was_imported(client, museum, member):
    job = queued(museum, member, status=CitationImport.Status.RUNNING, started_at=timezone.now())
    CitationImport.objects.filter(pk=job.pk).update(started_at=timezone.now() - datetime.timedelta(hours=3))
    client.force_login(member)
    page = client.get(reverse("library:import_status", args=[job.pk])).content.decode()
    assert "This import stopped before its end, so nothing of it was imported." in page and "hx-get" not in page


def test_the_page_of_a_rejected_import_lists_the_records_that_stopped_it(client, museum, member):
    job = import_jobs.citation_import_run(import_id=queued(museum, member, RIS_WITH_ERROR).pk)
    client.force_login(member)
    page = client.get(reverse("library:import_status", args=[job.pk])).content.decode()
    assert "The records that stopped the import, and why" in page and "Senza lingua" in page
    assert "Nothing imported: records with errors" in page


def test_the_upload_page_lists_ones_own_latest_imports(client, museum, member):
    import_jobs.citation_import_run(import_id=queued(museum, member).pk)
    queued(museum, trusted_person(museum, "editor", "editor@casentino.example.org"), filename="theirs.bib")
    client.force_login(member)
    response = client.get(reverse("library:import_upload"))
    assert [job.filename for job in response.context["imports"]] == ["refs.ris"]
    assert "2 resources added" in response.content.decode()


def test_the_page_of_a_large_import_reads_a_bounded_number_of_rows(client, museum, member,
                                                                   django_assert_max_num_queries):
    content = b"".join(b"TY  - JOUR\nTI  - Titolo %d\nLA  - it\nER  - \n" % n for n in range(300))
    job = import_jobs.citation_import_run(import_id=queued(museum, member, content).pk)
    client.force_login(member)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("library:import_status", args=[job.pk]))
    assert len(response.context["added"]) == 200 and "Only the first 200 are listed." in response.content.decode()


def test_the_page_counts_duplicates_of_the_library_and_of_the_file_alike(client, museum, member):
    factories.ResourceFactory(title="Musei in rete", year=2019, index=False)
    content = RIS_TWO + b"TY  - JOUR\nTI  - Ecomusei e paesaggio\nPY  - 2020\nLA  - it\nER  - \n"
    job = import_jobs.citation_import_run(import_id=queued(museum, member, content).pk)
    client.force_login(member)
    page = client.get(reverse("library:import_status", args=[job.pk])).content.decode()
    assert "2 duplicate records were skipped (already in the library, or earlier in the file)." in page
    assert "Same title and year as record 1 of this file." in page
