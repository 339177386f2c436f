"""Reads for Provider Selection Regime transparency: notice content, standstill and deadlines.

Notice content follows what the Health Care Services (Provider Selection Regime) Regulations
2023 ask a notice to say: the contract's title and reference, the provider's name and address,
a description of the services, the CPV code, the approximate lifetime value, the decision-makers,
the reasons with reference to the key criteria, and the declared conflicts and how they were
managed. It is frozen as JSON when published, so what was said stays what was said.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from cocommission.organisations.models import Organisation

from ..models import (
    ApplicationDecision,
    ConsortiumMember,
    Criterion,
    ModeratedScore,
    Opportunity,
    OpportunityOutcome,
    PsrNotice,
    Representation,
)
from ..routes import PSR_ROUTES, KeyCriterion, Route, State, has_standstill
from .decisions import applicant_name, awarded_decisions, decision_record_for

NOTICE_SCHEMA = "cocommission-psr-notice/1"
STANDSTILL_WORKING_DAYS = 8
HOLD_AFTER_RESPONSE_WORKING_DAYS = 5
# Direct Award A and B: the award notice is due within 30 days of the award.
AWARD_NOTICE_DAYS = 30
AWARD_NOTICE_DEADLINE_ROUTES = frozenset({Route.PSR_DIRECT_A, Route.PSR_DIRECT_B})
Kind = PsrNotice.Kind


def notice_kind(value: str) -> str | None:
    """The notice kind named in a URL, or None when there is no such kind."""
    return value if value in Kind.values else None


def notice_for(opportunity: Opportunity, kind: str) -> PsrNotice | None:
    return PsrNotice.objects.filter(opportunity=opportunity, kind=kind).first()


def notices_of(opportunity: Opportunity) -> dict[str, PsrNotice]:
    return {notice.kind: notice for notice in PsrNotice.objects.filter(opportunity=opportunity)}


def can_have_notice(opportunity: Opportunity, kind: str) -> bool:
    """Whether this route publishes this kind of notice at all."""
    if kind == Kind.INTENTION:
        return has_standstill(opportunity.route)
    return opportunity.route in PSR_ROUTES


def notice_preview_available(opportunity: Opportunity, kind: str) -> bool:
    """A manager can preview a notice once there is a confirmed decision for it to describe."""
    if not can_have_notice(opportunity, kind):
        return False
    if kind == Kind.INTENTION:
        return opportunity.state in (State.DECIDED, State.STANDSTILL, State.AWARDED)
    return opportunity.state == State.AWARDED


def _address(organisation: Organisation) -> dict[str, str]:
    return {"name": organisation.name, "address": organisation.address.strip(), "postcode": organisation.postcode}


def _providers(decisions: list[ApplicationDecision]) -> list[dict[str, Any]]:
    providers = []
    for decision in decisions:
        application = decision.application
        consortium = application.consortium
        organisation = (consortium.lead if consortium is not None else None) or application.organisation
        entry: dict[str, Any] = {
            **_address(organisation),
            "charity_number": organisation.charity_number or "",
            "company_number": organisation.company_number or "",
            "award_value": str(decision.amount),
            "consortium": None,
        }
        if consortium is not None:
            members = [m for m in consortium.members.all() if m.status != ConsortiumMember.Status.DECLINED]
            entry["name"] = consortium.name
            entry["consortium"] = {
                "name": consortium.name,
                "lead": consortium.lead.name if consortium.lead is not None else None,
                "members": [_address(m.organisation) for m in members],
            }
        providers.append(entry)
    return providers


def _key_criteria(opportunity: Opportunity, decisions: list[ApplicationDecision]) -> list[dict[str, Any]]:
    """Each of the five key criteria, with the opportunity's criteria under it and the score the
    panel agreed for each awarded provider."""
    criteria = list(Criterion.objects.filter(opportunity=opportunity))
    agreed: dict[tuple[int, int], ModeratedScore] = {
        (m.application_id, m.criterion_id): m
        for m in ModeratedScore.objects.filter(application_id__in=[d.application_id for d in decisions])
    }
    result = []
    for key in KeyCriterion:
        mapped = [c for c in criteria if c.key_criterion == key]
        result.append(
            {
                "key_criterion": key.value,
                "label": str(key.label),
                "weight": sum(c.weight for c in mapped),
                "criteria": [
                    {
                        "name": criterion.name,
                        "weight": criterion.weight,
                        "agreed_scores": [
                            {
                                "provider": applicant_name(d.application),
                                "score": agreed[(d.application_id, criterion.pk)].score,
                                "out_of": 5,
                                "reason": agreed[(d.application_id, criterion.pk)].reason,
                            }
                            for d in decisions
                            if (d.application_id, criterion.pk) in agreed
                        ],
                    }
                    for criterion in mapped
                ],
            }
        )
    return result


def build_notice_content(
    opportunity: Opportunity,
    kind: str,
    *,
    published_at: datetime.datetime | None,
    standstill_ends_on: datetime.date | None = None,
) -> dict[str, Any]:
    """The notice as JSON-ready data: money as strings of pounds, dates in ISO 8601.

    The approximate lifetime value is the total of the awards: each award is the whole-term
    amount, not a yearly one.
    """
    record = decision_record_for(opportunity)
    decisions = list(
        awarded_decisions(opportunity).prefetch_related(
            Prefetch(
                "application__consortium__members",
                queryset=ConsortiumMember.objects.select_related("organisation"),
            )
        )
    )
    lifetime = sum((d.amount or Decimal(0) for d in decisions), Decimal(0))
    outcomes = OpportunityOutcome.objects.filter(opportunity=opportunity, status=OpportunityOutcome.Status.AGREED)
    confirmed = record.confirmed_at if record is not None else None
    content: dict[str, Any] = {
        "schema": NOTICE_SCHEMA,
        "notice_type": kind,
        "notice_title": str(Kind(kind).label),
        "regulations": (
            "The Health Care Services (Provider Selection Regime) Regulations 2023"
            if opportunity.route in PSR_ROUTES
            else None
        ),
        "contract": {
            "title": opportunity.title,
            "reference": opportunity.reference,
            "route": opportunity.route,
            "route_label": str(Route(opportunity.route).label),
            "cpv_code": opportunity.cpv_code,
            "term_years": opportunity.term_years,
            "service_areas": [area.name for area in opportunity.eligible_areas.all()],
        },
        "relevant_authority": _address(opportunity.funder),
        "providers": _providers(decisions),
        "description_of_services": {
            "problem": opportunity.problem,
            "outcomes": [outcome.text for outcome in outcomes],
        },
        "approximate_lifetime_value": {
            "amount": str(lifetime.quantize(Decimal("0.01"))),
            "currency": "GBP",
            "basis": (
                f"The total of the awards, each for the whole term of {opportunity.term_years} "
                f"year{'s' if opportunity.term_years != 1 else ''}."
            ),
        },
        "award_decision_date": timezone.localdate(confirmed).isoformat() if confirmed else None,
        "decision_makers": record.decision_makers if record is not None else "",
        "reasons": {
            "how_criteria_were_applied": record.summary if record is not None else "",
            "by_provider": [{"provider": applicant_name(d.application), "reasons": d.reasons} for d in decisions],
            "key_criteria": _key_criteria(opportunity, decisions),
        },
        "conflicts_of_interest": (record.conflicts_summary if record is not None else "")
        or "No conflicts of interest were declared.",
        "published_at": published_at.isoformat() if published_at else None,
    }
    if kind == Kind.INTENTION:
        content["standstill"] = {
            "working_days": STANDSTILL_WORKING_DAYS,
            "ends_on": standstill_ends_on.isoformat() if standstill_ends_on else None,
            "representations": (
                "Providers may make representations to the relevant authority before the standstill period ends."
            ),
        }
    else:
        content["award_date"] = (
            timezone.localdate(opportunity.awarded_at).isoformat() if opportunity.awarded_at else None
        )
    return content


def award_notice_due(opportunity: Opportunity) -> datetime.date | None:
    """When the award notice must be published by, for the routes that set a deadline."""
    if opportunity.route not in AWARD_NOTICE_DEADLINE_ROUTES or opportunity.awarded_at is None:
        return None
    return timezone.localdate(opportunity.awarded_at) + datetime.timedelta(days=AWARD_NOTICE_DAYS)


def representations_of(opportunity: Opportunity) -> QuerySet[Representation]:
    return Representation.objects.filter(opportunity=opportunity).select_related("logged_by")


@dataclass
class NoticeStatus:
    """Where an opportunity stands on its notices, standstill and award, for the progress page."""

    intention: PsrNotice | None = None
    award: PsrNotice | None = None
    intention_applies: bool = False
    award_applies: bool = False
    standstill_ends_on: datetime.date | None = None
    representations: list[Representation] = field(default_factory=list)
    award_notice_due: datetime.date | None = None
    award_notice_overdue: bool = False


def notice_status(opportunity: Opportunity, *, today: datetime.date) -> NoticeStatus:
    notices = notices_of(opportunity)
    intention = notices.get(Kind.INTENTION)
    award = notices.get(Kind.AWARD)
    due = award_notice_due(opportunity)
    return NoticeStatus(
        intention=intention,
        award=award,
        intention_applies=can_have_notice(opportunity, Kind.INTENTION),
        award_applies=can_have_notice(opportunity, Kind.AWARD),
        standstill_ends_on=intention.standstill_ends_on if intention else None,
        representations=list(representations_of(opportunity)),
        award_notice_due=due,
        award_notice_overdue=bool(due and award is None and today > due),
    )
