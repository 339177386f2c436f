"""Policy watch pages: the list by stage, adding and changing a policy, its page with the
tactics note and history, and reviewing its stage."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cocommission.accounts.requests import user_of
from cocommission.core.forms import apply_validation_error, posted
from cocommission.core.pagination import paginate
from cocommission.partnerships.permissions import access_partnership

from ..forms.policies import PolicyForm, ReviewForm
from ..models import Stage
from ..permissions import access_policy, ensure_coordinator, is_coordinator
from ..selectors.policies import REVIEW_AFTER_DAYS, TACTICS, policies_of, policy_page, stage_counts
from ..services.policies import create_policy, review_policy, update_policy


@login_required
def policy_list(request: HttpRequest, slug: str) -> HttpResponse:
    user = user_of(request)
    partnership = access_partnership(user=user, slug=slug, action="view")
    stage = request.GET.get("stage", "")
    stage = stage if stage in Stage.values else ""
    today = timezone.localdate()
    return render(
        request,
        "needs/policy_list.html",
        {
            "partnership": partnership,
            "page": paginate(request, policies_of(partnership, stage)),
            "stage": stage,
            "stage_label": Stage(stage).label if stage else "",
            "counts": stage_counts(partnership),
            "coordinator": is_coordinator(user, partnership),
            "overdue_before": today - datetime.timedelta(days=REVIEW_AFTER_DAYS),
            "stage_tactics": TACTICS.get(stage, ""),
            "review_after_days": REVIEW_AFTER_DAYS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def policy_new(request: HttpRequest, slug: str) -> HttpResponse:
    user = user_of(request)
    partnership = access_partnership(user=user, slug=slug, action="view")
    ensure_coordinator(user, partnership)
    form = PolicyForm(posted(request), partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            policy = create_policy(actor=user, partnership=partnership, **form.policy_kwargs())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"“{policy.name}” is on the policy watch.")
            return redirect("needs:policy_detail", slug=partnership.slug, pk=policy.pk)
    return render(request, "needs/policy_form.html", {"partnership": partnership, "form": form, "policy": None})


@login_required
def policy_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user = user_of(request)
    partnership = access_partnership(user=user, slug=slug, action="view")
    policy = access_policy(user=user, partnership=partnership, pk=pk, action="view")
    context = policy_page(policy, today=timezone.localdate())
    context.update({"partnership": partnership, "coordinator": is_coordinator(user, partnership)})
    return render(request, "needs/policy_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def policy_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user = user_of(request)
    partnership = access_partnership(user=user, slug=slug, action="view")
    policy = access_policy(user=user, partnership=partnership, pk=pk, action="manage")
    form = PolicyForm(posted(request), partnership=partnership, policy=policy)
    if request.method == "POST" and form.is_valid():
        try:
            update_policy(actor=user, policy=policy, **form.policy_kwargs())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "The policy's details have been changed.")
            return redirect("needs:policy_detail", slug=partnership.slug, pk=policy.pk)
    return render(request, "needs/policy_form.html", {"partnership": partnership, "form": form, "policy": policy})


@login_required
@require_http_methods(["GET", "POST"])
def policy_review(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user = user_of(request)
    partnership = access_partnership(user=user, slug=slug, action="view")
    policy = access_policy(user=user, partnership=partnership, pk=pk, action="manage")
    form = ReviewForm(posted(request), policy=policy)
    if request.method == "POST" and form.is_valid():
        try:
            review = review_policy(
                actor=user, policy=policy, stage=form.cleaned_data["stage"], note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            moved = review.previous_stage and review.previous_stage != review.stage
            messages.success(
                request,
                f"Review recorded: the policy has moved to “{review.get_stage_display()}”."
                if moved
                else "Review recorded: the policy stays where it was.",
            )
            return redirect("needs:policy_detail", slug=partnership.slug, pk=policy.pk)
    return render(
        request,
        "needs/policy_review.html",
        {"partnership": partnership, "policy": policy, "form": form, "tactics": TACTICS.get(policy.stage, "")},
    )
