"""Consortium pages: inviting members, confirming or declining, and the accountability matrix."""

from decimal import Decimal

import pytest
from django.urls import reverse

from cocommission.commissioning.models import ConsortiumMember
from cocommission.commissioning.services import applications, consortia
from cocommission.commissioning.tests.factories import OutcomeFactory, QuestionFactory, consortium_of, new_opportunity

pytestmark = pytest.mark.django_db


@pytest.fixture
def alliance(icb):
    opportunity = new_opportunity(funder=icb, alliance=True, open=True)
    QuestionFactory(opportunity=opportunity, word_limit=100)
    OutcomeFactory(opportunity=opportunity, text="Fewer people feel alone")
    return opportunity


@pytest.fixture
def application(alliance, org_a, alice):
    return applications.start_application(
        actor=alice, opportunity=alliance, organisation=org_a, as_consortium=True, consortium_name="Valley Alliance"
    )


@pytest.fixture
def invited(application, alice, org_b):
    return consortia.invite_member(actor=alice, application=application, organisation=org_b)


def matrix_url(application) -> str:
    return reverse("commissioning:consortium_matrix", args=[application.pk])


def respond_url(member) -> str:
    return reverse("commissioning:consortium_respond", args=[member.consortium.application.pk, member.pk])


def test_inviting_a_member_from_the_directory(client, bob, application, org_b, icb):
    client.force_login(bob)
    url = reverse("commissioning:consortium_invite", args=[application.pk])
    html = client.get(url).content.decode()
    assert "Hillside Food Bank" not in html  # the directory is searched, never listed
    html = client.get(url, {"q": "b"}).content.decode()
    assert "Hillside Food Bank" in html
    assert "Brackenmoor ICB" not in html  # the funder is not offered
    response = client.post(url, {"q": "b", "organisation": org_b.pk})
    assert response.status_code == 302 and response["Location"] == matrix_url(application)
    assert consortium_of(application).members.get(organisation=org_b).status == ConsortiumMember.Status.INVITED


def test_the_invited_admin_sees_what_they_sign_up_to_and_confirms(client, charlie, invited, application):
    client.force_login(charlie)
    html = client.get(respond_url(invited)).content.decode()
    assert "Is Hillside Food Bank part of Valley Alliance?" in html
    assert "Share of the risk" in html
    response = client.post(respond_url(invited), {"answer": "confirm"})
    assert response.status_code == 302
    invited.refresh_from_db()
    assert invited.status == ConsortiumMember.Status.CONFIRMED


def test_declining_leaves_the_consortium(client, charlie, invited):
    client.force_login(charlie)
    response = client.post(respond_url(invited), {"answer": "decline"})
    assert response["Location"] == reverse("commissioning:application_list")
    invited.refresh_from_db()
    assert invited.status == ConsortiumMember.Status.DECLINED


def test_the_respond_page_needs_an_answer(client, charlie, invited):
    client.force_login(charlie)
    response = client.post(respond_url(invited), {})
    assert "Select whether your organisation is part of this consortium" in response.content.decode()


def test_the_matrix_refuses_shares_that_do_not_add_up_and_keeps_them(client, alice, invited, application, org_a):
    founder = consortium_of(application).members.get(organisation=org_a)
    outcome = application.opportunity.outcomes.get()
    client.force_login(alice)
    html = client.get(matrix_url(application)).content.decode()
    assert "An alliance has no lead" in html and "Lead member" not in html
    data = {
        f"budget_share_{founder.pk}": "50",
        f"risk_share_{founder.pk}": "50",
        f"outcomes_{founder.pk}": [str(outcome.pk)],
        f"budget_share_{invited.pk}": "40",
        f"risk_share_{invited.pk}": "50.5",
    }
    response = client.post(matrix_url(application), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Budget shares add up to 90%. They must add up to 100%" in html
    assert "Risk shares add up to 100.5%. They must add up to 100%" in html
    assert 'value="50.5"' in html
    founder.refresh_from_db()
    assert founder.budget_share == Decimal("0")


def test_the_matrix_saves_and_shows_the_totals(client, alice, invited, application, org_a):
    founder = consortium_of(application).members.get(organisation=org_a)
    client.force_login(alice)
    data = {
        f"budget_share_{founder.pk}": "66.67",
        f"risk_share_{founder.pk}": "50",
        f"budget_share_{invited.pk}": "33.33",
        f"risk_share_{invited.pk}": "50",
    }
    response = client.post(matrix_url(application), data)
    assert response.status_code == 302
    html = client.get(matrix_url(application)).content.decode()
    assert (
        "66.67%" in html
        and '<td class="govuk-table__cell govuk-table__cell--numeric" id="budget-total">100%</td>' in html
    )


def test_a_share_with_three_decimal_places_is_a_field_error(client, alice, application, org_a):
    founder = consortium_of(application).members.get(organisation=org_a)
    client.force_login(alice)
    response = client.post(
        matrix_url(application), {f"budget_share_{founder.pk}": "33.333", f"risk_share_{founder.pk}": "100"}
    )
    assert "Budget share for Riverside Carers must have no more than 2 decimal places, like 33.33" in (
        response.content.decode()
    )


def test_a_lead_can_be_chosen_outside_an_alliance(client, alice, icb, org_a, org_b):
    competition = new_opportunity(funder=icb, open_competition=True, open=True)
    application = applications.start_application(
        actor=alice, opportunity=competition, organisation=org_a, as_consortium=True, consortium_name="Together"
    )
    consortia.invite_member(actor=alice, application=application, organisation=org_b)
    members = {m.organisation_id: m for m in consortium_of(application).members.all()}
    client.force_login(alice)
    assert "Lead member (optional)" in client.get(matrix_url(application)).content.decode()
    data = {
        f"budget_share_{members[org_a.pk].pk}": "50",
        f"risk_share_{members[org_a.pk].pk}": "50",
        f"budget_share_{members[org_b.pk].pk}": "50",
        f"risk_share_{members[org_b.pk].pk}": "50",
        "lead": str(org_b.pk),
    }
    assert client.post(matrix_url(application), data).status_code == 302
    consortium_of(application).refresh_from_db()
    assert consortium_of(application).lead == org_b


def test_a_single_organisation_application_has_no_consortium_page(client, alice, icb, org_a):
    grant = new_opportunity(funder=icb, open=True)
    single = applications.start_application(actor=alice, opportunity=grant, organisation=org_a)
    client.force_login(alice)
    response = client.get(matrix_url(single))
    assert response.status_code == 302
    assert response["Location"] == reverse("commissioning:application_detail", args=[single.pk])
