"""Decision moment pages: the list, opening one, the moment page with the response form,
resolving an objection, and closing it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cocommission.accounts.requests import user_of
from cocommission.core.forms import apply_validation_error, posted
from cocommission.core.pagination import paginate
from cocommission.partnerships.permissions import access_partnership, role_in

from ..forms.moments import CloseForm, MomentForm, ObjectionForm, ResponseForm
from ..models import DecisionMoment, Response
from ..permissions import access_decision_moment, access_response, is_coordinator, voice_of
from ..selectors.moments import STATUS_FILTERS, close_problems_for, moment_page, moments_of
from ..services.moments import close_moment, open_moment, option_lines, resolve_objection, respond


@login_required
def moment_list(request: HttpRequest, slug: str) -> HttpResponse:
    user = user_of(request)
    partnership = access_partnership(user=user, slug=slug, action="view")
    status = request.GET.get("status", "")
    status = status if status in STATUS_FILTERS else ""
    return render(
        request,
        "deciding/moment_list.html",
        {
            "partnership": partnership,
            "page": paginate(request, moments_of(partnership, status)),
            "status": status,
            "coordinator": is_coordinator(user, partnership),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def moment_new(request: HttpRequest, slug: str) -> HttpResponse:
    user = user_of(request)
    partnership = access_partnership(user=user, slug=slug, action="manage")
    form = MomentForm(posted(request), partnership=partnership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            moment = open_moment(
                actor=user,
                partnership=partnership,
                subject=data["subject"],
                title=data["title"],
                question=data["question"],
                method=data["method"],
                proposal=data["proposal"],
                options=option_lines(data["options"]),
                priority=data["priority"],
                require_lived_experience=data["require_lived_experience"],
                closes_on=data["closes_on"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "The decision is open. The partnership's members can now respond.")
            return redirect("deciding:moment_detail", slug=partnership.slug, pk=moment.pk)
    return render(request, "deciding/moment_form.html", {"partnership": partnership, "form": form})


def _detail(request: HttpRequest, moment: DecisionMoment, form: ResponseForm | None = None) -> HttpResponse:
    user = user_of(request)
    partnership = moment.partnership
    coordinator = is_coordinator(user, partnership)
    context = moment_page(moment, user=user, coordinator=coordinator)
    is_person = role_in(user, partnership) is not None
    can_respond = context["is_open"] and is_person and voice_of(user, partnership) is not None
    if form is None and can_respond:
        mine = context["mine"]
        initial = (
            {"position": mine.position, "option": mine.option_id, "reason": mine.reason} if mine is not None else None
        )
        form = ResponseForm(initial=initial, moment=moment, options=context["options"])
    context.update(
        {
            "partnership": partnership,
            "form": form,
            "can_respond": can_respond,
            "is_person": is_person,
            "close_problems": close_problems_for(moment) if coordinator and context["is_open"] else [],
        }
    )
    return render(request, "deciding/moment_detail.html", context)


@login_required
def moment_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user = user_of(request)
    partnership = access_partnership(user=user, slug=slug, action="view")
    return _detail(request, access_decision_moment(user=user, partnership=partnership, pk=pk, action="view"))


@login_required
@require_POST
def moment_respond(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user = user_of(request)
    partnership = access_partnership(user=user, slug=slug, action="view")
    moment = access_decision_moment(user=user, partnership=partnership, pk=pk, action="respond")
    form = ResponseForm(request.POST, moment=moment, options=list(moment.options.all()))
    if form.is_valid():
        try:
            respond(actor=user, moment=moment, **form.response_kwargs())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "Your response has been saved. You can change it until the decision closes.")
            return redirect("deciding:moment_detail", slug=partnership.slug, pk=moment.pk)
    return _detail(request, moment, form)


@login_required
@require_http_methods(["GET", "POST"])
def moment_objection(request: HttpRequest, slug: str, pk: int, response_pk: int) -> HttpResponse:
    user = user_of(request)
    partnership = access_partnership(user=user, slug=slug, action="view")
    moment = access_decision_moment(user=user, partnership=partnership, pk=pk, action="manage")
    response = access_response(moment=moment, pk=response_pk)
    if response.position != Response.Position.OBJECT:
        raise Http404("No such objection.")
    form = ObjectionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            resolve_objection(
                actor=user,
                moment=moment,
                response=response,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "The objection has been updated.")
            return redirect("deciding:moment_detail", slug=partnership.slug, pk=moment.pk)
    return render(
        request,
        "deciding/moment_objection.html",
        {"partnership": partnership, "moment": moment, "response": response, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def moment_close(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user = user_of(request)
    partnership = access_partnership(user=user, slug=slug, action="view")
    moment = access_decision_moment(user=user, partnership=partnership, pk=pk, action="manage")
    if moment.status != DecisionMoment.Status.OPEN:
        messages.info(request, "This decision has already closed.")
        return redirect("deciding:moment_detail", slug=partnership.slug, pk=moment.pk)
    form = CloseForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            close_moment(
                actor=user,
                moment=moment,
                reasons=form.cleaned_data["reasons"],
                review_on=form.cleaned_data["review_on"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "The decision is closed and its outcome recorded.")
            return redirect("deciding:moment_detail", slug=partnership.slug, pk=moment.pk)
    return render(
        request,
        "deciding/moment_close.html",
        {
            "partnership": partnership,
            "moment": moment,
            "form": form,
            "problems": [] if form.is_bound else close_problems_for(moment),
        },
    )
