"""Agreements in the demo place: one of every kind the agreements work was built for.

| Agreement                                  | Kind                                  | State                  |
| ------------------------------------------ | ------------------------------------- | ---------------------- |
| Community food and wellbeing hub (Lantern) | 3-year grant, CPI-indexed, full core  | Active, renewing       |
| Recovery cafés pilot (Second Wind)         | 1-year contract, overheads capped     | Offered, funder signed |
| Carers' breaks and support (Carers Circle) | 5-year grant, no indexation (erosion) | Active, re-commission  |
| Minds Together (three-member consortium)   | 3-year grant, fixed 2% uplift         | Active, split by member |
| Debt and benefits advice in GP surgeries   | 2-year grant                          | Ends in 4 months, no decision |

The Lantern agreement also has a scope variation waiting for the funder's approval.

Each is created and taken through its steps by the demo's own people, through the agreement
services, so the guards, audit log and relationship timelines hold the same story a real place
would. One thing goes straight to the database: the consortium behind Minds Together (in a real
place it comes from a consortium application and its award). The ONS CPI rates the issue
names are loaded as index values. Agreements are keyed by title: loading twice adds nothing.
"""

import datetime

from django.db.models import Model

from cocommission.agreements.models import (
    Agreement,
    BudgetLine,
    EndingNotice,
    IndexValue,
    Instalment,
    OverheadRate,
    Variation,
)
from cocommission.organisations.models import Organisation
from cocommission.partnerships.models import Partnership

from .stories import STORIES, DemoAgreements, load_index_values

COUNTED: dict[str, type[Model]] = {
    "agreements": Agreement,
    "budget lines": BudgetLine,
    "index values": IndexValue,
    "overhead rates": OverheadRate,
    "instalments": Instalment,
    "variations": Variation,
    "end-of-funding notices": EndingNotice,
}


def _totals() -> dict[str, int]:
    return {label: model._default_manager.count() for label, model in COUNTED.items()}


def load_demo_agreements(
    *, orgs: dict[str, Organisation], partnership: Partnership, today: datetime.date
) -> dict[str, int]:
    """Add whichever demo agreements are missing; return what was added."""
    before = _totals()
    load_index_values()
    demo = DemoAgreements(today=today, orgs=orgs, partnership=partnership)
    for story in STORIES:
        story(demo)
    demo.send_warnings()
    after = _totals()
    return {f"{label} added": after[label] - before[label] for label in COUNTED if after[label] > before[label]}
