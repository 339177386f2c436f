"""The demo place's stories: 30 published with consent, of varied places, groups and themes, and
2 waiting for moderation; loading twice adds nothing."""

import pytest
from django.utils import timezone

from cocommission.demo.together import stories as demo_stories
from cocommission.demo.together.world import TogetherDemo
from cocommission.needs import anonymise
from cocommission.needs.models import Story
from cocommission.needs.selectors.stories import place_names_for
from cocommission.organisations.models import Organisation
from cocommission.partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def _demo() -> TogetherDemo:
    return TogetherDemo(
        today=timezone.localdate(),
        partnership=Partnership.objects.get(slug="brackenmoor-together"),
        orgs={o.slug: o for o in Organisation.objects.all()},
    )


def test_thirty_published_stories_and_two_waiting(demo):
    stories = Story.objects.filter(partnership=demo.partnership)
    assert stories.filter(status=Story.Status.PUBLISHED).count() == 30
    assert stories.filter(status=Story.Status.SUBMITTED).count() == 2
    assert not stories.filter(consent_partnership=False).exists()


def test_the_published_stories_vary_in_place_group_and_theme(demo):
    published = Story.objects.filter(partnership=demo.partnership, status=Story.Status.PUBLISHED)
    assert published.values("place").distinct().count() >= 8
    assert published.values("population_group").distinct().count() >= 10
    assert published.values("themes").distinct().count() >= 10
    assert published.filter(source=Story.Source.PUBLIC).exists() and published.filter(source="member").exists()
    assert published.filter(consent_public=True).count() >= 25


def test_published_stories_keep_no_personal_details(demo):
    places = place_names_for(demo.partnership)
    for story in Story.objects.filter(partnership=demo.partnership, status=Story.Status.PUBLISHED):
        for text in (story.published_title, story.published_text):
            assert anonymise.find_personal_details(text, place_names=places) == [], story.title
    # The coordinator removed what the storytellers wrote about other people.
    hip = Story.objects.get(title="Eleven weeks for a call back")
    assert "Maureen" in hip.text and "Maureen" not in hip.published_text and "[name]" in hip.published_text
    flat = Story.objects.get(title="Back from hospital to a cold flat")
    assert "[address]" in flat.published_text


def test_one_waiting_story_has_every_kind_of_detail_for_a_moderator_to_remove(demo):
    waiting = Story.objects.get(title="My neighbour’s damp flat")
    kinds = {f.kind for f in anonymise.find_personal_details(waiting.text)}
    assert kinds == set(anonymise.Kind)


def test_loading_again_adds_nothing(demo):
    before = Story.objects.count()
    demo_stories.load(demo)
    assert Story.objects.count() == before
