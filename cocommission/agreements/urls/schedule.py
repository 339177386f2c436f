"""Agreement URLs for the schedule part."""

from django.urls import URLPattern, path  # noqa: F401

urlpatterns: list[URLPattern] = []
