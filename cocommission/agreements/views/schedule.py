"""Pages for indexation, the payment schedule, marking instalments paid, and the published
index values platform admins keep."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from cocommission.accounts.requests import user_of
from cocommission.core.forms import ConfirmForm, StaleFormError, posted, refresh_version
from cocommission.core.pagination import paginate

from ..forms.schedule import IndexationForm, IndexValueForm
from ..models import IndexValue, Instalment
from ..permissions import (
    FUNDER,
    AgreementAction,
    access_agreement,
    access_agreement_part,
    ensure_platform_admin,
    sides_of,
)
from ..selectors.schedule import index_values_list, schedule_context
from ..services.guards import ensure_open_for_editing
from ..services.index_values import add_index_value, change_index_value
from ..services.indexation import set_indexation
from ..services.schedule import mark_instalment_paid, percent_text


@login_required
@require_http_methods(["GET", "POST"])
def indexation(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    agreement = access_agreement(user=user, pk=pk, action=AgreementAction.MANAGE)
    try:
        ensure_open_for_editing(agreement)
    except ValidationError as exc:
        # After a signature the terms change only by a variation: send the funder back with why.
        for message in exc.messages:
            messages.error(request, message)
        return redirect(reverse("agreements:detail", args=[agreement.pk]) + "#indexation")
    form = IndexationForm(posted(request), agreement=agreement)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            set_indexation(
                actor=user,
                agreement=agreement,
                kind=data["kind"],
                base_month=data["base_month"],
                anniversary=data["anniversary"],
                fixed_rate=data["fixed_rate"],
                floor=data["floor"],
                cap=data["cap"],
                version=data["version"] or None,
            )
        except StaleFormError as exc:
            form.apply_service_error(exc)
            refresh_version(form, agreement)
        except ValidationError as exc:
            form.apply_service_error(exc)
        else:
            messages.success(request, "The indexation terms have been saved and the payment schedule worked out again.")
            return redirect(reverse("agreements:detail", args=[agreement.pk]) + "#indexation")
    return render(request, "agreements/indexation_form.html", {"agreement": agreement, "form": form})


@login_required
@require_GET
def schedule(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    agreement = access_agreement(user=user, pk=pk, action=AgreementAction.VIEW)
    context = {"agreement": agreement, "is_funder": FUNDER in sides_of(user, agreement)}
    return render(request, "agreements/schedule.html", {**context, **schedule_context(agreement)})


@login_required
@require_http_methods(["GET", "POST"])
def instalment_paid(request: HttpRequest, pk: int, instalment_pk: int) -> HttpResponse:
    user = user_of(request)
    agreement = access_agreement(user=user, pk=pk, action=AgreementAction.MANAGE)
    instalment = access_agreement_part(agreement=agreement, model=Instalment, pk=instalment_pk)
    form = ConfirmForm(posted(request))
    if request.method == "POST":
        try:
            mark_instalment_paid(actor=user, instalment=instalment)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "The instalment has been marked as paid.")
            return redirect("agreements:schedule", pk=agreement.pk)
    return render(
        request, "agreements/instalment_paid.html", {"agreement": agreement, "instalment": instalment, "form": form}
    )


@login_required
@require_GET
def index_values(request: HttpRequest) -> HttpResponse:
    ensure_platform_admin(user_of(request))
    page = paginate(request, index_values_list())
    rows = [(value, percent_text(value.rate)) for value in page.object_list]
    return render(request, "agreements/index_values.html", {"page": page, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def index_value_add(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    ensure_platform_admin(user)
    form = IndexValueForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            value = add_index_value(
                actor=user, index=data["index"], month=data["month"], rate=data["rate"], source=data["source"]
            )
        except ValidationError as exc:
            form.apply_service_error(exc)
        else:
            messages.success(request, f"{value} has been added and the schedules that use it worked out again.")
            return redirect("agreements:index_values")
    return render(request, "agreements/index_value_form.html", {"form": form, "index_value": None})


@login_required
@require_http_methods(["GET", "POST"])
def index_value_change(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    ensure_platform_admin(user)
    index_value = get_object_or_404(IndexValue, pk=pk)
    form = IndexValueForm(posted(request), instance=index_value)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            value = change_index_value(
                actor=user,
                index_value=index_value,
                index=data["index"],
                month=data["month"],
                rate=data["rate"],
                source=data["source"],
                version=data["version"] or None,
            )
        except StaleFormError as exc:
            form.apply_service_error(exc)
            refresh_version(form, index_value)
        except ValidationError as exc:
            form.apply_service_error(exc)
        else:
            messages.success(request, f"{value} has been saved and the schedules that use it worked out again.")
            return redirect("agreements:index_values")
    return render(request, "agreements/index_value_form.html", {"form": form, "index_value": index_value})
