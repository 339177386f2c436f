"""Panel pages: set-up and moderation for managers and chairs, scoring for panel members."""

from django.urls import path

from ..views import panel_scoring, panels

urlpatterns = [
    path("<slug:slug>/panel/", panels.panel, name="panel"),
    path("<slug:slug>/panel/members/<int:pk>/remove/", panels.panel_member_remove, name="panel_member_remove"),
    path("<slug:slug>/panel/scoring/", panel_scoring.panel_scoring, name="panel_scoring"),
    path("<slug:slug>/panel/scoring/<int:pk>/", panel_scoring.panel_score, name="panel_score"),
    path("<slug:slug>/panel/scoring/<int:pk>/declare/", panel_scoring.panel_declare, name="panel_declare"),
    path("<slug:slug>/panel/moderation/", panels.panel_moderation, name="panel_moderation"),
    path("<slug:slug>/panel/moderation/<int:pk>/", panels.panel_moderate, name="panel_moderate"),
]
