"""Writes for the policy watch: adding a policy, changing it, and reviewing where it sits on
the hype cycle. Every change of stage, and every review that keeps it, is a dated PolicyReview,
so the policy page shows its history and the monthly horizon scan knows what has moved.

Who may call these is the caller's concern: views check `permissions.ensure_coordinator` or
load the policy with `access_policy(action="manage")`.
"""

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from cocommission.accounts.models import User
from cocommission.commissioning.models import Opportunity
from cocommission.core import audit
from cocommission.core.models import AuditEvent
from cocommission.partnerships.models import Partnership

from ..models import Policy, PolicyReview, Priority, Stage

NAME_MAX = 200
TEXT_MAX = 5000
_is_web_address = URLValidator(schemes=["http", "https"])


def clean_links(text: str) -> str:
    """Web addresses, one a line, blanks dropped. Raises ValidationError keyed on `links`
    naming the first line that is not a web address."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for number, line in enumerate(lines, start=1):
        try:
            _is_web_address(line)
        except ValidationError as exc:
            message = f"Enter each link as a full web address starting with https://, one a line (link {number} is not)"
            raise ValidationError({"links": message}) from exc
    return "\n".join(lines)


def _user(actor: User | None) -> User | None:
    return actor if actor is not None and actor.is_authenticated else None


def _check_details(
    *,
    partnership: Partnership,
    name: str,
    owner: str,
    summary: str,
    stage: str,
    priorities: Sequence[Priority],
    opportunities: Sequence[Opportunity],
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Enter the name of the policy"
    elif len(name) > NAME_MAX:
        errors["name"] = f"Name must be {NAME_MAX} characters or fewer"
    if not owner:
        errors["owner"] = "Enter who owns the policy"
    elif len(owner) > NAME_MAX:
        errors["owner"] = f"Owner must be {NAME_MAX} characters or fewer"
    if not summary:
        errors["summary"] = "Enter a summary of the policy"
    elif len(summary) > TEXT_MAX:
        errors["summary"] = f"Summary must be {TEXT_MAX:,} characters or fewer"
    if stage not in Stage.values:
        errors["stage"] = "Select where the policy sits on the hype cycle"
    if any(p.partnership_id != partnership.pk for p in priorities):
        errors["priorities"] = "Select priorities of this partnership"
    if any(o.partnership_id != partnership.pk for o in opportunities):
        errors["opportunities"] = "Select opportunities of this partnership"
    return errors


@transaction.atomic
def create_policy(
    *,
    actor: User | None,
    partnership: Partnership,
    name: str,
    owner: str,
    summary: str,
    links: str = "",
    stage: str,
    priorities: Sequence[Priority] = (),
    opportunities: Sequence[Opportunity] = (),
    on: datetime.date | None = None,
) -> Policy:
    """Add a policy to the watch. Its first history entry records the stage it came in at, on
    `on` (default today)."""
    name, owner, summary = name.strip(), owner.strip(), summary.strip()
    today = timezone.localdate()
    on = on or today
    errors = _check_details(
        partnership=partnership,
        name=name,
        owner=owner,
        summary=summary,
        stage=stage,
        priorities=priorities,
        opportunities=opportunities,
    )
    try:
        links = clean_links(links)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if on > today:
        errors["on"] = "The date must be today or in the past"
    if errors:
        raise ValidationError(errors)
    policy = Policy.objects.create(
        partnership=partnership,
        name=name,
        owner=owner,
        summary=summary,
        links=links,
        stage=stage,
        last_reviewed_on=on,
        created_by=_user(actor),
    )
    policy.priorities.set(priorities)
    policy.opportunities.set(opportunities)
    PolicyReview.objects.create(
        policy=policy, stage=stage, reviewed_on=on, note="Added to the policy watch.", reviewed_by=_user(actor)
    )
    audit.record_create(actor=actor, instance=policy, partnership_id=partnership.pk)
    return policy


def _lock(policy: Policy) -> Policy:
    return Policy.objects.select_for_update().get(pk=policy.pk)


@transaction.atomic
def update_policy(
    *,
    actor: User | None,
    policy: Policy,
    name: str,
    owner: str,
    summary: str,
    links: str = "",
    stage: str,
    priorities: Sequence[Priority] = (),
    opportunities: Sequence[Opportunity] = (),
) -> Policy:
    """Change a policy's details. A change of stage here is recorded in its history too."""
    policy = _lock(policy)
    name, owner, summary = name.strip(), owner.strip(), summary.strip()
    errors = _check_details(
        partnership=policy.partnership,
        name=name,
        owner=owner,
        summary=summary,
        stage=stage,
        priorities=priorities,
        opportunities=opportunities,
    )
    try:
        links = clean_links(links)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    fields = ["name", "owner", "summary", "links", "stage", "last_reviewed_on"]
    before = audit.snapshot(policy, fields)
    before["priorities"] = sorted(policy.priorities.values_list("pk", flat=True))
    before["opportunities"] = sorted(policy.opportunities.values_list("pk", flat=True))
    previous_stage = policy.stage
    policy.name, policy.owner, policy.summary, policy.links = name, owner, summary, links
    if stage != previous_stage:
        today = timezone.localdate()
        policy.stage = stage
        policy.last_reviewed_on = max(policy.last_reviewed_on, today)
        PolicyReview.objects.create(
            policy=policy,
            stage=stage,
            previous_stage=previous_stage,
            reviewed_on=today,
            note="Stage changed when the policy's details were changed.",
            reviewed_by=_user(actor),
        )
    policy.save()
    policy.priorities.set(priorities)
    policy.opportunities.set(opportunities)
    after = audit.snapshot(policy, fields)
    after["priorities"] = sorted(p.pk for p in priorities)
    after["opportunities"] = sorted(o.pk for o in opportunities)
    changes = audit.diff(before, after)
    if changes:
        audit.record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=policy,
            changes=changes,
            partnership_id=policy.partnership_id,
        )
    return policy


@transaction.atomic
def review_policy(
    *,
    actor: User | None,
    policy: Policy,
    stage: str,
    note: str,
    reviewed_on: datetime.date | None = None,
) -> PolicyReview:
    """Record a review: the stage changed, or was confirmed, with a note. The policy's
    last-reviewed date moves to the review's date (default today) unless it is already later."""
    policy = _lock(policy)
    note = note.strip()
    today = timezone.localdate()
    reviewed_on = reviewed_on or today
    errors: dict[str, str] = {}
    if stage not in Stage.values:
        errors["stage"] = "Select where the policy sits on the hype cycle now"
    if not note:
        errors["note"] = "Enter a note: what has changed, or why the stage stays the same"
    elif len(note) > TEXT_MAX:
        errors["note"] = f"The note must be {TEXT_MAX:,} characters or fewer"
    if reviewed_on > today:
        errors["reviewed_on"] = "The review date must be today or in the past"
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(policy, ["stage", "last_reviewed_on"])
    review = PolicyReview.objects.create(
        policy=policy,
        stage=stage,
        previous_stage=policy.stage,
        reviewed_on=reviewed_on,
        note=note,
        reviewed_by=_user(actor),
    )
    if reviewed_on >= policy.last_reviewed_on:
        # A review dated before the latest one adds to the history without rewinding the policy.
        policy.stage = stage
        policy.last_reviewed_on = reviewed_on
        policy.save(update_fields=["stage", "last_reviewed_on", "updated_at"])
    audit.record_create(actor=actor, instance=review, partnership_id=policy.partnership_id)
    audit.record_update(actor=actor, instance=policy, before=before, partnership_id=policy.partnership_id)
    return review
