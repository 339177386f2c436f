"""What the partnership remembers: contributions and the follows that pick questions up, the
questions left hanging, and "before you meet" for any two organisations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cocommission.accounts.requests import user_of
from cocommission.core.forms import apply_validation_error, posted
from cocommission.core.pagination import paginate
from cocommission.organisations.permissions import OrgAction, access_organisation
from cocommission.partnerships.permissions import access_partnership

from ..forms.meetings import ContributionForm, OrganisationSearchForm
from ..models import Contribution
from ..permissions import (
    access_contribution,
    access_meeting,
    access_meeting_to_contribute,
    access_pair,
    is_coordinator,
)
from ..selectors import meetings as meeting_selectors
from ..selectors.meetings import attendances_of, follow_choices, meetings_to_follow_up, question_thread
from ..selectors.memory import organisations_matching, shared_history
from ..services.contributions import add_contribution


@login_required
@require_http_methods(["GET", "POST"])
def contribution_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user = user_of(request)
    partnership = access_partnership(user=user, slug=slug, action="view")
    meeting = access_meeting_to_contribute(user=user, partnership=partnership, pk=pk)
    coordinator = is_coordinator(user, partnership)
    attendances = attendances_of(meeting)
    speakers = [(a.user_id, str(a.user)) for a in attendances if a.user_id != user.pk] if coordinator else None
    initial = {}
    if request.GET.get("follows", "").isdigit():
        initial = {"kind": Contribution.Kind.FOLLOW, "follows": int(request.GET["follows"])}
    form = ContributionForm(posted(request), initial=initial, follow_choices=follow_choices(meeting), speakers=speakers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        speaker = next((a.user for a in attendances if a.user_id == data.get("speaker")), None)
        if data.get("speaker") and speaker is None:
            form.add_error("speaker", "Choose someone who attended")
        else:
            try:
                contribution = add_contribution(
                    actor=user,
                    meeting=meeting,
                    kind=data["kind"],
                    text=data["text"],
                    to_the_room=data["to_the_room"],
                    follows_id=data["follows"],
                    speaker=speaker,
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, f"The {contribution.get_kind_display().lower()} has been recorded.")
                response = redirect("deciding:meeting_detail", slug=partnership.slug, pk=meeting.pk)
                response["Location"] += f"#contribution-{contribution.pk}"
                return response
    return render(
        request,
        "deciding/contribution_form.html",
        {"partnership": partnership, "meeting": meeting, "form": form, "is_coordinator": coordinator},
    )


@login_required
def contribution_detail(request: HttpRequest, slug: str, pk: int, contribution_pk: int) -> HttpResponse:
    user = user_of(request)
    partnership = access_partnership(user=user, slug=slug, action="view")
    meeting = access_meeting(user=user, partnership=partnership, pk=pk)
    contribution = access_contribution(meeting=meeting, pk=contribution_pk)
    coordinator = is_coordinator(user, partnership)
    thread = question_thread(contribution)
    question = thread["question"]
    return render(
        request,
        "deciding/contribution_detail.html",
        {
            "partnership": partnership,
            "meeting": meeting,
            "contribution": contribution,
            "is_coordinator": coordinator,
            "follow_at": (
                meetings_to_follow_up(question, user=user, coordinator=coordinator)
                if question is not None and question.kind == Contribution.Kind.QUESTION
                else []
            ),
            **thread,
        },
    )


@login_required
def hanging_questions(request: HttpRequest, slug: str) -> HttpResponse:
    user = user_of(request)
    partnership = access_partnership(user=user, slug=slug, action="view")
    return render(
        request,
        "deciding/hanging_questions.html",
        {
            "partnership": partnership,
            "page_obj": paginate(request, meeting_selectors.hanging_questions(partnership)),
            "is_coordinator": is_coordinator(user, partnership),
        },
    )


@login_required
def before_you_meet_choose(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = access_organisation(user=user_of(request), slug=slug, action=OrgAction.VIEW_MEMBERS)
    form = OrganisationSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    return render(
        request,
        "deciding/before_you_meet_choose.html",
        {
            "organisation": organisation,
            "form": form,
            "query": query,
            "matches": organisations_matching(query, besides=organisation) if query else [],
        },
    )


@login_required
def before_you_meet(request: HttpRequest, slug: str, other_slug: str) -> HttpResponse:
    first, second = access_pair(user=user_of(request), slug=slug, other_slug=other_slug)
    return render(
        request,
        "deciding/before_you_meet.html",
        {"organisation": first, "other": second, **shared_history(first, second)},
    )
