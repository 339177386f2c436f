"""Policy watch pages: members read, coordinators add, change and review; refusals keep what
was typed; the list is by stage and its query count stays flat."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cocommission.commissioning.tests.factories import OpportunityFactory
from cocommission.needs.models import Policy, PolicyReview, Stage
from cocommission.needs.services.policies import create_policy, review_policy
from cocommission.organisations.tests.factories import MembershipFactory, OrganisationFactory

from .factories import PolicyFactory, PriorityFactory

pytestmark = pytest.mark.django_db


def url(name: str, partnership, policy: Policy | None = None) -> str:
    kwargs = {"slug": partnership.slug}
    if policy is not None:
        kwargs["pk"] = policy.pk
    return reverse(f"needs:{name}", kwargs=kwargs)


@pytest.fixture
def outsider(db):
    return MembershipFactory.create(organisation=OrganisationFactory.create()).user


class TestAdding:
    def test_the_coordinator_adds_a_policy_with_links_to_priorities_and_opportunities(self, client, partnership, cora):
        priority = PriorityFactory.create(partnership=partnership, title="Fewer people lonely")
        opportunity = OpportunityFactory.create(partnership=partnership, title="Befriending grants")
        client.force_login(cora)
        form = client.get(url("policy_new", partnership)).content.decode()
        assert "Fewer people lonely" in form and "Befriending grants" in form
        response = client.post(
            url("policy_new", partnership),
            {
                "name": "Neighbourhood health",
                "owner": "DHSC",
                "summary": "Care closer to home.",
                "links": "https://www.gov.uk/neighbourhood-health",
                "stage": "trigger",
                "priorities": [priority.pk],
                "opportunities": [opportunity.pk],
            },
        )
        policy = Policy.objects.get()
        assert response.status_code == 302 and response["Location"] == url("policy_detail", partnership, policy)
        page = client.get(response["Location"]).content.decode()
        assert "Came in at the innovation trigger" in page and "Fewer people lonely" in page
        assert "Befriending grants" in page and "Find out who owns it" in page

    def test_a_bad_link_is_refused_and_what_was_typed_stays(self, client, partnership, cora):
        client.force_login(cora)
        response = client.post(
            url("policy_new", partnership),
            {"name": "Typed name", "owner": "DHSC", "summary": "A summary", "links": "gov.uk/x", "stage": "peak"},
        )
        body = response.content.decode()
        assert response.status_code == 200
        assert "Enter each link as a full web address starting with https://, one a line (link 1 is not)" in body
        assert "Typed name" in body and "gov.uk/x" in body
        assert not Policy.objects.exists()

    def test_a_priority_of_another_partnership_is_not_a_choice(self, client, partnership, cora):
        PriorityFactory.create(partnership=partnership)
        elsewhere = PriorityFactory.create()
        client.force_login(cora)
        response = client.post(
            url("policy_new", partnership),
            {"name": "N", "owner": "O", "summary": "S", "stage": "peak", "priorities": [elsewhere.pk]},
        )
        assert response.status_code == 200 and not Policy.objects.exists()
        assert "Select priorities of this partnership" in response.content.decode()

    def test_members_cannot_add_and_outsiders_are_not_told_it_exists(self, client, partnership, alice, outsider):
        client.force_login(alice)
        assert client.get(url("policy_new", partnership)).status_code == 403
        assert client.post(url("policy_new", partnership), {"name": "x"}).status_code == 403
        client.force_login(outsider)
        assert client.get(url("policy_list", partnership)).status_code == 404
        assert not Policy.objects.exists()


class TestReviewingAndChanging:
    def test_a_review_moves_the_stage_and_shows_in_the_history(self, client, partnership, cora):
        policy = create_policy(
            actor=cora,
            partnership=partnership,
            name="Carers strategy",
            owner="Council",
            summary="Support for carers.",
            stage=Stage.PEAK,
            on=timezone.localdate() - datetime.timedelta(days=90),
        )
        client.force_login(cora)
        detail = client.get(url("policy_detail", partnership, policy)).content.decode()
        assert "Review due" in detail
        response = client.post(
            url("policy_review", partnership, policy), {"stage": "trough", "note": "Pilots stalled."}
        )
        assert response.status_code == 302
        page = client.get(url("policy_detail", partnership, policy)).content.decode()
        assert "Moved from the peak of inflated expectations to the trough of disillusionment" in page
        assert "Pilots stalled." in page and "Review due" not in page

    def test_a_review_without_a_note_is_refused(self, client, partnership, cora):
        policy = PolicyFactory.create(partnership=partnership)
        client.force_login(cora)
        response = client.post(url("policy_review", partnership, policy), {"stage": "trough", "note": ""})
        assert "Enter a note: what has changed, or why the stage stays the same" in response.content.decode()
        assert not PolicyReview.objects.exists()

    def test_the_coordinator_changes_the_details(self, client, partnership, cora):
        policy = PolicyFactory.create(partnership=partnership, name="Old name")
        client.force_login(cora)
        assert "Old name" in client.get(url("policy_edit", partnership, policy)).content.decode()
        response = client.post(
            url("policy_edit", partnership, policy),
            {"name": "New name", "owner": "DHSC", "summary": "S", "links": "", "stage": policy.stage},
        )
        assert response.status_code == 302
        policy.refresh_from_db()
        assert policy.name == "New name"

    def test_members_read_but_cannot_review_or_change(self, client, partnership, alice, lena):
        policy = PolicyFactory.create(partnership=partnership, name="Visible to members")
        for person in (alice, lena):
            client.force_login(person)
            page = client.get(url("policy_detail", partnership, policy)).content.decode()
            assert "Visible to members" in page and "Review the stage" not in page
            assert client.get(url("policy_review", partnership, policy)).status_code == 403
            assert client.post(url("policy_edit", partnership, policy), {"name": "x"}).status_code == 403

    def test_another_partnerships_policy_is_not_found(self, client, partnership, cora):
        elsewhere = PolicyFactory.create()
        client.force_login(cora)
        assert client.get(url("policy_detail", partnership, elsewhere)).status_code == 404
        assert client.get(url("policy_review", partnership, elsewhere)).status_code == 404


class TestList:
    def test_by_stage_in_hype_cycle_order(self, client, partnership, alice, cora):
        for name, stage in (("Plateau one", "plateau"), ("Trigger one", "trigger"), ("Trough one", "trough")):
            PolicyFactory.create(partnership=partnership, name=name, stage=stage)
        client.force_login(alice)
        body = client.get(url("policy_list", partnership)).content.decode()
        assert body.index("Trigger one") < body.index("Trough one") < body.index("Plateau one")
        filtered = client.get(url("policy_list", partnership) + "?stage=trough").content.decode()
        assert "Trough one" in filtered and "Trigger one" not in filtered
        assert "Do not drop it too soon" in filtered

    def test_the_query_count_does_not_grow_with_the_rows(self, client, partnership, cora, django_assert_num_queries):
        def policies(count: int) -> None:
            for _ in range(count):
                made = PolicyFactory.create(partnership=partnership)
                review_policy(actor=cora, policy=made, stage=Stage.SLOPE, note="Moved.")

        client.force_login(cora)
        policies(2)
        with CaptureQueriesContext(connection) as few:
            assert client.get(url("policy_list", partnership)).status_code == 200
        policies(12)
        with django_assert_num_queries(len(few.captured_queries)):
            body = client.get(url("policy_list", partnership)).content.decode()
        assert body.count("Neighbourhood health") == 14
