from django.urls import path

from ..views import audit as views

urlpatterns = [
    path("<slug:slug>/audit/", views.audit_log, name="audit"),
]
