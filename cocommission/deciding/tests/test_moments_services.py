"""Decision moment services: opening, responding, objections, closing with each method, the
quorum, who was in the room, and the relationship timeline."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from cocommission.core.models import AuditEvent
from cocommission.deciding.models import DecisionMoment, DecisionOption, Response, Voice
from cocommission.deciding.services.moments import close_moment, open_moment, resolve_objection, respond
from cocommission.needs.tests.factories import PriorityFactory
from cocommission.organisations.models import Interaction
from cocommission.organisations.tests.factories import MembershipFactory, OrganisationFactory
from cocommission.partnerships.models import PartnershipPerson, Sector
from cocommission.partnerships.tests.factories import (
    PartnershipFactory,
    PartnershipOrganisationFactory,
    PartnershipPersonFactory,
)

pytestmark = pytest.mark.django_db
Method = DecisionMoment.Method


def seat(partnership, user, organisation=None) -> PartnershipPerson:
    return PartnershipPersonFactory.create(partnership=partnership, user=user, organisation=organisation)


@pytest.fixture
def people(partnership, icb, sid, alice, charlie, org_a, org_b, cora, lena):
    """sid (statutory, the ICB), alice (VCSE, A), charlie (VCSE, B) as partnership people."""
    seat(partnership, sid, icb)
    seat(partnership, alice, org_a)
    seat(partnership, charlie, org_b)
    return partnership


def make(partnership, cora, method=Method.BALANCED_VOTE, **kwargs) -> DecisionMoment:
    defaults = {
        "subject": DecisionMoment.Subject.FUNDING,
        "title": "Winter warmth fund",
        "question": "How should the winter warmth fund be shared?",
        "method": method,
    }
    if method == Method.BALANCED_VOTE:
        defaults["options"] = ["Warm spaces", "Fuel vouchers"]
    else:
        defaults["proposal"] = "Fund warm spaces in every ward"
    defaults.update(kwargs)
    return open_moment(actor=cora, partnership=partnership, **defaults)


def option(moment: DecisionMoment, number: int) -> DecisionOption:
    return moment.options.get(position=number)


class TestOpening:
    def test_a_vote_gets_its_options_in_order(self, people, cora):
        moment = make(people, cora, options=["Warm spaces", "  ", "Fuel vouchers", "Both, half each"])
        assert [o.label for o in moment.options.all()] == ["Warm spaces", "Fuel vouchers", "Both, half each"]
        assert moment.status == "open" and moment.created_by == cora
        assert AuditEvent.objects.filter(object_type="deciding.decisionmoment", partnership_id=people.pk).exists()

    def test_consensus_and_consent_decide_on_one_proposal(self, people, cora):
        moment = make(people, cora, Method.CONSENT)
        assert [o.label for o in moment.options.all()] == ["Fund warm spaces in every ward"]

    @pytest.mark.parametrize(
        ("kwargs", "field", "message"),
        [
            ({"options": ["Only one"]}, "options", "Enter at least two options for a vote, one a line"),
            ({"options": ["Same", "same"]}, "options", "Each option must be different"),
            ({"method": Method.CONSENSUS, "proposal": ""}, "proposal", "Enter the proposal people will respond to"),
            ({"title": " "}, "title", "Enter a title"),
            ({"question": ""}, "question", "Enter the question being decided"),
            ({"subject": DecisionMoment.Subject.PRIORITY}, "priority", "Select the priority this decision is about"),
            ({"closes_on": datetime.date(2020, 1, 1)}, "closes_on", "The closing date must be today or in the future"),
            ({"method": "coin_toss"}, "method", "Select how the decision will be made"),
        ],
    )
    def test_bad_input_is_refused_on_its_field(self, people, cora, kwargs, field, message):
        with pytest.raises(ValidationError) as caught:
            make(people, cora, **kwargs)
        assert caught.value.message_dict[field] == [message]
        assert not DecisionMoment.objects.exists() and not DecisionOption.objects.exists()

    def test_a_priority_of_another_partnership_is_refused(self, people, cora):
        elsewhere = PriorityFactory.create(partnership=PartnershipFactory.create())
        with pytest.raises(ValidationError) as caught:
            make(people, cora, subject=DecisionMoment.Subject.PRIORITY, priority=elsewhere)
        assert caught.value.message_dict["priority"] == ["Select one of this partnership's priorities"]

    def test_about_a_priority(self, people, cora):
        priority = PriorityFactory.create(partnership=people)
        moment = make(people, cora, subject=DecisionMoment.Subject.PRIORITY, priority=priority)
        assert moment.priority == priority

    def test_the_lived_experience_quorum_defaults_to_the_partnerships_rule(self, people, cora):
        assert make(people, cora).require_lived_experience is False
        people.lived_experience_in_quorum = True
        people.save()
        assert make(people, cora).require_lived_experience is True
        assert make(people, cora, require_lived_experience=False).require_lived_experience is False


class TestResponding:
    def test_the_voice_is_worked_out_and_kept(self, people, cora, sid, alice, lena, icb):
        moment = make(people, cora)
        mine = respond(actor=sid, moment=moment, option_id=option(moment, 1).pk)
        assert (mine.voice, mine.organisation, mine.position) == (Voice.STATUTORY, icb, "vote")
        hers = respond(actor=lena, moment=moment, option_id=option(moment, 2).pk)
        assert (hers.voice, hers.organisation, hers.lived_experience) == (Voice.LIVED_EXPERIENCE, None, True)
        assert respond(actor=alice, moment=moment, option_id=option(moment, 2).pk).voice == Voice.VCSE

    def test_a_response_can_be_changed_while_open_and_stays_one(self, people, cora, sid):
        moment = make(people, cora)
        respond(actor=sid, moment=moment, option_id=option(moment, 1).pk)
        respond(actor=sid, moment=moment, option_id=option(moment, 2).pk, reason="Changed my mind")
        response = Response.objects.get(moment=moment)
        assert (response.option, response.reason) == (option(moment, 2), "Changed my mind")

    def test_the_audit_log_says_someone_responded_but_not_what(self, people, cora, sid):
        moment = make(people, cora, Method.CONSENSUS)
        respond(actor=sid, moment=moment, position="block", reason="Not with this budget")
        event = AuditEvent.objects.get(object_type="deciding.response")
        assert event.changes == {} and "block" not in event.object_label.lower()
        assert event.object_label == "A response to “Winter warmth fund”"

    def test_a_block_needs_a_reason_and_an_objection_too(self, people, cora, sid):
        consensus = make(people, cora, Method.CONSENSUS)
        with pytest.raises(ValidationError) as caught:
            respond(actor=sid, moment=consensus, position="block", reason=" ")
        assert caught.value.message_dict == {"reason": ["Enter why you are blocking the proposal"]}
        consent = make(people, cora, Method.CONSENT)
        with pytest.raises(ValidationError) as caught:
            respond(actor=sid, moment=consent, position="object")
        assert caught.value.message_dict == {"reason": ["Enter your objection"]}
        assert not Response.objects.exists()

    def test_a_position_of_another_method_is_refused(self, people, cora, sid):
        with pytest.raises(ValidationError) as caught:
            respond(actor=sid, moment=make(people, cora, Method.CONSENT), position="agree")
        assert caught.value.message_dict == {"position": ["Select your response"]}

    def test_an_option_from_another_moment_is_refused(self, people, cora, sid):
        moment, other = make(people, cora), make(people, cora, title="Another")
        with pytest.raises(ValidationError) as caught:
            respond(actor=sid, moment=moment, option_id=option(other, 1).pk)
        assert caught.value.message_dict == {"option": ["Select one of the options"]}
        assert not Response.objects.exists()

    def test_a_non_member_is_refused(self, people, cora, bob, org_b):
        moment = make(people, cora)
        outsider = MembershipFactory.create(organisation=OrganisationFactory.create()).user
        for person in (bob, outsider):  # bob belongs through organisation A only
            with pytest.raises(ValidationError, match="Only the partnership's members can respond"):
                respond(actor=person, moment=moment, option_id=option(moment, 1).pk)
        assert not Response.objects.exists()

    def test_a_response_after_close_is_refused(self, people, cora, sid, alice):
        moment = make(people, cora)
        respond(actor=sid, moment=moment, option_id=option(moment, 1).pk)
        respond(actor=alice, moment=moment, option_id=option(moment, 1).pk)
        close_moment(actor=cora, moment=moment, reasons="Agreed.")
        with pytest.raises(ValidationError, match="This decision has closed"):
            respond(actor=alice, moment=moment, option_id=option(moment, 2).pk)
        assert Response.objects.get(moment=moment, person=alice).option == option(moment, 1)


class TestObjections:
    def test_resolving_then_rewording_reopens(self, people, cora, sid):
        moment = make(people, cora, Method.CONSENT)
        objection = respond(actor=sid, moment=moment, position="object", reason="The budget is unclear")
        assert objection.objection == "open"
        resolve_objection(actor=cora, moment=moment, response=objection, outcome="resolved", note="Budget shared")
        objection.refresh_from_db()
        assert (objection.objection, objection.objection_note) == ("resolved", "Budget shared")
        same = respond(actor=sid, moment=moment, position="object", reason="The budget is unclear")
        assert same.objection == "resolved"  # saving it again unchanged keeps the resolution
        reworded = respond(actor=sid, moment=moment, position="object", reason="The budget is still unclear")
        assert (reworded.objection, reworded.objection_note) == ("open", "")
        consented = respond(actor=sid, moment=moment, position="consent")
        assert consented.objection == ""

    def test_a_note_and_an_outcome_are_needed(self, people, cora, sid):
        moment = make(people, cora, Method.CONSENT)
        objection = respond(actor=sid, moment=moment, position="object", reason="Too soon")
        with pytest.raises(ValidationError) as caught:
            resolve_objection(actor=cora, moment=moment, response=objection, outcome="ignored", note="")
        assert set(caught.value.message_dict) == {"outcome", "note"}

    def test_only_an_objection_to_this_moment(self, people, cora, sid):
        moment = make(people, cora, Method.CONSENT)
        consent = respond(actor=sid, moment=moment, position="consent")
        with pytest.raises(ValidationError, match="not an objection"):
            resolve_objection(actor=cora, moment=moment, response=consent, outcome="resolved", note="n/a")


def vote_in(moment, votes) -> None:
    for person, number in votes:
        respond(actor=person, moment=moment, option_id=option(moment, number).pk)


class TestClosing:
    def test_the_quorum_needs_a_vcse_member(self, people, cora, sid, lena):
        moment = make(people, cora)
        vote_in(moment, [(sid, 1), (lena, 1)])
        with pytest.raises(ValidationError) as caught:
            close_moment(actor=cora, moment=moment, reasons="Agreed.")
        assert caught.value.messages == ["The quorum is not met: no VCSE member has responded"]
        moment.refresh_from_db()
        assert (moment.status, moment.result, moment.tally) == ("open", "", {})

    def test_the_quorum_can_need_lived_experience(self, people, cora, sid, alice):
        moment = make(people, cora, require_lived_experience=True)
        vote_in(moment, [(sid, 1), (alice, 1)])
        with pytest.raises(ValidationError, match="nobody with lived experience has responded"):
            close_moment(actor=cora, moment=moment, reasons="Agreed.")

    def test_reasons_are_needed_and_the_review_date_must_be_ahead(self, people, cora, sid, alice, today):
        moment = make(people, cora)
        vote_in(moment, [(sid, 1), (alice, 1)])
        with pytest.raises(ValidationError) as caught:
            close_moment(actor=cora, moment=moment, reasons=" ", review_on=today)
        assert caught.value.message_dict == {
            "reasons": ["Enter the reasons for the decision"],
            "review_on": ["The review date must be in the future"],
        }

    def test_a_blocked_consensus(self, people, cora, sid, alice, lena, today):
        tomorrow = today + datetime.timedelta(days=1)
        moment = make(people, cora, Method.CONSENSUS)
        respond(actor=sid, moment=moment, position="agree")
        respond(actor=alice, moment=moment, position="stand_aside")
        respond(actor=lena, moment=moment, position="block", reason="It moves the drop-in out of reach.")
        closed = close_moment(actor=cora, moment=moment, reasons="Blocked; back to design.", review_on=tomorrow)
        assert (closed.status, closed.result, closed.chosen_option) == ("closed", "blocked", None)
        assert closed.tally["blocks"][0]["reason"] == "It moves the drop-in out of reach."
        assert closed.tally["blocks"][0]["by"] == "Lived experience"
        assert (closed.review_on, closed.closed_by, closed.reasons) == (tomorrow, cora, "Blocked; back to design.")

    def test_an_adopted_consensus_chooses_the_proposal(self, people, cora, sid, alice):
        moment = make(people, cora, Method.CONSENSUS)
        respond(actor=sid, moment=moment, position="agree")
        respond(actor=alice, moment=moment, position="agree")
        closed = close_moment(actor=cora, moment=moment, reasons="Everyone agreed.")
        assert (closed.result, closed.chosen_option) == ("adopted", option(moment, 1))

    def test_consent_cannot_close_with_an_open_objection(self, people, cora, sid, alice):
        moment = make(people, cora, Method.CONSENT)
        objection = respond(actor=sid, moment=moment, position="object", reason="Cost")
        respond(actor=alice, moment=moment, position="consent")
        with pytest.raises(ValidationError) as caught:
            close_moment(actor=cora, moment=moment, reasons="Going ahead.")
        assert caught.value.messages == [
            "Mark each objection resolved or recorded before closing: 1 objection is still open"
        ]
        resolve_objection(actor=cora, moment=moment, response=objection, outcome="recorded", note="Noted; we go ahead")
        closed = close_moment(actor=cora, moment=moment, reasons="Going ahead.")
        assert closed.result == "adopted"
        assert closed.tally["objections"][0]["note"] == "Noted; we go ahead"

    def test_a_sector_balanced_vote_where_counting_heads_differs(self, people, cora, sid, alice, charlie, lena):
        moment = make(people, cora)
        vote_in(moment, [(alice, 1), (charlie, 1), (sid, 2), (lena, 2)])
        extra = [
            seat(people, MembershipFactory.create(organisation=org).user, org).user
            for org in (alice.memberships.first().organisation, charlie.memberships.first().organisation)
        ]
        vote_in(moment, [(person, 1) for person in extra])
        closed = close_moment(actor=cora, moment=moment, reasons="Balanced by sector.")
        # Raw: 4 for warm spaces, 2 for vouchers. Balanced: VCSE 1, statutory 1 + lived experience 1.
        assert (closed.result, closed.chosen_option) == ("adopted", option(moment, 2))
        assert closed.tally["raw_winner"] == option(moment, 1).pk and closed.tally["differs"] is True
        assert closed.room == {
            "statutory": 1,
            "vcse": 4,
            "lived_experience": 1,
            "other": 0,
            "with_lived_experience": 1,
            "total": 6,
        }

    def test_a_tied_vote(self, people, cora, sid, alice):
        moment = make(people, cora)
        vote_in(moment, [(sid, 1), (alice, 2)])
        closed = close_moment(actor=cora, moment=moment, reasons="No option carried; we will talk again.")
        assert (closed.result, closed.chosen_option) == ("tied", None)

    def test_closing_twice_is_refused(self, people, cora, sid, alice):
        moment = make(people, cora)
        vote_in(moment, [(sid, 1), (alice, 1)])
        close_moment(actor=cora, moment=moment, reasons="Agreed.")
        with pytest.raises(ValidationError, match="already closed"):
            close_moment(actor=cora, moment=moment, reasons="Again.")

    def test_timeline_entries_link_each_statutory_responder_with_each_other_one(
        self, people, cora, sid, alice, charlie, lena, icb, org_a, org_b, today
    ):
        council = OrganisationFactory.create(statutory=True)
        PartnershipOrganisationFactory.create(partnership=people, organisation=council, sector=Sector.STATUTORY)
        officer = seat(people, MembershipFactory.create(organisation=council).user, council).user
        moment = make(people, cora)
        vote_in(moment, [(sid, 1), (officer, 1), (alice, 2), (charlie, 2), (lena, 1)])
        close_moment(actor=cora, moment=moment, reasons="Agreed.")
        entries = Interaction.objects.filter(kind=Interaction.Kind.DECISION_MOMENT)
        pairs = {frozenset((e.organisation_a_id, e.organisation_b_id)) for e in entries}
        assert pairs == {
            frozenset((icb.pk, council.pk)),
            frozenset((icb.pk, org_a.pk)),
            frozenset((icb.pk, org_b.pk)),
            frozenset((council.pk, org_a.pk)),
            frozenset((council.pk, org_b.pk)),
        }  # never between two VCSE organisations
        entry = entries[0]
        assert entry.partnership == people and entry.occurred_on == today
        assert "Winter warmth fund" in entry.summary and "adopted “Warm spaces”" in entry.summary


def _at_once(count: int, action) -> list[str]:
    barrier = threading.Barrier(count)
    outcomes: list[str] = []

    def run() -> None:
        try:
            barrier.wait()
            action()
            outcomes.append("done")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True)
def test_ten_closes_and_ten_double_clicks_at_once(partnership, icb, sid, alice, org_a, cora):
    """The moment's row lock lets one close happen (and one set of timeline entries), and makes
    a person's simultaneous first responses one response. Only PostgreSQL locks rows."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    seat(partnership, sid, icb)
    seat(partnership, alice, org_a)
    moment = make(partnership, cora)
    first = option(moment, 1).pk
    assert _at_once(10, lambda: respond(actor=alice, moment=moment, option_id=first)) == ["done"] * 10
    respond(actor=sid, moment=moment, option_id=first)
    assert Response.objects.filter(moment=moment).count() == 2
    assert (
        _at_once(10, lambda: close_moment(actor=cora, moment=moment, reasons="Agreed.")) == ["done"] + ["refused"] * 9
    )
    assert Interaction.objects.filter(kind=Interaction.Kind.DECISION_MOMENT).count() == 1
