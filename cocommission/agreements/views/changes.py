"""Changing and ending agreements: proposing, approving, rejecting and withdrawing variations,
the funder's renewal decision, and the list of agreements that end in the next 12 months."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cocommission.accounts.models import User
from cocommission.accounts.requests import user_of
from cocommission.core.forms import ConfirmForm, apply_validation_error, posted
from cocommission.core.pagination import paginate

from ..forms.changes import KIND_FORMS, RejectVariationForm, RenewalDecisionForm, VariationKindForm
from ..models import Agreement, Variation
from ..permissions import AgreementAction, access_agreement, access_agreement_part
from ..selectors.changes import SIDE_NAMES, describe_variation, ending_agreements_for, ending_rows, vat_effect_text
from ..services import guards
from ..services.renewals import record_renewal_decision
from ..services.variations import (
    approval_side,
    approve_variation,
    check_proposal,
    ensure_can_reject,
    ensure_can_withdraw,
    propose_variation,
    reject_variation,
    withdraw_variation,
)


def _problems(check: Callable[..., Any], **kwargs: Any) -> list[str]:
    """Why the person cannot do something, shown before they press the button."""
    try:
        check(**kwargs)
    except ValidationError as exc:
        return list(exc.messages)
    return []


def _load(request: HttpRequest, pk: int, variation_pk: int) -> tuple[User, Agreement, Variation]:
    user = user_of(request)
    agreement = access_agreement(user=user, pk=pk, action=AgreementAction.TAKE_PART)
    return user, agreement, access_agreement_part(agreement=agreement, model=Variation, pk=variation_pk)


@login_required
@require_http_methods(["GET", "POST"])
def variation_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    agreement = access_agreement(user=user, pk=pk, action=AgreementAction.TAKE_PART)
    problems = _problems(guards.ensure_signed_and_running, agreement=agreement)
    kind = request.GET.get("kind", "")
    form_class = KIND_FORMS.get(kind)
    if problems or form_class is None:
        # First, what to change: radios sent back here by GET, so it works without JavaScript.
        kind_form = VariationKindForm(request.GET if "kind" in request.GET else None)
        context = {"agreement": agreement, "form": kind_form, "problems": problems}
        return render(request, "agreements/variation_kind.html", context)
    form = form_class(posted(request), agreement=agreement)
    if request.method == "POST" and "edit" not in request.POST and form.is_valid():
        details = {"agreement": agreement, "kind": kind, "reason": form.cleaned_data["reason"]}
        try:
            if kind == Variation.Kind.TYPE and request.POST.get("confirmed") != "yes":
                # A change of grant or contract shows its VAT effect in pounds before it is proposed.
                effect = check_proposal(**details, proposal=form.proposal())
                return render(
                    request,
                    "agreements/variation_check.html",
                    {"agreement": agreement, "form": form, "kind": kind, "vat_text": vat_effect_text(effect)},
                )
            variation = propose_variation(actor=user, **details, proposal=form.proposal())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request, f"Variation {variation.number} has been proposed. The other party must approve it."
            )
            return redirect("agreements:variation_detail", pk=agreement.pk, variation_pk=variation.pk)
    context = {"agreement": agreement, "form": form, "kind": kind, "kind_label": Variation.Kind(kind).label}
    return render(request, "agreements/variation_form.html", context)


@login_required
@require_GET
def variation_detail(request: HttpRequest, pk: int, variation_pk: int) -> HttpResponse:
    user, agreement, variation = _load(request, pk, variation_pk)
    state = {"actor": user, "agreement": agreement, "variation": variation}
    context = {
        "agreement": agreement,
        "row": describe_variation(agreement, variation),
        "side_names": SIDE_NAMES,
        "can_approve": not _problems(approval_side, **state),
        "can_reject": not _problems(ensure_can_reject, **state),
        "can_withdraw": not _problems(ensure_can_withdraw, **state),
    }
    return render(request, "agreements/variation_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def variation_approve(request: HttpRequest, pk: int, variation_pk: int) -> HttpResponse:
    user, agreement, variation = _load(request, pk, variation_pk)
    form = ConfirmForm(posted(request))
    if request.method == "POST":
        try:
            variation = approve_variation(actor=user, variation=variation)
        except ValidationError as exc:
            apply_validation_error(form, exc)
            variation.refresh_from_db()
        else:
            if variation.status == Variation.Status.APPLIED:
                done = f"Variation {variation.number} has been approved by both parties and applied."
            else:
                done = f"You have approved variation {variation.number}. It now needs the other party's approval."
            messages.success(request, done)
            return redirect("agreements:variation_detail", pk=agreement.pk, variation_pk=variation.pk)
    problems = _problems(approval_side, actor=user, agreement=agreement, variation=variation)
    context = {
        "agreement": agreement,
        "row": describe_variation(agreement, variation),
        "form": form,
        "problems": [] if form.errors else problems,
        "can_approve": not problems,
    }
    return render(request, "agreements/variation_approve.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def variation_reject(request: HttpRequest, pk: int, variation_pk: int) -> HttpResponse:
    user, agreement, variation = _load(request, pk, variation_pk)
    form = RejectVariationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            reject_variation(actor=user, variation=variation, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
            variation.refresh_from_db()
        else:
            messages.success(request, f"Variation {variation.number} has been rejected. Nothing has changed.")
            return redirect("agreements:variation_detail", pk=agreement.pk, variation_pk=variation.pk)
    problems = _problems(ensure_can_reject, actor=user, agreement=agreement, variation=variation)
    context = {
        "agreement": agreement,
        "row": describe_variation(agreement, variation),
        "form": form,
        "problems": [] if form.errors else problems,
        "can_reject": not problems,
    }
    return render(request, "agreements/variation_reject.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def variation_withdraw(request: HttpRequest, pk: int, variation_pk: int) -> HttpResponse:
    user, agreement, variation = _load(request, pk, variation_pk)
    form = ConfirmForm(posted(request))
    refused = False
    if request.method == "POST":
        try:
            withdraw_variation(actor=user, variation=variation)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"Variation {variation.number} has been withdrawn. Nothing has changed.")
            return redirect("agreements:variation_detail", pk=agreement.pk, variation_pk=variation.pk)
    elif problems := _problems(ensure_can_withdraw, actor=user, agreement=agreement, variation=variation):
        form = ConfirmForm({})
        for problem in problems:
            form.add_error(None, problem)
        refused = True
    return render(
        request,
        "agreements/variation_withdraw.html",
        {"agreement": agreement, "variation": variation, "form": form, "refused": refused},
    )


@login_required
@require_http_methods(["GET", "POST"])
def renewal_decision(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    agreement = access_agreement(user=user, pk=pk, action=AgreementAction.MANAGE)
    form = RenewalDecisionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            decision = record_renewal_decision(
                actor=user, agreement=agreement, choice=form.cleaned_data["choice"], reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"The decision is recorded: {decision.get_choice_display().lower()}.")
            return redirect("agreements:detail", pk=agreement.pk)
    context = {"agreement": agreement, "form": form, "is_active": agreement.status == Agreement.Status.ACTIVE}
    return render(request, "agreements/renewal_form.html", context)


@login_required
@require_GET
def ending_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    page = paginate(request, ending_agreements_for(user_of(request), today=today))
    return render(request, "agreements/ending_list.html", {"page": page, "rows": ending_rows(page.object_list)})
