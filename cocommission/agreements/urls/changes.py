"""Agreement URLs for the changes part."""

from django.urls import URLPattern, path  # noqa: F401

urlpatterns: list[URLPattern] = []
