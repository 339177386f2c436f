"""Policy watch services: adding, changing and reviewing a policy, with its dated history."""

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from cocommission.commissioning.tests.factories import OpportunityFactory
from cocommission.core.models import AuditEvent
from cocommission.needs.models import Policy, PolicyReview, Stage
from cocommission.needs.services.policies import clean_links, create_policy, review_policy, update_policy
from cocommission.partnerships.tests.factories import PartnershipFactory

from .factories import PolicyFactory, PriorityFactory

pytestmark = pytest.mark.django_db


def add(partnership, cora, **kwargs: Any) -> Policy:
    details: dict[str, Any] = {
        "name": "Neighbourhood health",
        "owner": "Department of Health and Social Care",
        "summary": "Care closer to home.",
        "links": "https://www.gov.uk/neighbourhood-health\n\nhttps://www.england.nhs.uk/",
        "stage": Stage.PEAK,
    }
    details.update(kwargs)
    return create_policy(actor=cora, partnership=partnership, **details)


class TestLinks:
    def test_one_a_line_blanks_dropped(self):
        assert clean_links("  https://a.example/x \n\nhttp://b.example\n") == "https://a.example/x\nhttp://b.example"

    @pytest.mark.parametrize("text", ["www.gov.uk", "https://ok.example\nnot a link", "ftp://files.example/x"])
    def test_anything_but_a_web_address_is_refused_naming_the_line(self, text):
        with pytest.raises(ValidationError) as caught:
            clean_links(text)
        number = len(text.splitlines())
        assert caught.value.message_dict["links"] == [
            f"Enter each link as a full web address starting with https://, one a line (link {number} is not)"
        ]


class TestAdding:
    def test_adds_the_policy_with_its_first_history_entry(self, partnership, cora, today):
        priority = PriorityFactory.create(partnership=partnership)
        opportunity = OpportunityFactory.create(partnership=partnership)
        policy = add(partnership, cora, priorities=[priority], opportunities=[opportunity])
        assert policy.links == "https://www.gov.uk/neighbourhood-health\nhttps://www.england.nhs.uk/"
        assert (policy.last_reviewed_on, policy.created_by) == (today, cora)
        assert list(policy.priorities.all()) == [priority] and list(policy.opportunities.all()) == [opportunity]
        review = policy.reviews.get()
        assert (review.stage, review.previous_stage, review.reviewed_on) == (Stage.PEAK, "", today)
        assert AuditEvent.objects.filter(object_type="needs.policy", partnership_id=partnership.pk).exists()

    def test_every_problem_at_once_and_nothing_saved(self, partnership, cora):
        other = PartnershipFactory.create()
        with pytest.raises(ValidationError) as caught:
            add(
                partnership,
                cora,
                name="",
                owner="",
                summary="",
                links="nope",
                stage="hype",
                priorities=[PriorityFactory.create(partnership=other)],
                opportunities=[OpportunityFactory.create(partnership=other)],
            )
        assert set(caught.value.message_dict) == {
            "name",
            "owner",
            "summary",
            "links",
            "stage",
            "priorities",
            "opportunities",
        }
        assert caught.value.message_dict["priorities"] == ["Select priorities of this partnership"]
        assert not Policy.objects.exists() and not PolicyReview.objects.exists()

    def test_a_date_in_the_past_for_the_demo_history(self, partnership, cora, today):
        policy = add(partnership, cora, on=today - datetime.timedelta(days=200))
        assert policy.last_reviewed_on == today - datetime.timedelta(days=200)
        with pytest.raises(ValidationError):
            add(partnership, cora, on=today + datetime.timedelta(days=1))


class TestChanging:
    def test_details_change_and_a_change_of_stage_is_history(self, partnership, cora, today):
        policy = add(partnership, cora, on=today - datetime.timedelta(days=90))
        priority = PriorityFactory.create(partnership=partnership)
        update_policy(
            actor=cora,
            policy=policy,
            name="Neighbourhood health services",
            owner="DHSC",
            summary="Care closer to home, by neighbourhood.",
            links="",
            stage=Stage.TROUGH,
            priorities=[priority],
        )
        policy.refresh_from_db()
        assert (policy.name, policy.stage, policy.last_reviewed_on, policy.links) == (
            "Neighbourhood health services",
            Stage.TROUGH,
            today,
            "",
        )
        assert list(policy.priorities.all()) == [priority]
        latest = policy.reviews.order_by("-id")[0]
        assert (latest.previous_stage, latest.stage) == (Stage.PEAK, Stage.TROUGH)
        event = AuditEvent.objects.filter(object_type="needs.policy", action="update").get()
        assert event.changes["stage"] == [Stage.PEAK, Stage.TROUGH]
        assert event.changes["priorities"] == [[], [priority.pk]]

    def test_the_same_stage_adds_no_history(self, partnership, cora):
        policy = add(partnership, cora)
        update_policy(actor=cora, policy=policy, name="Renamed", owner="DHSC", summary="S", stage=Stage.PEAK)
        assert policy.reviews.count() == 1

    def test_bad_input_changes_nothing(self, partnership, cora):
        policy = add(partnership, cora)
        with pytest.raises(ValidationError) as caught:
            update_policy(actor=cora, policy=policy, name="", owner="x", summary="y", stage=Stage.SLOPE)
        assert caught.value.message_dict == {"name": ["Enter the name of the policy"]}
        policy.refresh_from_db()
        assert (policy.name, policy.stage, policy.reviews.count()) == ("Neighbourhood health", Stage.PEAK, 1)


class TestReviewing:
    def test_a_change_of_stage(self, partnership, cora, today):
        policy = PolicyFactory.create(partnership=partnership, stage=Stage.PEAK)
        review = review_policy(actor=cora, policy=policy, stage=Stage.TROUGH, note="Pilots disappointed.")
        policy.refresh_from_db()
        assert (review.previous_stage, review.stage, review.reviewed_by) == (Stage.PEAK, Stage.TROUGH, cora)
        assert (policy.stage, policy.last_reviewed_on) == (Stage.TROUGH, today)

    def test_a_confirmation_keeps_the_stage_and_moves_the_date(self, partnership, cora, today):
        policy = PolicyFactory.create(partnership=partnership, last_reviewed_on=today - datetime.timedelta(days=70))
        review = review_policy(actor=cora, policy=policy, stage=policy.stage, note="No change.")
        policy.refresh_from_db()
        assert review.previous_stage == review.stage == policy.stage
        assert policy.last_reviewed_on == today

    def test_a_note_is_needed(self, partnership, cora):
        policy = PolicyFactory.create(partnership=partnership)
        with pytest.raises(ValidationError) as caught:
            review_policy(actor=cora, policy=policy, stage="somewhere", note=" ")
        assert caught.value.message_dict == {
            "stage": ["Select where the policy sits on the hype cycle now"],
            "note": ["Enter a note: what has changed, or why the stage stays the same"],
        }
        assert not PolicyReview.objects.exists()

    def test_an_older_review_adds_history_without_rewinding(self, partnership, cora, today):
        policy = PolicyFactory.create(partnership=partnership, stage=Stage.SLOPE, last_reviewed_on=today)
        review_policy(
            actor=cora,
            policy=policy,
            stage=Stage.TROUGH,
            note="Late note",
            reviewed_on=today - datetime.timedelta(days=5),
        )
        policy.refresh_from_db()
        assert (policy.stage, policy.last_reviewed_on) == (Stage.SLOPE, today)
        with pytest.raises(ValidationError):
            review_policy(
                actor=cora, policy=policy, stage=Stage.SLOPE, note="x", reviewed_on=today + datetime.timedelta(1)
            )
