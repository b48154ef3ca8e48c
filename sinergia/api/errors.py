"""How the API answers errors and which language it speaks: JSON `{"detail": ...}`, never a 500 on bad input."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError


class ErrorOut(Schema):
    """An error the client can show as it is, in the request's language."""

    detail: str


def with_request_language(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Speak the language of `?lang=` when it is one of ours (else Accept-Language, set by LocaleMiddleware)."""
    languages = {code for code, _name in settings.LANGUAGES}

    @wraps(run)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        requested = request.GET.get("lang", "")[:8].lower()
        if requested not in languages:
            return run(request, *args, **kwargs)
        with translation.override(requested):
            request.LANGUAGE_CODE = requested
            response = run(request, *args, **kwargs)
        response.headers["Content-Language"] = requested
        return response

    return wrapper


def install_error_handlers(api: NinjaAPI) -> None:
    """Map the domain's exceptions to HTTP statuses with a translated message."""

    def respond(request: HttpRequest, detail: str, status: int) -> HttpResponse:
        return api.create_response(request, {"detail": detail}, status=status)

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return respond(request, " ".join(str(message) for message in exc.messages), 400)

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, str(exc) or _("You are not allowed to do this."), 403)

    @api.exception_handler(ObjectDoesNotExist)
    def missing_object(request: HttpRequest, exc: ObjectDoesNotExist) -> HttpResponse:
        return respond(request, _("Not found."), 404)

    @api.exception_handler(Http404)
    def missing(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, _("Not found."), 404)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # django-ninja words this one in English; it is the only one a client's bad input reaches.
        unparsable = exc.status_code == 400 and str(exc).startswith("Cannot parse request body")
        return respond(request, _("The request body is not valid JSON.") if unparsable else str(exc), exc.status_code)

    @api.exception_handler(AuthenticationError)
    def unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = respond(request, _("A valid API token is required (Authorization: Bearer <token>)."), 401)
        response.headers["WWW-Authenticate"] = "Bearer"
        return response


def service_error(error: ValidationError) -> str:
    """A service's error as one line, each field's messages after its name."""
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    return " ".join(f"{name}: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
                    for name, messages in error.message_dict.items())
