"""The REST API: one NinjaAPI, one router per domain, OpenAPI at /api/openapi.json."""

from ninja import NinjaAPI

from sinergia.api import calendar, desk, directory, exchange, funding, library, memberships, networks, notifications
from sinergia.api.errors import install_error_handlers, with_request_language

api = NinjaAPI(
    title="Sinergia API",
    version="1.0.0",
    description=(
        "Organisations, networks, memberships, the calendar, the library, the exchange, the consultancy desk and "
        "funding calls of the Sinergia platform. Reads are "
        "public; writes need "
        "`Authorization: Bearer <token>`. Messages follow `?lang=` (it, en, fr, es, pt) or Accept-Language."
    ),
    urls_namespace="api",
)
install_error_handlers(api)
api.add_decorator(with_request_language, mode="view")
api.add_router("", directory.router)
api.add_router("", networks.router)
api.add_router("", memberships.router)
api.add_router("", calendar.router)
api.add_router("", library.router)
api.add_router("", exchange.router)
api.add_router("", desk.router)
api.add_router("", funding.router)
api.add_router("", notifications.router)
