"""Choosing an organisation from the directory: the provider an opportunity assesses and the
next member of a consortium. The pages never list the directory; people search by name and
choose from the results, and the pages run the same queries however big the directory is."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cocommission.commissioning.models import ConsortiumMember, Opportunity
from cocommission.commissioning.services import applications, consortia
from cocommission.organisations.tests.factories import OrganisationFactory

from .factories import OpportunityFactory, OutcomeFactory, QuestionFactory, consortium_of, new_opportunity

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mfa_off")]

CREATE = reverse("commissioning:opportunity_create")


def radio_values(html: str, name: str) -> list[str]:
    return re.findall(rf'name="{name}" type="radio" value="([^"]*)"', html)


def searched(html: str) -> str:
    """The text in the opportunity form's search box."""
    box = re.search(r'<input type="search" name="q" value="([^"]*)"[^>]*id="id_q"', html)
    return box.group(1) if box else ""


def searched_above(html: str) -> tuple[str, str]:
    """The text in a separate search form's box, and in the main form's hidden field."""
    box = re.search(r'<input type="text" name="q" value="([^"]*)"[^>]*id="search_q"', html)
    hidden = re.search(r'<input type="hidden" name="q" value="([^"]*)" id="id_q"', html)
    return (box.group(1) if box else "", hidden.group(1) if hidden else "")


def query_count(client, path: str, params: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path, params).status_code == 200
    return len(ctx.captured_queries)


def direct_award(icb, **overrides: object) -> dict[str, object]:
    today = timezone.localdate()
    data: dict[str, object] = {
        "funder": icb.pk,
        "title": "Shared Lives in the valley",
        "problem": "People who need support want to live in a family home.",
        "total_budget": "5000",
        "max_award": "5000",
        "term_years": "1",
        "decision_by": (today + datetime.timedelta(days=60)).isoformat(),
        "route": "psr_direct_c",
        "route_reason": "The current provider is doing well and the service is not changing.",
        "cpv_code": "85000000-9",
    }
    data.update(overrides)
    return data


# ---- The provider being assessed ----------------------------------------------------------------


@pytest.fixture
def moor_care(db):
    return OrganisationFactory.create(name="Moor Care")


def test_the_opportunity_form_does_not_list_the_directory(client, sid, icb, moor_care, org_a):
    client.force_login(sid)
    html = client.get(CREATE).text
    assert "Moor Care" not in html and "Riverside Carers" not in html
    assert radio_values(html, "named_provider") == [""]
    assert "None: this is an open call" in html
    assert '<input type="search" name="q"' in html and 'name="search"' in html  # the box and its button


def test_searching_offers_the_matches_but_never_the_funder(client, sid, icb, moor_care, org_a):
    client.force_login(sid)
    html = client.get(CREATE, {"q": "moor"}).text  # "Brackenmoor ICB" matches too, but it is the funder
    assert radio_values(html, "named_provider") == ["", str(moor_care.pk)]
    assert "1 organisation matches ‘moor’." in html
    assert searched(html) == "moor"


def test_a_search_with_no_results_says_so(client, sid, icb, moor_care):
    client.force_login(sid)
    html = client.get(CREATE, {"q": "Lighthouse"}).text
    assert "No organisations match ‘Lighthouse’." in html
    assert radio_values(html, "named_provider") == [""]


def test_many_matches_show_the_first_20_and_ask_for_more_of_the_name(client, sid, icb):
    OrganisationFactory.create_batch(25)
    client.force_login(sid)
    html = client.get(CREATE, {"q": "Organisation"}).text
    assert len(radio_values(html, "named_provider")) == 21  # none, and 20 matches
    assert "20 or more organisations match ‘Organisation’. Only the first 20 are shown: type more of the name." in html


def test_choosing_a_provider_from_the_results_saves_it(client, sid, icb, moor_care):
    client.force_login(sid)
    response = client.post(CREATE, direct_award(icb, q="Moor", named_provider=moor_care.pk))
    assert response.status_code == 302
    assert Opportunity.objects.get().named_provider == moor_care


def test_a_provider_outside_the_results_is_refused_and_what_was_typed_is_kept(client, sid, icb, moor_care, org_a):
    client.force_login(sid)
    response = client.post(CREATE, direct_award(icb, q="Moor", named_provider=org_a.pk))
    assert response.status_code == 200
    html = response.text
    assert html.count("Choose the provider from the search results") == 2  # the summary and the field
    assert 'value="Shared Lives in the valley"' in html
    assert searched(html) == "Moor"
    assert radio_values(html, "named_provider") == ["", str(moor_care.pk)]
    assert not Opportunity.objects.exists()


def test_searching_inside_the_form_keeps_everything_typed_and_saves_nothing(client, sid, icb, moor_care):
    client.force_login(sid)
    typed = direct_award(icb, q="Moor", search="1", title="Half-finished title", route_reason="")
    response = client.post(CREATE, typed)
    assert response.status_code == 200
    html = response.text
    assert 'value="Half-finished title"' in html and "The current provider" not in html  # reason left empty
    assert 'value="psr_direct_c" checked' in html
    assert "1 organisation matches ‘Moor’. Choose one, or none for an open call." in html
    assert radio_values(html, "named_provider") == ["", str(moor_care.pk)]
    assert "There is a problem" not in html and "govuk-error-message" not in html  # nothing checked yet
    assert not Opportunity.objects.exists()
    # Choosing from the results and saving, with the rest as it was, creates it.
    saved = client.post(CREATE, direct_award(icb, q="Moor", named_provider=moor_care.pk, title="Half-finished title"))
    assert saved.status_code == 302
    assert Opportunity.objects.get().named_provider == moor_care


def test_a_direct_award_without_a_provider_says_to_choose_one(client, sid, icb):
    client.force_login(sid)
    response = client.post(CREATE, direct_award(icb))
    assert "Choose the provider being assessed" in response.text
    assert not Opportunity.objects.exists()


def test_the_edit_page_keeps_the_current_provider(client, sid, icb, moor_care, org_a):
    draft = OpportunityFactory.create(funder=icb, psr_direct_c=True, named_provider=moor_care)
    edit = reverse("commissioning:opportunity_edit", args=[draft.slug])
    client.force_login(sid)
    page = client.get(edit)
    html = page.text
    assert radio_values(html, "named_provider") == ["", str(moor_care.pk)]
    assert f'value="{moor_care.pk}" checked' in html
    assert "Riverside Carers" not in html
    # Searching for another provider still offers the current one.
    html = client.get(edit, {"q": "Riverside"}).text
    assert sorted(radio_values(html, "named_provider")) == sorted(["", str(org_a.pk), str(moor_care.pk)])
    data = direct_award(icb, title="Shared Lives, renewed", max_questions="2", word_limit="400", extra_documents="0")
    data.update(version=page.context["form"].initial["version"], lived_experience="no", named_provider=moor_care.pk)
    data.pop("funder")
    assert client.post(edit, data).status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Shared Lives, renewed" and draft.named_provider == moor_care


def test_the_edit_page_can_make_it_an_open_call(client, sid, icb, moor_care):
    draft = OpportunityFactory.create(funder=icb, named_provider=None)
    edit = reverse("commissioning:opportunity_edit", args=[draft.slug])
    client.force_login(sid)
    page = client.get(edit)
    assert radio_values(page.text, "named_provider") == [""]
    assert 'value="" checked' in page.text


@pytest.mark.parametrize("search", ["", "Organisation"])
def test_the_opportunity_form_runs_the_same_queries_however_big_the_directory(client, sid, icb, search):
    client.force_login(sid)
    OrganisationFactory.create_batch(5)
    few = query_count(client, CREATE, {"q": search})
    OrganisationFactory.create_batch(45)
    assert query_count(client, CREATE, {"q": search}) == few


# ---- Inviting a consortium member -------------------------------------------------------------


@pytest.fixture
def application(icb, org_a, alice):
    opportunity = new_opportunity(funder=icb, alliance=True, open=True)
    QuestionFactory(opportunity=opportunity, word_limit=100)
    OutcomeFactory(opportunity=opportunity, text="Fewer people feel alone")
    return applications.start_application(
        actor=alice, opportunity=opportunity, organisation=org_a, as_consortium=True, consortium_name="Valley Alliance"
    )


def invite_url(application) -> str:
    return reverse("commissioning:consortium_invite", args=[application.pk])


def test_the_invite_page_does_not_list_the_directory(client, alice, application, org_b):
    client.force_login(alice)
    html = client.get(invite_url(application)).text
    assert "Hillside Food Bank" not in html
    assert radio_values(html, "organisation") == []
    assert 'id="search_q"' in html


def test_searching_offers_organisations_not_already_in_the_consortium(client, alice, application, org_b, icb):
    outsider = OrganisationFactory.create(name="Hillview Men's Shed")
    consortia.invite_member(actor=alice, application=application, organisation=org_b)
    client.force_login(alice)
    html = client.get(invite_url(application), {"q": "hill"}).text
    assert radio_values(html, "organisation") == [str(outsider.pk)]  # Hillside Food Bank is already invited
    assert "1 organisation matches ‘hill’." in html
    html = client.get(invite_url(application), {"q": "Brackenmoor"}).text
    assert "No organisations match ‘Brackenmoor’." in html  # the funder is never offered


def test_choosing_from_the_results_invites(client, alice, application, org_b):
    client.force_login(alice)
    response = client.post(invite_url(application), {"q": "Hillside", "organisation": org_b.pk})
    assert response.status_code == 302
    assert consortium_of(application).members.get(organisation=org_b).status == ConsortiumMember.Status.INVITED


def test_an_organisation_outside_the_results_is_refused_and_the_search_kept(client, alice, application, org_b):
    other = OrganisationFactory.create(name="Lighthouse Advice")
    client.force_login(alice)
    response = client.post(invite_url(application), {"q": "Hillside", "organisation": other.pk})
    assert response.status_code == 200
    html = response.text
    assert html.count("Choose the organisation from the search results") == 2
    assert radio_values(html, "organisation") == [str(org_b.pk)]
    assert searched_above(html) == ("Hillside", "Hillside")
    assert not consortium_of(application).members.filter(organisation=other).exists()


def test_inviting_without_choosing_says_what_to_do(client, alice, application):
    client.force_login(alice)
    response = client.post(invite_url(application), {"q": ""})
    assert "Select the organisation you want to invite" in response.text


@pytest.mark.parametrize("search", ["", "Organisation"])
def test_the_invite_page_runs_the_same_queries_however_big_the_directory(client, alice, application, search):
    client.force_login(alice)
    OrganisationFactory.create_batch(5)
    few = query_count(client, invite_url(application), {"q": search})
    OrganisationFactory.create_batch(45)
    assert query_count(client, invite_url(application), {"q": search}) == few
