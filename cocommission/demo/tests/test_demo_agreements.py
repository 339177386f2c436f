"""The demo place has an agreement of every kind issue 4 names, each in the state it says."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cocommission.accounts.models import User
from cocommission.agreements.models import Agreement, IndexValue, Instalment
from cocommission.agreements.selectors.budget import agreement_budget, consortium_split
from cocommission.agreements.selectors.schedule import schedule_context

pytestmark = pytest.mark.django_db


def agreement(title: str) -> Agreement:
    return Agreement.objects.get(title=title)


def test_the_issues_cpi_rates_are_loaded(demo):
    rates = {(v.month.isoformat()[:7], str(v.rate)) for v in IndexValue.objects.filter(index="cpi")}
    assert rates == {
        ("2021-03", "0.70"),
        ("2022-03", "7.00"),
        ("2022-04", "9.00"),
        ("2022-12", "10.50"),
        ("2023-04", "8.70"),
        ("2024-03", "3.20"),
        ("2024-04", "2.30"),
        ("2025-04", "3.50"),
    }


def test_a_three_year_indexed_grant_with_full_core_costs(demo):
    hub = agreement("Community food and wellbeing hub")
    assert (hub.status, hub.agreement_type, hub.index_kind, hub.term_years) == ("active", "grant", "cpi", 3)
    figures = agreement_budget(hub)
    assert hub.overhead_cap is None and figures.cost.gap == 0 and figures.cost.core_funded > 0
    # £50,000 a year at April 2024 prices; May 2025's uplift used April 2025's 3.5%, and May 2026's
    # waits for April 2026's rate, so years 2 and 3 are £51,750: £153,500, penny-exact.
    assert schedule_context(hub)["schedule_total"] == Decimal("153500.00")
    assert hub.variations.filter(status="proposed").count() == 1


def test_a_one_year_contract_with_capped_overheads_shows_the_gap(demo):
    cafes = agreement("Recovery cafés pilot")
    assert (cafes.agreement_type, cafes.vat_rate, cafes.term_years) == ("contract", Decimal("20.00"), 1)
    assert cafes.status == "signed_by_funder" and cafes.short_term_reason
    assert agreement_budget(cafes).cost.gap == Decimal("4420.00")  # 52,000 × (18.5% − 10%)


def test_an_unindexed_five_year_agreement_shows_real_terms_erosion(demo):
    carers = agreement("Carers' breaks and support")
    context = schedule_context(carers)
    assert carers.index_kind == "none" and carers.term_years == 5
    assert len(context["real_terms_years"]) == 6 and context["real_terms_erosion"] > Decimal("10000")


def test_a_consortium_agreement_split_across_three_members(demo):
    minds = agreement("Minds Together: community mental health support")
    split = consortium_split(minds, agreement_budget(minds))
    assert split is not None and len(split.names) == 3
    assert sum(split.totals) == agreement_budget(minds).cost.funded_total


def test_one_agreement_ends_in_about_four_months_without_a_decision(demo):
    advice = agreement("Debt and benefits advice in GP surgeries")
    assert advice.end_date is not None
    days = (advice.end_date - timezone.localdate()).days
    assert 90 < days <= 155
    assert not advice.renewal_decisions.exists()
    assert list(advice.ending_notices.values_list("months_before", flat=True)) == [6]
    assert Instalment.objects.filter(agreement=advice, paid_on__isnull=False).exists()


def test_the_provider_sees_the_ending_agreement_on_the_ending_page(demo, client):
    client.force_login(User.objects.get(email="sunita.rao@ca-brackenmoor.example"))
    response = client.get(reverse("agreements:ending_list"))
    assert "Debt and benefits advice in GP surgeries" in response.content.decode()
