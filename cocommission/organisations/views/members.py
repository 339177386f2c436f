"""Member pages: who belongs, invitations, roles, and leaving."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cocommission.accounts.requests import user_of
from cocommission.core.forms import ConfirmForm, apply_validation_error, posted
from cocommission.core.pagination import paginate

from ..forms.members import InvitationForm, RoleForm
from ..permissions import OrgAction, access_invitation, access_membership, access_organisation, can, role_in
from ..selectors.members import invitation_by_token, members_of, pending_invitations
from ..services.members import (
    InvitationUnusable,
    accept_invitation,
    change_role,
    invitation_problem,
    invite_member,
    leave_organisation,
    remove_member,
    revoke_invitation,
)


@login_required
def members(request: HttpRequest, slug: str) -> HttpResponse:
    user = user_of(request)
    organisation = access_organisation(user=user, slug=slug, action=OrgAction.VIEW_MEMBERS)
    can_manage = can(user, organisation, OrgAction.MANAGE_MEMBERS)
    return render(
        request,
        "organisations/members.html",
        {
            "organisation": organisation,
            "page": paginate(request, members_of(organisation=organisation)),
            "can_manage": can_manage,
            "pending_count": pending_invitations(organisation=organisation).count() if can_manage else 0,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = access_organisation(user=user_of(request), slug=slug, action=OrgAction.MANAGE_MEMBERS)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invite_member(
                actor=user_of(request),
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"We have emailed an invitation to {invitation.email}.")
            return redirect("organisations:members", slug=organisation.slug)
    return render(request, "organisations/invite.html", {"organisation": organisation, "form": form})


@login_required
def invitations(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = access_organisation(user=user_of(request), slug=slug, action=OrgAction.MANAGE_MEMBERS)
    return render(
        request,
        "organisations/invitations.html",
        {
            "organisation": organisation,
            "page": paginate(request, pending_invitations(organisation=organisation)),
            "now": timezone.now(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def withdraw_invitation(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = access_organisation(user=user_of(request), slug=slug, action=OrgAction.MANAGE_MEMBERS)
    invitation = access_invitation(user=user_of(request), organisation=organisation, pk=pk)
    form = ConfirmForm(posted(request))
    if request.method == "POST":
        try:
            revoke_invitation(actor=user_of(request), invitation=invitation)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"The invitation for {invitation.email} has been withdrawn.")
            return redirect("organisations:invitations", slug=organisation.slug)
    return render(
        request,
        "organisations/invitation_withdraw.html",
        {"organisation": organisation, "invitation": invitation, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_role(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = access_organisation(user=user_of(request), slug=slug, action=OrgAction.MANAGE_MEMBERS)
    membership = access_membership(user=user_of(request), organisation=organisation, pk=pk)
    form = RoleForm(request.POST or None, initial={"role": membership.role})
    if request.method == "POST" and form.is_valid():
        try:
            changed = change_role(actor=user_of(request), membership=membership, role=form.cleaned_data["role"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request, f"{changed.user.get_full_name()} is now {_with_article(changed.get_role_display())}."
            )
            return redirect("organisations:members", slug=organisation.slug)
    return render(
        request,
        "organisations/member_role.html",
        {"organisation": organisation, "membership": membership, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = access_organisation(user=user_of(request), slug=slug, action=OrgAction.MANAGE_MEMBERS)
    membership = access_membership(user=user_of(request), organisation=organisation, pk=pk)
    form = ConfirmForm(posted(request))
    if request.method == "POST":
        try:
            remove_member(actor=user_of(request), membership=membership)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            name = membership.user.get_full_name()
            messages.success(request, f"{name} has been removed from {organisation.name}.")
            if membership.user_id == request.user.pk:
                return redirect("organisations:detail", slug=organisation.slug)
            return redirect("organisations:members", slug=organisation.slug)
    return render(
        request,
        "organisations/member_remove.html",
        {"organisation": organisation, "membership": membership, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = access_organisation(user=user_of(request), slug=slug, action=OrgAction.VIEW_MEMBERS)
    form = ConfirmForm(posted(request))
    if request.method == "POST":
        try:
            leave_organisation(user=user_of(request), organisation=organisation)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"You have left {organisation.name}.")
            return redirect("core:dashboard")
    return render(request, "organisations/leave.html", {"organisation": organisation, "form": form})


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link in an invitation email. The token is the key, so there is no organisation check."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user = user_of(request)
    invitation = invitation_by_token(token=token)
    if invitation is None:
        return render(request, "organisations/invitation_unusable.html", {"reason": "not_found"}, status=404)
    problem = invitation_problem(invitation, user)
    if problem is None and request.method == "POST":
        try:
            membership = accept_invitation(user=user, token=token)
        except InvitationUnusable as exc:
            problem = exc.reason
        else:
            messages.success(
                request,
                f"You are now {_with_article(membership.get_role_display())} of {membership.organisation.name}.",
            )
            return redirect("organisations:detail", slug=membership.organisation.slug)
    if problem:
        return render(
            request,
            "organisations/invitation_unusable.html",
            {"reason": problem, "invitation": invitation},
            status=410 if problem in {"accepted", "revoked", "expired"} else 403,
        )
    already = role_in(user, invitation.organisation) is not None
    return render(
        request, "organisations/invitation_accept.html", {"invitation": invitation, "already_member": already}
    )


def _with_article(role: str) -> str:
    word = role.lower()
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"
