"""The decision record: who decided what and when, how the criteria were applied, the panel's
individual and agreed scores, and the conflicts declared. One shape for the printable page and
the JSON export, so they cannot say different things."""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast

from django.db.models import Prefetch
from django.utils import timezone

from cocommission.accounts.models import User

from ..models import ConflictDeclaration, Criterion, ModeratedScore, Opportunity, PanelMember, Score, ScoreSheet
from ..permissions import can_manage
from ..routes import Route, State
from .decisions import applicant_name, decision_of, decision_record_for, decision_subjects

RECORD_SCHEMA = "cocommission-decision-record/1"


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _money(value: Decimal | None) -> str | None:
    return str(value) if value is not None else None


def weighted_total(scores: dict[int, int], criteria: list[Criterion]) -> Decimal | None:
    """The agreed scores weighted by the criteria (0 to 5), or None until every criterion has one."""
    if not criteria or any(c.pk not in scores for c in criteria):
        return None
    total = sum((Decimal(scores[c.pk]) * c.weight for c in criteria), Decimal(0)) / Decimal(100)
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _viewer_panel_seat(user: User, opportunity: Opportunity) -> PanelMember | None:
    if not user.is_authenticated:
        return None
    return PanelMember.objects.filter(panel__opportunity=opportunity, user=user).first()


def decision_record_data(opportunity: Opportunity, *, viewer: User) -> dict[str, Any]:
    """Everything the record says, JSON-ready (money as strings, dates in ISO 8601).

    Managers see every score. A panel member does not see others' scores on an application they
    declared a conflict on, nor, before the decision is confirmed, on one they have not scored
    themselves: the same rules as while scoring.
    """
    record = decision_record_for(opportunity)
    confirmed = record is not None and record.confirmed_at is not None
    criteria = list(Criterion.objects.filter(opportunity=opportunity))
    submitted_sheets = (
        ScoreSheet.objects.filter(submitted_at__isnull=False)
        .select_related("member__user", "member__organisation")
        .prefetch_related(Prefetch("scores", queryset=Score.objects.order_by("criterion__order", "criterion_id")))
        .order_by("member__user__full_name", "id")
    )
    applications = list(
        decision_subjects(opportunity).prefetch_related(
            Prefetch("score_sheets", queryset=submitted_sheets, to_attr="submitted_sheets"),
            Prefetch("moderated_scores", queryset=ModeratedScore.objects.select_related("moderated_by")),
            Prefetch(
                "conflict_declarations",
                queryset=ConflictDeclaration.objects.filter(has_conflict=True).select_related("member__user"),
                to_attr="declared_conflicts",
            ),
        )
    )
    manager = can_manage(viewer, opportunity)
    seat = None if manager else _viewer_panel_seat(viewer, opportunity)
    criterion_names = {c.pk: c.name for c in criteria}
    panel = PanelMember.objects.filter(panel__opportunity=opportunity).select_related("user", "organisation")

    rows = []
    for application in applications:
        decision = decision_of(application)
        sheets = cast(list[ScoreSheet], application.submitted_sheets)
        conflicts = cast(list[ConflictDeclaration], application.declared_conflicts)
        conflicted = seat is not None and any(c.member_id == seat.pk for c in conflicts)
        hidden_reason = None
        if conflicted:
            hidden_reason = "You declared a conflict on this application, so its scores are hidden from you."
        elif seat is not None and not confirmed and not any(s.member_id == seat.pk for s in sheets):
            hidden_reason = "Others' scores stay hidden until you submit your own."
        agreed = {} if conflicted else {m.criterion_id: m for m in application.moderated_scores.all()}
        rows.append(
            {
                "application_id": application.pk,
                "applicant": applicant_name(application),
                "amount_requested": _money(application.amount_requested),
                "outcome": decision.outcome if decision else None,
                "outcome_label": decision.get_outcome_display() if decision else "Not decided",
                "amount_awarded": _money(decision.amount) if decision else None,
                "reasons": decision.reasons if decision else "",
                "notified_at": _iso(decision.notified_at) if decision else None,
                "individual_scores": None
                if hidden_reason
                else [
                    {
                        "panel_member": sheet.member.user.get_full_name(),
                        "sector": sheet.member.get_sector_display(),
                        "organisation": sheet.member.organisation.name if sheet.member.organisation else None,
                        "submitted_at": _iso(sheet.submitted_at),
                        "scores": [
                            {
                                "criterion": criterion_names.get(score.criterion_id, ""),
                                "score": score.score,
                                "comment": score.comment,
                            }
                            for score in sheet.scores.all()
                        ],
                    }
                    for sheet in sheets
                ],
                "individual_scores_hidden_reason": hidden_reason,
                "moderated_scores": None
                if conflicted
                else [
                    {
                        "criterion": criterion.name,
                        "weight": criterion.weight,
                        "score": agreed[criterion.pk].score,
                        "reason": agreed[criterion.pk].reason,
                    }
                    for criterion in criteria
                    if criterion.pk in agreed
                ],
                "weighted_total": _money(weighted_total({k: m.score for k, m in agreed.items()}, criteria)),
                "conflicts": [
                    {
                        "panel_member": c.member.user.get_full_name(),
                        "details": c.details,
                        "how_managed": c.management,
                    }
                    for c in conflicts
                ],
            }
        )
    return {
        "schema": RECORD_SCHEMA,
        "generated_at": timezone.now().isoformat(),
        "opportunity": {
            "reference": opportunity.reference,
            "title": opportunity.title,
            "route": opportunity.route,
            "route_label": str(Route(opportunity.route).label),
            "state": opportunity.state,
            "state_label": str(State(opportunity.state).label),
            "funder": opportunity.funder.name,
            "total_budget": _money(opportunity.total_budget),
            "max_award": _money(opportunity.max_award),
            "term_years": opportunity.term_years,
        },
        "decision": {
            "recorded": record is not None,
            "decided_at": _iso(record.decided_at) if record else None,
            "confirmed_at": _iso(record.confirmed_at) if record else None,
            "recorded_by": record.recorded_by.get_full_name() if record and record.recorded_by else None,
            "decision_makers": record.decision_makers if record else "",
            "how_criteria_were_applied": record.summary if record else "",
            "conflicts_and_management": record.conflicts_summary if record else "",
        },
        "criteria": [{"name": c.name, "weight": c.weight, "key_criterion": c.key_criterion or None} for c in criteria],
        "panel": [
            {
                "name": m.user.get_full_name(),
                "sector": m.get_sector_display(),
                "organisation": m.organisation.name if m.organisation else None,
                "is_chair": m.is_chair,
            }
            for m in panel
        ],
        "applications": rows,
    }
