"""Reads for the priority pages, and the agreed priorities an opportunity can serve."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from cocommission.accounts.models import User
from cocommission.commissioning.models import Opportunity
from cocommission.partnerships.models import Partnership

from ..models import Indicator, Priority, Story
from ..permissions import is_coordinator
from ..services.priorities import may_change
from .indicators import IndicatorView, indicator_views


def priority_list(partnership: Partnership, *, status: str = "") -> QuerySet[Priority]:
    """The partnership's priorities with how much evidence each has, in one query."""
    queryset = Priority.objects.filter(partnership=partnership)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.annotate(
        story_count=Count("stories", filter=Q(stories__status=Story.Status.PUBLISHED), distinct=True),
        indicator_count=Count("indicators", distinct=True),
        opportunity_count=Count("opportunities", distinct=True),
    ).order_by("status", "title", "pk")


def published_stories(partnership: Partnership) -> QuerySet[Story]:
    """The stories a priority can link: published by the partnership's moderators."""
    return Story.objects.filter(partnership=partnership, status=Story.Status.PUBLISHED).order_by("-created_at", "-id")


def partnership_indicators(partnership: Partnership) -> QuerySet[Indicator]:
    return Indicator.objects.filter(partnership=partnership).order_by("name")


@dataclass(frozen=True)
class PriorityPage:
    priority: Priority
    stories: list[Story]
    indicators: list[IndicatorView]
    opportunities: list[Opportunity]
    can_change: bool
    can_manage: bool


def priority_page(priority: Priority, user: User) -> PriorityPage:
    """The need, with its stories and its indicators (each with a chart and table) side by side,
    and the opportunities that serve it. A fixed number of queries however much evidence."""
    stories = list(
        priority.stories.filter(status=Story.Status.PUBLISHED).prefetch_related("themes").order_by("-created_at")
    )
    indicators = list(priority.indicators.order_by("name"))
    opportunities = list(Opportunity.objects.filter(priority=priority).select_related("funder").order_by("title"))
    return PriorityPage(
        priority=priority,
        stories=stories,
        indicators=indicator_views(indicators),
        opportunities=opportunities,
        can_change=may_change(user, priority),
        can_manage=priority.status != Priority.Status.RETIRED and is_coordinator(user, priority.partnership),
    )


def agreed_priorities(partnership_ids: Iterable[int], *, keep: int | None = None) -> QuerySet[Priority]:
    """What an opportunity of these partnerships can say it serves: their agreed priorities
    (and the one it already serves, `keep`, even if since retired)."""
    condition = Q(partnership_id__in=list(partnership_ids), status=Priority.Status.AGREED)
    if keep is not None:
        condition |= Q(pk=keep)
    return Priority.objects.filter(condition).select_related("partnership").order_by("partnership__name", "title")
