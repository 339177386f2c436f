"""Opportunity pages: the public list and page, opening and changing one, moving it along its
route, and cancelling it. Thin: load through permissions, call a selector or a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cocommission.accounts.requests import user_of
from cocommission.core.forms import (
    ConfirmForm,
    apply_validation_error,
    posted,
    refresh_version,
    searched_in_form,
    shown_again,
)
from cocommission.core.pagination import paginate

from ..forms.opportunities import CancelForm, OpportunityFilterForm, OpportunityForm
from ..forms.search import searched_for
from ..models import Opportunity
from ..permissions import OppAction, access_opportunity
from ..routes import State
from ..selectors import opportunities as selectors
from ..selectors.directory import provider_search
from ..selectors.opportunity_links import opportunity_links
from ..services import opportunities as services
from ..services.transitions import move_opportunity

_MOVED = {
    State.OPEN: "{title} is now open for applications.",
    State.CLOSED: "{title} is now closed: no more applications can be submitted.",
    State.ASSESSING: "{title} is now at the assessment of the provider.",
    State.SCORING: "The panel can now score the applications to {title}.",
    State.DECIDED: "{title} is now decided.",
    State.STANDSTILL: "The standstill period for {title} has started.",
    State.AWARDED: "{title} is now awarded.",
}


def opportunity_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    filters = OpportunityFilterForm(request.GET or None, signed_in=user.is_authenticated)
    page = paginate(request, selectors.opportunity_list(user=user, **filters.filters()))
    return render(
        request,
        "commissioning/opportunity_list.html",
        {
            "page": page,
            "filters": filters,
            "filtered": any(request.GET.get(k) for k in ("route", "state", "mine")),
            "can_open": selectors.can_open_any(user=user),
        },
    )


def render_detail(request: HttpRequest, opportunity: Opportunity, error: ValidationError | None = None) -> HttpResponse:
    """The opportunity page; with `error`, a refused action's reasons in the error summary."""
    form = None
    if error is not None:
        form = ConfirmForm({})
        apply_validation_error(form, error)
    user = user_of(request)
    page = selectors.opportunity_page(opportunity=opportunity, user=user)
    links = opportunity_links(opportunity=opportunity, user=user, is_manager=page.is_manager)
    return render(
        request, "commissioning/opportunity_detail.html", {"page": page, "o": opportunity, "form": form, "links": links}
    )


def opportunity_detail(request: HttpRequest, slug: str) -> HttpResponse:
    opportunity = access_opportunity(user=user_of(request), slug=slug, action=OppAction.VIEW)
    return render_detail(request, opportunity)


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    funders = selectors.funder_choices(user=user)
    if not funders.exists():
        raise PermissionDenied("Only commissioners and partnership coordinators can open opportunities.")
    providers = provider_search(searched_for(request), funders=funders)
    form = OpportunityForm(
        posted(request),
        funders=funders,
        partnerships=selectors.partnership_choices(user=user),
        providers=providers.choices,
        search=providers.text,
        found=providers.summary,
    )
    if searched_in_form(request):
        shown_again(form)
    elif request.method == "POST" and form.is_valid():
        try:
            opportunity = services.create_opportunity(
                actor=user,
                funder=form.cleaned_data["funder"],
                partnership=form.cleaned_data["partnership"],
                details=form.details(),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                f"You started {opportunity.reference} as a draft. Add its criteria, outcomes and questions, "
                "then open it.",
            )
            return redirect("commissioning:opportunity_detail", slug=opportunity.slug)
    return render(
        request,
        "commissioning/opportunity_form.html",
        {"form": form, "o": None, "bands": selectors.band_rows()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_edit(request: HttpRequest, slug: str) -> HttpResponse:
    user = user_of(request)
    opportunity = access_opportunity(user=user, slug=slug, action=OppAction.MANAGE)
    if opportunity.state != State.DRAFT:
        messages.info(request, "You can only change an opportunity while it is a draft, so applicants see fixed terms.")
        return redirect("commissioning:opportunity_detail", slug=opportunity.slug)
    providers = provider_search(searched_for(request), opportunity=opportunity)
    form = OpportunityForm(
        posted(request),
        instance=opportunity,
        providers=providers.choices,
        search=providers.text,
        found=providers.summary,
    )
    if searched_in_form(request):
        shown_again(form)
    elif request.method == "POST" and form.is_valid():
        try:
            services.update_opportunity(
                actor=user, opportunity=opportunity, details=form.details(), version=form.submitted_version()
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
            refresh_version(form, opportunity)
        else:
            messages.success(request, f"You changed the details of {opportunity.reference}.")
            return redirect("commissioning:opportunity_detail", slug=opportunity.slug)
    ask = selectors.ask_for(opportunity, list(opportunity.questions.all()))
    return render(
        request,
        "commissioning/opportunity_form.html",
        {"form": form, "o": opportunity, "bands": selectors.band_rows(), "ask": ask},
    )


@login_required
@require_POST
def opportunity_move(request: HttpRequest, slug: str) -> HttpResponse:
    user = user_of(request)
    opportunity = access_opportunity(user=user, slug=slug, action=OppAction.MANAGE)
    target = request.POST.get("target", "")
    try:
        if target == State.CANCELLED:
            raise ValidationError("To cancel the opportunity, use 'Cancel opportunity' and give the reason.")
        if target not in State.values:
            raise ValidationError("Choose the next step")
        moved = move_opportunity(actor=user, opportunity=opportunity, target=target)
    except ValidationError as exc:
        opportunity.refresh_from_db()
        return render_detail(request, opportunity, exc)
    messages.success(request, _MOVED.get(State(moved.state), "{title} moved on.").format(title=moved.title))
    return redirect("commissioning:opportunity_detail", slug=moved.slug)


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_cancel(request: HttpRequest, slug: str) -> HttpResponse:
    user = user_of(request)
    opportunity = access_opportunity(user=user, slug=slug, action=OppAction.MANAGE)
    form = CancelForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_opportunity(actor=user, opportunity=opportunity, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"You cancelled {opportunity.title}.")
            return redirect("commissioning:opportunity_detail", slug=opportunity.slug)
    return render(request, "commissioning/opportunity_cancel.html", {"form": form, "o": opportunity})
