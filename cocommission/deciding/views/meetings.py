"""Meeting pages: the list, the meeting itself, and the coordinator's pages for its details,
agenda, papers, who came and the minutes."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cocommission.accounts.requests import user_of
from cocommission.core.forms import ConfirmForm, apply_validation_error, posted
from cocommission.core.pagination import paginate
from cocommission.organisations.uploads import LABELS_BY_CONTENT_TYPE
from cocommission.partnerships.models import Partnership
from cocommission.partnerships.permissions import access_partnership

from ..forms.meetings import AgendaItemForm, AttendanceForm, MeetingForm, MinutesForm, PaperForm
from ..models import Meeting
from ..permissions import access_agenda_item, access_meeting, access_meeting_paper, attended, is_coordinator
from ..selectors.meetings import attendances_of, eligible_attendees, meeting_page, meetings_for
from ..services.meetings import (
    add_agenda_item,
    add_paper,
    create_meeting,
    has_begun,
    move_agenda_item,
    record_attendance,
    record_minutes,
    remove_agenda_item,
    remove_paper,
    update_meeting,
)


def _meeting(request: HttpRequest, slug: str, pk: int, action: str = "view") -> tuple[Partnership, Meeting]:
    user = user_of(request)
    partnership = access_partnership(user=user, slug=slug, action="view")
    return partnership, access_meeting(user=user, partnership=partnership, pk=pk, action=action)


def _to_meeting(meeting: Meeting, anchor: str = "") -> HttpResponse:
    response = redirect("deciding:meeting_detail", slug=meeting.partnership.slug, pk=meeting.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


@login_required
def meeting_list(request: HttpRequest, slug: str) -> HttpResponse:
    user = user_of(request)
    partnership = access_partnership(user=user, slug=slug, action="view")
    return render(
        request,
        "deciding/meeting_list.html",
        {
            "partnership": partnership,
            "page_obj": paginate(request, meetings_for(partnership)),
            "is_coordinator": is_coordinator(user, partnership),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, slug: str) -> HttpResponse:
    user = user_of(request)
    partnership = access_partnership(user=user, slug=slug, action="manage")
    form = MeetingForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            meeting = create_meeting(
                actor=user,
                partnership=partnership,
                title=form.cleaned_data["title"],
                starts_at=form.starts_at(),
                location=form.cleaned_data["location"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"“{meeting.title}” has been added. Now set its agenda.")
            return redirect("deciding:meeting_agenda", slug=partnership.slug, pk=meeting.pk)
    return render(request, "deciding/meeting_form.html", {"partnership": partnership, "form": form, "meeting": None})


@login_required
def meeting_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user = user_of(request)
    partnership, meeting = _meeting(request, slug, pk)
    coordinator = is_coordinator(user, partnership)
    return render(
        request,
        "deciding/meeting_detail.html",
        {
            "partnership": partnership,
            "meeting": meeting,
            "is_coordinator": coordinator,
            "can_contribute": has_begun(meeting) and (coordinator or attended(user, meeting)),
            "has_begun": has_begun(meeting),
            **meeting_page(meeting),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership, meeting = _meeting(request, slug, pk, "manage")
    form = MeetingForm(posted(request), initial=MeetingForm.initial_for(meeting))
    if request.method == "POST" and form.is_valid():
        try:
            update_meeting(
                actor=user_of(request),
                meeting=meeting,
                title=form.cleaned_data["title"],
                starts_at=form.starts_at(),
                location=form.cleaned_data["location"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "The meeting's details have been saved.")
            return _to_meeting(meeting)
    return render(request, "deciding/meeting_form.html", {"partnership": partnership, "form": form, "meeting": meeting})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_agenda(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership, meeting = _meeting(request, slug, pk, "manage")
    form = AgendaItemForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            item = add_agenda_item(
                actor=user_of(request),
                meeting=meeting,
                title=form.cleaned_data["title"],
                details=form.cleaned_data["details"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"“{item.title}” has been added to the agenda.")
            return redirect("deciding:meeting_agenda", slug=partnership.slug, pk=meeting.pk)
    return render(
        request,
        "deciding/meeting_agenda.html",
        {"partnership": partnership, "meeting": meeting, "form": form, "agenda": list(meeting.agenda_items.all())},
    )


@login_required
@require_POST
def agenda_item_move(request: HttpRequest, slug: str, pk: int, item_pk: int) -> HttpResponse:
    partnership, meeting = _meeting(request, slug, pk, "manage")
    item = access_agenda_item(meeting=meeting, pk=item_pk)
    try:
        move_agenda_item(actor=user_of(request), item=item, direction=request.POST.get("direction", ""))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    response = redirect("deciding:meeting_agenda", slug=partnership.slug, pk=meeting.pk)
    response["Location"] += f"#item-{item.pk}"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def agenda_item_remove(request: HttpRequest, slug: str, pk: int, item_pk: int) -> HttpResponse:
    partnership, meeting = _meeting(request, slug, pk, "manage")
    item = access_agenda_item(meeting=meeting, pk=item_pk)
    if request.method == "POST":
        remove_agenda_item(actor=user_of(request), item=item)
        messages.success(request, f"“{item.title}” has been taken off the agenda.")
        return redirect("deciding:meeting_agenda", slug=partnership.slug, pk=meeting.pk)
    return render(
        request,
        "deciding/meeting_agenda_remove.html",
        {"partnership": partnership, "meeting": meeting, "item": item, "form": ConfirmForm()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_paper_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership, meeting = _meeting(request, slug, pk, "manage")
    max_bytes: int = settings.MAX_UPLOAD_BYTES
    form = PaperForm(posted(request), request.FILES or None, max_bytes=max_bytes)
    if request.method == "POST" and form.is_valid():
        try:
            paper = add_paper(
                actor=user_of(request),
                meeting=meeting,
                title=form.cleaned_data["title"],
                uploaded_file=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"“{paper.title}” has been added to the papers.")
            return _to_meeting(meeting, "papers")
    return render(
        request, "deciding/meeting_paper_form.html", {"partnership": partnership, "meeting": meeting, "form": form}
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def meeting_paper_download(request: HttpRequest, slug: str, pk: int, paper_pk: int) -> FileResponse:
    _, meeting = _meeting(request, slug, pk)
    paper = access_meeting_paper(meeting=meeting, pk=paper_pk)
    try:
        handle = paper.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is no longer stored.") from exc
    response = FileResponse(handle, as_attachment=True, filename=paper.original_name, content_type=paper.content_type)
    # As for passport documents: an uploaded file never runs as part of this site.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def meeting_paper_remove(request: HttpRequest, slug: str, pk: int, paper_pk: int) -> HttpResponse:
    partnership, meeting = _meeting(request, slug, pk, "manage")
    paper = access_meeting_paper(meeting=meeting, pk=paper_pk)
    if request.method == "POST":
        remove_paper(actor=user_of(request), paper=paper)
        messages.success(request, f"“{paper.title}” has been removed.")
        return _to_meeting(meeting, "papers")
    return render(
        request,
        "deciding/meeting_paper_remove.html",
        {
            "partnership": partnership,
            "meeting": meeting,
            "paper": paper,
            "type_label": LABELS_BY_CONTENT_TYPE.get(paper.content_type, ""),
            "form": ConfirmForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_attendance(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership, meeting = _meeting(request, slug, pk, "manage")
    form = AttendanceForm(
        posted(request), attendees=eligible_attendees(partnership), attendances=attendances_of(meeting)
    )
    if request.method == "POST" and form.is_valid():
        try:
            recorded = record_attendance(actor=user_of(request), meeting=meeting, user_ids=form.cleaned_data["people"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request, f"Attendance saved: {len(recorded)} {'person' if len(recorded) == 1 else 'people'} came."
            )
            return _to_meeting(meeting, "attendance")
    return render(
        request,
        "deciding/meeting_attendance.html",
        {"partnership": partnership, "meeting": meeting, "form": form, "has_begun": has_begun(meeting)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_minutes(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership, meeting = _meeting(request, slug, pk, "manage")
    form = MinutesForm(posted(request), initial={"minutes": meeting.minutes})
    if request.method == "POST" and form.is_valid():
        try:
            record_minutes(actor=user_of(request), meeting=meeting, minutes=form.cleaned_data["minutes"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "The minutes have been saved.")
            return _to_meeting(meeting, "minutes")
    return render(
        request,
        "deciding/meeting_minutes.html",
        {"partnership": partnership, "meeting": meeting, "form": form, "has_begun": has_begun(meeting)},
    )
