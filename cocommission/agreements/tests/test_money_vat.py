"""The grant-or-contract test: the rule, the reasoning, recording it, and the VAT effect of a change."""

import datetime
import itertools
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from cocommission.agreements.models import Agreement, Instalment
from cocommission.agreements.services.guards import SIGNED_MESSAGE
from cocommission.agreements.services.vat import (
    VatAnswers,
    decide_type,
    record_vat_test,
    vat_change,
    vat_effect,
    vat_reasoning,
)
from cocommission.agreements.tests.factories import AgreementFactory
from cocommission.core.models import AuditEvent
from cocommission.organisations.models import Interaction

D = Decimal
GRANT, CONTRACT = Agreement.Type.GRANT, Agreement.Type.CONTRACT

pytestmark = pytest.mark.django_db

# The rule ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("consideration", "direct_link", "funder_benefits", "purchase"), list(itertools.product([True, False], repeat=4))
)
def test_contract_exactly_when_a_supply_for_consideration_or_a_purchase_benefiting_the_funder(
    consideration, direct_link, funder_benefits, purchase
):
    answers = VatAnswers(consideration, direct_link, funder_benefits, purchase)
    expected = CONTRACT if (consideration and direct_link) or (purchase and funder_benefits) else GRANT
    assert decide_type(answers) == expected


def test_consideration_without_a_direct_link_is_a_grant():
    assert decide_type(VatAnswers(True, False, False, False)) == GRANT


def test_purchase_conditions_benefiting_only_the_public_are_a_grant():
    assert decide_type(VatAnswers(False, False, False, True)) == GRANT


def test_reasoning_says_what_each_answer_means_then_concludes():
    grant = vat_reasoning(VatAnswers(False, False, False, False), None)
    assert grant.count(". ") == 4  # five sentences
    assert "not consideration for a supply" in grant
    assert "no direct link" in grant
    assert "The public, or the people the service is for, get the benefit" in grant
    assert "no conditions that make it a purchase" in grant
    assert grant.endswith(
        "So this agreement is a grant: it is outside the scope of VAT, and no VAT is added to the payments."
    )

    contract = vat_reasoning(VatAnswers(True, True, True, False), D("17.50"))
    assert "because the funder pays for a supply it receives" in contract
    assert contract.endswith("The funder states a VAT rate of 17.5%.")
    purchase = vat_reasoning(VatAnswers(False, False, True, True), D("20"))
    assert "its conditions make it a purchase that benefits the funder" in purchase
    assert purchase.endswith("VAT rate of 20%.")


# Recording the test ------------------------------------------------------------------------------------------


def _record(agreement, actor, **overrides):
    answers: dict[str, Any] = {
        "consideration": "yes",
        "direct_link": "yes",
        "beneficiary": "funder",
        "purchase_conditions": "no",
        "vat_rate": D("20"),
    }
    answers.update(overrides)
    return record_vat_test(actor=actor, agreement=agreement, **answers)


def test_recording_a_contract_keeps_answers_result_rate_reasoning_and_who(sid, icb, org_a):
    agreement = AgreementFactory.create(funder=icb, provider=org_a)
    saved = _record(agreement, sid)
    saved.refresh_from_db()
    assert saved.agreement_type == CONTRACT
    assert (saved.vat_consideration, saved.vat_direct_link, saved.vat_beneficiary, saved.vat_purchase_conditions) == (
        "yes",
        "yes",
        "funder",
        "no",
    )
    assert saved.vat_rate == D("20.00")
    assert saved.vat_reasoning.startswith("The payment is consideration for a supply to the funder")
    assert saved.vat_tested_by == sid and saved.vat_tested_at is not None
    scopes = set(
        AuditEvent.objects.filter(object_type="agreements.agreement").values_list("organisation_id", flat=True)
    )
    assert scopes == {icb.pk, org_a.pk}
    assert Interaction.objects.filter(summary__contains="Contract (VAT may apply)").count() == 1


def test_a_grant_stores_no_vat_rate_even_if_one_was_typed(sid, icb, org_a):
    agreement = AgreementFactory.create(funder=icb, provider=org_a)
    saved = _record(agreement, sid, consideration="no", beneficiary="public", vat_rate=D("20"))
    assert saved.agreement_type == GRANT
    assert saved.vat_rate is None
    assert "outside the scope of VAT" in saved.vat_reasoning


def test_a_contract_needs_a_rate_and_nothing_is_saved_without_one(sid, icb, org_a):
    agreement = AgreementFactory.create(funder=icb, provider=org_a)
    with pytest.raises(ValidationError) as caught:
        _record(agreement, sid, vat_rate=None)
    assert caught.value.message_dict == {
        "vat_rate": ["Your answers make this a contract. Enter the VAT rate that applies, from 0 to 100, like 20"]
    }
    agreement.refresh_from_db()
    assert agreement.agreement_type == Agreement.Type.UNDECIDED
    assert agreement.vat_tested_at is None
    assert not AuditEvent.objects.exists()


def test_missing_answers_and_a_rate_out_of_range_are_named(sid, icb, org_a):
    agreement = AgreementFactory.create(funder=icb, provider=org_a)
    with pytest.raises(ValidationError) as caught:
        _record(agreement, sid, consideration="", beneficiary="maybe", vat_rate=D("120"))
    assert set(caught.value.message_dict) == {"consideration", "beneficiary", "vat_rate"}
    assert caught.value.message_dict["vat_rate"] == ["The VAT rate must be between 0% and 100%"]


def test_after_a_signature_the_test_needs_a_variation(sid, icb, org_a):
    agreement = AgreementFactory.create(funder=icb, provider=org_a, signed=True)
    with pytest.raises(ValidationError) as caught:
        _record(agreement, sid)
    assert caught.value.messages == [SIGNED_MESSAGE]
    agreement.refresh_from_db()
    assert agreement.agreement_type == GRANT


def test_a_stale_form_is_refused(sid, icb, org_a):
    agreement = AgreementFactory.create(funder=icb, provider=org_a)
    with pytest.raises(ValidationError, match="Someone else changed"):
        _record(agreement, sid, version="2000-01-01T00:00:00+00:00")


# The VAT effect of changing type -----------------------------------------------------------------------------


def _instalment(agreement, amount, *, paid=False):
    return Instalment.objects.create(
        agreement=agreement,
        due_on=datetime.date(2026, 6, 30),
        period_start=datetime.date(2026, 4, 1),
        period_end=datetime.date(2026, 6, 30),
        financial_year="2026-27",
        amount=D(amount),
        paid_on=datetime.date(2026, 7, 1) if paid else None,
    )


def test_vat_effect_counts_only_what_is_still_to_be_paid():
    agreement = AgreementFactory.create(signed=True)  # a grant
    _instalment(agreement, "7500.00", paid=True)
    _instalment(agreement, "7500.00")
    _instalment(agreement, "22500.00")
    assert vat_effect(agreement, new_type=CONTRACT, new_rate=D("20")) == D("6000.00")
    assert vat_effect(agreement, new_type=GRANT, new_rate=None) == D("0.00")


def test_vat_effect_of_a_lower_rate_or_back_to_a_grant_is_negative():
    agreement = AgreementFactory.create(signed=True, agreement_type=CONTRACT, vat_rate=D("20"))
    _instalment(agreement, "30000.00")
    assert vat_effect(agreement, new_type=CONTRACT, new_rate=D("17.5")) == D("-750.00")
    assert vat_effect(agreement, new_type=GRANT, new_rate=None) == D("-6000.00")


def test_vat_effect_is_to_the_penny():
    agreement = AgreementFactory.create(signed=True)
    _instalment(agreement, "333.33")
    assert vat_effect(agreement, new_type=CONTRACT, new_rate=D("20")) == D("66.67")


AMOUNTS = st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False, allow_infinity=False)
RATES = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)
TYPES = st.sampled_from([GRANT, CONTRACT, Agreement.Type.UNDECIDED])


@settings(max_examples=2000, deadline=None)
@given(remaining=AMOUNTS, a_type=TYPES, a_rate=RATES, b_type=TYPES, b_rate=RATES)
def test_vat_change_is_pence_exact_and_undoing_it_gives_it_back(remaining, a_type, a_rate, b_type, b_rate):
    there = vat_change(remaining, from_type=a_type, from_rate=a_rate, to_type=b_type, to_rate=b_rate)
    back = vat_change(remaining, from_type=b_type, from_rate=b_rate, to_type=a_type, to_rate=a_rate)
    assert there == -back
    assert there == there.quantize(D("0.01"))
    assert vat_change(remaining, from_type=a_type, from_rate=a_rate, to_type=a_type, to_rate=a_rate) == 0
    # Never more VAT than the rate allows on what is left.
    assert abs(there) <= remaining + D("0.01")
