"""URLs of funding calls."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
