"""Agreement pages for terms, break clauses, offering, signing, closing and the public page:
what each person sees, and that outsiders and the wrong side are refused."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from cocommission.agreements.models import Agreement, BreakClause
from cocommission.agreements.selectors.terms import signing_version
from cocommission.agreements.services import guards
from cocommission.agreements.services.schedule import recompute_schedule
from cocommission.commissioning.tests.factories import ConsortiumFactory, ConsortiumMemberFactory
from cocommission.organisations.tests.factories import OrganisationFactory

from .factories import AgreementFactory, BreakClauseFactory, BudgetLineFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mfa_off")]


def url(name: str, *args: object) -> str:
    return reverse(f"agreements:{name}", args=args)


@pytest.fixture
def draft(icb, org_a, partnership, sid):
    agreement = AgreementFactory.create(funder=icb, provider=org_a, partnership=partnership, title="Carers' groups")
    recompute_schedule(actor=sid, agreement=agreement)
    return agreement


@pytest.fixture
def offered(icb, org_a, partnership):
    return AgreementFactory.create(
        offered=True, funder=icb, provider=org_a, partnership=partnership, agreement_type=Agreement.Type.GRANT
    )


@pytest.fixture
def active(icb, org_a, partnership):
    return AgreementFactory.create(signed=True, funder=icb, provider=org_a, partnership=partnership)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# ---- The list -----------------------------------------------------------------------------------


def test_commissioners_see_the_create_button_and_everyone_can_filter_by_status(client, sid, alice, draft, active):
    client.force_login(sid)
    page = client.get(url("list"))
    assert "Create an agreement" in page.text
    assert draft.reference in page.text and active.reference in page.text
    filtered = client.get(url("list"), {"status": "active"})
    assert active.reference in filtered.text and draft.reference not in filtered.text
    client.force_login(alice)
    assert "Create an agreement" not in client.get(url("list")).text


# ---- Creating -----------------------------------------------------------------------------------


def test_a_commissioner_searches_for_the_provider_and_creates_a_draft(client, sid, icb, org_a, org_b, partnership):
    client.force_login(sid)
    page = client.get(url("create"), {"q": "river"})
    assert page.status_code == 200
    assert f'value="{org_a.pk}"' in page.text and "Riverside Carers" in page.text
    assert "Hillside Food Bank" not in page.text  # never the whole directory
    response = client.post(
        url("create"),
        {
            "q": "river",
            "funder": icb.pk,
            "provider": org_a.pk,
            "partnership": partnership.pk,
            "title": "Carers' groups",
            "value": "90000",
            "start_date": "2026-04-01",
            "end_date": "2029-03-31",
            "recurring": "on",
            "payment_frequency": "quarterly",
        },
    )
    agreement = Agreement.objects.get()
    assert response.status_code == 302 and response["Location"] == url("detail", agreement.pk)
    assert (agreement.funder, agreement.provider, agreement.partnership) == (icb, org_a, partnership)
    assert agreement.instalments.count() == 12


def test_searching_inside_the_form_keeps_what_was_typed_and_creates_nothing(client, sid, icb, org_a):
    client.force_login(sid)
    typed = {"q": "river", "search": "1", "funder": icb.pk, "title": "Carers' groups", "value": "90000"}
    response = client.post(url("create"), typed)
    assert response.status_code == 200
    html = response.text
    assert "Carers&#x27; groups" in html and 'value="90000"' in html
    assert f'value="{org_a.pk}"' in html and '<input type="search" name="q" value="river"' in html
    assert "There is a problem" not in html and "govuk-error-message" not in html  # nothing checked yet
    assert not Agreement.objects.exists()


def test_with_nothing_to_choose_from_the_error_summary_links_to_the_message(client, sid, icb):
    client.force_login(sid)
    response = client.post(url("create"), {"funder": icb.pk, "title": "Carers' groups"})
    html = response.text
    assert "Search for the provider by name, then choose it" in html
    assert 'href="#id_provider-error"' in html and 'id="id_provider-error"' in html
    assert 'id="id_provider_0"' not in html


def test_the_search_shows_at_most_20_matches(client, sid):
    OrganisationFactory.create_batch(25, name="Valley group")
    client.force_login(sid)
    page = client.get(url("create"), {"q": "valley"})
    assert page.text.count('name="provider"') == 20
    assert "the first 20 are shown" in page.text


def test_bad_terms_are_refused_on_the_page_keeping_what_was_typed(client, sid, icb, org_a):
    client.force_login(sid)
    response = client.post(
        url("create"),
        {
            "q": "river",
            "funder": icb.pk,
            "provider": org_a.pk,
            "title": "Carers' groups in the valley",
            "value": "90000",
            "start_date": "2026-04-01",
            "end_date": "2025-03-31",
            "payment_frequency": "quarterly",
        },
    )
    assert response.status_code == 200
    assert "The end date must be after the start date" in response.text
    assert "Carers&#x27; groups in the valley" in response.text
    assert not Agreement.objects.exists()


def test_only_commissioners_may_create(client, alice, charlie):
    for person in (alice, charlie):
        client.force_login(person)
        assert client.get(url("create")).status_code == 403


# ---- The agreement page -------------------------------------------------------------------------


def test_the_page_shows_the_terms_the_short_term_flag_and_the_funder_s_actions(client, sid, alice, icb, org_a, org_b):
    consortium = ConsortiumFactory.create(name="Valley Alliance")
    ConsortiumMemberFactory.create(consortium=consortium, organisation=org_a, confirmed=True)
    ConsortiumMemberFactory.create(consortium=consortium, organisation=org_b, confirmed=True)
    agreement = AgreementFactory.create(
        funder=icb,
        provider=org_a,
        consortium=consortium,
        end_date=datetime.date(2027, 3, 31),
        short_term_reason="A pilot year.",
    )
    BreakClauseFactory.create(agreement=agreement, conditions="After a joint review.")
    client.force_login(sid)
    page = client.get(url("detail", agreement.pk)).text
    assert "Short-term" in page and "A pilot year." in page
    assert "Valley Alliance" in page and "Hillside Food Bank" in page
    assert "After a joint review." in page
    assert url("edit", agreement.pk) in page and url("offer", agreement.pk) in page
    client.force_login(alice)
    page = client.get(url("detail", agreement.pk)).text
    assert "Short-term" in page
    assert url("edit", agreement.pk) not in page and url("offer", agreement.pk) not in page


# ---- Changing the terms -------------------------------------------------------------------------


def test_the_funder_changes_the_terms(client, sid, draft):
    client.force_login(sid)
    form = client.get(url("edit", draft.pk))
    assert form.status_code == 200
    response = client.post(
        url("edit", draft.pk),
        {
            "title": "Carers' groups, extended",
            "value": "120000",
            "start_date": "2026-04-01",
            "end_date": "2030-03-31",
            "recurring": "on",
            "payment_frequency": "monthly",
            "version": form.context["form"]["version"].value(),
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.value, draft.term_years) == ("Carers' groups, extended", Decimal("120000.00"), 4)
    assert draft.instalments.count() == 48


def test_the_provider_and_outsiders_cannot_change_the_terms(client, alice, charlie, draft):
    client.force_login(alice)
    assert client.get(url("edit", draft.pk)).status_code == 403
    assert client.post(url("edit", draft.pk), {"title": "Mine"}).status_code == 403
    client.force_login(charlie)
    assert client.get(url("edit", draft.pk)).status_code == 404
    draft.refresh_from_db()
    assert draft.title == "Carers' groups"


def test_a_signed_agreement_sends_the_funder_back_with_the_reason(client, sid, active):
    client.force_login(sid)
    response = client.post(
        url("edit", active.pk),
        {"title": "Changed", "value": "1", "start_date": "2026-04-01", "end_date": "2029-03-31"},
        follow=True,
    )
    assert guards.SIGNED_MESSAGE in messages_of(response)
    active.refresh_from_db()
    assert active.title != "Changed"


# ---- Break clauses ------------------------------------------------------------------------------


def test_the_funder_adds_changes_and_removes_a_break_clause(client, sid, draft):
    client.force_login(sid)
    response = client.post(
        url("break_add", draft.pk), {"earliest_date": "2027-04-01", "notice_months": "6", "party": "either"}
    )
    assert response.status_code == 302 and response["Location"].endswith("#break-clauses")
    clause = BreakClause.objects.get(agreement=draft)
    client.post(
        url("break_edit", draft.pk, clause.pk),
        {"earliest_date": "2028-04-01", "notice_months": "3", "party": "funder"},
    )
    clause.refresh_from_db()
    assert (clause.earliest_date, clause.notice_months) == (datetime.date(2028, 4, 1), 3)
    confirm = client.get(url("break_remove", draft.pk, clause.pk))
    assert "Remove the break clause?" in confirm.text
    assert BreakClause.objects.filter(pk=clause.pk).exists()
    client.post(url("break_remove", draft.pk, clause.pk))
    assert not BreakClause.objects.filter(pk=clause.pk).exists()


def test_a_break_outside_the_term_is_refused_on_the_page(client, sid, draft):
    client.force_login(sid)
    response = client.post(
        url("break_add", draft.pk), {"earliest_date": "2035-04-01", "notice_months": "30", "party": "either"}
    )
    assert response.status_code == 200
    assert "The notice period must be between 1 and 24 months" in response.text
    response = client.post(
        url("break_add", draft.pk), {"earliest_date": "2035-04-01", "notice_months": "3", "party": "either"}
    )
    assert "The earliest date must be within the agreement&#x27;s term" in response.text
    assert not BreakClause.objects.exists()


def test_the_provider_cannot_remove_a_break_clause_and_outsiders_cannot_see_it(client, alice, charlie, draft):
    clause = BreakClauseFactory.create(agreement=draft)
    client.force_login(alice)
    assert client.post(url("break_remove", draft.pk, clause.pk)).status_code == 403
    client.force_login(charlie)
    assert client.post(url("break_remove", draft.pk, clause.pk)).status_code == 404
    assert BreakClause.objects.filter(pk=clause.pk).exists()


def test_a_break_clause_of_another_agreement_is_not_found(client, sid, draft, icb):
    other = BreakClauseFactory.create(agreement=AgreementFactory.create(funder=icb))
    client.force_login(sid)
    assert client.get(url("break_edit", draft.pk, other.pk)).status_code == 404


# ---- Offering and signing -----------------------------------------------------------------------


def test_the_offer_page_lists_what_is_missing(client, sid, draft):
    client.force_login(sid)
    page = client.get(url("offer", draft.pk))
    assert "Answer the grant-or-contract questions" in page.text
    response = client.post(url("offer", draft.pk))
    assert response.status_code == 200 and "There is a problem" in response.text
    draft.refresh_from_db()
    assert draft.status == Agreement.Status.DRAFT


def test_the_funder_offers_and_both_sides_sign(client, sid, alice, draft):
    Agreement.objects.filter(pk=draft.pk).update(agreement_type=Agreement.Type.GRANT)
    client.force_login(sid)
    assert client.post(url("offer", draft.pk)).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Agreement.Status.OFFERED

    client.force_login(alice)
    page = client.get(url("sign", draft.pk))
    assert "£90,000.00" in page.text and "1 April 2026 to 31 March 2029" in page.text
    assert "Grant (outside the scope of VAT)" in page.text
    client.post(url("sign", draft.pk), {"version": page.context["form"]["version"].value()})
    draft.refresh_from_db()
    assert draft.status == Agreement.Status.SIGNED_BY_PROVIDER

    client.force_login(sid)
    version = client.get(url("sign", draft.pk)).context["form"]["version"].value()
    response = client.post(url("sign", draft.pk), {"version": version}, follow=True)
    assert "Both parties have signed: the agreement is active." in messages_of(response)
    draft.refresh_from_db()
    assert draft.status == Agreement.Status.ACTIVE


def test_signing_what_has_changed_since_the_page_was_opened_is_refused(client, alice, offered):
    client.force_login(alice)
    seen = signing_version(offered)
    BudgetLineFactory.create(agreement=offered, amount=Decimal("1000.00"))
    response = client.post(url("sign", offered.pk), {"version": seen})
    assert response.status_code == 200
    assert "The agreement changed after you opened this page" in response.text
    assert response.context["form"]["version"].value() == signing_version(offered)
    offered.refresh_from_db()
    assert offered.provider_signed_at is None


def test_a_side_that_has_signed_is_sent_back_and_outsiders_cannot_sign(client, alice, bob, charlie, offered):
    client.force_login(alice)
    client.post(url("sign", offered.pk), {"version": signing_version(offered)})
    client.force_login(bob)
    response = client.post(url("sign", offered.pk), {"version": signing_version(offered)}, follow=True)
    assert "The provider has already signed this agreement." in messages_of(response)
    client.force_login(charlie)
    assert client.get(url("sign", offered.pk)).status_code == 404
    assert client.post(url("sign", offered.pk), {"version": signing_version(offered)}).status_code == 404
    offered.refresh_from_db()
    assert (offered.status, offered.provider_signed_by) == (Agreement.Status.SIGNED_BY_PROVIDER, alice)


def test_a_draft_cannot_be_signed(client, alice, draft):
    client.force_login(alice)
    response = client.post(url("sign", draft.pk), {"version": signing_version(draft)}, follow=True)
    assert any("has not been offered yet" in m for m in messages_of(response))
    draft.refresh_from_db()
    assert draft.provider_signed_at is None


# ---- Closing ------------------------------------------------------------------------------------


def test_the_funder_terminates_with_a_reason_after_confirming(client, sid, active):
    client.force_login(sid)
    page = client.get(url("close", active.pk))
    assert "End or terminate the agreement" in page.text
    refused = client.post(url("close", active.pk), {"how": "terminate"})
    assert "Enter why the agreement is being terminated" in refused.text
    client.post(url("close", active.pk), {"how": "terminate", "reason": "The service stopped."})
    active.refresh_from_db()
    assert (active.status, active.closed_reason) == (Agreement.Status.TERMINATED, "The service stopped.")


def test_the_provider_and_outsiders_cannot_close(client, alice, charlie, active):
    client.force_login(alice)
    assert client.post(url("close", active.pk), {"how": "terminate", "reason": "No"}).status_code == 403
    client.force_login(charlie)
    assert client.post(url("close", active.pk), {"how": "terminate", "reason": "No"}).status_code == 404
    active.refresh_from_db()
    assert active.status == Agreement.Status.ACTIVE


# ---- The public page ----------------------------------------------------------------------------


def test_the_public_page_shows_only_the_published_fields(client, sid, active, draft):
    Agreement.objects.filter(pk=active.pk).update(
        vat_reasoning="The payment is not for a supply to the funder.", funder_signed_by=sid
    )
    BudgetLineFactory.create(agreement=active, description="Support worker salary")
    page = client.get(url("public", active.reference))
    assert page.status_code == 200
    assert active.reference in page.text and "£90,000.00" in page.text and "Riverside Carers" in page.text
    assert "Grant" in page.text and "Active" in page.text
    assert "Support worker salary" not in page.text
    assert "not for a supply" not in page.text
    assert "sid@example.org" not in page.text
    assert client.get(url("public", draft.reference)).status_code == 404
