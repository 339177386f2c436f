"""Telling, moderating and erasing stories: consent, links, rate limits, anonymisation at
publication and withdrawal, through the services."""

import datetime
import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from cocommission.core.models import AuditEvent
from cocommission.needs.models import Story, Theme
from cocommission.needs.permissions import withdrawal_key_hash
from cocommission.needs.services.stories import (
    CONSENT_REQUIRED,
    NO_LINKS,
    StoryDetails,
    TooManyStories,
    decline_story,
    erase_story,
    network_key,
    publish_story,
    tell_member_story,
    tell_public_story,
)
from cocommission.needs.tests.factories import PriorityFactory, StoryFactory

pytestmark = pytest.mark.django_db

TEXT = "The lunch club closed and I have not seen anyone since. My neighbour Maureen brings my shopping."


def details(**overrides) -> StoryDetails:
    values = {
        "title": "Nowhere to go on a Tuesday",
        "text": TEXT,
        "place": "Eastfield",
        "population_group": "Older people",
        "consent_partnership": True,
    }
    return StoryDetails(**{**values, **overrides})


def errors_of(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


class TestTellingAStory:
    def test_a_members_story_waits_for_moderation(self, partnership, bob):
        loneliness = Theme.objects.create(name="Loneliness")
        story = tell_member_story(
            actor=bob, partnership=partnership, details=details(themes=[loneliness], consent_reports=True)
        )
        assert (story.status, story.source, story.submitted_by) == ("submitted", "member", bob)
        assert (story.consent_partnership, story.consent_public, story.consent_reports) == (True, False, True)
        assert list(story.themes.all()) == [loneliness] and story.published_text == ""

    def test_a_story_without_consent_is_refused_and_nothing_is_saved(self, partnership, bob):
        with pytest.raises(ValidationError) as exc:
            tell_member_story(
                actor=bob, partnership=partnership, details=details(consent_partnership=False, other_themes="New one")
            )
        assert errors_of(exc) == {"consent_partnership": [CONSENT_REQUIRED]}
        assert not Story.objects.exists() and not Theme.objects.exists()

    def test_a_title_and_the_story_are_needed(self, partnership, bob):
        with pytest.raises(ValidationError) as exc:
            tell_member_story(actor=bob, partnership=partnership, details=details(title=" ", text=""))
        assert errors_of(exc) == {"title": ["Enter a title for your story"], "text": ["Enter your story"]}

    def test_other_themes_are_created_once_and_matched_whatever_their_case(self, partnership, bob):
        Theme.objects.create(name="Transport")
        story = tell_member_story(
            actor=bob, partnership=partnership, details=details(other_themes="transport, damp homes ,Damp homes,,")
        )
        assert sorted(t.name for t in story.themes.all()) == ["Damp homes", "Transport"]
        assert Theme.objects.count() == 2

    def test_too_many_or_too_long_other_themes_are_refused(self, partnership, bob):
        with pytest.raises(ValidationError) as exc:
            tell_member_story(actor=bob, partnership=partnership, details=details(other_themes="a,b,c,d,e,f"))
        assert errors_of(exc) == {"other_themes": ["Enter up to 5 other themes"]}
        with pytest.raises(ValidationError) as exc:
            tell_member_story(actor=bob, partnership=partnership, details=details(other_themes="x" * 81))
        assert errors_of(exc) == {"other_themes": ["Each theme must be 80 characters or fewer"]}

    def test_members_may_include_a_link(self, partnership, bob):
        story = tell_member_story(actor=bob, partnership=partnership, details=details(text="See www.example.org"))
        assert story.pk


class TestPublicStories:
    def test_a_public_story_gets_a_withdrawal_key_of_which_only_the_hash_is_kept(self, partnership):
        told = tell_public_story(partnership=partnership, details=details(), network_address="203.0.113.5")
        story = Story.objects.get()
        assert story == told.story and story.source == "public" and story.submitted_by is None
        assert len(told.withdrawal_key) >= 32 and story.withdrawal_key_hash == withdrawal_key_hash(told.withdrawal_key)
        assert told.withdrawal_key not in str(Story.objects.values().get())
        # The address itself is not stored, only a keyed hash of it.
        assert story.submitter_key == network_key("203.0.113.5") and "203.0.113.5" not in str(
            Story.objects.values().get()
        )

    def test_the_withdrawal_link_is_emailed_when_an_address_is_given(
        self, partnership, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            told = tell_public_story(
                partnership=partnership,
                details=details(),
                contact_email="storyteller@example.org",
                network_address="203.0.113.5",
                base_url="https://cocommission.example/",
            )
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["storyteller@example.org"]
        assert f"https://cocommission.example/withdraw-story/{told.withdrawal_key}/" in message.body
        assert partnership.name in message.subject

    def test_no_email_without_an_address(self, partnership, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            tell_public_story(partnership=partnership, details=details(), network_address="203.0.113.5")
        assert mail.outbox == []

    @pytest.mark.parametrize("field", ["title", "text", "place", "population_group", "other_themes"])
    def test_links_are_refused(self, partnership, field):
        with pytest.raises(ValidationError) as exc:
            tell_public_story(
                partnership=partnership, details=details(**{field: "see https://example.com"}), network_address="x"
            )
        assert errors_of(exc) == {field: [NO_LINKS]}
        assert not Story.objects.exists()

    def test_a_public_story_without_consent_is_refused(self, partnership):
        with pytest.raises(ValidationError) as exc:
            tell_public_story(partnership=partnership, details=details(consent_partnership=False))
        assert errors_of(exc) == {"consent_partnership": [CONSENT_REQUIRED]}


class TestRateLimit:
    def tell(self, partnership, address="203.0.113.9"):
        return tell_public_story(partnership=partnership, details=details(), network_address=address)

    def age(self, hours: float) -> None:
        Story.objects.update(created_at=timezone.now() - datetime.timedelta(hours=hours))

    def test_three_an_hour_from_one_address(self, partnership):
        for _ in range(3):
            self.tell(partnership)
        with pytest.raises(TooManyStories) as exc:
            self.tell(partnership)
        assert "in the last hour" in exc.value.messages[0]
        assert Story.objects.count() == 3
        self.tell(partnership, address="198.51.100.7")  # another address is not held up

    def test_the_hour_passes(self, partnership):
        for _ in range(3):
            self.tell(partnership)
        self.age(1.1)
        self.tell(partnership)
        assert Story.objects.count() == 4

    def test_ten_a_day_from_one_address(self, partnership):
        for _ in range(10):
            self.tell(partnership)
            self.age(1.1)
        with pytest.raises(TooManyStories) as exc:
            self.tell(partnership)
        assert "today" in exc.value.messages[0]
        self.age(24.1)
        self.tell(partnership)

    def test_the_limit_counts_across_partnerships(self, partnership):
        other = StoryFactory.create().partnership
        for _ in range(3):
            self.tell(other)
        with pytest.raises(TooManyStories):
            self.tell(partnership)

    def test_an_ipv6_household_counts_as_one(self, partnership):
        for suffix in ("1", "2", "3"):
            self.tell(partnership, address=f"2001:db8:1:2::{suffix}")
        with pytest.raises(TooManyStories):
            self.tell(partnership, address="2001:db8:1:2:ffff::9")
        self.tell(partnership, address="2001:db8:1:3::1")

    def test_the_key_is_keyed_with_the_secret(self, settings):
        first = network_key("203.0.113.9")
        settings.SECRET_KEY = "another secret that is long enough for the check"
        assert network_key("203.0.113.9") != first


@pytest.mark.django_db(transaction=True)
def test_stories_sent_at_the_same_moment_from_one_address_are_counted_one_after_another(partnership):
    """Without the lock each of the eight would count the others as not yet sent."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's write transactions already begin one at a time")
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def tell() -> None:
        try:
            barrier.wait()
            tell_public_story(partnership=partnership, details=details(), network_address="203.0.113.9")
            outcomes.append("saved")
        except TooManyStories:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=tell) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused"] * 5 + ["saved"] * 3
    assert Story.objects.count() == 3


class TestPublishing:
    @pytest.fixture
    def story(self, partnership, bob):
        return tell_member_story(actor=bob, partnership=partnership, details=details())

    def publish(self, story, actor, **overrides):
        values = {"title": "Nowhere to go", "text": "The lunch club closed. My neighbour [name] shops for me."}
        return publish_story(actor=actor, story=story, **{**values, **overrides})

    def test_publishing_the_anonymised_story(self, story, cora):
        published = self.publish(story, cora)
        assert (published.status, published.moderated_by) == ("published", cora)
        assert published.published_text == "The lunch club closed. My neighbour [name] shops for me."
        assert published.text == TEXT  # the storyteller's words stay, for moderators only
        event = AuditEvent.objects.filter(action="update", object_type="needs.story").get()
        assert event.changes == {"status": ["submitted", "published"]} and event.object_label == f"Story {story.pk}"

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            (
                "Email me at me@example.org.",
                "The story still has an email address in it: “me@example.org”. Replace it with [email]",
            ),
            (
                "Ring 07700 900123 or 0113 496 0000.",
                "The story still has a phone number in it: “07700 900123”, “0113 496 0000”. Replace them with [phone]",
            ),
            ("Near BK1 2AB.", "The story still has a postcode in it: “BK1 2AB”. Replace it with [postcode]"),
            (
                "At 4 Oak Road, BK1 2AB.",
                "The story still has an address and a postcode in it: “4 Oak Road”, “BK1 2AB”. "
                "Replace them with [address] and [postcode]",
            ),
        ],
    )
    def test_contact_details_left_in_are_refused(self, story, cora, text, message):
        with pytest.raises(ValidationError) as exc:
            self.publish(story, cora, text=text, names_checked=True)
        assert errors_of(exc) == {"published_text": [message]}
        story.refresh_from_db()
        assert story.status == "submitted" and story.published_text == ""

    def test_details_in_the_title_or_the_place_are_refused_too(self, story, cora):
        with pytest.raises(ValidationError) as exc:
            self.publish(story, cora, title="Call 07700 900123", place="12 Acacia Avenue")
        assert set(errors_of(exc)) == {"published_title", "place"}

    def test_names_left_in_are_refused_unless_the_moderator_has_checked_them(self, story, cora):
        with pytest.raises(ValidationError) as exc:
            self.publish(story, cora, text="My neighbour Maureen shops for me.")
        assert errors_of(exc) == {
            "published_text": [
                "The story still has words that look like people’s names: “Maureen”. Replace them with [name], "
                "or tick the box to confirm they are not people’s names"
            ]
        }
        published = self.publish(story, cora, text="A shop called Maureen's Pantry delivers.", names_checked=True)
        assert published.status == "published"

    def test_a_place_name_is_not_a_name(self, story, cora, partnership):
        partnership.place = "Florence and Grange"
        partnership.save()
        assert self.publish(story, cora, text="The bus to Florence stopped.").status == "published"

    def test_publishing_twice_is_refused(self, story, cora):
        self.publish(story, cora)
        with pytest.raises(ValidationError, match="already been published"):
            self.publish(story, cora)

    def test_an_empty_title_or_story_is_refused(self, story, cora):
        with pytest.raises(ValidationError) as exc:
            self.publish(story, cora, title="", text=" ")
        assert errors_of(exc) == {
            "published_title": ["Enter the title to publish"],
            "published_text": ["Enter the story to publish"],
        }


class TestDeclining:
    def test_declining_with_a_note(self, partnership, cora):
        story = StoryFactory.create(partnership=partnership)
        declined = decline_story(actor=cora, story=story, note="Not about services here.")
        assert (declined.status, declined.moderation_note, declined.moderated_by) == (
            "declined",
            "Not about services here.",
            cora,
        )

    def test_a_note_is_needed(self, partnership, cora):
        story = StoryFactory.create(partnership=partnership)
        with pytest.raises(ValidationError) as exc:
            decline_story(actor=cora, story=story, note="  ")
        assert errors_of(exc) == {"note": ["Enter why the story is not being published"]}

    def test_a_published_story_cannot_be_declined(self, partnership, cora):
        story = StoryFactory.create(partnership=partnership, published=True)
        with pytest.raises(ValidationError, match="Only a story waiting"):
            decline_story(actor=cora, story=story, note="Changed my mind")

    def test_a_declined_story_can_still_be_published(self, partnership, cora):
        story = decline_story(actor=cora, story=StoryFactory.create(partnership=partnership), note="Too short")
        story = publish_story(actor=cora, story=story, title="Waiting", text="I waited.")
        assert story.status == "published" and story.moderation_note == ""


class TestErasing:
    def test_withdrawing_erases_the_story_and_the_audit_keeps_no_words(self, partnership, bob, cora):
        story = tell_member_story(actor=bob, partnership=partnership, details=details(other_themes="Shopping"))
        publish_story(actor=cora, story=story, title="Nowhere to go", text="The lunch club closed.")
        priority = PriorityFactory.create(partnership=partnership)
        priority.stories.add(story)
        erase_story(actor=bob, story=story)
        assert not Story.objects.exists()
        assert priority.stories.count() == 0 and Theme.objects.filter(name="Shopping").exists()
        erased = AuditEvent.objects.get(action="delete", object_type="needs.story")
        assert erased.object_label == f"Story {story.pk}" and erased.partnership_id == partnership.pk
        assert erased.changes == {"status": ["published", "withdrawn and erased"]}
        # Nothing the storyteller wrote is in any audit entry about the story.
        for event in AuditEvent.objects.filter(object_type="needs.story"):
            recorded = f"{event.object_label} {event.changes}"
            assert "lunch club" not in recorded and "Nowhere" not in recorded and "Eastfield" not in recorded

    def test_a_public_storyteller_erases_without_signing_in(self, partnership):
        told = tell_public_story(partnership=partnership, details=details(), network_address="203.0.113.5")
        erase_story(actor=None, story=told.story)
        assert not Story.objects.exists()
        assert AuditEvent.objects.get(action="delete").actor_label == "system"

    def test_moderating_a_withdrawn_story_is_refused(self, partnership, bob, cora):
        story = tell_member_story(actor=bob, partnership=partnership, details=details())
        stale = Story.objects.get(pk=story.pk)
        erase_story(actor=bob, story=story)
        with pytest.raises(ValidationError, match="withdrawn"):
            publish_story(actor=cora, story=stale, title="T", text="Text")
