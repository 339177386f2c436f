"""Deciding URLs: meetings, contributions, hanging questions and "before you meet"."""

from django.urls import URLPattern, path

from ..views import meetings, memory

MEETING = "partnerships/<slug:slug>/meetings/<int:pk>/"

urlpatterns: list[URLPattern] = [
    path("partnerships/<slug:slug>/meetings/", meetings.meeting_list, name="meeting_list"),
    path("partnerships/<slug:slug>/meetings/new/", meetings.meeting_create, name="meeting_create"),
    path(MEETING, meetings.meeting_detail, name="meeting_detail"),
    path(f"{MEETING}edit/", meetings.meeting_edit, name="meeting_edit"),
    path(f"{MEETING}agenda/", meetings.meeting_agenda, name="meeting_agenda"),
    path(f"{MEETING}agenda/<int:item_pk>/move/", meetings.agenda_item_move, name="agenda_item_move"),
    path(f"{MEETING}agenda/<int:item_pk>/remove/", meetings.agenda_item_remove, name="agenda_item_remove"),
    path(f"{MEETING}papers/new/", meetings.meeting_paper_add, name="meeting_paper_add"),
    path(f"{MEETING}papers/<int:paper_pk>/", meetings.meeting_paper_download, name="meeting_paper_download"),
    path(f"{MEETING}papers/<int:paper_pk>/remove/", meetings.meeting_paper_remove, name="meeting_paper_remove"),
    path(f"{MEETING}attendance/", meetings.meeting_attendance, name="meeting_attendance"),
    path(f"{MEETING}minutes/", meetings.meeting_minutes, name="meeting_minutes"),
    path(f"{MEETING}contribute/", memory.contribution_add, name="contribution_add"),
    path(f"{MEETING}contributions/<int:contribution_pk>/", memory.contribution_detail, name="contribution_detail"),
    path("partnerships/<slug:slug>/questions/hanging/", memory.hanging_questions, name="hanging_questions"),
    path("organisations/<slug:slug>/with/", memory.before_you_meet_choose, name="before_you_meet_choose"),
    path("organisations/<slug:slug>/with/<slug:other_slug>/", memory.before_you_meet, name="before_you_meet"),
]
