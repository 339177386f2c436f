"""Decision pages: recording the decision, confirming it, awarding, the decision record, and
the feedback each applicant reads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cocommission.accounts.requests import user_of
from cocommission.core.forms import ConfirmForm, apply_validation_error, posted

from ..forms.decisions import DecisionForm
from ..models import Opportunity
from ..permissions import OppAction, access_application, access_decision_record, access_opportunity, can_manage
from ..routes import State, check_transition, has_standstill
from ..selectors.decision_record import decision_record_data
from ..selectors.decisions import (
    decision_for_application,
    decision_of,
    decision_record_for,
    decision_subjects,
    decision_totals,
    needs_named_provider_application,
    suggested_conflicts_summary,
    suggested_decision_makers,
)
from ..selectors.psr import notice_status
from ..services.decisions import EDITABLE_STATES, add_named_provider_application, save_decision
from ..services.transitions import move_opportunity, readiness_problems


@login_required
@require_http_methods(["GET", "POST"])
def decision(request: HttpRequest, slug: str) -> HttpResponse:
    user = user_of(request)
    opportunity = access_opportunity(user=user, slug=slug, action=OppAction.MANAGE)
    if opportunity.state not in EDITABLE_STATES:
        messages.info(request, "The decision can only be changed while applications are being scored or assessed.")
        return redirect("commissioning:decision_progress", slug=opportunity.slug)
    applications = list(decision_subjects(opportunity))
    record = decision_record_for(opportunity)
    form = DecisionForm(
        request.POST or None,
        opportunity=opportunity,
        applications=applications,
        record=record,
        suggested_makers="" if record else suggested_decision_makers(opportunity),
        suggested_conflicts="" if record else suggested_conflicts_summary(opportunity),
    )
    if request.method == "POST" and form.is_valid():
        try:
            save_decision(
                actor=user,
                opportunity=opportunity,
                decision_makers=form.cleaned_data["decision_makers"],
                summary=form.cleaned_data["summary"],
                conflicts_summary=form.cleaned_data["conflicts_summary"],
                items=form.decision_items(),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "The decision has been saved. Check it, then confirm it to tell the applicants.")
            return redirect("commissioning:decision_progress", slug=opportunity.slug)
    return render(
        request,
        "commissioning/decision_form.html",
        {
            "opportunity": opportunity,
            "form": form,
            "needs_provider": needs_named_provider_application(opportunity),
        },
    )


@login_required
@require_POST
def decision_add_provider(request: HttpRequest, slug: str) -> HttpResponse:
    opportunity = access_opportunity(user=user_of(request), slug=slug, action=OppAction.MANAGE)
    try:
        application = add_named_provider_application(actor=user_of(request), opportunity=opportunity)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"{application.organisation.name} has been added to the decision.")
    return redirect("commissioning:decision", slug=opportunity.slug)


@login_required
def decision_progress(request: HttpRequest, slug: str) -> HttpResponse:
    opportunity = access_opportunity(user=user_of(request), slug=slug, action=OppAction.MANAGE)
    applications = list(decision_subjects(opportunity))
    today = timezone.localdate()
    award_from = State.STANDSTILL if has_standstill(opportunity.route) else State.DECIDED
    return render(
        request,
        "commissioning/decision_progress.html",
        {
            "opportunity": opportunity,
            "rows": [(a, decision_of(a)) for a in applications],
            "totals": decision_totals(applications),
            "record": decision_record_for(opportunity),
            "editable": opportunity.state in EDITABLE_STATES,
            "has_standstill": has_standstill(opportunity.route),
            "status": notice_status(opportunity, today=today),
            "today": today,
            "can_award": opportunity.state == award_from,
        },
    )


def _confirm_move(request: HttpRequest, slug: str, *, target: str, template: str, done: str) -> HttpResponse:
    user = user_of(request)
    opportunity = access_opportunity(user=user, slug=slug, action=OppAction.MANAGE)
    form = ConfirmForm(posted(request))
    if request.method == "POST":
        try:
            move_opportunity(actor=user, opportunity=opportunity, target=target)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("commissioning:decision_progress", slug=opportunity.slug)
    applications = list(decision_subjects(opportunity))
    return render(
        request,
        template,
        {
            "opportunity": opportunity,
            "form": form,
            "rows": [(a, decision_of(a)) for a in applications],
            "totals": decision_totals(applications),
            # Shown before the button so nobody has to press it to find out what is missing.
            "problems": [] if form.is_bound else _problems_for(opportunity, target),
        },
    )


def _problems_for(opportunity: Opportunity, target: str) -> list[str]:
    """What would stop the move, for showing before the button is pressed."""
    try:
        check_transition(opportunity.route, opportunity.state, target)
    except ValidationError as exc:
        return list(exc.messages)
    return readiness_problems(opportunity, target)


@login_required
@require_http_methods(["GET", "POST"])
def decision_confirm(request: HttpRequest, slug: str) -> HttpResponse:
    return _confirm_move(
        request,
        slug,
        target=State.DECIDED,
        template="commissioning/decision_confirm.html",
        done="The decision is confirmed. Every applicant has been told and can read their feedback.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def award_confirm(request: HttpRequest, slug: str) -> HttpResponse:
    return _confirm_move(
        request,
        slug,
        target=State.AWARDED,
        template="commissioning/decision_award_confirm.html",
        done="The award is confirmed. A draft agreement has been created for each award.",
    )


@login_required
def decision_record(request: HttpRequest, slug: str) -> HttpResponse:
    opportunity = access_decision_record(user=user_of(request), slug=slug)
    return render(
        request,
        "commissioning/decision_record.html",
        {
            "opportunity": opportunity,
            "data": decision_record_data(opportunity, viewer=user_of(request)),
            "record": decision_record_for(opportunity),
        },
    )


@login_required
def decision_record_json(request: HttpRequest, slug: str) -> JsonResponse:
    opportunity = access_decision_record(user=user_of(request), slug=slug)
    response = JsonResponse(decision_record_data(opportunity, viewer=user_of(request)), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="decision-record-{opportunity.reference}.json"'
    return response


@login_required
def application_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    application = access_application(user=user, pk=pk, action="view")
    opportunity = application.opportunity
    manager = can_manage(user, opportunity)
    # Managers see the decision as it stands; everyone else once the applicants have been told.
    found = decision_of(application) if manager else decision_for_application(application)
    return render(
        request,
        "commissioning/decision_feedback.html",
        {"application": application, "opportunity": opportunity, "decision": found, "is_manager": manager},
    )
