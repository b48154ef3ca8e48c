"""The exchange's pages: offers, needs, matches, the professionals directory."""

from django.urls import URLPattern, path

from sinergia.exchange.views import actions, listings, professionals, threads

app_name = "exchange"
urlpatterns: list[URLPattern] = [
    path("", listings.listing_list, name="list"),
    path("new/", listings.listing_create, name="create"),
    path("messages/", threads.inbox, name="inbox"),
    path("messages/<int:pk>/", threads.thread_detail, name="thread"),
    path("professionals/", professionals.professional_list, name="professionals"),
    path("professionals.geojson", professionals.professional_geojson, name="professionals_geojson"),
    path("organisation/<slug:slug>/", listings.organisation_listings, name="organisation_listings"),
    path("<int:pk>/", listings.listing_detail, name="detail"),
    path("<int:pk>/edit/", listings.listing_edit, name="edit"),
    path("<int:pk>/renew/", actions.listing_renew, name="renew"),
    path("<int:pk>/close/", actions.listing_close, name="close"),
    path("<int:pk>/fulfil/", actions.listing_fulfil, name="fulfil"),
    path("<int:pk>/contact/", threads.listing_contact, name="contact"),
]
