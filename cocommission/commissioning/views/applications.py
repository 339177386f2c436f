"""Application pages: apply, the draft with its word counts and passport, submit, withdraw,
reopen, the list of a person's applications, and the consortium with its accountability matrix."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cocommission.accounts.requests import user_of
from cocommission.core.forms import ConfirmForm, StaleFormError, apply_validation_error, posted, refresh_version
from cocommission.core.pagination import paginate
from cocommission.core.templatetags.money import format_gbp

from ..forms.applications import ApplyForm, DraftForm, InviteMemberForm, MatrixForm, RespondForm
from ..forms.search import MemberSearchForm, search_form, searched_for
from ..models import Application
from ..permissions import (
    OppAction,
    access_application,
    access_consortium_member,
    access_opportunity,
    access_own_application,
)
from ..routes import CONSORTIUM_ONLY, Route
from ..selectors.applications import (
    admin_organisation_ids,
    application_page,
    applications_for,
    organisations_for,
)
from ..selectors.directory import invite_search
from ..services import application_rules as rules
from ..services import applications as services
from ..services import consortia


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, slug: str) -> HttpResponse:
    user = user_of(request)
    opportunity = access_opportunity(user=user, slug=slug, action=OppAction.APPLY)
    organisations = organisations_for(user)
    form = ApplyForm(posted(request), organisations=organisations, consortium_only=opportunity.route in CONSORTIUM_ONLY)
    existing = None
    if request.method == "POST" and form.is_valid():
        try:
            application = services.start_application(
                actor=user,
                opportunity=opportunity,
                organisation=form.cleaned_data["organisation"],
                as_consortium=form.wants_consortium(),
                consortium_name=form.cleaned_data.get("consortium_name") or "",
            )
        except services.AlreadyApplied as exc:
            existing = exc.application
            apply_validation_error(form, exc)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "Your draft application has been started. It is saved as you go.")
            return redirect("commissioning:application_detail", pk=application.pk)
    return render(
        request,
        "commissioning/application_apply.html",
        {
            "opportunity": opportunity,
            "form": form,
            "has_organisations": organisations.exists(),
            "closed": rules.closed_message(opportunity, now=timezone.now(), doing="started"),
            "existing": existing,
        },
    )


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    return render(
        request,
        "commissioning/application_list.html",
        {"page": paginate(request, applications_for(user)), "admin_of": admin_organisation_ids(user)},
    )


def _draft_form(request: HttpRequest, application: Application) -> DraftForm:
    questions = list(application.opportunity.questions.all())
    saved = services.answers_by_question(application)
    initial: dict[str, object] = {rules.answer_field(q): saved[q.pk] for q in questions if q.pk in saved}
    initial |= {"amount_requested": application.amount_requested, "summary": application.summary}
    return DraftForm(
        posted(request),
        application=application,
        questions=questions,
        max_award_text=format_gbp(application.opportunity.max_award),
        initial=initial,
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    if request.method == "POST":
        application = access_own_application(user=user, pk=pk)
    else:
        application = access_application(user=user, pk=pk, action="view")
    form = _draft_form(request, application)
    typed = None
    if request.method == "POST":
        typed = form.typed_answers()
        if form.is_valid():
            try:
                services.save_draft(
                    actor=user,
                    application=application,
                    amount_requested=form.cleaned_data["amount_requested"],
                    summary=form.cleaned_data["summary"],
                    answers=form.answers(),
                    version=form.submitted_version(),
                )
            except StaleFormError as exc:
                apply_validation_error(form, exc)
                refresh_version(form, application)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "Your draft has been saved.")
                return redirect("commissioning:application_detail", pk=application.pk)
    page = application_page(application, user=user, answers=typed)
    return render(
        request,
        "commissioning/application_detail.html",
        # page.decision is decision_for_application(application): None until the applicants are told.
        {"page": page, "form": form, "app": application, "decision": page.decision},
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: check your application (and what still stops it). POST: submit it, once."""
    user = user_of(request)
    application = access_own_application(user=user, pk=pk)
    form = ConfirmForm(posted(request))
    if request.method == "POST":
        try:
            services.submit_application(actor=user, application=application)
        except services.AlreadySubmitted:
            messages.info(request, "This application had already been submitted. It has been submitted once.")
            return redirect("commissioning:application_detail", pk=application.pk)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "Your application has been submitted.")
            return redirect("commissioning:application_detail", pk=application.pk)
    if application.status == Application.Status.SUBMITTED:
        return redirect("commissioning:application_detail", pk=application.pk)
    page = application_page(application, user=user)
    return render(request, "commissioning/application_submit.html", {"page": page, "form": form, "app": application})


def _confirm(request: HttpRequest, pk: int, *, template: str, action: str) -> HttpResponse:
    user = user_of(request)
    application = access_own_application(user=user, pk=pk)
    form = ConfirmForm(posted(request))
    if request.method == "POST":
        service = services.withdraw_application if action == "withdraw" else services.reopen_application
        try:
            service(actor=user, application=application)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            if action == "withdraw":
                messages.success(request, "Your application has been withdrawn.")
            else:
                messages.success(request, "Your application is a draft again. Submit it before the closing time.")
            return redirect("commissioning:application_detail", pk=application.pk)
    return render(request, template, {"app": application, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _confirm(request, pk, template="commissioning/application_withdraw.html", action="withdraw")


@login_required
@require_http_methods(["GET", "POST"])
def application_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _confirm(request, pk, template="commissioning/application_reopen.html", action="reopen")


# The consortium


@login_required
@require_http_methods(["GET", "POST"])
def consortium_invite(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    application = access_own_application(user=user, pk=pk)
    if application.consortium is None:
        messages.info(request, "This application is from one organisation, so it has no consortium.")
        return redirect("commissioning:application_detail", pk=application.pk)
    results = invite_search(searched_for(request), application=application)
    form = InviteMemberForm(posted(request), organisations=results.choices, search=results.text)
    if request.method == "POST" and form.is_valid():
        try:
            member = consortia.invite_member(
                actor=user, application=application, organisation=form.cleaned_data["organisation"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request, f"{member.organisation.name} has been invited. Its admins can now confirm or decline."
            )
            return redirect("commissioning:consortium_matrix", pk=application.pk)
    return render(
        request,
        "commissioning/consortium_invite.html",
        {"app": application, "form": form, "search": search_form(MemberSearchForm, results.text), "results": results},
    )


@login_required
@require_http_methods(["GET", "POST"])
def consortium_matrix(request: HttpRequest, pk: int) -> HttpResponse:
    """The consortium: its members and the accountability matrix (which the starting
    organisation's members keep while the application is a draft)."""
    user = user_of(request)
    if request.method == "POST":
        application = access_own_application(user=user, pk=pk)
    else:
        application = access_application(user=user, pk=pk, action="view")
    page = application_page(application, user=user)
    if page.consortium is None:
        messages.info(request, "This application is from one organisation, so it has no consortium.")
        return redirect("commissioning:application_detail", pk=application.pk)
    form = MatrixForm(
        posted(request),
        members=[row.member for row in page.consortium.members],
        outcomes=rules.agreed_outcomes(application),
        lead_allowed=application.opportunity.route != Route.ALLIANCE,
        initial={"lead": str(application.consortium.lead_id or "")} if application.consortium else None,
    )
    if request.method == "POST" and form.is_valid():
        rows = {
            member.pk: consortia.MatrixRow(
                outcome_ids=form.outcome_ids(member),
                budget_share=form.cleaned_data[f"budget_share_{member.pk}"],
                risk_share=form.cleaned_data[f"risk_share_{member.pk}"],
            )
            for member in form.members
        }
        try:
            result = consortia.update_matrix(
                actor=user, application=application, rows=rows, lead_organisation_id=form.lead_organisation_id()
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "The accountability matrix has been saved.")
            if result.reconfirm:
                names = ", ".join(o.name for o in result.reconfirm)
                messages.info(request, f"Your changes affect what {names} signed up to, so they must confirm again.")
            return redirect("commissioning:consortium_matrix", pk=application.pk)
    return render(request, "commissioning/consortium_matrix.html", {"page": page, "form": form, "app": application})


@login_required
@require_http_methods(["GET", "POST"])
def consortium_respond(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    user = user_of(request)
    member = access_consortium_member(user=user, application_pk=pk, pk=member_pk)
    application = access_application(user=user, pk=pk, action="view")
    form = RespondForm(posted(request), organisation=member.organisation)
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["answer"] == "confirm"
        try:
            consortia.respond_to_invitation(actor=user, member=member, accept=accept)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            name = member.organisation.name
            if accept:
                messages.success(request, f"{name} has confirmed it is part of the consortium.")
                return redirect("commissioning:consortium_matrix", pk=application.pk)
            messages.success(request, f"{name} has declined to take part.")
            return redirect("commissioning:application_list")
    page = application_page(application, user=user)
    return render(
        request,
        "commissioning/consortium_respond.html",
        {"page": page, "form": form, "app": application, "member": member},
    )
