from django.urls import path

from ..views import members as views

urlpatterns = [
    path("invitations/<str:token>/", views.invitation_accept, name="accept_invitation"),
    path("<slug:slug>/members/", views.members, name="members"),
    path("<slug:slug>/members/invite/", views.invite, name="invite"),
    path("<slug:slug>/members/invitations/", views.invitations, name="invitations"),
    path(
        "<slug:slug>/members/invitations/<int:pk>/withdraw/",
        views.withdraw_invitation,
        name="withdraw_invitation",
    ),
    path("<slug:slug>/members/leave/", views.leave, name="leave"),
    path("<slug:slug>/members/<int:pk>/role/", views.member_role, name="member_role"),
    path("<slug:slug>/members/<int:pk>/remove/", views.member_remove, name="member_remove"),
]
