"""Where the opportunity page leads each person: the panel and decision pages for the people
managing it, the scoring list for the panel, and the published notices for everyone.

At most three queries whatever the opportunity's state (the person's panel seat, whether there is
a decision record, the published notices), so the page's query count stays flat.
"""

from dataclasses import dataclass, field

from cocommission.accounts.models import User

from ..models import DecisionRecord, Opportunity, PanelMember, PsrNotice
from ..permissions import panel_member_for
from ..routes import PSR_ROUTES, State, has_standstill
from ..services.decisions import EDITABLE_STATES

# From these states on there is a panel's work to rank and a decision to follow.
DECIDING_STATES = frozenset({*EDITABLE_STATES, State.DECIDED, State.STANDSTILL, State.AWARDED})


@dataclass(frozen=True)
class OpportunityLinks:
    is_manager: bool
    panel_seat: PanelMember | None
    state: str
    has_decision_record: bool
    notices: list[PsrNotice] = field(default_factory=list)

    @property
    def on_panel(self) -> bool:
        return self.panel_seat is not None

    @property
    def can_moderate(self) -> bool:
        """Managers, and the chair (or co-chairs) of the panel."""
        return self.is_manager or (self.panel_seat is not None and self.panel_seat.is_chair)

    @property
    def deciding(self) -> bool:
        return self.state in DECIDING_STATES

    @property
    def decision_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def decision_record_visible(self) -> bool:
        """The record (individual scores included) is for the managers and the panel."""
        return self.has_decision_record and (self.is_manager or self.on_panel)

    @property
    def any_panel_or_decision_work(self) -> bool:
        return self.is_manager or self.on_panel


def opportunity_links(*, opportunity: Opportunity, user: User, is_manager: bool) -> OpportunityLinks:
    """The links the opportunity page shows this person. `is_manager` comes from the page's own
    permission check, so it is not asked twice."""
    seat = panel_member_for(user, opportunity)
    record = False
    if is_manager or seat is not None:
        record = DecisionRecord.objects.filter(opportunity=opportunity).exists()
    notices: list[PsrNotice] = []
    if opportunity.route in PSR_ROUTES or has_standstill(opportunity.route):
        # Only published notices exist as rows: drafts are previews built on the fly.
        notices = list(PsrNotice.objects.filter(opportunity=opportunity).order_by("published_at"))
    return OpportunityLinks(
        is_manager=is_manager,
        panel_seat=seat,
        state=opportunity.state,
        has_decision_record=record,
        notices=notices,
    )
