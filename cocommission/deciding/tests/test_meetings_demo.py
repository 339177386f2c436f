"""The demo place's meetings: four of them, with agendas, who came by sector, minutes,
questions followed up at later meetings, and questions left hanging."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cocommission.accounts.models import User
from cocommission.deciding.models import Contribution, Meeting, Voice
from cocommission.deciding.selectors.meetings import hanging_questions
from cocommission.demo.together import meetings
from cocommission.demo.together.world import TogetherDemo
from cocommission.organisations.models import Interaction, Organisation
from cocommission.partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def together() -> TogetherDemo:
    return TogetherDemo(
        today=timezone.localdate(),
        partnership=Partnership.objects.get(slug="brackenmoor-together"),
        orgs={o.slug: o for o in Organisation.objects.all()},
    )


def test_four_meetings_three_held_and_one_coming_up(demo):
    loaded = list(Meeting.objects.filter(partnership=demo.partnership).order_by("starts_at"))
    assert len(loaded) == 4
    held, coming = loaded[:3], loaded[3]
    assert all(m.starts_at < timezone.now() and m.minutes and m.agenda_items.count() >= 4 for m in held)
    assert coming.starts_at > timezone.now() and coming.agenda_items.count() == 4
    assert not coming.attendances.exists() and coming.papers.exists()


def test_each_held_meeting_heard_every_sector_and_lived_experience(demo):
    for meeting in Meeting.objects.filter(partnership=demo.partnership, starts_at__lt=timezone.now()):
        voices = set(meeting.attendances.values_list("voice", flat=True))
        assert {Voice.STATUTORY, Voice.VCSE, Voice.LIVED_EXPERIENCE} <= voices, meeting.title
        assert meeting.attendances.filter(organisation__isnull=False).exists()
        assert meeting.contributions.filter(kind="question").exists()


def test_questions_are_followed_at_later_meetings_and_two_are_left_hanging(demo):
    follows = Contribution.objects.filter(meeting__partnership=demo.partnership, kind="follow")
    across = [
        f for f in follows.select_related("meeting", "follows__meeting") if f.follows and f.follows.meeting != f.meeting
    ]
    assert len(across) == 3
    hanging = list(hanging_questions(demo.partnership))
    assert [q.text.split(" ")[:3] for q in hanging] == [["Who", "decides", "which"], ["Could", "perinatal", "support"]]
    assert hanging[0].to_the_room
    assert all((timezone.now() - q.meeting.starts_at).days > 14 for q in hanging)


def test_meetings_are_on_the_relationship_timeline(demo):
    entries = Interaction.objects.filter(kind=Interaction.Kind.PARTNERSHIP_MEETING, partnership=demo.partnership)
    icb = demo.orgs["brackenmoor-icb"]
    food_bank = demo.orgs["lantern-theatre-food-bank"]
    low, high = sorted((icb, food_bank), key=lambda o: o.pk)
    # Both were at the winter pressures and spring priorities meetings.
    assert entries.filter(organisation_a=low, organisation_b=high).count() == 2


def test_loading_again_adds_nothing(demo):
    counts = (Meeting.objects.count(), Contribution.objects.count(), Interaction.objects.count())
    meetings.load(together())
    assert (Meeting.objects.count(), Contribution.objects.count(), Interaction.objects.count()) == counts


def test_the_pages_show_the_demo(demo, client, mfa_off):
    client.force_login(User.objects.get(email=meetings.COORDINATOR))
    spring = Meeting.objects.get(title="Partnership board: spring priorities")
    body = client.get(reverse("deciding:meeting_detail", args=[demo.partnership.slug, spring.pk])).content.decode()
    assert "Nobody will be dropped" in body and "Spring priorities: the evidence" in body
    hanging = client.get(reverse("deciding:hanging_questions", args=[demo.partnership.slug])).content.decode()
    assert "Could perinatal support be offered in Urdu and Bengali" in hanging
    client.force_login(User.objects.get(email=meetings.SAM))
    before = reverse("deciding:before_you_meet", args=["lantern-theatre-food-bank", "brackenmoor-icb"])
    body = client.get(before).content.decode()
    assert "Partnership board: winter pressures" in body and "Partnership board: spring priorities" in body
