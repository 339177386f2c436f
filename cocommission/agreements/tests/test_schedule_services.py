"""The payment schedule an agreement keeps: uplifted yearly amounts, paid instalments kept,
adjustments for years already paid for, and marking instalments paid."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cocommission.agreements import indexation as rules
from cocommission.agreements.models import Agreement, Instalment
from cocommission.agreements.schedule import year_portions
from cocommission.agreements.services.schedule import (
    PaymentPlan,
    mark_instalment_paid,
    plan_for,
    plan_payments,
    recompute_schedule,
)
from cocommission.agreements.tests.factories import AgreementFactory, IndexValueFactory
from cocommission.core.models import AuditEvent
from cocommission.core.money import allocate
from cocommission.organisations.tests.factories import OrganisationFactory

D = Decimal
date = datetime.date
pytestmark = pytest.mark.django_db


def plan_of(agreement: Agreement) -> PaymentPlan:
    plan = plan_for(agreement)
    assert plan is not None
    return plan


def by_year(agreement: Agreement) -> dict[str, Decimal]:
    sums: dict[str, Decimal] = {}
    for item in Instalment.objects.filter(agreement=agreement):
        sums[item.financial_year] = sums.get(item.financial_year, D(0)) + item.amount
    return sums


def pay_first(agreement: Agreement, count: int) -> list[Instalment]:
    paid = list(Instalment.objects.filter(agreement=agreement, is_adjustment=False).order_by("period_start")[:count])
    Instalment.objects.filter(pk__in=[item.pk for item in paid]).update(paid_on=date(2026, 5, 1))
    return list(Instalment.objects.filter(pk__in=[item.pk for item in paid]).order_by("period_start"))


def cpi_agreement(**kwargs) -> Agreement:
    """Three years from 1 April 2026; CPI uplifts on 1 April 2027 and 2028 (March 2027, 2028)."""
    fields = {
        "index_kind": Agreement.IndexKind.CPI,
        "index_base_month": date(2026, 3, 1),
        "index_anniversary": date(2027, 4, 1),
    }
    return AgreementFactory.create(**{**fields, **kwargs})


# ---- Working out the amounts --------------------------------------------------------------


def test_without_indexation_the_value_is_shared_by_days_between_financial_years():
    plan = plan_payments(
        start=date(2026, 10, 1), end=date(2028, 3, 31), value=D("18000"), indexation=None, index_values={}
    )
    assert plan.yearly == {"2026-27": D("5978.10"), "2027-28": D("12021.90")}  # 182 and 366 days
    assert plan.total == D("18000.00")
    assert [period.uplifts for period in plan.periods] == [0]


def test_cpi_uplifts_compound_and_each_is_rounded_to_the_penny():
    indexation = rules.Indexation(kind=rules.IndexKind.CPI, base_month=date(2021, 3, 1), anniversary=date(2022, 4, 1))
    plan = plan_payments(
        start=date(2021, 4, 1),
        end=date(2024, 3, 31),
        value=D("90000"),
        indexation=indexation,
        index_values={date(2022, 3, 1): D("7.0"), date(2023, 3, 1): D("10.1")},
    )
    first, second, third = plan.periods
    assert (first.uplifts, second.uplifts, third.uplifts) == (0, 1, 2)
    assert second.amount == rules.apply_uplift(second.base_amount, D("7.0"))
    assert third.amount == rules.apply_uplift(rules.apply_uplift(third.base_amount, D("7.0")), D("10.1"))
    assert (second.rate, second.reference_month) == (D("7.0"), date(2022, 3, 1))
    assert plan.yearly == {"2021-22": first.amount, "2022-23": second.amount, "2023-24": third.amount}


def test_an_unpublished_month_gives_no_uplift_yet_and_says_so():
    indexation = rules.Indexation(kind=rules.IndexKind.CPI, base_month=date(2026, 3, 1), anniversary=date(2027, 4, 1))
    plan = plan_payments(
        start=date(2026, 4, 1), end=date(2028, 3, 31), value=D("60000"), indexation=indexation, index_values={}
    )
    assert plan.periods[1].published is False
    assert plan.periods[1].amount == plan.periods[1].base_amount
    assert plan.total == D("60000.00")


def test_the_floor_and_cap_bound_each_uplift():
    indexation = rules.Indexation(
        kind=rules.IndexKind.CPI,
        base_month=date(2021, 3, 1),
        anniversary=date(2022, 4, 1),
        floor=D("1"),
        cap=D("5"),
    )
    plan = plan_payments(
        start=date(2021, 4, 1),
        end=date(2024, 3, 31),
        value=D("90000"),
        indexation=indexation,
        index_values={date(2022, 3, 1): D("7.0"), date(2023, 3, 1): D("0.2")},
    )
    assert [period.rate for period in plan.periods] == [None, D("5"), D("1")]


def test_an_anniversary_inside_a_financial_year_splits_that_period_by_days():
    indexation = rules.Indexation(
        kind=rules.IndexKind.FIXED, base_month=date(2025, 3, 1), anniversary=date(2026, 10, 1), fixed_rate=D("10")
    )
    plan = plan_payments(
        start=date(2026, 4, 1), end=date(2027, 9, 30), value=D("54900"), indexation=indexation, index_values={}
    )
    before, after = plan.periods
    assert (before.start, before.end, after.start, after.end) == (
        date(2026, 4, 1),
        date(2026, 9, 30),
        date(2026, 10, 1),
        date(2027, 9, 30),
    )
    march, april_on = allocate(after.amount, [182, 183])  # October to March, April to September
    assert plan.yearly == {"2026-27": before.amount + march, "2027-28": april_on}


@settings(max_examples=2_000, deadline=None)
@given(
    start_day=st.integers(0, 3 * 365),
    length=st.integers(0, 5 * 365),
    pence=st.integers(1, 10**9),
    anniversary_after=st.integers(1, 500),
    rate=st.integers(-300, 1500),
)
def test_plans_add_up_exactly_and_never_shrink_with_rising_prices(start_day, length, pence, anniversary_after, rate):
    start = date(2024, 1, 1) + datetime.timedelta(days=start_day)
    end = start + datetime.timedelta(days=length)
    anniversary = start + datetime.timedelta(days=anniversary_after)
    base_month = date(anniversary.year - 1, anniversary.month, 1) - datetime.timedelta(days=1)
    indexation = rules.Indexation(
        kind=rules.IndexKind.FIXED,
        base_month=base_month.replace(day=1),
        anniversary=anniversary,
        fixed_rate=D(abs(rate)) / 100,
    )
    value = D(pence) / 100
    plan = plan_payments(start=start, end=end, value=value, indexation=indexation, index_values={})
    assert list(plan.yearly) == [portion.financial_year for portion in year_portions(start, end)]
    assert sum(plan.yearly.values()) == sum(period.amount for period in plan.periods) == plan.total
    assert sum(period.base_amount for period in plan.periods) == value
    assert plan.total >= value
    assert sum(period.days for period in plan.periods) == length + 1


# ---- Keeping the instalments --------------------------------------------------------------


def test_recompute_builds_instalments_that_add_up_to_each_uplifted_year(sid):
    agreement = cpi_agreement()
    IndexValueFactory.create(month=date(2027, 3, 1), rate=D("4.0"))
    recompute_schedule(actor=sid, agreement=agreement)
    plan = plan_of(agreement)
    assert plan is not None and plan.total > agreement.value
    assert by_year(agreement) == plan.yearly
    assert Instalment.objects.filter(agreement=agreement).count() == 12  # quarterly for three years


def test_paid_instalments_are_kept_and_what_is_owed_moves_to_the_unpaid_ones(sid):
    agreement = cpi_agreement(signed=True)
    recompute_schedule(actor=sid, agreement=agreement)
    paid = pay_first(agreement, 2)
    agreement.value = D("120000.00")
    agreement.save()
    recompute_schedule(actor=sid, agreement=agreement)
    for item in paid:
        kept = Instalment.objects.get(pk=item.pk)
        assert (kept.amount, kept.paid_on) == (item.amount, item.paid_on)
    assert by_year(agreement) == plan_of(agreement).yearly
    assert not Instalment.objects.filter(agreement=agreement, is_adjustment=True).exists()


def test_a_year_already_paid_for_gets_an_adjustment_when_its_amount_changes(sid):
    agreement = cpi_agreement(signed=True, index_anniversary=date(2026, 10, 1), index_base_month=date(2025, 3, 1))
    recompute_schedule(actor=sid, agreement=agreement)
    pay_first(agreement, 4)  # the whole of 2026-27
    before = by_year(agreement)["2026-27"]
    IndexValueFactory.create(month=date(2026, 3, 1), rate=D("5.0"))  # the uplift of 1 October 2026
    recompute_schedule(actor=sid, agreement=agreement, reason="the CPI value for March 2026 was added")
    adjustment = Instalment.objects.get(agreement=agreement, is_adjustment=True)
    target = plan_of(agreement).yearly["2026-27"]
    assert adjustment.amount == target - before > 0
    assert adjustment.financial_year == "2026-27" and adjustment.paid_on is None
    assert "the CPI value for March 2026 was added" in adjustment.note
    assert by_year(agreement) == plan_of(agreement).yearly
    assert AuditEvent.objects.filter(object_type="agreements.instalment", action="create").count() == 2

    # Recomputing again with nothing new changes nothing: the adjustment stays as it is.
    recompute_schedule(actor=sid, agreement=agreement)
    assert Instalment.objects.get(agreement=agreement, is_adjustment=True).pk == adjustment.pk


def test_a_lower_value_after_payment_gives_money_back_as_a_negative_adjustment(sid):
    agreement = AgreementFactory.create(signed=True, payment_frequency=Agreement.Frequency.ANNUALLY)
    recompute_schedule(actor=sid, agreement=agreement)
    pay_first(agreement, 2)
    agreement.value = D("30000.00")
    agreement.save()
    recompute_schedule(actor=sid, agreement=agreement)
    adjustments = Instalment.objects.filter(agreement=agreement, is_adjustment=True).order_by("financial_year")
    assert [item.amount < 0 for item in adjustments] == [True, True]
    assert "to be returned or offset" in adjustments[0].note
    assert by_year(agreement) == plan_of(agreement).yearly
    assert sum(by_year(agreement).values()) == D("30000.00")


def test_an_unpaid_adjustment_is_replaced_when_the_amount_changes_again(sid):
    agreement = AgreementFactory.create(signed=True, payment_frequency=Agreement.Frequency.ANNUALLY)
    recompute_schedule(actor=sid, agreement=agreement)
    pay_first(agreement, 1)
    for value in ("99000.00", "90000.00"):
        agreement.value = D(value)
        agreement.save()
        recompute_schedule(actor=sid, agreement=agreement)
    # Back to the amount paid: the year needs no adjustment at all.
    assert not Instalment.objects.filter(agreement=agreement, is_adjustment=True).exists()
    assert by_year(agreement) == plan_of(agreement).yearly


def test_the_term_cannot_lose_days_already_paid_for(sid):
    agreement = AgreementFactory.create(signed=True)
    recompute_schedule(actor=sid, agreement=agreement)
    pay_first(agreement, 3)  # up to 31 December 2026
    agreement.end_date = date(2026, 11, 30)
    with pytest.raises(ValidationError) as caught:
        recompute_schedule(actor=sid, agreement=agreement)
    assert caught.value.message_dict["end_date"] == [
        "Instalments have been paid up to 31 December 2026, so the agreement cannot end before that day"
    ]


def test_a_recompute_that_changes_nothing_keeps_every_row(sid):
    agreement = AgreementFactory.create()
    recompute_schedule(actor=sid, agreement=agreement)
    ids = set(Instalment.objects.filter(agreement=agreement).values_list("pk", flat=True))
    recompute_schedule(actor=sid, agreement=agreement)
    assert set(Instalment.objects.filter(agreement=agreement).values_list("pk", flat=True)) == ids
    assert AuditEvent.objects.filter(object_type="agreements.agreement").count() == 2  # the first build only


def test_no_dates_means_no_instalments(sid):
    agreement = AgreementFactory.create(start_date=None, end_date=None)
    assert recompute_schedule(actor=sid, agreement=agreement) == []


def test_recompute_records_the_change_in_both_parties_histories(sid):
    agreement = AgreementFactory.create()
    recompute_schedule(actor=sid, agreement=agreement)
    events = AuditEvent.objects.filter(object_type="agreements.agreement", object_id=str(agreement.pk))
    assert {event.organisation_id for event in events} == {agreement.funder_id, agreement.provider_id}
    assert [event.changes["payment_schedule"][1] for event in events] == ["12 instalments, £90,000.00"] * 2


starts = st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31))


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    start=starts,
    days=st.integers(60, 3 * 366),
    pence=st.integers(100_000, 50_000_000),
    frequency=st.sampled_from(Agreement.Frequency.values),
    kind=st.sampled_from(["cpi", "fixed", "none"]),
    anniversary_after=st.integers(1, 400),
    rates=st.lists(st.integers(-200, 1200), min_size=4, max_size=4),
    paid_share=st.fractions(0, 1),
    new_pence=st.none() | st.integers(100_000, 50_000_000),
    new_frequency=st.none() | st.sampled_from(Agreement.Frequency.values),
)
def test_after_uplifts_and_partial_payment_each_year_adds_up_exactly(
    funder,
    provider,
    start,
    days,
    pence,
    frequency,
    kind,
    anniversary_after,
    rates,
    paid_share,
    new_pence,
    new_frequency,
):
    with transaction.atomic():
        anniversary = start + datetime.timedelta(days=anniversary_after)
        months = anniversary.year * 12 + anniversary.month - 1 - 13
        base_month = date(months // 12, months % 12 + 1, 1)
        indexed = kind != "none"
        agreement = AgreementFactory.create(
            funder=funder,
            provider=provider,
            signed=True,
            start_date=start,
            end_date=start + datetime.timedelta(days=days),
            value=D(pence) / 100,
            payment_frequency=frequency,
            index_kind=kind,
            index_base_month=base_month if indexed else None,
            index_anniversary=anniversary if indexed else None,
            index_fixed_rate=D(abs(rates[0])) / 100 if kind == "fixed" else None,
        )
        references = [rules.add_years(base_month, years) for years in range(1, 5)]
        if kind == "cpi":  # the first uplift's rate is known from the start
            IndexValueFactory.create(month=references[0], rate=D(rates[0]) / 100)
        recompute_schedule(actor=None, agreement=agreement)
        assert plan_of(agreement).periods[0].uplifts == 0
        paid = pay_first(agreement, int(Instalment.objects.filter(agreement=agreement).count() * paid_share))

        # Later: more rates are published, and perhaps a variation changed the value or frequency.
        if kind == "cpi":
            for month, rate in zip(references[1:], rates[1:], strict=True):
                IndexValueFactory.create(month=month, rate=D(rate) / 100)
        if kind == "fixed":
            agreement.index_fixed_rate = D(abs(rates[1])) / 100
        if new_pence is not None:
            agreement.value = D(new_pence) / 100
        if new_frequency is not None:
            agreement.payment_frequency = new_frequency
        agreement.save()
        recompute_schedule(actor=None, agreement=agreement)

        plan = plan_of(agreement)
        assert plan is not None
        sums = by_year(agreement)
        assert set(sums) <= set(plan.yearly)
        for label, amount in plan.yearly.items():
            assert sums.get(label, D(0)) == amount, label
        assert sum(sums.values()) == plan.total
        for item in paid:
            assert Instalment.objects.filter(pk=item.pk, amount=item.amount, paid_on=item.paid_on).exists()
        assert not Instalment.objects.filter(agreement=agreement, is_adjustment=False, amount__lt=0).exists()
        transaction.set_rollback(True)


@pytest.fixture
def funder(db):
    return OrganisationFactory.create(statutory=True)


@pytest.fixture
def provider(db):
    return OrganisationFactory.create()


# ---- Payments -----------------------------------------------------------------------------


def test_the_funder_marks_instalments_paid_in_order(sid):
    agreement = AgreementFactory.create(signed=True)
    recompute_schedule(actor=sid, agreement=agreement)
    first, second = Instalment.objects.filter(agreement=agreement).order_by("period_start")[:2]
    with pytest.raises(ValidationError, match="Mark the instalment due on 30 June 2026 as paid first"):
        mark_instalment_paid(actor=sid, instalment=second)
    mark_instalment_paid(actor=sid, instalment=first)
    first.refresh_from_db()
    assert first.paid_by == sid and first.paid_on is not None
    assert AuditEvent.objects.filter(object_type="agreements.instalment", object_id=str(first.pk)).count() == 2
    with pytest.raises(ValidationError, match="already marked as paid"):
        mark_instalment_paid(actor=sid, instalment=first)
    mark_instalment_paid(actor=sid, instalment=second)


def test_a_payment_made_earlier_can_be_recorded_with_its_date_but_not_a_future_one(sid):
    agreement = AgreementFactory.create(signed=True)
    recompute_schedule(actor=sid, agreement=agreement)
    first = Instalment.objects.filter(agreement=agreement).earliest("period_start")
    with pytest.raises(ValidationError, match="today or in the past"):
        mark_instalment_paid(actor=sid, instalment=first, paid_on=date(2099, 1, 1))
    assert mark_instalment_paid(actor=sid, instalment=first, paid_on=date(2026, 6, 30)).paid_on == date(2026, 6, 30)


def test_nothing_is_paid_before_both_parties_sign(sid):
    agreement = AgreementFactory.create(offered=True)
    recompute_schedule(actor=sid, agreement=agreement)
    first = Instalment.objects.filter(agreement=agreement).earliest("period_start")
    with pytest.raises(ValidationError, match="once both parties have signed"):
        mark_instalment_paid(actor=sid, instalment=first)
    first.refresh_from_db()
    assert first.paid_on is None


def test_an_instalment_removed_by_a_recompute_cannot_be_paid(sid):
    agreement = AgreementFactory.create(signed=True)
    recompute_schedule(actor=sid, agreement=agreement)
    stale = Instalment.objects.filter(agreement=agreement).earliest("period_start")
    agreement.value = D("96000.00")
    agreement.save()
    recompute_schedule(actor=sid, agreement=agreement)  # recreates every unpaid instalment
    with pytest.raises(ValidationError, match="the schedule has changed"):
        mark_instalment_paid(actor=sid, instalment=stale)
