"""Agreement pages: your agreements, creating one directly, changing its terms and break
clauses, offering, signing and closing it, and the public page of a signed agreement."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from cocommission.accounts.models import User
from cocommission.accounts.requests import user_of
from cocommission.core.forms import (
    ConfirmForm,
    apply_validation_error,
    posted,
    refresh_version,
    searched_in_form,
    shown_again,
)
from cocommission.organisations.models import Organisation
from cocommission.organisations.selectors.search import SEARCH_LENGTH

from ..forms.terms import (
    CONSORTIUM,
    AgreementCreateForm,
    BreakClauseForm,
    CloseForm,
    SignForm,
    StatusFilterForm,
    TermsForm,
    provider_kind_of,
)
from ..models import Agreement, BreakClause
from ..permissions import (
    FUNDER,
    PROVIDER,
    AgreementAction,
    access_agreement,
    access_agreement_part,
    access_public_agreement,
    sides_of,
)
from ..selectors.terms import (
    ConsortiumSearch,
    agreed_outcomes,
    agreements_for,
    consortium_search,
    funders_for,
    offer_problems,
    partnerships_for_funders,
    provider_choices,
    public_context,
    signing_version,
    term_summary,
)
from ..services import guards
from ..services import terms as services

PAGE_SIZE = 25


def _to_agreement(agreement: Agreement, anchor: str = "terms") -> HttpResponse:
    response = redirect("agreements:detail", pk=agreement.pk)
    response["Location"] += f"#{anchor}"
    return response


def _not_open(request: HttpRequest, agreement: Agreement) -> HttpResponse | None:
    """Signed agreements change only by variation: send people back with the reason rather
    than let them fill in a form that cannot be saved (the services refuse too)."""
    try:
        guards.ensure_open_for_editing(agreement)
    except ValidationError as exc:
        messages.info(request, " ".join(exc.messages))
        return _to_agreement(agreement)
    return None


@login_required
@require_GET
def agreement_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    filters = StatusFilterForm(request.GET)
    agreements = agreements_for(user, status=filters.status_chosen())
    page = Paginator(agreements, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "agreements/agreement_list.html",
        {"page": page, "filters": filters, "can_create": funders_for(user).exists()},
    )


def _match_count(search: str, providers: QuerySet[Organisation] | None, consortia: ConsortiumSearch | None) -> int:
    if not search:
        return 0
    return consortia.count if consortia is not None else providers.count() if providers is not None else 0


@login_required
@require_http_methods(["GET", "POST"])
def agreement_create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    funders = funders_for(user)
    if not funders.exists():
        raise PermissionDenied("Only commissioners of a statutory organisation can create agreements.")
    data = posted(request)
    source = data if data is not None else request.GET
    search = (source.get("q") or "").strip()[:SEARCH_LENGTH]
    kind = provider_kind_of(source)
    consortia = consortium_search(search) if kind == CONSORTIUM else None
    providers = provider_choices(search) if consortia is None else None
    form = AgreementCreateForm(
        data,
        initial={"q": search, "provider_kind": kind},
        funders=funders,
        providers=providers,
        consortia=consortia,
        partnerships=partnerships_for_funders(user),
    )
    if searched_in_form(request):
        shown_again(form)
    elif request.method == "POST" and form.is_valid():
        try:
            agreement = services.create_agreement(
                actor=user,
                funder=form.cleaned_data["funder"],
                provider=form.cleaned_data.get("provider"),
                consortium=form.cleaned_data.get("consortium"),
                partnership=form.cleaned_data["partnership"],
                terms=form.terms(),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                f"You created {agreement.reference} as a draft. Answer the grant-or-contract questions and build "
                "the budget, then offer it for signature.",
            )
            return redirect("agreements:detail", pk=agreement.pk)
    return render(
        request,
        "agreements/agreement_form.html",
        {
            "agreement": None,
            "form": form,
            "search_text": search,
            "searched": bool(search),
            "kind": kind,
            "matches": _match_count(search, providers, consortia),
            "not_ready": consortia.not_ready if consortia is not None else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    agreement = access_agreement(user=user, pk=pk, action=AgreementAction.MANAGE)
    if (refused := _not_open(request, agreement)) is not None:
        return refused
    form = TermsForm(posted(request), instance=agreement, outcome_choices=agreed_outcomes(agreement))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_terms(
                actor=user,
                agreement=agreement,
                terms=form.terms(),
                outcomes=form.chosen_outcomes(),
                version=form.submitted_version(),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
            refresh_version(form, agreement)
        else:
            messages.success(request, "You changed the terms. The payment schedule has been worked out again.")
            return _to_agreement(agreement)
    return render(
        request,
        "agreements/agreement_form.html",
        {"agreement": agreement, "form": form, "term": term_summary(agreement)},
    )


# ---- Break clauses ------------------------------------------------------------------------------


def _break_form(request: HttpRequest, agreement: Agreement, *, clause: BreakClause | None, user: User) -> HttpResponse:
    if (refused := _not_open(request, agreement)) is not None:
        return refused
    form = BreakClauseForm(posted(request), instance=clause)
    if request.method == "POST" and form.is_valid():
        fields = {
            "earliest_date": form.cleaned_data["earliest_date"],
            "notice_months": form.cleaned_data["notice_months"],
            "party": form.cleaned_data["party"],
            "conditions": form.cleaned_data["conditions"],
        }
        try:
            if clause is None:
                services.add_break_clause(actor=user, agreement=agreement, **fields)
            else:
                services.change_break_clause(actor=user, clause=clause, version=form.submitted_version(), **fields)
        except ValidationError as exc:
            apply_validation_error(form, exc)
            if clause is not None:
                refresh_version(form, clause)
        else:
            messages.success(
                request, "You added a break clause." if clause is None else "You changed the break clause."
            )
            return _to_agreement(agreement, "break-clauses")
    return render(
        request, "agreements/break_clause_form.html", {"agreement": agreement, "form": form, "clause": clause}
    )


@login_required
@require_http_methods(["GET", "POST"])
def break_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    agreement = access_agreement(user=user, pk=pk, action=AgreementAction.MANAGE)
    return _break_form(request, agreement, clause=None, user=user)


@login_required
@require_http_methods(["GET", "POST"])
def break_edit(request: HttpRequest, pk: int, clause: int) -> HttpResponse:
    user = user_of(request)
    agreement = access_agreement(user=user, pk=pk, action=AgreementAction.MANAGE)
    part = access_agreement_part(agreement=agreement, model=BreakClause, pk=clause)
    return _break_form(request, agreement, clause=part, user=user)


@login_required
@require_http_methods(["GET", "POST"])
def break_remove(request: HttpRequest, pk: int, clause: int) -> HttpResponse:
    user = user_of(request)
    agreement = access_agreement(user=user, pk=pk, action=AgreementAction.MANAGE)
    part = access_agreement_part(agreement=agreement, model=BreakClause, pk=clause)
    if (refused := _not_open(request, agreement)) is not None:
        return refused
    form = ConfirmForm(posted(request))
    if request.method == "POST":
        try:
            services.remove_break_clause(actor=user, clause=part)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "You removed the break clause.")
            return _to_agreement(agreement, "break-clauses")
    return render(
        request, "agreements/break_clause_remove.html", {"agreement": agreement, "form": form, "clause": part}
    )


# ---- Offering, signing and closing --------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def agreement_offer(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    agreement = access_agreement(user=user, pk=pk, action=AgreementAction.MANAGE)
    if (refused := _not_open(request, agreement)) is not None:
        return refused
    if agreement.status != Agreement.Status.DRAFT:
        messages.info(request, "This agreement has already been offered for signature.")
        return _to_agreement(agreement)
    form = ConfirmForm(posted(request))
    if request.method == "POST":
        try:
            services.offer_agreement(actor=user, agreement=agreement)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "You offered the agreement. Both parties can now sign it.")
            return _to_agreement(agreement)
    return render(
        request,
        "agreements/agreement_offer.html",
        {
            "agreement": agreement,
            "form": form,
            # Shown before the button so nobody has to press it to find out what is missing.
            "problems": [] if form.is_bound else offer_problems(agreement),
        },
    )


def _side_to_sign(user: User, agreement: Agreement) -> str | None:
    """The person's side that has not signed yet (the funder's first, for someone on both)."""
    sides = sides_of(user, agreement)
    for side in (FUNDER, PROVIDER):
        if side in sides and services.signature_refusal(agreement, side) is None:
            return side
    return None


@login_required
@require_http_methods(["GET", "POST"])
def agreement_sign(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    agreement = access_agreement(user=user, pk=pk, action=AgreementAction.TAKE_PART)
    side = _side_to_sign(user, agreement)
    if side is None:
        own = FUNDER if FUNDER in sides_of(user, agreement) else PROVIDER
        messages.info(request, services.signature_refusal(agreement, own) or "Your side has already signed.")
        return _to_agreement(agreement)
    form = SignForm(posted(request), initial={"version": signing_version(agreement)})
    if request.method == "POST" and form.is_valid():
        try:
            signed = services.sign_agreement(
                actor=user, agreement=agreement, side=side, version=form.cleaned_data["version"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
            # What is on the page now is the agreement as it is: signing again signs that.
            agreement = access_agreement(user=user, pk=pk, action=AgreementAction.TAKE_PART)
            form = _with_version(form, signing_version(agreement))
        else:
            done = "Both parties have signed: the agreement is active." if signed.is_signed else "You signed."
            messages.success(request, done)
            return _to_agreement(agreement)
    return render(
        request,
        "agreements/agreement_sign.html",
        {"agreement": agreement, "form": form, "side": side, "term": term_summary(agreement)},
    )


def _with_version(form: SignForm, version: str) -> SignForm:
    fresh = SignForm({"version": version})
    fresh.is_valid()
    for error in form.non_field_errors():
        fresh.add_error(None, error)
    return fresh


@login_required
@require_http_methods(["GET", "POST"])
def agreement_close(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    agreement = access_agreement(user=user, pk=pk, action=AgreementAction.MANAGE)
    if agreement.status != Agreement.Status.ACTIVE:
        messages.info(request, "Only an active agreement, signed by both parties, can be ended or terminated.")
        return _to_agreement(agreement)
    form = CloseForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            closed = services.close_agreement(
                actor=user, agreement=agreement, how=form.cleaned_data["how"], reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"The agreement is now {closed.get_status_display().lower()}.")
            return _to_agreement(agreement)
    return render(request, "agreements/agreement_close.html", {"agreement": agreement, "form": form})


@require_GET
def agreement_public(request: HttpRequest, reference: str) -> HttpResponse:
    """What anyone may know about a signed agreement: the fields published as open data."""
    agreement = access_public_agreement(reference=reference)
    return render(request, "agreements/agreement_public.html", public_context(agreement))
