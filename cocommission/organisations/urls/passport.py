from django.urls import path

from ..views import passport as views

urlpatterns = [
    path("<slug:slug>/passport/", views.passport, name="passport"),
    path("<slug:slug>/passport/upload/", views.passport_upload, name="passport_upload"),
    path("<slug:slug>/passport/<slug:kind>/previous/", views.passport_history, name="passport_history"),
    path("passport-documents/<int:pk>/download/", views.document_download, name="passport_download"),
    path("passport-documents/<int:pk>/remove/", views.document_remove, name="passport_remove"),
]
