"""Declarations, score sheets and moderation: every refusal, and what is recorded."""

import pytest
from django.core.exceptions import ValidationError

from cocommission.core.models import AuditEvent

from ..models import Application, ConflictDeclaration, ModeratedScore, Opportunity, Panel, Score, ScoreSheet
from ..permissions import hidden_scores_reason
from ..routes import State
from ..services import panel_scoring as scoring
from ..services import panels as services
from ..services.panel_scoring import ScoreEntry
from .factories import (
    ApplicationFactory,
    ConflictDeclarationFactory,
    CriterionFactory,
    OpportunityFactory,
    PanelFactory,
    PanelMemberFactory,
)
from .panel_world import World, agreed, build_world, full_sheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(icb, org_a, org_b, charlie, lena, partnership) -> World:
    return build_world(icb=icb, org_a=org_a, org_b=org_b, charlie=charlie, lena=lena, partnership=partnership)


def _declare(world: World, who: str, application: Application, conflict: bool = False) -> ConflictDeclaration:
    seat = world.seats[who]
    return services.declare_interests(
        actor=seat.user,
        member=seat,
        application=application,
        has_conflict=conflict,
        details="I volunteer there." if conflict else "",
        management="I do not score it." if conflict else "",
    )


def _submit(world: World, who: str, application: Application, **scores: int) -> ScoreSheet:
    seat = world.seats[who]
    return scoring.save_score_sheet(
        actor=seat.user, member=seat, application=application, entries=full_sheet(world, **scores), submit=True
    )


def _state(world: World, state: str) -> None:
    Opportunity.objects.filter(pk=world.opportunity.pk).update(state=state)
    world.opportunity.refresh_from_db()


# ---- Declarations -----------------------------------------------------------------------------


def test_a_member_declares_no_conflict_and_it_is_recorded(world):
    declaration = _declare(world, "lena", world.app_a)
    assert declaration.has_conflict is False
    event = AuditEvent.objects.get(object_type="commissioning.conflictdeclaration")
    assert event.actor == world.lena
    assert event.action == AuditEvent.Action.CREATE


def test_a_conflict_needs_its_details_and_how_it_is_managed(world):
    seat = world.seats["charlie"]
    with pytest.raises(ValidationError) as caught:
        services.declare_interests(actor=world.charlie, member=seat, application=world.app_b, has_conflict=True)
    assert caught.value.message_dict == {
        "details": ["Describe the conflict of interest"],
        "management": ["Say how the conflict is managed, for example that you will not score it"],
    }
    assert not ConflictDeclaration.objects.exists()


def test_nobody_declares_for_someone_else(world):
    with pytest.raises(ValidationError) as caught:
        services.declare_interests(
            actor=world.stella, member=world.seats["lena"], application=world.app_a, has_conflict=False
        )
    assert caught.value.messages == ["Panel members declare their own interests."]


def test_declarations_are_for_this_opportunitys_submitted_applications(world, icb):
    elsewhere = ApplicationFactory.create(
        opportunity=OpportunityFactory.create(funder=icb, closed=True), submitted=True
    )
    draft = ApplicationFactory.create(opportunity=world.opportunity)
    seat = world.seats["lena"]
    for application in (elsewhere, draft):
        with pytest.raises(ValidationError):
            services.declare_interests(actor=world.lena, member=seat, application=application, has_conflict=False)
    assert not ConflictDeclaration.objects.exists()


def test_declaring_a_conflict_discards_draft_scores(world):
    _declare(world, "charlie", world.app_b)
    seat = world.seats["charlie"]
    first = world.criteria[0]
    scoring.save_score_sheet(
        actor=world.charlie,
        member=seat,
        application=world.app_b,
        entries={first.pk: ScoreEntry(5, "")},
        submit=False,
    )
    _declare(world, "charlie", world.app_b, conflict=True)
    assert not ScoreSheet.objects.filter(member=seat).exists()
    assert ConflictDeclaration.objects.get(member=seat).has_conflict
    actions = list(AuditEvent.objects.filter(object_type="commissioning.conflictdeclaration").values_list("action"))
    assert actions == [("update",), ("create",)]


def test_a_declaration_cannot_change_after_the_scores_are_submitted(world):
    _declare(world, "lena", world.app_a)
    _submit(world, "lena", world.app_a)
    with pytest.raises(ValidationError) as caught:
        _declare(world, "lena", world.app_a, conflict=True)
    assert "your declaration cannot change now" in caught.value.messages[0]
    assert ConflictDeclaration.objects.get(member=world.seats["lena"]).has_conflict is False


def test_declarations_close_with_the_decision(world):
    _state(world, State.DECIDED)
    with pytest.raises(ValidationError) as caught:
        _declare(world, "lena", world.app_a)
    assert caught.value.messages == ["Declarations are closed: this opportunity is decided."]


# ---- Scoring: who, when, what -----------------------------------------------------------------


def test_a_draft_can_be_partial_and_submitting_needs_every_score_and_comment(world):
    _declare(world, "lena", world.app_a)
    seat = world.seats["lena"]
    reach, value = world.criteria
    sheet = scoring.save_score_sheet(
        actor=world.lena, member=seat, application=world.app_a, entries={reach.pk: ScoreEntry(3, "")}, submit=False
    )
    assert sheet.submitted_at is None
    assert list(Score.objects.filter(sheet=sheet).values_list("score", flat=True)) == [3]
    with pytest.raises(ValidationError) as caught:
        scoring.save_score_sheet(
            actor=world.lena, member=seat, application=world.app_a, entries={reach.pk: ScoreEntry(3, "")}, submit=True
        )
    assert caught.value.message_dict == {
        f"comment_{reach.pk}": ["Enter a comment for Reach"],
        f"score_{value.pk}": ["Choose a score for Value"],
        f"comment_{value.pk}": ["Enter a comment for Value"],
    }
    sheet.refresh_from_db()
    assert sheet.submitted_at is None  # nothing half-saved


def test_a_draft_comment_without_a_score_is_refused_rather_than_lost(world):
    _declare(world, "lena", world.app_a)
    reach = world.criteria[0]
    with pytest.raises(ValidationError) as caught:
        scoring.save_score_sheet(
            actor=world.lena,
            member=world.seats["lena"],
            application=world.app_a,
            entries={reach.pk: ScoreEntry(None, "Strong outreach")},
            submit=False,
        )
    assert caught.value.message_dict == {f"score_{reach.pk}": ["Choose a score for Reach"]}


def test_scores_must_be_between_0_and_5(world):
    _declare(world, "lena", world.app_a)
    entries = full_sheet(world, reach=6)
    with pytest.raises(ValidationError) as caught:
        scoring.save_score_sheet(
            actor=world.lena, member=world.seats["lena"], application=world.app_a, entries=entries, submit=True
        )
    assert caught.value.message_dict == {f"score_{world.criteria[0].pk}": ["Score for Reach must be between 0 and 5"]}


def test_submitting_locks_the_sheet_and_a_second_submission_changes_nothing(world):
    _declare(world, "lena", world.app_a)
    sheet = _submit(world, "lena", world.app_a, reach=4)
    stamped = sheet.submitted_at
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        _submit(world, "lena", world.app_a, reach=1)
    assert caught.value.code == "submitted"
    assert ScoreSheet.objects.count() == 1
    sheet.refresh_from_db()
    assert sheet.submitted_at == stamped
    assert Score.objects.get(sheet=sheet, criterion=world.criteria[0]).score == 4
    assert AuditEvent.objects.count() == events


def test_the_audit_log_records_submission_but_not_the_values(world):
    _declare(world, "lena", world.app_a)
    _submit(world, "lena", world.app_a)
    events = AuditEvent.objects.filter(object_type="commissioning.scoresheet").order_by("id")
    assert [e.action for e in events] == ["create", "update", "update"]
    assert "submitted_at" in events[2].changes
    assert all("Reaches people" not in str(e.changes) for e in events)


def test_someone_not_on_the_panel_cannot_score_as_a_member(world, alice):
    _declare(world, "lena", world.app_a)
    with pytest.raises(ValidationError) as caught:
        scoring.save_score_sheet(
            actor=alice, member=world.seats["lena"], application=world.app_a, entries=full_sheet(world), submit=True
        )
    assert caught.value.messages == ["Only the panel member can fill in their own scores."]
    assert not ScoreSheet.objects.exists()


def test_a_member_must_declare_before_scoring(world):
    with pytest.raises(ValidationError) as caught:
        _submit(world, "lena", world.app_a)
    assert caught.value.code == "undeclared"
    assert not ScoreSheet.objects.exists()


def test_a_conflicted_member_cannot_score_and_their_declaration_stays(world):
    _declare(world, "charlie", world.app_b, conflict=True)
    with pytest.raises(ValidationError) as caught:
        _submit(world, "charlie", world.app_b)
    assert caught.value.messages == [
        "You declared a conflict of interest with this application, so you cannot score it."
    ]
    assert not ScoreSheet.objects.exists()
    declaration = ConflictDeclaration.objects.get(member=world.seats["charlie"])
    assert declaration.management == "I do not score it."


def test_a_member_of_another_panel_cannot_score_this_application(world, icb, alice, org_a):
    other = OpportunityFactory.create(funder=icb, scoring=True)
    seat = PanelMemberFactory.create(panel=PanelFactory.create(opportunity=other), user=alice, organisation=org_a)
    with pytest.raises(ValidationError) as caught:
        scoring.save_score_sheet(
            actor=alice, member=seat, application=world.app_a, entries=full_sheet(world), submit=True
        )
    assert "not for the opportunity your panel is assessing" in caught.value.messages[0]


@pytest.mark.parametrize("state", [State.OPEN, State.CLOSED, State.DECIDED, State.AWARDED, State.CANCELLED])
def test_scoring_happens_only_in_the_scoring_step(world, state):
    _declare(world, "lena", world.app_a)
    _state(world, state)
    with pytest.raises(ValidationError) as caught:
        _submit(world, "lena", world.app_a)
    assert caught.value.code == "not_open"
    assert caught.value.messages[0].startswith("Scoring is not open: this opportunity is")


def test_on_direct_routes_the_panel_scores_while_assessing_if_balanced(icb, sid, charlie, org_b, lena):
    opportunity = OpportunityFactory.create(funder=icb, assessing=True, psr_direct_c=True)
    criterion = CriterionFactory.create(opportunity=opportunity, weight=100)
    application = ApplicationFactory.create(
        opportunity=opportunity, organisation=opportunity.named_provider, submitted=True
    )
    panel = PanelFactory.create(opportunity=opportunity)
    seat = PanelMemberFactory.create(panel=panel, user=charlie, organisation=org_b)
    ConflictDeclarationFactory.create(member=seat, application=application)
    entries = {criterion.pk: ScoreEntry(4, "Good record of care.")}
    with pytest.raises(ValidationError) as caught:
        scoring.save_score_sheet(actor=charlie, member=seat, application=application, entries=entries, submit=True)
    assert caught.value.messages == [
        "Scoring cannot start until the panel is balanced.",
        "The panel needs at least one statutory member.",
    ]
    PanelMemberFactory.create(panel=panel, statutory=True)
    sheet = scoring.save_score_sheet(actor=charlie, member=seat, application=application, entries=entries, submit=True)
    assert sheet.submitted_at is not None


# ---- Hidden scores ----------------------------------------------------------------------------


def test_scores_stay_hidden_from_a_member_until_they_submit_their_own(world, sid):
    _declare(world, "stella", world.app_a)
    _declare(world, "lena", world.app_a)
    _submit(world, "stella", world.app_a)
    assert hidden_scores_reason(world.lena, world.app_a) == (
        "The panel's scores stay hidden until you submit your own scores for this application."
    )
    _submit(world, "lena", world.app_a)
    assert hidden_scores_reason(world.lena, world.app_a) is None
    assert hidden_scores_reason(sid, world.app_a) is None  # a commissioner who is not on the panel


def test_a_conflicted_member_never_sees_the_scores(world):
    _declare(world, "charlie", world.app_b, conflict=True)
    reason = hidden_scores_reason(world.charlie, world.app_b)
    assert reason is not None and "conflict of interest" in reason


# ---- Moderation -------------------------------------------------------------------------------


def _scored(world: World) -> None:
    _declare(world, "stella", world.app_a)
    _declare(world, "lena", world.app_a)
    _submit(world, "stella", world.app_a, reach=4, value=2)
    _submit(world, "lena", world.app_a, reach=2, value=4)


def test_a_commissioner_records_agreed_scores_with_reasons_and_notes(world, sid, icb):
    _scored(world)
    saved = scoring.moderate_application(
        actor=sid, application=world.app_a, entries=agreed(world, reach=3, value=3), notes="Settled by discussion."
    )
    assert [m.score for m in saved] == [3, 3]
    assert all(m.moderated_by == sid for m in saved)
    assert Panel.objects.get(opportunity=world.opportunity).moderation_notes == "Settled by discussion."
    assert AuditEvent.objects.filter(object_type="commissioning.moderatedscore", action="create").count() == 2
    assert AuditEvent.objects.filter(object_type="commissioning.panel", organisation_id=icb.pk).exists()
    scoring.moderate_application(actor=sid, application=world.app_a, entries=agreed(world, reach=4, value=3))
    assert ModeratedScore.objects.get(criterion=world.criteria[0]).score == 4
    update = AuditEvent.objects.get(object_type="commissioning.moderatedscore", action="update")
    assert update.changes["score"] == [3, 4]


def test_the_chair_moderates_once_they_have_submitted(world):
    _declare(world, "lena", world.app_a)
    _submit(world, "lena", world.app_a)
    with pytest.raises(ValidationError) as caught:
        scoring.moderate_application(actor=world.stella, application=world.app_a, entries=agreed(world))
    assert caught.value.code == "hidden"
    _declare(world, "stella", world.app_a)
    _submit(world, "stella", world.app_a)
    scoring.moderate_application(actor=world.stella, application=world.app_a, entries=agreed(world))
    assert ModeratedScore.objects.filter(application=world.app_a).count() == 2


def test_a_conflicted_chair_cannot_moderate_that_application(world, org_b):
    world.seats["stella"].is_chair = False
    world.seats["stella"].save()
    world.seats["charlie"].is_chair = True
    world.seats["charlie"].save()
    _declare(world, "charlie", world.app_b, conflict=True)
    _declare(world, "lena", world.app_b)
    _submit(world, "lena", world.app_b)
    with pytest.raises(ValidationError) as caught:
        scoring.moderate_application(actor=world.charlie, application=world.app_b, entries=agreed(world))
    assert "You declared a conflict of interest" in caught.value.messages[0]
    assert not ModeratedScore.objects.exists()


def test_panel_members_who_do_not_chair_cannot_moderate(world, alice):
    _scored(world)
    for person in (world.lena, alice):
        with pytest.raises(ValidationError) as caught:
            scoring.moderate_application(actor=person, application=world.app_a, entries=agreed(world))
        assert caught.value.code == "not_allowed"
    assert not ModeratedScore.objects.exists()


def test_moderation_needs_submitted_scores_and_a_complete_set(world, sid):
    with pytest.raises(ValidationError) as caught:
        scoring.moderate_application(actor=sid, application=world.app_a, entries=agreed(world))
    assert caught.value.code == "no_scores"
    _scored(world)
    value = world.criteria[1]
    entries = agreed(world)
    entries[value.pk] = scoring.ModerationEntry(None, "")
    with pytest.raises(ValidationError) as caught:
        scoring.moderate_application(actor=sid, application=world.app_a, entries=entries)
    assert caught.value.message_dict == {
        f"score_{value.pk}": ["Choose a score for Value"],
        f"comment_{value.pk}": ["Enter the reason for Value"],
    }
    assert not ModeratedScore.objects.exists()


def test_moderation_closes_with_the_decision(world, sid):
    _scored(world)
    _state(world, State.DECIDED)
    with pytest.raises(ValidationError) as caught:
        scoring.moderate_application(actor=sid, application=world.app_a, entries=agreed(world))
    assert caught.value.code == "not_open"
