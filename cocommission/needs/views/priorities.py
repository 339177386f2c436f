"""Priority pages: the list, proposing one, its page (the need with its stories and indicators
side by side), changing its words and evidence, agreeing and retiring it. Thin: load through
permissions, call a selector or a service, render."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from cocommission.accounts.models import User
from cocommission.accounts.requests import user_of
from cocommission.core.forms import ConfirmForm, apply_validation_error, posted
from cocommission.core.pagination import paginate
from cocommission.partnerships.permissions import access_partnership

from ..forms.priorities import EvidenceForm, PriorityFilterForm, PriorityForm
from ..models import Priority
from ..permissions import NeedsAction, access_priority, ensure_member
from ..selectors import priorities as selectors
from ..services import priorities as services


@login_required
@require_GET
def priority_list(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = access_partnership(user=user_of(request), slug=slug, action="view")
    filters = PriorityFilterForm(request.GET or None)
    status = filters.status_value()
    page = paginate(request, selectors.priority_list(partnership, status=status))
    return render(
        request,
        "needs/priority_list.html",
        {"partnership": partnership, "page_obj": page, "filters": filters, "status": status},
    )


@login_required
@require_http_methods(["GET", "POST"])
def priority_propose(request: HttpRequest, slug: str) -> HttpResponse:
    user = user_of(request)
    partnership = access_partnership(user=user, slug=slug, action="view")
    ensure_member(user, partnership)
    form = PriorityForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            priority = services.propose_priority(
                actor=user, partnership=partnership, title=form.cleaned_data["title"], need=form.cleaned_data["need"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "Priority proposed. Now choose the stories and indicators that show the need.")
            return redirect("needs:priority_evidence", slug=partnership.slug, pk=priority.pk)
    return render(request, "needs/priority_form.html", {"partnership": partnership, "form": form, "priority": None})


@login_required
@require_GET
def priority_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user = user_of(request)
    partnership = access_partnership(user=user, slug=slug, action="view")
    priority = access_priority(user=user, partnership=partnership, pk=pk)
    return render(
        request,
        "needs/priority_detail.html",
        {"partnership": partnership, "priority": priority, "page": selectors.priority_page(priority, user)},
    )


def _changeable(request: HttpRequest, slug: str, pk: int) -> tuple[User, Priority]:
    user = user_of(request)
    partnership = access_partnership(user=user, slug=slug, action="view")
    priority = access_priority(user=user, partnership=partnership, pk=pk)
    if not services.may_change(user, priority):
        raise PermissionDenied
    return user, priority


@login_required
@require_http_methods(["GET", "POST"])
def priority_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user, priority = _changeable(request, slug, pk)
    form = PriorityForm(posted(request), instance=priority)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_priority(
                actor=user, priority=priority, title=form.cleaned_data["title"], need=form.cleaned_data["need"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "Priority changed.")
            return redirect("needs:priority_detail", slug=slug, pk=priority.pk)
    return render(
        request, "needs/priority_form.html", {"partnership": priority.partnership, "form": form, "priority": priority}
    )


@login_required
@require_http_methods(["GET", "POST"])
def priority_evidence(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user, priority = _changeable(request, slug, pk)
    form = EvidenceForm(
        posted(request),
        priority=priority,
        stories=selectors.published_stories(priority.partnership),
        indicators=selectors.partnership_indicators(priority.partnership),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_evidence(
                actor=user,
                priority=priority,
                stories=form.cleaned_data["stories"],
                indicators=form.cleaned_data["indicators"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "Evidence saved.")
            return redirect("needs:priority_detail", slug=slug, pk=priority.pk)
    return render(
        request,
        "needs/priority_evidence.html",
        {"partnership": priority.partnership, "form": form, "priority": priority},
    )


def _confirm(
    request: HttpRequest,
    slug: str,
    pk: int,
    *,
    move: Callable[..., Priority],
    template: str,
    done: str,
) -> HttpResponse:
    user = user_of(request)
    partnership = access_partnership(user=user, slug=slug, action="view")
    priority = access_priority(user=user, partnership=partnership, pk=pk, action=NeedsAction.MANAGE)
    form = ConfirmForm(posted(request))
    if request.method == "POST":
        try:
            move(actor=user, priority=priority)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, done.format(title=priority.title))
            return redirect("needs:priority_detail", slug=slug, pk=priority.pk)
    return render(request, template, {"partnership": partnership, "priority": priority, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def priority_agree(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _confirm(
        request,
        slug,
        pk,
        move=services.agree_priority,
        template="needs/priority_agree.html",
        done="{title} is now an agreed priority.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def priority_retire(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _confirm(
        request,
        slug,
        pk,
        move=services.retire_priority,
        template="needs/priority_retire.html",
        done="{title} is retired.",
    )
