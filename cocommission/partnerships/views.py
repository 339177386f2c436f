"""Partnership pages. Thin: load through permissions, call a selector or a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cocommission.accounts.requests import user_of
from cocommission.core.forms import ConfirmForm, apply_validation_error, posted, refresh_version
from cocommission.core.pagination import paginate

from . import selectors, services
from .forms import (
    MemberOrganisationAddForm,
    MemberOrganisationChangeForm,
    PartnershipChangeForm,
    PartnershipCreateForm,
    PersonAddForm,
    PersonChangeForm,
)
from .models import PartnershipPerson
from .permissions import (
    PartnershipAction,
    access_partnership,
    access_partnership_organisation,
    access_partnership_person,
    can,
    role_in,
)


@login_required
def partnership_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.partnerships_for_user(user=user_of(request)))
    return render(request, "partnerships/list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    organisations = selectors.organisations_to_represent(user=user)
    form = PartnershipCreateForm(posted(request), organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            partnership = services.create_partnership(
                actor=user,
                name=form.cleaned_data["name"],
                place=form.cleaned_data["place"],
                description=form.cleaned_data["description"],
                organisation=form.cleaned_data.get("organisation"),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"You started {partnership.name}. You are its coordinator.")
            return redirect("partnerships:detail", slug=partnership.slug)
    return render(request, "partnerships/create.html", {"form": form})


@login_required
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = user_of(request)
    partnership = access_partnership(user=user, slug=slug, action=PartnershipAction.VIEW)
    my_role = role_in(user, partnership)
    organisations = paginate(request, selectors.member_organisations(partnership=partnership), param="orgs")
    people = paginate(request, selectors.partnership_people(partnership=partnership), param="people")
    return render(
        request,
        "partnerships/detail.html",
        {
            "partnership": partnership,
            "overview": selectors.partnership_overview(partnership=partnership),
            "organisations": organisations,
            "people": people,
            "person_rows": selectors.person_rows(partnership=partnership, people=people.object_list),
            "can_manage": my_role == PartnershipPerson.Role.COORDINATOR,
            "can_view_audit": can(user, partnership, PartnershipAction.VIEW_AUDIT),
            "my_role": my_role,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    user = user_of(request)
    partnership = access_partnership(user=user, slug=slug, action=PartnershipAction.MANAGE)
    form = PartnershipChangeForm(posted(request), instance=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_partnership(
                actor=user,
                partnership=partnership,
                name=form.cleaned_data["name"],
                place=form.cleaned_data["place"],
                description=form.cleaned_data["description"],
                minimum_term_years=form.cleaned_data["minimum_term_years"],
                version=form.submitted_version(),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
            refresh_version(form, partnership)
        else:
            messages.success(request, "You changed the partnership's details.")
            return redirect("partnerships:detail", slug=partnership.slug)
    return render(request, "partnerships/edit.html", {"partnership": partnership, "form": form})


@login_required
def audit(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = access_partnership(user=user_of(request), slug=slug, action=PartnershipAction.VIEW_AUDIT)
    page = paginate(request, selectors.audit_events_for_partnership(partnership=partnership))
    rows = selectors.audit_rows(page.object_list)
    return render(request, "partnerships/audit.html", {"partnership": partnership, "page": page, "rows": rows})


# ---- Member organisations -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def organisation_add(request: HttpRequest, slug: str) -> HttpResponse:
    user = user_of(request)
    partnership = access_partnership(user=user, slug=slug, action=PartnershipAction.MANAGE)
    form = MemberOrganisationAddForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            member = services.add_partnership_organisation(
                actor=user,
                partnership=partnership,
                organisation=form.cleaned_data["organisation"],
                sector=form.cleaned_data["sector"] or None,
                seat=form.cleaned_data["seat"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            sector = member.get_sector_display()
            messages.success(request, f"{member.organisation.name} is now a member of {partnership.name} ({sector}).")
            return redirect("partnerships:detail", slug=partnership.slug)
    return render(request, "partnerships/organisation_add.html", {"partnership": partnership, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_change(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user = user_of(request)
    partnership = access_partnership(user=user, slug=slug, action=PartnershipAction.MANAGE)
    member = access_partnership_organisation(user=user, partnership=partnership, pk=pk)
    form = MemberOrganisationChangeForm(posted(request), instance=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_partnership_organisation(
                actor=user,
                member=member,
                sector=form.cleaned_data["sector"],
                seat=form.cleaned_data["seat"],
                version=form.submitted_version(),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
            refresh_version(form, member)
        else:
            messages.success(request, f"You changed the seat of {member.organisation.name}.")
            return redirect("partnerships:detail", slug=partnership.slug)
    return render(
        request, "partnerships/organisation_change.html", {"partnership": partnership, "member": member, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user = user_of(request)
    partnership = access_partnership(user=user, slug=slug, action=PartnershipAction.MANAGE)
    member = access_partnership_organisation(user=user, partnership=partnership, pk=pk)
    form = ConfirmForm(posted(request))
    if request.method == "POST":
        try:
            services.remove_partnership_organisation(actor=user, member=member)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"You removed {member.organisation.name} from {partnership.name}.")
            return redirect("partnerships:detail", slug=partnership.slug)
    return render(
        request,
        "partnerships/confirm.html",
        {
            "partnership": partnership,
            "form": form,
            "title": f"Remove {member.organisation.name} from {partnership.name}?",
            "explanation": "The organisation loses its seat. Its change history stays in the partnership's audit log.",
            "button": "Yes, remove the organisation",
        },
    )


# ---- Individual members ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def person_add(request: HttpRequest, slug: str) -> HttpResponse:
    user = user_of(request)
    partnership = access_partnership(user=user, slug=slug, action=PartnershipAction.MANAGE)
    form = PersonAddForm(posted(request), partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.add_partnership_person(
                actor=user,
                partnership=partnership,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                organisation=form.cleaned_data["organisation"],
                lived_experience=form.cleaned_data["lived_experience"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request, f"{person.user} is now a {person.get_role_display().lower()} of {partnership.name}."
            )
            return redirect("partnerships:detail", slug=partnership.slug)
    return render(request, "partnerships/person_add.html", {"partnership": partnership, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def person_change(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user = user_of(request)
    partnership = access_partnership(user=user, slug=slug, action=PartnershipAction.MANAGE)
    person = access_partnership_person(user=user, partnership=partnership, pk=pk)
    form = PersonChangeForm(posted(request), instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_partnership_person(
                actor=user,
                person=person,
                role=form.cleaned_data["role"],
                organisation=form.cleaned_data["organisation"],
                lived_experience=form.cleaned_data["lived_experience"],
                version=form.submitted_version(),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
            refresh_version(form, person)
        else:
            messages.success(request, f"You changed the details of {person.user} in {partnership.name}.")
            return redirect("partnerships:detail", slug=partnership.slug)
    return render(
        request, "partnerships/person_change.html", {"partnership": partnership, "person": person, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user = user_of(request)
    partnership = access_partnership(user=user, slug=slug, action=PartnershipAction.MANAGE)
    person = access_partnership_person(user=user, partnership=partnership, pk=pk)
    form = ConfirmForm(posted(request))
    if request.method == "POST":
        try:
            services.remove_partnership_person(actor=user, person=person)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"You removed {person.user} from {partnership.name}.")
            if person.user_id == user.pk:
                return redirect("partnerships:list")
            return redirect("partnerships:detail", slug=partnership.slug)
    return render(
        request,
        "partnerships/confirm.html",
        {
            "partnership": partnership,
            "form": form,
            "title": f"Remove {person.user} from {partnership.name}?",
            "explanation": "They will no longer be an individual member. Their change history stays in the "
            "partnership's audit log.",
            "button": "Yes, remove them",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    user = user_of(request)
    partnership = access_partnership(user=user, slug=slug, action=PartnershipAction.LEAVE)
    form = ConfirmForm(posted(request))
    if request.method == "POST":
        try:
            services.leave_partnership(actor=user, partnership=partnership)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"You left {partnership.name}.")
            return redirect("partnerships:list")
    return render(
        request,
        "partnerships/confirm.html",
        {
            "partnership": partnership,
            "form": form,
            "title": f"Leave {partnership.name}?",
            "explanation": "You will no longer be an individual member. A coordinator can add you again later.",
            "button": "Yes, leave the partnership",
        },
    )
