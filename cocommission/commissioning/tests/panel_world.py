"""A small world for panel tests, on top of the shared personas.

The ICB (sid manages it) funds a grant that is scoring. Its panel: stella (ICB, statutory, chair),
charlie (Hillside Food Bank, VCSE) and lena (lived experience). Two submitted applications: one
from Riverside Carers (alice's organisation) and one from Hillside Food Bank, charlie's own.
"""

from dataclasses import dataclass
from typing import Any

from cocommission.accounts.models import User
from cocommission.organisations.tests.factories import MembershipFactory

from ..models import Application, Criterion, Opportunity, PanelMember
from ..routes import Route, State
from ..services.panel_scoring import ModerationEntry, ScoreEntry
from .factories import ApplicationFactory, CriterionFactory, OpportunityFactory, PanelFactory, PanelMemberFactory


@dataclass
class World:
    opportunity: Opportunity
    criteria: list[Criterion]
    stella: User
    charlie: User
    lena: User
    seats: dict[str, PanelMember]
    app_a: Application
    app_b: Application


def build_world(
    *, icb: Any, org_a: Any, org_b: Any, charlie: User, lena: User, partnership: Any, state: str = State.SCORING
) -> World:
    opportunity = OpportunityFactory.create(
        funder=icb, partnership=partnership, state=state, route=Route.GRANT, lived_experience_on_panel=True
    )
    criteria = [
        CriterionFactory.create(opportunity=opportunity, name="Reach", weight=60, order=0),
        CriterionFactory.create(opportunity=opportunity, name="Value", weight=40, order=1),
    ]
    stella = MembershipFactory.create(organisation=icb, user__email="stella@example.org").user
    panel = PanelFactory.create(opportunity=opportunity)
    seats = {
        "stella": PanelMemberFactory.create(
            panel=panel, user=stella, sector=PanelMember.Sector.STATUTORY, organisation=icb, is_chair=True
        ),
        "charlie": PanelMemberFactory.create(
            panel=panel, user=charlie, sector=PanelMember.Sector.VCSE, organisation=org_b
        ),
        "lena": PanelMemberFactory.create(panel=panel, user=lena, lived_experience=True),
    }
    app_a = ApplicationFactory.create(opportunity=opportunity, organisation=org_a, submitted=True)
    app_b = ApplicationFactory.create(opportunity=opportunity, organisation=org_b, submitted=True)
    return World(opportunity, criteria, stella, charlie, lena, seats, app_a, app_b)


def full_sheet(world: World, *, reach: int = 4, value: int = 3) -> dict[int, ScoreEntry]:
    first, second = world.criteria
    return {
        first.pk: ScoreEntry(reach, "Reaches people the other services miss."),
        second.pk: ScoreEntry(value, "Fair cost for what it delivers."),
    }


def agreed(world: World, *, reach: int = 4, value: int = 3) -> dict[int, ModerationEntry]:
    first, second = world.criteria
    return {
        first.pk: ModerationEntry(reach, "The panel agreed after discussing the outreach plan."),
        second.pk: ModerationEntry(value, "Costs are in line with similar services."),
    }
