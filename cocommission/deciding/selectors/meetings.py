"""Reads for meetings, contributions and hanging questions, shaped for the pages so each runs a
fixed number of queries however many rows there are."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone
from django.utils.text import Truncator

from cocommission.accounts.models import User
from cocommission.organisations.models import Membership
from cocommission.partnerships.models import Partnership, PartnershipOrganisation, PartnershipPerson

from ..models import Attendance, Contribution, Meeting, Voice
from ..permissions import VoiceOf

# A question nobody has followed this long after the meeting it was asked at is left hanging.
HANGING_AFTER = datetime.timedelta(days=14)
VOICE_ORDER = [Voice.STATUTORY, Voice.VCSE, Voice.LIVED_EXPERIENCE, Voice.OTHER]


def meetings_for(partnership: Partnership) -> QuerySet[Meeting]:
    """The partnership's meetings, newest first, with how many came and contributed."""
    return (
        Meeting.objects.filter(partnership=partnership)
        .annotate(
            attendance_count=Count("attendances", distinct=True),
            contribution_count=Count("contributions", distinct=True),
        )
        .order_by("-starts_at", "-id")
    )


def contributions_of(meeting: Meeting) -> list[Contribution]:
    """The meeting's contributions in the order they were made, each with the question it
    follows and the follows it received (from any meeting)."""
    return list(
        Contribution.objects.filter(meeting=meeting)
        .select_related("by", "organisation", "follows__meeting", "follows__by")
        .prefetch_related(
            Prefetch(
                "followed_by",
                queryset=Contribution.objects.select_related("meeting").order_by("meeting__starts_at", "created_at"),
            )
        )
        .order_by("created_at", "id")
    )


@dataclass
class BalanceRow:
    voice: str
    label: str
    questions: int = 0
    points: int = 0
    follows: int = 0
    attending: int = 0
    share: int = 0  # whole per cent of all the meeting's contributions

    @property
    def total(self) -> int:
        return self.questions + self.points + self.follows


@dataclass
class Balance:
    rows: list[BalanceRow]
    totals: BalanceRow


def balance_of(contributions: list[Contribution], attendances: list[Attendance]) -> Balance:
    """The balance of contributions by voice (statutory, VCSE, lived experience, other), beside
    how many of each voice came, so a quiet voice shows."""
    rows = {voice: BalanceRow(voice=voice, label=Voice(voice).label) for voice in VOICE_ORDER}
    for contribution in contributions:
        row = rows[Voice(contribution.voice)]
        if contribution.kind == Contribution.Kind.QUESTION:
            row.questions += 1
        elif contribution.kind == Contribution.Kind.POINT:
            row.points += 1
        else:
            row.follows += 1
    for attendance in attendances:
        rows[Voice(attendance.voice)].attending += 1
    totals = BalanceRow(
        voice="",
        label="All sectors",
        questions=sum(r.questions for r in rows.values()),
        points=sum(r.points for r in rows.values()),
        follows=sum(r.follows for r in rows.values()),
        attending=len(attendances),
        share=100 if contributions else 0,
    )
    for row in rows.values():
        row.share = round(100 * row.total / totals.total) if totals.total else 0
    return Balance(rows=list(rows.values()), totals=totals)


def attendances_of(meeting: Meeting) -> list[Attendance]:
    return list(
        Attendance.objects.filter(meeting=meeting)
        .select_related("user", "organisation")
        .order_by("voice", "organisation__name", "user__full_name", "user__email")
    )


def attendance_groups(attendances: list[Attendance]) -> list[tuple[str, list[Attendance]]]:
    """Who came, by voice, in the order the balance table uses."""
    groups: dict[str, list[Attendance]] = defaultdict(list)
    for attendance in attendances:
        groups[attendance.voice].append(attendance)
    return [(Voice(v).label, groups[v]) for v in VOICE_ORDER if groups[v]]


def meeting_page(meeting: Meeting) -> dict[str, Any]:
    """Everything the meeting's page shows."""
    contributions = contributions_of(meeting)
    attendances = attendances_of(meeting)
    now = timezone.now()
    for contribution in contributions:
        contribution.hanging = (  # type: ignore[attr-defined]
            contribution.kind == Contribution.Kind.QUESTION
            and not contribution.followed_by.all()
            and meeting.starts_at <= now - HANGING_AFTER
        )
    return {
        "agenda": list(meeting.agenda_items.all()),
        "papers": list(meeting.papers.all()),
        "decisions": list(meeting.decision_moments.order_by("created_at", "id")),
        "attendances": attendances,
        "attendance_groups": attendance_groups(attendances),
        "contributions": contributions,
        "balance": balance_of(contributions, attendances),
    }


def follow_choices(meeting: Meeting) -> list[tuple[Any, Any]]:
    """Questions this meeting's follows may pick up, grouped by meeting (newest first): this
    partnership's questions from this meeting or an earlier one."""
    questions = (
        Contribution.objects.filter(
            meeting__partnership_id=meeting.partnership_id,
            meeting__starts_at__lte=meeting.starts_at,
            kind=Contribution.Kind.QUESTION,
        )
        .select_related("meeting")
        .order_by("-meeting__starts_at", "-meeting_id", "created_at", "id")
    )
    groups: dict[int, tuple[str, list[tuple[int, str]]]] = {}
    for question in questions:
        label = f"{question.meeting.title}, {timezone.localtime(question.meeting.starts_at):%d %B %Y}"
        groups.setdefault(question.meeting_id, (label, []))[1].append((question.pk, Truncator(question.text).chars(90)))
    return [("", "Choose a question"), *groups.values()]


def hanging_questions(partnership: Partnership, *, now: datetime.datetime | None = None) -> QuerySet[Contribution]:
    """Questions nobody has followed 14 days after the meeting they were asked at, oldest first."""
    cutoff = (now or timezone.now()) - HANGING_AFTER
    return (
        Contribution.objects.filter(
            meeting__partnership=partnership,
            kind=Contribution.Kind.QUESTION,
            meeting__starts_at__lte=cutoff,
            followed_by__isnull=True,
        )
        .select_related("meeting", "by", "organisation")
        .order_by("meeting__starts_at", "created_at", "id")
    )


def question_thread(contribution: Contribution) -> dict[str, Any]:
    """The question a contribution belongs to (itself, or the one it follows; None for a point)
    with the follows it received across meetings, oldest first."""
    if contribution.kind == Contribution.Kind.FOLLOW:
        question = contribution.follows
    else:
        question = contribution if contribution.kind == Contribution.Kind.QUESTION else None
    if question is None:
        return {"question": None, "follows": [], "hanging": False}
    follows = list(
        Contribution.objects.filter(follows=question)
        .select_related("meeting", "by", "organisation")
        .order_by("meeting__starts_at", "created_at", "id")
    )
    hanging = not follows and question.meeting.starts_at <= timezone.now() - HANGING_AFTER
    return {"question": question, "follows": follows, "hanging": hanging}


def meetings_to_follow_up(question: Contribution, *, user: User, coordinator: bool, limit: int = 5) -> list[Meeting]:
    """Meetings at which this person may follow the question up: this meeting or a later one,
    held by now, that they attended (any of them, for the coordinator), newest first."""
    today_ends = timezone.localtime().replace(hour=23, minute=59, second=59, microsecond=999999)
    meetings = Meeting.objects.filter(
        partnership_id=question.meeting.partnership_id,
        starts_at__gte=question.meeting.starts_at,
        starts_at__lte=today_ends,
    )
    if not coordinator:
        meetings = meetings.filter(attendances__user=user)
    return list(meetings.order_by("-starts_at", "-id")[:limit])


def eligible_attendees(partnership: Partnership) -> list[tuple[User, VoiceOf]]:
    """Everyone who may attend, with the voice they would bring: the partnership's people and
    the members of its member organisations. The same answer as `permissions.voice_of`, for
    everyone at once (a fixed number of queries)."""
    seats = {
        seat.organisation_id: seat
        for seat in PartnershipOrganisation.objects.filter(partnership=partnership).select_related("organisation")
    }
    people = {p.user_id: p for p in PartnershipPerson.objects.filter(partnership=partnership).select_related("user")}
    users: dict[int, User] = {p.user_id: p.user for p in people.values()}
    seats_of: dict[int, list[PartnershipOrganisation]] = defaultdict(list)
    for membership in Membership.objects.filter(organisation_id__in=seats.keys()).select_related("user"):
        users.setdefault(membership.user_id, membership.user)
        seats_of[membership.user_id].append(seats[membership.organisation_id])
    result: list[tuple[User, VoiceOf]] = []
    for user_id, user in users.items():
        person = people.get(user_id)
        lived = bool(person and person.lived_experience)
        if person is not None and person.organisation_id is None:
            result.append((user, VoiceOf(Voice.LIVED_EXPERIENCE if lived else Voice.OTHER, None, lived)))
            continue
        if person is not None:
            candidates = [seats[person.organisation_id]] if person.organisation_id in seats else []
        else:
            candidates = seats_of[user_id]
        if not candidates:
            continue
        seat = min(candidates, key=lambda s: s.organisation.name)
        result.append((user, VoiceOf(seat.sector, seat.organisation, lived)))
    order = {voice.value: i for i, voice in enumerate(VOICE_ORDER)}

    def sort_key(entry: tuple[User, VoiceOf]) -> tuple[int, str, str]:
        user, voice = entry
        return (order.get(voice.voice, 9), voice.organisation.name if voice.organisation else "", str(user).lower())

    return sorted(result, key=sort_key)
