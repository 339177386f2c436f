"""Notice pages (public once published) and the standstill's representations."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cocommission.accounts.requests import user_of
from cocommission.core.forms import ConfirmForm, apply_validation_error, posted

from ..forms.decisions import RepresentationForm, ResponseForm
from ..models import Opportunity, PsrNotice
from ..permissions import OppAction, access_opportunity, access_representation, can_manage
from ..routes import State
from ..selectors.decisions import long_date
from ..selectors.psr import build_notice_content, can_have_notice, notice_for, notice_preview_available
from ..services.psr import log_representation, publish_award_notice, record_response
from ..services.transitions import move_opportunity

Kind = PsrNotice.Kind


def _notice_or_preview(request: HttpRequest, slug: str, kind: str) -> tuple[Opportunity, dict[str, Any], bool]:
    """The published notice for everyone; a draft preview for managers; otherwise 404."""
    user = user_of(request)
    opportunity = access_opportunity(user=user, slug=slug, action=OppAction.VIEW)
    if not can_have_notice(opportunity, kind):
        raise Http404("This opportunity has no notice of that kind.")
    notice = notice_for(opportunity, kind)
    if notice is not None:
        return opportunity, notice.content, True
    if can_manage(user, opportunity) and notice_preview_available(opportunity, kind):
        return opportunity, build_notice_content(opportunity, kind, published_at=None), False
    raise Http404("This notice has not been published.")


def notice(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    opportunity, content, published = _notice_or_preview(request, slug, kind)
    return render(
        request,
        "commissioning/notice_detail.html",
        {"opportunity": opportunity, "content": content, "published": published, "kind": kind},
    )


def notice_json(request: HttpRequest, slug: str, kind: str) -> JsonResponse:
    _opportunity, content, published = _notice_or_preview(request, slug, kind)
    return JsonResponse({**content, "status": "published" if published else "draft"}, json_dumps_params={"indent": 2})


@login_required
@require_http_methods(["GET", "POST"])
def notice_publish(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    user = user_of(request)
    opportunity = access_opportunity(user=user, slug=slug, action=OppAction.MANAGE)
    if not can_have_notice(opportunity, kind):
        raise Http404("This opportunity has no notice of that kind.")
    form = ConfirmForm(posted(request))
    if request.method == "POST":
        try:
            if kind == Kind.INTENTION:
                # Publishing the intention is the move into standstill (it starts the clock).
                move_opportunity(actor=user, opportunity=opportunity, target=State.STANDSTILL)
            else:
                publish_award_notice(actor=user, opportunity=opportunity)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"The {Kind(kind).label.lower()} has been published.")
            return redirect("commissioning:notice", slug=opportunity.slug, kind=kind)
    return render(
        request,
        "commissioning/notice_publish.html",
        {
            "opportunity": opportunity,
            "form": form,
            "kind": kind,
            "kind_label": Kind(kind).label,
            "preview_available": notice_preview_available(opportunity, kind),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def representation_add(request: HttpRequest, slug: str) -> HttpResponse:
    user = user_of(request)
    opportunity = access_opportunity(user=user, slug=slug, action=OppAction.MANAGE)
    form = RepresentationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            log_representation(actor=user, opportunity=opportunity, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "The representation has been logged. It holds the award until you respond.")
            return redirect("commissioning:decision_progress", slug=opportunity.slug)
    return render(
        request, "commissioning/decision_representation_form.html", {"opportunity": opportunity, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def representation_respond(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user = user_of(request)
    opportunity = access_opportunity(user=user, slug=slug, action=OppAction.MANAGE)
    representation = access_representation(user=user, opportunity=opportunity, pk=pk)
    form = ResponseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            answered = record_response(actor=user, representation=representation, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                f"The response has been recorded. The award is on hold until {long_date(answered.hold_ends_on)}."
                if answered.hold_ends_on
                else "The response has been recorded.",
            )
            return redirect("commissioning:decision_progress", slug=opportunity.slug)
    return render(
        request,
        "commissioning/decision_representation_respond.html",
        {"opportunity": opportunity, "representation": representation, "form": form},
    )
