"""Agreement URLs for indexation, the payment schedule and the published index values."""

from django.urls import URLPattern, path

from ..views import schedule

urlpatterns: list[URLPattern] = [
    path("<int:pk>/indexation/", schedule.indexation, name="indexation"),
    path("<int:pk>/schedule/", schedule.schedule, name="schedule"),
    path("<int:pk>/instalments/<int:instalment_pk>/paid/", schedule.instalment_paid, name="instalment_paid"),
    path("index-values/", schedule.index_values, name="index_values"),
    path("index-values/add/", schedule.index_value_add, name="index_value_add"),
    path("index-values/<int:pk>/change/", schedule.index_value_change, name="index_value_change"),
]
