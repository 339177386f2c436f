"""A commissioner creates an agreement directly with a consortium: which consortia are offered,
the same provider and link an award makes, refusals that save nothing, and every member of the
consortium seeing the agreement and its budget split."""

from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cocommission.agreements.models import Agreement
from cocommission.agreements.selectors.terms import consortium_search
from cocommission.agreements.services import create_draft_agreement_from_award
from cocommission.agreements.services import terms as services
from cocommission.commissioning.models import Consortium, ConsortiumMember
from cocommission.commissioning.tests.factories import (
    ApplicationFactory,
    ConsortiumFactory,
    ConsortiumMemberFactory,
)
from cocommission.commissioning.tests.factories_decisions import ApplicationDecisionFactory
from cocommission.core.models import AuditEvent
from cocommission.organisations.models import Organisation
from cocommission.organisations.tests.factories import MembershipFactory, OrganisationFactory

from .factories import BudgetLineFactory
from .test_terms_services import audit_scopes, terms

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mfa_off")]

D = Decimal


def url(name: str, *args: object) -> str:
    return reverse(f"agreements:{name}", args=args)


def make_consortium(
    name: str,
    members: list[tuple[Organisation, str, str]],
    *,
    lead: Organisation | None = None,
    starter: Organisation | None = None,
    submitted: bool = True,
) -> Consortium:
    """A consortium with its application; each member is (organisation, status, budget share %)."""
    consortium = ConsortiumFactory.create(name=name, lead=lead)
    for organisation, status, share in members:
        ConsortiumMemberFactory.create(
            consortium=consortium, organisation=organisation, status=status, budget_share=D(share), risk_share=D(share)
        )
    ApplicationFactory.create(consortium=consortium, organisation=starter or members[0][0], submitted=submitted)
    return consortium


CONFIRMED = ConsortiumMember.Status.CONFIRMED
INVITED = ConsortiumMember.Status.INVITED


@pytest.fixture
def valley(org_a, org_b):
    """Riverside Carers leads, with Hillside Food Bank: both confirmed, shares 60% and 40%."""
    return make_consortium("Valley Alliance", [(org_a, CONFIRMED, "60"), (org_b, CONFIRMED, "40")], lead=org_a)


@pytest.fixture
def unconfirmed(org_a, org_b):
    return make_consortium("Valley Carers Network", [(org_a, CONFIRMED, "50"), (org_b, INVITED, "50")], lead=org_a)


def form_data(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "provider_kind": "consortium",
        "q": "valley",
        "title": "Carers' groups in the valley",
        "value": "90000",
        "start_date": "2026-04-01",
        "end_date": "2029-03-31",
        "recurring": "on",
        "payment_frequency": "quarterly",
    }
    data.update(changes)
    return data


# ---- The service --------------------------------------------------------------------------------


def test_an_agreement_with_a_consortium_has_its_lead_as_provider_and_the_consortium_linked(sid, icb, org_a, valley):
    agreement = services.create_agreement(actor=sid, funder=icb, consortium=valley, terms=terms())
    assert (agreement.funder, agreement.provider, agreement.consortium) == (icb, org_a, valley)
    assert agreement.instalments.count() == 12
    assert audit_scopes(agreement) == {icb.pk, org_a.pk}


def test_the_provider_is_chosen_as_an_award_chooses_it(sid, icb, org_a, org_b):
    """No lead: the member that started the application is the provider, on both paths."""
    alliance = make_consortium("Valley Alliance", [(org_a, CONFIRMED, "50"), (org_b, CONFIRMED, "50")], starter=org_b)
    direct = services.create_agreement(actor=sid, funder=icb, consortium=alliance, terms=terms())
    decision = ApplicationDecisionFactory.create(application=alliance.application, amount=D("5000"))
    awarded = create_draft_agreement_from_award(actor=sid, decision=decision)
    assert (direct.provider, direct.consortium) == (awarded.provider, awarded.consortium) == (org_b, alliance)


@pytest.mark.parametrize(
    ("members", "reason"),
    [
        ([("a", CONFIRMED, "50"), ("b", INVITED, "50")], "Hillside Food Bank has not confirmed"),
        ([("a", CONFIRMED, "60"), ("b", CONFIRMED, "30")], "Budget shares add up to 90%"),
        ([("a", CONFIRMED, "100")], "at least 2 members that have confirmed"),
    ],
)
def test_a_consortium_that_is_not_ready_is_refused_with_the_reason(sid, icb, org_a, org_b, members, reason):
    orgs = {"a": org_a, "b": org_b}
    consortium = make_consortium("Valley Alliance", [(orgs[key], status, share) for key, status, share in members])
    with pytest.raises(ValidationError) as refused:
        services.create_agreement(actor=sid, funder=icb, consortium=consortium, terms=terms())
    messages = refused.value.message_dict["consortium"]
    assert any(reason in message for message in messages)
    assert all(message.startswith("Valley Alliance cannot be chosen yet.") for message in messages)
    assert not Agreement.objects.exists()


def test_a_consortium_whose_application_is_a_draft_is_refused(sid, icb, org_a, org_b):
    """Its members could still come and go, and change who carries what."""
    draft = make_consortium(
        "Valley Alliance", [(org_a, CONFIRMED, "50"), (org_b, CONFIRMED, "50")], lead=org_a, submitted=False
    )
    with pytest.raises(ValidationError, match="has not submitted its application yet"):
        services.create_agreement(actor=sid, funder=icb, consortium=draft, terms=terms())
    assert not Agreement.objects.exists()


def test_a_consortium_without_an_application_is_refused(sid, icb, org_a, org_b):
    bare = ConsortiumFactory.create(name="Valley Alliance", lead=org_a)
    for organisation in (org_a, org_b):
        ConsortiumMemberFactory.create(consortium=bare, organisation=organisation, confirmed=True, budget_share=50)
    with pytest.raises(ValidationError, match="has not submitted its application yet"):
        services.create_agreement(actor=sid, funder=icb, consortium=bare, terms=terms())


def test_the_funder_cannot_fund_a_consortium_it_belongs_to(sid, icb, org_a):
    consortium = make_consortium("Valley Alliance", [(org_a, CONFIRMED, "50"), (icb, CONFIRMED, "50")], lead=org_a)
    with pytest.raises(ValidationError) as refused:
        services.create_agreement(actor=sid, funder=icb, consortium=consortium, terms=terms())
    message = "Brackenmoor ICB is a member of Valley Alliance, so it cannot fund it"
    assert refused.value.message_dict["consortium"] == [message]


def test_the_partnership_must_seat_the_funder_and_the_consortium_s_provider(sid, icb, org_b, partnership, valley):
    outside = OrganisationFactory.create(name="Moorside Mentors")
    consortium = make_consortium("Moor Alliance", [(outside, CONFIRMED, "50"), (org_b, CONFIRMED, "50")], lead=outside)
    with pytest.raises(ValidationError) as refused:
        services.create_agreement(actor=sid, funder=icb, consortium=consortium, partnership=partnership, terms=terms())
    assert "Moorside Mentors" in refused.value.message_dict["partnership"][0]
    seated = services.create_agreement(actor=sid, funder=icb, consortium=valley, partnership=partnership, terms=terms())
    assert seated.partnership == partnership


def test_bad_terms_with_a_consortium_save_nothing(sid, icb, valley):
    with pytest.raises(ValidationError) as refused:
        services.create_agreement(actor=sid, funder=icb, consortium=valley, terms=terms(title=" "))
    assert "title" in refused.value.message_dict
    assert not Agreement.objects.exists()


def test_creating_with_a_consortium_is_one_transaction(sid, icb, valley):
    """A failure after the agreement is saved (here, working out the payments) leaves nothing."""
    events_before = AuditEvent.objects.count()
    with (
        mock.patch.object(services, "recompute_schedule", side_effect=RuntimeError("payments failed")),
        pytest.raises(RuntimeError),
    ):
        services.create_agreement(actor=sid, funder=icb, consortium=valley, terms=terms())
    assert not Agreement.objects.exists()
    assert AuditEvent.objects.count() == events_before


# ---- Which consortia are offered ----------------------------------------------------------------


def test_the_search_finds_submitted_consortia_by_name_and_says_which_are_not_ready(org_a, org_b, valley, unconfirmed):
    make_consortium("Valley Friends", [(org_a, CONFIRMED, "50"), (org_b, CONFIRMED, "50")], submitted=False)
    make_consortium("Hill Alliance", [(org_a, CONFIRMED, "50"), (org_b, CONFIRMED, "50")])
    found = consortium_search("valley")
    assert [option.consortium for option in found.ready] == [valley]
    assert found.ready[0].label == "Valley Alliance: led by Riverside Carers, with Hillside Food Bank"
    assert [option.consortium for option in found.not_ready] == [unconfirmed]
    assert "Hillside Food Bank has not confirmed" in found.not_ready[0].problems[0]
    assert set(found.choices) == {valley, unconfirmed}  # never a draft's consortium
    assert consortium_search("  ").count == 0


def test_the_search_shows_at_most_20_consortia(org_a, org_b, django_assert_max_num_queries):
    for n in range(22):
        make_consortium(f"Valley Group {n:02d}", [(org_a, CONFIRMED, "50"), (org_b, CONFIRMED, "50")])
    # Checking a consortium costs a few queries; the cap keeps the page's cost bounded.
    with django_assert_max_num_queries(3 + 3 * 20):
        assert consortium_search("valley").count == 20


# ---- The page -----------------------------------------------------------------------------------


def test_a_commissioner_searches_for_a_consortium_and_creates_the_agreement(
    client, sid, icb, org_a, valley, unconfirmed
):
    client.force_login(sid)
    page = client.get(url("create"), {"provider_kind": "consortium", "q": "valley"})
    assert page.status_code == 200
    html = page.text
    assert "Who is the agreement with?" in html
    assert f'name="consortium" type="radio" value="{valley.pk}"' in html
    assert "Valley Alliance: led by Riverside Carers, with Hillside Food Bank" in html
    assert f'value="{unconfirmed.pk}"' not in html  # not offered, but shown with the reason
    assert "Valley Carers Network: Hillside Food Bank has not confirmed" in html
    assert 'name="provider"' not in html
    response = client.post(url("create"), form_data(funder=icb.pk, consortium=valley.pk))
    agreement = Agreement.objects.get()
    assert response.status_code == 302 and response["Location"] == url("detail", agreement.pk)
    assert (agreement.provider, agreement.consortium) == (org_a, valley)


def test_searching_for_one_organisation_is_still_the_default(client, sid, org_a, valley):
    client.force_login(sid)
    html = client.get(url("create"), {"q": "valley"}).text
    assert 'name="consortium"' not in html and "No organisations in the directory match" in html
    assert 'name="provider_kind" type="radio" value="organisation" checked' in html
    html = client.get(url("create"), {"q": "river"}).text
    assert f'name="provider" type="radio" value="{org_a.pk}"' in html


@pytest.mark.parametrize(
    ("choice", "message"),
    [
        (None, "Search for the consortium by name, then choose it"),
        ("elsewhere", "Choose the consortium from the search results"),
        ("unconfirmed", "Valley Carers Network cannot be chosen yet. Hillside Food Bank has not confirmed"),
    ],
)
def test_a_bad_consortium_choice_is_refused_on_the_field_keeping_what_was_typed(
    client, sid, icb, org_a, org_b, unconfirmed, choice, message
):
    elsewhere = make_consortium("Hill Alliance", [(org_a, CONFIRMED, "50"), (org_b, CONFIRMED, "50")])
    make_consortium("Valley Alliance", [(org_a, CONFIRMED, "50"), (org_b, CONFIRMED, "50")])
    chosen = {"elsewhere": elsewhere.pk, "unconfirmed": unconfirmed.pk}.get(choice or "")
    client.force_login(sid)
    data = form_data(funder=icb.pk, scope="Weekly groups in three villages.")
    if chosen is not None:
        data["consortium"] = chosen
    response = client.post(url("create"), data)
    assert response.status_code == 200
    html = response.text
    assert 'id="id_consortium-error"' in html and message in html
    assert 'href="#id_consortium_0"' in html  # the error summary links to the first choice
    assert "Carers&#x27; groups in the valley" in html and "Weekly groups in three villages." in html
    assert 'name="provider_kind" type="radio" value="consortium" checked' in html
    assert '<input type="search" name="q" value="valley"' in html
    assert not Agreement.objects.exists()


@pytest.mark.parametrize("person", ["alice", "charlie"])
def test_only_commissioners_may_create_with_a_consortium(client, request, icb, valley, person):
    client.force_login(request.getfixturevalue(person))
    assert client.get(url("create"), {"provider_kind": "consortium", "q": "valley"}).status_code == 403
    assert client.post(url("create"), form_data(funder=icb.pk, consortium=valley.pk)).status_code == 403
    assert not Agreement.objects.exists()


def test_every_member_sees_the_agreement_and_its_budget_split_and_outsiders_do_not(
    client, sid, icb, org_a, org_b, alice, charlie, valley
):
    agreement = services.create_agreement(actor=sid, funder=icb, consortium=valley, terms=terms())
    BudgetLineFactory.create(agreement=agreement, amount=D("10000.01"))
    client.force_login(charlie)  # Hillside Food Bank is a member, not the lead
    assert agreement.reference in client.get(url("list")).text
    html = client.get(url("detail", agreement.pk)).text
    assert "Valley Alliance" in html
    assert "Funded budget split by consortium member" in html
    assert "£6,000.01" in html and "£4,000.00" in html
    client.force_login(alice)
    assert client.get(url("detail", agreement.pk)).status_code == 200
    outsider = MembershipFactory.create(organisation=OrganisationFactory.create(name="Moorside Mentors")).user
    client.force_login(outsider)
    assert client.get(url("detail", agreement.pk)).status_code == 404
    assert agreement.reference not in client.get(url("list")).text
