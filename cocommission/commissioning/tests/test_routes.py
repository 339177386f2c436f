"""Every route's state machine, through services.transitions.move_opportunity.

The state machine is tested here with the other parts' readiness guards and side effects
switched off (their owners test those); the opportunity guards (opening, closing, assessing)
stay on and are satisfied by `make_ready_to_open`.
"""

import itertools

import pytest
from django.core.exceptions import ValidationError

from cocommission.commissioning.routes import ROUTE_STEPS, Route, State, has_standstill, next_state
from cocommission.commissioning.services import transitions
from cocommission.commissioning.services.transitions import move_opportunity
from cocommission.core.models import AuditEvent

from .factories import OpportunityFactory, make_ready_to_open

pytestmark = pytest.mark.django_db

ROUTES = [str(r) for r in Route]


@pytest.fixture(autouse=True)
def other_parts_ready(monkeypatch):
    monkeypatch.setattr(transitions.panels, "panel_balance_problems", lambda opportunity: [])
    monkeypatch.setattr(transitions.panels, "on_scoring_opened", lambda opportunity, *, actor: None)
    monkeypatch.setattr(transitions.decisions, "decision_problems", lambda opportunity: [])
    monkeypatch.setattr(transitions.decisions, "on_awarded", lambda opportunity, *, actor: None)
    monkeypatch.setattr(transitions.psr, "intention_problems", lambda opportunity: [])
    monkeypatch.setattr(transitions.psr, "award_problems", lambda opportunity, *, today: [])
    monkeypatch.setattr(transitions.psr, "on_standstill_started", lambda opportunity, *, actor: None)


def ready(route: str, state: str = State.DRAFT):
    opportunity = make_ready_to_open(OpportunityFactory.create(**{route: True}))
    if state != State.DRAFT:
        opportunity.state = state
        opportunity.save(update_fields=["state"])
    return opportunity


@pytest.mark.parametrize("route", ROUTES)
def test_route_walks_every_step_to_the_award(route, sid):
    opportunity = ready(route)
    steps = ROUTE_STEPS[route]
    for target in steps[1:]:
        opportunity = move_opportunity(actor=sid, opportunity=opportunity, target=target)
        opportunity.refresh_from_db()
        assert opportunity.state == target
    assert opportunity.state == State.AWARDED
    assert opportunity.awarded_at is not None
    events = AuditEvent.objects.filter(object_type="commissioning.opportunity", object_id=str(opportunity.pk))
    assert [e.changes["state"] for e in events.order_by("id")] == [
        [before, after] for before, after in itertools.pairwise(steps)
    ]


def test_the_routes_take_the_steps_the_regulations_and_the_issue_describe():
    assert not has_standstill(Route.GRANT) and not has_standstill(Route.ALLIANCE)
    assert has_standstill(Route.PSR_DIRECT_C) and has_standstill(Route.PSR_MOST_SUITABLE)
    assert has_standstill(Route.PSR_COMPETITIVE) and has_standstill(Route.OPEN_COMPETITION)
    assert ROUTE_STEPS[Route.PSR_DIRECT_A] == (State.DRAFT, State.ASSESSING, State.DECIDED, State.AWARDED)
    assert ROUTE_STEPS[Route.PSR_DIRECT_B] == ROUTE_STEPS[Route.PSR_DIRECT_A]
    assert State.OPEN not in ROUTE_STEPS[Route.PSR_DIRECT_C]


@pytest.mark.parametrize(("route", "state"), [(r, s) for r in ROUTES for s in ROUTE_STEPS[r]])
def test_every_step_but_the_next_is_refused(route, state, sid):
    opportunity = ready(route, state)
    allowed = {next_state(route, state), State.CANCELLED}
    for target in State.values:
        if target in allowed:
            continue
        with pytest.raises(ValidationError):
            move_opportunity(actor=sid, opportunity=opportunity, target=target)
        opportunity.refresh_from_db()
        assert opportunity.state == state, f"{route}: {state} -> {target} was not refused"
    assert not AuditEvent.objects.filter(object_type="commissioning.opportunity").exists()


@pytest.mark.parametrize(("route", "state"), [(r, s) for r in ROUTES for s in ROUTE_STEPS[r] if s != State.AWARDED])
def test_cancelling_is_allowed_until_the_award(route, state, sid):
    opportunity = ready(route, state)
    moved = move_opportunity(actor=sid, opportunity=opportunity, target=State.CANCELLED, reason="Budget withdrawn")
    assert moved.state == State.CANCELLED
    event = AuditEvent.objects.get(object_type="commissioning.opportunity", object_id=str(opportunity.pk))
    assert event.changes["reason"] == [None, "Budget withdrawn"]


@pytest.mark.parametrize("state", [State.AWARDED, State.CANCELLED])
def test_awarded_or_cancelled_cannot_be_cancelled(state, sid):
    opportunity = ready(Route.GRANT, state)
    with pytest.raises(ValidationError, match="cannot be cancelled"):
        move_opportunity(actor=sid, opportunity=opportunity, target=State.CANCELLED)


def test_a_cancelled_opportunity_goes_nowhere(sid):
    opportunity = ready(Route.GRANT, State.CANCELLED)
    for target in State.values:
        with pytest.raises(ValidationError):
            move_opportunity(actor=sid, opportunity=opportunity, target=target)


def test_refusals_say_what_the_next_step_is(sid):
    grant = ready(Route.GRANT)
    with pytest.raises(ValidationError) as exc:
        move_opportunity(actor=sid, opportunity=grant, target=State.CLOSED)
    assert exc.value.messages == [
        "This opportunity is draft. On the Grant (open call) route the next step is open for applications, not closed."
    ]
    with pytest.raises(ValidationError) as exc:
        move_opportunity(actor=sid, opportunity=grant, target=State.STANDSTILL)
    assert exc.value.messages == ["The Grant (open call) route has no 'Standstill' step."]
    direct = ready(Route.PSR_DIRECT_A)
    with pytest.raises(ValidationError, match="has no 'Open for applications' step"):
        move_opportunity(actor=sid, opportunity=direct, target=State.OPEN)


def test_a_guard_problem_stops_the_move_and_saves_nothing(sid):
    opportunity = OpportunityFactory.create()  # no criteria, outcomes or questions
    with pytest.raises(ValidationError) as exc:
        move_opportunity(actor=sid, opportunity=opportunity, target=State.OPEN)
    assert "Agree at least one outcome sought" in exc.value.messages
    opportunity.refresh_from_db()
    assert opportunity.state == State.DRAFT
    assert not AuditEvent.objects.exists()


def test_other_parts_guards_are_asked_at_their_step(sid, monkeypatch):
    monkeypatch.setattr(transitions.panels, "panel_balance_problems", lambda o: ["Add a VCSE member to the panel"])
    opportunity = ready(Route.GRANT, State.CLOSED)
    with pytest.raises(ValidationError) as exc:
        move_opportunity(actor=sid, opportunity=opportunity, target=State.SCORING)
    assert exc.value.messages == ["Add a VCSE member to the panel"]
    opportunity.refresh_from_db()
    assert opportunity.state == State.CLOSED


def test_side_effects_run_inside_the_move(sid, monkeypatch):
    seen: list[tuple[str, str]] = []
    monkeypatch.setattr(transitions.panels, "on_scoring_opened", lambda o, *, actor: seen.append(("scoring", o.state)))
    monkeypatch.setattr(
        transitions.psr, "on_standstill_started", lambda o, *, actor: seen.append(("standstill", o.state))
    )
    monkeypatch.setattr(transitions.decisions, "on_awarded", lambda o, *, actor: seen.append(("awarded", o.state)))
    opportunity = ready(Route.OPEN_COMPETITION, State.CLOSED)
    for target in (State.SCORING, State.DECIDED, State.STANDSTILL, State.AWARDED):
        opportunity = move_opportunity(actor=sid, opportunity=opportunity, target=target)
    assert seen == [("scoring", "scoring"), ("standstill", "standstill"), ("awarded", "awarded")]


def test_a_failing_side_effect_rolls_the_move_back(sid, monkeypatch):
    def refuse(opportunity, *, actor):
        raise ValidationError("The draft agreement could not be created")

    monkeypatch.setattr(transitions.decisions, "on_awarded", refuse)
    opportunity = ready(Route.GRANT, State.DECIDED)
    with pytest.raises(ValidationError):
        move_opportunity(actor=sid, opportunity=opportunity, target=State.AWARDED)
    opportunity.refresh_from_db()
    assert opportunity.state == State.DECIDED
    assert opportunity.awarded_at is None
