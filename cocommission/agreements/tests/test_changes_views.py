"""Variation, renewal and ending pages through the browser's eyes: who may do what, what they
see when they may not, and that a refusal keeps what they typed."""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cocommission.agreements.models import Agreement, RenewalDecision, Variation
from cocommission.agreements.selectors.changes import add_months
from cocommission.agreements.services.schedule import recompute_schedule
from cocommission.agreements.services.variation_rules import Proposal
from cocommission.agreements.services.variations import propose_variation
from cocommission.organisations.tests.factories import OrganisationFactory

from .factories import AgreementFactory, RenewalDecisionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(icb, org_a, partnership, sid, alice, bob, mfa_off):
    signed = AgreementFactory.create(signed=True, funder=icb, provider=org_a, partnership=partnership)
    recompute_schedule(actor=None, agreement=signed)
    return signed


@pytest.fixture
def proposed(agreement, alice):
    """Alice (the provider) proposes a higher value."""
    return propose_variation(
        actor=alice,
        agreement=agreement,
        kind=Variation.Kind.VALUE,
        reason="More families.",
        proposal=Proposal(new_value=Decimal("99000")),
    )


def url(name: str, agreement: Agreement, variation: Variation | None = None, query: str = "") -> str:
    kwargs: dict[str, Any] = {"pk": agreement.pk}
    if variation is not None:
        kwargs["variation_pk"] = variation.pk
    return reverse(f"agreements:{name}", kwargs=kwargs) + query


class TestProposing:
    def test_choose_what_to_change_then_propose(self, client, agreement, alice):
        client.force_login(alice)
        page = client.get(url("variation_new", agreement))
        assert "What do you want to change?" in page.content.decode()
        unchosen = client.get(url("variation_new", agreement, query="?kind="))
        assert "Select what you want to change" in unchosen.content.decode()
        form = client.get(url("variation_new", agreement, query="?kind=value"))
        assert "Propose a change of value" in form.content.decode()
        response = client.post(
            url("variation_new", agreement, query="?kind=value"), {"new_value": "£99,000", "reason": "More families."}
        )
        variation = Variation.objects.get(agreement=agreement)
        assert response.status_code == 302
        assert response["Location"] == url("variation_detail", agreement, variation)
        assert (variation.number, variation.new_value, variation.proposed_by) == (1, Decimal("99000.00"), alice)

    def test_a_refusal_shows_on_the_field_and_keeps_what_was_typed(self, client, agreement, alice):
        client.force_login(alice)
        response = client.post(
            url("variation_new", agreement, query="?kind=end_date"),
            {"new_end_date": "2026-01-01", "reason": "Ending early because the hall closes."},
        )
        body = response.content.decode()
        assert response.status_code == 200
        assert "The new end date must be after the start date, 1 April 2026" in body
        assert "Ending early because the hall closes." in body
        assert 'value="2026-01-01"' in body
        assert not Variation.objects.exists()

    def test_a_draft_agreement_is_not_varied(self, client, icb, org_a, sid, mfa_off):
        draft = AgreementFactory.create(funder=icb, provider=org_a)
        client.force_login(sid)
        body = client.get(url("variation_new", draft, query="?kind=value")).content.decode()
        assert "Both parties must sign the agreement before it can be varied" in body
        assert 'name="new_value"' not in body

    def test_a_change_of_type_shows_the_vat_effect_before_it_is_proposed(self, client, agreement, sid):
        client.force_login(sid)
        data = {"new_type": "contract", "new_vat_rate": "20", "reason": "It is a purchase of a service for us."}
        check = client.post(url("variation_new", agreement, query="?kind=type"), data)
        body = check.content.decode()
        assert "VAT on the payments still to be made would go up by £18,000.00." in body
        assert not Variation.objects.exists()
        back = client.post(url("variation_new", agreement, query="?kind=type"), {**data, "edit": "yes"})
        assert "Should the agreement be a grant or a contract?" in back.content.decode()
        assert not Variation.objects.exists()
        done = client.post(url("variation_new", agreement, query="?kind=type"), {**data, "confirmed": "yes"})
        variation = Variation.objects.get()
        assert done.status_code == 302
        assert (variation.new_type, variation.vat_effect) == ("contract", Decimal("18000.00"))

    def test_the_outsider_cannot_reach_the_form(self, client, agreement, charlie):
        client.force_login(charlie)
        assert client.get(url("variation_new", agreement, query="?kind=value")).status_code == 404
        response = client.post(url("variation_new", agreement, query="?kind=value"), {"new_value": "1", "reason": "x"})
        assert response.status_code == 404
        assert not Variation.objects.exists()


class TestApproving:
    def test_the_other_side_approves_and_the_agreement_changes(self, client, proposed, agreement, sid):
        client.force_login(sid)
        detail = client.get(url("variation_detail", agreement, proposed)).content.decode()
        assert url("variation_approve", agreement, proposed) in detail
        page = client.get(url("variation_approve", agreement, proposed)).content.decode()
        assert "Approve the variation" in page and "£99,000.00" in page
        response = client.post(url("variation_approve", agreement, proposed))
        assert response.status_code == 302
        agreement.refresh_from_db()
        assert agreement.value == Decimal("99000.00")
        followed = client.get(response["Location"]).content.decode()
        assert "Variation 1 has been approved by both parties and applied." in followed

    def test_the_proposers_side_is_told_it_cannot_approve(self, client, proposed, agreement, bob):
        client.force_login(bob)
        detail = client.get(url("variation_detail", agreement, proposed)).content.decode()
        assert url("variation_approve", agreement, proposed) not in detail
        assert url("variation_withdraw", agreement, proposed) in detail
        page = client.get(url("variation_approve", agreement, proposed)).content.decode()
        assert "The provider has already approved this variation" in page
        assert "Approve the variation</button>" not in page
        response = client.post(url("variation_approve", agreement, proposed))
        assert response.status_code == 200
        assert "The provider has already approved this variation" in response.content.decode()
        proposed.refresh_from_db()
        assert proposed.funder_approved_at is None and proposed.status == Variation.Status.PROPOSED

    def test_the_outsider_gets_not_found_everywhere(self, client, proposed, agreement, charlie):
        client.force_login(charlie)
        assert client.get(url("variation_detail", agreement, proposed)).status_code == 404
        for name in ("variation_approve", "variation_reject", "variation_withdraw"):
            assert client.get(url(name, agreement, proposed)).status_code == 404
            assert client.post(url(name, agreement, proposed), {"reason": "No."}).status_code == 404
        proposed.refresh_from_db()
        assert proposed.status == Variation.Status.PROPOSED

    def test_a_variation_is_only_found_under_its_own_agreement(self, client, proposed, icb, org_a, sid):
        other = AgreementFactory.create(signed=True, funder=icb, provider=org_a)
        client.force_login(sid)
        assert client.post(url("variation_approve", other, proposed)).status_code == 404
        proposed.refresh_from_db()
        assert proposed.status == Variation.Status.PROPOSED


class TestRejectingAndWithdrawing:
    def test_reject_needs_a_reason_then_records_it(self, client, proposed, agreement, sid):
        client.force_login(sid)
        empty = client.post(url("variation_reject", agreement, proposed), {"reason": ""})
        assert "Enter why you are rejecting this variation" in empty.content.decode()
        response = client.post(url("variation_reject", agreement, proposed), {"reason": "No money this year."})
        assert response.status_code == 302
        proposed.refresh_from_db()
        assert (proposed.status, proposed.closed_reason) == (Variation.Status.REJECTED, "No money this year.")

    def test_the_proposers_side_cannot_reject_but_can_withdraw(self, client, proposed, agreement, alice, sid):
        client.force_login(alice)
        refused = client.post(url("variation_reject", agreement, proposed), {"reason": "Oops."})
        assert "To take it back, withdraw it" in refused.content.decode()
        client.force_login(sid)
        not_theirs = client.post(url("variation_withdraw", agreement, proposed))
        assert "Only the party that proposed this variation can withdraw it" in not_theirs.content.decode()
        # Asked first, the page says why and offers only the way back: no button that cannot work.
        asked = client.get(url("variation_withdraw", agreement, proposed)).content.decode()
        assert "Only the party that proposed this variation can withdraw it" in asked
        assert "Withdraw the variation</button>" not in asked and "Go back" in asked
        client.force_login(alice)
        assert client.post(url("variation_withdraw", agreement, proposed)).status_code == 302
        proposed.refresh_from_db()
        assert proposed.status == Variation.Status.WITHDRAWN


class TestAgreementPage:
    def test_the_page_lists_variations_and_the_renewal_section(self, client, proposed, agreement, sid):
        client.force_login(sid)
        body = client.get(reverse("agreements:detail", args=[agreement.pk])).content.decode()
        assert "Variation 1 (value) is waiting for the funder to approve it." in body
        assert "Waiting for approval" in body
        assert "Value: £90,000.00 to £99,000.00" in body
        assert "No decision yet" in body
        assert url("renewal_decision", agreement) in body
        assert url("variation_new", agreement) in body

    def test_the_provider_sees_no_renewal_button(self, client, agreement, alice):
        client.force_login(alice)
        body = client.get(reverse("agreements:detail", args=[agreement.pk])).content.decode()
        assert "When the agreement ends" in body
        assert url("renewal_decision", agreement) not in body


class TestRenewalDecision:
    def test_the_funder_records_a_decision(self, client, agreement, sid):
        client.force_login(sid)
        empty = client.post(url("renewal_decision", agreement), {"reason": "Because."})
        assert "Select what will happen when the agreement ends" in empty.content.decode()
        assert "Because." in empty.content.decode()
        response = client.post(url("renewal_decision", agreement), {"choice": "recommission", "reason": "New needs."})
        assert response.status_code == 302
        assert RenewalDecision.objects.get(agreement=agreement).choice == "recommission"

    def test_the_provider_and_the_outsider_cannot(self, client, agreement, alice, charlie):
        client.force_login(alice)
        assert client.post(url("renewal_decision", agreement), {"choice": "end", "reason": "x"}).status_code == 403
        client.force_login(charlie)
        assert client.post(url("renewal_decision", agreement), {"choice": "end", "reason": "x"}).status_code == 404
        assert not RenewalDecision.objects.exists()


def _ending_agreement(**fields: Any) -> Agreement:
    today = timezone.localdate()
    fields.setdefault("start_date", today - datetime.timedelta(days=400))
    fields.setdefault("end_date", add_months(today, 4))
    return AgreementFactory.create(signed=True, **fields)


class TestEndingList:
    def test_parties_and_coordinators_see_what_ends_within_a_year(
        self, client, icb, org_a, org_b, partnership, cora, alice, mfa_off
    ):
        mine = _ending_agreement(funder=icb, provider=org_a, title="Carers' groups")
        RenewalDecisionFactory.create(agreement=mine, choice="extend")
        theirs = _ending_agreement(funder=icb, provider=org_b, partnership=partnership, title="Food parcels")
        _ending_agreement(funder=icb, provider=org_a, end_date=add_months(timezone.localdate(), 13), title="Far off")
        _ending_agreement(funder=icb, provider=OrganisationFactory.create(), title="Somebody else's")
        client.force_login(alice)
        body = client.get(reverse("agreements:ending_list")).content.decode()
        assert "Carers&#x27; groups" in body and "Extend the current agreement" in body
        assert "Food parcels" not in body and "Far off" not in body and "Somebody else" not in body
        client.force_login(cora)
        body = client.get(reverse("agreements:ending_list")).content.decode()
        assert "Food parcels" in body and "No decision yet" in body
        assert reverse("agreements:detail", args=[theirs.pk]) not in body  # not a party: no link
        assert "Carers" not in body

    def test_the_query_count_does_not_grow_with_the_rows(self, client, icb, org_a, alice, django_assert_num_queries):
        def agreements(count: int) -> None:
            for _ in range(count):
                agreement = _ending_agreement(funder=icb, provider=org_a)
                RenewalDecisionFactory.create(agreement=agreement)

        client.force_login(alice)
        agreements(2)
        with CaptureQueriesContext(connection) as few:
            assert client.get(reverse("agreements:ending_list")).status_code == 200
        agreements(12)
        with django_assert_num_queries(len(few.captured_queries)):
            body = client.get(reverse("agreements:ending_list")).content.decode()
        assert body.count("Renew on new terms") == 14
