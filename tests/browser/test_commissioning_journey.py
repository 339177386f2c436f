"""Commissioning end to end in Chromium, as issue 3 describes it: a commissioner opens a £500
micro-grant through the pages; a VCSE organisation applies within the limits without uploading
anything; a three-sector panel (statutory, VCSE, lived experience) declares conflicts, one of
them a conflict, and scores; the commissioner agrees the scores, records the decision with
reasons and feedback and confirms it; the applicant reads the feedback on the application page.
axe-core checks every page on the way."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from cocommission.accounts.tests.factories import PASSWORD
from cocommission.commissioning.models import Application, ApplicationDecision, ConflictDeclaration, Opportunity
from cocommission.commissioning.routes import State
from cocommission.commissioning.services import applications
from cocommission.commissioning.tests.factories import OutcomeFactory, QuestionFactory, new_opportunity
from cocommission.organisations.models import PassportDocument
from cocommission.organisations.tests import passport_files as files
from cocommission.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Warm welcome lunch clubs"
REACH = "Reach into the community"
VALUE = "Value for money"
QUESTION = "What will you do, and who will it help?"
APPLICANT = "Riverside Carers"
FEEDBACK = "A clear, modest plan. Next time, say how you will hear from carers who do not come along."


@pytest.fixture
def world(mfa_off, org_a, alice, org_b, charlie, icb, sid, lena):
    """The people of the journey. MFA is off (mfa_off): two-step sign in has its own browser test,
    and here the commissioners and panel members would each need an authenticator app."""
    sam = MembershipFactory(organisation=icb, user__email="sam@example.org", user__full_name="Sam Okafor").user
    # Riverside Carers keeps its standing documents in its passport: they go with every application.
    files.make_document(org_a, PassportDocument.Kind.GOVERNING_DOCUMENT, uploaded_by=alice, name="constitution.pdf")
    files.make_document(org_a, PassportDocument.Kind.SAFEGUARDING, uploaded_by=alice, name="safeguarding.pdf")
    return {"sam": sam}


class Checker:
    """assert_accessible, once the page that a click led to has loaded."""

    def __init__(self, assert_accessible) -> None:  # type: ignore[no-untyped-def]
        self.axe = assert_accessible
        self.checked = assert_accessible.checked

    def __call__(self, page) -> None:  # type: ignore[no-untyped-def]
        page.wait_for_load_state()
        self.axe(page)


def switch_to(page, user, check) -> None:  # type: ignore[no-untyped-def]
    """Sign out whoever was signed in, sign `user` in, and check the pages on the way (the
    sign-in page, the same for everyone, once)."""
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    if not any(url.endswith("/accounts/login/") for url in check.checked):
        check(page)
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your dashboard")).to_be_visible()
    check(page)


def test_a_micro_grant_from_opening_to_feedback(page, assert_accessible, world, alice, charlie, sid, lena):
    sam = world["sam"]
    check = Checker(assert_accessible)

    # 1. The commissioner opens a £500 micro-grant, as a draft first.
    switch_to(page, sid, check)
    page.get_by_role("link", name="Opportunities", exact=True).first.click()
    check(page)
    page.get_by_role("button", name="Open an opportunity").click()
    check(page)
    today = timezone.localdate()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("The problem to solve").fill("Carers in the valley rarely get a hot meal in company.")
    page.get_by_label("Total budget").fill("500")
    page.get_by_label("Maximum per award").fill("500")
    page.get_by_label("Opening date").fill(today.isoformat())
    page.get_by_label("Closing date", exact=False).first.fill((today + datetime.timedelta(days=14)).isoformat())
    page.get_by_label("Decision by").fill((today + datetime.timedelta(days=30)).isoformat())
    page.get_by_label("Grant (open call)").check()
    page.get_by_label("Why this route").fill("A small grant reaches community groups; no provider holds this now.")
    page.get_by_role("button", name="Save as a draft").click()
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    check(page)
    opportunity = Opportunity.objects.get(title=TITLE)
    assert opportunity.state == State.DRAFT and opportunity.max_questions == 3 and opportunity.word_limit == 500

    # Criteria whose weights add up to 100%, one question, and an agreed outcome.
    for name, weight in ((REACH, "60"), (VALUE, "40")):
        page.get_by_role("link", name="Add a criterion").click()
        check(page)
        page.get_by_label("Criterion").fill(name)
        page.get_by_label("Weight (%)").fill(weight)
        page.get_by_role("button", name="Add criterion").click()
        check(page)
    page.get_by_role("link", name="Add a question").click()
    check(page)
    page.get_by_label("Question").fill(QUESTION)
    page.get_by_label("Word limit").fill("150")
    page.get_by_role("button", name="Add question").click()
    check(page)
    page.get_by_role("link", name="Add an outcome sought").click()
    check(page)
    page.get_by_label("Outcome sought").fill("Carers say they have time for themselves")
    page.get_by_role("button", name="Propose outcome").click()
    expect(page.get_by_text("Agreed", exact=True).first).to_be_visible()
    check(page)
    page.get_by_role("button", name="Move to the next step: open for applications").click()
    expect(page.get_by_text(f"{TITLE} is now open for applications.")).to_be_visible()
    check(page)

    # 2. A VCSE admin applies within the limits and uploads nothing: the passport goes with it.
    switch_to(page, alice, check)
    page.get_by_role("link", name="Opportunities", exact=True).first.click()
    check(page)
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_text("None: your passport is attached automatically")).to_be_visible()
    check(page)
    page.get_by_role("button", name="Apply").click()
    check(page)
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Start the application").click()
    check(page)
    expect(page.locator("#passport")).to_be_visible()
    expect(page.get_by_text("Attached automatically").first).to_be_visible()
    assert page.locator("input[type=file]").count() == 0
    page.get_by_label("How much are you asking for?").fill("500")
    page.get_by_label("Summary").fill("Fortnightly lunch clubs for carers, with a sitter service.")
    page.get_by_label(QUESTION).fill("We will run fortnightly lunch clubs for forty carers, with sitters at home.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Your draft has been saved.")).to_be_visible()
    check(page)
    page.get_by_role("link", name="Check and submit your application").click()
    check(page)
    page.get_by_role("button", name="Submit application").click()
    expect(page.get_by_text("Your application has been submitted.")).to_be_visible()
    expect(page.get_by_role("link", name="constitution.pdf")).to_be_visible()
    check(page)
    application = Application.objects.get(opportunity=opportunity)
    assert application.status == Application.Status.SUBMITTED
    assert application.passport_documents.count() == 2

    # 3. The commissioner closes it (closing early is allowed: it stops further submissions)
    # and sets up a panel with every voice: statutory, VCSE and lived experience.
    switch_to(page, sid, check)
    page.goto(f"/opportunities/{opportunity.slug}/")
    check(page)
    page.get_by_role("button", name="Move to the next step: closed").click()
    expect(page.get_by_text(f"{TITLE} is now closed")).to_be_visible()
    check(page)
    page.get_by_role("link", name="Panel: its members and balance").click()
    expect(page.get_by_text("The panel needs at least one VCSE member.")).to_be_visible()
    check(page)
    seats = ((sam, "Statutory", True), (charlie, "VCSE", False), (lena, "Lived experience", False))
    for person, sector, chair in seats:
        page.get_by_label("Email address").fill(person.email)
        page.get_by_label(sector, exact=True).check()
        if chair:
            page.get_by_label("They chair the panel").check()
        page.get_by_role("button", name="Add to the panel").click()
        expect(page.get_by_text(f"is on the panel ({sector})")).to_be_visible()
        check(page)
    expect(page.get_by_text("The panel has every voice it needs.")).to_be_visible()
    page.get_by_role("link", name=TITLE).first.click()
    check(page)
    page.get_by_role("button", name="Move to the next step: panel scoring").click()
    expect(page.get_by_text(f"The panel can now score the applications to {TITLE}.")).to_be_visible()
    check(page)

    # 4. Each panel member declares interests; charlie has a conflict and does not score.
    switch_to(page, charlie, check)
    page.get_by_role("region", name="Your panels").get_by_role("link", name=TITLE).click()
    check(page)
    page.get_by_role("link", name=f"Declare interests for {APPLICANT}").click()
    check(page)
    page.get_by_label("Yes, I have a conflict of interest").check()
    page.get_by_label("Describe the conflict").fill("Our food bank shares a building and volunteers with them.")
    page.get_by_label("How is the conflict managed?").fill("I do not score it or see the panel's scores for it.")
    page.get_by_role("button", name="Save your declaration").click()
    expect(page.get_by_text("Your conflict of interest and how it is managed are recorded.")).to_be_visible()
    check(page)

    for member, scores in ((sam, ("4", "3")), (lena, ("5", "3"))):
        switch_to(page, member, check)
        page.get_by_role("region", name="Your panels").get_by_role("link", name=TITLE).click()
        check(page)
        page.get_by_role("link", name=f"Declare interests for {APPLICANT}").click()
        check(page)
        page.get_by_label("No, I have no conflict of interest").check()
        page.get_by_role("button", name="Save your declaration").click()
        expect(page.get_by_role("heading", name=f"Score {APPLICANT}")).to_be_visible()
        check(page)
        for criterion, score in zip((REACH, VALUE), scores, strict=True):
            page.get_by_role("group", name=f"Score for {criterion}").get_by_label(f"{score} –").check()
            page.get_by_label(f"Comment on {criterion}").fill(f"Scored {score}: the plan is clear and local.")
        page.get_by_role("button", name="Submit your scores").click()
        expect(page.get_by_text("You submitted your scores.")).to_be_visible()
        check(page)
    # The panel reads the passport the application carried, without asking for it again.
    page.get_by_role("link", name="Read the full application, with its documents").click()
    check(page)
    download = page.request.get(page.get_by_role("link", name="safeguarding.pdf").get_attribute("href"))
    assert download.status == 200 and download.body() == files.PDF
    assert ConflictDeclaration.objects.filter(has_conflict=True).count() == 1

    # 5. The commissioner agrees the scores, records the decision and confirms it.
    switch_to(page, sid, check)
    page.goto(f"/opportunities/{opportunity.slug}/")
    check(page)
    page.get_by_role("link", name="Ranking and agreed scores").click()
    check(page)
    page.get_by_role("link", name=f"Agree scores for {APPLICANT}").click()
    check(page)
    for criterion, score in ((REACH, "4"), (VALUE, "3")):
        page.get_by_role("group", name=f"Agreed score for {criterion}").get_by_label(f"{score} –").check()
        page.get_by_label(f"Reason for the agreed score for {criterion}").fill("The panel agreed after discussion.")
    page.get_by_role("button", name="Save the agreed scores").click()
    expect(page.get_by_text(f"You recorded the agreed scores for {APPLICANT}.")).to_be_visible()
    check(page)
    page.get_by_role("link", name=TITLE).first.click()
    check(page)
    page.get_by_role("link", name="Record the decision").click()
    check(page)
    page.get_by_role("group", name=f"Decision on {APPLICANT}").get_by_label("Award", exact=True).check()
    page.get_by_label(f"Amount to award to {APPLICANT}").fill("500")
    page.get_by_label(f"Reasons for the decision on {APPLICANT}").fill(
        "Agreed scores of 4 for reach and 3 for value for money: a weighted total of 72%."
    )
    page.get_by_label(f"Feedback for {APPLICANT}").fill(FEEDBACK)
    page.get_by_label("How the criteria were applied").fill("The one application met the bar on both criteria.")
    page.get_by_role("button", name="Save the decision").click()
    expect(page.get_by_text("The decision has been saved.")).to_be_visible()
    check(page)
    page.get_by_role("button", name="Confirm the decision").click()
    check(page)
    page.get_by_role("button", name="Confirm the decision").click()
    expect(page.get_by_text("The decision is confirmed.")).to_be_visible()
    check(page)
    decision = ApplicationDecision.objects.get(application=application)
    assert decision.notified_at is not None and decision.amount == 500
    # The decision record names the conflict and how it was managed.
    page.get_by_role("link", name="Read the decision record").click()
    expect(page.get_by_text("shares a building and volunteers").first).to_be_visible()
    check(page)

    # 6. The applicant reads the decision and feedback on the application page.
    switch_to(page, alice, check)
    page.get_by_role("region", name="Your applications").get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", name="Decision", exact=True)).to_be_visible()
    expect(page.get_by_text(FEEDBACK)).to_be_visible()
    expect(page.get_by_text("£500").first).to_be_visible()
    check(page)
    # The opportunity's public page now gives the numbers: applications, awards, success rate.
    page.get_by_role("link", name=TITLE).first.click()
    expect(page.get_by_role("heading", name="Applications in numbers")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Success rate")).to_be_visible()
    check(page)
    assert len(check.checked) >= 55


def test_the_provider_and_a_consortium_member_are_found_by_searching_the_directory(
    page, assert_accessible, mfa_off, icb, sid, org_a, alice, org_b
):
    """The directory is never listed: a commissioner searches for the provider a direct award
    assesses, and an applicant searches for the organisation to invite into its consortium."""
    check = Checker(assert_accessible)
    moor_care = OrganisationFactory(name="Moor Care")

    switch_to(page, sid, check)
    page.goto(reverse("commissioning:opportunity_create"))
    expect(page.get_by_label("Moor Care")).to_have_count(0)
    page.get_by_label("Title").fill("Shared Lives in the valley")
    page.get_by_label("The problem to solve").fill("People who need support want to live in a family home.")
    page.get_by_label("Total budget").fill("5000")
    page.get_by_label("Maximum per award").fill("5000")
    page.get_by_label("Provider Selection Regime: Direct Award C").check()
    page.get_by_label("Why this route").fill("The current provider is doing well and the service is not changing.")
    page.get_by_label("CPV code").fill("85000000-9")
    # The search is part of the form: what was typed above it is still there afterwards.
    page.get_by_label("Find the provider being assessed").fill("Moor")
    page.get_by_role("button", name="Search the directory").click()
    expect(page.get_by_text("1 organisation matches ‘Moor’.")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Shared Lives in the valley")
    expect(page.get_by_label("Why this route")).to_have_value(
        "The current provider is doing well and the service is not changing."
    )
    check(page)
    page.get_by_role("button", name="Save as a draft").click()
    # Shown again with the error, the results of the search are still there to choose from.
    expect(page.get_by_role("link", name="Choose the provider being assessed")).to_be_visible()
    check(page)
    page.get_by_label("Moor Care").check()
    page.get_by_role("button", name="Save as a draft").click()
    expect(page.get_by_role("heading", name="Shared Lives in the valley", level=1)).to_be_visible()
    check(page)
    assert Opportunity.objects.get(title="Shared Lives in the valley").named_provider == moor_care

    alliance = new_opportunity(funder=icb, alliance=True, open=True)
    QuestionFactory(opportunity=alliance, word_limit=100)
    OutcomeFactory(opportunity=alliance, text="Fewer people feel alone")
    application = applications.start_application(
        actor=alice, opportunity=alliance, organisation=org_a, as_consortium=True, consortium_name="Valley Alliance"
    )
    switch_to(page, alice, check)
    page.goto(reverse("commissioning:consortium_matrix", args=[application.pk]))
    page.get_by_role("button", name="Invite a member").click()
    expect(page.get_by_label(org_b.name)).to_have_count(0)
    check(page)
    page.get_by_label("Organisation's name").fill("Hill")
    page.get_by_role("button", name="Search the directory").click()
    expect(page.get_by_text("1 organisation matches ‘Hill’.")).to_be_visible()
    check(page)
    page.get_by_label(org_b.name).check()
    page.get_by_role("button", name="Invite", exact=True).click()
    expect(page.get_by_text(f"{org_b.name} has been invited.")).to_be_visible()
    check(page)
