"""The OpenAPI schema and the interactive documentation."""

from sinergia.directory.models import Organisation
from sinergia.networks.models import Network

PATHS = {
    "/api/organisations": {"get"},
    "/api/organisations.geojson": {"get"},
    "/api/organisations/{slug}": {"get"},
    "/api/networks": {"get"},
    "/api/networks/{slug}": {"get"},
    "/api/networks/{slug}/members": {"get"},
    "/api/networks/{slug}/charter": {"get"},
    "/api/networks/{slug}/applications": {"post"},
    "/api/memberships/{membership_id}": {"get"},
    "/api/memberships/{membership_id}/admit": {"post"},
    "/api/memberships/{membership_id}/decline": {"post"},
    "/api/memberships/{membership_id}/suspend": {"post"},
    "/api/memberships/{membership_id}/reinstate": {"post"},
    "/api/memberships/{membership_id}/leave": {"post"},
    "/api/memberships/{membership_id}/sign": {"post"},
    "/api/calendar/events": {"get", "post"},
    "/api/calendar/events/{event_id}": {"get", "patch"},
    "/api/calendar/events/{event_id}/publish": {"post"},
    "/api/calendar/events/{event_id}/cancel": {"post"},
    "/api/calendar/occurrences": {"get"},
    "/api/calendar/clash-check": {"post"},
    "/api/calendar/free-dates": {"get"},
    "/api/library/resources": {"get", "post"},
    "/api/library/resources/{resource_id}": {"get", "delete"},
    "/api/library/resources/{resource_id}/file": {"post"},
    "/api/desk/questions": {"get", "post"},
    "/api/desk/questions/{question_id}": {"get"},
    "/api/desk/questions/{question_id}/answers": {"post"},
    "/api/desk/questions/{question_id}/accept": {"post"},
    "/api/exchange/listings": {"get", "post"},
    "/api/exchange/listings/{listing_id}": {"get", "put"},
    "/api/exchange/listings/{listing_id}/matches": {"get"},
    "/api/exchange/listings/{listing_id}/fulfil": {"post"},
    "/api/exchange/listings/{listing_id}/threads": {"get", "post"},
    "/api/exchange/threads/{thread_id}/messages": {"get", "post"},
    "/api/exchange/matches": {"get"},
    "/api/funding/calls": {"get", "post"},
    "/api/notifications": {"get"},
    "/api/notifications/read": {"post"},
    "/api/notifications/preferences": {"get", "put"},
    "/api/funding/calls/{call_id}": {"get", "patch"},
    "/api/funding/calls/{call_id}/publish": {"post"},
    "/api/funding/calls/{call_id}/withdraw": {"post"},
    "/api/funding/calls/{call_id}/follow": {"post", "delete"},
}


def test_openapi_schema_lists_every_endpoint(client, db):
    response = client.get("/api/openapi.json")
    schema = response.json()
    assert response["Content-Type"].startswith("application/json")
    assert schema["openapi"].startswith("3.")
    assert {path: set(operations) for path, operations in schema["paths"].items()} == PATHS


def test_openapi_schema_secures_writes_with_a_bearer_token(client, db):
    schema = client.get("/api/openapi.json").json()
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    writes = [op for ops in schema["paths"].values() for method, op in ops.items() if method == "post"]
    assert all(op["security"] == [{"TokenAuth": []}] for op in writes)
    assert "security" not in schema["paths"]["/api/organisations"]["get"]


def test_openapi_schema_documents_pagination(client, db):
    operation = client.get("/api/openapi.json").json()["paths"]["/api/organisations"]["get"]
    parameters = {parameter["name"]: parameter["schema"] for parameter in operation["parameters"]}
    assert parameters["page_size"]["maximum"] == 100
    assert {"q", "kind", "region", "province", "country", "theme", "audience", "category", "network",
            "page"} <= set(parameters)


def test_api_docs_are_served_locally(client, db):
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert b"swagger-ui" in response.content
    assert b"cdn.jsdelivr" not in response.content


def test_openapi_schema_documents_each_kind_with_its_own_values(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]

    def enum(path: str, name: str) -> list[str]:
        parameters = paths[path]["get"]["parameters"]
        return next(parameter["schema"]["enum"] for parameter in parameters if parameter["name"] == name)

    assert enum("/api/organisations", "kind") == Organisation.Kind.values
    assert enum("/api/networks", "kind") == Network.Kind.values
    assert enum("/api/networks", "governance") == Network.Governance.values
