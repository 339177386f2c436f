"""Indexation terms, the published index values, and what the agreement page shows of them."""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cocommission.agreements.models import Agreement, IndexValue, Instalment
from cocommission.agreements.selectors.schedule import real_terms_years, schedule_context
from cocommission.agreements.services.guards import SIGNED_MESSAGE
from cocommission.agreements.services.index_values import add_index_value, change_index_value
from cocommission.agreements.services.indexation import set_indexation
from cocommission.agreements.services.schedule import PaymentPlan, plan_for, recompute_schedule
from cocommission.agreements.tests.factories import AgreementFactory, IndexValueFactory
from cocommission.core.models import AuditEvent
from cocommission.core.versioning import StaleFormError

D = Decimal
date = datetime.date
pytestmark = pytest.mark.django_db


def plan_of(agreement: Agreement) -> PaymentPlan:
    plan = plan_for(agreement)
    assert plan is not None
    return plan


CPI_TERMS: dict[str, Any] = {"kind": "cpi", "base_month": date(2026, 3, 1), "anniversary": date(2027, 4, 1)}


def total_of(agreement: Agreement) -> Decimal:
    return sum((item.amount for item in Instalment.objects.filter(agreement=agreement)), D(0))


# ---- Indexation terms ---------------------------------------------------------------------


def test_saving_the_terms_recomputes_the_schedule_and_is_audited(sid):
    agreement = AgreementFactory.create()
    recompute_schedule(actor=sid, agreement=agreement)
    set_indexation(actor=sid, agreement=agreement, fixed_rate=D("3"), **(CPI_TERMS | {"kind": "fixed"}))
    agreement.refresh_from_db()
    assert (agreement.index_kind, agreement.index_fixed_rate) == ("fixed", D("3.00"))
    assert total_of(agreement) == plan_of(agreement).total > D("90000")
    events = AuditEvent.objects.filter(object_type="agreements.agreement", changes__has_key="index_kind")
    assert {event.organisation_id for event in events} == {agreement.funder_id, agreement.provider_id}
    assert [event.changes["index_kind"] for event in events] == [["none", "fixed"]] * 2


def test_a_cap_below_the_floor_is_refused_and_nothing_changes(sid):
    agreement = AgreementFactory.create()
    with pytest.raises(ValidationError) as caught:
        set_indexation(actor=sid, agreement=agreement, floor=D("3"), cap=D("2"), **CPI_TERMS)
    assert caught.value.message_dict == {"cap": ["The cap must be the same as or higher than the floor"]}
    agreement.refresh_from_db()
    assert agreement.index_kind == "none" and agreement.index_floor is None


@pytest.mark.parametrize(
    ("terms", "field", "message"),
    [
        ({"kind": "cpi"}, "base_month", "Enter the base month: the month whose prices the value is set at"),
        ({"kind": "fixed", "base_month": date(2026, 3, 1), "anniversary": date(2027, 4, 1)}, "fixed_rate",
         "Enter the fixed percentage for each uplift"),
        (CPI_TERMS | {"fixed_rate": D("2")}, "fixed_rate",
         "Leave the fixed percentage empty, or choose a fixed percentage each year"),
        (CPI_TERMS | {"anniversary": date(2026, 4, 1)}, "anniversary",
         "The first uplift must be after the agreement starts on 1 April 2026"),
        (CPI_TERMS | {"anniversary": date(2027, 3, 15)}, "anniversary",
         "The first uplift must be after March 2027, when the rate for a year after the base month is known"),
        (CPI_TERMS | {"floor": D("101")}, "floor", "The floor must be between 0% and 100%"),
        ({"kind": "sometimes"}, "kind", "Choose how the agreement's value keeps up with prices"),
    ],
)  # fmt: skip
def test_terms_that_do_not_hold_together_are_refused_on_the_right_field(sid, terms, field, message):
    agreement = AgreementFactory.create()
    with pytest.raises(ValidationError) as caught:
        set_indexation(actor=sid, agreement=agreement, **terms)
    assert caught.value.message_dict[field] == [message]


def test_no_indexation_clears_the_other_terms(sid):
    agreement = AgreementFactory.create(
        index_kind="cpi", index_base_month=date(2026, 3, 1), index_anniversary=date(2027, 4, 1), index_cap=D("5")
    )
    set_indexation(actor=sid, agreement=agreement, floor=D("1"), **(CPI_TERMS | {"kind": "none"}))
    agreement.refresh_from_db()
    assert (agreement.index_base_month, agreement.index_anniversary, agreement.index_cap, agreement.index_floor) == (
        None,
        None,
        None,
        None,
    )


def test_a_signed_agreement_needs_a_variation(sid):
    agreement = AgreementFactory.create(signed=True)
    with pytest.raises(ValidationError) as caught:
        set_indexation(actor=sid, agreement=agreement, **CPI_TERMS)
    assert caught.value.messages == [SIGNED_MESSAGE]


def test_a_stale_form_is_refused(sid):
    agreement = AgreementFactory.create()
    with pytest.raises(StaleFormError):
        set_indexation(actor=sid, agreement=agreement, version="2000-01-01T00:00:00+00:00", **CPI_TERMS)


# ---- Index values -------------------------------------------------------------------------


def test_a_new_value_recomputes_the_agreements_that_use_that_index(pat, sid):
    cpi = AgreementFactory.create(index_kind="cpi", index_base_month=date(2024, 3, 1),
                                  index_anniversary=date(2026, 10, 1))  # fmt: skip
    cpih = AgreementFactory.create(index_kind="cpih", index_base_month=date(2024, 3, 1),
                                   index_anniversary=date(2026, 10, 1))  # fmt: skip
    ended = AgreementFactory.create(ended=True, index_kind="cpi", index_base_month=date(2024, 3, 1),
                                    index_anniversary=date(2026, 10, 1))  # fmt: skip
    for agreement in (cpi, cpih, ended):
        recompute_schedule(actor=sid, agreement=agreement)
    value = add_index_value(actor=pat, index="cpi", month=date(2025, 3, 1), rate=D("2.6"), source="ONS")
    assert value.created_by == pat
    assert total_of(cpi) == plan_of(cpi).total > D("90000")
    assert total_of(cpih) == D("90000.00")
    assert total_of(ended) == D("90000.00")  # ended agreements keep their schedule

    change_index_value(actor=pat, index_value=value, index="cpi", month=date(2025, 3, 1), rate=D("3.0"), source="ONS")
    assert plan_of(cpi).periods[1].rate == D("3.0")
    assert total_of(cpi) == plan_of(cpi).total


def test_a_second_value_for_the_same_month_is_refused(pat):
    IndexValueFactory.create(month=date(2024, 3, 1))
    with pytest.raises(ValidationError) as caught:
        add_index_value(actor=pat, index="cpi", month=date(2024, 3, 1), rate=D("3.1"), source="ONS")
    assert caught.value.message_dict == {"month": ["There is already a CPI value for March 2024"]}
    # The same month of the other index is another value.
    add_index_value(actor=pat, index="cpih", month=date(2024, 3, 1), rate=D("3.8"), source="ONS")


def test_the_database_refuses_a_duplicate_that_slips_past_the_check(pat, monkeypatch):
    """Two admins saving the same month at once: the constraint catches the second."""
    IndexValueFactory.create(month=date(2024, 3, 1))
    monkeypatch.setattr(
        "cocommission.agreements.services.index_values.IndexValue.objects.filter",
        _filter_that_misses_the_first_time(IndexValue.objects.filter),
    )
    with pytest.raises(ValidationError) as caught:
        add_index_value(actor=pat, index="cpi", month=date(2024, 3, 1), rate=D("3.1"), source="ONS")
    assert caught.value.message_dict == {"month": ["There is already a CPI value for March 2024"]}
    assert IndexValue.objects.count() == 1


def _filter_that_misses_the_first_time(real):
    calls = {"n": 0}

    def fake(*args, **kwargs):
        calls["n"] += 1
        return real(pk=None) if calls["n"] == 1 else real(*args, **kwargs)

    return fake


def test_changing_to_a_month_that_has_a_value_is_refused(pat):
    IndexValueFactory.create(month=date(2024, 3, 1))
    other = IndexValueFactory.create(month=date(2024, 4, 1))
    with pytest.raises(ValidationError, match="There is already a CPI value for March 2024"):
        change_index_value(actor=pat, index_value=other, index="cpi", month=date(2024, 3, 1), rate=D("2"), source="x")


@pytest.mark.parametrize(
    ("month", "rate", "source", "field"),
    [
        (None, D("2"), "ONS", "month"),
        (date(2099, 1, 1), D("2"), "ONS", "month"),
        (date(2024, 1, 1), None, "ONS", "rate"),
        (date(2024, 1, 1), D("100"), "ONS", "rate"),
        (date(2024, 1, 1), D("2"), "  ", "source"),
    ],
)
def test_incomplete_values_are_refused(pat, month, rate, source, field):
    with pytest.raises(ValidationError) as caught:
        add_index_value(actor=pat, index="cpi", month=month, rate=rate, source=source)
    assert list(caught.value.message_dict) == [field]


def test_only_platform_admins_keep_index_values(sid):
    with pytest.raises(PermissionDenied):
        add_index_value(actor=sid, index="cpi", month=date(2024, 1, 1), rate=D("2"), source="ONS")


# ---- What the page shows ------------------------------------------------------------------


def test_real_terms_use_the_latest_rate_within_each_year_and_estimate_years_without_one():
    thirty = D("30000.00")
    rows = real_terms_years(
        {"2021-22": thirty, "2022-23": thirty, "2023-24": thirty, "2024-25": thirty},
        {
            date(2022, 3, 1): D("7.0"),
            date(2022, 4, 1): D("9.0"),
            date(2022, 12, 1): D("10.5"),
            date(2024, 4, 1): D("2.3"),
        },
    )
    assert [(row.reference_month, row.rate, row.estimated) for row in rows] == [
        (date(2022, 3, 1), D("7.0"), False),  # March covers the whole year
        (date(2022, 12, 1), D("10.5"), False),  # no March yet: the latest within the year
        (date(2022, 12, 1), D("10.5"), True),  # nothing within: the latest before it ends stands in
        (date(2024, 4, 1), D("2.3"), False),
    ]
    assert rows[0].real == D("28037.38")  # 30,000 ÷ 1.07
    assert rows[-1].erosion == sum((thirty - row.real for row in rows), D(0))


def test_the_page_context_for_an_unindexed_agreement_shows_real_terms_in_few_queries(
    sid, django_assert_max_num_queries
):
    agreement = AgreementFactory.create(payment_frequency=Agreement.Frequency.MONTHLY)
    recompute_schedule(actor=sid, agreement=agreement)
    IndexValueFactory.create(month=date(2027, 3, 1), rate=D("3.0"))
    with django_assert_max_num_queries(3):
        context = schedule_context(agreement)
    assert [year.count for year in context["schedule_years"]] == [12, 12, 12]
    assert context["schedule_total"] == D("90000.00")
    assert [row.estimated for row in context["real_terms_years"]] == [False, True, True]
    assert context["real_terms_erosion"] > 0
    assert context["schedule_payable_ids"] == set()  # not signed yet


def test_the_page_context_for_an_indexed_agreement_lists_each_uplift(sid):
    agreement = AgreementFactory.create(
        signed=True, index_kind="cpi", index_base_month=date(2026, 3, 1), index_anniversary=date(2027, 4, 1)
    )
    IndexValueFactory.create(month=date(2027, 3, 1), rate=D("4.0"))
    recompute_schedule(actor=sid, agreement=agreement)
    context = schedule_context(agreement)
    periods = context["indexation_periods"]
    assert [(period.rate, period.published) for period in periods] == [(None, True), (D("4.0"), True), (D("0"), False)]
    assert context["indexation_waiting"] is True
    assert context["indexation_total"] == context["schedule_total"]
    first = Instalment.objects.filter(agreement=agreement).earliest("period_start")
    assert context["schedule_payable_ids"] == {first.pk}
    assert context["real_terms_years"] == []
