"""The professionals directory: companies, freelancers and organisations with offers, as a list and on a map."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from sinergia.exchange import selectors
from sinergia.exchange.forms import ProfessionalFilterForm

PAGE_SIZE = 20


def _filters(request: HttpRequest) -> tuple[ProfessionalFilterForm, selectors.ProfessionalFilters]:
    form = ProfessionalFilterForm(request.GET)
    return form, form.professional_filters()


def professional_list(request: HttpRequest) -> HttpResponse:
    """Professionals with their open offers, filterable by category, area and language, with the map."""
    form, filters = _filters(request)
    page = Paginator(selectors.professional_list(filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    geojson_url = f"{reverse('exchange:professionals_geojson')}?{query.urlencode()}"
    context = {"form": form, "page": page, "querystring": query.urlencode(), "geojson_url": geojson_url}
    return render(request, "exchange/professionals.html", context)


def professional_geojson(request: HttpRequest) -> JsonResponse:
    """The map's data: the located professionals of the filters."""
    _form, filters = _filters(request)
    data = selectors.professional_geojson(queryset=selectors.professional_list(filters=filters),
                                          base_url=request.build_absolute_uri("/").rstrip("/"))
    return JsonResponse(data, content_type="application/geo+json")
