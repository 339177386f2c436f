"""Pages for indexation, the payment schedule, marking instalments paid and index values."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from cocommission.agreements.models import Agreement, IndexValue, Instalment
from cocommission.agreements.services.guards import SIGNED_MESSAGE
from cocommission.agreements.services.schedule import PaymentPlan, plan_for, recompute_schedule
from cocommission.agreements.tests.factories import AgreementFactory, IndexValueFactory

D = Decimal
date = datetime.date
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mfa_off")]


def plan_of(agreement: Agreement) -> PaymentPlan:
    plan = plan_for(agreement)
    assert plan is not None
    return plan


def url(name: str, *args: object) -> str:
    return reverse(f"agreements:{name}", args=args)


@pytest.fixture
def draft(icb, org_a, partnership):
    agreement = AgreementFactory.create(funder=icb, provider=org_a, partnership=partnership)
    recompute_schedule(actor=None, agreement=agreement)
    return agreement


@pytest.fixture
def active(icb, org_a, partnership):
    agreement = AgreementFactory.create(funder=icb, provider=org_a, partnership=partnership, signed=True)
    recompute_schedule(actor=None, agreement=agreement)
    return agreement


CPI_FORM = {
    "kind": "cpi",
    "base_month_month": "3",
    "base_month_year": "2026",
    "anniversary": "2027-04-01",
    "fixed_rate": "",
    "floor": "1",
    "cap": "5",
}


def first_instalment(agreement: Agreement) -> Instalment:
    return Instalment.objects.filter(agreement=agreement).earliest("period_start")


# ---- Indexation ---------------------------------------------------------------------------


def test_the_funder_sets_cpi_indexation_and_the_page_shows_each_uplift(client, sid, draft):
    IndexValueFactory.create(month=date(2027, 3, 1), rate=D("7.5"))
    client.force_login(sid)
    page = client.get(url("indexation", draft.pk))
    assert page.status_code == 200 and 'name="base_month_month"' in page.text
    response = client.post(url("indexation", draft.pk), CPI_FORM)
    assert response.status_code == 302 and response["Location"].endswith("#indexation")
    draft.refresh_from_db()
    assert (draft.index_kind, draft.index_base_month, draft.index_cap) == ("cpi", date(2026, 3, 1), D("5.00"))
    plan = plan_of(draft)
    assert plan.periods[1].rate == D("5")  # 7.5% capped at 5%
    assert sum(item.amount for item in Instalment.objects.filter(agreement=draft)) == plan.total
    detail = client.get(url("detail", draft.pk)).text
    assert "5% from 1 Apr 2027 (CPI for March 2027)" in detail
    assert "The uplift of 1 Apr 2028 uses CPI for March 2028, which is not published yet" in detail
    assert "Change the indexation terms" in detail


def test_a_cap_below_the_floor_is_shown_on_the_form_with_what_was_typed(client, sid, draft):
    client.force_login(sid)
    response = client.post(url("indexation", draft.pk), CPI_FORM | {"floor": "4", "cap": "2.5"})
    assert response.status_code == 200
    assert "The cap must be the same as or higher than the floor" in response.text
    assert response.text.startswith("<!DOCTYPE html>") and "<title>Error: " in response.text
    assert 'value="2.5"' in response.text and 'value="2026"' in response.text
    draft.refresh_from_db()
    assert draft.index_kind == "none"


def test_a_base_month_without_a_year_is_refused(client, sid, draft):
    client.force_login(sid)
    response = client.post(url("indexation", draft.pk), CPI_FORM | {"base_month_year": ""})
    assert "The base month must include a year" in response.text
    assert 'href="#id_base_month_year"' in response.text


def test_a_signed_agreement_sends_the_funder_back_with_the_reason(client, sid, active):
    client.force_login(sid)
    response = client.post(url("indexation", active.pk), CPI_FORM, follow=True)
    assert SIGNED_MESSAGE in response.text
    active.refresh_from_db()
    assert active.index_kind == "none"


@pytest.mark.parametrize(("persona", "status"), [("alice", 403), ("bob", 403), ("charlie", 404), ("cora", 404)])
def test_only_the_funder_sets_indexation(client, request, draft, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.post(url("indexation", draft.pk), CPI_FORM).status_code == status
    draft.refresh_from_db()
    assert draft.index_kind == "none"


# ---- The schedule and payments ------------------------------------------------------------


def test_both_parties_see_the_schedule_and_only_the_funder_can_record_payments(client, sid, alice, active):
    first = first_instalment(active)
    paid_link = url("instalment_paid", active.pk, first.pk)
    client.force_login(sid)
    page = client.get(url("schedule", active.pk))
    assert "Mark as paid" in page.text and paid_link in page.text
    client.force_login(alice)
    page = client.get(url("schedule", active.pk))
    assert page.status_code == 200 and "£7,493.16" in page.text  # a quarter of 2026-27's £29,972.63
    assert paid_link not in page.text


def test_the_funder_confirms_then_marks_an_instalment_paid(client, sid, active):
    first = first_instalment(active)
    client.force_login(sid)
    confirm = client.get(url("instalment_paid", active.pk, first.pk))
    assert "Has this instalment been paid?" in confirm.text and "£7,493.16" in confirm.text
    first.refresh_from_db()
    assert first.paid_on is None
    response = client.post(url("instalment_paid", active.pk, first.pk))
    assert response.status_code == 302 and response["Location"] == url("schedule", active.pk)
    first.refresh_from_db()
    assert first.paid_by == sid
    again = client.post(url("instalment_paid", active.pk, first.pk))
    assert again.status_code == 200 and "already marked as paid" in again.text


def test_a_later_instalment_waits_for_the_earlier_one(client, sid, active):
    second = Instalment.objects.filter(agreement=active).order_by("period_start")[1]
    client.force_login(sid)
    response = client.post(url("instalment_paid", active.pk, second.pk))
    assert "Mark the instalment due on 30 June 2026 as paid first" in response.text
    second.refresh_from_db()
    assert second.paid_on is None


@pytest.mark.parametrize(("persona", "status"), [("alice", 403), ("charlie", 404), ("lena", 404)])
def test_nobody_but_the_funder_marks_payments(client, request, active, persona, status):
    first = first_instalment(active)
    client.force_login(request.getfixturevalue(persona))
    assert client.post(url("instalment_paid", active.pk, first.pk)).status_code == status
    first.refresh_from_db()
    assert first.paid_on is None


def test_an_instalment_of_another_agreement_is_not_found(client, sid, active, draft):
    client.force_login(sid)
    assert client.post(url("instalment_paid", draft.pk, first_instalment(active).pk)).status_code == 404


def test_charlie_cannot_see_the_schedule(client, charlie, active):
    client.force_login(charlie)
    assert client.get(url("schedule", active.pk)).status_code == 404


def test_the_printable_summary_lists_every_instalment_without_actions(client, sid, active):
    client.force_login(sid)
    page = client.get(url("print", active.pk)).text
    assert "Every instalment" in page and "1 Jan 2029 to 31 Mar 2029" in page
    assert "Mark as paid" not in page


def test_an_unindexed_agreement_shows_its_real_terms_value(client, sid, draft):
    IndexValueFactory.create(month=date(2027, 3, 1), rate=D("3.0"))
    client.force_login(sid)
    page = client.get(url("detail", draft.pk)).text
    assert "What the agreement is worth in real terms" in page
    assert "Estimated" in page and "£29,099.64" in page  # 2026-27's £29,972.63 ÷ 1.03


# ---- Index values -------------------------------------------------------------------------


def test_a_platform_admin_adds_a_value_and_indexed_schedules_follow(client, pat, icb, org_a):
    draft = AgreementFactory.create(
        funder=icb,
        provider=org_a,
        start_date=date(2025, 4, 1),
        end_date=date(2027, 3, 31),
        index_kind="cpi",
        index_base_month=date(2025, 3, 1),
        index_anniversary=date(2026, 4, 1),
    )
    recompute_schedule(actor=None, agreement=draft)
    client.force_login(pat)
    form = {"index": "cpi", "month_month": "3", "month_year": "2026", "rate": "4.0", "source": "ONS"}
    response = client.post(url("index_value_add"), form)
    assert response.status_code == 302
    assert IndexValue.objects.get().rate == D("4.0")
    assert sum(item.amount for item in Instalment.objects.filter(agreement=draft)) == plan_of(draft).total > D(90000)
    assert "March 2026" in client.get(url("index_values")).text

    duplicate = client.post(url("index_value_add"), form | {"rate": "4.1"})
    assert "There is already a CPI value for March 2026" in duplicate.text
    assert 'value="4.1"' in duplicate.text
    assert IndexValue.objects.count() == 1


def test_a_platform_admin_corrects_a_value(client, pat):
    value = IndexValueFactory.create(month=date(2024, 3, 1), rate=D("3.2"))
    client.force_login(pat)
    page = client.get(url("index_value_change", value.pk))
    assert 'value="3.20"' in page.text or 'value="3.2"' in page.text
    form = {"index": "cpi", "month_month": "3", "month_year": "2024", "rate": "3.4", "source": "ONS, corrected"}
    client.post(url("index_value_change", value.pk), form)
    value.refresh_from_db()
    assert (value.rate, value.source) == (D("3.4"), "ONS, corrected")


def test_a_month_that_is_not_a_month_is_refused(client, pat):
    client.force_login(pat)
    form = {"index": "cpi", "month_month": "13", "month_year": "2024", "rate": "3", "source": "ONS"}
    assert "The month must be a number from 1 to 12" in client.post(url("index_value_add"), form).text
    assert not IndexValue.objects.exists()


@pytest.mark.parametrize("persona", ["sid", "alice", "charlie"])
def test_only_platform_admins_keep_index_values(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    form = {"index": "cpi", "month_month": "3", "month_year": "2024", "rate": "3", "source": "ONS"}
    assert client.post(url("index_value_add"), form).status_code == 403
    assert client.get(url("index_values")).status_code == 403
    assert not IndexValue.objects.exists()
