"""Reads for "before you meet": the shared history of two organisations, so nobody meets a
partner as if for the first time. Each part is one query, capped, newest first."""

from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from cocommission.agreements.models import Agreement
from cocommission.commissioning.models import Application
from cocommission.organisations.models import Interaction, Organisation

from ..models import Attendance, Contribution, DecisionMoment, Meeting, Response
from .meetings import HANGING_AFTER

SHOWN = 20  # of each kind of history; the timeline page has the whole story


@dataclass
class Part:
    """Up to SHOWN items, and whether there were more."""

    items: list[Any]
    more: bool


def _capped(queryset: QuerySet[Any]) -> Part:
    rows = list(queryset[: SHOWN + 1])
    return Part(items=rows[:SHOWN], more=len(rows) > SHOWN)


def organisations_matching(query: str, *, besides: Organisation, limit: int = 20) -> list[Organisation]:
    """Organisations whose name contains the words searched for (up to `limit`), never
    `besides` itself."""
    words = query.split()
    if not words:
        return []
    matches = Organisation.objects.exclude(pk=besides.pk)
    for word in words[:6]:
        matches = matches.filter(name__icontains=word)
    return list(matches.order_by("name")[:limit])


def _both_attended(first: Organisation, second: Organisation) -> Q:
    return Q(pk__in=Attendance.objects.filter(organisation=first).values("meeting_id")) & Q(
        pk__in=Attendance.objects.filter(organisation=second).values("meeting_id")
    )


def shared_history(first: Organisation, second: Organisation) -> dict[str, Any]:
    """What two organisations share: timeline entries between them, meetings both attended,
    closed decision moments both responded to (open ones stay private until they close),
    applications one made to the other's opportunities, agreements between them, and the
    questions either raised at a meeting the other attended that nobody has followed yet
    (never those put to the room, whose asker only the coordinator may know)."""
    low, high = sorted((first, second), key=lambda o: o.pk)
    timeline = Interaction.objects.filter(organisation_a=low, organisation_b=high).select_related(
        "partnership", "created_by", "organisation_a", "organisation_b"
    )
    meetings = (
        Meeting.objects.filter(_both_attended(first, second))
        .select_related("partnership")
        .order_by("-starts_at", "-id")
    )
    moments = (
        DecisionMoment.objects.filter(
            status=DecisionMoment.Status.CLOSED,
            pk__in=Response.objects.filter(organisation=first).values("moment_id"),
        )
        .filter(pk__in=Response.objects.filter(organisation=second).values("moment_id"))
        .select_related("partnership", "chosen_option")
        .order_by("-closed_at", "-id")
    )
    applications = (
        Application.objects.filter(
            Q(organisation=first, opportunity__funder=second) | Q(organisation=second, opportunity__funder=first)
        )
        # Only those the funder has received: a draft, or one withdrawn unsent, is the applicant's own.
        .filter(submitted_at__isnull=False)
        .select_related("opportunity__funder", "organisation", "consortium")
        .order_by("-submitted_at", "-id")
    )
    agreements = (
        Agreement.objects.filter(Q(funder=first, provider=second) | Q(funder=second, provider=first))
        .select_related("funder", "provider")
        .order_by(F("start_date").desc(nulls_last=True), "-id")
    )
    raised_by_one_where_other_was = Q(
        organisation=first, meeting_id__in=Attendance.objects.filter(organisation=second).values("meeting_id")
    ) | Q(organisation=second, meeting_id__in=Attendance.objects.filter(organisation=first).values("meeting_id"))
    questions = (
        Contribution.objects.filter(kind=Contribution.Kind.QUESTION, to_the_room=False, followed_by__isnull=True)
        .filter(raised_by_one_where_other_was)
        .select_related("meeting__partnership", "by", "organisation")
        .order_by("meeting__starts_at", "created_at", "id")
    )
    open_questions = _capped(questions)
    cutoff = timezone.now() - HANGING_AFTER
    for question in open_questions.items:
        question.hanging = question.meeting.starts_at <= cutoff
    return {
        "timeline": _capped(timeline),
        "meetings": _capped(meetings),
        "moments": _capped(moments),
        "applications": _capped(applications),
        "agreements": _capped(agreements),
        "open_questions": open_questions,
    }
