"""Application pages through the web: applying, the draft with its word limits, submitting once,
withdrawing, reopening, and the list of a person's applications."""

import datetime
from decimal import Decimal
from typing import cast

import pytest
from django.urls import reverse
from django.utils import timezone

from cocommission.commissioning.models import Application, ApplicationDecision
from cocommission.commissioning.routes import State
from cocommission.commissioning.services import applications as services
from cocommission.commissioning.services.application_rules import govuk_time
from cocommission.commissioning.tests.factories import (
    AnswerFactory,
    QuestionFactory,
    consortium_of,
    new_application,
    new_opportunity,
)
from cocommission.core.versioning import current_version
from cocommission.organisations.models import Interaction, Organisation, PassportDocument
from cocommission.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def words(n: int) -> str:
    return " ".join(["word"] * n)


@pytest.fixture
def grant(icb):
    opportunity = new_opportunity(
        funder=icb, open=True, grant=True, word_limit=250, max_award=Decimal("10000"), title="Lunch clubs"
    )
    QuestionFactory(opportunity=opportunity, word_limit=150, order=1, text="What will you do?")
    QuestionFactory(opportunity=opportunity, word_limit=150, order=2, text="Who will benefit?")
    return opportunity


@pytest.fixture
def draft(grant, org_a, alice):
    return services.start_application(actor=alice, opportunity=grant, organisation=org_a)


def detail_url(application) -> str:
    return reverse("commissioning:application_detail", args=[application.pk])


def draft_data(application, *, first: str, second: str, amount: str = "5000", version: str | None = None) -> dict:
    q1, q2 = application.opportunity.questions.all()
    return {
        "amount_requested": amount,
        "summary": "Lunch clubs",
        f"answer_{q1.pk}": first,
        f"answer_{q2.pk}": second,
        # The stamp the form carries: by default, the draft as it is saved now.
        "version": version if version is not None else current_version(application),
    }


# Applying


def test_a_member_starts_an_application_from_the_opportunity(client, alice, grant, org_a):
    client.force_login(alice)
    url = reverse("commissioning:apply", args=[grant.slug])
    page = client.get(url)
    assert page.status_code == 200
    assert "Riverside Carers" in page.content.decode()
    response = client.post(url, {"organisation": org_a.pk, "as_consortium": "no"})
    application = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(application)
    assert application.organisation == org_a and application.consortium is None


def test_someone_in_two_organisations_chooses_which_applies(client, alice, grant, org_a):
    other = cast(Organisation, OrganisationFactory(name="Second Charity"))
    MembershipFactory(organisation=other, user=alice)
    client.force_login(alice)
    response = client.post(reverse("commissioning:apply", args=[grant.slug]), {"as_consortium": "no"})
    assert response.status_code == 200
    assert "Select the organisation that is applying" in response.content.decode()
    client.post(reverse("commissioning:apply", args=[grant.slug]), {"organisation": other.pk, "as_consortium": "no"})
    assert Application.objects.get().organisation == other


def test_applying_again_links_to_the_existing_application(client, bob, draft, grant, org_a):
    client.force_login(bob)
    response = client.post(
        reverse("commissioning:apply", args=[grant.slug]), {"organisation": org_a.pk, "as_consortium": "no"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Riverside Carers has already started an application: continue it" in html
    assert detail_url(draft) in html
    assert Application.objects.count() == 1


def test_an_ineligible_organisation_is_told_why(client, alice, grant, org_a):
    grant.eligible_income_bands = ["micro"]
    grant.save()
    client.force_login(alice)
    response = client.post(
        reverse("commissioning:apply", args=[grant.slug]), {"organisation": org_a.pk, "as_consortium": "no"}
    )
    assert "Riverside Carers cannot apply: this opportunity is only for organisations with an income" in (
        response.content.decode()
    )
    assert not Application.objects.exists()


def test_a_closed_opportunity_says_so_instead_of_showing_the_form(client, alice, grant):
    grant.state = State.CLOSED
    grant.save()
    client.force_login(alice)
    html = client.get(reverse("commissioning:apply", args=[grant.slug])).content.decode()
    assert "This opportunity has closed. Applications can no longer be started." in html
    assert "Start the application" not in html


def test_an_alliance_asks_for_the_consortium_name_only(client, alice, icb, org_a):
    alliance = new_opportunity(funder=icb, alliance=True, open=True)
    client.force_login(alice)
    url = reverse("commissioning:apply", args=[alliance.slug])
    assert "Are you applying as a consortium?" not in client.get(url).content.decode()
    response = client.post(url, {"organisation": org_a.pk})
    assert "Enter a name for the consortium" in response.content.decode()
    client.post(url, {"organisation": org_a.pk, "consortium_name": "Valley Alliance"})
    assert consortium_of(Application.objects.get()).name == "Valley Alliance"


def test_someone_with_no_organisation_is_told_how_to_join_one(client, lena, grant):
    client.force_login(lena)
    html = client.get(reverse("commissioning:apply", args=[grant.slug])).content.decode()
    assert "you are not a member of one yet" in html


# The draft


def test_the_draft_page_shows_limits_word_counts_and_the_passport(client, bob, draft, org_a):
    PassportDocument.objects.create(
        organisation=org_a,
        kind="insurance_certificate",
        file="p/1",
        original_filename="insurance.pdf",
        content_type="application/pdf",
        size_bytes=10,
        is_current=True,
        expires_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    q1, _ = draft.opportunity.questions.all()
    AnswerFactory(application=draft, question=q1, text=words(40), word_count=40)
    client.force_login(bob)
    html = client.get(detail_url(draft)).content.decode()
    assert 'data-maxwords="150"' in html
    assert "You have 110 words remaining (40 of 150)" in html
    assert "Up to 150 words." in html
    assert "40 of 250 words in total" in html
    assert "Attached automatically" in html and ">Expired</strong>" in html and ">Missing</strong>" in html
    assert "Save draft" in html
    assert "<script>" not in html and "style=" not in html


def test_saving_over_the_limit_keeps_what_was_typed(client, alice, draft):
    client.force_login(alice)
    long_answer = words(163)
    response = client.post(detail_url(draft), draft_data(draft, first="A short answer", second=long_answer))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("Answer 2 must be 150 words or fewer (you have 163)") == 2  # summary and field
    assert long_answer in html and "A short answer" in html
    assert "<title>Error:" in html
    assert "You have 13 words too many (163 of 150)" in html
    assert not draft.answers.exists()


def test_saving_a_draft(client, alice, draft):
    client.force_login(alice)
    response = client.post(detail_url(draft), draft_data(draft, first=words(20), second=words(30)))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.total_words == 50 and draft.amount_requested == Decimal("5000")
    assert "Your draft has been saved." in client.get(detail_url(draft)).content.decode()


def test_an_amount_that_is_not_a_number_is_refused(client, alice, draft):
    client.force_login(alice)
    response = client.post(detail_url(draft), draft_data(draft, first="", second="", amount="lots"))
    assert "Amount must be a number, like 2500 or 2500.50" in response.content.decode()


def test_a_stale_draft_form_is_refused_and_keeps_the_typing(client, alice, bob, draft):
    from cocommission.core.versioning import version_of

    shown = version_of(draft)
    client.force_login(bob)
    client.post(detail_url(draft), draft_data(draft, first="Bob's words", second="", version=shown))
    client.force_login(alice)
    response = client.post(detail_url(draft), draft_data(draft, first="Alice's words", second="", version=shown))
    html = response.content.decode()
    assert "Someone else changed these details while you were editing" in html
    assert "Alice&#x27;s words" in html


# Submitting


def test_submit_page_lists_what_is_missing(client, alice, draft):
    client.force_login(alice)
    html = client.get(reverse("commissioning:application_submit", args=[draft.pk])).content.decode()
    assert "You cannot submit this application yet." in html
    assert "Answer question 1" in html and "Enter the amount you are asking for" in html
    assert "Submit application" not in html


def test_a_double_submit_makes_one_submission(client, alice, draft, icb):
    client.force_login(alice)
    client.post(detail_url(draft), draft_data(draft, first=words(20), second=words(30)))
    url = reverse("commissioning:application_submit", args=[draft.pk])
    assert "Submit application" in client.get(url).content.decode()
    first = client.post(url)
    second = client.post(url)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == detail_url(draft)
    draft.refresh_from_db()
    assert draft.status == Application.Status.SUBMITTED
    assert Interaction.objects.filter(kind="application").count() == 1
    html = client.get(detail_url(draft)).content.decode()
    assert "This application had already been submitted" in html
    assert "Save draft" not in html


def test_a_late_submission_is_refused_with_the_closing_time(client, alice, draft):
    client.force_login(alice)
    client.post(detail_url(draft), draft_data(draft, first=words(20), second=words(30)))
    opportunity = draft.opportunity
    opportunity.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    opportunity.save()
    response = client.post(reverse("commissioning:application_submit", args=[draft.pk]))
    assert response.status_code == 200
    closing = govuk_time(opportunity.closes_at)
    assert f"The closing time was {closing}. Applications can no longer be submitted." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT and draft.total_words == 50


# Withdrawing and reopening


def test_withdraw_asks_first_then_reopen(client, alice, draft):
    client.force_login(alice)
    url = reverse("commissioning:application_withdraw", args=[draft.pk])
    assert "Are you sure you want to withdraw this application?" in client.get(url).content.decode()
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT
    assert client.post(url).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Application.Status.WITHDRAWN
    assert "Reopen the application as a draft" in client.get(detail_url(draft)).content.decode()
    client.post(reverse("commissioning:application_reopen", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT


def test_withdrawing_after_closing_is_refused_on_the_page(client, alice, draft):
    draft.opportunity.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    draft.opportunity.save()
    client.force_login(alice)
    response = client.post(reverse("commissioning:application_withdraw", args=[draft.pk]))
    assert response.status_code == 200
    assert "Applications can no longer be withdrawn" in response.content.decode()


# The list of applications


def test_the_list_is_empty_at_first(client, alice):
    client.force_login(alice)
    html = client.get(reverse("commissioning:application_list")).content.decode()
    assert "None of your organisations has applied for anything yet" in html


def test_the_list_shows_own_and_consortium_applications_only(client, charlie, org_a, org_b, alice, icb):
    own = new_application(organisation=org_b, opportunity__funder=icb)
    hidden = new_application(organisation=org_a, opportunity__funder=icb)
    client.force_login(charlie)
    html = client.get(reverse("commissioning:application_list")).content.decode()
    assert own.opportunity.title in html and hidden.opportunity.title not in html


def _many(org, count):
    for _ in range(count):
        new_application(organisation=org, submitted=True)


def test_the_list_query_count_does_not_grow_with_rows(client, alice, org_a, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(alice)
    _many(org_a, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("commissioning:application_list")).status_code == 200
    _many(org_a, 15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(reverse("commissioning:application_list")).content.decode()
    assert "17 applications" in html


def test_the_list_is_paginated(client, alice, org_a, settings):
    settings.PAGE_SIZE = 5
    _many(org_a, 7)
    client.force_login(alice)
    html = client.get(reverse("commissioning:application_list") + "?page=2").content.decode()
    assert "7 applications" in html and 'aria-label="Page 1"' in html


def test_the_applicant_sees_the_decision_and_feedback_on_the_application_once_told(client, alice, org_a):
    application = new_application(organisation=org_a, submitted=True)
    decision = ApplicationDecision.objects.create(
        application=application,
        outcome="award",
        amount=Decimal("4000"),
        reasons="Strong on reach",
        feedback="Well done: tell us more about volunteers next time",
    )
    client.force_login(alice)
    html = client.get(detail_url(application)).content.decode()
    assert 'id="decision-heading"' not in html and "Well done" not in html
    decision.notified_at = timezone.now()
    decision.save()
    html = client.get(detail_url(application)).content.decode()
    assert 'id="decision-heading"' in html
    assert "Awarded" in html and "£4,000" in html
    assert "Strong on reach" in html
    assert "Well done: tell us more about volunteers next time" in html
