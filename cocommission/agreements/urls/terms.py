"""Agreement URLs: the agreement itself, its terms, break clauses, signatures, summaries and
the public page."""

from django.urls import URLPattern, path

from ..views import agreements, detail

urlpatterns: list[URLPattern] = [
    path("", agreements.agreement_list, name="list"),
    path("new/", agreements.agreement_create, name="create"),
    path("public/<str:reference>/", agreements.agreement_public, name="public"),
    path("<int:pk>/", detail.agreement_detail, name="detail"),
    path("<int:pk>/print/", detail.agreement_print, name="print"),
    path("<int:pk>/terms/", agreements.agreement_edit, name="edit"),
    path("<int:pk>/break-clauses/add/", agreements.break_add, name="break_add"),
    path("<int:pk>/break-clauses/<int:clause>/change/", agreements.break_edit, name="break_edit"),
    path("<int:pk>/break-clauses/<int:clause>/remove/", agreements.break_remove, name="break_remove"),
    path("<int:pk>/offer/", agreements.agreement_offer, name="offer"),
    path("<int:pk>/sign/", agreements.agreement_sign, name="sign"),
    path("<int:pk>/close/", agreements.agreement_close, name="close"),
]
