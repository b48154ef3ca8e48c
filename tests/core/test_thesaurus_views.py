"""The operators' thesaurus page: browsing, public downloads, upload → preview → confirm, and who may do what."""

import pytest
import rdflib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sinergia.core.models import AuditEntry, Concept
from sinergia.core.thesaurus import thesaurus_load
from sinergia.core.views_thesaurus import SESSION_KEY
from tests import factories

NEW_CONCEPT = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://x.example/seed-banks> a skos:Concept ;
    skos:inScheme <https://x.example/scheme/topic> ;
    skos:broader <https://x.example/topic-biodiversity> ;
    skos:prefLabel "Banche dei semi"@it, "Seed banks"@en, "Banques de semences"@fr, "Bancos de semillas"@es,
        "Bancos de sementes"@pt .
"""


@pytest.fixture
def member(db):
    organisation = factories.OrganisationFactory()
    return factories.person(organisation, "member", "member@example.org")


@pytest.fixture
def loaded(db):
    thesaurus_load()


def upload(name: str = "new.ttl", content: str = NEW_CONCEPT, **data) -> dict:
    return {"file": SimpleUploadedFile(name, content.encode()), **data}


# --- Who may do what ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("url_name", "method"), [
    ("core:thesaurus", "get"), ("core:thesaurus_import", "get"), ("core:thesaurus_import", "post"),
    ("core:thesaurus_import_confirm", "post"),
])
def test_anonymous_visitors_are_sent_to_sign_in(client, db, url_name, method):
    response = getattr(client, method)(reverse(url_name))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(("url_name", "method"), [
    ("core:thesaurus", "get"), ("core:thesaurus_import", "get"), ("core:thesaurus_import", "post"),
    ("core:thesaurus_import_confirm", "post"),
])
@pytest.mark.parametrize("user", ["member", "outsider"])
def test_signed_in_users_who_are_not_operators_are_forbidden(client, request, url_name, method, user):
    client.force_login(request.getfixturevalue(user))
    assert getattr(client, method)(reverse(url_name)).status_code == 403


@pytest.mark.parametrize("url_name", ["core:thesaurus", "core:thesaurus_import"])
def test_operators_open_the_pages(client, operator, url_name):
    client.force_login(operator)
    assert client.get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize(("format", "content_type", "filename"), [
    ("turtle", "text/turtle; charset=utf-8", "sinergia-thesaurus.ttl"),
    ("rdfxml", "application/rdf+xml; charset=utf-8", "sinergia-thesaurus.rdf"),
    ("csv", "text/csv; charset=utf-8", "sinergia-thesaurus.csv"),
])
def test_anyone_downloads_the_exports_without_signing_in(client, loaded, format, content_type, filename):
    response = client.get(reverse("core:thesaurus_download", args=[format]))
    assert (response.status_code, response["Content-Type"]) == (200, content_type)
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert "Raccolta fondi" in response.content.decode()


def test_downloaded_turtle_parses_with_rdflib(client, loaded):
    response = client.get(reverse("core:thesaurus_download", args=["turtle"]))
    graph = rdflib.Graph().parse(data=response.content, format="turtle")
    assert len(set(graph.subjects(rdflib.RDF.type, rdflib.namespace.SKOS.Concept))) == Concept.objects.count()


def test_unknown_download_format_is_not_found(client, db):
    assert client.get(reverse("core:thesaurus_download", args=["json"])).status_code == 404


# --- Browsing -----------------------------------------------------------------------------------------------------


def test_browse_lists_the_topics_with_labels_in_five_languages(client, operator, loaded, django_assert_max_num_queries):
    client.force_login(operator)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("core:thesaurus"))
    page = response.content.decode()
    assert response.context["scheme"] == "topic"
    assert len(response.context["rows"]) == Concept.objects.filter(scheme="topic").count()
    for label in ("Raccolta fondi", "Fundraising", "Collecte de fonds", "Captación de fondos", "Angariação de fundos"):
        assert label in page
    assert "Sponsorship, Donations, Patronage" in page


def test_browse_puts_narrower_concepts_under_their_broader_one(client, operator, loaded):
    client.force_login(operator)
    rows = client.get(reverse("core:thesaurus"), {"scheme": "topic"}).context["rows"]
    order = [row["concept"].notation for row in rows]
    position = order.index("fundraising")
    assert order[position + 1:position + 3] == ["art-bonus", "crowdfunding"]
    assert [row["depth"] for row in rows[position:position + 3]] == [1, 2, 2]


def test_browse_shows_another_scheme_and_refuses_an_unknown_one(client, operator, loaded):
    client.force_login(operator)
    response = client.get(reverse("core:thesaurus"), {"scheme": "audience"})
    assert {row["concept"].scheme for row in response.context["rows"]} == {"audience"}
    assert client.get(reverse("core:thesaurus"), {"scheme": "colour"}).status_code == 404


# --- Upload, preview, confirm ---------------------------------------------------------------------------------


def test_upload_shows_a_preview_and_writes_nothing(client, operator, loaded):
    client.force_login(operator)
    response = client.post(reverse("core:thesaurus_import"), upload())
    result = response.context["result"]
    assert (result.created, result.updated, result.errors) == (1, 0, ())
    assert "An import would create 1 concepts, update 0 and leave 0 unchanged." in response.content.decode()
    assert not Concept.objects.filter(notation="seed-banks").exists()
    assert client.session[SESSION_KEY]["digest"] == response.context["digest"]


def test_confirm_imports_the_previewed_file_without_uploading_it_again(client, operator, loaded):
    client.force_login(operator)
    digest = client.post(reverse("core:thesaurus_import"), upload()).context["digest"]
    response = client.post(reverse("core:thesaurus_import_confirm"), {"digest": digest})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:thesaurus")
    assert Concept.objects.get(notation="seed-banks").broader.notation == "topic-biodiversity"
    assert AuditEntry.objects.get().action == "concept.import_create"
    assert SESSION_KEY not in client.session


def test_confirm_with_another_digest_imports_nothing(client, operator, loaded):
    client.force_login(operator)
    client.post(reverse("core:thesaurus_import"), upload())
    response = client.post(reverse("core:thesaurus_import_confirm"), {"digest": "0" * 64}, follow=True)
    assert response.redirect_chain == [(reverse("core:thesaurus_import"), 302)]
    assert "This preview is no longer available: upload the file again." in response.content.decode()
    assert not Concept.objects.filter(notation="seed-banks").exists()


def test_confirm_shows_problems_that_appeared_since_the_preview(client, operator, loaded):
    client.force_login(operator)
    digest = client.post(reverse("core:thesaurus_import"), upload()).context["digest"]
    Concept.objects.filter(notation="topic-biodiversity").delete()
    response = client.post(reverse("core:thesaurus_import_confirm"), {"digest": digest})
    assert response.status_code == 200
    assert response.context["result"].errors == (
        "seed-banks: the broader concept topic-biodiversity does not exist.",)
    assert not Concept.objects.filter(notation="seed-banks").exists()


def test_upload_with_problems_lists_them_and_offers_no_confirmation(client, operator, db):
    client.force_login(operator)
    response = client.post(reverse("core:thesaurus_import"), upload())
    assert response.context["result"].errors == (
        "seed-banks: the broader concept topic-biodiversity does not exist.",)
    assert b"Confirm the import" not in response.content
    assert SESSION_KEY not in client.session


def test_upload_of_xml_with_a_doctype_is_refused(client, operator, db):
    client.force_login(operator)
    xml = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]><r>&e;</r>'
    response = client.post(reverse("core:thesaurus_import"), upload("x.rdf", xml))
    assert response.context["result"].errors[0].startswith("The XML file declares a document type or entities")
    assert b"root:" not in response.content


def test_upload_needs_a_format_it_can_tell(client, operator, db):
    client.force_login(operator)
    response = client.post(reverse("core:thesaurus_import"), upload("thesaurus.txt"))
    assert response.context["form"].errors == {
        "__all__": ["Cannot tell the format from the file name: choose it in the list."]}
    response = client.post(reverse("core:thesaurus_import"), upload("thesaurus.txt", format="turtle"))
    assert response.context["result"].created == 1


def test_upload_of_an_unchanged_thesaurus_has_nothing_to_confirm(client, operator, loaded):
    client.force_login(operator)
    csv_text = client.get(reverse("core:thesaurus_download", args=["csv"])).content.decode()
    response = client.post(reverse("core:thesaurus_import"), upload("t.csv", csv_text))
    assert response.context["result"].updated == 0
    assert "there is nothing to import" in response.content.decode()
    assert "digest" not in response.context
