"""Variations: proposing, approving (and applying exactly once), rejecting and withdrawing."""

import datetime
import threading
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from cocommission.agreements.models import Agreement, BudgetLine, Instalment, Variation
from cocommission.agreements.services.schedule import recompute_schedule
from cocommission.agreements.services.variation_rules import Proposal
from cocommission.agreements.services.variations import (
    approve_variation,
    propose_variation,
    reject_variation,
    withdraw_variation,
)
from cocommission.core.models import AuditEvent
from cocommission.organisations.models import Interaction
from cocommission.organisations.tests.factories import MembershipFactory

from .factories import AgreementFactory, BudgetLineFactory

Kind = Variation.Kind


def errors(exc: Any) -> dict[str, list[str]]:
    return exc.value.message_dict if hasattr(exc.value, "error_dict") else {"__all__": exc.value.messages}


@pytest.fixture
def agreement(db, icb, org_a, partnership, sid, alice, bob):
    signed = AgreementFactory.create(signed=True, funder=icb, provider=org_a, partnership=partnership)
    recompute_schedule(actor=None, agreement=signed)
    return signed


def propose(actor: Any, agreement: Agreement, kind: str = Kind.VALUE, reason: str = "More families.", **fields: Any):
    return propose_variation(actor=actor, agreement=agreement, kind=kind, reason=reason, proposal=Proposal(**fields))


def unpaid_total(agreement: Agreement) -> Decimal:
    return sum((i.amount for i in Instalment.objects.filter(agreement=agreement)), Decimal(0))


@pytest.mark.django_db
class TestProposing:
    def test_a_proposal_is_numbered_and_counts_as_the_proposers_approval(self, agreement, alice, sid):
        first = propose(alice, agreement, new_value=Decimal("99000"))
        second = propose(sid, agreement, kind=Kind.SCOPE, new_scope="Groups and home visits.")
        assert (first.number, second.number) == (1, 2)
        assert first.status == Variation.Status.PROPOSED
        assert first.provider_approved_by == alice and first.funder_approved_at is None
        assert second.funder_approved_by == sid and second.provider_approved_at is None
        agreement.refresh_from_db()
        assert agreement.value == Decimal("90000.00")  # nothing changes until both approve
        summaries = list(Interaction.objects.filter(kind=Interaction.Kind.AGREEMENT).values_list("summary", flat=True))
        assert any("Variation 1 proposed by the provider: Value from £90,000.00 to £99,000.00" in s for s in summaries)
        assert AuditEvent.objects.filter(object_type="agreements.variation", action="create").count() == 4

    def test_an_unsigned_agreement_is_edited_not_varied(self, icb, org_a, alice):
        draft = AgreementFactory.create(funder=icb, provider=org_a)
        with pytest.raises(ValidationError) as exc:
            propose(alice, draft, new_value=Decimal("99000"))
        assert "Both parties must sign the agreement before it can be varied" in exc.value.messages[0]
        assert not Variation.objects.exists()

    def test_an_outsider_cannot_propose(self, agreement, charlie):
        with pytest.raises(ValidationError, match="Only the funder and the provider"):
            propose(charlie, agreement, new_value=Decimal("99000"))

    @pytest.mark.parametrize(
        ("kind", "fields", "field", "message"),
        [
            (Kind.VALUE, {}, "new_value", "Enter the new value"),
            (Kind.VALUE, {"new_value": Decimal("90000")}, "new_value", "same as the current value, £90,000.00"),
            (Kind.VALUE, {"new_value": Decimal("0")}, "new_value", "more than £0"),
            (Kind.END_DATE, {"new_end_date": datetime.date(2026, 3, 1)}, "new_end_date", "after the start date"),
            (Kind.END_DATE, {"new_end_date": datetime.date(2029, 3, 31)}, "new_end_date", "same as the current"),
            (Kind.SCOPE, {"new_scope": "  "}, "new_scope", "Enter the new scope"),
            (Kind.TYPE, {"new_type": "contract"}, "new_vat_rate", "Enter the VAT rate"),
            (
                Kind.TYPE,
                {"new_type": "contract", "new_vat_rate": Decimal("120")},
                "new_vat_rate",
                "between 0% and 100%",
            ),
            (Kind.TYPE, {"new_type": "grant"}, "new_type", "already a grant"),
            (Kind.BUDGET, {"budget_year": 4, "budget_category": "staff"}, "budget_year", "between 1 and 3"),
            (
                Kind.BUDGET,
                {"budget_year": 1, "budget_category": "staff", "budget_description": "Nobody", "budget_amount": 0},
                "budget_description",
                "There is no year 1 staff line called “Nobody” to remove",
            ),
        ],
    )
    def test_bad_proposals_are_refused_on_the_field(self, agreement, alice, kind, fields, field, message):
        with pytest.raises(ValidationError) as exc:
            propose(alice, agreement, kind=kind, **fields)
        assert any(message in m for m in errors(exc)[field]), errors(exc)
        assert not Variation.objects.exists()

    def test_a_reason_is_needed(self, agreement, alice):
        with pytest.raises(ValidationError) as exc:
            propose(alice, agreement, reason=" ", new_value=Decimal("99000"))
        assert errors(exc) == {"reason": ["Enter the reason for the variation"]}

    def test_the_value_cannot_drop_below_what_was_paid(self, agreement, alice):
        first_year = Instalment.objects.filter(agreement=agreement, financial_year="2026-27")
        first_year.update(paid_on=datetime.date(2027, 4, 1))
        paid = sum(i.amount for i in first_year)
        with pytest.raises(ValidationError) as exc:
            propose(alice, agreement, new_value=Decimal("20000"))
        assert errors(exc)["new_value"] == [
            f"£{paid:,.2f} has already been paid. The new value cannot be less than that"
        ]

    def test_the_end_date_cannot_cut_a_paid_period(self, agreement, alice):
        Instalment.objects.filter(agreement=agreement, financial_year="2026-27").update(
            paid_on=datetime.date(2027, 4, 1)
        )
        with pytest.raises(ValidationError) as exc:
            propose(alice, agreement, kind=Kind.END_DATE, new_end_date=datetime.date(2027, 1, 31))
        assert "Payments have been made for the period up to 31 March 2027" in errors(exc)["new_end_date"][0]

    def test_a_budget_that_would_not_fit_is_refused_when_proposed(self, agreement, alice):
        with pytest.raises(ValidationError) as exc:
            propose(
                alice,
                agreement,
                kind=Kind.BUDGET,
                budget_year=1,
                budget_category="staff",
                budget_description="Coordinator",
                budget_amount=Decimal("95000"),
            )
        assert "more than the agreement's value of £90,000" in errors(exc)["budget_amount"][0]
        assert not BudgetLine.objects.exists()

    def test_a_change_of_type_records_its_vat_effect_in_pounds(self, agreement, sid):
        variation = propose(sid, agreement, kind=Kind.TYPE, new_type="contract", new_vat_rate=Decimal("20"))
        # 20% VAT on the £90,000 still to be paid.
        assert variation.vat_effect == Decimal("18000.00")
        assert (variation.new_type, variation.new_vat_rate) == ("contract", Decimal("20"))


@pytest.mark.django_db
class TestApproving:
    def test_the_other_side_approves_and_the_change_is_applied(self, agreement, alice, sid):
        variation = propose(alice, agreement, new_value=Decimal("99000"))
        applied = approve_variation(actor=sid, variation=variation)
        agreement.refresh_from_db()
        assert applied.status == Variation.Status.APPLIED
        assert applied.funder_approved_by == sid and applied.applied_at is not None
        assert (applied.before, applied.after) == ({"value": "90000.00"}, {"value": "99000.00"})
        assert agreement.value == Decimal("99000")
        assert unpaid_total(agreement) == Decimal("99000.00")  # the schedule was worked out again
        assert Interaction.objects.filter(summary__contains="Variation 1 approved by both parties and applied").exists()
        assert AuditEvent.objects.filter(object_type="agreements.agreement", changes__value__isnull=False).count() == 2

    def test_the_proposers_side_cannot_approve_its_own_variation(self, agreement, alice, bob):
        variation = propose(alice, agreement, new_value=Decimal("99000"))
        with pytest.raises(ValidationError, match="You proposed this variation"):
            approve_variation(actor=alice, variation=variation)
        with pytest.raises(ValidationError, match="The provider has already approved this variation"):
            approve_variation(actor=bob, variation=variation)
        variation.refresh_from_db()
        assert variation.status == Variation.Status.PROPOSED and variation.funder_approved_at is None

    def test_an_applied_variation_cannot_be_approved_again(self, agreement, alice, sid, icb):
        variation = propose(alice, agreement, new_value=Decimal("99000"))
        approve_variation(actor=sid, variation=variation)
        other_commissioner = MembershipFactory.create(organisation=icb).user
        with pytest.raises(ValidationError, match="already been approved by both parties and applied"):
            approve_variation(actor=other_commissioner, variation=variation)
        assert AuditEvent.objects.filter(object_type="agreements.agreement", changes__value__isnull=False).count() == 2

    def test_an_outsider_cannot_approve(self, agreement, alice, charlie):
        variation = propose(alice, agreement, new_value=Decimal("99000"))
        with pytest.raises(ValidationError, match="Only the funder and the provider"):
            approve_variation(actor=charlie, variation=variation)

    def test_a_new_end_date_changes_the_term_and_keeps_payments_made(self, agreement, alice, sid):
        paid = list(Instalment.objects.filter(agreement=agreement, financial_year="2026-27"))
        Instalment.objects.filter(pk__in=[p.pk for p in paid]).update(paid_on=datetime.date(2027, 4, 1))
        variation = propose(sid, agreement, kind=Kind.END_DATE, new_end_date=datetime.date(2030, 3, 31))
        approve_variation(actor=alice, variation=variation)
        agreement.refresh_from_db()
        variation.refresh_from_db()
        assert (agreement.end_date, agreement.term_years) == (datetime.date(2030, 3, 31), 4)
        assert variation.after == {"end_date": "2030-03-31", "term_years": 4}
        assert variation.before == {"end_date": "2029-03-31", "term_years": 3}
        kept = Instalment.objects.filter(agreement=agreement, paid_on__isnull=False)
        assert sorted(kept.values_list("pk", flat=True)) == sorted(p.pk for p in paid)
        assert max(Instalment.objects.filter(agreement=agreement).values_list("period_end", flat=True)) == (
            datetime.date(2030, 3, 31)
        )
        assert unpaid_total(agreement) == Decimal("90000.00")

    def test_budget_lines_are_added_changed_and_removed(self, agreement, alice, sid):
        line = BudgetLineFactory.create(agreement=agreement, year=1, description="Support worker")

        def budget(actor: Any, description: str, amount: str) -> Variation:
            variation = propose(
                actor,
                agreement,
                kind=Kind.BUDGET,
                budget_year=1,
                budget_category="staff",
                budget_description=description,
                budget_amount=Decimal(amount),
            )
            return approve_variation(actor=sid if actor == alice else alice, variation=variation)

        changed = budget(alice, "support worker", "25000")  # matched whatever the case
        line.refresh_from_db()
        assert line.amount == Decimal("25000")
        assert changed.before["budget_line"]["amount"] == "20000.00"
        added = budget(sid, "Volunteer coordinator", "5000")
        assert added.before == {"budget_line": None}
        assert BudgetLine.objects.filter(agreement=agreement).count() == 2
        removed = budget(alice, "Support worker", "0")
        assert removed.after == {"budget_line": None}
        assert list(BudgetLine.objects.filter(agreement=agreement).values_list("description", flat=True)) == [
            "Volunteer coordinator"
        ]

    def test_a_long_scope_is_kept_whole_and_shortened_on_the_timeline(self, agreement, alice, sid):
        Agreement.objects.filter(pk=agreement.pk).update(scope="Old words. " * 300)
        variation = propose(alice, agreement, kind=Kind.SCOPE, new_scope="New words. " * 300)
        approve_variation(actor=sid, variation=variation)
        agreement.refresh_from_db()
        assert agreement.scope == ("New words. " * 300).strip()
        entry = Interaction.objects.get(summary__contains="applied")
        assert len(entry.summary) < 600 and entry.summary.endswith("…")

    def test_a_change_of_type_changes_the_vat_treatment_and_says_why(self, agreement, alice, sid):
        variation = propose(
            sid, agreement, kind=Kind.TYPE, new_type="contract", new_vat_rate=Decimal("20"), reason="A purchase."
        )
        approve_variation(actor=alice, variation=variation)
        agreement.refresh_from_db()
        assert (agreement.agreement_type, agreement.vat_rate) == ("contract", Decimal("20.00"))
        assert (
            "Variation 1, approved by both parties, made this agreement a contract (VAT at 20"
            in agreement.vat_reasoning
        )

    def test_a_change_that_no_longer_fits_the_budget_is_refused_and_nothing_is_saved(self, agreement, alice, sid):
        BudgetLineFactory.create(agreement=agreement, year=1, description="Support worker", amount=Decimal("40000"))
        smaller = propose(sid, agreement, new_value=Decimal("50000"), reason="Less need.")
        bigger = propose(
            alice,
            agreement,
            kind=Kind.BUDGET,
            budget_year=2,
            budget_category="premises",
            budget_description="Hall hire",
            budget_amount=Decimal("30000"),
        )
        approve_variation(actor=sid, variation=bigger)  # £70,000 of £90,000: fits
        with pytest.raises(ValidationError, match=r"The budget of £70,000\.00 is more than the agreement's value"):
            approve_variation(actor=alice, variation=smaller)
        smaller.refresh_from_db()
        agreement.refresh_from_db()
        assert smaller.status == Variation.Status.PROPOSED and smaller.provider_approved_at is None
        assert agreement.value == Decimal("90000.00")


@pytest.mark.django_db
class TestRejectingAndWithdrawing:
    def test_the_other_side_rejects_with_a_reason(self, agreement, alice, sid):
        variation = propose(alice, agreement, new_value=Decimal("99000"))
        with pytest.raises(ValidationError) as exc:
            reject_variation(actor=sid, variation=variation, reason=" ")
        assert errors(exc) == {"reason": ["Enter why you are rejecting this variation"]}
        rejected = reject_variation(actor=sid, variation=variation, reason="Not in this year's budget.")
        assert (rejected.status, rejected.closed_by, rejected.closed_reason) == (
            Variation.Status.REJECTED,
            sid,
            "Not in this year's budget.",
        )
        assert Interaction.objects.filter(summary__contains="Variation 1 rejected by the funder").exists()
        with pytest.raises(ValidationError, match="was rejected"):
            approve_variation(actor=sid, variation=variation)
        agreement.refresh_from_db()
        assert agreement.value == Decimal("90000.00")

    def test_the_proposers_side_withdraws_rather_than_rejects(self, agreement, alice, bob, sid):
        variation = propose(alice, agreement, new_value=Decimal("99000"))
        with pytest.raises(ValidationError, match="To take it back, withdraw it"):
            reject_variation(actor=bob, variation=variation, reason="Changed our minds.")
        with pytest.raises(ValidationError, match="Only the party that proposed"):
            withdraw_variation(actor=sid, variation=variation)
        withdrawn = withdraw_variation(actor=bob, variation=variation)
        assert withdrawn.status == Variation.Status.WITHDRAWN
        with pytest.raises(ValidationError, match="was withdrawn"):
            approve_variation(actor=sid, variation=variation)


@pytest.mark.django_db(transaction=True)
def test_twenty_approvals_at_once_apply_the_change_exactly_once(icb, org_a, partnership, alice):
    """Twenty commissioners press Approve at the same moment: the row locks let one apply the
    change and tell the other nineteen it is already applied. Only PostgreSQL locks rows (SQLite
    serialises writers itself), so only there is this a real race."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    agreement = AgreementFactory.create(signed=True, funder=icb, provider=org_a, partnership=partnership)
    recompute_schedule(actor=None, agreement=agreement)
    variation = propose(alice, agreement, new_value=Decimal("99000"))
    commissioners = [MembershipFactory.create(organisation=icb).user for _ in range(20)]
    barrier = threading.Barrier(len(commissioners))
    outcomes: list[str] = []

    def approve(user: Any) -> None:
        try:
            barrier.wait()
            approve_variation(actor=user, variation=variation)
            outcomes.append("applied")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(u,)) for u in commissioners]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(outcomes) == ["applied"] + ["refused"] * 19
    variation.refresh_from_db()
    agreement.refresh_from_db()
    assert variation.status == Variation.Status.APPLIED
    assert agreement.value == Decimal("99000")
    assert unpaid_total(agreement) == Decimal("99000.00")
    assert Interaction.objects.filter(summary__contains="approved by both parties and applied").count() == 1
    assert AuditEvent.objects.filter(object_type="agreements.agreement", changes__value__isnull=False).count() == 2
