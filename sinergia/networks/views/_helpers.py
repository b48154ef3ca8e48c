"""What the networks' views share: object access, running a service, htmx detection."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from sinergia.networks.models import Network
from sinergia.networks.selectors import network_get

MEMBERS_PER_PAGE = 50


def get_network_or_404(request: HttpRequest, slug: str) -> Network:
    """The network the viewer may see, or 404."""
    try:
        return network_get(slug=slug, viewer=request.user)
    except Network.DoesNotExist as error:
        raise Http404 from error


def is_htmx(request: HttpRequest) -> bool:
    """The request comes from htmx (it swaps a fragment instead of the page)."""
    return request.headers.get("HX-Request") == "true"


def run_service(request: HttpRequest, service: Callable[..., Any], success: str, **kwargs: Any) -> bool:
    """Call a service; show its success, or its ValidationError, as a message. PermissionDenied propagates (403)."""
    try:
        service(**kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, success)
    return True


def add_service_errors(form, error: ValidationError) -> None:
    """Attach a service's ValidationError to the form's fields where they exist, else to the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_errors)


def next_url(request: HttpRequest, default: str) -> str:
    """The posted `next` address when it is on this site, else the default."""
    candidate = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return candidate
    return default
