"""The REST API: one NinjaAPI, one router per domain, OpenAPI at /api/openapi.json."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Sinergia API",
    version="1.0.0",
    description="Organisations, networks and memberships of the Sinergia platform.",
    urls_namespace="api",
)
