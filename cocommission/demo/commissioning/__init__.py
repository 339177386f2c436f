"""Commissioning in the demo place: an opportunity on every route and in every state.

| Opportunity                                         | Route                       | State      |
| --------------------------------------------------- | --------------------------- | ---------- |
| Winter warmth micro-grants (£500 each)              | Grant                       | Open       |
| Support while you wait: community wellbeing grants  | Grant                       | Scoring    |
| Food and wellbeing hubs fund                        | Grant                       | Awarded    |
| Recovery and wellbeing alliance (no lead)           | Alliance                    | Open       |
| Community transport to health appointments          | Open competition            | Closed     |
| Overnight hospice at home care                      | PSR Direct Award A          | Awarded    |
| Hearing checks and hearing aids closer to home      | PSR Direct Award B          | Decided    |
| Shared Lives short breaks and day support           | PSR Direct Award C          | Standstill |
| Mental health support in British Sign Language     | PSR Most Suitable Provider  | Assessing  |
| Stop smoking support in communities                 | PSR Competitive Process     | Draft      |

Each one is created and moved along by the demo's own people through the commissioning
services, so every guard on the way has passed and the audit log tells the story. Each is keyed
by its slug: an opportunity already there is left exactly as it is, so loading twice adds nothing.
"""

import datetime
from collections.abc import Callable

from django.db.models import Model

from cocommission.agreements.models import Agreement
from cocommission.commissioning.models import (
    Application,
    ApplicationDecision,
    ConflictDeclaration,
    Opportunity,
    PanelMember,
    PsrNotice,
    ScoreSheet,
)
from cocommission.organisations.models import Organisation
from cocommission.partnerships.models import Partnership

from . import collaborative, grants, psr
from .world import Demo

STORIES: list[Callable[[Demo], None]] = [
    grants.micro_grant,
    grants.scoring_grant,
    grants.awarded_grant,
    collaborative.alliance,
    collaborative.open_competition,
    psr.direct_award_a,
    psr.direct_award_b,
    psr.direct_award_c,
    psr.most_suitable_provider,
    psr.competitive_process,
]

COUNTED: dict[str, type[Model]] = {
    "opportunities": Opportunity,
    "applications": Application,
    "panel members": PanelMember,
    "conflict declarations": ConflictDeclaration,
    "score sheets": ScoreSheet,
    "decisions": ApplicationDecision,
    "notices": PsrNotice,
    "agreements": Agreement,
}


def _totals() -> dict[str, int]:
    return {label: model._default_manager.count() for label, model in COUNTED.items()}


def load_demo_commissioning(
    *, orgs: dict[str, Organisation], partnership: Partnership, today: datetime.date
) -> dict[str, int]:
    """Add whichever demo opportunities are missing, with their whole story; return what was added."""
    demo = Demo(today=today, orgs=orgs, partnership=partnership)
    before = _totals()
    for story in STORIES:
        story(demo)
    after = _totals()
    return {f"{label} added": after[label] - before[label] for label in COUNTED if after[label] > before[label]}
