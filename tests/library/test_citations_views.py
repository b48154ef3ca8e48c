"""The pages of citations: upload → preview → import (the file kept in between), and exports of what one may see."""

import json

import pytest
from django.conf.urls.i18n import i18n_patterns
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, include, path, reverse
from django.utils import timezone

from sinergia import urls as root_urls
from sinergia.core.models import Concept
from sinergia.library.citations.pending import SESSION_KEY, _storage
from sinergia.library.models import CitationImport, Resource
from tests import factories
from tests.factories import person
from tests.library.files import RIS_TWO, RIS_WITH_ERROR


def _urlpatterns() -> list:
    """The site's URLs, with the library's until the project includes them itself."""
    try:
        reverse("library:search", urlconf="sinergia.urls")
    except NoReverseMatch:
        return [*root_urls.urlpatterns, *i18n_patterns(path("library/", include("sinergia.library.urls")))]
    return list(root_urls.urlpatterns)


urlpatterns = _urlpatterns()
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]
PERSONAS = ["anonymous", "outsider", "member", "editor", "operator"]


@pytest.fixture
def world(museum, operator, outsider):
    people = {"anonymous": AnonymousUser(), "outsider": outsider, "operator": operator,
              "member": person(museum, "member", "member@casentino.example.org"),
              "editor": person(museum, "editor", "editor@casentino.example.org")}
    for user in (people["member"], people["editor"]):
        user.date_joined = timezone.now() - timezone.timedelta(days=100)
        user.save(update_fields=["date_joined"])
    return people


def upload(client, museum, content: bytes = RIS_TWO, name: str = "refs.ris", query: str = "", **fields):
    data = {"organisation": museum.pk, "file": SimpleUploadedFile(name, content), "format": "auto",
            "default_language": "", "visibility": "public"} | fields
    return client.post(reverse("library:import_upload") + query, data)


@pytest.fixture
def confirm(client, django_capture_on_commit_callbacks):
    """Confirm the waiting file's import; the task it enqueues on commit runs at once (the tests' task backend)."""
    def post(data: dict):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("library:import_confirm"), data)
    return post


def titles(museum) -> list[str]:
    return sorted(Resource.objects.filter(organisation=museum).values_list("title", flat=True))


def pending_files() -> list[str]:
    storage = _storage()
    return storage.listdir("citations")[1] if storage.exists("citations") else []


# --- Import: who ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_import_page_is_for_the_people_of_an_organisation(client, world, persona):
    if persona != "anonymous":
        client.force_login(world[persona])
    response = client.get(reverse("library:import_upload"))
    if persona == "anonymous":
        assert (response.status_code, response.url.split("?")[0]) == (302, reverse("account_login"))
    else:
        assert response.status_code == (200 if persona in ("member", "editor") else 403)


@pytest.mark.parametrize("persona", PERSONAS)
def test_whole_import_changes_data_exactly_for_its_actors(client, world, museum, persona, confirm):
    if persona != "anonymous":
        client.force_login(world[persona])
    query = f"?organisation={museum.slug}"
    uploaded = upload(client, museum, query=query)
    if uploaded.status_code == 302 and uploaded.url == reverse("library:import_preview"):
        confirm({"action": "all"})
    allowed = persona in ("member", "editor", "operator")
    assert titles(museum) == (["Ecomusei e paesaggio", "Musei in rete"] if allowed else [])
    if persona == "outsider":
        assert uploaded.status_code == 403


def test_operator_without_organisation_chooses_one_by_its_address(client, world, museum):
    client.force_login(world["operator"])
    response = client.get(reverse("library:import_upload") + f"?organisation={museum.slug}")
    assert [o.pk for o in response.context["form"].fields["organisation"].queryset] == [museum.pk]


# --- Import: the path -------------------------------------------------------------------------------------------


def test_upload_preview_and_import_without_uploading_twice(client, world, museum, confirm):
    client.force_login(world["member"])
    uploaded = upload(client, museum, RIS_WITH_ERROR)
    assert (uploaded.status_code, uploaded.url) == (302, reverse("library:import_preview"))
    assert len(pending_files()) == 1

    preview = client.get(reverse("library:import_preview"))
    rows = [(row.index, row.status, row.title) for row in preview.context["preview"].rows]
    assert rows == [(1, "new", "Ecomusei e paesaggio"), (2, "new", "Musei in rete"), (3, "error", "Senza lingua")]
    page = preview.content.decode()
    assert "The record does not say its language: choose a default language for the import." in page
    assert 'value="skip_errors"' in page and 'value="all"' not in page
    assert titles(museum) == []

    refused = confirm({"action": "all"})
    assert (refused.status_code, refused.url, titles(museum)) == (302, reverse("library:import_preview"), [])

    done = confirm({"action": "skip_errors"})
    job = CitationImport.objects.get()
    assert (done.status_code, done.url) == (302, reverse("library:import_status", args=[job.pk]))
    assert titles(museum) == ["Ecomusei e paesaggio", "Musei in rete"]
    assert (pending_files(), SESSION_KEY in client.session) == ([], False)
    outcome = client.get(done.url)
    assert [r.title for r in outcome.context["added"]] == ["Ecomusei e paesaggio", "Musei in rete"]
    page = outcome.content.decode()
    assert "2 resources added on behalf of Ecomuseo del Casentino." in page
    assert "1 record with errors was skipped." in page and "Senza lingua" in page


def test_import_all_when_every_record_is_valid(client, world, museum, confirm):
    client.force_login(world["editor"])
    upload(client, museum, visibility="private")
    page = client.get(reverse("library:import_preview")).content.decode()
    assert 'value="all"' in page and 'value="skip_errors"' not in page
    confirm({"action": "all"})
    assert list(Resource.objects.filter(organisation=museum).values_list("visibility", flat=True)) == [
        "private", "private"]


def test_duplicates_are_shown_and_imported_only_if_asked(client, world, museum, confirm):
    factories.ResourceFactory(title="Musei in rete", year=2019, index=False)
    client.force_login(world["member"])
    upload(client, museum)
    preview = client.get(reverse("library:import_preview"))
    assert [row.status for row in preview.context["preview"].rows] == ["new", "duplicate"]
    assert 'name="import_duplicates"' in preview.content.decode()
    confirm({"action": "all", "import_duplicates": "on"})
    assert titles(museum) == ["Ecomusei e paesaggio", "Musei in rete"]


def test_unreadable_file_is_refused_on_the_form(client, world, museum):
    client.force_login(world["member"])
    response = upload(client, museum, b"Just some words.", name="notes.odt")
    assert response.status_code == 200
    assert response.context["form"].errors == {"file": [
        "The format of the file cannot be recognised: upload a RIS (.ris), BibTeX (.bib) or CSL-JSON (.json) file."]}
    assert (pending_files(), SESSION_KEY in client.session) == ([], False)


def test_networks_only_needs_networks(client, world, museum):
    client.force_login(world["member"])
    response = upload(client, museum, visibility="networks")
    assert response.context["form"].errors == {"networks": [
        "Choose the networks whose members may see the imported resources."]}


def test_networks_are_those_of_the_organisation(client, world, museum, confirm):
    ours, theirs = factories.NetworkFactory(), factories.NetworkFactory()
    factories.MembershipFactory(network=ours, organisation=museum)
    client.force_login(world["member"])
    form = client.get(reverse("library:import_upload")).context["form"]
    assert list(form.fields["networks"].queryset) == [ours]
    refused = upload(client, museum, visibility="networks", networks=[theirs.pk])
    assert "networks" in refused.context["form"].errors
    upload(client, museum, visibility="networks", networks=[ours.pk])
    confirm({"action": "all"})
    assert {tuple(r.networks.all()) for r in Resource.objects.filter(organisation=museum)} == {(ours,)}


def test_preview_and_import_without_an_upload_go_back_to_the_upload(client, world, confirm):
    client.force_login(world["member"])
    for response in (client.get(reverse("library:import_preview")),
                     confirm({"action": "all"})):
        assert (response.status_code, response.url) == (302, reverse("library:import_upload"))


def test_a_changed_waiting_file_is_not_imported(client, world, museum, confirm):
    client.force_login(world["member"])
    upload(client, museum)
    storage = _storage()
    name = client.session[SESSION_KEY]["name"]
    storage.delete(name)
    storage.save(name, SimpleUploadedFile("x", RIS_TWO.replace(b"Musei", b"Falsi")))
    response = confirm({"action": "all"})
    assert (response.status_code, response.url, titles(museum)) == (302, reverse("library:import_upload"), [])


def test_someone_who_left_the_organisation_cannot_import_its_waiting_file(client, world, museum, confirm):
    member = world["member"]
    client.force_login(member)
    upload(client, museum)
    museum.people.filter(user=member).delete()
    response = confirm({"action": "all"})
    assert (response.status_code, titles(museum), pending_files()) == (403, [], [])


# --- Exports ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("export", "content_type", "extension", "marker"), [
    ("ris", "application/x-research-info-systems; charset=utf-8", "ris", "TY  - RPRT"),
    ("bibtex", "application/x-bibtex; charset=utf-8", "bib", "@techreport{rossi2024rapporto,"),
    ("csljson", "application/vnd.citationstyles.csl+json; charset=utf-8", "json", '"type": "report"'),
])
def test_export_of_one_resource(client, export, content_type, extension, marker):
    resource = factories.ResourceFactory(title="Rapporto sui musei", index=False)
    response = client.get(reverse("library:export_resource", args=[resource.pk]) + f"?format={export}")
    body = b"".join(response.streaming_content).decode()
    assert (response.status_code, response["Content-Type"]) == (200, content_type)
    assert response["Content-Disposition"] == f'attachment; filename="rapporto-sui-musei.{extension}"'
    assert marker in body


def test_export_of_a_resource_one_may_not_see_is_not_found(client, outsider):
    hidden = factories.ResourceFactory(private=True, index=False)
    client.force_login(outsider)
    assert client.get(reverse("library:export_resource", args=[hidden.pk]) + "?format=ris").status_code == 404


def test_export_in_an_unknown_format_is_a_bad_request(client):
    resource = factories.ResourceFactory(index=False)
    response = client.get(reverse("library:export_resource", args=[resource.pk]) + "?format=docx")
    assert (response.status_code, response.content.decode()) == (
        400, "Choose the format of the export: ris, bibtex, csljson.")


def test_export_of_a_selection_keeps_its_order_and_leaves_out_what_one_may_not_see(client):
    first, second = factories.ResourceFactory(title="Primo", index=False), factories.ResourceFactory(
        title="Secondo", index=False)
    hidden = factories.ResourceFactory(title="Privato", private=True, index=False)
    response = client.post(reverse("library:export_selection"), {
        "format": "csljson", "selected": [second.pk, hidden.pk, first.pk, "x"]})
    items = json.loads(b"".join(response.streaming_content))
    assert [item["title"] for item in items] == ["Secondo", "Primo"]
    assert response["Content-Disposition"] == 'attachment; filename="library-selection.json"'


def test_export_of_an_empty_selection_goes_back_to_the_search(client):
    response = client.post(reverse("library:export_selection"), {"format": "ris"})
    assert (response.status_code, response.url) == (302, reverse("library:search"))


def test_export_of_a_selection_over_the_limit_is_refused(client, settings):
    settings.LIBRARY_EXPORT_MAX_RECORDS = 2
    response = client.post(reverse("library:export_selection"), {"format": "ris", "selected": [1, 2, 3]},
                           follow=True)
    assert [str(m) for m in response.context["messages"]] == ["At most 2 resources can be exported at once."]


def test_export_of_a_selection_reads_in_batches(client, django_assert_max_num_queries):
    resources = [factories.ResourceFactory(index=False, authors=[("Rossi", "Maria"), ("Bianchi", "Luca")])
                 for _ in range(60)]
    with django_assert_max_num_queries(3):  # the resources, their creators, their topics
        response = client.post(reverse("library:export_selection"), {
            "format": "bibtex", "selected": [r.pk for r in resources]})
        body = b"".join(response.streaming_content).decode()
    assert body.count("author = {Rossi, Maria and Bianchi, Luca}") == 60


def test_export_of_a_search_gives_its_results_one_may_see(client, outsider):
    factories.ResourceFactory(title="Ecomusei del paesaggio")
    factories.ResourceFactory(title="Ecomusei nascosti", private=True)
    factories.ResourceFactory(title="Biblioteche")
    client.force_login(outsider)
    response = client.get(reverse("library:export_search"), {"q": "ecomusei", "format": "ris"})
    body = b"".join(response.streaming_content).decode()
    assert [line for line in body.splitlines() if line.startswith("TI  -")] == ["TI  - Ecomusei del paesaggio"]
    assert response["Content-Disposition"] == 'attachment; filename="library-search.ris"'


def test_export_of_a_search_takes_its_filters(client):
    factories.ResourceFactory(title="Musei e scuole", kind=Resource.Kind.REPORT)
    factories.ResourceFactory(title="Musei e video", kind=Resource.Kind.VIDEO)
    response = client.get(reverse("library:export_search"), {"q": "musei", "kind": "video", "format": "csljson"})
    assert [item["title"] for item in json.loads(b"".join(response.streaming_content))] == ["Musei e video"]


def test_export_of_a_search_reads_in_batches(client, django_assert_max_num_queries):
    for n in range(40):
        factories.ResourceFactory(title=f"Ecomusei numero {n}", authors=[("Rossi", "Maria"), ("Bianchi", "Luca")])
    with django_assert_max_num_queries(6):  # the search engine's own (up to 4), then resources and their creators
        response = client.get(reverse("library:export_search"), {"q": "ecomusei", "format": "bibtex"})
        body = b"".join(response.streaming_content).decode()
    assert body.count("@techreport{") == 40


def test_preview_page_queries_do_not_grow_with_the_records(client, world, museum, django_assert_max_num_queries):
    factories.ResourceFactory.create_batch(3, index=False)
    client.force_login(world["member"])
    content = b"".join(b"TY  - JOUR\nTI  - Titolo %d\nAU  - Rossi, M\nLA  - it\nDO  - 10.1000/%d\nER  - \n" % (n, n)
                       for n in range(200))
    upload(client, museum, content)
    with django_assert_max_num_queries(11):  # two of them note in the session how many records are in error
        response = client.get(reverse("library:import_preview"))
    assert len(response.context["preview"].new) == 200


def test_waiting_files_older_than_an_hour_are_removed_by_the_next_upload(client, world, museum):
    import os
    import time

    storage = _storage()
    stale = storage.save("citations/abandoned.bin", SimpleUploadedFile("x", b"old"))
    hours_ago = time.time() - 2 * 3600
    os.utime(storage.path(stale), (hours_ago, hours_ago))
    client.force_login(world["member"])
    upload(client, museum)
    assert pending_files() == [client.session[SESSION_KEY]["name"].split("/")[-1]]


def test_a_new_upload_replaces_the_waiting_file(client, world, museum):
    client.force_login(world["member"])
    upload(client, museum)
    first = client.session[SESSION_KEY]["name"]
    upload(client, museum, RIS_WITH_ERROR)
    assert (len(pending_files()), client.session[SESSION_KEY]["name"] != first) == (1, True)


# --- Import: keywords as topics ---------------------------------------------------------------------------------


def test_the_preview_shows_the_topics_of_each_record_and_the_keywords_left_out(client, world, museum):
    factories.ConceptFactory(scheme=Concept.Scheme.TOPIC, notation="landscape",
                             labels={"en": "Landscape", "it": "Paesaggio"})
    client.force_login(world["member"])
    upload(client, museum, b"TY  - JOUR\nTI  - Ecomusei\nLA  - it\nKW  - Paesaggio\nKW  - Pippi\nER  - \n")

    page = client.get(reverse("library:import_preview")).content.decode()

    assert "Topics: Landscape" in page
    assert "Keywords that name no topic of the thesaurus (not kept): Pippi" in page
