"""The monthly horizon scan: for each partnership, one "Horizon scan" item on the agenda of its
next meeting, listing the policies whose stage changed since the last scan (or in the last
month, for the first) and those nobody has reviewed for 60 days.

The item is added once a month: the partnership's scans are checked first, and the database's
unique constraint on (meeting, scan month) holds against two runs at once. A partnership with
no meeting coming up is skipped, and gets its scan when the next month's run finds one.
"""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from cocommission.core import audit
from cocommission.needs.models import Policy, PolicyReview
from cocommission.needs.selectors.policies import REVIEW_AFTER_DAYS, STAGE_ORDER
from cocommission.partnerships.models import Partnership

from ..models import AgendaItem, Meeting

Kind = AgendaItem.Kind


@dataclass(frozen=True)
class ScanLine:
    policy: Policy
    why: str


def _day(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _previous_month(day: datetime.date) -> datetime.date:
    """The same day a month earlier (the last day of that month when it is shorter)."""
    first = month_of(day)
    last_of_previous = first - datetime.timedelta(days=1)
    return last_of_previous.replace(day=min(day.day, last_of_previous.day))


def next_meeting(partnership: Partnership, now: datetime.datetime) -> Meeting | None:
    """The partnership's first meeting starting after `now`."""
    return Meeting.objects.filter(partnership=partnership, starts_at__gt=now).order_by("starts_at", "id").first()


def scan_lines(partnership: Partnership, *, today: datetime.date) -> list[ScanLine]:
    """The policies to talk about: moved since the last scan, or not reviewed for 60 days."""
    last_scan = (
        AgendaItem.objects.filter(
            meeting__partnership=partnership, kind=Kind.HORIZON_SCAN, scan_month__lt=month_of(today)
        )
        .aggregate(latest=Max("scan_month"))
        .get("latest")
    )
    since = last_scan or _previous_month(today)
    moved = {
        review.policy_id: review
        for review in PolicyReview.objects.filter(policy__partnership=partnership, reviewed_on__gte=since)
        .exclude(previous_stage="")
        .order_by("reviewed_on", "id")
        if review.previous_stage != review.stage
    }
    added = set(
        PolicyReview.objects.filter(
            policy__partnership=partnership, reviewed_on__gte=since, previous_stage=""
        ).values_list("policy_id", flat=True)
    )
    stale_before = today - datetime.timedelta(days=REVIEW_AFTER_DAYS)
    order = {stage.value: n for n, stage in enumerate(STAGE_ORDER)}
    lines = []
    for policy in sorted(Policy.objects.filter(partnership=partnership), key=lambda p: (order[p.stage], p.name)):
        stage = policy.get_stage_display().lower()
        reasons = []
        if policy.pk in moved:
            review = moved[policy.pk]
            reasons.append(
                f"moved from the {review.get_previous_stage_display().lower()} to the {stage} "
                f"on {_day(review.reviewed_on)}"
            )
        elif policy.pk in added:
            reasons.append(f"new on the watch, at the {stage}")
        if policy.last_reviewed_on <= stale_before:
            reasons.append(f"at the {stage}, not reviewed since {_day(policy.last_reviewed_on)}")
        if reasons:
            lines.append(ScanLine(policy, "; ".join(reasons)))
    return lines


def scan_details(lines: list[ScanLine]) -> str:
    if not lines:
        return (
            "No policy has moved on the hype cycle since the last scan, and every policy has been reviewed "
            f"in the last {REVIEW_AFTER_DAYS} days. Is there anything new to add to the policy watch?"
        )
    listed = "\n".join(f"- {line.policy.name} ({line.policy.owner}): {line.why}" for line in lines)
    return f"Where each policy sits on the hype cycle, and what to do about it.\n{listed}"


def add_horizon_scan(*, partnership: Partnership, today: datetime.date, now: datetime.datetime) -> AgendaItem | None:
    """Add this month's horizon scan to the partnership's next meeting; None when it already has
    one this month, or has no meeting coming up."""
    month = month_of(today)
    if AgendaItem.objects.filter(meeting__partnership=partnership, kind=Kind.HORIZON_SCAN, scan_month=month).exists():
        return None
    meeting = next_meeting(partnership, now)
    if meeting is None:
        return None
    try:
        with transaction.atomic():
            # Lock the meeting so positions on its agenda are handed out one at a time.
            Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
            last = meeting.agenda_items.aggregate(last=Max("position"))["last"] or 0
            item = AgendaItem.objects.create(
                meeting=meeting,
                position=last + 1,
                title=f"Horizon scan for {month:%B %Y}",
                details=scan_details(scan_lines(partnership, today=today)),
                kind=Kind.HORIZON_SCAN,
                scan_month=month,
            )
            audit.record_create(actor=None, instance=item, partnership_id=partnership.pk)
    except IntegrityError:
        return None  # another run added it a moment ago
    return item


def run_horizon_scans(*, today: datetime.date | None = None, now: datetime.datetime | None = None) -> list[AgendaItem]:
    """Add this month's horizon scan for every partnership that needs one. With a `today` other
    than the real one (for checks), "now" is the start of that day."""
    real_today = timezone.localdate()
    today = today or real_today
    if now is None:
        now = (
            timezone.now()
            if today == real_today
            else timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
        )
    added = []
    for partnership in Partnership.objects.order_by("pk"):
        item = add_horizon_scan(partnership=partnership, today=today, now=now)
        if item is not None:
            added.append(item)
    return added
