"""Writes for contributions: the questions, points and follows people bring to a meeting.

A follow honours an earlier question by picking it up and saying how it builds on it; a
question nobody follows is left hanging (see selectors.meetings.hanging_questions)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cocommission.accounts.models import User
from cocommission.core import audit

from ..models import Attendance, Contribution, Meeting, Voice
from ..permissions import is_coordinator, voice_of

TEXT_MAX = 5_000
FOLLOW_NEEDS_A_QUESTION = "Choose the question this follows"
NOT_THIS_PARTNERSHIP = "Choose a question from this partnership's meetings"
NOT_A_QUESTION = "A follow picks up a question: choose a question, not a point or a follow"
NOT_EARLIER = "Choose a question from this meeting or an earlier one"
ONLY_QUESTIONS_TO_THE_ROOM = "Only a question can be put to the room"
NOT_YET = "You can add questions, points and follows from the day of the meeting"
NOT_ATTENDED = "Only people who attended the meeting, or its coordinator, can add contributions"


def _followed_question(*, meeting: Meeting, follows_id: int | None) -> Contribution:
    if follows_id is None:
        raise ValidationError({"follows": FOLLOW_NEEDS_A_QUESTION})
    question = Contribution.objects.select_related("meeting").filter(pk=follows_id).first()
    if question is None or question.meeting.partnership_id != meeting.partnership_id:
        raise ValidationError({"follows": NOT_THIS_PARTNERSHIP})
    if question.kind != Contribution.Kind.QUESTION:
        raise ValidationError({"follows": NOT_A_QUESTION})
    if question.meeting.starts_at > meeting.starts_at:
        raise ValidationError({"follows": NOT_EARLIER})
    return question


@transaction.atomic
def add_contribution(
    *,
    actor: User,
    meeting: Meeting,
    kind: str,
    text: str,
    to_the_room: bool = False,
    follows_id: int | None = None,
    speaker: User | None = None,
) -> Contribution:
    """Record a question, a point or a follow at this meeting.

    The speaker is the actor, or (for a coordinator taking notes) someone who attended. They
    must have attended, unless they coordinate the partnership. Their voice and organisation
    are those they attended for. A follow names an earlier question of this partnership, from
    this meeting or an earlier one. Raises ValidationError keyed on the form's fields (kind,
    text, to_the_room, follows, speaker).
    """
    if kind not in Contribution.Kind.values:
        raise ValidationError({"kind": "Choose whether this is a question, a point or a follow"})
    text = (text or "").strip()
    if not text:
        what = {"question": "the question", "point": "the point"}.get(kind, "how it builds on the question")
        raise ValidationError({"text": f"Enter {what}"})
    if len(text) > TEXT_MAX:
        raise ValidationError({"text": f"The text must be {TEXT_MAX:,} characters or fewer"})
    if to_the_room and kind != Contribution.Kind.QUESTION:
        raise ValidationError({"to_the_room": ONLY_QUESTIONS_TO_THE_ROOM})
    if timezone.localtime(meeting.starts_at).date() > timezone.localdate():
        raise ValidationError(NOT_YET)
    coordinator = is_coordinator(actor, meeting.partnership)
    if speaker is not None and speaker.pk != actor.pk and not coordinator:
        raise ValidationError({"speaker": "Only the coordinator can record what someone else said"})
    speaker = speaker or actor
    attendance = Attendance.objects.select_related("organisation").filter(meeting=meeting, user=speaker).first()
    if attendance is None and not (speaker.pk == actor.pk and coordinator):
        raise ValidationError({"speaker": NOT_ATTENDED} if speaker.pk != actor.pk else NOT_ATTENDED)
    follows = None
    if kind == Contribution.Kind.FOLLOW:
        follows = _followed_question(meeting=meeting, follows_id=follows_id)
    elif follows_id is not None:
        raise ValidationError(
            {"follows": "Choose ‘A follow’ to pick up an earlier question, or leave the question it follows empty"}
        )

    if attendance is not None:
        voice, organisation = attendance.voice, attendance.organisation
    else:
        of = voice_of(speaker, meeting.partnership)
        voice, organisation = (of.voice, of.organisation) if of else (Voice.OTHER, None)
    contribution = Contribution.objects.create(
        meeting=meeting,
        kind=kind,
        text=text,
        by=speaker,
        organisation=organisation,
        voice=voice,
        to_the_room=to_the_room,
        follows=follows,
    )
    audit.record_create(actor=actor, instance=contribution, partnership_id=meeting.partnership_id)
    return contribution
