"""Decisions, awards, PSR notices, standstill, the decision record and applicants' feedback."""

from django.urls import URLPattern, path, re_path

from ..views import decisions, notices

# Fixed paths first, so no opportunity slug can shadow them.
urlpatterns: list[URLPattern] = [
    path("applications/<int:pk>/feedback/", decisions.application_feedback, name="application_feedback"),
    path("<slug:slug>/decision/", decisions.decision, name="decision"),
    path("<slug:slug>/decision/provider/", decisions.decision_add_provider, name="decision_add_provider"),
    path("<slug:slug>/decision/progress/", decisions.decision_progress, name="decision_progress"),
    path("<slug:slug>/decision/confirm/", decisions.decision_confirm, name="decision_confirm"),
    path("<slug:slug>/award/", decisions.award_confirm, name="award_confirm"),
    path("<slug:slug>/decision-record/", decisions.decision_record, name="decision_record"),
    path("<slug:slug>/decision-record.json", decisions.decision_record_json, name="decision_record_json"),
    re_path(r"^(?P<slug>[-a-zA-Z0-9_]+)/notices/(?P<kind>intention|award)/$", notices.notice, name="notice"),
    re_path(
        r"^(?P<slug>[-a-zA-Z0-9_]+)/notices/(?P<kind>intention|award)\.json$", notices.notice_json, name="notice_json"
    ),
    re_path(
        r"^(?P<slug>[-a-zA-Z0-9_]+)/notices/(?P<kind>intention|award)/publish/$",
        notices.notice_publish,
        name="notice_publish",
    ),
    path("<slug:slug>/representations/new/", notices.representation_add, name="representation_add"),
    path(
        "<slug:slug>/representations/<int:pk>/respond/",
        notices.representation_respond,
        name="representation_respond",
    ),
]
