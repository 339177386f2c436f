"""Money pages through the browser: the grant-or-contract test, the budget builder, the overhead
cap and overhead rates, with the outsider (charlie) and the wrong side refused."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from cocommission.agreements.models import Agreement, BudgetLine, OverheadRate
from cocommission.agreements.services.vat import record_vat_test
from cocommission.agreements.tests.factories import AgreementFactory, BudgetLineFactory, OverheadRateFactory
from cocommission.commissioning.models import ConsortiumMember
from cocommission.commissioning.tests.factories import ConsortiumFactory, ConsortiumMemberFactory
from cocommission.core.versioning import version_of

D = Decimal
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mfa_off")]

CONTRACT_ANSWERS = {
    "consideration": "yes",
    "direct_link": "yes",
    "beneficiary": "funder",
    "purchase_conditions": "no",
}


@pytest.fixture
def agreement(icb, org_a):
    OverheadRateFactory.create(organisation=org_a, financial_year=2026)  # 18.5%
    return AgreementFactory.create(funder=icb, provider=org_a)


@pytest.fixture
def signed(icb, org_a):
    return AgreementFactory.create(funder=icb, provider=org_a, signed=True)


def _url(name, agreement, **extra):
    return reverse(f"agreements:{name}", kwargs={"pk": agreement.pk, **extra})


def _post(client, url, data, version_from=None):
    if version_from is not None:
        data = {**data, "version": version_of(version_from)}
    return client.post(url, data)


# Grant or contract ----------------------------------------------------------------------------------------------


def test_the_funder_answers_the_test_and_both_parties_see_the_reasoning(client, agreement, sid, alice):
    client.force_login(sid)
    page = client.get(_url("vat", agreement))
    assert page.status_code == 200
    assert "Is the payment consideration for a supply to the funder?" in page.content.decode()
    response = _post(client, _url("vat", agreement), {**CONTRACT_ANSWERS, "vat_rate": "20"}, agreement)
    assert response.status_code == 302
    assert response["Location"].endswith("#grant-or-contract")
    agreement.refresh_from_db()
    assert agreement.agreement_type == Agreement.Type.CONTRACT and agreement.vat_rate == D("20.00")

    client.force_login(alice)  # the provider
    detail = client.get(_url("detail", agreement)).content.decode()
    assert "Contract (VAT may apply)" in detail
    assert agreement.vat_reasoning in detail
    assert "VAT rate the funder states" in detail
    assert _url("vat", agreement) not in detail  # only the funder answers it


def test_a_contract_without_a_rate_shows_the_error_and_keeps_the_answers(client, agreement, sid):
    client.force_login(sid)
    response = _post(client, _url("vat", agreement), CONTRACT_ANSWERS, agreement)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your answers make this a contract. Enter the VAT rate that applies" in html
    assert 'value="funder" checked' in html
    agreement.refresh_from_db()
    assert agreement.vat_tested_at is None


def test_an_empty_submission_names_every_question(client, agreement, sid):
    client.force_login(sid)
    html = client.post(_url("vat", agreement), {}).content.decode()
    assert "Select whether the payment is consideration for a supply to the funder" in html
    assert "Select who gets the benefit of the service" in html


def test_a_stale_vat_form_is_refused_with_the_answers_kept(client, agreement, sid):
    client.force_login(sid)
    response = client.post(_url("vat", agreement), {**CONTRACT_ANSWERS, "vat_rate": "20", "version": "old"})
    assert "Someone else changed these details" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.vat_tested_at is None


def test_the_provider_may_not_answer_the_test_and_the_outsider_does_not_know_it_exists(
    client, agreement, alice, charlie
):
    client.force_login(alice)
    assert client.get(_url("vat", agreement)).status_code == 403
    assert client.post(_url("vat", agreement), {**CONTRACT_ANSWERS, "vat_rate": "20"}).status_code == 403
    client.force_login(charlie)
    assert client.get(_url("vat", agreement)).status_code == 404
    agreement.refresh_from_db()
    assert agreement.vat_tested_at is None


def test_after_signature_the_test_page_points_to_a_variation(client, signed, sid):
    client.force_login(sid)
    response = client.post(_url("vat", signed), {**CONTRACT_ANSWERS, "vat_rate": "20"}, follow=True)
    assert "To change it, propose a variation that both parties approve." in response.content.decode()
    signed.refresh_from_db()
    assert signed.agreement_type == Agreement.Type.GRANT


# The budget ------------------------------------------------------------------------------------------------------


def test_the_provider_sees_the_gap_a_cap_leaves_on_the_agreement_and_the_builder(client, agreement, alice):
    BudgetLineFactory.create(agreement=agreement, amount=D("20000"))
    agreement.overhead_cap = D("0.1000")
    agreement.save()
    client.force_login(alice)
    for page in (client.get(_url("detail", agreement)), client.get(_url("budget", agreement))):
        html = page.content.decode()
        assert "18.50%" in html
        assert "£1,700.00" in html  # 3,700 at 18.5% less 2,000 at 10%
        assert "The cap on overheads leaves a gap of £1,700.00" in html


def test_the_page_says_when_the_provider_has_no_overhead_rate(client, icb, org_a, alice):
    agreement = AgreementFactory.create(funder=icb, provider=org_a)
    client.force_login(alice)
    html = client.get(_url("budget", agreement)).content.decode()
    assert "has not recorded an overhead rate" in html
    assert reverse("agreements:overheads", kwargs={"slug": org_a.slug}) in html


def test_both_parties_add_lines(client, agreement, alice, sid):
    data = {"year": "1", "category": "staff", "description": "Support worker", "amount": "20000"}
    client.force_login(alice)
    assert client.post(_url("budget_line_add", agreement), data).status_code == 302
    client.force_login(sid)
    response = client.post(_url("budget_line_add", agreement), {**data, "year": "2", "category": "premises"})
    assert response["Location"] == _url("budget", agreement)
    assert BudgetLine.objects.filter(agreement=agreement).count() == 2


def test_a_line_past_the_value_is_refused_with_what_was_typed_kept(client, agreement, alice):
    client.force_login(alice)
    data = {"year": "1", "category": "staff", "description": "Three support workers", "amount": "80000"}
    response = client.post(_url("budget_line_add", agreement), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "The budget of £94,800.00 is more than the agreement&#x27;s value of £90,000.00" in html
    assert 'value="Three support workers"' in html
    assert not BudgetLine.objects.filter(agreement=agreement).exists()


def test_a_year_outside_the_term_is_refused(client, agreement, alice):
    client.force_login(alice)
    html = client.post(
        _url("budget_line_add", agreement), {"year": "4", "category": "staff", "description": "x", "amount": "1"}
    ).content.decode()
    assert "Choose a year from the list" in html


def test_changing_and_removing_a_line(client, agreement, alice):
    line = BudgetLineFactory.create(agreement=agreement)
    client.force_login(alice)
    form = client.get(_url("budget_line_edit", agreement, line_pk=line.pk)).content.decode()
    assert 'value="Support worker (0.8 full-time equivalent)"' in form
    data = {"year": "2", "category": "equipment", "description": "Laptops", "amount": "1500"}
    assert _post(client, _url("budget_line_edit", agreement, line_pk=line.pk), data, line).status_code == 302
    line.refresh_from_db()
    assert (line.year, line.description) == (2, "Laptops")
    confirm = client.get(_url("budget_line_remove", agreement, line_pk=line.pk))
    assert "Remove ‘Laptops’ from the budget?" in confirm.content.decode()
    assert client.post(_url("budget_line_remove", agreement, line_pk=line.pk)).status_code == 302
    assert not BudgetLine.objects.filter(pk=line.pk).exists()


def test_a_line_of_another_agreement_is_not_found(client, agreement, icb, org_a, alice):
    other = BudgetLineFactory.create(agreement=AgreementFactory.create(funder=icb, provider=org_a))
    client.force_login(alice)
    assert client.get(_url("budget_line_edit", agreement, line_pk=other.pk)).status_code == 404
    assert client.post(_url("budget_line_remove", agreement, line_pk=other.pk)).status_code == 404
    assert BudgetLine.objects.filter(pk=other.pk).exists()


def test_the_outsider_cannot_see_or_build_the_budget(client, agreement, charlie):
    line = BudgetLineFactory.create(agreement=agreement)
    client.force_login(charlie)
    assert client.get(_url("budget", agreement)).status_code == 404
    data = {"year": "1", "category": "staff", "description": "x", "amount": "1"}
    assert client.post(_url("budget_line_add", agreement), data).status_code == 404
    assert client.post(_url("budget_line_remove", agreement, line_pk=line.pk)).status_code == 404
    assert BudgetLine.objects.filter(agreement=agreement).count() == 1


def test_a_signed_budget_is_read_only(client, signed, alice):
    line = BudgetLineFactory.create(agreement=signed)
    client.force_login(alice)
    html = client.get(_url("budget", signed)).content.decode()
    assert "can only change through a variation" in html
    assert _url("budget_line_add", signed) not in html
    response = client.post(_url("budget_line_remove", signed, line_pk=line.pk), follow=True)
    assert "propose a variation" in response.content.decode()
    assert BudgetLine.objects.filter(pk=line.pk).exists()


def test_the_funder_caps_overheads_and_the_provider_may_not(client, agreement, sid, alice):
    client.force_login(alice)
    assert client.post(_url("overhead_cap", agreement), {"cap_percent": "5"}).status_code == 403
    client.force_login(sid)
    page = client.get(_url("overhead_cap", agreement)).content.decode()
    assert "The provider&#x27;s overhead rate is 18.50% of direct costs" in page
    assert _post(client, _url("overhead_cap", agreement), {"cap_percent": "10"}, agreement).status_code == 302
    agreement.refresh_from_db()
    assert agreement.overhead_cap == D("0.1000")


def test_a_cap_that_takes_the_budget_past_the_value_is_refused_on_the_page(client, agreement, sid):
    BudgetLineFactory.create(agreement=agreement, amount=D("80000"))
    agreement.overhead_cap = D("0.1000")
    agreement.save()
    client.force_login(sid)
    response = _post(client, _url("overhead_cap", agreement), {"cap_percent": ""}, agreement)
    assert response.status_code == 200
    assert "more than the agreement&#x27;s value" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.overhead_cap == D("0.1000")


def test_a_consortium_budget_is_split_by_member_on_the_agreement(client, icb, org_a, org_b, alice, charlie):
    consortium = ConsortiumFactory.create(name="Valley Alliance")
    for organisation, share in ((org_a, D("60")), (org_b, D("40"))):
        ConsortiumMemberFactory.create(
            consortium=consortium,
            organisation=organisation,
            status=ConsortiumMember.Status.CONFIRMED,
            budget_share=share,
        )
    agreement = AgreementFactory.create(funder=icb, provider=org_a, consortium=consortium)
    BudgetLineFactory.create(agreement=agreement, amount=D("10000.01"))
    client.force_login(charlie)  # a consortium member is a party too
    html = client.get(_url("detail", agreement)).content.decode()
    assert "Funded budget split by consortium member" in html
    assert "£6,000.01" in html and "£4,000.00" in html


def test_the_printable_summary_has_the_sections_without_links(client, agreement, sid, alice):
    record_vat_test(
        actor=sid,
        agreement=agreement,
        consideration="no",
        direct_link="no",
        beneficiary="public",
        purchase_conditions="no",
        vat_rate=None,
    )
    client.force_login(sid)
    html = client.get(_url("print", agreement)).content.decode()
    assert "outside the scope of VAT, and no VAT is added" in html
    assert "Budget by agreement year" in html
    assert _url("budget", agreement) not in html
    assert _url("vat", agreement) not in html


# Overhead rates ----------------------------------------------------------------------------------------------------


def _overheads(org, name="overheads", **extra):
    return reverse(f"agreements:{name}", kwargs={"slug": org.slug, **extra})


def test_members_read_the_rates_and_admins_keep_them(client, org_a, alice, bob):
    OverheadRateFactory.create(organisation=org_a, financial_year=2025)
    client.force_login(bob)
    html = client.get(_overheads(org_a)).content.decode()
    assert "2025-26" in html and "18.50%" in html
    assert _overheads(org_a, "overhead_add") not in html
    assert client.get(_overheads(org_a, "overhead_add")).status_code == 403
    client.force_login(alice)
    data = {"financial_year": "2026", "annual_core_costs": "45000", "total_direct_costs": "250000"}
    assert client.post(_overheads(org_a, "overhead_add"), data).status_code == 302
    assert "18.00%" in client.get(_overheads(org_a)).content.decode()


def test_a_second_rate_for_a_year_is_refused_on_the_field(client, org_a, alice):
    OverheadRateFactory.create(organisation=org_a, financial_year=2026)
    client.force_login(alice)
    data = {"financial_year": "2026", "annual_core_costs": "1", "total_direct_costs": "2"}
    html = client.post(_overheads(org_a, "overhead_add"), data).content.decode()
    assert "There is already an overhead rate for 2026-27" in html
    assert OverheadRate.objects.filter(organisation=org_a).count() == 1


def test_an_admin_changes_a_year(client, org_a, alice):
    rate = OverheadRateFactory.create(organisation=org_a, financial_year=2026)
    client.force_login(alice)
    url = _overheads(org_a, "overhead_edit", year=2026)
    assert "Change the overhead rate for 2026-27" in client.get(url).content.decode()
    data = {"annual_core_costs": "40000", "total_direct_costs": "200000", "version": version_of(rate)}
    assert client.post(url, data).status_code == 302
    rate.refresh_from_db()
    assert rate.annual_core_costs == D("40000.00")
    assert client.get(_overheads(org_a, "overhead_edit", year=2020)).status_code == 404


def test_outsiders_do_not_see_an_organisations_rates(client, org_a, charlie, sid):
    OverheadRateFactory.create(organisation=org_a, financial_year=2026)
    for person in (charlie, sid):
        client.force_login(person)
        assert client.get(_overheads(org_a)).status_code == 404
        data = {"annual_core_costs": "1", "total_direct_costs": "2"}
        assert client.post(_overheads(org_a, "overhead_edit", year=2026), data).status_code == 404
    assert OverheadRate.objects.get(organisation=org_a).annual_core_costs == D("37000.00")


def test_the_organisation_page_links_members_to_the_rates(client, org_a, bob, charlie):
    link = _overheads(org_a)
    client.force_login(bob)
    assert link in client.get(reverse("organisations:detail", kwargs={"slug": org_a.slug})).content.decode()
    client.force_login(charlie)
    assert link not in client.get(reverse("organisations:detail", kwargs={"slug": org_a.slug})).content.decode()


def test_start_dates_label_the_years(client, icb, org_a, alice):
    agreement = AgreementFactory.create(funder=icb, provider=org_a, start_date=datetime.date(2026, 9, 1))
    agreement.end_date = datetime.date(2029, 8, 31)
    agreement.save()
    client.force_login(alice)
    html = client.get(_url("budget_line_add", agreement)).content.decode()
    assert "Year 2 (from 1 September 2027)" in html
