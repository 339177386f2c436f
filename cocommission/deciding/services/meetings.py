"""Writes for partnership meetings: the meeting itself, its agenda, papers, who came and the
minutes. Coordinators run meetings; who may call each function is the view's concern (see
`deciding.permissions.access_meeting(action="manage")`)."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cocommission.accounts.models import User
from cocommission.core import audit
from cocommission.organisations.uploads import check_upload, safe_filename
from cocommission.partnerships.models import Partnership

from ..models import AgendaItem, Attendance, Meeting, MeetingPaper
from ..permissions import voice_of
from .memory import record_meeting_timeline

TITLE_MAX = 200
TEXT_MAX = 20_000
NOT_YET_MESSAGE = {
    "people": "You can record who came from the day of the meeting",
    "minutes": "You can add the minutes from the day of the meeting",
}


def _lock(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _scope(meeting: Meeting) -> dict[str, Any]:
    return {"partnership_id": meeting.partnership_id}


def _clean_title(title: str, *, what: str) -> str:
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": f"Enter {what}"})
    if len(title) > TITLE_MAX:
        raise ValidationError({"title": f"The title must be {TITLE_MAX} characters or fewer"})
    return title


def _check_details(*, title: str, starts_at: datetime.datetime | None, location: str) -> tuple[str, str]:
    title = _clean_title(title, what="the meeting's title")
    if starts_at is None:
        raise ValidationError({"date": "Enter the date of the meeting"})
    location = (location or "").strip()
    if len(location) > TITLE_MAX:
        raise ValidationError({"location": f"Where must be {TITLE_MAX} characters or fewer"})
    return title, location


def has_begun(meeting: Meeting, *, today: datetime.date | None = None) -> bool:
    """Whether the meeting's day has come: who came and the minutes are recorded from then."""
    return timezone.localtime(meeting.starts_at).date() <= (today or timezone.localdate())


@transaction.atomic
def create_meeting(
    *, actor: User, partnership: Partnership, title: str, starts_at: datetime.datetime | None, location: str
) -> Meeting:
    """Add a meeting to the partnership's calendar. Raises ValidationError keyed on the form's
    fields (title, date, location)."""
    title, location = _check_details(title=title, starts_at=starts_at, location=location)
    assert starts_at is not None
    meeting = Meeting.objects.create(
        partnership=partnership, title=title, starts_at=starts_at, location=location, created_by=actor
    )
    audit.record_create(actor=actor, instance=meeting, **_scope(meeting))
    return meeting


@transaction.atomic
def update_meeting(
    *, actor: User, meeting: Meeting, title: str, starts_at: datetime.datetime | None, location: str
) -> Meeting:
    """Change the meeting's title, date and time, or place."""
    title, location = _check_details(title=title, starts_at=starts_at, location=location)
    locked = _lock(meeting)
    before = audit.snapshot(locked, ["title", "starts_at", "location"])
    locked.title, locked.location = title, location
    assert starts_at is not None
    locked.starts_at = starts_at
    locked.save(update_fields=["title", "starts_at", "location", "updated_at"])
    audit.record_update(actor=actor, instance=locked, before=before, **_scope(locked))
    return locked


# Agenda -------------------------------------------------------------------------------------


def _renumber(meeting: Meeting, items: list[AgendaItem]) -> None:
    """Number the items 1, 2, 3… in the order given, saving only those that moved."""
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


@transaction.atomic
def add_agenda_item(*, actor: User, meeting: Meeting, title: str, details: str = "") -> AgendaItem:
    """Add an item at the end of the agenda."""
    title = _clean_title(title, what="the item's title")
    details = (details or "").strip()
    if len(details) > TEXT_MAX:
        raise ValidationError({"details": f"Details must be {TEXT_MAX:,} characters or fewer"})
    # The meeting's row lock keeps two additions from taking the same position.
    _lock(meeting)
    last = AgendaItem.objects.filter(meeting=meeting).aggregate(last=Max("position"))["last"] or 0
    item = AgendaItem.objects.create(meeting=meeting, position=last + 1, title=title, details=details)
    audit.record_create(actor=actor, instance=item, **_scope(meeting))
    return item


@transaction.atomic
def move_agenda_item(*, actor: User, item: AgendaItem, direction: str) -> AgendaItem:
    """Move an item one place up or down the agenda. At the top (or bottom) it stays put."""
    if direction not in ("up", "down"):
        raise ValidationError("Choose whether to move the item up or down")
    meeting = _lock(item.meeting)
    items = list(AgendaItem.objects.filter(meeting=meeting).order_by("position", "id"))
    index = next((i for i, candidate in enumerate(items) if candidate.pk == item.pk), None)
    if index is None:
        raise ValidationError("This item is no longer on the agenda")
    moving = items[index]
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(items):
        before = audit.snapshot(moving, ["position"])
        items[index], items[target] = items[target], moving
        _renumber(meeting, items)
        audit.record_update(actor=actor, instance=moving, before=before, **_scope(meeting))
    return moving


@transaction.atomic
def remove_agenda_item(*, actor: User, item: AgendaItem) -> None:
    """Take an item off the agenda; the rest close up."""
    meeting = _lock(item.meeting)
    locked = AgendaItem.objects.filter(pk=item.pk).first()
    if locked is None:
        return  # already removed, for example by a form sent twice
    audit.record_delete(actor=actor, instance=locked, **_scope(meeting))
    locked.delete()
    _renumber(meeting, list(AgendaItem.objects.filter(meeting=meeting).order_by("position", "id")))


# Papers -------------------------------------------------------------------------------------


@transaction.atomic
def add_paper(*, actor: User, meeting: Meeting, title: str, uploaded_file: UploadedFile | None) -> MeetingPaper:
    """Attach a paper. Its type is decided by its content (organisations.uploads), never its
    name; members read it through a permission-checked download."""
    title = _clean_title(title, what="the paper's title")
    detected = check_upload(uploaded_file, size=getattr(uploaded_file, "size", None))
    assert uploaded_file is not None
    paper = MeetingPaper(
        meeting=meeting,
        title=title,
        original_name=safe_filename(uploaded_file.name or "", detected),
        content_type=detected.content_type,
        size=uploaded_file.size or 0,
        uploaded_by=actor,
    )
    paper.file.save("paper", uploaded_file, save=False)
    try:
        paper.save()
        audit.record_create(actor=actor, instance=paper, **_scope(meeting))
    except BaseException:
        # The row never existed, so nothing will ever point at the stored file.
        paper.file.storage.delete(paper.file.name)
        raise
    return paper


@transaction.atomic
def remove_paper(*, actor: User, paper: MeetingPaper) -> None:
    """Remove a paper and, once that is committed, its stored file."""
    locked = MeetingPaper.objects.select_for_update().filter(pk=paper.pk).first()
    if locked is None:
        return
    name, storage = locked.file.name, locked.file.storage
    audit.record_delete(actor=actor, instance=locked, partnership_id=paper.meeting.partnership_id)
    locked.delete()
    # Only once the row is gone for good: a rolled-back removal must keep its file.
    transaction.on_commit(lambda: storage.delete(name) if name else None)


# Who came, and the minutes ------------------------------------------------------------------


@transaction.atomic
def record_attendance(*, actor: User, meeting: Meeting, user_ids: Iterable[int]) -> list[Attendance]:
    """Record who came: exactly these people (anyone no longer listed is taken off).

    Each must be one of the partnership's people or a member of a member organisation; the
    voice and organisation they came for come from `voice_of`. Adds the meeting to the
    relationship timeline of each attending statutory organisation and each other attending
    organisation. Raises ValidationError keyed on `people`.
    """
    meeting = _lock(meeting)
    if not has_begun(meeting):
        raise ValidationError({"people": NOT_YET_MESSAGE["people"]})
    wanted = set(user_ids)
    existing = {a.user_id: a for a in Attendance.objects.filter(meeting=meeting)}
    voices = {}
    for user in User.objects.filter(pk__in=wanted - existing.keys()):
        voice = voice_of(user, meeting.partnership)
        if voice is None:
            break
        voices[user] = voice
    if len(voices) != len(wanted - existing.keys()):
        raise ValidationError({"people": "Choose people from the list: only the partnership's members can attend"})
    for user_id, attendance in existing.items():
        if user_id not in wanted:
            audit.record_delete(actor=actor, instance=attendance, **_scope(meeting))
            attendance.delete()
    for user, voice in voices.items():
        attendance = Attendance.objects.create(
            meeting=meeting,
            user=user,
            organisation=voice.organisation,
            voice=voice.voice,
            lived_experience=voice.lived_experience,
        )
        audit.record_create(actor=actor, instance=attendance, **_scope(meeting))
    record_meeting_timeline(actor=actor, meeting=meeting)
    return list(Attendance.objects.filter(meeting=meeting).select_related("user", "organisation"))


@transaction.atomic
def record_minutes(*, actor: User, meeting: Meeting, minutes: str) -> Meeting:
    """Save the minutes (replacing any earlier version; the audit log keeps the old text)."""
    minutes = (minutes or "").strip()
    if len(minutes) > TEXT_MAX * 5:
        raise ValidationError({"minutes": f"The minutes must be {TEXT_MAX * 5:,} characters or fewer"})
    locked = _lock(meeting)
    if not has_begun(locked):
        raise ValidationError({"minutes": NOT_YET_MESSAGE["minutes"]})
    before = audit.snapshot(locked, ["minutes"])
    locked.minutes = minutes
    locked.save(update_fields=["minutes", "updated_at"])
    audit.record_update(actor=actor, instance=locked, before=before, **_scope(locked))
    record_meeting_timeline(actor=actor, meeting=locked)
    return locked
