"""Needs URLs: stories. Members' pages live under the partnership; the public form and the
public stories under stories/<slug>/; a storyteller's own stories under your-stories/."""

from django.urls import URLPattern, path

from ..views import stories as views

urlpatterns: list[URLPattern] = [
    path("partnerships/<slug:slug>/stories/", views.story_list, name="story_list"),
    path("partnerships/<slug:slug>/stories/tell/", views.story_tell, name="story_tell"),
    path("partnerships/<slug:slug>/stories/moderation/", views.story_queue, name="story_queue"),
    path("partnerships/<slug:slug>/stories/<int:pk>/", views.story_detail, name="story_detail"),
    path("partnerships/<slug:slug>/stories/<int:pk>/moderate/", views.story_moderate, name="story_moderate"),
    path("partnerships/<slug:slug>/stories/<int:pk>/decline/", views.story_decline, name="story_decline"),
    path("your-stories/", views.story_mine, name="story_mine"),
    path("your-stories/<int:pk>/withdraw/", views.story_withdraw, name="story_withdraw"),
    path("stories/<slug:slug>/", views.story_public_list, name="story_public_list"),
    path("stories/<slug:slug>/tell/", views.story_public_tell, name="story_public_tell"),
    path("stories/<slug:slug>/<int:pk>/", views.story_public_detail, name="story_public_detail"),
    path("withdraw-story/<str:key>/", views.story_public_withdraw, name="story_public_withdraw"),
]
