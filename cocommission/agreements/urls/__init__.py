"""Agreement URLs, one module per part of the app."""

from . import changes, money, schedule, terms

app_name = "agreements"

urlpatterns = [*terms.urlpatterns, *money.urlpatterns, *schedule.urlpatterns, *changes.urlpatterns]
