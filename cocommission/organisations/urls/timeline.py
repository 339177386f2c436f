from django.urls import path

from ..views import timeline as views

urlpatterns = [
    path("<slug:slug>/timeline/", views.timeline, name="timeline"),
    path("<slug:slug>/timeline/add/", views.timeline_add, name="timeline_add"),
]
