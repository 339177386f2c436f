from django.urls import path

from . import views

app_name = "partnerships"

# Fixed paths such as "new/" come before "<slug>/"; services never give a partnership a reserved slug.
urlpatterns = [
    path("", views.partnership_list, name="list"),
    path("new/", views.create, name="create"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/audit/", views.audit, name="audit"),
    path("<slug:slug>/leave/", views.leave, name="leave"),
    path("<slug:slug>/organisations/add/", views.organisation_add, name="organisation_add"),
    path("<slug:slug>/organisations/<int:pk>/change/", views.organisation_change, name="organisation_change"),
    path("<slug:slug>/organisations/<int:pk>/remove/", views.organisation_remove, name="organisation_remove"),
    path("<slug:slug>/people/add/", views.person_add, name="person_add"),
    path("<slug:slug>/people/<int:pk>/change/", views.person_change, name="person_change"),
    path("<slug:slug>/people/<int:pk>/remove/", views.person_remove, name="person_remove"),
]
