"""Organisation URLs, one module per part of the app so each stays small."""

from . import audit, members, organisations, passport, timeline

app_name = "organisations"

# Order matters: fixed paths such as "new/" before the "<slug>/" pattern. Slugs that would
# shadow a fixed path ("new", "invitations", "passport-documents") are never given out.
urlpatterns = [
    *organisations.urlpatterns,
    *members.urlpatterns,
    *audit.urlpatterns,
    *passport.urlpatterns,
    *timeline.urlpatterns,
]
