"""Consortia: inviting members, confirming, the accountability matrix and its shares, and what
stops a consortium application being submitted."""

import itertools
from decimal import Decimal
from typing import cast

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from cocommission.commissioning.models import Application, ConsortiumMember
from cocommission.commissioning.services import applications, consortia
from cocommission.commissioning.services.application_rules import percent, share_problems
from cocommission.commissioning.services.consortia import MatrixRow
from cocommission.commissioning.tests.factories import OutcomeFactory, QuestionFactory, consortium_of, new_opportunity
from cocommission.core.models import AuditEvent
from cocommission.organisations.models import Interaction, Membership, Organisation
from cocommission.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def org_c(db):
    return OrganisationFactory(name="Valley Mind", slug="valley-mind")


@pytest.fixture
def dana(org_c):
    """dana: admin of Valley Mind."""
    return MembershipFactory(organisation=org_c, admin=True, user__email="dana@example.org").user


def _open(icb, **kwargs):
    opportunity = new_opportunity(funder=icb, open=True, **kwargs)
    QuestionFactory(opportunity=opportunity, word_limit=100, order=1)
    return opportunity


@pytest.fixture
def alliance(icb):
    return _open(icb, alliance=True)


@pytest.fixture
def outcomes(alliance):
    return [
        OutcomeFactory(opportunity=alliance, text="Fewer people feel alone"),
        OutcomeFactory(opportunity=alliance, text="More people get out each week"),
        OutcomeFactory(opportunity=alliance, text="A proposal nobody agreed", proposed=True),
    ]


@pytest.fixture
def application(alliance, org_a, alice):
    return applications.start_application(
        actor=alice, opportunity=alliance, organisation=org_a, as_consortium=True, consortium_name="Valley Alliance"
    )


def member_of(application, organisation) -> ConsortiumMember:
    return consortium_of(application).members.get(organisation=organisation)


def matrix(application, shares: dict[Organisation, tuple[str, str, list]]) -> dict[int, MatrixRow]:
    return {
        member_of(application, org).pk: MatrixRow(
            outcome_ids=frozenset(o.pk for o in outs), budget_share=D(budget), risk_share=D(risk)
        )
        for org, (budget, risk, outs) in shares.items()
    }


@pytest.fixture
def ready(application, alice, org_a, org_b, charlie, outcomes):
    """A consortium of two confirmed members with a complete matrix and a complete draft."""
    consortia.invite_member(actor=alice, application=application, organisation=org_b)
    consortia.update_matrix(
        actor=alice,
        application=application,
        rows=matrix(application, {org_a: ("60", "50", [outcomes[0]]), org_b: ("40", "50", [outcomes[1]])}),
        lead_organisation_id=None,
    )
    consortia.respond_to_invitation(actor=charlie, member=member_of(application, org_b), accept=True)
    (question,) = application.opportunity.questions.all()
    applications.save_draft(
        actor=alice, application=application, amount_requested=D("8000"), summary="", answers={question.pk: "We will"}
    )
    return application


# Inviting and responding


def test_the_starting_organisation_invites_and_the_member_admin_confirms(application, alice, charlie, org_b):
    member = consortia.invite_member(actor=alice, application=application, organisation=org_b)
    assert member.status == ConsortiumMember.Status.INVITED
    confirmed = consortia.respond_to_invitation(actor=charlie, member=member, accept=True)
    assert confirmed.status == ConsortiumMember.Status.CONFIRMED and confirmed.responded_at
    # Both organisations' histories show the invitation and the answer.
    for org in (application.organisation, org_b):
        events = AuditEvent.objects.filter(
            object_type="commissioning.consortiummember", object_id=str(member.pk), organisation_id=org.pk
        )
        assert list(events.values_list("action", flat=True)) == ["update", "create"]


def test_inviting_twice_is_refused_but_a_declined_member_can_be_invited_again(application, alice, charlie, org_b):
    member = consortia.invite_member(actor=alice, application=application, organisation=org_b)
    with pytest.raises(ValidationError) as exc:
        consortia.invite_member(actor=alice, application=application, organisation=org_b)
    assert exc.value.message_dict == {"organisation": ["Hillside Food Bank is already part of the consortium"]}
    consortia.respond_to_invitation(actor=charlie, member=member, accept=False)
    again = consortia.invite_member(actor=alice, application=application, organisation=org_b)
    assert again.pk == member.pk and again.status == ConsortiumMember.Status.INVITED


def test_members_must_be_eligible_and_not_the_funder(application, alice, icb):
    application.opportunity.eligible_kinds = ["vcse"]
    application.opportunity.save()
    with pytest.raises(ValidationError) as exc:
        consortia.invite_member(actor=alice, application=application, organisation=icb)
    assert "Brackenmoor ICB is the funder of this opportunity, so it cannot apply" in exc.value.messages


def test_only_the_starting_organisation_invites(application, charlie, org_c):
    with pytest.raises(ValidationError) as exc:
        consortia.invite_member(actor=charlie, application=application, organisation=org_c)
    assert exc.value.messages == ["Only members of Riverside Carers can change this application"]


def test_a_single_organisation_application_has_no_consortium(icb, org_a, alice, org_b):
    grant = _open(icb, grant=True)
    single = applications.start_application(actor=alice, opportunity=grant, organisation=org_a)
    with pytest.raises(ValidationError) as exc:
        consortia.invite_member(actor=alice, application=single, organisation=org_b)
    assert exc.value.messages == ["This application is from one organisation, not a consortium"]


def test_only_an_admin_of_the_member_responds(application, alice, org_b, org_a, charlie):
    member = consortia.invite_member(actor=alice, application=application, organisation=org_b)
    colleague = cast(Membership, MembershipFactory(organisation=org_b)).user  # a member, not an admin
    for actor in (alice, colleague):
        with pytest.raises(ValidationError) as exc:
            consortia.respond_to_invitation(actor=actor, member=member, accept=True)
        assert exc.value.messages == ["Only an admin of Hillside Food Bank can confirm or decline for it"]


def test_the_starting_organisation_cannot_leave_its_own_consortium(application, alice, org_a):
    with pytest.raises(ValidationError) as exc:
        consortia.respond_to_invitation(actor=alice, member=member_of(application, org_a), accept=False)
    assert "Withdraw the application instead" in exc.value.messages[0]


def test_nothing_changes_once_submitted(ready, alice, charlie, org_b, org_c):
    applications.submit_application(actor=alice, application=ready)
    with pytest.raises(ValidationError) as exc:
        consortia.invite_member(actor=alice, application=ready, organisation=org_c)
    assert exc.value.messages == ["This application is submitted, so its consortium cannot change"]
    with pytest.raises(ValidationError):
        consortia.respond_to_invitation(actor=charlie, member=member_of(ready, org_b), accept=False)


# The accountability matrix


def test_shares_not_adding_up_to_100_are_refused_and_nothing_is_saved(application, alice, org_a, org_b, outcomes):
    consortia.invite_member(actor=alice, application=application, organisation=org_b)
    with pytest.raises(ValidationError) as exc:
        consortia.update_matrix(
            actor=alice,
            application=application,
            rows=matrix(application, {org_a: ("50", "60", []), org_b: ("40", "50", [])}),
            lead_organisation_id=None,
        )
    assert exc.value.message_dict == {
        NON_FIELD_ERRORS: [
            "Budget shares add up to 90%. They must add up to 100%",
            "Risk shares add up to 110%. They must add up to 100%",
        ]
    }
    assert set(consortium_of(application).members.values_list("budget_share", flat=True)) == {D("0")}


def test_only_agreed_outcomes_can_be_taken_on(application, alice, org_a, outcomes):
    with pytest.raises(ValidationError) as exc:
        consortia.update_matrix(
            actor=alice,
            application=application,
            rows=matrix(application, {org_a: ("100", "100", [outcomes[2]])}),
            lead_organisation_id=None,
        )
    assert exc.value.message_dict == {
        f"outcomes_{member_of(application, org_a).pk}": ["Select only agreed outcomes for Riverside Carers"]
    }


def test_every_member_needs_a_row(application, alice, org_a, org_b):
    consortia.invite_member(actor=alice, application=application, organisation=org_b)
    with pytest.raises(ValidationError) as exc:
        consortia.update_matrix(
            actor=alice,
            application=application,
            rows=matrix(application, {org_a: ("100", "100", [])}),
            lead_organisation_id=None,
        )
    assert exc.value.messages == ["Enter the shares for Hillside Food Bank"]


def test_an_alliance_has_no_lead(application, alice, org_a):
    with pytest.raises(ValidationError) as exc:
        consortia.update_matrix(
            actor=alice,
            application=application,
            rows=matrix(application, {org_a: ("100", "100", [])}),
            lead_organisation_id=org_a.pk,
        )
    assert exc.value.message_dict == {
        "lead": ["An alliance has no lead: every member shares the accountability. Select no lead"]
    }


def test_other_consortia_may_have_a_lead_from_among_their_members(icb, org_a, org_b, org_c, alice):
    competition = _open(icb, open_competition=True)
    application = applications.start_application(
        actor=alice, opportunity=competition, organisation=org_a, as_consortium=True, consortium_name="Together"
    )
    consortia.invite_member(actor=alice, application=application, organisation=org_b)
    rows = matrix(application, {org_a: ("70", "70", []), org_b: ("30", "30", [])})
    with pytest.raises(ValidationError) as exc:
        consortia.update_matrix(actor=alice, application=application, rows=rows, lead_organisation_id=org_c.pk)
    assert exc.value.message_dict == {"lead": ["Select a member of the consortium as the lead, or no lead"]}
    consortia.update_matrix(actor=alice, application=application, rows=rows, lead_organisation_id=org_b.pk)
    consortium_of(application).refresh_from_db()
    assert consortium_of(application).lead == org_b
    consortia.update_matrix(actor=alice, application=application, rows=rows, lead_organisation_id=None)
    consortium_of(application).refresh_from_db()
    assert consortium_of(application).lead is None


def test_changing_a_confirmed_members_row_asks_it_to_confirm_again(ready, alice, org_a, org_b, outcomes):
    result = consortia.update_matrix(
        actor=alice,
        application=ready,
        rows=matrix(ready, {org_a: ("50", "20", [outcomes[0]]), org_b: ("50", "80", [outcomes[1]])}),
        lead_organisation_id=None,
    )
    assert result.reconfirm == [org_b]
    assert member_of(ready, org_b).status == ConsortiumMember.Status.INVITED
    assert member_of(ready, org_a).status == ConsortiumMember.Status.CONFIRMED
    event = AuditEvent.objects.filter(object_type="commissioning.consortiummember", organisation_id=org_b.pk)[0]
    assert event.changes["risk_share"] == ["50.00", "80.00"]
    assert event.changes["status"] == ["confirmed", "invited"]


def test_saving_the_same_matrix_again_asks_nobody_to_confirm_again(ready, alice, org_a, org_b, outcomes):
    rows = matrix(ready, {org_a: ("60", "50", [outcomes[0]]), org_b: ("40", "50", [outcomes[1]])})
    assert consortia.update_matrix(actor=alice, application=ready, rows=rows, lead_organisation_id=None).reconfirm == []
    assert member_of(ready, org_b).status == ConsortiumMember.Status.CONFIRMED


# Submitting a consortium application


def test_a_complete_consortium_submits_and_every_member_gets_a_timeline_entry(ready, alice, org_a, org_b, icb):
    submitted = applications.submit_application(actor=alice, application=ready)
    assert submitted.status == Application.Status.SUBMITTED
    entries = Interaction.objects.filter(kind=Interaction.Kind.APPLICATION)
    assert {frozenset({e.organisation_a_id, e.organisation_b_id}) for e in entries} == {
        frozenset({org_a.pk, icb.pk}),
        frozenset({org_b.pk, icb.pk}),
    }
    assert all("as part of Valley Alliance" in e.summary for e in entries)


def test_a_member_that_has_not_confirmed_stops_submission(ready, alice, org_c, outcomes, org_a, org_b):
    consortia.invite_member(actor=alice, application=ready, organisation=org_c)
    consortia.update_matrix(
        actor=alice,
        application=ready,
        rows=matrix(
            ready,
            {org_a: ("60", "50", [outcomes[0]]), org_b: ("40", "50", [outcomes[1]]), org_c: ("0", "0", [])},
        ),
        lead_organisation_id=None,
    )
    with pytest.raises(ValidationError) as exc:
        applications.submit_application(actor=alice, application=ready)
    assert "Valley Mind has not confirmed that it is part of the consortium yet" in exc.value.messages


def test_a_member_declining_breaks_the_shares_and_stops_submission(ready, alice, charlie, org_b):
    consortia.respond_to_invitation(actor=charlie, member=member_of(ready, org_b), accept=False)
    with pytest.raises(ValidationError) as exc:
        applications.submit_application(actor=alice, application=ready)
    assert exc.value.messages == [
        "A consortium needs at least 2 members that have confirmed. Invite another organisation",
        "Budget shares add up to 60%. They must add up to 100%",
        "Risk shares add up to 50%. They must add up to 100%",
        "No member delivers the outcome “More people get out each week”. Say which member delivers it",
    ]
    ready.refresh_from_db()
    assert ready.status == Application.Status.DRAFT


def test_a_lead_that_leaves_is_no_longer_the_lead(icb, org_a, org_b, alice, charlie):
    competition = _open(icb, open_competition=True)
    application = applications.start_application(
        actor=alice, opportunity=competition, organisation=org_a, as_consortium=True, consortium_name="Together"
    )
    member = consortia.invite_member(actor=alice, application=application, organisation=org_b)
    rows = matrix(application, {org_a: ("70", "70", []), org_b: ("30", "30", [])})
    consortia.update_matrix(actor=alice, application=application, rows=rows, lead_organisation_id=org_b.pk)
    consortia.respond_to_invitation(actor=charlie, member=member, accept=False)
    consortium_of(application).refresh_from_db()
    assert consortium_of(application).lead is None


# Shares: exactly 100.00, whatever the number of members


@st.composite
def shares_summing_to_100(draw: st.DrawFn) -> list[Decimal]:
    """Any split of 10,000 hundredths into 1 to 8 parts."""
    cuts = sorted(draw(st.lists(st.integers(min_value=0, max_value=10_000), min_size=0, max_size=7)))
    bounds = [0, *cuts, 10_000]
    return [Decimal(high - low) / 100 for low, high in itertools.pairwise(bounds)]


@given(budget=shares_summing_to_100(), risk=shares_summing_to_100())
def test_any_shares_adding_up_to_100_pass(budget, risk):
    assert share_problems(budget_shares=budget, risk_shares=risk) == []


@given(
    budget=st.lists(
        st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False), min_size=1, max_size=8
    ).filter(lambda shares: sum(shares) != 100)
)
def test_shares_not_adding_up_to_100_fail(budget):
    problems = share_problems(budget_shares=budget, risk_shares=[Decimal("100")])
    assert len(problems) == 1 and problems[0].startswith("Budget shares add up to")
    assert problems[0].endswith("They must add up to 100%")


@given(
    share=st.decimals(min_value=0, max_value=100, allow_nan=False, allow_infinity=False).filter(
        lambda d: d != d.quantize(Decimal("0.01"))
    )
)
def test_shares_with_more_than_two_decimal_places_fail(share):
    rest = Decimal(100) - share
    problems = share_problems(budget_shares=[share, rest], risk_shares=[Decimal("100")])
    assert problems == ["Budget shares must have no more than 2 decimal places, like 33.33"]


def test_percentages_read_naturally():
    assert percent(D("90")) == "90%"
    assert percent(D("90.50")) == "90.5%"
    assert percent(D("33.33")) == "33.33%"
