"""Organisation URLs, one module per part of the app so each stays small."""

from . import members, organisations, passport, timeline

app_name = "organisations"

# Order matters: fixed paths such as "new/" before the "<slug>/" pattern.
urlpatterns = [*organisations.urlpatterns, *members.urlpatterns, *passport.urlpatterns, *timeline.urlpatterns]
