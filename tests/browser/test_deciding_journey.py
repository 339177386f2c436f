"""Deciding together end to end in Chromium, as issue 5 describes it: the coordinator reads a
priority whose page shows a community story and an indicator chart side by side, and opens a
sector-balanced vote on it; a statutory member and a VCSE member vote; the coordinator closes it
and the outcome shows who was in the room. Then a question asked at one meeting, left hanging
for three weeks, is followed at the next meeting and leaves the hanging list. axe-core checks
every page on the way."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cocommission.deciding.models import Attendance, Contribution, DecisionMoment, Voice
from cocommission.deciding.tests.factories import ContributionFactory, MeetingFactory
from cocommission.needs.models import Priority
from cocommission.needs.tests.factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    PriorityFactory,
    StoryFactory,
)
from cocommission.partnerships.tests.factories import PartnershipPersonFactory

from .test_commissioning_journey import Checker, switch_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PRIORITY = "Fewer older people lonely in the east of the city"
STORY = "Eleven weeks waiting for a call back"
QUESTION = "How will people without the internet hear about the new service?"


@pytest.fixture
def world(mfa_off, partnership, cora, org_a, alice, icb, sid, lena):
    """The partnership's people: sid speaks for the ICB (statutory), alice for Riverside Carers
    (VCSE). The priority cites one story and one indicator. The first meeting was three weeks
    ago; the second, two days ago; both attended by alice and sid."""
    PartnershipPersonFactory.create(partnership=partnership, user=sid, organisation=icb)
    PartnershipPersonFactory.create(partnership=partnership, user=alice, organisation=org_a)
    story = StoryFactory.create(partnership=partnership, published=True, title=STORY)
    indicator = IndicatorFactory.create(partnership=partnership, name="Adults who feel lonely often", unit="percent")
    for code, place, values in (
        ("E1", "East Brackenmoor", ("24.1", "25.3", "27.0")),
        ("W1", "West Brackenmoor", ("18.2", "18.0", "18.9")),
    ):
        for period, value in zip(("2022", "2023", "2024"), values, strict=True):
            IndicatorValueFactory.create(
                indicator=indicator, geography_code=code, geography_name=place, period=period, value=Decimal(value)
            )
    priority = PriorityFactory.create(partnership=partnership, title=PRIORITY, status=Priority.Status.AGREED)
    priority.stories.add(story)
    priority.indicators.add(indicator)

    now = timezone.now()
    first = MeetingFactory.create(
        partnership=partnership, title="Board, October", starts_at=now - datetime.timedelta(days=21)
    )
    second = MeetingFactory.create(
        partnership=partnership, title="Board, November", starts_at=now - datetime.timedelta(days=2)
    )
    for meeting in (first, second):
        Attendance.objects.create(meeting=meeting, user=alice, organisation=org_a, voice=Voice.VCSE)
        Attendance.objects.create(meeting=meeting, user=sid, organisation=icb, voice=Voice.STATUTORY)
    ContributionFactory.create(meeting=first, text=QUESTION, by=alice, organisation=org_a, voice=Voice.VCSE)
    return {"priority": priority, "second": second}


def test_a_sector_balanced_decision_and_a_followed_question(
    page, assert_accessible, world, partnership, cora, alice, sid
):
    check = Checker(assert_accessible)

    # 1. The coordinator reads the priority: the story and the chart side by side.
    switch_to(page, cora, check)
    page.goto(f"/partnerships/{partnership.slug}/")
    check(page)
    page.get_by_role("link", name="Priorities").click()
    check(page)
    page.get_by_role("link", name=PRIORITY).click()
    check(page)
    expect(page.get_by_role("heading", name="What people told us")).to_be_visible()
    expect(page.get_by_role("link", name=STORY)).to_be_visible()
    expect(page.get_by_role("img", name="Adults who feel lonely often")).to_be_visible()

    # 2. She opens a sector-balanced vote on it.
    page.goto(f"/partnerships/{partnership.slug}/")
    page.get_by_role("link", name="Decision moments").click()
    check(page)
    page.get_by_role("button", name="Open a decision").click()
    check(page)
    page.get_by_label("A priority").check()
    page.get_by_label("Which priority?").select_option(label=f"{PRIORITY} (agreed)")
    page.get_by_label("Title").fill("How to tackle loneliness first")
    page.get_by_label("The question").fill("Which should the partnership fund first?")
    page.get_by_label("Sector-balanced vote").check()
    page.get_by_label("The options").fill("Peer support groups\nA named contact for everyone")
    page.get_by_role("button", name="Open the decision").click()
    check(page)
    expect(page.get_by_role("heading", name="How to tackle loneliness first")).to_be_visible()
    moment_url = page.url

    # 3. A statutory member and a VCSE member vote; neither sees the other's vote.
    for person, choice in ((sid, "Peer support groups"), (alice, "A named contact for everyone")):
        switch_to(page, person, check)
        page.goto(moment_url)
        check(page)
        page.get_by_label(choice).check()
        page.get_by_role("button", name="Save your response").click()
        check(page)
        expect(page.get_by_role("button", name="Change your response")).to_be_visible()

    # 4. The coordinator closes it: the outcome says who was in the room.
    switch_to(page, cora, check)
    page.goto(moment_url)
    check(page)
    page.get_by_role("button", name="Close the decision").click()
    check(page)
    page.get_by_label("Reasons for the decision").fill("Both sectors spoke with equal weight; the vote was tied.")
    page.get_by_role("button", name="Close and record the outcome").click()
    check(page)
    expect(page.get_by_role("heading", name="Outcome")).to_be_visible()
    expect(page.get_by_text("Who was in the room").first).to_be_visible()
    moment = DecisionMoment.objects.get(title="How to tackle loneliness first")
    assert moment.status == DecisionMoment.Status.CLOSED
    assert moment.room.get("statutory") == 1 and moment.room.get("vcse") == 1

    # 5. The hanging question is followed at the next meeting and leaves the list.
    page.goto(f"/partnerships/{partnership.slug}/")
    page.get_by_role("link", name="questions left hanging").click()
    check(page)
    expect(page.get_by_text(QUESTION).first).to_be_visible()
    switch_to(page, alice, check)
    page.goto(f"/partnerships/{partnership.slug}/meetings/")
    check(page)
    page.get_by_role("link", name="Board, November").click()
    check(page)
    page.get_by_role("button", name="Add a question, point or follow").click()
    check(page)
    page.get_by_label("A follow: picking up an earlier question").check()
    page.get_by_label("The question it follows").select_option(index=1)
    page.get_by_label("What was said").fill(
        "The library and the GP surgeries will carry leaflets, and we will phone people."
    )
    page.get_by_role("button", name="Record it").click()
    check(page)
    page.goto(f"/partnerships/{partnership.slug}/")
    page.get_by_role("link", name="questions left hanging").click()
    check(page)
    expect(page.get_by_text(QUESTION)).to_have_count(0)
    assert Contribution.objects.filter(kind="follow", follows__text=QUESTION).count() == 1
