"""Opportunity pages for managers, partners, applicants, outsiders and anonymous visitors."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cocommission.accounts.tests.factories import UserFactory
from cocommission.commissioning.models import ApplicationDecision, Opportunity
from cocommission.commissioning.routes import State
from cocommission.organisations.tests.factories import MembershipFactory, OrganisationFactory

from .factories import (
    ApplicationFactory,
    CriterionFactory,
    OpportunityFactory,
    OutcomeFactory,
    make_ready_to_open,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mfa_off")]


def url(name: str, *args: object) -> str:
    return reverse(f"commissioning:{name}", args=args)


@pytest.fixture
def outsider(db):
    """A member of an organisation with no part in the partnership or the funder."""
    return MembershipFactory.create(organisation=OrganisationFactory.create(), user__email="olly@example.org").user


@pytest.fixture
def draft(icb, partnership):
    return OpportunityFactory.create(funder=icb, partnership=partnership, title="Carers' breaks")


@pytest.fixture
def published(icb, partnership):
    return OpportunityFactory.create(funder=icb, partnership=partnership, open=True, title="Lunch clubs")


# ---- The list ---------------------------------------------------------------------------------


def test_anonymous_list_shows_published_only(client, draft, published):
    response = client.get(url("opportunity_list"))
    assert response.status_code == 200
    assert "Lunch clubs" in response.text
    assert "Carers&#x27; breaks" not in response.text
    assert "Open an opportunity" not in response.text


def test_commissioner_list_shows_their_drafts_and_the_open_button(client, sid, draft, published):
    client.force_login(sid)
    response = client.get(url("opportunity_list"))
    assert "Carers&#x27; breaks" in response.text
    assert "Open an opportunity" in response.text


def test_list_filters_by_route(client, published, icb):
    OpportunityFactory.create(funder=icb, psr_direct_c=True, assessing=True, title="Shared Lives")
    response = client.get(url("opportunity_list"), {"route": "psr_direct_c"})
    assert "Shared Lives" in response.text
    assert "Lunch clubs" not in response.text
    assert "1 opportunity found" in response.text


def test_empty_list_explains(client, db):
    response = client.get(url("opportunity_list"))
    assert "There are no opportunities yet" in response.text


def _count_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["anonymous", "sid"])
def test_list_query_count_does_not_grow_with_rows(client, request, icb, partnership, who):
    if who == "sid":
        client.force_login(request.getfixturevalue("sid"))
    OpportunityFactory.create_batch(2, funder=icb, partnership=partnership, open=True)
    few = _count_queries(client, url("opportunity_list"))
    OpportunityFactory.create_batch(18, funder=OrganisationFactory.create(statutory=True), open=True)
    many = _count_queries(client, url("opportunity_list"))
    assert many == few


# ---- The opportunity page ---------------------------------------------------------------------


def test_public_page_shows_the_ask_and_the_route(client, published):
    CriterionFactory.create(opportunity=published, name="Reach", weight=100)
    OutcomeFactory.create(opportunity=published, text="Fewer people feel alone")
    OutcomeFactory.create(opportunity=published, text="A secret idea", proposed=True)
    response = client.get(url("opportunity_detail", published.slug))
    assert response.status_code == 200
    text = response.text
    for expected in (
        "Lunch clubs",
        "Brackenmoor ICB",
        "Fewer people feel alone",
        "Estimated time to apply",
        "About 3 hours",
        "None: your passport is attached automatically",
        "Reach",
        "100%",
        "Grant (open call)",
        "£10,000.00",
    ):
        assert expected in text, expected
    assert "A secret idea" not in text
    assert "Next step" not in text


def test_psr_page_explains_the_key_and_basic_selection_criteria(client, icb):
    opportunity = OpportunityFactory.create(funder=icb, psr_direct_c=True, assessing=True)
    text = client.get(url("opportunity_detail", opportunity.slug)).text
    assert "The five key criteria and the basic selection criteria, in plain English" in text
    assert "Economic and financial standing" in text
    assert "85000000-9" in text
    assert opportunity.named_provider is not None
    assert opportunity.named_provider.name in text


@pytest.mark.parametrize(("persona", "status"), [("anonymous", 404), ("outsider", 404), ("sid", 200)])
def test_drafts_are_hidden_from_people_outside(client, request, icb, persona, status):
    opportunity = OpportunityFactory.create(funder=icb)  # no partnership
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    assert client.get(url("opportunity_detail", opportunity.slug)).status_code == status


def test_co_designers_see_drafts_and_proposed_outcomes_but_cannot_manage(client, alice, draft):
    OutcomeFactory.create(opportunity=draft, text="A partner's idea", proposed=True)
    client.force_login(alice)
    response = client.get(url("opportunity_detail", draft.slug))
    assert response.status_code == 200
    assert "A partner&#x27;s idea" in response.text
    assert "Propose an outcome sought" in response.text
    assert "Next step" not in response.text


def test_managers_see_the_next_step_and_what_is_missing(client, cora, draft):
    client.force_login(cora)
    response = client.get(url("opportunity_detail", draft.slug))
    assert "Next step" in response.text
    assert "Move to the next step: open for applications" in response.text
    assert "Agree at least one outcome sought" in response.text
    assert "Cancel opportunity" in response.text


def test_closed_page_shows_median_words_and_words_per_thousand(client, icb):
    opportunity = OpportunityFactory.create(funder=icb, closed=True, word_limit=500)
    for words, amount in [(300, "4000"), (420, "5000"), (480, "10000")]:
        ApplicationFactory.create(opportunity=opportunity, submitted=True, total_words=words, amount_requested=amount)
    text = client.get(url("opportunity_detail", opportunity.slug)).text
    assert "Median words submitted" in text
    assert "420 words" in text
    assert "100.0 words" in text
    assert "median amount requested (£5,000.00)" in text


def _decided_opportunity(icb, applications: int) -> Opportunity:
    opportunity = OpportunityFactory.create(funder=icb, decided=True)
    for n in range(applications):
        application = ApplicationFactory.create(opportunity=opportunity, submitted=True)
        ApplicationDecision.objects.create(
            application=application,
            outcome="award" if n % 2 == 0 else "decline",
            amount=Decimal("1000") if n % 2 == 0 else None,
            reasons="Reasons",
            feedback="Feedback",
        )
        CriterionFactory.create(opportunity=opportunity, weight=1)
        OutcomeFactory.create(opportunity=opportunity)
    return opportunity


def test_decided_page_shows_the_statistics(client, icb):
    opportunity = _decided_opportunity(icb, 3)
    text = client.get(url("opportunity_detail", opportunity.slug)).text
    assert "Applications and awards by size of organisation" in text
    assert "67%" in text  # 2 of 3 awarded
    assert "£2,000.00" in text


@pytest.mark.parametrize("who", ["anonymous", "sid"])
def test_page_query_count_does_not_grow_with_rows(client, request, icb, who):
    if who == "sid":
        client.force_login(request.getfixturevalue("sid"))
    few = _count_queries(client, url("opportunity_detail", _decided_opportunity(icb, 2).slug))
    many = _count_queries(client, url("opportunity_detail", _decided_opportunity(icb, 12).slug))
    assert many == few


# ---- Opening an opportunity -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"), [("anonymous", 302), ("alice", 403), ("lena", 403), ("sid", 200), ("cora", 200)]
)
def test_who_can_open_an_opportunity(client, request, icb, persona, status):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    assert client.get(url("opportunity_create")).status_code == status


def form_data(icb, **overrides: object) -> dict[str, object]:
    today = timezone.localdate()
    data: dict[str, object] = {
        "funder": icb.pk,
        "title": "Micro-grants for lunch clubs",
        "problem": "Older people are lonely.",
        "total_budget": "5000",
        "max_award": "500",
        "term_years": "1",
        "opens_on": today.isoformat(),
        "closes_on": (today + datetime.timedelta(days=30)).isoformat(),
        "closes_time": "12:00",
        "decision_by": (today + datetime.timedelta(days=60)).isoformat(),
        "route": "grant",
        "route_reason": "Small grants reach small groups.",
    }
    data.update(overrides)
    return data


def test_commissioner_opens_a_micro_grant(client, sid, icb):
    client.force_login(sid)
    response = client.post(url("opportunity_create"), form_data(icb))
    opportunity = Opportunity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("opportunity_detail", opportunity.slug)
    assert opportunity.word_limit == 500 and opportunity.max_questions == 3
    closes = timezone.localtime(opportunity.closes_at)
    assert (closes.hour, closes.minute) == (12, 0)


def test_coordinator_opens_for_the_partnership(client, cora, icb, partnership):
    client.force_login(cora)
    client.post(url("opportunity_create"), form_data(icb, partnership=partnership.pk))
    assert Opportunity.objects.get().partnership == partnership


def test_form_errors_keep_what_was_typed(client, sid, icb):
    client.force_login(sid)
    response = client.post(url("opportunity_create"), form_data(icb, max_award="6000", word_limit="900"))
    assert response.status_code == 200
    assert response.text.count("The maximum per award must not be more than the total budget") == 2
    assert "<title>Error: " in response.text
    assert 'value="Micro-grants for lunch clubs"' in response.text
    assert not Opportunity.objects.exists()


def test_closing_before_opening_is_shown_on_the_field(client, sid, icb):
    client.force_login(sid)
    today = timezone.localdate()
    response = client.post(
        url("opportunity_create"),
        form_data(icb, closes_on=(today - datetime.timedelta(days=1)).isoformat()),
    )
    assert "The closing date must be after the opening date" in response.text
    assert not Opportunity.objects.exists()


def test_band_ceiling_error_on_the_form(client, sid, icb):
    client.force_login(sid)
    response = client.post(url("opportunity_create"), form_data(icb, word_limit="900"))
    assert "An opportunity whose awards are up to £10,000 can ask at most 500 words in total" in response.text


# ---- Changing a draft -------------------------------------------------------------------------


def test_manager_changes_a_draft(client, sid, draft):
    client.force_login(sid)
    page = client.get(url("opportunity_edit", draft.slug))
    assert page.status_code == 200
    version = page.context["form"].initial["version"]
    data = form_data(draft.funder, title="Carers' breaks, renewed", max_questions="2", word_limit="400")
    data.update(version=version, extra_documents="0", lived_experience="yes")
    data.pop("funder")
    response = client.post(url("opportunity_edit", draft.slug), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Carers' breaks, renewed"
    assert draft.word_limit == 400


@pytest.mark.parametrize(("persona", "status"), [("anonymous", 302), ("alice", 403), ("outsider", 404)])
def test_others_cannot_change_it(client, request, draft, persona, status):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    assert client.get(url("opportunity_edit", draft.slug)).status_code == status


def test_published_opportunities_cannot_be_changed(client, sid, published):
    client.force_login(sid)
    response = client.get(url("opportunity_edit", published.slug), follow=True)
    assert "You can only change an opportunity while it is a draft" in response.text


# ---- Moving along the route -------------------------------------------------------------------


def test_opening_with_problems_shows_an_error_summary(client, sid, draft):
    client.force_login(sid)
    response = client.post(url("opportunity_move", draft.slug), {"target": "open"})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Agree at least one outcome sought" in response.text
    assert "<title>Error: " in response.text
    draft.refresh_from_db()
    assert draft.state == State.DRAFT


def test_opening_a_ready_opportunity(client, sid, draft):
    make_ready_to_open(draft)
    client.force_login(sid)
    response = client.post(url("opportunity_move", draft.slug), {"target": "open"}, follow=True)
    assert "Carers&#x27; breaks is now open for applications." in response.text
    draft.refresh_from_db()
    assert draft.state == State.OPEN


def test_closing_before_opening_is_refused_on_the_page(client, sid, icb):
    opens = timezone.localdate() + datetime.timedelta(days=5)
    opportunity = OpportunityFactory.create(
        funder=icb, open=True, opens_on=opens, closes_at=timezone.now() + datetime.timedelta(days=30)
    )
    client.force_login(sid)
    response = client.post(url("opportunity_move", opportunity.slug), {"target": "closed"})
    assert f"You cannot close an opportunity before it opens on {opens.day} {opens:%B %Y}" in response.text


def test_a_step_the_route_does_not_allow_is_refused(client, sid, draft):
    client.force_login(sid)
    response = client.post(url("opportunity_move", draft.slug), {"target": "awarded"})
    assert "the next step is open for applications, not awarded" in response.text
    response = client.post(url("opportunity_move", draft.slug), {"target": "nonsense"})
    assert "Choose the next step" in response.text
    response = client.post(url("opportunity_move", draft.slug), {"target": "cancelled"})
    assert "give the reason" in response.text
    draft.refresh_from_db()
    assert draft.state == State.DRAFT


@pytest.mark.parametrize(("persona", "status"), [("anonymous", 302), ("alice", 403), ("outsider", 403)])
def test_only_managers_move_it(client, request, published, persona, status):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    assert client.post(url("opportunity_move", published.slug), {"target": "closed"}).status_code == status
    published.refresh_from_db()
    assert published.state == State.OPEN


def test_move_is_post_only(client, sid, draft):
    client.force_login(sid)
    assert client.get(url("opportunity_move", draft.slug)).status_code == 405


# ---- Cancelling -------------------------------------------------------------------------------


def test_cancel_asks_for_a_reason_and_shows_it_afterwards(client, sid, published):
    client.force_login(sid)
    assert (
        "Are you sure you want to cancel this opportunity?"
        in client.get(url("opportunity_cancel", published.slug)).text
    )
    response = client.post(url("opportunity_cancel", published.slug), {"reason": ""})
    assert "Enter the reason for cancelling" in response.text
    published.refresh_from_db()
    assert published.state == State.OPEN
    response = client.post(
        url("opportunity_cancel", published.slug), {"reason": "The budget was withdrawn."}, follow=True
    )
    published.refresh_from_db()
    assert published.state == State.CANCELLED
    assert "The reason given: The budget was withdrawn." in response.text


@pytest.mark.parametrize(("persona", "status"), [("anonymous", 302), ("alice", 403), ("outsider", 403)])
def test_only_managers_cancel(client, request, published, persona, status):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    assert client.get(url("opportunity_cancel", published.slug)).status_code == status


# ---- Navigation and dashboard -----------------------------------------------------------------


def test_navigation_and_dashboard_link_to_opportunities(client, sid, draft):
    client.force_login(sid)
    response = client.get(reverse("core:dashboard"))
    assert f'href="{url("opportunity_list")}"' in response.text
    assert "Your opportunities" in response.text
    assert "Carers&#x27; breaks" in response.text


def test_dashboard_without_opportunities(client):
    client.force_login(UserFactory.create())
    assert "You do not manage or help design any opportunities" in client.get(reverse("core:dashboard")).text


def test_the_form_shows_the_bands_and_the_time_to_apply(client, sid, draft):
    client.force_login(sid)
    new = client.get(url("opportunity_create")).text
    assert "The value bands and their ceilings" in new
    assert "15,000" in new  # the large band's words
    edit = client.get(url("opportunity_edit", draft.slug)).text
    assert "As it stands, this opportunity asks up to 3 questions and 500 words: about 3 hours to apply." in edit


def test_times_are_written_the_gov_uk_way():
    from cocommission.commissioning.templatetags.opportunity_tags import govuk_time, thousands

    london = timezone.get_current_timezone()
    day = datetime.date(2026, 3, 4)
    assert govuk_time(datetime.datetime.combine(day, datetime.time(12, 0), tzinfo=london)) == "midday"
    assert govuk_time(datetime.datetime.combine(day, datetime.time(0, 0), tzinfo=london)) == "midnight"
    assert govuk_time(datetime.datetime.combine(day, datetime.time(17, 0), tzinfo=london)) == "5pm"
    assert govuk_time(datetime.datetime.combine(day, datetime.time(23, 59), tzinfo=london)) == "11:59pm"
    assert govuk_time(datetime.datetime.combine(day, datetime.time(9, 30), tzinfo=london)) == "9:30am"
    assert govuk_time(None) == ""
    assert thousands(15000) == "15,000"
