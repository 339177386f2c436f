"""Organisation pages: the public directory, the profile, and creating and editing details."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cocommission.accounts.requests import user_of
from cocommission.core.forms import StaleFormError, apply_validation_error, refresh_version
from cocommission.core.pagination import paginate

from ..forms.organisations import DirectoryFilterForm, OrganisationForm
from ..models import Membership, Organisation
from ..permissions import OrgAction, access_organisation, can, role_in
from ..selectors.organisations import directory_organisations, organisation_profile
from ..services.organisations import create_organisation, update_organisation
from .passport import passport_panel
from .timeline import timeline_panel


def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    page = paginate(request, directory_organisations(**filters))
    return render(
        request,
        "organisations/directory.html",
        {"form": form, "page": page, "filtered": any(filters.values())},
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = create_organisation(actor=user_of(request), details=form.details())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"{organisation.name} has been added. You are its admin.")
            return redirect("organisations:detail", slug=organisation.slug)
    return render(request, "organisations/organisation_form.html", {"form": form, "creating": True})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = access_organisation(user=user_of(request), slug=slug, action=OrgAction.EDIT)
    form = OrganisationForm(request.POST or None, instance=organisation)
    saved_now: list[tuple[str, str]] = []
    if request.method == "POST" and form.is_valid():
        try:
            update_organisation(
                actor=user_of(request),
                organisation=organisation,
                details=form.details(),
                version=form.submitted_version(),
            )
        except StaleFormError as exc:
            saved_now = _show_what_is_saved_now(form, organisation, exc)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "The organisation's details have been saved.")
            return redirect("organisations:detail", slug=organisation.slug)
    return render(
        request,
        "organisations/organisation_form.html",
        {"form": form, "organisation": organisation, "creating": False, "saved_now": saved_now},
    )


def _show_what_is_saved_now(
    form: OrganisationForm, organisation: Organisation, error: StaleFormError
) -> list[tuple[str, str]]:
    """Keep what the person typed, show what is saved now, and stamp the new version so saving again works."""
    organisation.refresh_from_db()
    refresh_version(form, organisation)
    apply_validation_error(form, error)
    return form.saved_differences(organisation)


def detail_panels(request: HttpRequest, organisation: Organisation) -> dict[str, Any]:
    """Context for the passport and timeline panels on the profile.

    The hook where those panels plug in: each contributes its context and sets
    show_passport_panel / show_timeline_panel when the person may see it.
    """
    return {**passport_panel(request, organisation), **timeline_panel(request, organisation)}


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = user_of(request)
    organisation = organisation_profile(organisation=access_organisation(user=user, slug=slug, action=OrgAction.VIEW))
    role = role_in(user, organisation)
    context: dict[str, Any] = {
        "organisation": organisation,
        "role": role,
        "is_member": role is not None,
        "is_admin": role == Membership.Role.ADMIN,
        "can_view_audit": can(user, organisation, OrgAction.VIEW_AUDIT),
        "can_view_passport": can(user, organisation, OrgAction.VIEW_PASSPORT),
    }
    extra_context = detail_panels(request, organisation)
    context.update(extra_context)
    return render(request, "organisations/detail.html", context)
