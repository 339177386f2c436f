"""A panel member's pages: their applications, their declarations and their score sheets."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cocommission.accounts.requests import user_of
from cocommission.core.forms import apply_validation_error, posted
from cocommission.core.pagination import paginate

from ..forms.panels import DeclarationForm, ScoreSheetForm
from ..permissions import PanelRefusal, access_panel_application, access_panel_seat, hidden_scores_reason
from ..selectors import panels as selectors
from ..services import panel_scoring as scoring_services
from ..services import panels as services
from .panels import explain_refusal


@login_required
@explain_refusal
def panel_scoring(request: HttpRequest, slug: str) -> HttpResponse:
    opportunity, member = access_panel_seat(user=user_of(request), slug=slug)
    page = paginate(request, selectors.submitted_applications(opportunity))
    return render(
        request,
        "commissioning/panel_scoring.html",
        {
            "opportunity": opportunity,
            "member": member,
            "page": page,
            "rows": selectors.scoring_rows(member, list(page.object_list)),
            "scoring_open": opportunity.state in services.SCORING_STATES,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@explain_refusal
def panel_declare(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user = user_of(request)
    opportunity, member = access_panel_seat(user=user, slug=slug)
    application = access_panel_application(opportunity=opportunity, pk=pk)
    declaration = selectors.declaration_for(member, application)
    initial = {}
    if declaration is not None:
        initial = {
            "has_conflict": "yes" if declaration.has_conflict else "no",
            "details": declaration.details,
            "management": declaration.management,
        }
    form = DeclarationForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            declared = services.declare_interests(
                actor=user,
                member=member,
                application=application,
                has_conflict=form.cleaned_data["has_conflict"],
                details=form.cleaned_data["details"],
                management=form.cleaned_data["management"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            if declared.has_conflict:
                messages.success(request, "Your conflict of interest and how it is managed are recorded.")
                return redirect("commissioning:panel_scoring", slug=opportunity.slug)
            messages.success(request, "You declared no conflict of interest.")
            return redirect("commissioning:panel_score", slug=opportunity.slug, pk=application.pk)
    return render(
        request,
        "commissioning/panel_declare.html",
        {
            "opportunity": opportunity,
            "application": application,
            "applicant": selectors.applicant_name(application),
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@explain_refusal
def panel_score(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user = user_of(request)
    opportunity, member = access_panel_seat(user=user, slug=slug)
    application = access_panel_application(opportunity=opportunity, pk=pk)
    declaration = selectors.declaration_for(member, application)
    if declaration is None:
        messages.info(request, "Declare whether you have a conflict of interest before you see the score sheet.")
        return redirect("commissioning:panel_declare", slug=opportunity.slug, pk=application.pk)
    if declaration.has_conflict:
        raise PanelRefusal(
            "You declared a conflict of interest with this application, so you cannot score it or see the panel's "
            "scores for it. Your declaration and how the conflict is managed are on record."
        )
    criteria = selectors.criteria_of(opportunity)
    sheet = selectors.sheet_for(member, application)
    form = None
    if sheet is None or sheet.submitted_at is None:
        form = ScoreSheetForm(posted(request), criteria=criteria, scores=list(sheet.scores.all()) if sheet else [])
        if request.method == "POST" and form.is_valid():
            submit = request.POST.get("action") == "submit"
            try:
                scoring_services.save_score_sheet(
                    actor=user, member=member, application=application, entries=form.entries(), submit=submit
                )
            except ValidationError as exc:
                if getattr(exc, "code", None) != "submitted":
                    apply_validation_error(form, exc)
                else:
                    messages.info(request, exc.messages[0])
                    return redirect("commissioning:panel_score", slug=opportunity.slug, pk=application.pk)
            else:
                messages.success(request, "You submitted your scores." if submit else "Your draft scores are saved.")
                return redirect("commissioning:panel_score", slug=opportunity.slug, pk=application.pk)
    elif request.method == "POST":
        # A second submission from another tab or a double click: the sheet is already locked.
        messages.info(request, "You have already submitted your scores for this application.")
        return redirect("commissioning:panel_score", slug=opportunity.slug, pk=application.pk)
    hidden = hidden_scores_reason(user, application)
    return render(
        request,
        "commissioning/panel_score.html",
        {
            "opportunity": opportunity,
            "application": application,
            "applicant": selectors.applicant_name(application),
            "answers": selectors.answers_of(application),
            "sheet": sheet,
            "hidden_reason": hidden,
            "comparison": None if hidden else selectors.score_comparison(application, criteria),
            "scoring_open": opportunity.state in services.SCORING_STATES,
            "form": form,
        },
    )
