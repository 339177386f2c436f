"""Pages for an opportunity's criteria, questions and outcomes sought (all while it is a draft).

Managers add, change and remove criteria and questions, and agree or decline outcomes; partners
propose outcomes. Removal asks "Are you sure?" first.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cocommission.accounts.models import User
from cocommission.accounts.requests import user_of
from cocommission.core.forms import ConfirmForm, apply_validation_error, posted

from ..forms.opportunities import CriterionForm, OutcomeForm, QuestionForm
from ..models import Criterion, Opportunity, OpportunityOutcome, Question
from ..permissions import OppAction, access_opportunity, access_opportunity_part, can_manage
from ..routes import State
from ..services import opportunity_parts as services
from .opportunities import render_detail


def _not_a_draft(request: HttpRequest, opportunity: Opportunity, anchor: str) -> HttpResponse | None:
    """Parts are fixed once the opportunity is published: send people back with the reason.
    (The services refuse too; this spares people filling in a form that cannot be saved.)"""
    if opportunity.state == State.DRAFT:
        return None
    messages.info(
        request,
        "You can only change the criteria, questions and outcomes while the opportunity is a draft, "
        "so everyone applies on the same terms.",
    )
    return _back(opportunity, anchor)


def _back(opportunity: Opportunity, anchor: str) -> HttpResponse:
    response = redirect("commissioning:opportunity_detail", slug=opportunity.slug)
    response["Location"] += f"#{anchor}"
    return response


def _managed(request: HttpRequest, slug: str) -> tuple[User, Opportunity]:
    user = user_of(request)
    return user, access_opportunity(user=user, slug=slug, action=OppAction.MANAGE)


def _part_form(
    request: HttpRequest,
    *,
    opportunity: Opportunity,
    anchor: str,
    make_form: Callable[[QueryDict | None], forms.Form],
    save: Callable[[dict[str, Any]], object],
    success: str | Callable[[], str],
    heading: str,
    button: str,
    intro: str = "",
) -> HttpResponse:
    """Add or change a part: run the service with the form's data, or show the form with its
    reasons for refusing. `success` may be a callable when working out the message costs a query."""
    if (refused := _not_a_draft(request, opportunity, anchor)) is not None:
        return refused
    form = make_form(posted(request))
    message = success() if callable(success) else success
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, message)
            return _back(opportunity, anchor)
    return render(
        request,
        "commissioning/opportunity_part_form.html",
        {"o": opportunity, "form": form, "heading": heading, "button": button, "anchor": anchor, "intro": intro},
    )


def _confirm_remove(
    request: HttpRequest, *, opportunity: Opportunity, what: str, remove: Callable[[], None], anchor: str
) -> HttpResponse:
    if (refused := _not_a_draft(request, opportunity, anchor)) is not None:
        return refused
    form = ConfirmForm(posted(request))
    if request.method == "POST":
        try:
            remove()
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"You removed {what}.")
            return _back(opportunity, anchor)
    return render(
        request,
        "commissioning/opportunity_confirm.html",
        {
            "o": opportunity,
            "form": form,
            "title": f"Remove {what}?",
            "explanation": "It is removed from the opportunity. The change history keeps a record of it.",
            "button": "Yes, remove it",
            "anchor": anchor,
        },
    )


# ---- Criteria ---------------------------------------------------------------------------------


def _criterion_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": data["name"],
        "description": data.get("description", ""),
        "weight": data["weight"],
        "key_criterion": data.get("key_criterion", ""),
    }


@login_required
@require_http_methods(["GET", "POST"])
def criterion_add(request: HttpRequest, slug: str) -> HttpResponse:
    user, opportunity = _managed(request, slug)
    return _part_form(
        request,
        opportunity=opportunity,
        anchor="criteria",
        make_form=lambda data: CriterionForm(data, opportunity=opportunity),
        save=lambda d: services.add_criterion(actor=user, opportunity=opportunity, **_criterion_fields(d)),
        success="You added a criterion.",
        heading="Add a criterion",
        button="Add criterion",
    )


@login_required
@require_http_methods(["GET", "POST"])
def criterion_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user, opportunity = _managed(request, slug)
    criterion = access_opportunity_part(opportunity=opportunity, model=Criterion, pk=pk)
    return _part_form(
        request,
        opportunity=opportunity,
        anchor="criteria",
        make_form=lambda data: CriterionForm(data, opportunity=opportunity, instance=criterion),
        save=lambda d: services.change_criterion(actor=user, criterion=criterion, **_criterion_fields(d)),
        success=f"You changed the criterion {criterion.name}.",
        heading="Change a criterion",
        button="Save",
    )


@login_required
@require_http_methods(["GET", "POST"])
def criterion_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user, opportunity = _managed(request, slug)
    criterion = access_opportunity_part(opportunity=opportunity, model=Criterion, pk=pk)
    return _confirm_remove(
        request,
        opportunity=opportunity,
        what=f"the criterion ‘{criterion.name}’",
        remove=lambda: services.remove_criterion(actor=user, criterion=criterion),
        anchor="criteria",
    )


# ---- Questions --------------------------------------------------------------------------------


def _question_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {"text": data["text"], "guidance": data.get("guidance", ""), "word_limit": data["word_limit"]}


@login_required
@require_http_methods(["GET", "POST"])
def question_add(request: HttpRequest, slug: str) -> HttpResponse:
    user, opportunity = _managed(request, slug)
    return _part_form(
        request,
        opportunity=opportunity,
        anchor="questions",
        make_form=QuestionForm,
        save=lambda d: services.add_question(actor=user, opportunity=opportunity, **_question_fields(d)),
        success="You added a question.",
        heading="Add a question",
        button="Add question",
        intro=(
            f"This opportunity asks at most {opportunity.max_questions} questions and "
            f"{opportunity.word_limit:,} words in total."
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user, opportunity = _managed(request, slug)
    question = access_opportunity_part(opportunity=opportunity, model=Question, pk=pk)
    return _part_form(
        request,
        opportunity=opportunity,
        anchor="questions",
        make_form=lambda data: QuestionForm(data, instance=question),
        save=lambda d: services.change_question(actor=user, question=question, **_question_fields(d)),
        success="You changed the question.",
        heading="Change a question",
        button="Save",
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user, opportunity = _managed(request, slug)
    question = access_opportunity_part(opportunity=opportunity, model=Question, pk=pk)
    return _confirm_remove(
        request,
        opportunity=opportunity,
        what=f"the question ‘{question.text}’",
        remove=lambda: services.remove_question(actor=user, question=question),
        anchor="questions",
    )


# ---- Outcomes sought --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def outcome_add(request: HttpRequest, slug: str) -> HttpResponse:
    user = user_of(request)
    opportunity = access_opportunity(user=user, slug=slug, action=OppAction.PROPOSE_OUTCOME)
    return _part_form(
        request,
        opportunity=opportunity,
        anchor="outcomes",
        make_form=OutcomeForm,
        save=lambda d: services.propose_outcome(actor=user, opportunity=opportunity, text=d["text"]),
        success=lambda: (
            "You added an outcome sought. It is agreed."
            if can_manage(user, opportunity)
            else "You proposed an outcome. The people managing the opportunity will agree it or decline it."
        ),
        heading="Propose an outcome sought",
        button="Propose outcome",
        intro="Outcomes you propose are agreed or declined by the people managing the opportunity. "
        "Outcomes added by them are agreed straight away.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def outcome_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user, opportunity = _managed(request, slug)
    outcome = access_opportunity_part(opportunity=opportunity, model=OpportunityOutcome, pk=pk)
    return _part_form(
        request,
        opportunity=opportunity,
        anchor="outcomes",
        make_form=lambda data: OutcomeForm(data, instance=outcome),
        save=lambda d: services.change_outcome(actor=user, outcome=outcome, text=d["text"]),
        success="You changed the outcome.",
        heading="Change an outcome",
        button="Save",
    )


@login_required
@require_http_methods(["GET", "POST"])
def outcome_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user, opportunity = _managed(request, slug)
    outcome = access_opportunity_part(opportunity=opportunity, model=OpportunityOutcome, pk=pk)
    return _confirm_remove(
        request,
        opportunity=opportunity,
        what=f"the outcome ‘{outcome.text}’",
        remove=lambda: services.remove_outcome(actor=user, outcome=outcome),
        anchor="outcomes",
    )


def _decide(request: HttpRequest, slug: str, pk: int, *, agree: bool) -> HttpResponse:
    user, opportunity = _managed(request, slug)
    outcome = access_opportunity_part(opportunity=opportunity, model=OpportunityOutcome, pk=pk)
    try:
        services.decide_outcome(actor=user, outcome=outcome, agree=agree)
    except ValidationError as exc:
        return render_detail(request, opportunity, exc)
    verb = "agreed" if agree else "declined"
    messages.success(request, f"You {verb} the outcome ‘{outcome.text}’.")
    return _back(opportunity, "outcomes")


@login_required
@require_POST
def outcome_agree(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _decide(request, slug, pk, agree=True)


@login_required
@require_POST
def outcome_decline(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _decide(request, slug, pk, agree=False)
