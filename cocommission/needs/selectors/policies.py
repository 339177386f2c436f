"""Reads for the policy watch, and the tactics note for each stage of the hype cycle."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, IntegerField, QuerySet, Value, When

from cocommission.commissioning.models import Opportunity
from cocommission.partnerships.models import Partnership

from ..models import Policy, Priority, Stage

STAGE_ORDER = [Stage.TRIGGER, Stage.PEAK, Stage.TROUGH, Stage.SLOPE, Stage.PLATEAU]
# A policy nobody has looked at for this long comes up at the next horizon scan.
REVIEW_AFTER_DAYS = 60

# What the partnership might do while a policy sits at each stage, in plain English.
TACTICS: dict[str, str] = {
    Stage.TRIGGER: (
        "Something new has been announced and few details are known. Find out who owns it and what it "
        "might mean here; note the questions it raises; do not commit money or change services yet."
    ),
    Stage.PEAK: (
        "Expectations are at their highest and everyone is talking about it. Be clear about what it can "
        "and cannot do for our priorities; test the claims against the stories and the data; avoid "
        "promising more than it will deliver."
    ),
    Stage.TROUGH: (
        "Early results disappoint and attention moves on. Do not drop it too soon: keep what is working, "
        "share what has been learnt, and protect the partners and people who relied on it."
    ),
    Stage.SLOPE: (
        "People understand how it really works and what it needs. Plan how to use it well here: link it "
        "to priorities and opportunities, and agree who does what."
    ),
    Stage.PLATEAU: (
        "It is part of how things are done. Build it into routine commissioning and agreements, measure "
        "its outcomes, and review it at least once a year."
    ),
}


def stage_order() -> Case:
    return Case(
        *[When(stage=stage.value, then=Value(n)) for n, stage in enumerate(STAGE_ORDER)],
        default=Value(len(STAGE_ORDER)),
        output_field=IntegerField(),
    )


def policies_of(partnership: Partnership, stage: str = "") -> QuerySet[Policy]:
    """The partnership's policies, in hype-cycle order then by name; only one stage when given."""
    policies = Policy.objects.filter(partnership=partnership).annotate(stage_position=stage_order())
    if stage in Stage.values:
        policies = policies.filter(stage=stage)
    return policies.order_by("stage_position", "name", "id")


@dataclass(frozen=True)
class StageCount:
    stage: str
    label: str
    count: int


def stage_counts(partnership: Partnership) -> list[StageCount]:
    grouped = Policy.objects.filter(partnership=partnership).order_by().values("stage").annotate(n=Count("id"))
    counts = {row["stage"]: row["n"] for row in grouped}
    return [StageCount(s.value, s.label, counts.get(s.value, 0)) for s in STAGE_ORDER]


def priority_choices(partnership: Partnership) -> QuerySet[Priority]:
    return Priority.objects.filter(partnership=partnership).order_by("title")


def opportunity_choices(partnership: Partnership) -> QuerySet[Opportunity]:
    return Opportunity.objects.filter(partnership=partnership).order_by("title")


def link_lines(policy: Policy) -> list[str]:
    return [line.strip() for line in policy.links.splitlines() if line.strip()]


def is_overdue(policy: Policy, today: datetime.date) -> bool:
    return policy.last_reviewed_on <= today - datetime.timedelta(days=REVIEW_AFTER_DAYS)


def policy_page(policy: Policy, *, today: datetime.date) -> dict[str, Any]:
    """The policy page: its stage and tactics, links, linked priorities and opportunities, and
    its dated history."""
    return {
        "policy": policy,
        "tactics": TACTICS.get(policy.stage, ""),
        "links": link_lines(policy),
        "priorities": list(policy.priorities.order_by("title")),
        "opportunities": list(policy.opportunities.order_by("title")),
        "reviews": list(policy.reviews.select_related("reviewed_by").order_by("-reviewed_on", "-id")),
        "overdue": is_overdue(policy, today),
        "review_after_days": REVIEW_AFTER_DAYS,
        "stages": [(s.value, s.label, s.value == policy.stage) for s in STAGE_ORDER],
    }
