"""Top-level URLs: the site under a language prefix, the API and feeds without one."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.views.i18n import JavaScriptCatalog
from django.views.static import serve

from sinergia.api.api import api
from sinergia.core.views_bench import bench_empty
from sinergia.library.views.oai import oai_endpoint

urlpatterns: list[URLPattern | URLResolver] = [
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("bench/empty/", bench_empty, name="bench_empty"),
    path("oai", oai_endpoint, name="oai"),
]

urlpatterns += i18n_patterns(
    path("", include("sinergia.core.urls")),
    path("accounts/", include("allauth.urls")),
    path("account/", include("sinergia.accounts.urls")),
    path("organisations/", include("sinergia.directory.urls")),
    path("networks/", include("sinergia.networks.urls")),
    path("calendar/", include("sinergia.calendar.urls")),
    path("library/", include("sinergia.library.urls")),
    path("exchange/", include("sinergia.exchange.urls")),
    path("desk/", include("sinergia.desk.urls")),
    path("admin/", admin.site.urls),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    prefix_default_language=True,
)

if settings.SERVE_MEDIA:
    # One machine serves its uploads itself; at scale they live in object storage.
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]
