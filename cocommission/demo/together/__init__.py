"""Deciding together in the demo place: stories, indicators and priorities, meetings with their
questions and follows, decision moments of each method, and the policy watch.

The parts load in this order because each builds on the one before: priorities cite published
stories and indicators, meetings come before the decisions taken at them, and policies link to
priorities and opportunities. Each part goes through the services and adds only what is missing.
"""

import datetime

from django.db.models import Model

from cocommission.deciding.models import Contribution, DecisionMoment, Meeting
from cocommission.needs.models import Indicator, IndicatorValue, Policy, Priority, Story
from cocommission.organisations.models import Organisation
from cocommission.partnerships.models import Partnership

from . import meetings, moments, needs, policies, stories
from .world import TogetherDemo

PARTS = (stories, needs, meetings, moments, policies)

COUNTED: dict[str, type[Model]] = {
    "stories": Story,
    "indicators": Indicator,
    "indicator values": IndicatorValue,
    "priorities": Priority,
    "meetings": Meeting,
    "contributions": Contribution,
    "decision moments": DecisionMoment,
    "policies": Policy,
}


def _totals() -> dict[str, int]:
    return {label: model._default_manager.count() for label, model in COUNTED.items()}


def load_demo_together(
    *, orgs: dict[str, Organisation], partnership: Partnership, today: datetime.date
) -> dict[str, int]:
    """Add whichever parts are missing; return what was added."""
    before = _totals()
    demo = TogetherDemo(today=today, partnership=partnership, orgs=orgs)
    for part in PARTS:
        part.load(demo)
    after = _totals()
    return {f"{label} added": after[label] - before[label] for label in COUNTED if after[label] > before[label]}
