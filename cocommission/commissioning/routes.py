"""Commissioning routes and the steps each one takes.

Each route is an ordered list of states; an opportunity moves only to the next state of its
route (or is cancelled before it is awarded). Services enforce this with `next_state` and
`check_transition`, so the web pages, the API and commands all follow the same steps.
"""

from django.core.exceptions import ValidationError
from django.db import models


class Route(models.TextChoices):
    GRANT = "grant", "Grant (open call)"
    OPEN_COMPETITION = "open_competition", "Open competition"
    ALLIANCE = "alliance", "Alliance or collaborative"
    PSR_DIRECT_A = "psr_direct_a", "Provider Selection Regime: Direct Award A"
    PSR_DIRECT_B = "psr_direct_b", "Provider Selection Regime: Direct Award B"
    PSR_DIRECT_C = "psr_direct_c", "Provider Selection Regime: Direct Award C"
    PSR_MOST_SUITABLE = "psr_most_suitable", "Provider Selection Regime: Most Suitable Provider"
    PSR_COMPETITIVE = "psr_competitive", "Provider Selection Regime: Competitive Process"


class State(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open for applications"
    CLOSED = "closed", "Closed"
    ASSESSING = "assessing", "Assessing the provider"
    SCORING = "scoring", "Panel scoring"
    DECIDED = "decided", "Decided"
    STANDSTILL = "standstill", "Standstill"
    AWARDED = "awarded", "Awarded"
    CANCELLED = "cancelled", "Cancelled"


S = State
ROUTE_STEPS: dict[str, tuple[str, ...]] = {
    # Grants and alliances: an open call, a mixed panel, a decision, then the award. No standstill.
    Route.GRANT: (S.DRAFT, S.OPEN, S.CLOSED, S.SCORING, S.DECIDED, S.AWARDED),
    Route.ALLIANCE: (S.DRAFT, S.OPEN, S.CLOSED, S.SCORING, S.DECIDED, S.AWARDED),
    # Competitions publish an intention to award and wait out the standstill.
    Route.OPEN_COMPETITION: (S.DRAFT, S.OPEN, S.CLOSED, S.SCORING, S.DECIDED, S.STANDSTILL, S.AWARDED),
    Route.PSR_COMPETITIVE: (S.DRAFT, S.OPEN, S.CLOSED, S.SCORING, S.DECIDED, S.STANDSTILL, S.AWARDED),
    # Direct Award A and B: award to the provider, then an award notice within 30 days.
    Route.PSR_DIRECT_A: (S.DRAFT, S.ASSESSING, S.DECIDED, S.AWARDED),
    Route.PSR_DIRECT_B: (S.DRAFT, S.ASSESSING, S.DECIDED, S.AWARDED),
    # Direct Award C and Most Suitable Provider: assess against the key criteria, publish the
    # intention to award, standstill, then award.
    Route.PSR_DIRECT_C: (S.DRAFT, S.ASSESSING, S.DECIDED, S.STANDSTILL, S.AWARDED),
    Route.PSR_MOST_SUITABLE: (S.DRAFT, S.ASSESSING, S.DECIDED, S.STANDSTILL, S.AWARDED),
}

PSR_ROUTES = frozenset(
    {Route.PSR_DIRECT_A, Route.PSR_DIRECT_B, Route.PSR_DIRECT_C, Route.PSR_MOST_SUITABLE, Route.PSR_COMPETITIVE}
)
# Routes where organisations apply in an open call (the others assess a named provider).
OPEN_CALL_ROUTES = frozenset({Route.GRANT, Route.ALLIANCE, Route.OPEN_COMPETITION, Route.PSR_COMPETITIVE})
# Routes whose panel must include a person with lived experience unless the opportunity says otherwise.
LIVED_EXPERIENCE_BY_DEFAULT = frozenset({Route.GRANT, Route.ALLIANCE})
# Routes that only take consortium applications with shared accountability.
CONSORTIUM_ONLY = frozenset({Route.ALLIANCE})


class KeyCriterion(models.TextChoices):
    """The five key criteria of the Provider Selection Regime (regulation 5)."""

    QUALITY = "quality", "Quality and innovation"
    VALUE = "value", "Value"
    INTEGRATION = "integration", "Integration, collaboration and service sustainability"
    ACCESS = "access", "Improving access, reducing health inequalities and facilitating choice"
    SOCIAL_VALUE = "social_value", "Social value"


def steps(route: str) -> tuple[str, ...]:
    return ROUTE_STEPS[route]


def has_standstill(route: str) -> bool:
    return State.STANDSTILL in ROUTE_STEPS[route]


def next_state(route: str, state: str) -> str | None:
    """The state after `state` on this route, or None at the end."""
    sequence = ROUTE_STEPS[route]
    if state not in sequence:
        return None
    index = sequence.index(state)
    return sequence[index + 1] if index + 1 < len(sequence) else None


def check_transition(route: str, current: str, target: str) -> None:
    """Raise a GOV.UK-worded ValidationError unless the route allows current -> target."""
    if target == State.CANCELLED:
        if current in (State.AWARDED, State.CANCELLED):
            raise ValidationError(f"An opportunity that is {State(current).label.lower()} cannot be cancelled.")
        return
    allowed = next_state(route, current)
    if allowed != target:
        route_label = Route(route).label
        if target not in ROUTE_STEPS[route]:
            raise ValidationError(f"The {route_label} route has no '{State(target).label}' step.")
        expected = State(allowed).label.lower() if allowed else "nothing: it is finished"
        raise ValidationError(
            f"This opportunity is {State(current).label.lower()}. On the {route_label} route the next step is "
            f"{expected}, not {State(target).label.lower()}."
        )
