"""Reads for opportunity pages: who sees what, the proportionate ask, and the public statistics."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from cocommission.accounts.tests.factories import UserFactory
from cocommission.commissioning.models import ApplicationDecision
from cocommission.commissioning.routes import Route, State
from cocommission.commissioning.selectors import opportunities as selectors
from cocommission.organisations.tests.factories import OrganisationFactory

from .factories import (
    ApplicationFactory,
    ConsortiumFactory,
    OpportunityFactory,
    OutcomeFactory,
    QuestionFactory,
)

pytestmark = pytest.mark.django_db


def decide(application, amount: str | None) -> None:
    if amount is None:
        ApplicationDecision.objects.create(
            application=application, outcome="decline", reasons="Scored lower on reach.", feedback="More detail."
        )
    else:
        ApplicationDecision.objects.create(
            application=application, outcome="award", amount=Decimal(amount), reasons="Strong.", feedback="Well done."
        )


# ---- Lists and choices ------------------------------------------------------------------------


def test_public_list_hides_drafts(icb):
    published = OpportunityFactory.create(funder=icb, open=True)
    OpportunityFactory.create(funder=icb)
    assert list(selectors.opportunity_list(user=AnonymousUser())) == [published]  # type: ignore[arg-type]


def test_managers_and_co_designers_see_their_drafts(sid, cora, alice, charlie, icb, partnership):
    draft = OpportunityFactory.create(funder=icb, partnership=partnership)
    lone_draft = OpportunityFactory.create(funder=icb)
    assert set(selectors.opportunity_list(user=sid)) == {draft, lone_draft}
    assert list(selectors.opportunity_list(user=cora)) == [draft]
    assert list(selectors.opportunity_list(user=alice)) == [draft]  # org_a has a seat in the partnership
    other = OpportunityFactory.create()
    assert other not in selectors.opportunity_list(user=charlie)
    assert lone_draft not in selectors.opportunity_list(user=charlie)


def test_list_filters_by_route_state_and_mine(sid, icb):
    grant = OpportunityFactory.create(funder=icb, open=True)
    direct = OpportunityFactory.create(funder=icb, psr_direct_c=True, assessing=True)
    elsewhere = OpportunityFactory.create(open=True)
    assert list(selectors.opportunity_list(user=sid, route=Route.PSR_DIRECT_C)) == [direct]
    assert list(selectors.opportunity_list(user=sid, state=State.OPEN)) == [elsewhere, grant]
    assert set(selectors.opportunity_list(user=sid, mine=True)) == {grant, direct}


def test_funder_and_partnership_choices(sid, cora, alice, icb, partnership):
    assert list(selectors.funder_choices(user=sid)) == [icb]
    assert list(selectors.funder_choices(user=cora)) == [icb]  # the partnership's statutory member
    assert not selectors.funder_choices(user=alice).exists()
    assert list(selectors.partnership_choices(user=sid)) == [partnership]
    assert list(selectors.partnership_choices(user=cora)) == [partnership]
    assert selectors.can_open_any(user=sid) and not selectors.can_open_any(user=alice)


# ---- The proportionate ask --------------------------------------------------------------------


def test_ask_uses_the_limits_until_questions_are_written():
    opportunity = OpportunityFactory.create(max_questions=3, word_limit=500, extra_documents=0)
    ask = selectors.ask_for(opportunity, [])
    assert (ask.questions, ask.words, ask.documents, ask.from_questions) == (3, 500, 0, False)
    assert ask.hours == Decimal("3")  # 500/250 = 2h of writing + 3 × 0.25h = 2.75h, rounded up to 3
    QuestionFactory.create(opportunity=opportunity, word_limit=150)
    QuestionFactory.create(opportunity=opportunity, word_limit=100)
    ask = selectors.ask_for(opportunity, list(opportunity.questions.all()))
    assert (ask.questions, ask.words, ask.from_questions) == (2, 250, True)
    assert ask.hours == Decimal("1.5")  # 1h + 0.5h


# ---- Words submitted and words asked per £1,000 -------------------------------------------------


def test_words_stats_use_medians_of_submitted_applications():
    opportunity = OpportunityFactory.create(closed=True, word_limit=500)
    for words, amount in [(300, "4000"), (420, "5000"), (480, "10000")]:
        ApplicationFactory.create(opportunity=opportunity, submitted=True, total_words=words, amount_requested=amount)
    ApplicationFactory.create(opportunity=opportunity, total_words=9999, amount_requested="1")  # a draft: not counted
    ApplicationFactory.create(opportunity=opportunity, withdrawn=True, total_words=9999, amount_requested="1")
    stats = selectors.words_stats(opportunity)
    assert stats.submitted == 3
    assert stats.median_words == Decimal("420")
    assert stats.median_requested == Decimal("5000")
    assert stats.words_per_thousand == Decimal("100.0")  # 500 words ÷ (£5,000 ÷ £1,000)


def test_even_count_median_is_the_mean_of_the_middle_two():
    opportunity = OpportunityFactory.create(closed=True, word_limit=450)
    for words, amount in [(100, "2000"), (200, "3000"), (300, "6000"), (400, "9000")]:
        ApplicationFactory.create(opportunity=opportunity, submitted=True, total_words=words, amount_requested=amount)
    stats = selectors.words_stats(opportunity, words_asked=450)
    assert stats.median_words == Decimal("250")
    assert stats.median_requested == Decimal("4500")
    assert stats.words_per_thousand == Decimal("100.0")


def test_words_stats_with_no_applications():
    stats = selectors.words_stats(OpportunityFactory.create(closed=True))
    assert (stats.submitted, stats.median_words, stats.words_per_thousand) == (0, None, None)


# ---- Public statistics ------------------------------------------------------------------------


def test_public_stats_by_income_band():
    opportunity = OpportunityFactory.create(decided=True)
    micro = OrganisationFactory.create(latest_annual_income=Decimal("8000"))
    small_a = OrganisationFactory.create(latest_annual_income=Decimal("50000"))
    small_b = OrganisationFactory.create(latest_annual_income=Decimal("90000"))
    large = OrganisationFactory.create(latest_annual_income=Decimal("2000000"))
    decide(ApplicationFactory.create(opportunity=opportunity, organisation=micro, submitted=True), "500")
    decide(ApplicationFactory.create(opportunity=opportunity, organisation=small_a, submitted=True), "4000")
    decide(ApplicationFactory.create(opportunity=opportunity, organisation=small_b, submitted=True), None)
    decide(ApplicationFactory.create(opportunity=opportunity, organisation=large, submitted=True), None)
    consortium_app = ApplicationFactory.create(
        opportunity=opportunity, submitted=True, consortium=ConsortiumFactory.create()
    )
    decide(consortium_app, "2500.50")
    ApplicationFactory.create(opportunity=opportunity, withdrawn=True)  # not counted

    stats = selectors.public_stats(opportunity)
    assert (stats.applications, stats.awarded, stats.success_rate) == (5, 3, 60)
    assert stats.total_awarded == Decimal("7000.50")
    rows = {r.key: (r.applications, r.awarded, r.success_rate, r.total_awarded) for r in stats.by_band}
    assert rows == {
        "micro": (1, 1, 100, Decimal("500")),
        "small": (2, 1, 50, Decimal("4000")),
        "large": (1, 0, 0, Decimal("0")),
        "consortium": (1, 1, 100, Decimal("2500.50")),
    }
    assert [r.key for r in stats.by_band] == ["micro", "small", "large", "consortium"]


def test_public_stats_empty():
    stats = selectors.public_stats(OpportunityFactory.create(decided=True))
    assert (stats.applications, stats.success_rate, stats.total_awarded, stats.by_band) == (0, None, Decimal("0"), [])


# ---- The page as a whole ----------------------------------------------------------------------


def test_page_shows_proposed_outcomes_only_to_co_designers(sid, alice, icb, partnership):
    opportunity = OpportunityFactory.create(funder=icb, partnership=partnership, open=True)
    OutcomeFactory.create(opportunity=opportunity, text="Agreed")
    OutcomeFactory.create(opportunity=opportunity, text="Proposed", proposed=True)
    outsider = UserFactory.create()
    assert [o.text for o in selectors.opportunity_page(opportunity=opportunity, user=outsider).outcomes] == ["Agreed"]
    assert len(selectors.opportunity_page(opportunity=opportunity, user=alice).outcomes) == 2
    page = selectors.opportunity_page(opportunity=opportunity, user=sid)
    assert page.is_manager and page.next_state == State.CLOSED


def test_page_shows_words_after_closing_and_stats_after_deciding(sid, icb):
    open_ = selectors.opportunity_page(opportunity=OpportunityFactory.create(funder=icb, open=True), user=sid)
    assert open_.words is None and open_.stats is None
    closed = selectors.opportunity_page(opportunity=OpportunityFactory.create(funder=icb, closed=True), user=sid)
    assert closed.words is not None and closed.stats is None
    decided = selectors.opportunity_page(opportunity=OpportunityFactory.create(funder=icb, decided=True), user=sid)
    assert decided.words is not None and decided.stats is not None


def test_page_steps_mark_the_current_one(sid, icb):
    opportunity = OpportunityFactory.create(funder=icb, psr_direct_c=True, assessing=True)
    steps = selectors.opportunity_page(opportunity=opportunity, user=sid).steps
    assert [(s.state, s.current, s.done) for s in steps] == [
        ("draft", False, True),
        ("assessing", True, False),
        ("decided", False, False),
        ("standstill", False, False),
        ("awarded", False, False),
    ]


def test_dashboard_lists_what_the_person_manages(sid, alice, icb):
    mine = OpportunityFactory.create(funder=icb)
    OpportunityFactory.create(funder=icb, cancelled=True)
    assert selectors.dashboard_opportunities(user=sid) == [mine]
    assert selectors.dashboard_opportunities(user=alice) == []
