"""Needs URLs: the policy watch (horizon scanning)."""

from django.urls import URLPattern, path

from ..views import policies as views

P = "partnerships/<slug:slug>/policies/"

urlpatterns: list[URLPattern] = [
    path(P, views.policy_list, name="policy_list"),
    path(f"{P}new/", views.policy_new, name="policy_new"),
    path(f"{P}<int:pk>/", views.policy_detail, name="policy_detail"),
    path(f"{P}<int:pk>/edit/", views.policy_edit, name="policy_edit"),
    path(f"{P}<int:pk>/review/", views.policy_review, name="policy_review"),
]
