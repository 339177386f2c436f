"""Deciding URLs: decision moments (a priority, funding or a service design, decided by
consensus, consent or a sector-balanced vote)."""

from django.urls import URLPattern, path

from ..views import moments as views

P = "partnerships/<slug:slug>/decisions/"

urlpatterns: list[URLPattern] = [
    path(P, views.moment_list, name="moment_list"),
    path(f"{P}new/", views.moment_new, name="moment_new"),
    path(f"{P}<int:pk>/", views.moment_detail, name="moment_detail"),
    path(f"{P}<int:pk>/respond/", views.moment_respond, name="moment_respond"),
    path(f"{P}<int:pk>/objections/<int:response_pk>/", views.moment_objection, name="moment_objection"),
    path(f"{P}<int:pk>/close/", views.moment_close, name="moment_close"),
]
