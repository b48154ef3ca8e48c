"""URLs of the library, under /<language>/library/ (OAI-PMH is at /oai, outside the language prefix)."""

from django.urls import URLPattern, URLResolver, path

from sinergia.library.views import resources
from sinergia.library.views.citations import citation_urlpatterns

app_name = "library"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", resources.library_search, name="search"),
    path("feed.rss", resources.LatestResourcesFeed(), name="feed"),
    path("new/", resources.resource_create, name="resource_create"),
    path("moderation/", resources.moderation, name="moderation"),
    path("moderation/<int:pk>/", resources.moderate, name="moderate"),
    path("organisation/<slug:slug>/", resources.organisation_resources, name="organisation_resources"),
    path("<int:pk>/", resources.resource_detail, name="resource_detail"),
    path("<int:pk>/file/", resources.resource_file, name="resource_file"),
    path("<int:pk>/edit/", resources.resource_edit, name="resource_edit"),
    path("<int:pk>/delete/", resources.resource_delete, name="resource_delete"),
    *citation_urlpatterns,
]
