"""Opening, changing and cancelling opportunities, and the guards on opening, closing and assessing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cocommission.commissioning.models import Opportunity
from cocommission.commissioning.routes import Route, State
from cocommission.commissioning.services import opportunities as services
from cocommission.commissioning.services.opportunities import OpportunityDetails
from cocommission.commissioning.services.transitions import move_opportunity
from cocommission.core.models import AuditEvent
from cocommission.core.versioning import version_of
from cocommission.organisations.tests.factories import AreaFactory, OrganisationFactory

from .factories import CriterionFactory, OpportunityFactory, OutcomeFactory, QuestionFactory, make_ready_to_open

pytestmark = pytest.mark.django_db


def details(**overrides: object) -> OpportunityDetails:
    today = timezone.localdate()
    values: dict[str, object] = {
        "title": "Lunch clubs for lonely older people",
        "problem": "Older people in the valley are lonely.",
        "total_budget": Decimal("5000"),
        "max_award": Decimal("500"),
        "route": Route.GRANT,
        "route_reason": "Small grants reach community groups best.",
        "opens_on": today,
        "closes_at": timezone.now() + datetime.timedelta(days=30),
        "decision_by": today + datetime.timedelta(days=60),
    }
    values.update(overrides)
    return OpportunityDetails(**values)  # type: ignore[arg-type]


def errors_of(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


# ---- Opening ----------------------------------------------------------------------------------


def test_commissioner_opens_a_micro_grant_with_band_defaults(sid, icb):
    opportunity = services.create_opportunity(actor=sid, funder=icb, details=details())
    assert opportunity.state == State.DRAFT
    assert (opportunity.max_questions, opportunity.word_limit, opportunity.extra_documents) == (3, 500, 0)
    assert opportunity.lived_experience_on_panel is True  # grants include lived experience by default
    assert opportunity.reference == f"BI-{timezone.localdate().year}-0001"
    assert opportunity.slug == "lunch-clubs-for-lonely-older-people"
    event = AuditEvent.objects.get(object_type="commissioning.opportunity", object_id=str(opportunity.pk))
    assert event.action == "create"
    assert event.organisation_id == icb.pk


def test_references_count_up_and_slugs_stay_unique(sid, icb):
    first = services.create_opportunity(actor=sid, funder=icb, details=details())
    second = services.create_opportunity(actor=sid, funder=icb, details=details())
    assert first.reference.endswith("-0001") and second.reference.endswith("-0002")
    assert second.slug == "lunch-clubs-for-lonely-older-people-2"


def test_reserved_words_never_become_slugs(sid, icb):
    opportunity = services.create_opportunity(actor=sid, funder=icb, details=details(title="Applications"))
    assert opportunity.slug == "applications-2"


def test_coordinator_opens_for_a_statutory_member_of_the_partnership(cora, icb, partnership):
    opportunity = services.create_opportunity(actor=cora, funder=icb, partnership=partnership, details=details())
    assert opportunity.partnership == partnership
    assert opportunity.reference.startswith("BT-")  # Brackenmoor Together
    event = AuditEvent.objects.get(object_type="commissioning.opportunity", object_id=str(opportunity.pk))
    assert event.partnership_id == partnership.pk


def test_coordinator_cannot_open_for_a_funder_outside_the_partnership(cora, partnership):
    outsider = OrganisationFactory.create(statutory=True)
    with pytest.raises(ValidationError) as exc:
        services.create_opportunity(actor=cora, funder=outsider, partnership=partnership, details=details())
    assert "funder" in errors_of(exc)
    assert not Opportunity.objects.exists()


def test_vcse_member_cannot_open_for_their_charity(alice, org_a):
    with pytest.raises(ValidationError):
        services.create_opportunity(actor=alice, funder=org_a, details=details())


def test_commissioner_cannot_open_for_someone_elses_statutory_body(sid):
    with pytest.raises(ValidationError):
        services.create_opportunity(actor=sid, funder=OrganisationFactory.create(statutory=True), details=details())


def test_route_default_for_lived_experience_can_be_overridden(sid, icb):
    competition = services.create_opportunity(
        actor=sid,
        funder=icb,
        details=details(route=Route.OPEN_COMPETITION, max_award=Decimal("5000")),
    )
    assert competition.lived_experience_on_panel is False
    grant_without = services.create_opportunity(actor=sid, funder=icb, details=details(lived_experience_on_panel=False))
    assert grant_without.lived_experience_on_panel is False


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"max_award": Decimal("6000")}, "max_award", "The maximum per award must not be more than the total budget"),
        ({"total_budget": Decimal("0")}, "total_budget", "The total budget must be more than £0"),
        ({"max_award": Decimal("-5")}, "max_award", "The maximum per award must be more than £0"),
        ({"title": "  "}, "title", "Enter a title"),
        ({"route_reason": ""}, "route_reason", "Explain why this route fits the service and the providers"),
        ({"term_years": 0}, "term_years", "The term must be at least 1 year"),
        ({"word_limit": 501}, "word_limit", "An opportunity whose awards are up to £10,000 can ask at most 500 words"),
        ({"max_questions": 4}, "max_questions", "can ask at most 3 questions"),
        ({"extra_documents": 1}, "extra_documents", "can ask for no documents beyond the passport"),
        ({"eligible_kinds": ["pirate"]}, "eligible_kinds", "Choose kinds of organisation from the list"),
    ],
)
def test_details_are_refused_with_a_clear_message(sid, icb, overrides, field, message):
    with pytest.raises(ValidationError) as exc:
        services.create_opportunity(actor=sid, funder=icb, details=details(**overrides))
    assert any(message in m for m in errors_of(exc)[field])
    assert not Opportunity.objects.exists()


def test_closing_before_opening_is_refused(sid, icb):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        services.create_opportunity(
            actor=sid,
            funder=icb,
            details=details(opens_on=today, closes_at=timezone.now() - datetime.timedelta(days=1)),
        )
    assert errors_of(exc)["closes_at"] == ["The closing date must be after the opening date"]


def test_decision_before_closing_is_refused(sid, icb):
    with pytest.raises(ValidationError) as exc:
        services.create_opportunity(actor=sid, funder=icb, details=details(decision_by=timezone.localdate()))
    assert errors_of(exc)["decision_by"] == ["The decision date must be after the closing date"]


def test_direct_routes_need_a_named_provider_and_a_cpv_code(sid, icb):
    with pytest.raises(ValidationError) as exc:
        services.create_opportunity(actor=sid, funder=icb, details=details(route=Route.PSR_DIRECT_C))
    errors = errors_of(exc)
    assert errors["named_provider"] == ["Choose the provider being assessed"]
    assert "Enter the CPV code" in errors["cpv_code"][0]


def test_open_calls_do_not_name_a_provider(sid, icb, org_a):
    with pytest.raises(ValidationError) as exc:
        services.create_opportunity(actor=sid, funder=icb, details=details(named_provider=org_a))
    assert "Leave the provider empty" in errors_of(exc)["named_provider"][0]


@pytest.mark.parametrize("code", ["85000000", "8500000-9", "85000000-99", "ABCDEFGH-9"])
def test_cpv_code_shape_is_checked(sid, icb, org_a, code):
    with pytest.raises(ValidationError) as exc:
        services.create_opportunity(
            actor=sid,
            funder=icb,
            details=details(route=Route.PSR_DIRECT_C, named_provider=org_a, cpv_code=code),
        )
    assert errors_of(exc)["cpv_code"] == ["CPV code must be 8 digits, a dash and a check digit, like 85000000-9"]


def test_direct_award_c_with_provider_and_cpv_is_accepted(sid, icb, org_a):
    opportunity = services.create_opportunity(
        actor=sid,
        funder=icb,
        details=details(
            route=Route.PSR_DIRECT_C,
            named_provider=org_a,
            cpv_code="85311000-2",
            opens_on=None,
            closes_at=None,
            max_award=Decimal("5000"),
        ),
    )
    assert opportunity.named_provider == org_a
    assert opportunity.lived_experience_on_panel is False


def test_eligible_areas_are_saved(sid, icb):
    area = AreaFactory.create()
    opportunity = services.create_opportunity(actor=sid, funder=icb, details=details(eligible_areas=[area]))
    assert list(opportunity.eligible_areas.all()) == [area]


# ---- Changing a draft -------------------------------------------------------------------------


def test_update_changes_a_draft_and_records_the_change(sid, icb):
    opportunity = OpportunityFactory.create(funder=icb)
    services.update_opportunity(
        actor=sid,
        opportunity=opportunity,
        details=details(title="Lunch clubs, three valleys", max_questions=2, word_limit=400, extra_documents=0),
        version=version_of(opportunity),
    )
    opportunity.refresh_from_db()
    assert opportunity.title == "Lunch clubs, three valleys"
    assert (opportunity.max_questions, opportunity.word_limit) == (2, 400)
    event = AuditEvent.objects.filter(object_id=str(opportunity.pk), action="update").get()
    assert event.changes["title"][1] == "Lunch clubs, three valleys"


def test_update_refuses_a_stale_form(sid, icb):
    opportunity = OpportunityFactory.create(funder=icb)
    with pytest.raises(ValidationError):
        services.update_opportunity(actor=sid, opportunity=opportunity, details=details(), version="2000-01-01")


def test_only_drafts_can_change(sid, icb):
    opportunity = OpportunityFactory.create(funder=icb, open=True)
    with pytest.raises(ValidationError) as exc:
        services.update_opportunity(actor=sid, opportunity=opportunity, details=details())
    assert exc.value.messages == [
        "You can only change the details while the opportunity is a draft. It is now open for applications."
    ]


def test_lowering_the_limits_below_the_questions_written_is_refused(sid, icb):
    opportunity = OpportunityFactory.create(funder=icb, max_award=Decimal("500"), total_budget=Decimal("5000"))
    QuestionFactory.create(opportunity=opportunity, word_limit=200)
    QuestionFactory.create(opportunity=opportunity, word_limit=200)
    with pytest.raises(ValidationError) as exc:
        services.update_opportunity(
            actor=sid, opportunity=opportunity, details=details(max_questions=1, word_limit=300)
        )
    errors = errors_of(exc)
    assert errors["max_questions"] == [
        "You have 2 questions. Remove a question before lowering the number of questions to 1"
    ]
    assert "add up to 400 words" in errors["word_limit"][0]


# ---- Cancelling -------------------------------------------------------------------------------


def test_cancel_needs_a_reason_and_keeps_it(sid, icb):
    opportunity = OpportunityFactory.create(funder=icb, open=True)
    with pytest.raises(ValidationError) as exc:
        services.cancel_opportunity(actor=sid, opportunity=opportunity, reason=" ")
    assert errors_of(exc)["reason"] == ["Enter the reason for cancelling"]
    services.cancel_opportunity(actor=sid, opportunity=opportunity, reason="The budget was withdrawn.")
    opportunity.refresh_from_db()
    assert opportunity.state == State.CANCELLED
    event = AuditEvent.objects.filter(object_id=str(opportunity.pk)).latest("id")
    assert event.changes == {"state": ["open", "cancelled"], "reason": [None, "The budget was withdrawn."]}


# ---- Guards -----------------------------------------------------------------------------------


def test_opening_problems_name_everything_missing():
    opportunity = OpportunityFactory.create(opens_on=None, closes_at=None)
    CriterionFactory.create(opportunity=opportunity, weight=60)
    assert services.opening_problems(opportunity) == [
        "The criteria weights add up to 60%. They must add up to 100%",
        "Agree at least one outcome sought",
        "Add at least one question for applicants",
        "Enter the opening date",
        "Enter the closing date",
    ]


def test_proposed_outcomes_do_not_count_for_opening():
    opportunity = make_ready_to_open(OpportunityFactory.create())
    opportunity.outcomes.update(status="proposed")
    assert services.opening_problems(opportunity) == ["Agree at least one outcome sought"]


def test_opening_without_criteria_is_refused():
    opportunity = OpportunityFactory.create()
    assert services.opening_problems(opportunity)[0] == (
        "Add at least one assessment criterion, with weights adding up to 100%"
    )


def test_psr_competitive_must_cover_every_key_criterion():
    opportunity = OpportunityFactory.create(psr_competitive=True)
    OutcomeFactory.create(opportunity=opportunity)
    QuestionFactory.create(opportunity=opportunity)
    CriterionFactory.create(opportunity=opportunity, weight=50, key_criterion="quality")
    CriterionFactory.create(opportunity=opportunity, weight=50, key_criterion="quality")
    assert services.opening_problems(opportunity) == [
        "Each of the five key criteria must be covered by at least one criterion. Not covered yet: Value; "
        "Integration, collaboration and service sustainability; Improving access, reducing health inequalities "
        "and facilitating choice; Social value"
    ]


def test_ready_opportunity_has_no_opening_problems():
    for trait in ("grant", "alliance", "open_competition", "psr_competitive"):
        opportunity = make_ready_to_open(OpportunityFactory.create(**{trait: True}))
        assert services.opening_problems(opportunity) == [], trait


def test_closing_before_the_opening_date_is_refused_with_the_date(sid, icb):
    opens = timezone.localdate() + datetime.timedelta(days=10)
    opportunity = OpportunityFactory.create(
        funder=icb, open=True, opens_on=opens, closes_at=timezone.now() + datetime.timedelta(days=40)
    )
    with pytest.raises(ValidationError) as exc:
        move_opportunity(actor=sid, opportunity=opportunity, target=State.CLOSED)
    assert exc.value.messages == [f"You cannot close an opportunity before it opens on {opens.day} {opens:%B %Y}"]
    opportunity.refresh_from_db()
    assert opportunity.state == State.OPEN


def test_closing_on_or_after_the_opening_date_is_allowed():
    opportunity = OpportunityFactory.create(open=True, opens_on=timezone.localdate())
    assert services.closing_problems(opportunity) == []


def test_assessing_needs_the_named_provider_and_for_c_the_key_criteria():
    opportunity = OpportunityFactory.create(psr_direct_c=True, named_provider=None)
    problems = services.assessing_problems(opportunity)
    assert problems[0] == "Name the provider being assessed"
    assert any("Add at least one assessment criterion" in p for p in problems)
    assert any("five key criteria" in p for p in problems)
    direct_a = OpportunityFactory.create(psr_direct_a=True)
    assert services.assessing_problems(direct_a) == []
    ready_c = make_ready_to_open(OpportunityFactory.create(psr_direct_c=True))
    assert services.assessing_problems(ready_c) == []
