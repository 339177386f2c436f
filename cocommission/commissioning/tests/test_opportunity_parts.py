"""Criteria with weights, questions within the ask, and outcomes partners propose."""

import pytest
from django.core.exceptions import ValidationError

from cocommission.commissioning.models import Criterion, OpportunityOutcome, Question
from cocommission.commissioning.services import opportunity_parts as services
from cocommission.core.models import AuditEvent

from .factories import CriterionFactory, OpportunityFactory, OutcomeFactory, QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def grant(icb, partnership):
    return OpportunityFactory.create(funder=icb, partnership=partnership)


# ---- Criteria ---------------------------------------------------------------------------------


def test_add_criteria_up_to_100_percent(sid, grant):
    first = services.add_criterion(actor=sid, opportunity=grant, name="Reach", weight=60)
    second = services.add_criterion(actor=sid, opportunity=grant, name="Value", weight=40)
    assert (first.order, second.order) == (0, 1)
    with pytest.raises(ValidationError) as exc:
        services.add_criterion(actor=sid, opportunity=grant, name="Extra", weight=10)
    assert exc.value.message_dict["weight"] == ["The other criteria already weigh 100%. Lower one of them first"]
    assert grant.criteria.count() == 2
    assert AuditEvent.objects.filter(object_type="commissioning.criterion", action="create").count() == 2


def test_weight_over_what_is_left_names_the_most_it_can_be(sid, grant):
    CriterionFactory.create(opportunity=grant, weight=70)
    with pytest.raises(ValidationError) as exc:
        services.add_criterion(actor=sid, opportunity=grant, name="Reach", weight=40)
    assert exc.value.message_dict["weight"] == [
        "The weights would add up to 110%. They must add up to 100%: this criterion can weigh at most 30%"
    ]


def test_changing_a_criterion_does_not_count_its_own_old_weight(sid, grant):
    criterion = CriterionFactory.create(opportunity=grant, weight=100)
    services.change_criterion(actor=sid, criterion=criterion, name="Everything", weight=100)
    criterion.refresh_from_db()
    assert criterion.name == "Everything"


def test_psr_criteria_must_name_a_key_criterion(sid, icb):
    opportunity = OpportunityFactory.create(funder=icb, psr_competitive=True)
    with pytest.raises(ValidationError) as exc:
        services.add_criterion(actor=sid, opportunity=opportunity, name="Quality", weight=20)
    assert exc.value.message_dict["key_criterion"] == ["Choose the key criterion this criterion assesses"]
    criterion = services.add_criterion(
        actor=sid, opportunity=opportunity, name="Quality", weight=20, key_criterion="quality"
    )
    assert criterion.get_key_criterion_display() == "Quality and innovation"


def test_key_criteria_are_refused_outside_psr(sid, grant):
    with pytest.raises(ValidationError) as exc:
        services.add_criterion(actor=sid, opportunity=grant, name="Quality", weight=20, key_criterion="quality")
    assert "only for Provider Selection Regime routes" in exc.value.message_dict["key_criterion"][0]


def test_criteria_are_fixed_once_open(sid, icb):
    opportunity = OpportunityFactory.create(funder=icb, open=True)
    criterion = CriterionFactory.create(opportunity=opportunity)
    with pytest.raises(ValidationError, match="only add criteria while the opportunity is a draft"):
        services.add_criterion(actor=sid, opportunity=opportunity, name="Reach", weight=10)
    with pytest.raises(ValidationError):
        services.remove_criterion(actor=sid, criterion=criterion)
    assert Criterion.objects.filter(pk=criterion.pk).exists()


def test_remove_criterion_records_it(sid, grant):
    criterion = CriterionFactory.create(opportunity=grant)
    services.remove_criterion(actor=sid, criterion=criterion)
    assert not Criterion.objects.filter(pk=criterion.pk).exists()
    assert AuditEvent.objects.filter(object_type="commissioning.criterion", action="delete").exists()


# ---- Questions --------------------------------------------------------------------------------


def test_questions_stay_within_the_word_limit(sid, grant):
    services.add_question(actor=sid, opportunity=grant, text="What will change?", word_limit=300)
    with pytest.raises(ValidationError) as exc:
        services.add_question(actor=sid, opportunity=grant, text="How?", word_limit=250)
    assert exc.value.message_dict["word_limit"] == [
        "The questions would ask for 550 words. This opportunity asks at most 500 words in total, "
        "so this question can have at most 200"
    ]
    assert grant.questions.count() == 1


def test_questions_stay_within_the_number_allowed(sid, grant):
    for n in range(3):
        QuestionFactory.create(opportunity=grant, word_limit=100, text=f"Q{n}")
    with pytest.raises(ValidationError) as exc:
        services.add_question(actor=sid, opportunity=grant, text="One more?", word_limit=50)
    assert exc.value.message_dict["text"] == [
        "This opportunity asks at most 3 questions. Remove one or raise the limit first"
    ]


def test_change_and_remove_a_question(sid, grant):
    question = QuestionFactory.create(opportunity=grant, word_limit=500)
    services.change_question(actor=sid, question=question, text="What difference?", word_limit=450, guidance="Be brief")
    question.refresh_from_db()
    assert (question.text, question.word_limit, question.guidance) == ("What difference?", 450, "Be brief")
    services.remove_question(actor=sid, question=question)
    assert not Question.objects.filter(pk=question.pk).exists()


# ---- Outcomes ---------------------------------------------------------------------------------


def test_partner_proposes_and_manager_agrees(alice, cora, org_a, grant):
    outcome = services.propose_outcome(actor=alice, opportunity=grant, text="Carers have time for themselves")
    assert outcome.status == OpportunityOutcome.Status.PROPOSED
    assert outcome.proposed_by_organisation == org_a
    services.decide_outcome(actor=cora, outcome=outcome, agree=True)
    outcome.refresh_from_db()
    assert outcome.status == OpportunityOutcome.Status.AGREED
    event = AuditEvent.objects.filter(object_type="commissioning.opportunityoutcome", action="update").get()
    assert event.changes == {"status": ["proposed", "agreed"]}


def test_manager_outcomes_are_agreed_at_once(sid, icb, grant):
    outcome = services.propose_outcome(actor=sid, opportunity=grant, text="Fewer people feel alone")
    assert outcome.status == OpportunityOutcome.Status.AGREED
    assert outcome.proposed_by_organisation == icb


def test_declined_outcomes_stay_on_record(sid, grant):
    outcome = OutcomeFactory.create(opportunity=grant, proposed=True)
    services.decide_outcome(actor=sid, outcome=outcome, agree=False)
    outcome.refresh_from_db()
    assert outcome.status == OpportunityOutcome.Status.DECLINED


def test_outcome_text_is_required_and_short(sid, grant):
    with pytest.raises(ValidationError) as exc:
        services.propose_outcome(actor=sid, opportunity=grant, text=" ")
    assert exc.value.message_dict["text"] == ["Enter the outcome sought"]
    with pytest.raises(ValidationError):
        services.propose_outcome(actor=sid, opportunity=grant, text="x" * 301)
    assert not grant.outcomes.exists()


def test_outcomes_are_fixed_once_open(sid, icb):
    opportunity = OpportunityFactory.create(funder=icb, open=True)
    outcome = OutcomeFactory.create(opportunity=opportunity, proposed=True)
    with pytest.raises(ValidationError):
        services.propose_outcome(actor=sid, opportunity=opportunity, text="More")
    with pytest.raises(ValidationError):
        services.decide_outcome(actor=sid, outcome=outcome, agree=True)
    with pytest.raises(ValidationError):
        services.change_outcome(actor=sid, outcome=outcome, text="Changed")
    outcome.refresh_from_db()
    assert (outcome.status, outcome.text) == ("proposed", outcome.text)
