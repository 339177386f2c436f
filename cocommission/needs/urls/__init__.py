"""Needs URLs: stories, indicators, priorities and the policy watch. Mounted at the site root:
partnership pages live under partnerships/<slug>/, the public story form under stories/."""

from . import indicators, policies, priorities, stories

app_name = "needs"

urlpatterns = [*stories.urlpatterns, *indicators.urlpatterns, *priorities.urlpatterns, *policies.urlpatterns]
