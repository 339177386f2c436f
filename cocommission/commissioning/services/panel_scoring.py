"""Scores and moderation: each panel member scores alone, then the panel agrees.

A member scores an application only when they sit on its panel, have declared no conflict for it,
and the opportunity is in its scoring step. A submitted sheet is locked. Agreed (moderated) scores
are recorded by the commissioners or the chair, with a reason for each.
"""

from collections.abc import Mapping
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cocommission.accounts.models import User
from cocommission.core import audit
from cocommission.core.models import AuditEvent

from ..models import (
    Application,
    ConflictDeclaration,
    Criterion,
    ModeratedScore,
    Opportunity,
    Panel,
    PanelMember,
    Score,
    ScoreSheet,
)
from ..permissions import can_moderate, hidden_scores_reason
from ..routes import State
from .panels import SCORING_STATES, _check_application_on_panel, _lock_member, _scope, panel_balance_problems

MAX_SCORE = 5


class ScoreEntry(NamedTuple):
    """One criterion's score (None while a draft leaves it blank) and comment."""

    score: int | None
    comment: str


def _score_field(criterion: Criterion) -> str:
    return f"score_{criterion.pk}"


def _comment_field(criterion: Criterion) -> str:
    return f"comment_{criterion.pk}"


def _check_scoring_open(opportunity: Opportunity) -> None:
    if opportunity.state not in SCORING_STATES:
        raise ValidationError(
            f"Scoring is not open: this opportunity is {State(opportunity.state).label.lower()}.", code="not_open"
        )
    if opportunity.state == State.ASSESSING:
        # Direct routes skip the SCORING step, so the balance rule is checked when scores arrive.
        problems = panel_balance_problems(opportunity)
        if problems:
            raise ValidationError(["Scoring cannot start until the panel is balanced.", *problems], code="unbalanced")


def _check_not_conflicted(member: PanelMember, application: Application) -> None:
    declaration = ConflictDeclaration.objects.filter(member=member, application=application).first()
    if declaration is None:
        raise ValidationError(
            "Declare whether you have a conflict of interest with this application before you score it.",
            code="undeclared",
        )
    if declaration.has_conflict:
        raise ValidationError(
            "You declared a conflict of interest with this application, so you cannot score it.", code="conflicted"
        )


def _entry_errors(
    criteria: list[Criterion], entries: Mapping[int, ScoreEntry], *, complete: bool, noun: str
) -> dict[str, str]:
    errors: dict[str, str] = {}
    for criterion in criteria:
        entry = entries.get(criterion.pk, ScoreEntry(None, ""))
        if entry.score is not None and not 0 <= entry.score <= MAX_SCORE:
            errors[_score_field(criterion)] = f"Score for {criterion.name} must be between 0 and {MAX_SCORE}"
        elif entry.score is None and (complete or entry.comment.strip()):
            errors[_score_field(criterion)] = f"Choose a score for {criterion.name}"
        if complete and not entry.comment.strip():
            errors[_comment_field(criterion)] = f"Enter {noun} for {criterion.name}"
    return errors


@transaction.atomic
def save_score_sheet(
    *, actor: User, member: PanelMember, application: Application, entries: Mapping[int, ScoreEntry], submit: bool
) -> ScoreSheet:
    """Save a member's scores for one application as a draft, or submit them.

    Submitting needs a score (0 to 5) and a comment for every criterion and locks the sheet: a
    second submission (a double click, a second tab) changes nothing and is refused.
    """
    member = _lock_member(member)  # one writer per member at a time, so get_or_create cannot race
    if member.user_id != actor.pk:
        raise ValidationError("Only the panel member can fill in their own scores.", code="not_yours")
    opportunity = member.panel.opportunity
    _check_application_on_panel(member, application)
    _check_scoring_open(opportunity)
    _check_not_conflicted(member, application)
    sheet, created = ScoreSheet.objects.get_or_create(member=member, application=application)
    if sheet.submitted_at is not None:
        raise ValidationError("You have already submitted your scores for this application.", code="submitted")
    criteria = list(Criterion.objects.filter(opportunity=opportunity))
    errors = _entry_errors(criteria, entries, complete=submit, noun="a comment")
    if errors:
        raise ValidationError(errors, code="incomplete")
    existing = {s.criterion_id: s for s in Score.objects.filter(sheet=sheet)}
    before = {cid: (s.score, s.comment) for cid, s in existing.items()}
    after: dict[int, tuple[int, str]] = {}
    for criterion in criteria:
        entry = entries.get(criterion.pk, ScoreEntry(None, ""))
        current = existing.get(criterion.pk)
        if entry.score is None:
            if current is not None:
                current.delete()
            continue
        after[criterion.pk] = (entry.score, entry.comment.strip())
        if current is None:
            Score.objects.create(sheet=sheet, criterion=criterion, score=entry.score, comment=entry.comment.strip())
        elif (current.score, current.comment) != after[criterion.pk]:
            current.score, current.comment = after[criterion.pk]
            current.save()
    scope = _scope(opportunity)
    if created:
        audit.record_create(actor=actor, instance=sheet, **scope)
    # The values stay out of the audit log: other panel members who are also commissioners must
    # not read scores there before they submit their own.
    if before != after:
        audit.record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=sheet,
            changes={"criteria_scored": [len(before), len(after)]},
            organisation_id=opportunity.funder_id,
            partnership_id=opportunity.partnership_id,
        )
    if submit:
        before_submit = audit.snapshot(sheet, ["submitted_at"])
        sheet.submitted_at = timezone.now()
        sheet.save(update_fields=["submitted_at", "updated_at"])
        audit.record_update(actor=actor, instance=sheet, before=before_submit, **scope)
    return sheet


class ModerationEntry(NamedTuple):
    score: int | None
    reason: str


@transaction.atomic
def moderate_application(
    *,
    actor: User,
    application: Application,
    entries: Mapping[int, ModerationEntry],
    notes: str | None = None,
) -> list[ModeratedScore]:
    """Record the scores the panel agreed for one application, a reason for each, and (when
    given) the panel's moderation notes.

    Every criterion needs an agreed score and a reason. Moderators who sit on the panel must have
    submitted their own scores for the application and must not be conflicted.
    """
    opportunity = Opportunity.objects.select_for_update().get(pk=application.opportunity_id)
    if not can_moderate(actor, opportunity):
        raise ValidationError(
            "Only the commissioners and the chair of the panel can record agreed scores.", code="not_allowed"
        )
    if opportunity.state not in SCORING_STATES:
        raise ValidationError(
            f"Agreed scores are recorded while the panel is scoring. This opportunity is "
            f"{State(opportunity.state).label.lower()}.",
            code="not_open",
        )
    if application.status != Application.Status.SUBMITTED:
        raise ValidationError("This application has not been submitted, so the panel does not assess it.")
    # A moderator who sits on the panel sees the scores only as any panel member would.
    hidden = hidden_scores_reason(actor, application)
    if hidden:
        raise ValidationError(hidden, code="hidden")
    if not ScoreSheet.objects.filter(application=application, submitted_at__isnull=False).exists():
        raise ValidationError(
            "No panel member has submitted scores for this application yet. Agree scores after they have.",
            code="no_scores",
        )
    criteria = list(Criterion.objects.filter(opportunity=opportunity))
    errors = _entry_errors(
        criteria, {k: ScoreEntry(v.score, v.reason) for k, v in entries.items()}, complete=True, noun="the reason"
    )
    if errors:
        raise ValidationError(errors, code="incomplete")
    scope = _scope(opportunity)
    existing = {m.criterion_id: m for m in ModeratedScore.objects.select_for_update().filter(application=application)}
    saved = []
    for criterion in criteria:
        entry = entries[criterion.pk]
        score, reason = entry.score, entry.reason.strip()
        assert score is not None  # _entry_errors refused blanks
        moderated = existing.get(criterion.pk)
        if moderated is None:
            moderated = ModeratedScore.objects.create(
                application=application, criterion=criterion, score=score, reason=reason, moderated_by=actor
            )
            audit.record_create(actor=actor, instance=moderated, **scope)
        elif (moderated.score, moderated.reason) != (score, reason):
            before = audit.snapshot(moderated, ["score", "reason", "moderated_by"])
            moderated.score, moderated.reason, moderated.moderated_by = score, reason, actor
            moderated.save()
            audit.record_update(actor=actor, instance=moderated, before=before, **scope)
        saved.append(moderated)
    if notes is not None:
        panel, _ = Panel.objects.select_for_update().get_or_create(opportunity=opportunity)
        if panel.moderation_notes != notes.strip():
            before = audit.snapshot(panel, ["moderation_notes"])
            panel.moderation_notes = notes.strip()
            panel.save(update_fields=["moderation_notes", "updated_at"])
            audit.record_update(actor=actor, instance=panel, before=before, **scope)
    return saved
