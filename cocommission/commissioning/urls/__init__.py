"""Commissioning URLs, one module per part of the app."""

from . import applications, decisions, opportunities, panels

app_name = "commissioning"

# Applications first: their fixed "applications/..." paths must win over an opportunity's "<slug>/".
urlpatterns = [*applications.urlpatterns, *opportunities.urlpatterns, *panels.urlpatterns, *decisions.urlpatterns]
