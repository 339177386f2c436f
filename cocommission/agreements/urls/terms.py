"""Agreement URLs: the agreement itself, its terms, signatures and summaries."""

from django.urls import URLPattern, path

from ..views import agreements, detail

urlpatterns: list[URLPattern] = [
    path("", agreements.agreement_list, name="list"),
    path("<int:pk>/", detail.agreement_detail, name="detail"),
    path("<int:pk>/print/", detail.agreement_print, name="print"),
]
