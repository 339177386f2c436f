"""Pages for criteria, questions and outcomes: managers set them up, partners propose outcomes."""

import pytest
from django.urls import reverse

from cocommission.commissioning.models import Criterion, OpportunityOutcome, Question
from cocommission.organisations.tests.factories import MembershipFactory, OrganisationFactory

from .factories import CriterionFactory, OpportunityFactory, OutcomeFactory, QuestionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mfa_off")]


def url(name: str, *args: object) -> str:
    return reverse(f"commissioning:{name}", args=args)


@pytest.fixture
def outsider(db):
    return MembershipFactory.create(organisation=OrganisationFactory.create(), user__email="olly@example.org").user


@pytest.fixture
def draft(icb, partnership):
    return OpportunityFactory.create(funder=icb, partnership=partnership)


# ---- Criteria ---------------------------------------------------------------------------------


def test_manager_adds_changes_and_removes_a_criterion(client, sid, draft):
    client.force_login(sid)
    assert client.get(url("criterion_add", draft.slug)).status_code == 200
    response = client.post(url("criterion_add", draft.slug), {"name": "Reach", "weight": "60"})
    assert response.status_code == 302 and response["Location"].endswith("#criteria")
    criterion = Criterion.objects.get(opportunity=draft)
    client.post(url("criterion_edit", draft.slug, criterion.pk), {"name": "Reach into the valleys", "weight": "70"})
    criterion.refresh_from_db()
    assert (criterion.name, criterion.weight) == ("Reach into the valleys", 70)
    confirm = client.get(url("criterion_remove", draft.slug, criterion.pk))
    assert "Remove the criterion ‘Reach into the valleys’?" in confirm.text
    assert Criterion.objects.filter(pk=criterion.pk).exists()
    client.post(url("criterion_remove", draft.slug, criterion.pk))
    assert not Criterion.objects.filter(pk=criterion.pk).exists()


def test_weights_over_100_are_refused_on_the_form(client, sid, draft):
    CriterionFactory.create(opportunity=draft, weight=80)
    client.force_login(sid)
    response = client.post(url("criterion_add", draft.slug), {"name": "Value", "weight": "30"})
    assert response.status_code == 200
    assert "this criterion can weigh at most 20%" in response.text
    assert 'value="Value"' in response.text


def test_psr_criteria_ask_for_the_key_criterion(client, sid, icb):
    opportunity = OpportunityFactory.create(funder=icb, psr_competitive=True)
    client.force_login(sid)
    page = client.get(url("criterion_add", opportunity.slug))
    assert "Which of the five key criteria does it assess?" in page.text
    response = client.post(url("criterion_add", opportunity.slug), {"name": "Quality", "weight": "20"})
    assert "Choose the key criterion this criterion assesses" in response.text
    client.post(url("criterion_add", opportunity.slug), {"name": "Quality", "weight": "20", "key_criterion": "quality"})
    assert opportunity.criteria.get().key_criterion == "quality"


def test_a_criterion_of_another_opportunity_is_not_found(client, sid, draft, icb):
    other = CriterionFactory.create(opportunity=OpportunityFactory.create(funder=icb))
    client.force_login(sid)
    assert client.get(url("criterion_edit", draft.slug, other.pk)).status_code == 404


@pytest.mark.parametrize(("persona", "status"), [("anonymous", 302), ("alice", 403), ("lena", 403), ("outsider", 404)])
def test_only_managers_set_criteria(client, request, draft, persona, status):
    criterion = CriterionFactory.create(opportunity=draft)
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    assert client.get(url("criterion_add", draft.slug)).status_code == status
    assert client.post(url("criterion_remove", draft.slug, criterion.pk)).status_code == status
    assert Criterion.objects.filter(pk=criterion.pk).exists()


def test_criteria_cannot_change_once_open(client, sid, icb):
    opportunity = OpportunityFactory.create(funder=icb, open=True)
    criterion = CriterionFactory.create(opportunity=opportunity)
    client.force_login(sid)
    response = client.post(url("criterion_remove", opportunity.slug, criterion.pk), follow=True)
    assert "You can only change the criteria, questions and outcomes while the opportunity is a draft" in (
        response.text
    )
    assert Criterion.objects.filter(pk=criterion.pk).exists()
    for name in ("criterion_add", "question_add", "outcome_add"):
        assert client.get(url(name, opportunity.slug)).status_code == 302


# ---- Questions --------------------------------------------------------------------------------


def test_manager_adds_questions_within_the_limits(client, sid, draft):
    client.force_login(sid)
    page = client.get(url("question_add", draft.slug))
    assert "at most 3 questions and 500 words in total" in page.text
    client.post(url("question_add", draft.slug), {"text": "What will change?", "word_limit": "300"})
    response = client.post(url("question_add", draft.slug), {"text": "How?", "word_limit": "300"})
    assert "so this question can have at most 200" in response.text
    assert Question.objects.filter(opportunity=draft).count() == 1


def test_manager_changes_and_removes_a_question(client, sid, draft):
    question = QuestionFactory.create(opportunity=draft)
    client.force_login(sid)
    client.post(url("question_edit", draft.slug, question.pk), {"text": "Who benefits?", "word_limit": "100"})
    question.refresh_from_db()
    assert question.text == "Who benefits?"
    client.post(url("question_remove", draft.slug, question.pk))
    assert not Question.objects.filter(pk=question.pk).exists()


@pytest.mark.parametrize(("persona", "status"), [("anonymous", 302), ("alice", 403), ("outsider", 404)])
def test_only_managers_set_questions(client, request, draft, persona, status):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    assert client.get(url("question_add", draft.slug)).status_code == status


# ---- Outcomes ---------------------------------------------------------------------------------


def test_partner_proposes_and_manager_agrees(client, alice, cora, draft):
    client.force_login(alice)
    response = client.post(url("outcome_add", draft.slug), {"text": "Carers have time for themselves"}, follow=True)
    assert "The people managing the opportunity will agree it or decline it" in response.text
    outcome = OpportunityOutcome.objects.get(opportunity=draft)
    assert outcome.status == "proposed"
    assert client.post(url("outcome_agree", draft.slug, outcome.pk)).status_code == 403
    client.force_login(cora)
    page = client.get(url("opportunity_detail", draft.slug))
    assert 'Agree<span class="govuk-visually-hidden"> the outcome: Carers have time for themselves' in page.text
    client.post(url("outcome_agree", draft.slug, outcome.pk))
    outcome.refresh_from_db()
    assert outcome.status == "agreed"
    client.post(url("outcome_decline", draft.slug, outcome.pk))
    outcome.refresh_from_db()
    assert outcome.status == "declined"


def test_manager_changes_and_removes_an_outcome(client, sid, draft):
    outcome = OutcomeFactory.create(opportunity=draft)
    client.force_login(sid)
    client.post(url("outcome_edit", draft.slug, outcome.pk), {"text": "Fewer emergency admissions"})
    outcome.refresh_from_db()
    assert outcome.text == "Fewer emergency admissions"
    client.post(url("outcome_remove", draft.slug, outcome.pk))
    assert not OpportunityOutcome.objects.filter(pk=outcome.pk).exists()


@pytest.mark.parametrize(
    ("persona", "status"), [("anonymous", 302), ("outsider", 404), ("lena", 200), ("charlie", 200)]
)
def test_who_can_propose_outcomes(client, request, draft, persona, status):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    assert client.get(url("outcome_add", draft.slug)).status_code == status


def test_outsiders_cannot_propose_on_a_published_opportunity(client, outsider, icb, partnership):
    opportunity = OpportunityFactory.create(funder=icb, partnership=partnership, open=True)
    client.force_login(outsider)
    assert client.get(url("outcome_add", opportunity.slug)).status_code == 403


def test_agreeing_is_post_only(client, sid, draft):
    outcome = OutcomeFactory.create(opportunity=draft, proposed=True)
    client.force_login(sid)
    assert client.get(url("outcome_agree", draft.slug, outcome.pk)).status_code == 405
