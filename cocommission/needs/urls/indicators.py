"""Needs URLs: population indicators. Fixed paths come before an indicator's slug (and the
import service never gives an indicator the slug "upload" or "imports")."""

from django.urls import URLPattern, path

from ..views import indicators

urlpatterns: list[URLPattern] = [
    path("partnerships/<slug:slug>/indicators/", indicators.indicator_list, name="indicator_list"),
    path("partnerships/<slug:slug>/indicators/upload/", indicators.indicator_upload, name="indicator_upload"),
    path("partnerships/<slug:slug>/indicators/sample.csv", indicators.indicator_sample, name="indicator_sample"),
    path("partnerships/<slug:slug>/indicators/imports/<int:pk>/", indicators.indicator_import, name="indicator_import"),
    path(
        "partnerships/<slug:slug>/indicators/<slug:indicator_slug>/",
        indicators.indicator_detail,
        name="indicator_detail",
    ),
]
