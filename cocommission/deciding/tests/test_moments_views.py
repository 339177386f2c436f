"""Decision moment pages: who may open, respond and close; what each person sees while it is
open and once it closes; and that refusals keep what was typed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cocommission.deciding.models import DecisionMoment, Response
from cocommission.deciding.services.moments import close_moment, open_moment, respond
from cocommission.deciding.tests.factories import DecisionMomentFactory
from cocommission.organisations.tests.factories import MembershipFactory, OrganisationFactory
from cocommission.partnerships.tests.factories import PartnershipPersonFactory

pytestmark = pytest.mark.django_db
Method = DecisionMoment.Method


@pytest.fixture
def people(partnership, icb, sid, alice, charlie, org_a, org_b, cora, lena, mfa_off):
    for user, organisation in ((sid, icb), (alice, org_a), (charlie, org_b)):
        PartnershipPersonFactory.create(partnership=partnership, user=user, organisation=organisation)
    return partnership


@pytest.fixture
def outsider(db):
    return MembershipFactory.create(organisation=OrganisationFactory.create()).user


def vote(partnership, cora, **kwargs) -> DecisionMoment:
    return open_moment(
        actor=cora,
        partnership=partnership,
        subject="funding",
        title="Winter warmth fund",
        question="How should the fund be shared?",
        method=Method.BALANCED_VOTE,
        options=["Warm spaces", "Fuel vouchers"],
        **kwargs,
    )


def url(name: str, moment: DecisionMoment, **extra) -> str:
    return reverse(f"deciding:{name}", kwargs={"slug": moment.partnership.slug, "pk": moment.pk, **extra})


def first(moment, number=1) -> int:
    return moment.options.get(position=number).pk


class TestOpening:
    def test_the_coordinator_opens_a_vote(self, client, people, cora):
        client.force_login(cora)
        new = reverse("deciding:moment_new", kwargs={"slug": people.slug})
        assert "Open a decision" in client.get(new).content.decode()
        response = client.post(
            new,
            {
                "subject": "design",
                "title": "Design of the recovery café",
                "question": "Which model should the café follow?",
                "method": "balanced_vote",
                "options": "Peer-led\nClinic-led\n",
                "closes_on": "",
            },
        )
        moment = DecisionMoment.objects.get()
        assert response.status_code == 302 and response["Location"] == url("moment_detail", moment)
        assert [o.label for o in moment.options.all()] == ["Peer-led", "Clinic-led"]

    def test_a_refusal_shows_on_the_field_and_keeps_what_was_typed(self, client, people, cora):
        client.force_login(cora)
        response = client.post(
            reverse("deciding:moment_new", kwargs={"slug": people.slug}),
            {
                "subject": "funding",
                "title": "Winter fund",
                "question": "A question typed with care",
                "method": "balanced_vote",
                "options": "Only one option",
            },
        )
        body = response.content.decode()
        assert response.status_code == 200
        assert "Enter at least two options for a vote, one a line" in body
        assert "A question typed with care" in body and "Only one option" in body
        assert not DecisionMoment.objects.exists()

    def test_members_cannot_open_one_and_outsiders_cannot_see_the_form(self, client, people, alice, outsider):
        new = reverse("deciding:moment_new", kwargs={"slug": people.slug})
        client.force_login(alice)
        assert client.get(new).status_code == 403
        client.force_login(outsider)
        assert client.get(new).status_code == 404


class TestWhileOpen:
    def test_nobody_sees_another_persons_response(self, client, people, cora, sid, alice):
        moment = open_moment(
            actor=cora,
            partnership=people,
            subject="funding",
            title="Close the Northbank drop-in",
            question="Move it online?",
            method=Method.CONSENSUS,
            proposal="Move the drop-in online",
        )
        respond(actor=sid, moment=moment, position="block", reason="A secret reason about buses")
        for person in (alice, cora):
            client.force_login(person)
            body = client.get(url("moment_detail", moment)).content.decode()
            assert "A secret reason about buses" not in body
            assert "1 person has responded" in body
        client.force_login(sid)
        mine = client.get(url("moment_detail", moment)).content.decode()
        assert "You responded: <strong>Block</strong>" in mine

    def test_a_member_votes_and_can_change_it(self, client, people, cora, alice):
        moment = vote(people, cora)
        client.force_login(alice)
        response = client.post(url("moment_respond", moment), {"option": first(moment), "reason": ""})
        assert response.status_code == 302
        client.post(url("moment_respond", moment), {"option": first(moment, 2), "reason": "Vouchers reach more"})
        saved = Response.objects.get(moment=moment)
        assert (saved.option_id, saved.reason, saved.voice) == (first(moment, 2), "Vouchers reach more", "vcse")

    def test_a_block_without_a_reason_is_refused_on_the_page(self, client, people, cora, alice):
        moment = open_moment(
            actor=cora,
            partnership=people,
            subject="design",
            title="Design",
            question="Agree?",
            method=Method.CONSENSUS,
            proposal="Do it",
        )
        client.force_login(alice)
        response = client.post(url("moment_respond", moment), {"position": "block", "reason": ""})
        assert response.status_code == 200
        assert "Enter why you are blocking the proposal" in response.content.decode()
        assert not Response.objects.exists()

    def test_an_option_from_another_moment_is_refused(self, client, people, cora, alice):
        moment, other = vote(people, cora), vote(people, cora)
        client.force_login(alice)
        response = client.post(url("moment_respond", moment), {"option": first(other), "reason": "Mine"})
        body = response.content.decode()
        assert response.status_code == 200 and "Select one of the options" in body and "Mine" in body
        assert not Response.objects.exists()

    def test_members_through_an_organisation_only_and_outsiders_cannot_vote(self, client, people, cora, bob, outsider):
        moment = vote(people, cora)
        client.force_login(bob)  # a member of organisation A, not one of the partnership's people
        assert client.post(url("moment_respond", moment), {"option": first(moment)}).status_code == 403
        assert (
            "You can read the outcome here when it closes" in client.get(url("moment_detail", moment)).content.decode()
        )
        client.force_login(outsider)
        assert client.post(url("moment_respond", moment), {"option": first(moment)}).status_code == 404
        assert client.get(url("moment_detail", moment)).status_code == 404
        assert not Response.objects.exists()

    def test_a_vote_after_close_is_refused(self, client, people, cora, sid, alice):
        moment = vote(people, cora)
        respond(actor=sid, moment=moment, option_id=first(moment))
        respond(actor=alice, moment=moment, option_id=first(moment))
        close_moment(actor=cora, moment=moment, reasons="Agreed.")
        client.force_login(alice)
        response = client.post(url("moment_respond", moment), {"option": first(moment, 2)})
        assert response.status_code == 200
        assert "This decision has closed: responses can no longer be given or changed" in response.content.decode()
        assert Response.objects.get(moment=moment, person=alice).option_id == first(moment)


class TestClosing:
    def test_quorum_not_met_is_refused_with_the_reason(self, client, people, cora, alice):
        moment = vote(people, cora)
        respond(actor=alice, moment=moment, option_id=first(moment))
        client.force_login(cora)
        page = client.get(url("moment_close", moment)).content.decode()
        assert "The quorum is not met: no statutory member has responded" in page
        response = client.post(url("moment_close", moment), {"reasons": "Reasons typed here", "review_on": ""})
        body = response.content.decode()
        assert response.status_code == 200
        assert "The quorum is not met: no statutory member has responded" in body and "Reasons typed here" in body
        moment.refresh_from_db()
        assert moment.status == "open"

    def test_closing_shows_the_result_beside_the_raw_count_and_who_was_in_the_room(
        self, client, people, cora, sid, alice, charlie, lena
    ):
        moment = vote(people, cora)
        for person, number in ((alice, 1), (charlie, 1), (sid, 2), (lena, 2)):
            respond(actor=person, moment=moment, option_id=first(moment, number))
        org_a = alice.memberships.first().organisation
        extra = PartnershipPersonFactory.create(
            partnership=people, user=MembershipFactory.create(organisation=org_a).user, organisation=org_a
        )
        respond(actor=extra.user, moment=moment, option_id=first(moment))
        client.force_login(cora)
        response = client.post(
            url("moment_close", moment), {"reasons": "Each sector equal.", "review_on": "2099-01-01"}
        )
        assert response.status_code == 302
        client.force_login(alice)
        body = client.get(url("moment_detail", moment)).content.decode()
        assert "Counting one vote per person would have chosen “Warm spaces”" in body
        assert "“Fuel vouchers” carried" in body
        assert "Who was in the room" in body and "Each sector equal." in body
        assert "66.7%" in body and "33.3%" in body

    def test_only_the_coordinator_closes(self, client, people, cora, alice):
        moment = vote(people, cora)
        client.force_login(alice)
        assert client.get(url("moment_close", moment)).status_code == 403
        assert client.post(url("moment_close", moment), {"reasons": "x"}).status_code == 403

    def test_a_closed_moment_sends_the_coordinator_back(self, client, people, cora, sid, alice):
        moment = vote(people, cora)
        respond(actor=sid, moment=moment, option_id=first(moment))
        respond(actor=alice, moment=moment, option_id=first(moment))
        close_moment(actor=cora, moment=moment, reasons="Agreed.")
        client.force_login(cora)
        assert client.get(url("moment_close", moment))["Location"] == url("moment_detail", moment)


class TestObjections:
    def test_the_coordinator_sees_objections_and_records_one(self, client, people, cora, sid, alice):
        moment = open_moment(
            actor=cora,
            partnership=people,
            subject="funding",
            title="Consent to the fund",
            question="Consent?",
            method=Method.CONSENT,
            proposal="Share it by ward",
        )
        objection = respond(actor=sid, moment=moment, position="object", reason="Wards are uneven")
        consent = respond(actor=alice, moment=moment, position="consent")
        client.force_login(cora)
        assert "Wards are uneven" in client.get(url("moment_detail", moment)).content.decode()
        page = url("moment_objection", moment, response_pk=objection.pk)
        refused = client.post(page, {"outcome": "recorded", "note": ""})
        assert "Enter how the objection was resolved" in refused.content.decode()
        assert client.post(page, {"outcome": "recorded", "note": "Goes ahead"}).status_code == 302
        objection.refresh_from_db()
        assert objection.objection == "recorded"
        assert client.get(url("moment_objection", moment, response_pk=consent.pk)).status_code == 404
        client.force_login(alice)
        assert "Wards are uneven" not in client.get(url("moment_detail", moment)).content.decode()
        assert client.get(page).status_code == 403


class TestList:
    def test_open_and_closed_filters(self, client, people, cora, alice):
        DecisionMomentFactory.create(partnership=people, title="Still open")
        DecisionMomentFactory.create(partnership=people, title="All done", status="closed", result="tied")
        client.force_login(alice)
        page = reverse("deciding:moment_list", kwargs={"slug": people.slug})
        body = client.get(page + "?status=open").content.decode()
        assert "Still open" in body and "All done" not in body
        body = client.get(page + "?status=closed").content.decode()
        assert "All done" in body and "Still open" not in body

    def test_the_query_count_does_not_grow_with_the_rows(self, client, people, cora, alice, django_assert_num_queries):
        page = reverse("deciding:moment_list", kwargs={"slug": people.slug})
        client.force_login(alice)
        for _ in range(2):
            vote(people, cora)
        with CaptureQueriesContext(connection) as few:
            assert client.get(page).status_code == 200
        for _ in range(10):
            vote(people, cora, priority=None)
        with django_assert_num_queries(len(few.captured_queries)):
            body = client.get(page).content.decode()
        assert body.count("Winter warmth fund") == 12
