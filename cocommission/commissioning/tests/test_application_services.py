"""Application services: who may start one, the word limits, submitting once, the closing time,
withdrawing and reopening."""

import datetime
from decimal import Decimal
from typing import cast

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone

from cocommission.commissioning.models import Application, Question
from cocommission.commissioning.routes import Route, State
from cocommission.commissioning.services import application_rules as rules
from cocommission.commissioning.services import applications as services
from cocommission.commissioning.tests.factories import QuestionFactory, consortium_of, new_opportunity
from cocommission.core.models import AuditEvent
from cocommission.organisations.models import IncomeBand, Interaction, Organisation, PassportDocument
from cocommission.organisations.tests.factories import AreaFactory, OrganisationFactory

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


def fill(application, actor, *, first=100, second=100, amount=Decimal("5000")):
    q1, q2 = application.opportunity.questions.all()
    return services.save_draft(
        actor=actor,
        application=application,
        amount_requested=amount,
        summary="Lunch clubs",
        answers={q1.pk: words(first), q2.pk: words(second)},
    )


def messages(exc: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return exc.value.messages


# Starting an application


def test_a_member_starts_a_draft_and_it_is_audited(grant, org_a, bob):
    application = services.start_application(actor=bob, opportunity=grant, organisation=org_a)
    assert application.status == Application.Status.DRAFT
    assert application.created_by == bob and application.consortium is None
    assert AuditEvent.objects.filter(
        object_type="commissioning.application", object_id=str(application.pk), organisation_id=org_a.pk
    ).exists()


def test_someone_outside_the_organisation_cannot_apply_for_it(grant, org_a, charlie):
    with pytest.raises(ValidationError) as exc:
        services.start_application(actor=charlie, opportunity=grant, organisation=org_a)
    assert exc.value.message_dict == {"organisation": ["Select an organisation you belong to"]}
    assert not Application.objects.exists()


def test_applying_twice_names_the_existing_application(draft, grant, org_a, bob):
    with pytest.raises(services.AlreadyApplied) as exc:
        services.start_application(actor=bob, opportunity=grant, organisation=org_a)
    assert exc.value.application == draft
    assert messages(exc) == ["Riverside Carers has already started an application: continue it"]
    assert Application.objects.count() == 1


@pytest.mark.parametrize(
    ("state", "message"),
    [
        (State.DRAFT, "This opportunity is not open for applications yet"),
        (State.CLOSED, "This opportunity has closed. Applications can no longer be started."),
        (State.SCORING, "This opportunity has closed. Applications can no longer be started."),
        (State.CANCELLED, "This opportunity has been cancelled. Applications can no longer be started."),
    ],
)
def test_only_an_open_opportunity_takes_applications(grant, org_a, alice, state, message):
    grant.state = state
    grant.save()
    with pytest.raises(ValidationError) as exc:
        services.start_application(actor=alice, opportunity=grant, organisation=org_a)
    assert messages(exc) == [message]


def test_the_closing_time_stops_new_applications_even_before_anyone_closes_it(grant, org_a, alice):
    grant.closes_at = timezone.make_aware(datetime.datetime(2027, 3, 12, 17, 0))
    grant.save()
    later = grant.closes_at + datetime.timedelta(minutes=1)
    with pytest.raises(ValidationError) as exc:
        services.start_application(actor=alice, opportunity=grant, organisation=org_a, now=later)
    assert messages(exc) == ["The closing time was 5pm on 12 March 2027. Applications can no longer be started."]


@pytest.mark.parametrize("route", [Route.PSR_DIRECT_A, Route.PSR_DIRECT_B, Route.PSR_DIRECT_C, Route.PSR_MOST_SUITABLE])
def test_routes_that_assess_a_named_provider_take_no_open_applications(icb, org_a, alice, route):
    opportunity = new_opportunity(funder=icb, route=route, state=State.OPEN)
    with pytest.raises(ValidationError) as exc:
        services.start_application(actor=alice, opportunity=opportunity, organisation=org_a)
    assert "does not take applications" in messages(exc)[0]
    assert Route(route).label in messages(exc)[0]


@pytest.mark.parametrize("route", [Route.GRANT, Route.OPEN_COMPETITION, Route.PSR_COMPETITIVE])
def test_open_call_routes_take_single_organisation_applications(icb, org_a, alice, route):
    opportunity = new_opportunity(funder=icb, route=route, state=State.OPEN)
    assert services.start_application(actor=alice, opportunity=opportunity, organisation=org_a).pk


def test_an_alliance_only_takes_consortium_applications(icb, org_a, alice):
    alliance = new_opportunity(funder=icb, alliance=True, open=True)
    with pytest.raises(ValidationError) as exc:
        services.start_application(actor=alice, opportunity=alliance, organisation=org_a)
    assert exc.value.message_dict == {"as_consortium": [services.ALLIANCE_NEEDS_CONSORTIUM]}
    application = services.start_application(
        actor=alice, opportunity=alliance, organisation=org_a, as_consortium=True, consortium_name="Valley Alliance"
    )
    assert consortium_of(application).name == "Valley Alliance"
    founder = consortium_of(application).members.get()
    assert founder.organisation == org_a and founder.status == "confirmed"


def test_a_consortium_needs_a_name(grant, org_a, alice):
    with pytest.raises(ValidationError) as exc:
        services.start_application(
            actor=alice, opportunity=grant, organisation=org_a, as_consortium=True, consortium_name="  "
        )
    assert exc.value.message_dict == {"consortium_name": ["Enter a name for the consortium"]}


def test_the_funder_cannot_apply_to_itself(grant, icb, sid):
    with pytest.raises(ValidationError) as exc:
        services.start_application(actor=sid, opportunity=grant, organisation=icb)
    assert "Brackenmoor ICB is the funder of this opportunity, so it cannot apply" in messages(exc)


# Eligibility: each list limits who may apply; an empty list means anyone.


@pytest.mark.parametrize(
    ("kinds", "bands", "org_kind", "income", "eligible"),
    [
        ([], [], Organisation.Kind.PRIVATE, Decimal("5000000"), True),
        (["vcse"], [], Organisation.Kind.VCSE, Decimal("85000"), True),
        (["vcse"], [], Organisation.Kind.PRIVATE, Decimal("85000"), False),
        (["vcse", "other"], [], Organisation.Kind.OTHER, Decimal("85000"), True),
        ([], ["micro", "small"], Organisation.Kind.VCSE, Decimal("85000"), True),
        ([], ["micro", "small"], Organisation.Kind.VCSE, Decimal("150000"), False),
        ([], ["micro"], Organisation.Kind.VCSE, None, False),
        (["vcse"], ["small"], Organisation.Kind.VCSE, Decimal("85000"), True),
        (["vcse"], ["small"], Organisation.Kind.VCSE, Decimal("850000"), False),
    ],
)
def test_eligibility_by_kind_and_income_band(grant, kinds, bands, org_kind, income, eligible):
    grant.eligible_kinds, grant.eligible_income_bands = kinds, bands
    grant.save()
    organisation = cast(Organisation, OrganisationFactory(kind=org_kind, latest_annual_income=income))
    organisation.refresh_from_db()  # the income band is worked out by the database
    assert (rules.eligibility_problems(grant, organisation) == []) is eligible


def test_eligibility_messages_say_what_the_opportunity_is_for(grant):
    grant.eligible_kinds = ["vcse"]
    grant.eligible_income_bands = [IncomeBand.MICRO, IncomeBand.SMALL]
    grant.save()
    organisation = cast(
        Organisation, OrganisationFactory(name="Big Co", kind=Organisation.Kind.PRIVATE, latest_annual_income=2_000_000)
    )
    organisation.refresh_from_db()
    assert rules.eligibility_problems(grant, organisation) == [
        "Big Co cannot apply: this opportunity is only for Voluntary, community or social enterprise (VCSE) "
        "organisations",
        "Big Co cannot apply: this opportunity is only for organisations with an income that is Micro (under "
        "£10,000) or Small (£10,000 to £99,999). Big Co's income is Large (£1 million to £9.99 million)",
    ]


def test_eligibility_by_area(grant, org_a, alice):
    valley, coast = AreaFactory(name="Valley", slug="valley"), AreaFactory(name="Coast", slug="coast")
    grant.eligible_areas.set([valley])
    org_a.areas_served.set([coast])
    with pytest.raises(ValidationError) as exc:
        services.start_application(actor=alice, opportunity=grant, organisation=org_a)
    assert "it does not serve any of the areas this opportunity covers (Valley)" in messages(exc)[0]
    org_a.areas_served.add(valley)
    assert services.start_application(actor=alice, opportunity=grant, organisation=org_a).pk


# Saving the draft: the word limits are the server's


def test_a_draft_saves_answers_with_their_word_counts(draft, bob):
    saved = fill(draft, bob, first=120, second=80)
    assert saved.total_words == 200
    assert sorted(saved.answers.values_list("word_count", flat=True)) == [80, 120]
    assert saved.amount_requested == Decimal("5000")


def test_an_answer_over_its_limit_is_refused_and_nothing_is_saved(draft, alice):
    fill(draft, alice, first=10, second=10)
    q1, q2 = draft.opportunity.questions.all()
    with pytest.raises(ValidationError) as exc:
        services.save_draft(
            actor=alice,
            application=draft,
            amount_requested=Decimal("6000"),
            summary="changed",
            answers={q1.pk: words(20), q2.pk: words(163)},
        )
    assert exc.value.message_dict == {f"answer_{q2.pk}": ["Answer 2 must be 150 words or fewer (you have 163)"]}
    draft.refresh_from_db()
    assert draft.amount_requested == Decimal("5000") and draft.summary == "Lunch clubs"
    assert sorted(draft.answers.values_list("word_count", flat=True)) == [10, 10]


def test_answers_over_the_total_limit_are_refused(draft, alice):
    with pytest.raises(ValidationError) as exc:
        fill(draft, alice, first=150, second=150)
    assert exc.value.message_dict == {
        NON_FIELD_ERRORS: ["Your answers must be 250 words or fewer in total (you have 300)"]
    }
    assert not draft.answers.exists()


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (Decimal("10000.01"), "Amount must be £10,000.00 or less"),
        (Decimal("0"), "Amount must be more than £0"),
        (Decimal("12.345"), "Amount must be in pounds and pence, like 2500 or 2500.50"),
    ],
)
def test_the_amount_must_be_within_the_most_one_award_can_be(draft, alice, amount, message):
    with pytest.raises(ValidationError) as exc:
        fill(draft, alice, amount=amount)
    assert exc.value.message_dict == {"amount_requested": [message]}


def test_only_the_starting_organisation_changes_the_draft(draft, charlie):
    with pytest.raises(ValidationError) as exc:
        fill(draft, charlie)
    assert messages(exc) == ["Only members of Riverside Carers can change this application"]


def test_a_stale_form_does_not_overwrite_a_colleagues_save(draft, alice, bob):
    from cocommission.core.versioning import StaleFormError, version_of

    shown = version_of(draft)
    fill(draft, bob)
    with pytest.raises(StaleFormError):
        services.save_draft(
            actor=alice, application=draft, amount_requested=None, summary="", answers={}, version=shown
        )


def test_a_draft_cannot_be_changed_after_the_closing_time(draft, alice):
    later = draft.opportunity.closes_at + datetime.timedelta(seconds=1)
    with pytest.raises(ValidationError) as exc:
        services.save_draft(actor=alice, application=draft, amount_requested=None, summary="", answers={}, now=later)
    assert messages(exc)[0].endswith("Applications can no longer be changed.")


# Submitting


def test_submitting_snapshots_the_passport_and_records_the_timeline(draft, alice, org_a, icb):
    current = PassportDocument.objects.create(
        organisation=org_a,
        kind="safeguarding_policy",
        file="p/1",
        original_filename="s.pdf",
        content_type="application/pdf",
        size_bytes=10,
        is_current=True,
    )
    PassportDocument.objects.create(
        organisation=org_a,
        kind="accounts",
        file="p/2",
        original_filename="old.pdf",
        content_type="application/pdf",
        size_bytes=10,
        is_current=False,
    )
    fill(draft, alice, first=100, second=50)
    submitted = services.submit_application(actor=alice, application=draft)
    assert submitted.status == Application.Status.SUBMITTED
    assert submitted.submitted_at is not None and submitted.submitted_by == alice
    assert submitted.total_words == 150
    assert list(submitted.passport_documents.all()) == [current]
    entry = Interaction.objects.get(kind=Interaction.Kind.APPLICATION)
    assert {entry.organisation_a, entry.organisation_b} == {org_a, icb}
    assert entry.summary == f"Applied for £5,000.00 from {draft.opportunity.reference} Lunch clubs"
    assert (
        AuditEvent.objects.filter(
            object_type="commissioning.application", action="update", changes__status=["draft", "submitted"]
        ).count()
        == 1
    )


def test_a_second_submit_changes_nothing_and_duplicates_nothing(draft, alice, bob):
    fill(draft, alice)
    first = services.submit_application(actor=alice, application=draft)
    with pytest.raises(services.AlreadySubmitted) as exc:
        services.submit_application(actor=bob, application=draft)
    assert exc.value.application.submitted_at == first.submitted_at
    assert Application.objects.count() == 1
    assert Interaction.objects.filter(kind=Interaction.Kind.APPLICATION).count() == 1
    assert AuditEvent.objects.filter(changes__status=["draft", "submitted"]).count() == 1


def test_an_incomplete_draft_cannot_be_submitted(draft, alice):
    q1, q2 = draft.opportunity.questions.all()
    services.save_draft(actor=alice, application=draft, amount_requested=None, summary="", answers={q1.pk: "Yes"})
    with pytest.raises(ValidationError) as exc:
        services.submit_application(actor=alice, application=draft)
    assert exc.value.message_dict == {
        f"answer_{q2.pk}": ["Answer question 2"],
        "amount_requested": ["Enter the amount you are asking for"],
    }
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT


def test_a_late_submission_is_refused_and_the_draft_kept(draft, alice):
    fill(draft, alice)
    opportunity = draft.opportunity
    opportunity.closes_at = timezone.make_aware(datetime.datetime(2027, 3, 12, 17, 0))
    opportunity.save()
    late = opportunity.closes_at + datetime.timedelta(seconds=1)
    with pytest.raises(ValidationError) as exc:
        services.submit_application(actor=alice, application=draft, now=late)
    assert messages(exc) == ["The closing time was 5pm on 12 March 2027. Applications can no longer be submitted."]
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT and draft.answers.count() == 2


def test_limits_lowered_after_saving_are_enforced_at_submission(draft, alice):
    fill(draft, alice, first=100, second=100)
    draft.opportunity.questions.filter(order=1).update(word_limit=50)
    with pytest.raises(ValidationError) as exc:
        services.submit_application(actor=alice, application=draft)
    assert "Answer 1 must be 50 words or fewer (you have 100)" in messages(exc)


# Withdrawing and reopening


def test_withdraw_before_closing_then_reopen_and_submit_again(draft, alice, sid):
    fill(draft, alice)
    services.submit_application(actor=alice, application=draft)
    withdrawn = services.withdraw_application(actor=alice, application=draft)
    assert withdrawn.status == Application.Status.WITHDRAWN and withdrawn.submitted_at is None
    reopened = services.reopen_application(actor=alice, application=draft)
    assert reopened.status == Application.Status.DRAFT
    assert services.submit_application(actor=alice, application=draft).status == Application.Status.SUBMITTED
    assert AuditEvent.objects.filter(changes__status=["submitted", "withdrawn"]).count() == 1
    assert AuditEvent.objects.filter(changes__status=["withdrawn", "draft"]).count() == 1


def test_a_withdrawn_application_cannot_be_submitted_until_reopened(draft, alice):
    fill(draft, alice)
    services.withdraw_application(actor=alice, application=draft)
    with pytest.raises(ValidationError) as exc:
        services.submit_application(actor=alice, application=draft)
    assert messages(exc) == ["This application has been withdrawn. Reopen it before you submit it"]
    with pytest.raises(ValidationError):
        services.withdraw_application(actor=alice, application=draft)


def test_withdrawing_and_reopening_after_closing_are_refused(draft, alice):
    fill(draft, alice)
    services.submit_application(actor=alice, application=draft)
    later = draft.opportunity.closes_at + datetime.timedelta(hours=1)
    with pytest.raises(ValidationError) as exc:
        services.withdraw_application(actor=alice, application=draft, now=later)
    assert "Applications can no longer be withdrawn" in messages(exc)[0]
    services.withdraw_application(actor=alice, application=draft)
    with pytest.raises(ValidationError) as exc:
        services.reopen_application(actor=alice, application=draft, now=later)
    assert "Applications can no longer be reopened" in messages(exc)[0]


def test_only_the_applicant_withdraws(draft, alice, charlie):
    with pytest.raises(ValidationError):
        services.withdraw_application(actor=charlie, application=draft)
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT


def test_reopen_needs_a_withdrawn_application(draft, alice):
    with pytest.raises(ValidationError) as exc:
        services.reopen_application(actor=alice, application=draft)
    assert messages(exc) == ["Only a withdrawn application can be reopened"]


def test_govuk_time():
    aware = timezone.make_aware
    assert rules.govuk_time(aware(datetime.datetime(2027, 3, 12, 17, 0))) == "5pm on 12 March 2027"
    assert rules.govuk_time(aware(datetime.datetime(2027, 4, 1, 9, 30))) == "9:30am on 1 April 2027"
    assert rules.govuk_time(aware(datetime.datetime(2027, 4, 1, 12, 0))) == "midday on 1 April 2027"


@pytest.mark.django_db(transaction=True)
def test_two_submits_at_the_same_moment_make_one_submission(icb, org_a, alice, bob):
    """Two people pressing Submit at once: the row lock lets one through; the other is told it
    was already submitted. Only PostgreSQL locks rows, so only there is this a real race."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    opportunity = new_opportunity(funder=icb, open=True, grant=True)
    question = cast(Question, QuestionFactory(opportunity=opportunity, word_limit=50))
    draft = services.start_application(actor=alice, opportunity=opportunity, organisation=org_a)
    services.save_draft(
        actor=alice, application=draft, amount_requested=Decimal("500"), summary="", answers={question.id: "Yes"}
    )

    def submit(actor):
        try:
            services.submit_application(actor=actor, application=draft)
            return "submitted"
        except services.AlreadySubmitted:
            return "already"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(pool.map(submit, [alice, bob]))
    assert outcomes == ["already", "submitted"]
    assert Interaction.objects.filter(kind=Interaction.Kind.APPLICATION).count() == 1
    assert AuditEvent.objects.filter(changes__status=["draft", "submitted"]).count() == 1
