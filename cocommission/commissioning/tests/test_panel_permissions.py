"""The doors to panel pages: 404 when the thing must stay hidden, 403 (with a reason) otherwise."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from ..models import Opportunity
from ..permissions import (
    PanelRefusal,
    access_moderation,
    access_panel_application,
    access_panel_member,
    access_panel_seat,
    can_moderate,
)
from ..routes import State
from .factories import ApplicationFactory, OpportunityFactory, PanelFactory, PanelMemberFactory
from .panel_world import World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(icb, org_a, org_b, charlie, lena, partnership) -> World:
    return build_world(icb=icb, org_a=org_a, org_b=org_b, charlie=charlie, lena=lena, partnership=partnership)


def test_a_panel_member_reaches_their_own_seat(world):
    opportunity, seat = access_panel_seat(user=world.lena, slug=world.opportunity.slug)
    assert opportunity == world.opportunity
    assert seat == world.seats["lena"]


def test_people_not_on_the_panel_are_refused_with_a_reason(world, alice, sid, cora):
    for person in (alice, sid, cora):
        with pytest.raises(PanelRefusal) as caught:
            access_panel_seat(user=person, slug=world.opportunity.slug)
        assert "You are not on the panel for this opportunity" in str(caught.value)


def test_a_draft_opportunitys_panel_stays_hidden_from_outsiders(icb, alice):
    opportunity = OpportunityFactory.create(funder=icb)
    with pytest.raises(Http404):
        access_panel_seat(user=alice, slug=opportunity.slug)
    with pytest.raises(Http404):
        access_moderation(user=alice, slug=opportunity.slug)


def test_only_managers_reach_panel_members(world, sid, cora, alice):
    seat = world.seats["lena"]
    for manager in (sid, cora):  # the funder's commissioner and the partnership's coordinator
        assert access_panel_member(user=manager, slug=world.opportunity.slug, pk=seat.pk)[1] == seat
    for person in (alice, world.lena):
        with pytest.raises(PermissionDenied):
            access_panel_member(user=person, slug=world.opportunity.slug, pk=seat.pk)


def test_a_member_of_another_panel_is_not_found_through_this_opportunity(world, sid, icb):
    other_seat = PanelMemberFactory.create(panel=PanelFactory.create(opportunity=OpportunityFactory.create(funder=icb)))
    with pytest.raises(Http404):
        access_panel_member(user=sid, slug=world.opportunity.slug, pk=other_seat.pk)


def test_panels_only_see_this_opportunitys_submitted_applications(world, icb):
    assert access_panel_application(opportunity=world.opportunity, pk=world.app_a.pk) == world.app_a
    draft = ApplicationFactory.create(opportunity=world.opportunity)
    elsewhere = ApplicationFactory.create(opportunity=OpportunityFactory.create(funder=icb), submitted=True)
    for application in (draft, elsewhere):
        with pytest.raises(Http404):
            access_panel_application(opportunity=world.opportunity, pk=application.pk)


def test_moderation_is_for_managers_and_chairs(world, sid, cora, alice, pat):
    for person in (sid, cora, world.stella):
        assert can_moderate(person, world.opportunity)
        assert access_moderation(user=person, slug=world.opportunity.slug) == world.opportunity
    for person in (world.lena, world.charlie, alice, pat):
        assert not can_moderate(person, world.opportunity)
        with pytest.raises(PanelRefusal):
            access_moderation(user=person, slug=world.opportunity.slug)


def test_moderation_stays_open_to_read_after_the_decision(world, sid):
    Opportunity.objects.filter(pk=world.opportunity.pk).update(state=State.AWARDED)
    assert access_moderation(user=sid, slug=world.opportunity.slug).state == State.AWARDED


def test_anonymous_visitors_cannot_moderate(world):
    assert not can_moderate(AnonymousUser(), world.opportunity)  # type: ignore[arg-type]
