"""Panel set-up and moderation pages. Thin: load through permissions, call a selector or a
service, render. Scoring pages for panel members are in views/panel_scoring.py."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cocommission.accounts.requests import user_of
from cocommission.core.forms import ConfirmForm, apply_validation_error, posted
from cocommission.core.pagination import paginate

from ..forms.panels import ModerationForm, PanelMemberAddForm
from ..permissions import (
    OppAction,
    PanelRefusal,
    access_moderation,
    access_opportunity,
    access_panel_application,
    access_panel_member,
    hidden_scores_reason,
)
from ..selectors import panels as selectors
from ..services import panel_scoring as scoring_services
from ..services import panels as services

View = Callable[..., HttpResponse]


def explain_refusal(view: View) -> View:
    """Show a panel refusal's reason on the 403 page, so people know what to do next."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PanelRefusal as refusal:
            return render(request, "commissioning/panel_refused.html", {"reason": str(refusal)}, status=403)

    return wrapper


@login_required
@require_http_methods(["GET", "POST"])
def panel(request: HttpRequest, slug: str) -> HttpResponse:
    user = user_of(request)
    opportunity = access_opportunity(user=user, slug=slug, action=OppAction.MANAGE)
    form = PanelMemberAddForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            member = services.add_panel_member(
                actor=user,
                opportunity=opportunity,
                email=form.cleaned_data["email"],
                sector=form.cleaned_data["sector"],
                organisation=form.cleaned_data["organisation"],
                is_chair=form.cleaned_data["is_chair"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"{member.user} is on the panel ({member.get_sector_display()}).")
            return redirect("commissioning:panel", slug=opportunity.slug)
    return render(
        request,
        "commissioning/panel_detail.html",
        {
            "opportunity": opportunity,
            "panel": selectors.panel_of(opportunity),
            "page": paginate(request, selectors.panel_members(opportunity)),
            "balance": selectors.panel_balance(opportunity),
            "can_change": opportunity.state not in services.FINISHED_STATES,
            "scoring_open": opportunity.state in services.SCORING_STATES,
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def panel_member_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user = user_of(request)
    opportunity, member = access_panel_member(user=user, slug=slug, pk=pk)
    form = ConfirmForm(posted(request))
    if request.method == "POST":
        try:
            services.remove_panel_member(actor=user, member=member)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"You removed {member.user} from the panel.")
            return redirect("commissioning:panel", slug=opportunity.slug)
    return render(
        request, "commissioning/panel_member_remove.html", {"opportunity": opportunity, "member": member, "form": form}
    )


@login_required
@explain_refusal
def panel_moderation(request: HttpRequest, slug: str) -> HttpResponse:
    user = user_of(request)
    opportunity = access_moderation(user=user, slug=slug)
    page = paginate(request, selectors.ranking(opportunity))
    rows = selectors.ranking_rows(opportunity, list(page.object_list), start=page.start_index(), viewer=user)
    return render(
        request,
        "commissioning/panel_moderation.html",
        {"opportunity": opportunity, "page": page, "rows": rows, "panel": selectors.panel_of(opportunity)},
    )


@login_required
@require_http_methods(["GET", "POST"])
@explain_refusal
def panel_moderate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user = user_of(request)
    opportunity = access_moderation(user=user, slug=slug)
    application = access_panel_application(opportunity=opportunity, pk=pk)
    hidden = hidden_scores_reason(user, application)
    if hidden:
        raise PanelRefusal(hidden)
    criteria = selectors.criteria_of(opportunity)
    comparison = selectors.score_comparison(application, criteria)
    panel = selectors.panel_of(opportunity)
    form = ModerationForm(
        posted(request),
        criteria=criteria,
        moderated=[row.moderated for row in comparison.rows if row.moderated],
        notes=panel.moderation_notes if panel else "",
    )
    if request.method == "POST" and form.is_valid():
        try:
            scoring_services.moderate_application(
                actor=user, application=application, entries=form.entries(), notes=form.cleaned_data["notes"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"You recorded the agreed scores for {selectors.applicant_name(application)}.")
            return redirect("commissioning:panel_moderation", slug=opportunity.slug)
    return render(
        request,
        "commissioning/panel_moderate.html",
        {
            "opportunity": opportunity,
            "application": application,
            "applicant": selectors.applicant_name(application),
            "comparison": comparison,
            "total": selectors.moderated_total(application, criteria),
            "can_record": opportunity.state in services.SCORING_STATES,
            "form": form,
        },
    )
