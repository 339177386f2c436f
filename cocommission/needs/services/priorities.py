"""Priorities: a need the partnership states, with stories and indicators as its evidence.

Any member proposes one. Its proposer (while it is proposed) and the coordinators (until it is
retired) change its words and choose its evidence. Coordinators agree it, and retire it when it
no longer guides what the partnership commissions.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from cocommission.accounts.models import User
from cocommission.core import audit
from cocommission.core.models import AuditEvent
from cocommission.partnerships.models import Partnership

from ..models import Indicator, Priority, Story
from ..permissions import ensure_member, is_coordinator

TITLE_LENGTH = 200


def may_change(user: User, priority: Priority) -> bool:
    """Coordinators until it is retired; the person who proposed it while it is proposed."""
    if not user.is_authenticated or priority.status == Priority.Status.RETIRED:
        return False
    if is_coordinator(user, priority.partnership):
        return True
    return priority.status == Priority.Status.PROPOSED and priority.created_by_id == user.pk


def _lock(priority: Priority) -> Priority:
    return Priority.objects.select_for_update(of=("self",)).select_related("partnership").get(pk=priority.pk)


def _check_words(*, partnership: Partnership, title: str, need: str, exclude: int | None = None) -> tuple[str, str]:
    title, need = " ".join(title.split()), need.strip()
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = "Enter the priority, in a few words"
    elif len(title) > TITLE_LENGTH:
        errors["title"] = f"The priority must be {TITLE_LENGTH} characters or fewer"
    else:
        same = Priority.objects.filter(partnership=partnership, title__iexact=title).exclude(
            status=Priority.Status.RETIRED
        )
        if exclude is not None:
            same = same.exclude(pk=exclude)
        if same.exists():
            errors["title"] = f"There is already a priority called {title}"
    if not need:
        errors["need"] = "Describe the need: who, what and where"
    if errors:
        raise ValidationError(errors)
    return title, need


@transaction.atomic
def propose_priority(*, actor: User, partnership: Partnership, title: str, need: str) -> Priority:
    """A member proposes a priority. It starts as proposed, with no evidence yet."""
    ensure_member(actor, partnership)
    title, need = _check_words(partnership=partnership, title=title, need=need)
    priority = Priority.objects.create(partnership=partnership, title=title, need=need, created_by=actor)
    audit.record_create(actor=actor, instance=priority, partnership_id=partnership.pk)
    return priority


@transaction.atomic
def change_priority(*, actor: User, priority: Priority, title: str, need: str) -> Priority:
    locked = _lock(priority)
    if not may_change(actor, locked):
        raise PermissionDenied
    title, need = _check_words(partnership=locked.partnership, title=title, need=need, exclude=locked.pk)
    before = audit.snapshot(locked, ["title", "need"])
    locked.title, locked.need = title, need
    locked.save(update_fields=["title", "need", "updated_at"])
    audit.record_update(actor=actor, instance=locked, before=before, partnership_id=locked.partnership_id)
    return locked


@transaction.atomic
def set_evidence(
    *, actor: User, priority: Priority, stories: Iterable[Story], indicators: Iterable[Indicator]
) -> Priority:
    """Link the stories and indicators that show the need. Only the partnership's published
    stories and its own indicators can be evidence."""
    locked = _lock(priority)
    if not may_change(actor, locked):
        raise PermissionDenied
    stories, indicators = list(stories), list(indicators)
    errors: dict[str, str] = {}
    if any(s.partnership_id != locked.partnership_id or s.status != Story.Status.PUBLISHED for s in stories):
        errors["stories"] = "Choose stories this partnership has published"
    if any(i.partnership_id != locked.partnership_id for i in indicators):
        errors["indicators"] = "Choose this partnership's indicators"
    if errors:
        raise ValidationError(errors)
    before = {
        "stories": sorted(locked.stories.values_list("pk", flat=True)),
        "indicators": sorted(locked.indicators.values_list("pk", flat=True)),
    }
    after = {"stories": sorted(s.pk for s in stories), "indicators": sorted(i.pk for i in indicators)}
    locked.stories.set(stories)
    locked.indicators.set(indicators)
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changes:
        locked.save(update_fields=["updated_at"])
        audit.record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=locked,
            changes=changes,
            partnership_id=locked.partnership_id,
        )
    return locked


def _move(*, actor: User, priority: Priority, to: str, allowed_from: tuple[str, ...], refusal: str) -> Priority:
    locked = _lock(priority)
    if not is_coordinator(actor, locked.partnership):
        raise PermissionDenied
    if locked.status not in allowed_from:
        raise ValidationError(refusal.format(status=locked.get_status_display().lower()))
    before = audit.snapshot(locked, ["status"])
    locked.status = to
    locked.save(update_fields=["status", "updated_at"])
    audit.record_update(actor=actor, instance=locked, before=before, partnership_id=locked.partnership_id)
    return locked


@transaction.atomic
def agree_priority(*, actor: User, priority: Priority) -> Priority:
    """Coordinators agree a proposed priority that has some evidence: opportunities can then
    say they serve it."""
    locked = _lock(priority)
    if not is_coordinator(actor, locked.partnership):
        raise PermissionDenied
    if locked.status == Priority.Status.PROPOSED and not (locked.stories.exists() or locked.indicators.exists()):
        raise ValidationError("Choose at least one story or indicator as evidence before agreeing this priority")
    return _move(
        actor=actor,
        priority=locked,
        to=Priority.Status.AGREED,
        allowed_from=(Priority.Status.PROPOSED,),
        refusal="Only a proposed priority can be agreed. This one is {status}",
    )


@transaction.atomic
def retire_priority(*, actor: User, priority: Priority) -> Priority:
    """Coordinators retire a priority the partnership no longer works to. Opportunities keep
    their link to it, as history."""
    return _move(
        actor=actor,
        priority=priority,
        to=Priority.Status.RETIRED,
        allowed_from=(Priority.Status.PROPOSED, Priority.Status.AGREED),
        refusal="This priority is already {status}",
    )
