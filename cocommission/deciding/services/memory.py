"""Relationship memory: partnership meetings remembered on the relationship timeline between
the organisations that came, so the next conversation starts where the last one ended."""

from django.db import transaction
from django.utils import timezone

from cocommission.accounts.models import User
from cocommission.organisations.models import Interaction, Organisation
from cocommission.organisations.services.timeline import record_interaction

from ..models import Attendance, Meeting, Voice


def meeting_summary(meeting: Meeting) -> str:
    """The timeline entry's words for a meeting (also how an entry is recognised later)."""
    day = timezone.localtime(meeting.starts_at).date()
    return f"Both attended the {meeting.partnership.name} meeting “{meeting.title}” on {day.day} {day:%B %Y}."


def meeting_pairs(attendances: list[Attendance]) -> list[tuple[Organisation, Organisation]]:
    """Each attending statutory organisation with each other attending organisation, once per
    pair (lower id first). People who came for no organisation are not on the timeline."""
    organisations = {a.organisation_id: a.organisation for a in attendances if a.organisation is not None}
    statutory = {a.organisation_id for a in attendances if a.organisation_id and a.voice == Voice.STATUTORY}
    pairs: dict[tuple[int, int], tuple[Organisation, Organisation]] = {}
    for first_id in sorted(statutory):
        for second_id, second in organisations.items():
            if second_id == first_id:
                continue
            low, high = sorted((organisations[first_id], second), key=lambda o: o.pk)
            pairs[(low.pk, high.pk)] = (low, high)
    return [pairs[key] for key in sorted(pairs)]


@transaction.atomic
def record_meeting_timeline(*, actor: User | None, meeting: Meeting) -> int:
    """Add one "partnership meeting" entry for each pair that came and has none for this
    meeting yet; returns how many were added. A meeting whose day has not come adds nothing."""
    day = timezone.localtime(meeting.starts_at).date()
    if day > timezone.localdate():
        return 0
    attendances = list(Attendance.objects.filter(meeting=meeting).select_related("organisation"))
    summary = meeting_summary(meeting)
    already = set(
        Interaction.objects.filter(
            kind=Interaction.Kind.PARTNERSHIP_MEETING,
            partnership_id=meeting.partnership_id,
            occurred_on=day,
            summary=summary,
        ).values_list("organisation_a_id", "organisation_b_id")
    )
    added = 0
    for first, second in meeting_pairs(attendances):
        if (first.pk, second.pk) in already:
            continue
        record_interaction(
            actor=actor,
            organisation=first,
            other=second,
            kind=Interaction.Kind.PARTNERSHIP_MEETING,
            occurred_on=day,
            summary=summary,
            partnership=meeting.partnership,
        )
        added += 1
    return added
