"""Meetings and decision moments URLs. Mounted at the site root: partnership pages live under
partnerships/<slug>/, the "before you meet" page under organisations/<slug>/with/<other>/."""

from . import meetings, moments

app_name = "deciding"

urlpatterns = [*meetings.urlpatterns, *moments.urlpatterns]
