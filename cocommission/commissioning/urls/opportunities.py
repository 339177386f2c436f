"""Opportunity URLs. Slugs never take the fixed first path segments the other parts use
(services.opportunities.RESERVED_SLUGS), and the converter refuses them too, so
/opportunities/applications/ is never taken for an opportunity called "applications"."""

import re

from django.urls import URLPattern, path, register_converter

from ..services.opportunities import RESERVED_SLUGS
from ..views import opportunities as views
from ..views import opportunity_parts as parts


class OpportunitySlugConverter:
    regex = r"(?!(?:{})/)[-a-zA-Z0-9_]+".format("|".join(re.escape(s) for s in sorted(RESERVED_SLUGS)))

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(OpportunitySlugConverter, "opportunity")

urlpatterns: list[URLPattern] = [
    path("", views.opportunity_list, name="opportunity_list"),
    path("new/", views.opportunity_create, name="opportunity_create"),
    path("<opportunity:slug>/", views.opportunity_detail, name="opportunity_detail"),
    path("<opportunity:slug>/edit/", views.opportunity_edit, name="opportunity_edit"),
    path("<opportunity:slug>/move/", views.opportunity_move, name="opportunity_move"),
    path("<opportunity:slug>/cancel/", views.opportunity_cancel, name="opportunity_cancel"),
    path("<opportunity:slug>/criteria/new/", parts.criterion_add, name="criterion_add"),
    path("<opportunity:slug>/criteria/<int:pk>/", parts.criterion_edit, name="criterion_edit"),
    path("<opportunity:slug>/criteria/<int:pk>/remove/", parts.criterion_remove, name="criterion_remove"),
    path("<opportunity:slug>/questions/new/", parts.question_add, name="question_add"),
    path("<opportunity:slug>/questions/<int:pk>/", parts.question_edit, name="question_edit"),
    path("<opportunity:slug>/questions/<int:pk>/remove/", parts.question_remove, name="question_remove"),
    path("<opportunity:slug>/outcomes/new/", parts.outcome_add, name="outcome_add"),
    path("<opportunity:slug>/outcomes/<int:pk>/", parts.outcome_edit, name="outcome_edit"),
    path("<opportunity:slug>/outcomes/<int:pk>/remove/", parts.outcome_remove, name="outcome_remove"),
    path("<opportunity:slug>/outcomes/<int:pk>/agree/", parts.outcome_agree, name="outcome_agree"),
    path("<opportunity:slug>/outcomes/<int:pk>/decline/", parts.outcome_decline, name="outcome_decline"),
]
