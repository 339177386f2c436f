"""Panel set-up: the balance rule, who can join and leave, and scoring opening through the route."""

import pytest
from django.core.exceptions import ValidationError

from cocommission.core.models import AuditEvent
from cocommission.organisations.tests.factories import MembershipFactory, OrganisationFactory

from ..models import Opportunity, Panel, PanelMember
from ..routes import Route, State
from ..services import panels as services
from ..services.transitions import move_opportunity
from .factories import (
    ApplicationFactory,
    ConflictDeclarationFactory,
    OpportunityFactory,
    PanelFactory,
    PanelMemberFactory,
    ScoreSheetFactory,
)
from .panel_world import World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(icb, org_a, org_b, charlie, lena, partnership) -> World:
    return build_world(icb=icb, org_a=org_a, org_b=org_b, charlie=charlie, lena=lena, partnership=partnership)


def _messages(error: ValidationError) -> str:
    return " ".join(error.messages)


# ---- The balance rule -------------------------------------------------------------------------


def test_an_empty_panel_names_everything_it_needs(icb):
    opportunity = OpportunityFactory.create(funder=icb, closed=True, lived_experience_on_panel=True)
    assert services.panel_balance_problems(opportunity) == [
        "The panel has no members.",
        "The panel needs at least one VCSE member.",
        "The panel needs at least one statutory member.",
        "The panel needs at least one person with lived experience.",
    ]


def test_lived_experience_is_only_needed_when_the_opportunity_asks_for_it(icb):
    opportunity = OpportunityFactory.create(funder=icb, closed=True, lived_experience_on_panel=False)
    panel = PanelFactory.create(opportunity=opportunity)
    PanelMemberFactory.create(panel=panel)
    PanelMemberFactory.create(panel=panel, statutory=True)
    assert services.panel_balance_problems(opportunity) == []
    opportunity.lived_experience_on_panel = True
    assert services.panel_balance_problems(opportunity) == [
        "The panel needs at least one person with lived experience."
    ]


def test_other_members_do_not_stand_in_for_a_missing_sector(icb):
    opportunity = OpportunityFactory.create(funder=icb, closed=True, lived_experience_on_panel=False)
    panel = PanelFactory.create(opportunity=opportunity)
    PanelMemberFactory.create_batch(3, panel=panel, other=True)
    PanelMemberFactory.create(panel=panel)
    assert services.panel_balance_problems(opportunity) == ["The panel needs at least one statutory member."]


# ---- Opening scoring through the route --------------------------------------------------------


def test_scoring_cannot_open_with_an_unbalanced_panel(icb, sid, charlie, org_b):
    opportunity = OpportunityFactory.create(funder=icb, closed=True, route=Route.GRANT)
    panel = PanelFactory.create(opportunity=opportunity)
    PanelMemberFactory.create(panel=panel, user=charlie, organisation=org_b)
    PanelMemberFactory.create(panel=panel, statutory=True)
    with pytest.raises(ValidationError) as caught:
        move_opportunity(actor=sid, opportunity=opportunity, target=State.SCORING)
    assert caught.value.messages == ["The panel needs at least one person with lived experience."]
    opportunity.refresh_from_db()
    panel.refresh_from_db()
    assert opportunity.state == State.CLOSED
    assert panel.scoring_opened_at is None
    assert not AuditEvent.objects.exists()


def test_scoring_cannot_open_without_a_panel(icb, sid):
    opportunity = OpportunityFactory.create(funder=icb, closed=True, route=Route.OPEN_COMPETITION)
    with pytest.raises(ValidationError) as caught:
        move_opportunity(actor=sid, opportunity=opportunity, target=State.SCORING)
    assert "The panel has no members." in caught.value.messages
    assert Opportunity.objects.get(pk=opportunity.pk).state == State.CLOSED


def test_scoring_opens_once_the_panel_is_balanced_and_the_panel_records_when(world, icb, sid):
    opportunity = world.opportunity
    Opportunity.objects.filter(pk=opportunity.pk).update(state=State.CLOSED)
    opportunity.refresh_from_db()
    moved = move_opportunity(actor=sid, opportunity=opportunity, target=State.SCORING)
    assert moved.state == State.SCORING
    panel = Panel.objects.get(opportunity=opportunity)
    assert panel.scoring_opened_at is not None
    event = AuditEvent.objects.get(object_type="commissioning.panel")
    assert event.actor == sid
    assert event.organisation_id == icb.pk
    assert "scoring_opened_at" in event.changes


# ---- Adding members ---------------------------------------------------------------------------


def test_a_manager_adds_a_vcse_member_whose_organisation_is_found_for_them(icb, sid, alice, org_a):
    opportunity = OpportunityFactory.create(funder=icb, open=True)
    member = services.add_panel_member(actor=sid, opportunity=opportunity, email="ALICE@example.org ", sector="vcse")
    assert member.user == alice
    assert member.organisation == org_a
    assert member.panel.opportunity == opportunity
    event = AuditEvent.objects.get(object_type="commissioning.panelmember")
    assert event.action == AuditEvent.Action.CREATE
    assert event.actor == sid
    assert event.organisation_id == icb.pk


def test_someone_with_lived_experience_sits_for_no_organisation(icb, sid, lena, alice, org_a):
    opportunity = OpportunityFactory.create(funder=icb, open=True)
    member = services.add_panel_member(
        actor=sid, opportunity=opportunity, email=lena.email, sector="lived_experience", is_chair=True
    )
    assert member.organisation is None
    assert member.is_chair
    with pytest.raises(ValidationError) as caught:
        services.add_panel_member(
            actor=sid, opportunity=opportunity, email="alice@example.org", sector="lived_experience", organisation=org_a
        )
    assert "Leave the organisation empty" in caught.value.message_dict["organisation"][0]


@pytest.mark.parametrize(
    ("email", "sector", "field", "message"),
    [
        ("nobody@example.org", "vcse", "email", "There is no account with that email address"),
        ("alice@example.org", "statutory", "organisation", "is not a member of any statutory organisation"),
        ("sid@example.org", "vcse", "organisation", "is not a member of any VCSE organisation"),
        ("alice@example.org", "chief", "sector", "Choose the sector they sit for"),
    ],
)
def test_adding_refuses_a_seat_that_would_make_the_balance_untrue(icb, sid, alice, email, sector, field, message):
    opportunity = OpportunityFactory.create(funder=icb, open=True)
    with pytest.raises(ValidationError) as caught:
        services.add_panel_member(actor=sid, opportunity=opportunity, email=email, sector=sector)
    assert message in caught.value.message_dict[field][0]
    assert not PanelMember.objects.exists()
    assert not AuditEvent.objects.exists()


def test_an_organisation_must_be_theirs_and_of_the_sector(icb, sid, alice, org_a, org_b):
    opportunity = OpportunityFactory.create(funder=icb, open=True)
    with pytest.raises(ValidationError) as caught:
        services.add_panel_member(
            actor=sid, opportunity=opportunity, email=alice.email, sector="vcse", organisation=org_b
        )
    assert caught.value.message_dict["organisation"] == [
        f"{alice} is not a member of Hillside Food Bank. Choose an organisation they belong to"
    ]
    with pytest.raises(ValidationError) as caught:
        services.add_panel_member(
            actor=sid, opportunity=opportunity, email=alice.email, sector="statutory", organisation=org_a
        )
    assert "Riverside Carers is not a statutory organisation" in caught.value.message_dict["organisation"][0]


def test_someone_in_two_organisations_of_the_sector_is_asked_which(icb, sid, alice, org_a):
    second = OrganisationFactory.create(name="Valley Lunch Club")
    MembershipFactory.create(organisation=second, user=alice)
    opportunity = OpportunityFactory.create(funder=icb, open=True)
    with pytest.raises(ValidationError) as caught:
        services.add_panel_member(actor=sid, opportunity=opportunity, email=alice.email, sector="vcse")
    assert "belongs to more than one VCSE organisation" in caught.value.message_dict["organisation"][0]
    member = services.add_panel_member(
        actor=sid, opportunity=opportunity, email=alice.email, sector="vcse", organisation=second
    )
    assert member.organisation == second


def test_nobody_sits_twice(world, sid):
    with pytest.raises(ValidationError) as caught:
        services.add_panel_member(actor=sid, opportunity=world.opportunity, email=world.lena.email, sector="other")
    assert caught.value.message_dict["email"] == [f"{world.lena} is already on this panel"]


def test_members_can_join_while_the_panel_scores(world, sid, alice, org_a):
    member = services.add_panel_member(actor=sid, opportunity=world.opportunity, email=alice.email, sector="vcse")
    assert member.panel == world.seats["stella"].panel


@pytest.mark.parametrize("state", [State.DECIDED, State.STANDSTILL, State.AWARDED, State.CANCELLED])
def test_the_panel_is_fixed_once_the_decision_is_made(world, sid, alice, state):
    Opportunity.objects.filter(pk=world.opportunity.pk).update(state=state)
    with pytest.raises(ValidationError) as caught:
        services.add_panel_member(actor=sid, opportunity=world.opportunity, email=alice.email, sector="vcse")
    assert "The panel cannot change now" in _messages(caught.value)
    with pytest.raises(ValidationError):
        services.remove_panel_member(actor=sid, member=world.seats["lena"])
    assert PanelMember.objects.count() == 3


# ---- Removing members -------------------------------------------------------------------------


def test_a_member_who_has_not_scored_can_be_removed(icb, sid):
    opportunity = OpportunityFactory.create(funder=icb, closed=True)
    member = PanelMemberFactory.create(panel=PanelFactory.create(opportunity=opportunity))
    ScoreSheetFactory.create(
        member=member, application=ApplicationFactory.create(opportunity=opportunity, submitted=True)
    )
    services.remove_panel_member(actor=sid, member=member)
    assert not PanelMember.objects.exists()
    event = AuditEvent.objects.get(object_type="commissioning.panelmember")
    assert event.action == AuditEvent.Action.DELETE


def test_someone_who_submitted_scores_stays_on_the_panel(world, sid):
    ScoreSheetFactory.create(member=world.seats["lena"], application=world.app_a, submitted=True)
    with pytest.raises(ValidationError) as caught:
        services.remove_panel_member(actor=sid, member=world.seats["lena"])
    assert "has submitted scores" in _messages(caught.value)
    assert PanelMember.objects.filter(pk=world.seats["lena"].pk).exists()


def test_someone_who_declared_a_conflict_stays_on_the_panel(icb, sid):
    opportunity = OpportunityFactory.create(funder=icb, closed=True)
    member = PanelMemberFactory.create(panel=PanelFactory.create(opportunity=opportunity))
    ConflictDeclarationFactory.create(member=member, conflicted=True)
    with pytest.raises(ValidationError) as caught:
        services.remove_panel_member(actor=sid, member=member)
    assert "declared a conflict of interest" in _messages(caught.value)


def test_a_scoring_panel_cannot_lose_the_last_voice_of_a_sector(world, sid, alice, org_a):
    with pytest.raises(ValidationError) as caught:
        services.remove_panel_member(actor=sid, member=world.seats["lena"])
    assert _messages(caught.value) == (
        f"{world.lena} cannot leave while the panel is scoring: without them, the panel needs at least one person "
        "with lived experience. Add someone first."
    )
    services.add_panel_member(actor=sid, opportunity=world.opportunity, email=alice.email, sector="vcse")
    services.remove_panel_member(actor=sid, member=world.seats["charlie"])  # alice keeps the VCSE voice
    assert not PanelMember.objects.filter(user=world.charlie).exists()


def test_before_scoring_opens_any_member_without_a_record_can_leave(world, sid):
    Opportunity.objects.filter(pk=world.opportunity.pk).update(state=State.CLOSED)
    services.remove_panel_member(actor=sid, member=world.seats["lena"])
    assert services.panel_balance_problems(world.opportunity) == [
        "The panel needs at least one person with lived experience."
    ]
