"""URLs of questions, answers, experts and the knowledge base."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
