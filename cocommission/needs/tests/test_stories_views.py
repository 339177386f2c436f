"""Story pages through the browser's eyes: who may see and do what, the public form with its
withdrawal link and rate limit, moderation, the lists and their query counts."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cocommission.accounts.tests.factories import UserFactory
from cocommission.needs.models import Story, Theme
from cocommission.needs.tests.factories import StoryFactory
from cocommission.partnerships.tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db

STORY = {
    "title": "Nowhere to go on a Tuesday",
    "text": "The lunch club closed. My neighbour Maureen brings my shopping. Ring me on 07700 900123.",
    "place": "Eastfield",
    "population_group": "Older people",
    "other_themes": "Loneliness",
    "consent_partnership": "on",
}


def url(name: str, *args) -> str:
    return reverse(f"needs:{name}", args=args)


@pytest.fixture
def outsider(db):
    return UserFactory(email="outsider@example.org")


@pytest.fixture
def waiting(partnership, bob):
    return StoryFactory.create(partnership=partnership, submitted_by=bob, title="Bob's waiting story")


class TestWhoMaySee:
    def test_outsiders_get_not_found_everywhere(self, client, partnership, outsider, waiting):
        published = StoryFactory.create(partnership=partnership, published=True)
        client.force_login(outsider)
        slug = partnership.slug
        for page in (
            url("story_list", slug),
            url("story_tell", slug),
            url("story_queue", slug),
            url("story_detail", slug, published.pk),
            url("story_moderate", slug, waiting.pk),
            url("story_decline", slug, waiting.pk),
            url("story_withdraw", waiting.pk),
        ):
            assert client.get(page).status_code == 404, page
        assert client.post(url("story_tell", slug), STORY).status_code == 404
        assert not Story.objects.filter(title=STORY["title"]).exists()

    def test_members_cannot_moderate(self, client, partnership, alice, waiting):
        client.force_login(alice)
        assert client.get(url("story_queue", partnership.slug)).status_code == 403
        assert client.get(url("story_moderate", partnership.slug, waiting.pk)).status_code == 403
        response = client.post(
            url("story_moderate", partnership.slug, waiting.pk), {"published_title": "T", "published_text": "Text"}
        )
        assert response.status_code == 403
        assert client.post(url("story_decline", partnership.slug, waiting.pk), {"note": "No"}).status_code == 403
        waiting.refresh_from_db()
        assert waiting.status == "submitted"

    def test_platform_admins_read_but_do_not_moderate(self, client, partnership, pat, mfa_off, waiting):
        client.force_login(pat)
        assert client.get(url("story_list", partnership.slug)).status_code == 200
        assert client.get(url("story_queue", partnership.slug)).status_code == 403

    def test_a_waiting_story_is_for_its_teller_and_the_coordinators(
        self, client, partnership, bob, alice, cora, waiting
    ):
        page = url("story_detail", partnership.slug, waiting.pk)
        client.force_login(alice)
        assert client.get(page).status_code == 404
        client.force_login(bob)
        body = client.get(page).content.decode()
        assert "Waiting for moderation" in body and "Withdraw your story" in body
        client.force_login(cora)
        assert "Check and publish this story" in client.get(page).content.decode()

    def test_another_partnerships_story_is_not_found_under_this_one(self, client, partnership, cora):
        elsewhere = StoryFactory.create(partnership=PartnershipFactory.create(), published=True)
        client.force_login(cora)
        assert client.get(url("story_detail", partnership.slug, elsewhere.pk)).status_code == 404
        assert client.get(url("story_moderate", partnership.slug, elsewhere.pk)).status_code == 404


class TestMembersTellingAStory:
    def test_a_member_tells_a_story(self, client, partnership, lena):
        client.force_login(lena)
        response = client.post(url("story_tell", partnership.slug), STORY)
        assert response.status_code == 302 and response.headers["Location"] == url("story_mine")
        story = Story.objects.get()
        assert (story.submitted_by, story.source, story.status) == (lena, "member", "submitted")
        assert [t.name for t in story.themes.all()] == ["Loneliness"]
        mine = client.get(url("story_mine")).content.decode()
        assert STORY["title"] in mine and "Waiting for moderation" in mine

    def test_without_consent_the_story_is_refused_and_the_words_stay_on_the_page(self, client, partnership, bob):
        client.force_login(bob)
        response = client.post(url("story_tell", partnership.slug), {**STORY, "consent_partnership": ""})
        body = response.content.decode()
        assert response.status_code == 200 and "Tick the box to agree your story can be shared" in body
        assert "The lunch club closed." in body and "<title>Error:" in body
        assert not Story.objects.exists()

    def test_themes_with_a_published_story_are_offered(self, client, partnership, bob):
        offered = Theme.objects.create(name="Transport")
        StoryFactory.create(partnership=partnership, published=True).themes.add(offered)
        public_only = Theme.objects.create(name="Not moderated yet")
        StoryFactory.create(partnership=partnership, source="public").themes.add(public_only)
        client.force_login(bob)
        body = client.get(url("story_tell", partnership.slug)).content.decode()
        assert "Transport" in body and "Not moderated yet" not in body


class TestThePublicForm:
    def test_it_shows_the_partnerships_name_and_place_only(self, client, partnership, cora):
        body = client.get(url("story_public_tell", partnership.slug)).content.decode()
        assert partnership.name in body and partnership.place in body
        assert cora.email not in body and reverse("partnerships:detail", args=[partnership.slug]) not in body

    def test_telling_shows_the_withdrawal_link_once_and_the_link_erases_the_story(self, client, partnership):
        response = client.post(url("story_public_tell", partnership.slug), STORY, REMOTE_ADDR="203.0.113.5")
        assert response.status_code == 200
        body = response.content.decode()
        found = re.search(r'href="(http://testserver/withdraw-story/[^"]+/)"', body)
        assert found is not None
        link = found.group(1)
        assert "we only show it once" in body
        story = Story.objects.get()
        assert story.source == "public" and story.submitter_key and "203.0.113.5" not in story.submitter_key
        path = link.removeprefix("http://testserver")
        assert "Withdraw your story?" in client.get(path).content.decode()
        done = client.post(path)
        assert done.status_code == 200 and "Your story has been withdrawn" in done.content.decode()
        assert not Story.objects.exists()
        assert client.get(path).status_code == 404

    def test_links_are_refused(self, client, partnership):
        data = {**STORY, "text": "Read more at www.example.com please"}
        response = client.post(url("story_public_tell", partnership.slug), data, REMOTE_ADDR="203.0.113.5")
        body = response.content.decode()
        assert response.status_code == 200 and "Remove web addresses: stories cannot include links" in body
        assert "Read more at www.example.com please" in body and not Story.objects.exists()

    def test_a_bad_email_address_is_refused(self, client, partnership):
        response = client.post(url("story_public_tell", partnership.slug), {**STORY, "contact_email": "not-an-email"})
        assert "Enter an email address in the correct format" in response.content.decode()
        assert not Story.objects.exists()

    def test_the_fourth_story_in_an_hour_gets_429(self, client, partnership):
        for _ in range(3):
            assert (
                client.post(url("story_public_tell", partnership.slug), STORY, REMOTE_ADDR="203.0.113.8").status_code
                == 200
            )
        response = client.post(url("story_public_tell", partnership.slug), STORY, REMOTE_ADDR="203.0.113.8")
        assert response.status_code == 429
        body = response.content.decode()
        assert "Try again in an hour" in body and "The lunch club closed." in body
        assert Story.objects.count() == 3
        other = client.post(url("story_public_tell", partnership.slug), STORY, REMOTE_ADDR="198.51.100.1")
        assert other.status_code == 200

    def test_behind_a_proxy_each_storyteller_is_counted_by_their_own_address(self, client, partnership, settings):
        settings.COCOMMISSION_TRUSTED_PROXY_COUNT = 1
        tell = url("story_public_tell", partnership.slug)
        for _ in range(3):
            client.post(tell, STORY, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.8")
        # Everyone arrives from the proxy's address; someone else behind it is not held up ...
        assert client.post(tell, STORY, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 200
        # ... and the first storyteller cannot get round the limit by writing the header themselves.
        spoofed = client.post(tell, STORY, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.8")
        assert spoofed.status_code == 429 and Story.objects.count() == 4

    def test_an_unknown_partnership_is_not_found(self, client):
        assert client.get(url("story_public_tell", "nowhere")).status_code == 404


class TestModeration:
    def test_the_page_marks_the_details_and_offers_them_replaced(self, client, partnership, cora, bob):
        story = StoryFactory.create(partnership=partnership, submitted_by=bob, text=STORY["text"])
        client.force_login(cora)
        body = client.get(url("story_moderate", partnership.slug, story.pk)).content.decode()
        assert "<mark>Maureen<span" in body and "<mark>07700 900123<span" in body
        assert "My neighbour [name] brings my shopping. Ring me on [phone]." in body

    def test_publishing_and_then_members_read_it(self, client, partnership, cora, bob, alice):
        story = StoryFactory.create(partnership=partnership, submitted_by=bob, text=STORY["text"])
        client.force_login(cora)
        data = {
            "published_title": "Nowhere to go",
            "published_text": "My neighbour [name] brings my shopping.",
            "place": "Eastfield",
            "population_group": "Older people",
        }
        response = client.post(url("story_moderate", partnership.slug, story.pk), data)
        assert response.status_code == 302 and response.headers["Location"] == url("story_queue", partnership.slug)
        client.force_login(alice)
        body = client.get(url("story_detail", partnership.slug, story.pk)).content.decode()
        assert "My neighbour [name] brings my shopping." in body and "Maureen" not in body

    def test_details_left_in_are_refused_and_the_text_stays(self, client, partnership, cora, waiting):
        client.force_login(cora)
        data = {"published_title": "Nowhere", "published_text": "Call me on 07700 900123, said Maureen."}
        response = client.post(url("story_moderate", partnership.slug, waiting.pk), data)
        body = response.content.decode()
        assert response.status_code == 200 and "still has a phone number in it" in body
        assert "Call me on 07700 900123, said Maureen." in body
        waiting.refresh_from_db()
        assert waiting.status == "submitted"

    def test_declining_with_a_note(self, client, partnership, cora, bob, waiting):
        client.force_login(cora)
        assert (
            "There is a problem" in client.post(url("story_decline", partnership.slug, waiting.pk), {}).content.decode()
        )
        response = client.post(url("story_decline", partnership.slug, waiting.pk), {"note": "Not about services."})
        assert response.status_code == 302
        waiting.refresh_from_db()
        assert waiting.status == "declined"
        client.force_login(bob)
        assert "Not about services." in client.get(url("story_detail", partnership.slug, waiting.pk)).content.decode()

    def test_the_queue_lists_waiting_stories_only(self, client, partnership, cora, waiting):
        StoryFactory.create(partnership=partnership, published=True, title="Already out")
        client.force_login(cora)
        body = client.get(url("story_queue", partnership.slug)).content.decode()
        assert "Bob&#x27;s waiting story" in body and "Already out" not in body


class TestWithdrawing:
    def test_a_member_withdraws_their_story(self, client, partnership, bob, waiting):
        client.force_login(bob)
        assert "Withdraw your story?" in client.get(url("story_withdraw", waiting.pk)).content.decode()
        response = client.post(url("story_withdraw", waiting.pk))
        assert response.status_code == 302 and not Story.objects.exists()

    def test_nobody_else_can_withdraw_it(self, client, partnership, alice, cora, waiting):
        for person in (alice, cora):
            client.force_login(person)
            assert client.post(url("story_withdraw", waiting.pk)).status_code == 404
        assert Story.objects.filter(pk=waiting.pk).exists()


class TestLists:
    def test_members_see_published_stories_and_filter_them(self, client, partnership, bob):
        transport = Theme.objects.create(name="Transport")
        bus = StoryFactory.create(partnership=partnership, published=True, title="The bus", place="Upper Dale")
        bus.themes.add(transport)
        StoryFactory.create(partnership=partnership, published=True, title="The club", population_group="Carers")
        StoryFactory.create(partnership=partnership, title="Not checked yet")
        client.force_login(bob)
        page = url("story_list", partnership.slug)
        body = client.get(page).content.decode()
        assert "The bus" in body and "The club" in body and "Not checked yet" not in body
        assert "The club" not in client.get(page, {"theme": transport.pk}).content.decode()
        assert "The club" not in client.get(page, {"place": "Upper Dale"}).content.decode()
        only_carers = client.get(page, {"group": "Carers"}).content.decode()
        assert "The club" in only_carers and "The bus" not in only_carers
        # A filter no story matches any more (an old link) shows every story.
        assert "The club" in client.get(page, {"place": "Gone"}).content.decode()

    def test_the_public_page_shows_only_stories_published_for_it(self, client, partnership):
        StoryFactory.create(partnership=partnership, published=True, consent_public=True, title="For everyone")
        hidden = StoryFactory.create(partnership=partnership, published=True, title="Members only")
        body = client.get(url("story_public_list", partnership.slug)).content.decode()
        assert "For everyone" in body and "Members only" not in body
        assert client.get(url("story_public_detail", partnership.slug, hidden.pk)).status_code == 404

    @pytest.mark.parametrize(
        ("name", "persona", "make"),
        [
            ("story_list", "bob", {"published": True}),
            ("story_queue", "cora", {}),
            ("story_public_list", None, {"published": True, "consent_public": True}),
            ("story_mine", "bob", {"submitted_by": "bob"}),
        ],
    )
    def test_the_query_count_does_not_grow_with_the_rows(
        self, client, partnership, request, django_assert_num_queries, name, persona, make
    ):
        def stories(count: int) -> None:
            for n in range(count):
                extra = {k: request.getfixturevalue(v) if k == "submitted_by" else v for k, v in make.items()}
                story = StoryFactory.create(partnership=partnership, place=f"Place {n}", **extra)
                story.themes.add(Theme.objects.get_or_create(name=f"Theme {n % 3}")[0])

        if persona:
            client.force_login(request.getfixturevalue(persona))
        page = url(name) if name == "story_mine" else url(name, partnership.slug)
        stories(2)
        with CaptureQueriesContext(connection) as few:
            assert client.get(page).status_code == 200
        stories(10)
        with django_assert_num_queries(len(few.captured_queries)):
            assert client.get(page).status_code == 200
