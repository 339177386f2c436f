"""Contributions (questions, points, follows), hanging questions and the balance of voices."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cocommission.deciding.models import Contribution, Voice
from cocommission.deciding.selectors.meetings import (
    balance_of,
    contributions_of,
    follow_choices,
    hanging_questions,
    meetings_to_follow_up,
    question_thread,
)
from cocommission.deciding.services.contributions import add_contribution
from cocommission.deciding.tests.factories import AttendanceFactory, ContributionFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def earlier(partnership, alice, sid, lena, org_a, icb):
    meeting = MeetingFactory.create(partnership=partnership, starts_at=days_ago(40), title="Winter board")
    AttendanceFactory.create(meeting=meeting, user=alice, organisation=org_a, voice=Voice.VCSE)
    AttendanceFactory.create(meeting=meeting, user=sid, organisation=icb, voice=Voice.STATUTORY)
    return meeting


@pytest.fixture
def meeting(partnership, alice, sid, lena, org_a, icb):
    meeting = MeetingFactory.create(partnership=partnership, starts_at=days_ago(3), title="Spring board")
    AttendanceFactory.create(meeting=meeting, user=alice, organisation=org_a, voice=Voice.VCSE)
    AttendanceFactory.create(meeting=meeting, user=sid, organisation=icb, voice=Voice.STATUTORY)
    AttendanceFactory.create(meeting=meeting, user=lena, voice=Voice.LIVED_EXPERIENCE, lived_experience=True)
    return meeting


def refused(**kwargs) -> dict[str, list[str]]:
    before = Contribution.objects.count()
    with pytest.raises(ValidationError) as caught:
        add_contribution(**kwargs)
    assert Contribution.objects.count() == before  # nothing half-saved
    return caught.value.message_dict if hasattr(caught.value, "error_dict") else {"": caught.value.messages}


class TestAdding:
    def test_someone_who_came_asks_a_question_in_the_voice_they_came_with(self, meeting, sid, icb):
        question = add_contribution(actor=sid, meeting=meeting, kind="question", text=" Who holds the budget? ")
        assert (question.by, question.organisation, question.voice, question.text) == (
            sid,
            icb,
            Voice.STATUTORY,
            "Who holds the budget?",
        )

    def test_someone_who_did_not_come_cannot_contribute(self, meeting, bob):
        assert refused(actor=bob, meeting=meeting, kind="point", text="A point") == {
            "": ["Only people who attended the meeting, or its coordinator, can add contributions"]
        }

    def test_the_coordinator_contributes_without_attending_or_records_what_someone_said(self, meeting, cora, lena):
        own = add_contribution(actor=cora, meeting=meeting, kind="point", text="Thank you all")
        assert (own.by, own.voice) == (cora, Voice.OTHER)
        noted = add_contribution(actor=cora, meeting=meeting, kind="question", text="Who decides?", speaker=lena)
        assert (noted.by, noted.voice) == (lena, Voice.LIVED_EXPERIENCE)

    def test_only_the_coordinator_records_for_others(self, meeting, alice, lena, bob, cora):
        assert refused(actor=alice, meeting=meeting, kind="point", text="x", speaker=lena) == {
            "speaker": ["Only the coordinator can record what someone else said"]
        }
        assert refused(actor=cora, meeting=meeting, kind="point", text="x", speaker=bob) == {
            "speaker": ["Only people who attended the meeting, or its coordinator, can add contributions"]
        }

    def test_a_question_can_be_put_to_the_room_but_a_point_cannot(self, meeting, alice):
        question = add_contribution(actor=alice, meeting=meeting, kind="question", text="Why?", to_the_room=True)
        assert question.to_the_room
        assert refused(actor=alice, meeting=meeting, kind="point", text="x", to_the_room=True) == {
            "to_the_room": ["Only a question can be put to the room"]
        }

    def test_contributions_wait_for_the_day_of_the_meeting(self, partnership, cora):
        coming = MeetingFactory.create(partnership=partnership, starts_at=days_ago(-3))
        assert refused(actor=cora, meeting=coming, kind="point", text="Early") == {
            "": ["You can add questions, points and follows from the day of the meeting"]
        }

    @pytest.mark.parametrize(
        ("kind", "text", "expected"),
        [
            ("question", "  ", {"text": ["Enter the question"]}),
            ("follow", "", {"text": ["Enter how it builds on the question"]}),
            ("rant", "x", {"kind": ["Choose whether this is a question, a point or a follow"]}),
            ("point", "x" * 5001, {"text": ["The text must be 5,000 characters or fewer"]}),
        ],
    )
    def test_bad_input_is_refused(self, meeting, alice, kind, text, expected):
        assert refused(actor=alice, meeting=meeting, kind=kind, text=text) == expected


class TestFollows:
    def test_a_follow_picks_up_an_earlier_question_of_this_partnership(self, earlier, meeting, alice, sid):
        question = add_contribution(actor=alice, meeting=earlier, kind="question", text="Who holds the budget?")
        follow = add_contribution(
            actor=sid, meeting=meeting, kind="follow", text="The ICB does; here is how.", follows_id=question.pk
        )
        assert follow.follows == question
        assert question_thread(question)["follows"] == [follow]
        assert question_thread(follow)["question"] == question

    def test_a_follow_needs_a_question(self, meeting, alice):
        assert refused(actor=alice, meeting=meeting, kind="follow", text="x") == {
            "follows": ["Choose the question this follows"]
        }

    def test_a_follow_pointing_at_another_partnerships_question_is_refused(self, meeting, alice):
        theirs = ContributionFactory.create(meeting=MeetingFactory.create(starts_at=days_ago(50)))
        assert refused(actor=alice, meeting=meeting, kind="follow", text="x", follows_id=theirs.pk) == {
            "follows": ["Choose a question from this partnership's meetings"]
        }
        assert refused(actor=alice, meeting=meeting, kind="follow", text="x", follows_id=999_999) == {
            "follows": ["Choose a question from this partnership's meetings"]
        }

    def test_a_follow_pointing_at_a_point_or_a_later_question_is_refused(self, earlier, meeting, alice, sid):
        point = add_contribution(actor=alice, meeting=meeting, kind="point", text="A point")
        assert refused(actor=alice, meeting=meeting, kind="follow", text="x", follows_id=point.pk) == {
            "follows": ["A follow picks up a question: choose a question, not a point or a follow"]
        }
        later = add_contribution(actor=alice, meeting=meeting, kind="question", text="Later?")
        assert refused(actor=sid, meeting=earlier, kind="follow", text="x", follows_id=later.pk) == {
            "follows": ["Choose a question from this meeting or an earlier one"]
        }

    def test_choosing_a_question_for_something_that_is_not_a_follow_is_refused(self, meeting, alice):
        question = add_contribution(actor=alice, meeting=meeting, kind="question", text="Why?")
        errors = refused(actor=alice, meeting=meeting, kind="point", text="x", follows_id=question.pk)
        assert list(errors) == ["follows"]

    def test_the_choices_are_this_and_earlier_meetings_questions_grouped_by_meeting(self, earlier, meeting, alice):
        old = add_contribution(actor=alice, meeting=earlier, kind="question", text="Old question")
        new = add_contribution(actor=alice, meeting=meeting, kind="question", text="New question")
        add_contribution(actor=alice, meeting=meeting, kind="point", text="Not a question")
        ContributionFactory.create(meeting=MeetingFactory.create(starts_at=days_ago(10)))  # another partnership
        choices = follow_choices(meeting)
        assert choices[0] == ("", "Choose a question")
        assert [[pk for pk, _ in group] for _, group in choices[1:]] == [[new.pk], [old.pk]]
        assert choices[1][0].startswith("Spring board, ")
        assert [[pk for pk, _ in group] for _, group in follow_choices(earlier)[1:]] == [[old.pk]]

    def test_where_a_question_can_be_followed_up(self, earlier, meeting, alice, cora, charlie):
        question = add_contribution(actor=alice, meeting=earlier, kind="question", text="Why?")
        assert meetings_to_follow_up(question, user=alice, coordinator=False) == [meeting, earlier]
        assert meetings_to_follow_up(question, user=charlie, coordinator=False) == []
        MeetingFactory.create(partnership=earlier.partnership, starts_at=days_ago(-5))  # not held yet
        assert meetings_to_follow_up(question, user=cora, coordinator=True) == [meeting, earlier]


class TestHangingQuestions:
    def test_questions_unfollowed_for_14_days_are_listed_oldest_first(self, partnership, earlier, meeting, alice):
        oldest_meeting = MeetingFactory.create(partnership=partnership, starts_at=days_ago(60))
        oldest = ContributionFactory.create(meeting=oldest_meeting)
        hanging = ContributionFactory.create(meeting=earlier, text="Still waiting")
        answered = ContributionFactory.create(meeting=earlier, text="Answered")
        ContributionFactory.create(meeting=meeting, kind="follow", follows=answered)
        ContributionFactory.create(meeting=meeting, text="Too recent to hang")
        ContributionFactory.create(meeting=earlier, kind="point", text="A point")
        ContributionFactory.create(meeting=MeetingFactory.create(starts_at=days_ago(90)))  # another partnership
        assert list(hanging_questions(partnership)) == [oldest, hanging]

    def test_a_follow_takes_a_question_off_the_list(self, partnership, earlier, meeting, alice, sid):
        question = add_contribution(actor=alice, meeting=earlier, kind="question", text="Who holds the budget?")
        assert list(hanging_questions(partnership)) == [question]
        assert question_thread(question)["hanging"]
        add_contribution(actor=sid, meeting=meeting, kind="follow", text="We do.", follows_id=question.pk)
        assert list(hanging_questions(partnership)) == []
        assert not question_thread(question)["hanging"]

    def test_the_boundary_is_14_days_after_the_meeting(self, partnership):
        question = ContributionFactory.create(
            meeting=MeetingFactory.create(partnership=partnership, starts_at=days_ago(14))
        )
        now = timezone.now()
        assert list(hanging_questions(partnership, now=now + datetime.timedelta(minutes=1))) == [question]
        assert list(hanging_questions(partnership, now=now - datetime.timedelta(minutes=1))) == []


def test_the_balance_counts_each_voices_contributions_beside_who_came(meeting, alice, sid, lena, cora):
    add_contribution(actor=alice, meeting=meeting, kind="question", text="Q1")
    add_contribution(actor=alice, meeting=meeting, kind="point", text="P1")
    question = add_contribution(actor=lena, meeting=meeting, kind="question", text="Q2", to_the_room=True)
    add_contribution(actor=sid, meeting=meeting, kind="follow", text="F1", follows_id=question.pk)
    balance = balance_of(contributions_of(meeting), list(meeting.attendances.all()))
    rows = {
        row.voice: (row.attending, row.questions, row.points, row.follows, row.total, row.share) for row in balance.rows
    }
    assert rows == {
        Voice.STATUTORY: (1, 0, 0, 1, 1, 25),
        Voice.VCSE: (1, 1, 1, 0, 2, 50),
        Voice.LIVED_EXPERIENCE: (1, 1, 0, 0, 1, 25),
        Voice.OTHER: (0, 0, 0, 0, 0, 0),
    }
    totals = balance.totals
    assert (totals.attending, totals.questions, totals.points, totals.follows, totals.total) == (3, 2, 1, 1, 4)


def test_a_balance_with_no_contributions_has_no_shares(meeting):
    balance = balance_of([], list(meeting.attendances.all()))
    assert [row.share for row in balance.rows] == [0, 0, 0, 0] and balance.totals.total == 0
