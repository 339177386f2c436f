"""Needs URLs: priorities."""

from django.urls import URLPattern, path

from ..views import priorities

urlpatterns: list[URLPattern] = [
    path("partnerships/<slug:slug>/priorities/", priorities.priority_list, name="priority_list"),
    path("partnerships/<slug:slug>/priorities/propose/", priorities.priority_propose, name="priority_propose"),
    path("partnerships/<slug:slug>/priorities/<int:pk>/", priorities.priority_detail, name="priority_detail"),
    path("partnerships/<slug:slug>/priorities/<int:pk>/change/", priorities.priority_edit, name="priority_edit"),
    path(
        "partnerships/<slug:slug>/priorities/<int:pk>/evidence/",
        priorities.priority_evidence,
        name="priority_evidence",
    ),
    path("partnerships/<slug:slug>/priorities/<int:pk>/agree/", priorities.priority_agree, name="priority_agree"),
    path("partnerships/<slug:slug>/priorities/<int:pk>/retire/", priorities.priority_retire, name="priority_retire"),
]
