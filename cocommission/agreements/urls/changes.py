"""Agreement URLs for the changes part: variations, the renewal decision, and agreements ending soon."""

from django.urls import URLPattern, path

from ..views import changes

urlpatterns: list[URLPattern] = [
    path("ending/", changes.ending_list, name="ending_list"),
    path("<int:pk>/variations/new/", changes.variation_new, name="variation_new"),
    path("<int:pk>/variations/<int:variation_pk>/", changes.variation_detail, name="variation_detail"),
    path("<int:pk>/variations/<int:variation_pk>/approve/", changes.variation_approve, name="variation_approve"),
    path("<int:pk>/variations/<int:variation_pk>/reject/", changes.variation_reject, name="variation_reject"),
    path("<int:pk>/variations/<int:variation_pk>/withdraw/", changes.variation_withdraw, name="variation_withdraw"),
    path("<int:pk>/renewal/", changes.renewal_decision, name="renewal_decision"),
]
