"""Terms, break clauses, offering, signing and closing: the rules, and what each write records."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cocommission.agreements.models import Agreement, BreakClause, Instalment
from cocommission.agreements.permissions import access_agreement
from cocommission.agreements.selectors.terms import (
    is_short_term,
    offer_problems,
    signing_version,
    term_months,
    term_summary,
    term_years_for,
    terms_context,
)
from cocommission.agreements.services import guards
from cocommission.agreements.services import terms as services
from cocommission.agreements.services.schedule import recompute_schedule
from cocommission.agreements.services.terms import Terms
from cocommission.commissioning.tests.factories import (
    ConsortiumFactory,
    ConsortiumMemberFactory,
    OpportunityFactory,
    OutcomeFactory,
)
from cocommission.core.models import AuditEvent
from cocommission.core.versioning import StaleFormError, version_of
from cocommission.organisations.models import Interaction, Organisation
from cocommission.partnerships.tests.factories import PartnershipFactory, PartnershipOrganisationFactory

from .factories import AgreementFactory, BreakClauseFactory, BudgetLineFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def terms(**changes: object) -> Terms:
    values: dict[str, object] = {
        "title": "Carers' support groups",
        "scope": "Weekly groups across the valley.",
        "value": Decimal("90000.00"),
        "start_date": D(2026, 4, 1),
        "end_date": D(2029, 3, 31),
        "recurring": True,
        "short_term_reason": "",
        "payment_frequency": Agreement.Frequency.QUARTERLY,
    }
    values.update(changes)
    return Terms(**values)  # type: ignore[arg-type]


def audit_scopes(instance: object) -> set[int | None]:
    return set(
        AuditEvent.objects.filter(
            object_type=instance._meta.label_lower,  # type: ignore[attr-defined]
            object_id=str(instance.pk),  # type: ignore[attr-defined]
        ).values_list("organisation_id", flat=True)
    )


# ---- The length of a term -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "months", "years"),
    [
        (D(2026, 4, 1), D(2029, 3, 31), 36, 3),
        (D(2026, 4, 1), D(2029, 3, 20), 36, 3),  # a part month counts as a month
        (D(2026, 4, 1), D(2027, 9, 30), 18, 2),  # rounded up to whole years
        (D(2026, 1, 31), D(2026, 2, 27), 1, 1),
        (D(2026, 4, 15), D(2027, 4, 14), 12, 1),
        (D(2026, 4, 15), D(2027, 4, 15), 13, 2),
    ],
)
def test_term_length_in_months_and_agreement_years(start, end, months, years):
    assert term_months(start, end) == months
    assert term_years_for(start, end) == years


def test_short_term_compares_months_with_the_minimum():
    def short(end: datetime.date, *, recurring: bool = True, minimum: int = 3) -> bool:
        return is_short_term(recurring=recurring, start=D(2026, 4, 1), end=end, term_years=1, minimum_years=minimum)

    assert short(D(2028, 9, 30))  # 2 years 6 months
    assert not short(D(2029, 3, 31))
    assert not short(D(2027, 3, 31), recurring=False)  # a one-off project is not short-term
    assert short(D(2029, 3, 31), minimum=5)
    # Without dates, the term in years decides.
    assert is_short_term(recurring=True, start=None, end=None, term_years=2, minimum_years=3)


# ---- Creating directly --------------------------------------------------------------------------


def test_a_commissioner_creates_a_draft_with_a_reference_schedule_and_audit(sid, icb, org_a, partnership):
    agreement = services.create_agreement(actor=sid, funder=icb, provider=org_a, partnership=partnership, terms=terms())
    year = timezone.localdate().year
    assert agreement.reference == f"AGR-BICB-{year}-1"
    assert (agreement.status, agreement.term_years, agreement.created_by) == (Agreement.Status.DRAFT, 3, sid)
    assert agreement.value == Decimal("90000.00")
    amounts = Instalment.objects.filter(agreement=agreement).values_list("amount", flat=True)
    assert len(amounts) == 12 and sum(amounts) == Decimal("90000.00")
    assert audit_scopes(agreement) == {icb.pk, org_a.pk}

    second = services.create_agreement(actor=sid, funder=icb, provider=org_a, terms=terms(title="Second"))
    assert second.reference == f"AGR-BICB-{year}-2"


def test_references_use_the_funders_initials():
    def stem(name: str) -> str:
        return services.reference_stem(Organisation(name=name), 2026)

    assert stem("NHS Brackenmoor Integrated Care Board") == "AGR-NHSBICB-2026-"
    assert stem("Brackenmoor City Council") == "AGR-BCC-2026-"
    assert stem("Brackenmoor and Fellside Health and Care Partnership Board Trust") == "AGR-BAFHACPB-2026-"


def test_creating_refuses_someone_else_s_funder_the_funder_as_provider_and_a_partnership_not_shared(
    sid, charlie, icb, org_a, org_b
):
    with pytest.raises(ValidationError) as refused:
        services.create_agreement(actor=charlie, funder=icb, provider=org_a, terms=terms())
    assert "funder" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.create_agreement(actor=sid, funder=icb, provider=icb, terms=terms())
    assert refused.value.message_dict["provider"] == ["The provider must be a different organisation from the funder"]
    elsewhere = PartnershipFactory.create(name="Elsewhere")
    PartnershipOrganisationFactory.create(partnership=elsewhere, organisation=icb)
    with pytest.raises(ValidationError) as refused:
        services.create_agreement(actor=sid, funder=icb, provider=org_b, partnership=elsewhere, terms=terms())
    assert refused.value.message_dict["partnership"] == [
        "Choose a partnership that both Brackenmoor ICB and Hillside Food Bank belong to, or none"
    ]
    assert not Agreement.objects.exists()


def test_end_before_start_and_a_missing_short_term_reason_are_refused_together(sid, icb, org_a):
    with pytest.raises(ValidationError) as refused:
        services.create_agreement(actor=sid, funder=icb, provider=org_a, terms=terms(end_date=D(2026, 3, 1), title=" "))
    assert refused.value.message_dict == {
        "title": ["Enter a title"],
        "end_date": ["The end date must be after the start date"],
    }
    with pytest.raises(ValidationError) as refused:
        services.create_agreement(actor=sid, funder=icb, provider=org_a, terms=terms(end_date=D(2027, 3, 31)))
    assert refused.value.message_dict == {
        "short_term_reason": ["Enter why this agreement is shorter than the 3-year minimum for recurring services"]
    }
    assert not Agreement.objects.exists()
    agreement = services.create_agreement(
        actor=sid,
        funder=icb,
        provider=org_a,
        terms=terms(end_date=D(2027, 3, 31), short_term_reason="A pilot year, to be reviewed in January."),
    )
    summary = term_summary(agreement)
    assert summary.short_term and summary.minimum_years == 3 and summary.label == "1 year"


def test_the_partnership_s_minimum_term_decides_what_is_short_term(sid, icb, org_a, partnership):
    partnership.minimum_term_years = 5
    partnership.save()
    with pytest.raises(ValidationError) as refused:
        services.create_agreement(actor=sid, funder=icb, provider=org_a, partnership=partnership, terms=terms())
    assert refused.value.message_dict["short_term_reason"] == [
        "Enter why this agreement is shorter than the 5-year minimum for recurring services"
    ]


# ---- Changing the terms -------------------------------------------------------------------------


@pytest.fixture
def draft(icb, org_a, partnership, sid):
    agreement = AgreementFactory.create(funder=icb, provider=org_a, partnership=partnership)
    recompute_schedule(actor=sid, agreement=agreement)
    return agreement


def test_changing_the_money_recomputes_the_schedule_and_keeps_term_years_in_step(sid, draft, icb, org_a):
    updated = services.update_terms(
        actor=sid,
        agreement=draft,
        terms=terms(value=Decimal("100000.00"), end_date=D(2031, 3, 31), payment_frequency="annually"),
        version=version_of(draft),
    )
    assert (updated.value, updated.term_years, updated.payment_frequency) == (Decimal("100000.00"), 5, "annually")
    amounts = list(Instalment.objects.filter(agreement=draft).values_list("amount", flat=True))
    assert len(amounts) == 5 and sum(amounts) == Decimal("100000.00")
    changes = AuditEvent.objects.filter(object_type="agreements.agreement", organisation_id=icb.pk, action="update")
    assert [c.changes["value"] for c in changes if "value" in c.changes] == [["90000.00", "100000.00"]]
    assert audit_scopes(draft) == {icb.pk, org_a.pk}


def test_a_value_below_the_budget_is_refused_on_the_value_and_nothing_is_saved(sid, draft):
    BudgetLineFactory.create(agreement=draft, year=1, amount=Decimal("60000.00"))
    before = list(Instalment.objects.filter(agreement=draft).values_list("amount", flat=True))
    with pytest.raises(ValidationError) as refused:
        services.update_terms(actor=sid, agreement=draft, terms=terms(value=Decimal("50000.00")))
    assert "value" in refused.value.message_dict
    assert "more than the agreement's value of £50,000.00" in refused.value.message_dict["value"][0]
    draft.refresh_from_db()
    assert draft.value == Decimal("90000.00")
    assert list(Instalment.objects.filter(agreement=draft).values_list("amount", flat=True)) == before


def test_a_stale_form_is_refused(sid, draft):
    stale = version_of(draft)
    services.update_terms(actor=sid, agreement=draft, terms=terms(title="First change"), version=stale)
    with pytest.raises(StaleFormError):
        services.update_terms(actor=sid, agreement=draft, terms=terms(title="Second change"), version=stale)
    draft.refresh_from_db()
    assert draft.title == "First change"


def test_editing_a_signed_agreement_is_refused_with_the_guard_s_message(sid, icb, org_a):
    signed = AgreementFactory.create(signed=True, funder=icb, provider=org_a)
    with pytest.raises(ValidationError) as refused:
        services.update_terms(actor=sid, agreement=signed, terms=terms(value=Decimal("1.00")))
    assert refused.value.messages == [guards.SIGNED_MESSAGE]
    signed.refresh_from_db()
    assert signed.value == Decimal("90000.00")


def test_outcomes_come_only_from_the_opportunity_s_agreed_outcomes(sid, icb, org_a):
    opportunity = OpportunityFactory.create(funder=icb)
    agreed = OutcomeFactory.create(opportunity=opportunity)
    proposed = OutcomeFactory.create(opportunity=opportunity, proposed=True)
    agreement = AgreementFactory.create(funder=icb, provider=org_a, opportunity=opportunity)
    with pytest.raises(ValidationError) as refused:
        services.update_terms(actor=sid, agreement=agreement, terms=terms(), outcomes=[agreed, proposed])
    assert "outcomes" in refused.value.message_dict
    services.update_terms(actor=sid, agreement=agreement, terms=terms(), outcomes=[agreed])
    assert list(agreement.outcomes.all()) == [agreed]


# ---- Break clauses ------------------------------------------------------------------------------


def test_break_clauses_are_added_changed_and_removed_within_the_term(sid, draft, icb):
    clause = services.add_break_clause(
        actor=sid, agreement=draft, earliest_date=D(2027, 4, 1), notice_months=6, party="either", conditions=" "
    )
    assert (clause.notice_months, clause.conditions) == (6, "")
    changed = services.change_break_clause(
        actor=sid,
        clause=clause,
        earliest_date=D(2028, 4, 1),
        notice_months=3,
        party="funder",
        conditions="After a joint review.",
        version=version_of(clause),
    )
    assert (changed.earliest_date, changed.party) == (D(2028, 4, 1), "funder")
    services.remove_break_clause(actor=sid, clause=clause)
    assert not BreakClause.objects.exists()
    actions = AuditEvent.objects.filter(object_type="agreements.breakclause", organisation_id=icb.pk)
    assert sorted(actions.values_list("action", flat=True)) == ["create", "delete", "update"]


def test_a_break_outside_the_term_or_with_too_long_a_notice_is_refused(sid, draft):
    with pytest.raises(ValidationError) as refused:
        services.add_break_clause(actor=sid, agreement=draft, earliest_date=D(2030, 1, 1), notice_months=25, party="x")
    assert refused.value.message_dict == {
        "earliest_date": [
            "The earliest date must be within the agreement's term, between 1 April 2026 and 31 March 2029"
        ],
        "notice_months": ["The notice period must be between 1 and 24 months"],
        "party": ["Choose who may use the break clause"],
    }
    assert not BreakClause.objects.exists()


def test_break_clauses_of_a_signed_agreement_cannot_change(sid, icb, org_a):
    clause = BreakClauseFactory.create(agreement=AgreementFactory.create(signed=True, funder=icb, provider=org_a))
    with pytest.raises(ValidationError) as refused:
        services.remove_break_clause(actor=sid, clause=clause)
    assert refused.value.messages == [guards.SIGNED_MESSAGE]
    assert BreakClause.objects.filter(pk=clause.pk).exists()


# ---- Offering -----------------------------------------------------------------------------------


def test_an_agreement_cannot_be_offered_until_it_has_dates_a_type_and_instalments(sid, icb, org_a):
    agreement = AgreementFactory.create(funder=icb, provider=org_a, start_date=None, end_date=None)
    expected = [
        "Set the start and end dates in the terms",
        "Answer the grant-or-contract questions, so both parties know whether VAT applies",
        "The payment schedule has no instalments yet: check the dates, value and payment frequency",
    ]
    assert offer_problems(agreement) == expected
    with pytest.raises(ValidationError) as refused:
        services.offer_agreement(actor=sid, agreement=agreement)
    assert refused.value.messages == expected
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.DRAFT


def test_offering_moves_a_ready_draft_to_offered_once(sid, draft, icb, org_a):
    Agreement.objects.filter(pk=draft.pk).update(agreement_type=Agreement.Type.GRANT)
    offered = services.offer_agreement(actor=sid, agreement=draft)
    assert offered.status == Agreement.Status.OFFERED and offered.offered_at is not None
    assert Interaction.objects.filter(summary__endswith="Agreement offered for signature").count() == 1
    with pytest.raises(ValidationError) as refused:
        services.offer_agreement(actor=sid, agreement=draft)
    assert refused.value.messages == ["This agreement has already been offered for signature."]


# ---- Signing ------------------------------------------------------------------------------------


@pytest.fixture
def offered(icb, org_a, partnership):
    return AgreementFactory.create(
        offered=True, funder=icb, provider=org_a, partnership=partnership, agreement_type=Agreement.Type.GRANT
    )


def test_each_side_signs_once_and_the_agreement_becomes_active(sid, alice, bob, offered, icb, org_a):
    first = services.sign_agreement(actor=sid, agreement=offered, side="funder", version=signing_version(offered))
    assert first.status == Agreement.Status.SIGNED_BY_FUNDER
    assert (first.funder_signed_by, first.provider_signed_at) == (sid, None)
    with pytest.raises(ValidationError) as refused:
        services.sign_agreement(actor=sid, agreement=offered, side="funder", version=signing_version(offered))
    assert refused.value.messages == ["The funder has already signed this agreement."]
    assert not Interaction.objects.filter(summary__contains=services.SIGNED_BY_BOTH).exists()

    # The funder's signature does not make the provider's page stale.
    both = services.sign_agreement(actor=alice, agreement=offered, side="provider", version=signing_version(offered))
    assert both.status == Agreement.Status.ACTIVE and both.is_signed
    assert both.provider_signed_by == alice
    assert Interaction.objects.filter(summary=f"{offered.reference}: {services.SIGNED_BY_BOTH}").count() == 1
    with pytest.raises(ValidationError) as refused:
        services.sign_agreement(actor=bob, agreement=offered, side="provider", version=signing_version(offered))
    assert refused.value.messages == ["The provider has already signed this agreement."]
    signatures = AuditEvent.objects.filter(object_type="agreements.agreement", organisation_id=org_a.pk)
    assert signatures.count() == 2


def test_the_provider_may_sign_first(alice, offered):
    signed = services.sign_agreement(actor=alice, agreement=offered, side="provider", version=signing_version(offered))
    assert signed.status == Agreement.Status.SIGNED_BY_PROVIDER


def test_a_draft_cannot_be_signed_nor_anyone_sign_for_a_side_they_are_not_on(sid, alice, charlie, draft, offered):
    with pytest.raises(ValidationError) as refused:
        services.sign_agreement(actor=sid, agreement=draft, side="funder", version=signing_version(draft))
    assert "has not been offered yet" in refused.value.messages[0]
    for actor, side in ((alice, "funder"), (charlie, "provider"), (sid, "provider")):
        with pytest.raises(ValidationError) as refused:
            services.sign_agreement(actor=actor, agreement=offered, side=side, version=signing_version(offered))
        assert refused.value.messages == ["You can only sign for your own side of the agreement."]
    offered.refresh_from_db()
    assert offered.funder_signed_at is None and offered.provider_signed_at is None


def test_a_changed_agreement_cannot_be_signed_unseen(alice, offered):
    seen = signing_version(offered)
    BreakClauseFactory.create(agreement=offered, earliest_date=D(2027, 4, 1))
    with pytest.raises(StaleFormError):
        services.sign_agreement(actor=alice, agreement=offered, side="provider", version=seen)
    offered.refresh_from_db()
    assert offered.provider_signed_at is None
    Agreement.objects.filter(pk=offered.pk).update(value=Decimal("1000.00"))
    offered.refresh_from_db()
    assert signing_version(offered) != seen


# ---- Closing ------------------------------------------------------------------------------------


def test_an_agreement_past_its_end_date_ends_without_a_reason(sid, icb, org_a):
    agreement = AgreementFactory.create(
        signed=True, funder=icb, provider=org_a, start_date=D(2022, 4, 1), end_date=D(2025, 3, 31)
    )
    closed = services.close_agreement(actor=sid, agreement=agreement, how=services.CLOSE_END)
    assert (closed.status, closed.closed_reason) == (Agreement.Status.ENDED, "")
    assert Interaction.objects.filter(summary=f"{agreement.reference}: Agreement ended").count() == 1


def test_ending_early_and_terminating_need_a_reason(sid, icb, org_a):
    agreement = AgreementFactory.create(signed=True, funder=icb, provider=org_a, end_date=D(2099, 3, 31))
    with pytest.raises(ValidationError) as refused:
        services.close_agreement(actor=sid, agreement=agreement, how=services.CLOSE_END, reason=" ")
    assert refused.value.message_dict == {
        "reason": ["Enter why the agreement is ending before its end date of 31 March 2099"]
    }
    with pytest.raises(ValidationError) as refused:
        services.close_agreement(actor=sid, agreement=agreement, how=services.CLOSE_TERMINATE)
    assert refused.value.message_dict == {"reason": ["Enter why the agreement is being terminated"]}
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.ACTIVE

    closed = services.close_agreement(
        actor=sid, agreement=agreement, how=services.CLOSE_TERMINATE, reason="The service was not delivered."
    )
    assert (closed.status, closed.closed_reason) == (Agreement.Status.TERMINATED, "The service was not delivered.")
    assert Interaction.objects.filter(summary__endswith="Agreement terminated: The service was not delivered.").exists()
    with pytest.raises(ValidationError) as refused:
        services.close_agreement(actor=sid, agreement=agreement, how=services.CLOSE_END, reason="Again")
    assert refused.value.messages == ["This agreement has already ended."]


def test_only_an_active_agreement_can_be_closed(sid, draft):
    with pytest.raises(ValidationError) as refused:
        services.close_agreement(actor=sid, agreement=draft, how=services.CLOSE_TERMINATE, reason="No")
    assert refused.value.messages == ["Only an agreement both parties have signed can be ended or terminated."]


# ---- Reads --------------------------------------------------------------------------------------


def test_the_terms_section_reads_a_fixed_number_of_queries(sid, icb, org_a):

    def queries_for(size: int) -> int:
        consortium = ConsortiumFactory.create()
        for _ in range(size):
            ConsortiumMemberFactory.create(consortium=consortium, confirmed=True)
        agreement = AgreementFactory.create(funder=icb, provider=org_a, consortium=consortium)
        BreakClauseFactory.create_batch(size, agreement=agreement)
        loaded = access_agreement(user=sid, pk=agreement.pk)
        with CaptureQueriesContext(connection) as captured:
            context = terms_context(loaded)
        assert len(context["terms_break_clauses"]) == size
        assert len(context["terms_consortium_members"]) == size
        return len(captured)

    assert queries_for(1) == queries_for(6)
