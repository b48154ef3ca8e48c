"""The exchange's pages: offers, needs, matches, the professionals directory."""

from django.urls import URLPattern

app_name = "exchange"
urlpatterns: list[URLPattern] = []
