"""The library API: search with facets and the pages' visibility, one resource, add a resource, attach, delete."""


import pytest

from sinergia.api.library import FacetOut, HitOut, HitResourceOut, SearchOut
from sinergia.library.models import Resource
from tests import factories
from tests.api.conftest import bearer
from tests.factories import trusted_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def museum():
    return factories.OrganisationFactory(name="Museo diffuso", slug="museo-diffuso")


@pytest.fixture
def editor(museum):
    return trusted_person(museum, "editor", "editor@diffuso.example.org")


def payload(**changes) -> dict:
    values = {"organisation": "museo-diffuso", "kind": "report", "title": "Rapporto sul volontariato",
              "language": "it", "creators": [{"family": "Verdi", "given": "Anna"}], "year": 2023}
    return {**values, **changes}


def test_search_lists_only_what_the_requester_may_see(client, museum, editor):
    factories.ResourceFactory(organisation=museum, title="Pubblico")
    factories.ResourceFactory(organisation=museum, title="Privato", private=True)
    anonymous = client.get("/api/library/resources").json()
    member = client.get("/api/library/resources", **bearer(editor)).json()
    assert [item["resource"]["title"] for item in anonymous["items"]] == ["Pubblico"]
    assert sorted(item["resource"]["title"] for item in member["items"]) == ["Privato", "Pubblico"]
    assert anonymous["count"] == 1


def test_search_items_carry_creators_in_order_and_topics_in_bounded_queries(client, museum,
                                                                            django_assert_max_num_queries):
    topic = factories.ConceptFactory(scheme="topic", notation="volunteering", labels={"en": "Volunteering"})
    for n in range(5):
        factories.ResourceFactory(organisation=museum, title=f"Volontari {n}", topics=[topic],
                                  authors=[("Verdi", "Anna"), ("Neri", "Luca")])

    with django_assert_max_num_queries(12):
        items = client.get("/api/library/resources", {"q": "volontari"}).json()["items"]

    assert len(items) == 5
    assert all([creator["family"] for creator in item["resource"]["creators"]] == ["Verdi", "Neri"] for item in items)
    assert all(item["resource"]["topics"] == [{"notation": "volunteering", "label": "Volunteering"}] for item in items)
    assert all(item["resource"]["organisation"]["name"] == "Museo diffuso" for item in items)


def test_search_answers_exactly_what_its_declared_schema_describes(client, museum):
    topic = factories.ConceptFactory(scheme="topic", notation="volunteering", labels={"en": "Volunteering"})
    resource = factories.ResourceFactory(organisation=museum, title="Volontari in rete", topics=[topic],
                                         authors=[("Verdi", "Anna")], year=2021)
    body = client.get("/api/library/resources", {"q": "volunteering"}).json()
    item = body["items"][0]
    # The answer is written by hand (not validated as it is built): its fields are the declared schema's.
    assert set(body) == set(SearchOut.model_fields) and set(item) == set(HitOut.model_fields)
    assert set(item["resource"]) == set(HitResourceOut.model_fields)
    assert set(body["facets"]["topic"][0]) == set(FacetOut.model_fields)
    assert item["resource"] == {
        "id": resource.pk, "kind": resource.kind, "title": "Volontari in rete", "language": resource.language,
        "year": 2021, "creators": [{"role": "author", "family": "Verdi", "given": "Anna", "organisation_name": ""}],
        "topics": [{"notation": "volunteering", "label": "Volunteering"}],
        "organisation": {"slug": museum.slug, "name": museum.name,
                         "url": f"http://testserver/en/organisations/{museum.slug}/"},
        "page": f"http://testserver/en/library/{resource.pk}/"}
    assert item["matched_topics"] == [{"notation": "volunteering", "label": "Volunteering"}]
    assert body["facets"]["topic"] == [{"value": str(topic.pk), "label": "Volunteering", "count": 1,
                                        "selected": False}]


def test_search_reports_facets_and_filters_by_kind(client, museum):
    factories.ResourceFactory(organisation=museum, kind="book", title="Libro")
    factories.ResourceFactory(organisation=museum, kind="report", title="Rapporto")
    body = client.get("/api/library/resources?kind=book").json()
    assert [item["resource"]["title"] for item in body["items"]] == ["Libro"]
    kinds = {facet["value"]: facet["count"] for facet in body["facets"]["kind"]}
    assert kinds["book"] == 1


def test_search_refuses_bad_filters_with_422(client):
    assert client.get("/api/library/resources?kind=poem").status_code == 422
    assert client.get("/api/library/resources?page=0").status_code == 422


def test_detail_hides_invisible_resources_as_404(client, museum, outsider):
    private = factories.ResourceFactory(organisation=museum, private=True)
    assert client.get(f"/api/library/resources/{private.pk}", **bearer(outsider)).status_code == 404


def test_detail_gives_every_field(client, museum):
    resource = factories.ResourceFactory(organisation=museum, doi="10.1234/abc", url="https://example.org/r")
    body = client.get(f"/api/library/resources/{resource.pk}").json()
    assert (body["doi"], body["url"], body["creators"][0]["family"]) == ("10.1234/abc", "https://example.org/r",
                                                                         "Rossi")
    assert body["page"].endswith(f"/library/{resource.pk}/")


@pytest.mark.parametrize(("actor", "status"), [("anonymous", 401), ("outsider", 403), ("editor", 201)])
def test_create_permission_matrix(client, museum, editor, outsider, actor, status):
    user = {"anonymous": None, "outsider": outsider, "editor": editor}[actor]
    headers = bearer(user) if user else {}
    response = client.post("/api/library/resources", payload(), content_type="application/json", **headers)
    assert response.status_code == status
    assert Resource.objects.count() == (1 if status == 201 else 0)


def test_create_stores_creators_topics_and_answers_in_the_request_language(client, museum, editor):
    topic = factories.ConceptFactory(scheme="topic", notation="volunteering")
    response = client.post("/api/library/resources", payload(topics=["volunteering"]),
                           content_type="application/json", **bearer(editor))
    body = response.json()
    assert (body["title"], body["topics"][0]["notation"], body["moderation"]) == (
        "Rapporto sul volontariato", topic.notation, "approved")
    bad = client.post("/api/library/resources?lang=it", payload(language="xx-nope"),
                      content_type="application/json", **bearer(editor))
    assert bad.status_code == 400
    assert "lingua" in bad.json()["detail"] or "language" in bad.json()["detail"]


def test_create_with_an_unknown_topic_is_422(client, museum, editor):
    response = client.post("/api/library/resources", payload(topics=["no-such-topic"]),
                           content_type="application/json", **bearer(editor))
    assert response.status_code == 422
    assert not Resource.objects.exists()


def test_delete_leaves_a_tombstone_and_is_for_editors(client, museum, editor, outsider):
    resource = factories.ResourceFactory(organisation=museum)
    assert client.delete(f"/api/library/resources/{resource.pk}", **bearer(outsider)).status_code == 404
    assert client.delete(f"/api/library/resources/{resource.pk}", **bearer(editor)).status_code == 204
    resource.refresh_from_db()
    assert resource.deleted_at is not None
