""" "Before you meet": two organisations' shared history, and how people reach it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cocommission.accounts.tests.factories import UserFactory
from cocommission.agreements.tests.factories import AgreementFactory
from cocommission.commissioning.tests.factories import ApplicationFactory, OpportunityFactory
from cocommission.deciding.models import DecisionMoment, Voice
from cocommission.deciding.selectors.memory import organisations_matching, shared_history
from cocommission.deciding.tests.factories import (
    AttendanceFactory,
    ContributionFactory,
    DecisionMomentFactory,
    MeetingFactory,
    ResponseFactory,
)
from cocommission.organisations.models import Interaction
from cocommission.organisations.tests.factories import OrganisationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mfa_off")]


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def attended(meeting, *organisations):
    for organisation in organisations:
        AttendanceFactory.create(meeting=meeting, organisation=organisation, voice=Voice.VCSE)


def interaction(first, second, summary: str) -> Interaction:
    low, high = sorted((first, second), key=lambda o: o.pk)
    return Interaction.objects.create(
        organisation_a=low, organisation_b=high, kind="call", occurred_on=timezone.localdate(), summary=summary
    )


def moment(partnership, status: str, *organisations):
    m = DecisionMomentFactory.create(partnership=partnership, status=status)
    for organisation in organisations:
        ResponseFactory.create(moment=m, person=UserFactory.create(), organisation=organisation)
    return m


class TestSharedHistory:
    def test_what_two_organisations_share_and_nothing_else(self, partnership, org_a, org_b, icb):
        both = MeetingFactory.create(partnership=partnership, title="Both came", starts_at=days_ago(30))
        attended(both, org_a, icb)
        only_a = MeetingFactory.create(partnership=partnership, title="Only A came", starts_at=days_ago(10))
        attended(only_a, org_a, org_b)
        interaction(org_a, icb, "Talked about waiting lists")
        interaction(org_a, org_b, "A and B only")
        closed = moment(partnership, DecisionMoment.Status.CLOSED, org_a, icb)
        moment(partnership, DecisionMoment.Status.OPEN, org_a, icb)  # responses stay private while open
        opportunity = OpportunityFactory.create(funder=icb, open=True)
        sent = ApplicationFactory.create(opportunity=opportunity, organisation=org_a, submitted=True)
        ApplicationFactory.create(opportunity=OpportunityFactory.create(funder=icb, open=True), organisation=org_a)
        agreement = AgreementFactory.create(funder=icb, provider=org_a)
        AgreementFactory.create(funder=icb, provider=org_b)

        history = shared_history(org_a, icb)
        assert [e.summary for e in history["timeline"].items] == ["Talked about waiting lists"]
        assert history["meetings"].items == [both]
        assert history["moments"].items == [closed]
        assert history["applications"].items == [sent]  # the draft is the applicant's own
        assert history["agreements"].items == [agreement]
        assert shared_history(icb, org_a)["meetings"].items == [both]  # the same either way round

    def test_open_questions_raised_by_either_where_the_other_was(self, partnership, org_a, org_b, icb):
        both = MeetingFactory.create(partnership=partnership, starts_at=days_ago(30))
        attended(both, org_a, icb)
        recent = MeetingFactory.create(partnership=partnership, starts_at=days_ago(3))
        attended(recent, org_a, icb)
        without_icb = MeetingFactory.create(partnership=partnership, starts_at=days_ago(20))
        attended(without_icb, org_a, org_b)
        hanging = ContributionFactory.create(meeting=both, organisation=org_a, text="Hanging")
        fresh = ContributionFactory.create(meeting=recent, organisation=icb, text="Fresh")
        followed = ContributionFactory.create(meeting=both, organisation=icb, text="Followed")
        ContributionFactory.create(meeting=recent, kind="follow", follows=followed)
        ContributionFactory.create(meeting=both, organisation=org_a, text="Anonymous", to_the_room=True)
        ContributionFactory.create(meeting=without_icb, organisation=org_a, text="ICB was not there")
        ContributionFactory.create(meeting=both, organisation=org_b, text="Someone else's")
        ContributionFactory.create(meeting=both, organisation=org_a, kind="point", text="A point")

        questions = shared_history(org_a, icb)["open_questions"].items
        assert questions == [hanging, fresh]
        assert [q.hanging for q in questions] == [True, False]

    def test_each_list_shows_the_latest_20_and_says_there_are_more(self, org_a, icb):
        for n in range(21):
            interaction(org_a, icb, f"Call {n}")
        timeline = shared_history(org_a, icb)["timeline"]
        assert len(timeline.items) == 20 and timeline.more


class TestPages:
    def test_members_of_either_organisation_see_the_page(self, client, partnership, org_a, org_b, alice, charlie):
        meeting = MeetingFactory.create(partnership=partnership, title="Autumn board", starts_at=days_ago(30))
        attended(meeting, org_a, org_b)
        ContributionFactory.create(meeting=meeting, organisation=org_b, text="Who runs the food bank rota?")
        decided = moment(partnership, DecisionMoment.Status.CLOSED, org_a, org_b)
        address = reverse("deciding:before_you_meet", args=[org_a.slug, org_b.slug])
        for person in (alice, charlie):
            client.force_login(person)
            body = client.get(address).content.decode()
            assert "Autumn board" in body and "Who runs the food bank rota?" in body and "Hanging" in body
            assert reverse("deciding:moment_detail", args=[partnership.slug, decided.pk]) in body

    def test_people_in_neither_organisation_are_refused(self, client, org_a, org_b, sid, cora):
        address = reverse("deciding:before_you_meet", args=[org_a.slug, org_b.slug])
        for person in (sid, cora):
            client.force_login(person)
            assert client.get(address).status_code == 403
        assert client.get(reverse("deciding:before_you_meet", args=[org_a.slug, org_a.slug])).status_code == 404

    def test_the_organisation_page_offers_the_search_to_its_members_only(self, client, org_a, alice, charlie):
        address = reverse("organisations:detail", args=[org_a.slug])
        client.force_login(alice)
        assert "Before you meet another organisation" in client.get(address).content.decode()
        client.force_login(charlie)
        assert "Before you meet another organisation" not in client.get(address).content.decode()
        client.logout()
        assert "Before you meet another organisation" not in client.get(address).content.decode()

    def test_searching_offers_up_to_20_matches_by_name(self, client, org_a, org_b, alice, charlie):
        for n in range(22):
            OrganisationFactory.create(name=f"Valley Lunch Club {n}")
        client.force_login(alice)
        choose = reverse("deciding:before_you_meet_choose", args=[org_a.slug])
        body = client.get(choose, {"q": "lunch valley"}).content.decode()
        assert body.count("Valley Lunch Club") == 20 and "Only the first 20 matches are shown" in body
        body = client.get(choose, {"q": "hillside"}).content.decode()
        assert reverse("deciding:before_you_meet", args=[org_a.slug, org_b.slug]) in body
        assert "No organisation's name matches" in client.get(choose, {"q": "zzz"}).content.decode()
        assert "Enter part of the organisation&#x27;s name" in client.get(choose, {"q": " "}).content.decode()
        assert organisations_matching("riverside", besides=org_a) == []  # never itself
        client.force_login(charlie)
        assert client.get(choose, {"q": "valley"}).status_code == 403

    def test_the_query_count_does_not_grow_with_the_history(self, client, partnership, org_a, icb, alice):
        client.force_login(alice)
        address = reverse("deciding:before_you_meet", args=[org_a.slug, icb.slug])

        def add(count: int) -> None:
            for n in range(count):
                meeting = MeetingFactory.create(partnership=partnership, starts_at=days_ago(20 + n))
                attended(meeting, org_a, icb)
                ContributionFactory.create(meeting=meeting, organisation=icb)
                interaction(org_a, icb, f"Entry {n} of {count}")
                moment(partnership, DecisionMoment.Status.CLOSED, org_a, icb)
                ApplicationFactory.create(
                    opportunity=OpportunityFactory.create(funder=icb, open=True), organisation=org_a, submitted=True
                )
                AgreementFactory.create(funder=icb, provider=org_a)

        def count() -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(address).status_code == 200
            return len(captured.captured_queries)

        add(2)
        few = count()
        add(8)
        assert count() == few
