"""Page-number pagination with the total count and links to the next and previous pages."""

from typing import Any
from urllib import parse

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field
from ninja.pagination import PaginationBase


def page_url(request: HttpRequest, page: int) -> str:
    """The absolute URL of the request with its `page` parameter replaced."""
    scheme, netloc, path, query, fragment = parse.urlsplit(request.build_absolute_uri())
    params = [(key, value) for key, value in parse.parse_qsl(query, keep_blank_values=True) if key != "page"]
    return parse.urlunsplit((scheme, netloc, path, parse.urlencode([*params, ("page", page)]), fragment))


class PageInput(PaginationBase.Input):
    """The page asked for."""

    page: int = Field(1, ge=1, le=1_000_000, description="Page number, from 1.")
    page_size: int = Field(settings.PAGE_SIZE, ge=1, le=settings.API_PAGE_SIZE_MAX, description="Items per page.")


class PageOutput(PaginationBase.Output):
    """One page of items, the total count and the URLs of the neighbouring pages."""

    count: int
    next: str | None
    previous: str | None
    items: list[Any]


class NumberedPagination(PaginationBase):
    """`?page=N&page_size=M` (M at most settings.API_PAGE_SIZE_MAX); a page past the end is empty."""

    # Named classes rather than nested ones, so the OpenAPI components are PageInput/PageOutput, not Input.
    Input = PageInput  # type: ignore[assignment]
    Output = PageOutput  # type: ignore[assignment]

    def paginate_queryset(self, queryset: QuerySet, pagination: PageInput, request: HttpRequest, **params: Any) -> Any:
        """One page of the queryset, with the count and the neighbouring pages' URLs."""
        offset = (pagination.page - 1) * pagination.page_size
        count = self._items_count(queryset)
        has_next = offset + pagination.page_size < count
        return {
            "count": count,
            "next": page_url(request, pagination.page + 1) if has_next else None,
            "previous": page_url(request, pagination.page - 1) if pagination.page > 1 else None,
            "items": list(queryset[offset : offset + pagination.page_size]),
        }
