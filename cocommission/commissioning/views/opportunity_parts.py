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

from cocommission.accounts.requests import user_of
from cocommission.core.forms import ConfirmForm, apply_validation_error

from ..forms.opportunities import CriterionForm, OutcomeForm, QuestionForm
from ..models import Criterion, Opportunity, OpportunityOutcome, Question
from ..permissions import OppAction, access_opportunity, access_opportunity_part, can_manage
from ..routes import State
from ..services import opportunity_parts as services
from .opportunities import render_detail


def _posted(request: HttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


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


def _form_page(
    request: HttpRequest,
    *,
    opportunity: Opportunity,
    form: forms.Form,
    heading: str,
    button: str,
    anchor: str,
    intro: str = "",
) -> HttpResponse:
    return render(
        request,
        "commissioning/opportunity_part_form.html",
        {"o": opportunity, "form": form, "heading": heading, "button": button, "anchor": anchor, "intro": intro},
    )


def _save(request: HttpRequest, form: forms.Form, action: Callable[[dict[str, Any]], object], success: str) -> bool:
    """Run the service with the form's data; on refusal put its reasons on the form."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        action(form.cleaned_data)
    except ValidationError as exc:
        apply_validation_error(form, exc)
        return False
    messages.success(request, success)
    return True


def _confirm_remove(
    request: HttpRequest, *, opportunity: Opportunity, what: str, remove: Callable[[], None], anchor: str
) -> HttpResponse:
    form = ConfirmForm(_posted(request))
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
    user = user_of(request)
    opportunity = access_opportunity(user=user, slug=slug, action=OppAction.MANAGE)
    if (refused := _not_a_draft(request, opportunity, "criteria")) is not None:
        return refused
    form = CriterionForm(_posted(request), opportunity=opportunity)
    if _save(
        request,
        form,
        lambda d: services.add_criterion(actor=user, opportunity=opportunity, **_criterion_fields(d)),
        "You added a criterion.",
    ):
        return _back(opportunity, "criteria")
    return _form_page(
        request,
        opportunity=opportunity,
        form=form,
        heading="Add a criterion",
        button="Add criterion",
        anchor="criteria",
    )


@login_required
@require_http_methods(["GET", "POST"])
def criterion_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user = user_of(request)
    opportunity = access_opportunity(user=user, slug=slug, action=OppAction.MANAGE)
    criterion = access_opportunity_part(opportunity=opportunity, model=Criterion, pk=pk)
    if (refused := _not_a_draft(request, opportunity, "criteria")) is not None:
        return refused
    form = CriterionForm(_posted(request), opportunity=opportunity, instance=criterion)
    if _save(
        request,
        form,
        lambda d: services.change_criterion(actor=user, criterion=criterion, **_criterion_fields(d)),
        f"You changed the criterion {criterion.name}.",
    ):
        return _back(opportunity, "criteria")
    return _form_page(
        request, opportunity=opportunity, form=form, heading="Change a criterion", button="Save", anchor="criteria"
    )


@login_required
@require_http_methods(["GET", "POST"])
def criterion_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user = user_of(request)
    opportunity = access_opportunity(user=user, slug=slug, action=OppAction.MANAGE)
    criterion = access_opportunity_part(opportunity=opportunity, model=Criterion, pk=pk)
    if (refused := _not_a_draft(request, opportunity, "criteria")) is not None:
        return refused
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
    user = user_of(request)
    opportunity = access_opportunity(user=user, slug=slug, action=OppAction.MANAGE)
    if (refused := _not_a_draft(request, opportunity, "questions")) is not None:
        return refused
    form = QuestionForm(_posted(request))
    if _save(
        request,
        form,
        lambda d: services.add_question(actor=user, opportunity=opportunity, **_question_fields(d)),
        "You added a question.",
    ):
        return _back(opportunity, "questions")
    intro = (
        f"This opportunity asks at most {opportunity.max_questions} questions and "
        f"{opportunity.word_limit:,} words in total."
    )
    return _form_page(
        request,
        opportunity=opportunity,
        form=form,
        heading="Add a question",
        button="Add question",
        anchor="questions",
        intro=intro,
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user = user_of(request)
    opportunity = access_opportunity(user=user, slug=slug, action=OppAction.MANAGE)
    question = access_opportunity_part(opportunity=opportunity, model=Question, pk=pk)
    if (refused := _not_a_draft(request, opportunity, "questions")) is not None:
        return refused
    form = QuestionForm(_posted(request), instance=question)
    if _save(
        request,
        form,
        lambda d: services.change_question(actor=user, question=question, **_question_fields(d)),
        "You changed the question.",
    ):
        return _back(opportunity, "questions")
    return _form_page(
        request, opportunity=opportunity, form=form, heading="Change a question", button="Save", anchor="questions"
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user = user_of(request)
    opportunity = access_opportunity(user=user, slug=slug, action=OppAction.MANAGE)
    question = access_opportunity_part(opportunity=opportunity, model=Question, pk=pk)
    if (refused := _not_a_draft(request, opportunity, "questions")) is not None:
        return refused
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
    if (refused := _not_a_draft(request, opportunity, "outcomes")) is not None:
        return refused
    form = OutcomeForm(_posted(request))
    success = (
        "You added an outcome sought. It is agreed."
        if can_manage(user, opportunity)
        else "You proposed an outcome. The people managing the opportunity will agree it or decline it."
    )
    if _save(
        request,
        form,
        lambda d: services.propose_outcome(actor=user, opportunity=opportunity, text=d["text"]),
        success,
    ):
        return _back(opportunity, "outcomes")
    return _form_page(
        request,
        opportunity=opportunity,
        form=form,
        heading="Propose an outcome sought",
        button="Propose outcome",
        anchor="outcomes",
        intro="Outcomes you propose are agreed or declined by the people managing the opportunity. "
        "Outcomes added by them are agreed straight away.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def outcome_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user = user_of(request)
    opportunity = access_opportunity(user=user, slug=slug, action=OppAction.MANAGE)
    outcome = access_opportunity_part(opportunity=opportunity, model=OpportunityOutcome, pk=pk)
    if (refused := _not_a_draft(request, opportunity, "outcomes")) is not None:
        return refused
    form = OutcomeForm(_posted(request), instance=outcome)
    if _save(
        request,
        form,
        lambda d: services.change_outcome(actor=user, outcome=outcome, text=d["text"]),
        "You changed the outcome.",
    ):
        return _back(opportunity, "outcomes")
    return _form_page(
        request, opportunity=opportunity, form=form, heading="Change an outcome", button="Save", anchor="outcomes"
    )


@login_required
@require_http_methods(["GET", "POST"])
def outcome_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user = user_of(request)
    opportunity = access_opportunity(user=user, slug=slug, action=OppAction.MANAGE)
    outcome = access_opportunity_part(opportunity=opportunity, model=OpportunityOutcome, pk=pk)
    if (refused := _not_a_draft(request, opportunity, "outcomes")) is not None:
        return refused
    return _confirm_remove(
        request,
        opportunity=opportunity,
        what=f"the outcome ‘{outcome.text}’",
        remove=lambda: services.remove_outcome(actor=user, outcome=outcome),
        anchor="outcomes",
    )


def _decide(request: HttpRequest, slug: str, pk: int, *, agree: bool) -> HttpResponse:
    user = user_of(request)
    opportunity = access_opportunity(user=user, slug=slug, action=OppAction.MANAGE)
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
