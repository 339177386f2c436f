"""Story pages: telling a story (members, and anyone through the public form), the moderation
queue and page, the published stories, a storyteller's own stories, and withdrawing one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cocommission.accounts.requests import user_of
from cocommission.core.client import client_address
from cocommission.core.forms import ConfirmForm, apply_validation_error, posted
from cocommission.core.pagination import paginate
from cocommission.partnerships.permissions import access_partnership

from ..forms.stories import DeclineForm, PublicStoryForm, PublishForm, StoryFilterForm, StoryForm
from ..models import Story
from ..permissions import (
    NeedsAction,
    access_own_story,
    access_public_story,
    access_story,
    access_story_by_withdrawal_key,
    ensure_coordinator,
    is_coordinator,
    public_story_partnership,
)
from ..selectors.stories import (
    declined_count,
    moderation_queue,
    public_stories,
    published_stories,
    stories_told_by,
    story_filter_choices,
    suggestions_for,
    theme_choices,
)
from ..services.stories import (
    TooManyStories,
    decline_story,
    erase_story,
    publish_story,
    tell_member_story,
    tell_public_story,
    withdrawal_link,
)

# --- Members' pages --------------------------------------------------------------------------------


@login_required
def story_list(request: HttpRequest, slug: str) -> HttpResponse:
    user = user_of(request)
    partnership = access_partnership(user=user, slug=slug, action="view")
    filters = StoryFilterForm(request.GET, choices=story_filter_choices(partnership))
    page = paginate(request, published_stories(partnership, **filters.filters))
    coordinator = is_coordinator(user, partnership)
    return render(
        request,
        "needs/story_list.html",
        {
            "partnership": partnership,
            "filters": filters,
            "page": page,
            "is_coordinator": coordinator,
            "waiting": moderation_queue(partnership).count() if coordinator else 0,
        },
    )


@login_required
def story_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user = user_of(request)
    partnership = access_partnership(user=user, slug=slug, action="view")
    story = access_story(user=user, partnership=partnership, pk=pk)
    return render(
        request,
        "needs/story_detail.html",
        {
            "partnership": partnership,
            "story": story,
            "themes": list(story.themes.all()),
            "is_coordinator": is_coordinator(user, partnership),
            "is_teller": story.submitted_by_id == user.pk,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def story_tell(request: HttpRequest, slug: str) -> HttpResponse:
    user = user_of(request)
    partnership = access_partnership(user=user, slug=slug, action="view")
    form = StoryForm(posted(request), themes=theme_choices(partnership, public=False))
    if request.method == "POST" and form.is_valid():
        try:
            tell_member_story(actor=user, partnership=partnership, details=form.details())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                "Thank you for your story. A coordinator will check it and remove any personal details "
                "before the partnership’s members can read it.",
            )
            return redirect("needs:story_mine")
    return render(request, "needs/story_form.html", {"partnership": partnership, "form": form, "public": False})


@login_required
def story_mine(request: HttpRequest) -> HttpResponse:
    page = paginate(request, stories_told_by(user_of(request)))
    return render(request, "needs/story_mine.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def story_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    story = access_own_story(user=user, pk=pk)
    form = ConfirmForm(posted(request))
    if request.method == "POST":
        try:
            erase_story(actor=user, story=story)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "Your story has been withdrawn and erased.")
            return redirect("needs:story_mine")
    return render(request, "needs/story_withdraw.html", {"story": story, "form": form, "public": False})


# --- Moderation (coordinators) ---------------------------------------------------------------------


@login_required
def story_queue(request: HttpRequest, slug: str) -> HttpResponse:
    user = user_of(request)
    partnership = access_partnership(user=user, slug=slug, action="view")
    ensure_coordinator(user, partnership)
    page = paginate(request, moderation_queue(partnership))
    return render(
        request,
        "needs/story_queue.html",
        {"partnership": partnership, "page": page, "declined": declined_count(partnership)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def story_moderate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user = user_of(request)
    partnership = access_partnership(user=user, slug=slug, action="view")
    story = access_story(user=user, partnership=partnership, pk=pk, action=NeedsAction.MANAGE)
    if story.status == Story.Status.PUBLISHED:
        messages.info(request, "This story has already been published.")
        return redirect("needs:story_detail", slug=partnership.slug, pk=story.pk)
    suggestions = suggestions_for(story)
    form = PublishForm.for_story(
        posted(request), story=story, title=suggestions.anonymised_title, text=suggestions.anonymised_text
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            publish_story(
                actor=user,
                story=story,
                title=data["published_title"],
                text=data["published_text"],
                place=data["place"],
                population_group=data["population_group"],
                names_checked=data["names_checked"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"“{data['published_title']}” is published for the partnership’s members.")
            return redirect("needs:story_queue", slug=partnership.slug)
    return render(
        request,
        "needs/story_moderate.html",
        {
            "partnership": partnership,
            "story": story,
            "themes": list(story.themes.all()),
            "suggestions": suggestions,
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def story_decline(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user = user_of(request)
    partnership = access_partnership(user=user, slug=slug, action="view")
    story = access_story(user=user, partnership=partnership, pk=pk, action=NeedsAction.MANAGE)
    if story.status != Story.Status.SUBMITTED:
        messages.info(request, "Only a story waiting for moderation can be declined.")
        return redirect("needs:story_detail", slug=partnership.slug, pk=story.pk)
    form = DeclineForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            decline_story(actor=user, story=story, note=form.cleaned_data["note"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"“{story.title}” will not be published.")
            return redirect("needs:story_queue", slug=partnership.slug)
    return render(request, "needs/story_decline.html", {"partnership": partnership, "story": story, "form": form})


# --- Public pages (no sign in) ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def story_public_tell(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = public_story_partnership(slug=slug)
    form = PublicStoryForm(posted(request), themes=theme_choices(partnership, public=True))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            told = tell_public_story(
                partnership=partnership,
                details=form.details(),
                contact_email=form.cleaned_data["contact_email"],
                network_address=client_address(request),
                base_url=request.build_absolute_uri("/"),
            )
        except TooManyStories as exc:
            apply_validation_error(form, exc)
            status = 429
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            # The link is shown on this response only: nothing keeps the key but the storyteller.
            return render(
                request,
                "needs/story_told.html",
                {
                    "partnership": partnership,
                    "story": told.story,
                    "link": withdrawal_link(told.withdrawal_key, base_url=request.build_absolute_uri("/")),
                },
            )
    return render(
        request, "needs/story_form.html", {"partnership": partnership, "form": form, "public": True}, status=status
    )


def story_public_list(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = public_story_partnership(slug=slug)
    page = paginate(request, public_stories(partnership))
    return render(request, "needs/story_public_list.html", {"partnership": partnership, "page": page})


def story_public_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = public_story_partnership(slug=slug)
    story = access_public_story(partnership=partnership, pk=pk)
    return render(
        request,
        "needs/story_public_detail.html",
        {"partnership": partnership, "story": story, "themes": list(story.themes.all())},
    )


@require_http_methods(["GET", "POST"])
def story_public_withdraw(request: HttpRequest, key: str) -> HttpResponse:
    story = access_story_by_withdrawal_key(key=key)
    form = ConfirmForm(posted(request))
    if request.method == "POST":
        partnership = story.partnership
        try:
            erase_story(actor=user_of(request), story=story)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return render(request, "needs/story_withdrawn.html", {"partnership": partnership})
    return render(request, "needs/story_withdraw.html", {"story": story, "form": form, "public": True})
