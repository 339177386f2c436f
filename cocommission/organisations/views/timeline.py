"""The relationship timeline on an organisation's page: every contact between two partners."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cocommission.core.forms import apply_validation_error
from cocommission.core.pagination import paginate

from ..forms.timeline import InteractionForm
from ..models import Organisation
from ..permissions import access_timeline, timeline_acting_organisations
from ..selectors.timeline import shared_partnerships, timeline_for_page, timeline_for_user
from ..services.timeline import record_interaction

PANEL_SIZE = 5


def timeline_panel(request: HttpRequest, organisation: Organisation) -> dict[str, Any]:
    """Context for `organisations/_timeline_panel.html` on the organisation's page: empty when
    the person has nothing to see and nothing to add, so the panel does not show."""
    user = request.user
    if not user.is_authenticated:
        return {}
    entries = timeline_for_page(user=user, organisation=organisation, limit=PANEL_SIZE)
    can_add = bool(timeline_acting_organisations(user, organisation))
    if not entries and not can_add:
        return {}
    return {"timeline": {"entries": entries, "can_add": can_add, "limit": PANEL_SIZE}, "show_timeline_panel": True}


@require_http_methods(["GET", "HEAD"])
def timeline(request: HttpRequest, slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    organisation, acting = access_timeline(user=request.user, slug=slug)
    page = paginate(request, timeline_for_user(user=request.user, organisation=organisation))
    return render(
        request,
        "organisations/timeline.html",
        {"organisation": organisation, "page": page, "can_add": bool(acting)},
    )


@require_http_methods(["GET", "POST"])
def timeline_add(request: HttpRequest, slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        # A signed-out POST is refused outright rather than bounced through sign-in, where
        # the typed entry would be lost anyway.
        if request.method == "POST":
            raise PermissionDenied
        return redirect_to_login(request.get_full_path())
    organisation, acting = access_timeline(user=request.user, slug=slug, action="add")
    partnerships = shared_partnerships(organisation=organisation, others=acting)
    if request.method == "POST":
        form = InteractionForm(request.POST, acting=acting, partnerships=partnerships)
        if form.is_valid():
            try:
                record_interaction(
                    actor=request.user,
                    organisation=form.acting_organisation(acting),
                    other=organisation,
                    kind=form.cleaned_data["kind"],
                    occurred_on=form.cleaned_data["occurred_on"],
                    summary=form.cleaned_data["summary"],
                    partnership=form.cleaned_data.get("partnership"),
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, f"Entry added to the timeline with {organisation.name}")
                return redirect("organisations:timeline", slug=organisation.slug)
    else:
        form = InteractionForm(acting=acting, partnerships=partnerships)
    return render(
        request,
        "organisations/timeline_add.html",
        {"organisation": organisation, "form": form, "acting": acting},
    )
