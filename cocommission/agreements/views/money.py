"""Money pages: the grant-or-contract test, the budget builder (lines and the overhead cap), and
an organisation's overhead rates.

Both parties build the budget; the funder answers the grant-or-contract test and sets the cap.
Once anyone has signed, the pages send people back to the agreement with the reason: from then
on only a variation both parties approve can change these.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from cocommission.accounts.requests import user_of
from cocommission.core.forms import ConfirmForm, StaleFormError, apply_validation_error, posted, refresh_version
from cocommission.organisations.models import Organisation

from ..forms.money import BudgetLineForm, OverheadCapForm, OverheadRateForm, VatTestForm
from ..models import Agreement, BudgetLine
from ..permissions import (
    FUNDER,
    PROVIDER,
    AgreementAction,
    access_agreement,
    access_agreement_part,
    access_overheads,
    can_keep_overheads,
    sides_of,
)
from ..selectors.budget import (
    agreement_budget,
    consortium_split,
    financial_year_name,
    overhead_rate_for_year,
    overhead_rates_of,
    rate_percent,
    start_financial_year,
)
from ..services import budget as budget_services
from ..services import vat as vat_services
from ..services.guards import ensure_open_for_editing


def _back(agreement: Agreement, anchor: str) -> HttpResponse:
    return redirect(reverse("agreements:detail", kwargs={"pk": agreement.pk}) + f"#{anchor}")


def _to_budget(agreement: Agreement) -> HttpResponse:
    return redirect("agreements:budget", pk=agreement.pk)


def _closed(request: HttpRequest, agreement: Agreement, anchor: str) -> HttpResponse | None:
    """Send people back with the reason when the agreement can no longer be edited. (The
    services refuse too; this spares people filling in a form that cannot be saved.)"""
    try:
        ensure_open_for_editing(agreement)
    except ValidationError as exc:
        messages.info(request, " ".join(exc.messages))
        return _back(agreement, anchor)
    return None


def _save_form(
    request: HttpRequest,
    *,
    form: forms.Form,
    instance: Any,
    save: Callable[[dict[str, Any]], object],
    success: str,
    done: Callable[[], HttpResponse],
) -> HttpResponse | None:
    """Run the service with the form's data: the redirect when it saved, None to show the form
    again with the service's reasons and what the person typed."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        save(form.cleaned_data)
    except StaleFormError as exc:
        apply_validation_error(form, exc)
        refresh_version(form, instance)
    except ValidationError as exc:
        apply_validation_error(form, exc)
    else:
        messages.success(request, success)
        return done()
    return None


def _version(data: dict[str, Any]) -> str:
    return str(data.get("version") or "")


# ---- Grant or contract ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def vat_test(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    agreement = access_agreement(user=user, pk=pk, action=AgreementAction.MANAGE)
    if (refused := _closed(request, agreement, "variations")) is not None:
        return refused
    form = VatTestForm(posted(request), instance=agreement)

    def save(data: dict[str, Any]) -> Agreement:
        return vat_services.record_vat_test(
            actor=user,
            agreement=agreement,
            consideration=data["consideration"],
            direct_link=data["direct_link"],
            beneficiary=data["beneficiary"],
            purchase_conditions=data["purchase_conditions"],
            vat_rate=data.get("vat_rate"),
            version=_version(data),
        )

    saved = _save_form(
        request,
        form=form,
        instance=agreement,
        save=save,
        success="You recorded the grant-or-contract test. Both parties can see the result and the reasoning.",
        done=lambda: _back(agreement, "grant-or-contract"),
    )
    return saved or render(request, "agreements/vat_form.html", {"agreement": agreement, "form": form})


# ---- Budget -------------------------------------------------------------------------------------------


@login_required
@require_GET
def budget(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    agreement = access_agreement(user=user, pk=pk, action=AgreementAction.VIEW)
    sides = sides_of(user, agreement)
    figures = agreement_budget(agreement)
    start_year = start_financial_year(agreement)
    return render(
        request,
        "agreements/budget.html",
        {
            "agreement": agreement,
            "money_budget": figures,
            "money_split": consortium_split(agreement, figures),
            "money_start_year": financial_year_name(start_year) if start_year else "",
            "is_funder": FUNDER in sides,
            "is_provider": PROVIDER in sides,
            "can_keep_overheads": PROVIDER in sides and can_keep_overheads(user, agreement.provider_id),
            "can_edit": agreement.is_open_for_editing,
        },
    )


def _line_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "year": data["year"],
        "category": data["category"],
        "description": data["description"],
        "amount": data["amount"],
    }


def _render_money_form(
    request: HttpRequest, agreement: Agreement, form: forms.Form, *, heading: str, button: str, intro: str = ""
) -> HttpResponse:
    return render(
        request,
        "agreements/budget_line_form.html",
        {"agreement": agreement, "form": form, "heading": heading, "button": button, "intro": intro},
    )


@login_required
@require_http_methods(["GET", "POST"])
def budget_line_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    agreement = access_agreement(user=user, pk=pk, action=AgreementAction.TAKE_PART)
    if (refused := _closed(request, agreement, "budget")) is not None:
        return refused
    form = BudgetLineForm(posted(request), agreement=agreement)
    saved = _save_form(
        request,
        form=form,
        instance=agreement,
        save=lambda d: budget_services.add_budget_line(actor=user, agreement=agreement, **_line_fields(d)),
        success="You added a cost to the budget.",
        done=lambda: _to_budget(agreement),
    )
    return saved or _render_money_form(request, agreement, form, heading="Add a cost", button="Add cost")


@login_required
@require_http_methods(["GET", "POST"])
def budget_line_edit(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    user = user_of(request)
    agreement = access_agreement(user=user, pk=pk, action=AgreementAction.TAKE_PART)
    line = access_agreement_part(agreement=agreement, model=BudgetLine, pk=line_pk)
    if (refused := _closed(request, agreement, "budget")) is not None:
        return refused
    form = BudgetLineForm(posted(request), agreement=agreement, instance=line)
    saved = _save_form(
        request,
        form=form,
        instance=line,
        save=lambda d: budget_services.change_budget_line(
            actor=user, line=line, version=_version(d), **_line_fields(d)
        ),
        success="You changed a cost in the budget.",
        done=lambda: _to_budget(agreement),
    )
    return saved or _render_money_form(request, agreement, form, heading="Change a cost", button="Save")


@login_required
@require_http_methods(["GET", "POST"])
def budget_line_remove(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    user = user_of(request)
    agreement = access_agreement(user=user, pk=pk, action=AgreementAction.TAKE_PART)
    line = access_agreement_part(agreement=agreement, model=BudgetLine, pk=line_pk)
    if (refused := _closed(request, agreement, "budget")) is not None:
        return refused
    form = ConfirmForm(posted(request))
    saved = _save_form(
        request,
        form=form,
        instance=line,
        save=lambda d: budget_services.remove_budget_line(actor=user, line=line),
        success=f"You removed ‘{line.description}’ from the budget.",
        done=lambda: _to_budget(agreement),
    )
    return saved or render(
        request, "agreements/budget_line_remove.html", {"agreement": agreement, "line": line, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def overhead_cap(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    agreement = access_agreement(user=user, pk=pk, action=AgreementAction.MANAGE)
    if (refused := _closed(request, agreement, "budget")) is not None:
        return refused
    form = OverheadCapForm(posted(request), instance=agreement)
    figures = agreement_budget(agreement)
    saved = _save_form(
        request,
        form=form,
        instance=agreement,
        save=lambda d: budget_services.set_overhead_cap(
            actor=user, agreement=agreement, cap_percent=d.get("cap_percent"), version=_version(d)
        ),
        success="You changed the cap on overheads. The budget shows any gap it leaves.",
        done=lambda: _to_budget(agreement),
    )
    rate = figures.rate_percent
    intro = (
        f"The provider's overhead rate is {rate}% of direct costs. A cap below it leaves a gap the provider "
        "has to find elsewhere; the budget shows it in pounds."
        if rate is not None
        else "The provider has not recorded an overhead rate yet, so the budget has no core-cost share to cap."
    )
    return saved or _render_money_form(
        request, agreement, form, heading="Cap on overheads", button="Save cap", intro=intro
    )


# ---- Overhead rates -----------------------------------------------------------------------------------


@login_required
@require_GET
def overheads(request: HttpRequest, slug: str) -> HttpResponse:
    user = user_of(request)
    organisation = access_overheads(user=user, slug=slug, action="view")
    rates = [
        (rate, financial_year_name(rate.financial_year), rate_percent(rate)) for rate in overhead_rates_of(organisation)
    ]
    try:
        access_overheads(user=user, slug=slug, action="edit")
    except PermissionDenied:
        can_edit = False
    else:
        can_edit = True
    return render(
        request,
        "agreements/overheads.html",
        {"organisation": organisation, "rates": rates, "can_edit": can_edit},
    )


def _to_overheads(organisation: Organisation) -> HttpResponse:
    return redirect("agreements:overheads", slug=organisation.slug)


def _rate_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {"annual_core_costs": data["annual_core_costs"], "total_direct_costs": data["total_direct_costs"]}


@login_required
@require_http_methods(["GET", "POST"])
def overhead_add(request: HttpRequest, slug: str) -> HttpResponse:
    user = user_of(request)
    organisation = access_overheads(user=user, slug=slug, action="edit")
    form = OverheadRateForm(posted(request))
    saved = _save_form(
        request,
        form=form,
        instance=None,
        save=lambda d: budget_services.add_overhead_rate(
            actor=user, organisation=organisation, financial_year=d["financial_year"], **_rate_fields(d)
        ),
        success="You added an overhead rate.",
        done=lambda: _to_overheads(organisation),
    )
    return saved or render(
        request,
        "agreements/overhead_form.html",
        {"organisation": organisation, "form": form, "heading": "Add a year's overhead rate", "button": "Add year"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def overhead_edit(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    user = user_of(request)
    organisation = access_overheads(user=user, slug=slug, action="edit")
    rate = overhead_rate_for_year(organisation, year)
    form = OverheadRateForm(posted(request), instance=rate)
    saved = _save_form(
        request,
        form=form,
        instance=rate,
        save=lambda d: budget_services.change_overhead_rate(
            actor=user, rate=rate, version=_version(d), **_rate_fields(d)
        ),
        success=f"You changed the overhead rate for {financial_year_name(year)}.",
        done=lambda: _to_overheads(organisation),
    )
    return saved or render(
        request,
        "agreements/overhead_form.html",
        {
            "organisation": organisation,
            "form": form,
            "heading": f"Change the overhead rate for {financial_year_name(year)}",
            "button": "Save",
        },
    )
