"""Reads for the story pages: published stories for members and the public, the moderation
queue, a storyteller's own stories, and what the moderation page suggests."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from cocommission.accounts.models import User
from cocommission.organisations.models import Area
from cocommission.partnerships.models import Partnership

from .. import anonymise
from ..models import Story, Theme


def published_stories(
    partnership: Partnership, *, theme: Theme | None = None, place: str = "", population_group: str = ""
) -> QuerySet[Story]:
    """The partnership's published stories, newest first, with their themes, filtered as asked."""
    stories = Story.objects.filter(partnership=partnership, status=Story.Status.PUBLISHED)
    if theme is not None:
        stories = stories.filter(themes=theme)
    if place:
        stories = stories.filter(place=place)
    if population_group:
        stories = stories.filter(population_group=population_group)
    return stories.prefetch_related("themes").order_by("-moderated_at", "-id")


def public_stories(partnership: Partnership) -> QuerySet[Story]:
    """Published stories whose storytellers agreed to public pages."""
    return published_stories(partnership).filter(consent_public=True)


@dataclass(frozen=True)
class StoryFilterChoices:
    themes: list[Theme]
    places: list[str]
    population_groups: list[str]


def story_filter_choices(partnership: Partnership) -> StoryFilterChoices:
    """What the published stories can be filtered by: only values some published story has."""
    published = Story.objects.filter(partnership=partnership, status=Story.Status.PUBLISHED)
    themes = Theme.objects.filter(Exists(published.filter(themes=OuterRef("pk")))).order_by("name")
    places = published.exclude(place="").order_by("place").values_list("place", flat=True).distinct()
    groups = (
        published.exclude(population_group="")
        .order_by("population_group")
        .values_list("population_group", flat=True)
        .distinct()
    )
    return StoryFilterChoices(themes=list(themes), places=list(places), population_groups=list(groups))


def theme_choices(partnership: Partnership, *, public: bool) -> QuerySet[Theme]:
    """The themes a storyteller can tick.

    Anyone can add a theme by typing it, so a theme is offered to others only once a moderator
    has published a story with it; on the members' form, also the themes this partnership's
    members have used.
    """
    shown = Q(stories__status=Story.Status.PUBLISHED)
    if not public:
        shown |= Q(stories__partnership=partnership, stories__source=Story.Source.MEMBER)
    return Theme.objects.filter(shown).distinct().order_by("name")


def moderation_queue(partnership: Partnership) -> QuerySet[Story]:
    """Stories waiting for a moderator, oldest first: they have waited longest."""
    return (
        Story.objects.filter(partnership=partnership, status=Story.Status.SUBMITTED)
        .prefetch_related("themes")
        .order_by("created_at", "id")
    )


def declined_count(partnership: Partnership) -> int:
    return Story.objects.filter(partnership=partnership, status=Story.Status.DECLINED).count()


def stories_told_by(user: User) -> QuerySet[Story]:
    """The stories a signed-in person told, in any partnership, newest first."""
    return Story.objects.filter(submitted_by=user).select_related("partnership").order_by("-created_at", "-id")


def place_names_for(partnership: Partnership) -> list[str]:
    """The partnership's place names, which are never people's names: its place, the areas its
    member organisations serve, and the places its published stories name."""
    areas = Area.objects.filter(organisations__partnership_seats__partnership=partnership).values_list(
        "name", flat=True
    )
    places = (
        Story.objects.filter(partnership=partnership, status=Story.Status.PUBLISHED)
        .exclude(place="")
        .values_list("place", flat=True)
    )
    return sorted({partnership.place, *areas, *places} - {""})


@dataclass(frozen=True)
class Suggestions:
    """What the moderation page shows: the storyteller's words with the details found marked,
    and the anonymised title and text offered for publishing."""

    title: list[list[anonymise.Segment]]
    text: list[list[anonymise.Segment]]
    findings: list[anonymise.Finding]
    anonymised_title: str
    anonymised_text: str


def suggestions_for(story: Story) -> Suggestions:
    places = [*place_names_for(story.partnership), story.place]
    in_title = anonymise.find_personal_details(story.title, place_names=places)
    in_text = anonymise.find_personal_details(story.text, place_names=places)
    return Suggestions(
        title=anonymise.segments(story.title, in_title),
        text=anonymise.segments(story.text, in_text),
        findings=in_title + in_text,
        anonymised_title=anonymise.replace(story.title, in_title),
        anonymised_text=anonymise.replace(story.text, in_text),
    )
