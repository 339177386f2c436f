"""Priority pages through the browser's eyes, and the priority an opportunity serves."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cocommission.commissioning.models import Opportunity
from cocommission.commissioning.services.opportunities import OpportunityDetails, create_opportunity
from cocommission.commissioning.tests.factories import OpportunityFactory
from cocommission.needs.models import Priority

from .factories import IndicatorFactory, IndicatorValueFactory, PriorityFactory, StoryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mfa_off")]


def url(name: str, partnership, **kwargs) -> str:
    return reverse(f"needs:{name}", kwargs={"slug": partnership.slug, **kwargs})


@pytest.fixture
def bobs(partnership, bob):
    return PriorityFactory.create(partnership=partnership, created_by=bob, title="Fewer people lonely")


@pytest.fixture
def evidence(partnership):
    story = StoryFactory.create(
        partnership=partnership, published=True, title="Eleven weeks", text="I waited eleven weeks for a call back."
    )
    StoryFactory.create(partnership=partnership, title="Still waiting", text="Not moderated yet.")
    indicator = IndicatorFactory.create(partnership=partnership, name="Lonely adults", slug="lonely-adults")
    IndicatorValueFactory.create(indicator=indicator, period="2023")
    return story, indicator


class TestTheList:
    def test_filter_by_status(self, client, partnership, lena, bobs):
        PriorityFactory.create(partnership=partnership, title="Warm homes", status=Priority.Status.AGREED)
        client.force_login(lena)
        everything = client.get(url("priority_list", partnership)).content.decode()
        assert "Fewer people lonely" in everything and "Warm homes" in everything
        agreed = client.get(url("priority_list", partnership), {"status": "agreed"}).content.decode()
        assert "Warm homes" in agreed and "Fewer people lonely" not in agreed
        assert "1 agreed priority" in agreed

    def test_the_query_count_does_not_grow_with_the_rows(self, client, partnership, lena, evidence):
        story, indicator = evidence

        def priorities(count: int) -> None:
            for _ in range(count):
                priority = PriorityFactory.create(partnership=partnership)
                priority.stories.add(story)
                priority.indicators.add(indicator)

        client.force_login(lena)
        priorities(2)
        with CaptureQueriesContext(connection) as few:
            client.get(url("priority_list", partnership))
        priorities(25)
        with CaptureQueriesContext(connection) as many:
            page = client.get(url("priority_list", partnership), {"page": 2})
        assert len(many.captured_queries) == len(few.captured_queries)
        assert page.context["page_obj"].paginator.count == 27 and len(page.context["page_obj"].object_list) == 7


class TestProposing:
    def test_a_member_proposes_then_chooses_evidence(self, client, partnership, alice, evidence):
        story, indicator = evidence
        client.force_login(alice)
        response = client.post(url("priority_propose", partnership), {"title": "Warm homes", "need": "Cold flats."})
        priority = Priority.objects.get()
        assert response["Location"] == url("priority_evidence", partnership, pk=priority.pk)
        page = client.get(response["Location"]).content.decode()
        assert "Eleven weeks" in page and "Still waiting" not in page  # only published stories
        client.post(response["Location"], {"stories": [story.pk], "indicators": [indicator.pk]})
        assert list(priority.stories.all()) == [story] and list(priority.indicators.all()) == [indicator]

    def test_errors_keep_what_was_typed(self, client, partnership, alice, bobs):
        client.force_login(alice)
        page = client.post(url("priority_propose", partnership), {"title": "fewer people lonely", "need": "Mine."})
        body = page.content.decode()
        assert "There is already a priority called fewer people lonely" in body and "<title>Error: " in body
        assert 'value="fewer people lonely"' in body and "Mine.</textarea>" in body
        assert Priority.objects.count() == 1

    def test_a_story_from_elsewhere_is_refused(self, client, partnership, bob, bobs):
        theirs = StoryFactory.create(published=True)
        client.force_login(bob)
        page = client.post(url("priority_evidence", partnership, pk=bobs.pk), {"stories": [theirs.pk]})
        assert "Choose stories from the list" in page.content.decode() and not bobs.stories.exists()

    def test_the_proposer_changes_the_words(self, client, partnership, bob, bobs):
        client.force_login(bob)
        client.post(url("priority_edit", partnership, pk=bobs.pk), {"title": "Fewer lonely people", "need": "East."})
        bobs.refresh_from_db()
        assert bobs.title == "Fewer lonely people"

    def test_other_members_cannot_change_it(self, client, partnership, alice, bobs):
        client.force_login(alice)
        response = client.post(url("priority_evidence", partnership, pk=bobs.pk), {"stories": []})
        assert response.status_code == 403


class TestThePriorityPage:
    def test_stories_and_indicators_side_by_side_with_equal_weight(self, client, partnership, lena, bobs, evidence):
        story, indicator = evidence
        bobs.stories.add(story, StoryFactory.create(partnership=partnership, title="Waiting story"))
        bobs.indicators.add(indicator)
        client.force_login(lena)
        body = client.get(url("priority_detail", partnership, pk=bobs.pk)).content.decode()
        stories_at = body.index('<section class="govuk-grid-column-one-half" aria-labelledby="stories-heading">')
        figures_at = body.index('<section class="govuk-grid-column-one-half" aria-labelledby="indicators-heading">')
        assert stories_at < body.index("I waited eleven weeks for a call back.") < figures_at
        assert figures_at < body.index('role="img"')
        assert "What people told us (1 story)" in body and "Waiting story" not in body  # unpublished stays hidden
        assert "Lonely adults by place and period" in body

    def test_members_see_no_buttons_but_the_proposer_and_coordinators_do(
        self, client, partnership, bobs, lena, bob, cora
    ):
        evidence_url = url("priority_evidence", partnership, pk=bobs.pk)
        client.force_login(lena)
        assert evidence_url not in client.get(url("priority_detail", partnership, pk=bobs.pk)).content.decode()
        client.force_login(bob)
        body = client.get(url("priority_detail", partnership, pk=bobs.pk)).content.decode()
        assert evidence_url in body and url("priority_agree", partnership, pk=bobs.pk) not in body
        client.force_login(cora)
        body = client.get(url("priority_detail", partnership, pk=bobs.pk)).content.decode()
        assert (
            url("priority_agree", partnership, pk=bobs.pk) in body
            and url("priority_retire", partnership, pk=bobs.pk) in body
        )

    def test_opportunities_serving_it_are_listed(self, client, partnership, icb, lena, bobs):
        OpportunityFactory.create(funder=icb, partnership=partnership, priority=bobs, title="Lunch clubs")
        client.force_login(lena)
        assert "Lunch clubs" in client.get(url("priority_detail", partnership, pk=bobs.pk)).content.decode()

    def test_the_query_count_does_not_grow_with_the_evidence(self, client, partnership, icb, lena, bobs):
        def add(count: int) -> None:
            for _ in range(count):
                bobs.stories.add(StoryFactory.create(partnership=partnership, published=True))
                indicator = IndicatorFactory.create(partnership=partnership)
                IndicatorValueFactory.create(indicator=indicator)
                bobs.indicators.add(indicator)
                OpportunityFactory.create(funder=icb, partnership=partnership, priority=bobs)

        client.force_login(lena)
        add(1)
        with CaptureQueriesContext(connection) as few:
            client.get(url("priority_detail", partnership, pk=bobs.pk))
        add(6)
        with CaptureQueriesContext(connection) as many:
            client.get(url("priority_detail", partnership, pk=bobs.pk))
        assert len(many.captured_queries) == len(few.captured_queries)


class TestAgreeingAndRetiring:
    def test_agree_after_confirming(self, client, partnership, cora, bobs, evidence):
        bobs.indicators.add(evidence[1])
        client.force_login(cora)
        assert "Agree this priority?" in client.get(url("priority_agree", partnership, pk=bobs.pk)).content.decode()
        response = client.post(url("priority_agree", partnership, pk=bobs.pk), follow=True)
        assert "Fewer people lonely is now an agreed priority." in response.content.decode()
        bobs.refresh_from_db()
        assert bobs.status == "agreed"

    def test_agreeing_without_evidence_is_refused_on_the_page(self, client, partnership, cora, bobs):
        client.force_login(cora)
        page = client.post(url("priority_agree", partnership, pk=bobs.pk))
        body = page.content.decode()
        assert page.status_code == 200 and "There is a problem" in body
        assert "Choose at least one story or indicator as evidence before agreeing this priority" in body
        bobs.refresh_from_db()
        assert bobs.status == "proposed"

    def test_retire(self, client, partnership, cora, bobs):
        client.force_login(cora)
        client.post(url("priority_retire", partnership, pk=bobs.pk))
        bobs.refresh_from_db()
        assert bobs.status == "retired"

    def test_members_cannot_agree(self, client, partnership, bob, bobs):
        client.force_login(bob)
        assert client.post(url("priority_agree", partnership, pk=bobs.pk)).status_code == 403
        bobs.refresh_from_db()
        assert bobs.status == "proposed"


# ---- The priority an opportunity serves -------------------------------------------------------


def opportunity_form(**overrides: object) -> dict[str, object]:
    today = timezone.localdate()
    return {
        "title": "Lunch clubs",
        "problem": "Older people are lonely.",
        "total_budget": "5000",
        "max_award": "500",
        "term_years": "1",
        "opens_on": today.isoformat(),
        "closes_on": (today + datetime.timedelta(days=30)).isoformat(),
        "closes_time": "12:00",
        "decision_by": (today + datetime.timedelta(days=60)).isoformat(),
        "route": "grant",
        "route_reason": "Small grants reach small groups.",
    } | overrides


class TestOpportunities:
    @pytest.fixture
    def agreed(self, partnership):
        return PriorityFactory.create(partnership=partnership, title="Warm homes", status=Priority.Status.AGREED)

    def test_the_form_offers_the_partnerships_agreed_priorities(self, client, partnership, icb, sid, agreed, bobs):
        client.force_login(sid)
        form = client.get(reverse("commissioning:opportunity_create")).context["form"]
        assert list(form.fields["priority"].queryset) == [agreed]  # not bob's proposed one

    def test_no_question_without_agreed_priorities(self, client, partnership, icb, sid, bobs):
        client.force_login(sid)
        assert "priority" not in client.get(reverse("commissioning:opportunity_create")).context["form"].fields

    def test_open_one_that_serves_a_priority_and_show_it(self, client, partnership, icb, sid, agreed):
        client.force_login(sid)
        data = opportunity_form(funder=icb.pk, partnership=partnership.pk, priority=agreed.pk)
        response = client.post(reverse("commissioning:opportunity_create"), data)
        opportunity = Opportunity.objects.get()
        assert response.status_code == 302 and opportunity.priority == agreed
        body = client.get(reverse("commissioning:opportunity_detail", args=[opportunity.slug])).content.decode()
        assert "Partnership priority it serves" in body
        assert url("priority_detail", partnership, pk=agreed.pk) in body

    def test_a_priority_needs_the_partnership_it_belongs_to(self, client, partnership, icb, sid, agreed):
        client.force_login(sid)
        data = opportunity_form(funder=icb.pk, priority=agreed.pk)  # no partnership chosen
        page = client.post(reverse("commissioning:opportunity_create"), data)
        assert "Only an opportunity of a partnership can serve a partnership priority" in page.content.decode()
        assert not Opportunity.objects.exists()

    def test_the_service_refuses_another_partnerships_or_an_unagreed_priority(self, partnership, icb, sid, bobs):
        theirs = PriorityFactory.create(status=Priority.Status.AGREED)
        for priority, message in (
            (theirs, "Choose one of the agreed priorities of Brackenmoor Together"),
            (bobs, "Choose an agreed priority: this one is proposed"),
        ):
            details = OpportunityDetails(
                title="Lunch clubs",
                problem="Lonely.",
                total_budget=Decimal(1000),
                max_award=Decimal(500),
                route="grant",
                route_reason="Small grants.",
                priority=priority,
            )
            with pytest.raises(ValidationError, match=message):
                create_opportunity(actor=sid, funder=icb, partnership=partnership, details=details)
        assert not Opportunity.objects.exists()

    def test_change_a_drafts_priority_and_keep_a_retired_one(self, client, partnership, icb, sid, cora, agreed):
        draft = OpportunityFactory.create(funder=icb, partnership=partnership, priority=agreed)
        agreed.status = Priority.Status.RETIRED
        agreed.save()
        client.force_login(sid)
        page = client.get(reverse("commissioning:opportunity_edit", args=[draft.slug]))
        form = page.context["form"]
        assert list(form.fields["priority"].queryset) == [agreed] and form.initial["priority"] == agreed.pk
        data = opportunity_form(
            priority=agreed.pk,
            version=form.initial["version"],
            max_questions="3",
            word_limit="500",
            extra_documents="0",
            lived_experience="yes",
        )
        response = client.post(reverse("commissioning:opportunity_edit", args=[draft.slug]), data)
        assert response.status_code == 302
        draft.refresh_from_db()
        assert draft.priority == agreed
