"""Agreement URLs for the money part: grant or contract, the budget builder and overhead rates."""

from django.urls import URLPattern, path

from ..views import money

urlpatterns: list[URLPattern] = [
    path("<int:pk>/grant-or-contract/", money.vat_test, name="vat"),
    path("<int:pk>/budget/", money.budget, name="budget"),
    path("<int:pk>/budget/add/", money.budget_line_add, name="budget_line_add"),
    path("<int:pk>/budget/<int:line_pk>/change/", money.budget_line_edit, name="budget_line_edit"),
    path("<int:pk>/budget/<int:line_pk>/remove/", money.budget_line_remove, name="budget_line_remove"),
    path("<int:pk>/budget/overhead-cap/", money.overhead_cap, name="overhead_cap"),
    path("overheads/<slug:slug>/", money.overheads, name="overheads"),
    path("overheads/<slug:slug>/add/", money.overhead_add, name="overhead_add"),
    path("overheads/<slug:slug>/<int:year>/change/", money.overhead_edit, name="overhead_edit"),
]
