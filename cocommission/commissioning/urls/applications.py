"""Application and consortium pages.

Every path but "apply" starts with "applications/", and this module comes first in the
package's urlpatterns, so an opportunity's "<slug>/" pattern never swallows them. (No
opportunity may therefore have the slug "applications".)
"""

from django.urls import path

from ..views import applications as views

urlpatterns = [
    path("applications/", views.application_list, name="application_list"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/submit/", views.application_submit, name="application_submit"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw, name="application_withdraw"),
    path("applications/<int:pk>/reopen/", views.application_reopen, name="application_reopen"),
    path("applications/<int:pk>/consortium/", views.consortium_matrix, name="consortium_matrix"),
    path("applications/<int:pk>/consortium/invite/", views.consortium_invite, name="consortium_invite"),
    path(
        "applications/<int:pk>/consortium/members/<int:member_pk>/",
        views.consortium_respond,
        name="consortium_respond",
    ),
    path("<slug:slug>/apply/", views.apply, name="apply"),
]
