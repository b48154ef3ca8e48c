"""The benchmark's floor: a view of the same stack that does no work and no query."""

from django.http import HttpRequest, HttpResponse


def bench_empty(request: HttpRequest) -> HttpResponse:
    """A constant 200 response, to measure the cost of the server and middleware alone."""
    return HttpResponse("ok", content_type="text/plain")
