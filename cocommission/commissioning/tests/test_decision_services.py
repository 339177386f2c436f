"""The decision service: every refusal, saving again, confirming, and awarding."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from cocommission.agreements.models import Agreement
from cocommission.commissioning.models import Application, ApplicationDecision, DecisionRecord
from cocommission.commissioning.routes import State
from cocommission.commissioning.services.decisions import (
    DecisionInput,
    add_named_provider_application,
    decision_problems,
    field_name,
    save_decision,
)
from cocommission.commissioning.services.transitions import move_opportunity
from cocommission.commissioning.tasks import send_decision_email
from cocommission.core.models import AuditEvent
from cocommission.organisations.models import Interaction
from cocommission.organisations.tests.factories import MembershipFactory

from .factories import ApplicationFactory, ConsortiumFactory, ConsortiumMemberFactory, OpportunityFactory
from .factories_decisions import (
    ApplicationDecisionFactory,
    DecisionRecordFactory,
    award_all,
    decline,
    psr_opportunity,
    submitted_applications,
)

pytestmark = pytest.mark.django_db

RECORD = {
    "decision_makers": "Sid Shah (ICB, chair)\nAlice Adams (Riverside Carers)",
    "summary": "Ranked by weighted agreed scores and funded from the top within the budget.",
    "conflicts_summary": "",
}


@pytest.fixture
def opportunity(sid, icb):
    # £50,000 budget, at most £10,000 an award.
    return OpportunityFactory.create(funder=icb, scoring=True, grant=True)


def _save(actor, opportunity, items, **record):
    return save_decision(actor=actor, opportunity=opportunity, items=items, **{**RECORD, **record})


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


# Saving the decision


def test_a_decision_covering_every_application_is_saved_with_its_record(sid, opportunity):
    first, second = submitted_applications(opportunity, 2)
    record = _save(sid, opportunity, [*award_all([first], Decimal("7500")), decline(second)])

    assert record.decision_makers.startswith("Sid Shah")
    assert record.confirmed_at is None
    assert first.decision.outcome == ApplicationDecision.Outcome.AWARD
    assert first.decision.amount == Decimal("7500")
    assert second.decision.outcome == ApplicationDecision.Outcome.DECLINE
    assert second.decision.amount is None
    assert AuditEvent.objects.filter(object_type="commissioning.applicationdecision").count() == 2
    assert AuditEvent.objects.filter(object_type="commissioning.decisionrecord", action="create").count() == 1


def test_saving_again_changes_the_decision_without_making_a_second_one(sid, opportunity):
    (application,) = submitted_applications(opportunity, 1)
    _save(sid, opportunity, award_all([application], Decimal("5000")))
    _save(sid, opportunity, [decline(application)], summary="Changed after moderation.")

    assert ApplicationDecision.objects.count() == 1
    assert DecisionRecord.objects.count() == 1
    application.refresh_from_db()
    assert application.decision.outcome == ApplicationDecision.Outcome.DECLINE
    assert application.decision.amount is None
    assert DecisionRecord.objects.get().summary == "Changed after moderation."


def test_an_award_over_the_maximum_is_refused_naming_both_amounts(sid, opportunity):
    (application,) = submitted_applications(opportunity, 1)
    with pytest.raises(ValidationError) as exc:
        _save(sid, opportunity, award_all([application], Decimal("12000")))
    name = application.organisation.name
    assert _errors(exc)[field_name("amount", application.pk)] == [
        f"The award to {name} is £12,000. The most one award can be is £10,000."
    ]
    assert not ApplicationDecision.objects.exists()
    assert not DecisionRecord.objects.exists()


def test_awards_adding_up_to_more_than_the_budget_are_refused_and_nothing_is_saved(sid, opportunity):
    applications = submitted_applications(opportunity, 6)  # 6 × £9,000 = £54,000 > £50,000
    with pytest.raises(ValidationError) as exc:
        _save(sid, opportunity, award_all(applications, Decimal("9000")))
    assert _errors(exc)[NON_FIELD_ERRORS] == ["Awards add up to £54,000, which is more than the budget of £50,000"]
    assert not ApplicationDecision.objects.exists()


def test_awards_exactly_at_the_budget_and_the_maximum_are_allowed(sid, opportunity):
    applications = submitted_applications(opportunity, 5)
    _save(sid, opportunity, award_all(applications, Decimal("10000")))
    assert ApplicationDecision.objects.filter(amount=Decimal("10000")).count() == 5


@pytest.mark.parametrize(
    ("change", "part", "message"),
    [
        ({"outcome": ""}, "outcome", "Select whether to award {name}"),
        ({"amount": None}, "amount", "Enter the amount to award to {name}"),
        ({"amount": Decimal("0")}, "amount", "The award to {name} must be more than £0"),
        ({"amount": Decimal("-5")}, "amount", "The award to {name} must be more than £0"),
        ({"reasons": "  "}, "reasons", "Enter the reasons for the decision on {name}, referring to the criteria"),
        ({"feedback": ""}, "feedback", "Enter feedback for {name}"),
    ],
)
def test_each_missing_or_wrong_part_is_named_on_its_field(sid, opportunity, change, part, message):
    (application,) = submitted_applications(opportunity, 1)
    item = award_all([application])[0]
    broken = DecisionInput(**{**item.__dict__, **change})
    with pytest.raises(ValidationError) as exc:
        _save(sid, opportunity, [broken])
    assert _errors(exc)[field_name(part, application.pk)] == [message.format(name=application.organisation.name)]


def test_an_application_left_out_of_the_decision_is_refused(sid, opportunity):
    first, second = submitted_applications(opportunity, 2)
    with pytest.raises(ValidationError) as exc:
        _save(sid, opportunity, award_all([first]))
    assert field_name("outcome", second.pk) in _errors(exc)
    assert not ApplicationDecision.objects.exists()


def test_the_record_needs_decision_makers_and_how_criteria_were_applied(sid, opportunity):
    (application,) = submitted_applications(opportunity, 1)
    with pytest.raises(ValidationError) as exc:
        _save(sid, opportunity, award_all([application]), decision_makers="", summary=" ")
    assert _errors(exc)["decision_makers"] == ["Enter the names and roles of the people who made the decision"]
    assert _errors(exc)["summary"] == ["Enter how the criteria were applied"]


def test_drafts_and_withdrawn_applications_are_not_part_of_the_decision(sid, opportunity):
    (submitted,) = submitted_applications(opportunity, 1)
    ApplicationFactory.create(opportunity=opportunity)
    withdrawn = ApplicationFactory.create(opportunity=opportunity, withdrawn=True)
    with pytest.raises(ValidationError, match="not a submitted application"):
        _save(sid, opportunity, award_all([submitted, withdrawn]))
    _save(sid, opportunity, award_all([submitted]))
    assert ApplicationDecision.objects.count() == 1


@pytest.mark.parametrize("state", [State.OPEN, State.CLOSED, State.DECIDED, State.AWARDED])
def test_the_decision_cannot_be_saved_outside_scoring_or_assessment(sid, icb, state):
    opportunity = OpportunityFactory.create(funder=icb, state=state)
    (application,) = submitted_applications(opportunity, 1)
    with pytest.raises(ValidationError, match="only be changed while applications are being scored or assessed"):
        _save(sid, opportunity, award_all([application]))


def test_a_direct_award_decides_on_the_named_provider_once_it_is_added(sid, icb):
    opportunity = psr_opportunity("psr_direct_c", funder=icb)
    application = add_named_provider_application(actor=sid, opportunity=opportunity)
    assert application.organisation == opportunity.named_provider
    assert application.status == Application.Status.SUBMITTED
    with pytest.raises(ValidationError, match="already part of this decision"):
        add_named_provider_application(actor=sid, opportunity=opportunity)
    _save(sid, opportunity, award_all([application], Decimal("8000")))
    assert application.decision.amount == Decimal("8000")


def test_open_calls_cannot_add_a_named_provider(sid, opportunity):
    with pytest.raises(ValidationError, match="Only a direct award route"):
        add_named_provider_application(actor=sid, opportunity=opportunity)


# Confirming (DECIDED)


def test_decision_problems_name_what_is_missing(sid, opportunity):
    first, second = submitted_applications(opportunity, 2)
    problems = decision_problems(opportunity)
    assert "Record the decision: who made it, how the criteria were applied, and each outcome" in problems
    assert f"Decide on the application from {first.organisation.name}" in problems
    assert f"Decide on the application from {second.organisation.name}" in problems


def test_no_applications_means_nothing_to_decide(opportunity):
    assert any("no submitted applications" in p for p in decision_problems(opportunity))


def test_decision_problems_catch_an_award_changed_behind_the_service(sid, opportunity):
    # The guard re-checks the rules at the moment of confirming, whatever wrote the rows.
    DecisionRecordFactory.create(opportunity=opportunity)
    application = ApplicationFactory.create(opportunity=opportunity, submitted=True)
    ApplicationDecisionFactory.create(application=application, amount=Decimal("60000"))
    problems = decision_problems(opportunity)
    assert f"The award to {application.organisation.name} is £60,000. The most one award can be is £10,000." in problems
    assert "Awards add up to £60,000, which is more than the budget of £50,000" in problems
    with pytest.raises(ValidationError):
        move_opportunity(actor=sid, opportunity=opportunity, target=State.DECIDED)
    opportunity.refresh_from_db()
    assert opportunity.state == State.SCORING


def test_confirming_tells_every_applicant_by_email_and_on_the_timeline(
    sid, icb, opportunity, org_a, alice, bob, org_b, charlie, django_capture_on_commit_callbacks
):
    mine = ApplicationFactory.create(opportunity=opportunity, organisation=org_a, submitted=True)
    theirs = ApplicationFactory.create(opportunity=opportunity, organisation=org_b, submitted=True)
    _save(sid, opportunity, [*award_all([mine], Decimal("6000")), decline(theirs)])

    with django_capture_on_commit_callbacks(execute=True):
        moved = move_opportunity(actor=sid, opportunity=opportunity, target=State.DECIDED)

    assert moved.state == State.DECIDED
    assert DecisionRecord.objects.get().confirmed_at is not None
    assert ApplicationDecision.objects.filter(notified_at__isnull=False).count() == 2
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == ["alice@example.org", "bob@example.org", "charlie@example.org"]
    alice_mail = next(m for m in mail.outbox if m.to == ["alice@example.org"])
    assert "awarded £6,000" in alice_mail.body
    assert f"/opportunities/applications/{mine.pk}/feedback/" in alice_mail.body
    charlie_mail = next(m for m in mail.outbox if m.to == ["charlie@example.org"])
    assert "not been awarded" in charlie_mail.body
    entries = Interaction.objects.filter(kind=Interaction.Kind.DECISION)
    assert entries.count() == 2
    assert {e.summary.split(": ")[-1] for e in entries} == {"awarded £6,000.", "not awarded."}


def test_a_consortium_decision_reaches_every_member_that_did_not_decline(
    sid, opportunity, org_a, org_b, alice, charlie, django_capture_on_commit_callbacks
):
    consortium = ConsortiumFactory.create(name="Valley Alliance")
    ConsortiumMemberFactory.create(consortium=consortium, organisation=org_a, confirmed=True)
    ConsortiumMemberFactory.create(consortium=consortium, organisation=org_b, confirmed=True)
    declined = ConsortiumMemberFactory.create(consortium=consortium, declined=True)
    MembershipFactory.create(organisation=declined.organisation, user__email="declined@example.org")
    application = ApplicationFactory.create(
        opportunity=opportunity, organisation=org_a, consortium=consortium, submitted=True
    )
    _save(sid, opportunity, award_all([application]))
    with django_capture_on_commit_callbacks(execute=True):
        move_opportunity(actor=sid, opportunity=opportunity, target=State.DECIDED)
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "charlie@example.org"]
    assert Interaction.objects.filter(kind=Interaction.Kind.DECISION).count() == 2


def test_confirming_twice_is_refused_and_tells_nobody_twice(sid, opportunity, django_capture_on_commit_callbacks):
    (application,) = submitted_applications(opportunity, 1)
    MembershipFactory.create(organisation=application.organisation)
    _save(sid, opportunity, award_all([application]))
    with django_capture_on_commit_callbacks(execute=True):
        move_opportunity(actor=sid, opportunity=opportunity, target=State.DECIDED)
    with pytest.raises(ValidationError), django_capture_on_commit_callbacks(execute=True):
        move_opportunity(actor=sid, opportunity=opportunity, target=State.DECIDED)
    assert len(mail.outbox) == 1
    assert Interaction.objects.filter(kind=Interaction.Kind.DECISION).count() == 1


def test_a_confirmed_decision_can_no_longer_be_changed(sid, opportunity):
    (application,) = submitted_applications(opportunity, 1)
    _save(sid, opportunity, award_all([application]))
    move_opportunity(actor=sid, opportunity=opportunity, target=State.DECIDED)
    with pytest.raises(ValidationError, match="This opportunity is decided"):
        _save(sid, opportunity, [decline(application)])


# Awarding (AWARDED)


def test_awarding_a_grant_creates_one_draft_agreement_per_award(sid, opportunity, org_a, org_b):
    mine = ApplicationFactory.create(opportunity=opportunity, organisation=org_a, submitted=True)
    theirs = ApplicationFactory.create(opportunity=opportunity, organisation=org_b, submitted=True)
    _save(sid, opportunity, [*award_all([mine], Decimal("6000")), decline(theirs)])
    move_opportunity(actor=sid, opportunity=opportunity, target=State.DECIDED)
    move_opportunity(actor=sid, opportunity=opportunity, target=State.AWARDED)

    agreement = Agreement.objects.get()
    assert agreement.provider == org_a
    assert agreement.funder == opportunity.funder
    assert agreement.award == mine.decision
    assert agreement.value == Decimal("6000")
    assert agreement.reference == f"AGR-{opportunity.reference}-1"
    assert agreement.status == Agreement.Status.DRAFT
    award_entries = Interaction.objects.filter(kind=Interaction.Kind.AWARD)
    assert award_entries.count() == 1
    assert agreement.reference in award_entries.get().summary


def test_awarding_twice_is_refused_and_leaves_one_agreement_per_award(sid, opportunity):
    applications = submitted_applications(opportunity, 2)
    _save(sid, opportunity, award_all(applications))
    move_opportunity(actor=sid, opportunity=opportunity, target=State.DECIDED)
    move_opportunity(actor=sid, opportunity=opportunity, target=State.AWARDED)
    with pytest.raises(ValidationError):
        move_opportunity(actor=sid, opportunity=opportunity, target=State.AWARDED)
    assert Agreement.objects.count() == 2
    assert set(Agreement.objects.values_list("award__application", flat=True)) == {a.pk for a in applications}


def test_a_grant_can_be_awarded_straight_after_the_decision(sid, opportunity):
    (application,) = submitted_applications(opportunity, 1)
    _save(sid, opportunity, award_all([application]))
    move_opportunity(actor=sid, opportunity=opportunity, target=State.DECIDED)
    # No standstill on a grant: the only step left is the award.
    moved = move_opportunity(actor=sid, opportunity=opportunity, target=State.AWARDED)
    assert moved.state == State.AWARDED
    assert moved.awarded_at is not None


def test_the_feedback_email_is_not_sent_for_a_decision_nobody_has_been_told_about(opportunity):
    decision = ApplicationDecisionFactory.create(
        application=ApplicationFactory.create(opportunity=opportunity, submitted=True)
    )
    MembershipFactory.create(organisation=decision.application.organisation)
    assert send_decision_email.call(decision_id=decision.pk) == 0
    assert mail.outbox == []


def test_the_feedback_email_links_to_the_site_address_setting(opportunity, settings):
    settings.SITE_URL = "https://cocommission.example.org"
    decision = ApplicationDecisionFactory.create(
        application=ApplicationFactory.create(opportunity=opportunity, submitted=True), notified=True
    )
    MembershipFactory.create(organisation=decision.application.organisation)
    assert send_decision_email.call(decision_id=decision.pk) == 1
    link = f"https://cocommission.example.org/opportunities/applications/{decision.application.pk}/feedback/"
    assert link in mail.outbox[0].body
