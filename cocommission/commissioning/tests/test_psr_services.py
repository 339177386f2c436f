"""PSR notices and representations: content, refusals, and the award notice deadline."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cocommission.commissioning.models import PsrNotice, Representation
from cocommission.commissioning.routes import KeyCriterion, Route, State
from cocommission.commissioning.selectors.psr import award_notice_due, build_notice_content, notice_status
from cocommission.commissioning.services.decisions import save_decision
from cocommission.commissioning.services.psr import (
    award_problems,
    intention_problems,
    log_representation,
    publish_award_notice,
    record_response,
)
from cocommission.commissioning.services.transitions import move_opportunity

from .factories import ApplicationFactory, ConsortiumFactory, ConsortiumMemberFactory, OpportunityFactory
from .factories_decisions import (
    RepresentationFactory,
    award_all,
    declare_conflict,
    decline,
    moderate,
    provider,
    provider_application,
    psr_opportunity,
    seat,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def decide(actor, opportunity, amounts: dict, conflicts: str = "") -> None:
    """Save and confirm a decision awarding `amounts` ({application: Decimal or None})."""
    items = [award_all([a], amount)[0] if amount else decline(a) for a, amount in amounts.items()]
    save_decision(
        actor=actor,
        opportunity=opportunity,
        decision_makers="Sid Shah (ICB, chair)",
        summary="Assessed against the five key criteria.",
        conflicts_summary=conflicts,
        items=items,
    )
    move_opportunity(actor=actor, opportunity=opportunity, target=State.DECIDED)
    opportunity.refresh_from_db()


@pytest.fixture
def direct_c(sid, icb):
    opportunity = psr_opportunity("psr_direct_c", funder=icb, named_provider=provider(name="Shared Lives Brackenmoor"))
    application = provider_application(opportunity)
    return opportunity, application


# The notice of intention to award


def test_the_intention_notice_carries_what_the_regulations_ask_for(sid, direct_c):
    opportunity, application = direct_c
    criteria = {c.key_criterion: c for c in opportunity.criteria.all()}
    moderate(application, {criteria["quality"]: 4, criteria["value"]: 3})
    member = seat(opportunity, user=sid, sector="statutory")
    declare_conflict(member, application, details="Used to work for the provider")
    decide(sid, opportunity, {application: Decimal("9000")}, conflicts="One member declared a past role.")
    move_opportunity(actor=sid, opportunity=opportunity, target=State.STANDSTILL)

    notice = PsrNotice.objects.get(opportunity=opportunity, kind=PsrNotice.Kind.INTENTION)
    content = notice.content
    assert content["schema"] == "cocommission-psr-notice/1"
    assert content["regulations"] == "The Health Care Services (Provider Selection Regime) Regulations 2023"
    assert content["contract"]["title"] == opportunity.title
    assert content["contract"]["reference"] == opportunity.reference
    assert content["contract"]["cpv_code"] == "85000000-9"
    assert content["providers"] == [
        {
            "name": "Shared Lives Brackenmoor",
            "address": "1 Mill Lane\nBrackenmoor",
            "postcode": "BR1 2AB",
            "charity_number": "",
            "company_number": "",
            "award_value": "9000.00",
            "consortium": None,
        }
    ]
    assert content["description_of_services"]["problem"] == opportunity.problem
    assert content["description_of_services"]["outcomes"] == ["People stay living in their own homes"]
    assert content["approximate_lifetime_value"]["amount"] == "9000.00"
    assert "whole term of 1 year" in content["approximate_lifetime_value"]["basis"]
    assert content["decision_makers"] == "Sid Shah (ICB, chair)"
    assert content["conflicts_of_interest"] == "One member declared a past role."
    assert [k["key_criterion"] for k in content["reasons"]["key_criteria"]] == list(KeyCriterion.values)
    quality = content["reasons"]["key_criteria"][0]
    assert quality["criteria"][0]["agreed_scores"][0]["score"] == 4
    assert content["reasons"]["by_provider"][0]["reasons"] == "Strong on every criterion."
    assert content["standstill"]["ends_on"] == str(notice.standstill_ends_on)
    assert content["published_at"] == notice.published_at.isoformat()


def test_a_consortium_is_named_with_its_members_and_no_lead(sid, icb, org_a, org_b):
    opportunity = OpportunityFactory.create(funder=icb, psr_competitive=True, scoring=True)
    consortium = ConsortiumFactory.create(name="Valley Alliance")
    ConsortiumMemberFactory.create(consortium=consortium, organisation=org_a, confirmed=True)
    ConsortiumMemberFactory.create(consortium=consortium, organisation=org_b, confirmed=True)
    application = ApplicationFactory.create(
        opportunity=opportunity, organisation=org_a, consortium=consortium, submitted=True
    )
    decide(sid, opportunity, {application: Decimal("150000")})
    content = build_notice_content(opportunity, PsrNotice.Kind.INTENTION, published_at=None)
    (entry,) = content["providers"]
    assert entry["name"] == "Valley Alliance"
    assert entry["consortium"]["lead"] is None
    assert [m["name"] for m in entry["consortium"]["members"]] == sorted([org_a.name, org_b.name])


def test_lifetime_value_adds_up_every_award(sid, icb):
    opportunity = OpportunityFactory.create(funder=icb, psr_competitive=True, scoring=True, term_years=3)
    first, second, third = (ApplicationFactory.create(opportunity=opportunity, submitted=True) for _ in range(3))
    decide(sid, opportunity, {first: Decimal("120000.50"), second: Decimal("80000"), third: None})
    content = build_notice_content(opportunity, PsrNotice.Kind.INTENTION, published_at=None)
    assert content["approximate_lifetime_value"]["amount"] == "200000.50"
    assert "whole term of 3 years" in content["approximate_lifetime_value"]["basis"]
    assert len(content["providers"]) == 2


def test_intention_problems_before_the_decision_is_confirmed(direct_c):
    opportunity, _application = direct_c
    problems = intention_problems(opportunity)
    assert "Confirm the decision before publishing the notice of intention to award" in problems
    assert "The decision awards nothing, so there is no intention to award to publish" in problems


def test_the_intention_needs_a_cpv_code_on_psr_routes(sid, direct_c):
    opportunity, application = direct_c
    decide(sid, opportunity, {application: Decimal("9000")})
    opportunity.cpv_code = ""
    opportunity.save()
    assert intention_problems(opportunity) == ["Add the CPV code to the opportunity: the notice must include it"]
    with pytest.raises(ValidationError):
        move_opportunity(actor=sid, opportunity=opportunity, target=State.STANDSTILL)
    assert not PsrNotice.objects.exists()


def test_a_decision_awarding_nobody_has_no_intention_to_publish(sid, direct_c):
    opportunity, application = direct_c
    decide(sid, opportunity, {application: None})
    with pytest.raises(ValidationError) as exc:
        move_opportunity(actor=sid, opportunity=opportunity, target=State.STANDSTILL)
    assert exc.value.messages == ["The decision awards nothing, so there is no intention to award to publish"]


def test_routes_without_standstill_have_no_intention_notice(sid, icb):
    opportunity = psr_opportunity("psr_direct_a", funder=icb)
    assert intention_problems(opportunity) == [
        "The Provider Selection Regime: Direct Award A route has no standstill and no notice of intention to award"
    ]


def test_an_open_competition_publishes_its_intention_without_a_cpv_code(sid, icb):
    opportunity = OpportunityFactory.create(funder=icb, open_competition=True, scoring=True)
    application = ApplicationFactory.create(opportunity=opportunity, submitted=True)
    decide(sid, opportunity, {application: Decimal("100000")})
    move_opportunity(actor=sid, opportunity=opportunity, target=State.STANDSTILL)
    notice = PsrNotice.objects.get()
    assert notice.content["regulations"] is None
    assert notice.standstill_ends_on is not None


# Award problems on standstill routes


@pytest.fixture
def in_standstill(sid, direct_c):
    opportunity, application = direct_c
    decide(sid, opportunity, {application: Decimal("9000")})
    move_opportunity(actor=sid, opportunity=opportunity, target=State.STANDSTILL)
    opportunity.refresh_from_db()
    notice = PsrNotice.objects.get(opportunity=opportunity)
    return opportunity, notice


def test_the_award_waits_for_the_end_of_standstill(in_standstill):
    opportunity, notice = in_standstill
    ends = notice.standstill_ends_on
    problems = award_problems(opportunity, today=ends)
    assert problems == [
        f"The standstill period ends on {ends.day} {ends:%B %Y}. "
        f"You can award from {(ends + datetime.timedelta(days=1)).day} {ends + datetime.timedelta(days=1):%B %Y}."
    ]
    assert award_problems(opportunity, today=ends + datetime.timedelta(days=1)) == []


def test_an_unanswered_representation_holds_the_award(in_standstill):
    opportunity, notice = in_standstill
    RepresentationFactory.create(opportunity=opportunity, made_by="Valley Care Ltd", received_on=D(2026, 1, 5))
    after = notice.standstill_ends_on + datetime.timedelta(days=30)
    assert award_problems(opportunity, today=after) == [
        "The representation from Valley Care Ltd received on 5 January 2026 has no response yet. "
        "Record the response before awarding."
    ]


def test_the_award_stays_held_for_five_working_days_after_the_response(in_standstill):
    opportunity, notice = in_standstill
    notice.standstill_ends_on = D(2026, 3, 31)
    notice.save()
    RepresentationFactory.create(
        opportunity=opportunity,
        made_by="Valley Care Ltd",
        received_on=D(2026, 3, 30),
        responded_on=D(2026, 4, 1),
        response="We re-checked the scores.",
        hold_ends_on=D(2026, 4, 13),
    )
    assert award_problems(opportunity, today=D(2026, 4, 13)) == [
        "The representation from Valley Care Ltd holds the award until 13 April 2026, 5 working days after the "
        "response. You can award from 14 April 2026."
    ]
    assert award_problems(opportunity, today=D(2026, 4, 14)) == []


def test_routes_without_standstill_have_no_award_problems(sid, icb):
    opportunity = psr_opportunity("psr_direct_b", funder=icb)
    assert award_problems(opportunity, today=timezone.localdate()) == []


def test_awarding_before_the_intention_is_published_is_refused(in_standstill):
    opportunity, notice = in_standstill
    notice.delete()
    assert award_problems(opportunity, today=timezone.localdate() + datetime.timedelta(days=60)) == [
        "Publish the notice of intention to award and wait for the standstill period to end"
    ]


# Representations


def test_a_representation_during_standstill_is_logged(sid, in_standstill):
    opportunity, _notice = in_standstill
    representation = log_representation(
        actor=sid,
        opportunity=opportunity,
        received_on=timezone.localdate(),
        made_by=" Valley Care Ltd ",
        summary="Social value was scored on a different method.",
    )
    assert representation.made_by == "Valley Care Ltd"
    assert representation.logged_by == sid


@pytest.mark.parametrize(
    ("offset", "message"),
    [
        (1, "The date received must be today or in the past"),
        (-1, "The date received must be on or after"),
    ],
)
def test_representation_dates_outside_standstill_are_refused(sid, in_standstill, offset, message):
    opportunity, _notice = in_standstill
    with pytest.raises(ValidationError) as exc:
        log_representation(
            actor=sid,
            opportunity=opportunity,
            received_on=timezone.localdate() + datetime.timedelta(days=offset),
            made_by="Valley Care Ltd",
            summary="Concern",
        )
    assert exc.value.message_dict["received_on"][0].startswith(message)
    assert not Representation.objects.exists()


def test_a_representation_after_standstill_ended_is_refused(sid, in_standstill):
    opportunity, notice = in_standstill
    notice.published_at = timezone.now() - datetime.timedelta(days=30)
    notice.standstill_ends_on = timezone.localdate() - datetime.timedelta(days=10)
    notice.save()
    with pytest.raises(ValidationError) as exc:
        log_representation(
            actor=sid, opportunity=opportunity, received_on=timezone.localdate(), made_by="X", summary="Y"
        )
    assert "A representation received after that does not hold the award" in exc.value.message_dict["received_on"][0]


def test_representations_need_who_and_what(sid, in_standstill):
    opportunity, _notice = in_standstill
    with pytest.raises(ValidationError) as exc:
        log_representation(actor=sid, opportunity=opportunity, received_on=timezone.localdate(), made_by="", summary="")
    assert exc.value.message_dict == {
        "made_by": ["Enter who made the representation"],
        "summary": ["Enter a summary of the representation"],
    }


def test_representations_are_only_logged_in_standstill(sid, direct_c):
    opportunity, _application = direct_c
    with pytest.raises(ValidationError, match="only be logged while the opportunity is in standstill"):
        log_representation(
            actor=sid, opportunity=opportunity, received_on=timezone.localdate(), made_by="X", summary="Y"
        )


def test_a_response_sets_the_hold_and_cannot_be_recorded_twice(sid, in_standstill):
    opportunity, _notice = in_standstill
    representation = RepresentationFactory.create(opportunity=opportunity, received_on=timezone.localdate())
    answered = record_response(
        actor=sid, representation=representation, response="We re-checked.", responded_on=timezone.localdate()
    )
    assert answered.hold_ends_on is not None and answered.hold_ends_on > timezone.localdate()
    with pytest.raises(ValidationError, match="A response was already recorded"):
        record_response(actor=sid, representation=representation, response="Again", responded_on=timezone.localdate())


def test_a_response_before_the_representation_or_in_the_future_is_refused(sid, in_standstill):
    opportunity, _notice = in_standstill
    representation = RepresentationFactory.create(opportunity=opportunity, received_on=timezone.localdate())
    with pytest.raises(ValidationError) as exc:
        record_response(
            actor=sid,
            representation=representation,
            response="",
            responded_on=timezone.localdate() - datetime.timedelta(days=1),
        )
    assert exc.value.message_dict["response"] == ["Enter the response"]
    assert exc.value.message_dict["responded_on"][0].startswith("The date of the response must be on or after")
    with pytest.raises(ValidationError) as exc:
        record_response(
            actor=sid,
            representation=representation,
            response="Fine",
            responded_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    assert exc.value.message_dict["responded_on"] == ["The date of the response must be today or in the past"]


# The notice of award


@pytest.mark.parametrize("route", ["psr_direct_a", "psr_direct_b"])
def test_direct_awards_a_and_b_owe_an_award_notice_within_30_days(sid, icb, route):
    opportunity = psr_opportunity(route, funder=icb)
    application = provider_application(opportunity)
    decide(sid, opportunity, {application: Decimal("9000")})
    move_opportunity(actor=sid, opportunity=opportunity, target=State.AWARDED)
    opportunity.refresh_from_db()

    awarded_on = timezone.localdate(opportunity.awarded_at)
    due = award_notice_due(opportunity)
    assert due == awarded_on + datetime.timedelta(days=30)
    assert notice_status(opportunity, today=due).award_notice_overdue is False
    assert notice_status(opportunity, today=due + datetime.timedelta(days=1)).award_notice_overdue is True

    notice = publish_award_notice(actor=sid, opportunity=opportunity)
    assert notice.content["notice_type"] == "award"
    assert notice.content["award_date"] == awarded_on.isoformat()
    assert "standstill" not in notice.content
    assert notice_status(opportunity, today=due + datetime.timedelta(days=1)).award_notice_overdue is False
    with pytest.raises(ValidationError, match="already published"):
        publish_award_notice(actor=sid, opportunity=opportunity)


def test_routes_with_standstill_have_no_30_day_deadline(sid, icb):
    opportunity = OpportunityFactory.create(funder=icb, psr_most_suitable=True, awarded=True)
    assert award_notice_due(opportunity) is None


def test_the_award_notice_waits_for_the_award(sid, icb):
    opportunity = psr_opportunity("psr_direct_a", funder=icb)
    with pytest.raises(ValidationError, match="Award the contract before publishing the notice of award"):
        publish_award_notice(actor=sid, opportunity=opportunity)


def test_grants_have_no_award_notice(sid, icb):
    opportunity = OpportunityFactory.create(funder=icb, grant=True, awarded=True)
    assert opportunity.route == Route.GRANT
    with pytest.raises(ValidationError, match="Only Provider Selection Regime routes"):
        publish_award_notice(actor=sid, opportunity=opportunity)
