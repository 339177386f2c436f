"""Meeting pages through the browser's eyes: who may do what, what each page shows, refusals
that keep what was typed, and query counts that do not grow with the rows."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cocommission.deciding.models import AgendaItem, Attendance, Contribution, Meeting, MeetingPaper, Voice
from cocommission.deciding.tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    ContributionFactory,
    DecisionMomentFactory,
    MeetingFactory,
)
from cocommission.demo.loader import demo_pdf
from cocommission.organisations.models import Interaction

# sid is a commissioner, who would otherwise be asked to set up two-step sign in first.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mfa_off")]


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def meeting(partnership, alice, sid, org_a, icb):
    meeting = MeetingFactory.create(partnership=partnership, starts_at=days_ago(20), title="Spring board")
    AttendanceFactory.create(meeting=meeting, user=alice, organisation=org_a, voice=Voice.VCSE)
    AttendanceFactory.create(meeting=meeting, user=sid, organisation=icb, voice=Voice.STATUTORY)
    return meeting


def url(name: str, meeting: Meeting, *args: int) -> str:
    return reverse(f"deciding:{name}", args=[meeting.partnership.slug, meeting.pk, *args])


class TestMeetingPages:
    def test_a_coordinator_adds_a_meeting(self, client, partnership, cora):
        client.force_login(cora)
        response = client.post(
            reverse("deciding:meeting_create", args=[partnership.slug]),
            {"title": "Summer board", "date": "2026-07-01", "time": "18:30", "location": "Town hall"},
        )
        meeting = Meeting.objects.get()
        assert response.status_code == 302 and response["Location"] == url("meeting_agenda", meeting)
        assert timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M") == "2026-07-01 18:30"

    def test_missing_details_are_refused_keeping_what_was_typed(self, client, partnership, cora):
        client.force_login(cora)
        response = client.post(
            reverse("deciding:meeting_create", args=[partnership.slug]),
            {"title": "Summer board", "date": "", "time": "25:00", "location": "Town hall"},
        )
        body = response.content.decode()
        assert response.status_code == 200 and "Enter the date of the meeting" in body
        assert "Enter the start time like 18:30" in body and 'value="Summer board"' in body
        assert not Meeting.objects.exists()

    def test_a_member_who_is_not_the_coordinator_cannot_add_or_change_a_meeting(self, client, meeting, alice):
        client.force_login(alice)
        data = {"title": "Mine", "date": "2026-07-01", "time": "18:30"}
        assert client.post(reverse("deciding:meeting_create", args=[meeting.partnership.slug]), data).status_code == 403
        assert client.post(url("meeting_edit", meeting), data).status_code == 403
        assert client.post(url("meeting_minutes", meeting), {"minutes": "x"}).status_code == 403
        assert Meeting.objects.get().title == "Spring board"

    def test_an_outsider_gets_a_404(self, client, meeting, django_user_model):
        client.force_login(django_user_model.objects.create_user(email="out@example.org", password=None))
        assert client.get(url("meeting_detail", meeting)).status_code == 404
        assert client.get(reverse("deciding:meeting_list", args=[meeting.partnership.slug])).status_code == 404

    def test_the_meeting_page_shows_agenda_attendance_balance_and_minutes(self, client, meeting, bob):
        AgendaItemFactory.create(meeting=meeting, position=1, title="Welcome and apologies")
        AgendaItemFactory.create(meeting=meeting, position=2, title="Horizon scan", kind="horizon_scan")
        meeting.minutes = "Agreed to look again at carers' breaks."
        meeting.save()
        client.force_login(bob)
        body = client.get(url("meeting_detail", meeting)).content.decode()
        assert body.index("Welcome and apologies") < body.index("Horizon scan")
        assert "Brackenmoor ICB" in body and "Riverside Carers" in body
        assert "Contributions by sector, beside how many of each came" in body
        assert "carers&#x27; breaks" in body
        assert "Change the agenda" not in body  # not the coordinator

    def test_decisions_taken_at_the_meeting_are_linked(self, client, meeting, bob):
        moment = DecisionMomentFactory.create(partnership=meeting.partnership, meeting=meeting, title="Agree carers")
        client.force_login(bob)
        body = client.get(url("meeting_detail", meeting)).content.decode()
        assert reverse("deciding:moment_detail", args=[meeting.partnership.slug, moment.pk]) in body

    def test_the_edit_page_keeps_the_current_details(self, client, meeting, cora):
        client.force_login(cora)
        body = client.get(url("meeting_edit", meeting)).content.decode()
        assert 'value="Spring board"' in body
        response = client.post(
            url("meeting_edit", meeting), {"title": "Spring board (moved)", "date": "2026-03-02", "time": "10:00"}
        )
        assert response.status_code == 302
        meeting.refresh_from_db()
        assert meeting.title == "Spring board (moved)" and meeting.location == ""


class TestAgendaPages:
    def test_add_move_and_remove_items(self, client, meeting, cora):
        client.force_login(cora)
        for title in ("Welcome", "Budget", "Any other business"):
            assert client.post(url("meeting_agenda", meeting), {"title": title}).status_code == 302
        budget = AgendaItem.objects.get(title="Budget")
        response = client.post(url("agenda_item_move", meeting, budget.pk), {"direction": "up"})
        assert response["Location"].endswith(f"#item-{budget.pk}")
        assert list(AgendaItem.objects.order_by("position").values_list("title", flat=True)) == [
            "Budget",
            "Welcome",
            "Any other business",
        ]
        confirm = client.get(url("agenda_item_remove", meeting, budget.pk)).content.decode()
        assert "Remove “Budget” from the agenda?" in confirm
        client.post(url("agenda_item_remove", meeting, budget.pk))
        assert list(AgendaItem.objects.order_by("position").values_list("position", "title")) == [
            (1, "Welcome"),
            (2, "Any other business"),
        ]

    def test_an_item_of_another_meeting_is_not_found(self, client, meeting, cora):
        other = AgendaItemFactory.create(meeting=MeetingFactory.create(partnership=meeting.partnership))
        client.force_login(cora)
        assert client.post(url("agenda_item_move", meeting, other.pk), {"direction": "up"}).status_code == 404
        assert client.get(url("agenda_item_remove", meeting, other.pk)).status_code == 404

    def test_an_empty_title_is_refused(self, client, meeting, cora):
        client.force_login(cora)
        response = client.post(url("meeting_agenda", meeting), {"title": "", "details": "Keep this"})
        assert "Enter the item&#x27;s title" in response.content.decode() and "Keep this" in response.content.decode()


class TestPaperPages:
    def test_the_coordinator_uploads_and_members_download(self, client, meeting, cora, bob):
        client.force_login(cora)
        upload = SimpleUploadedFile("budget.pdf", demo_pdf("Budget"), content_type="application/pdf")
        response = client.post(url("meeting_paper_add", meeting), {"title": "Budget 2026", "file": upload})
        assert response.status_code == 302 and response["Location"].endswith("#papers")
        paper = MeetingPaper.objects.get()
        client.force_login(bob)
        download = client.get(url("meeting_paper_download", meeting, paper.pk))
        assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF-")
        assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"
        assert 'filename="budget.pdf"' in download["Content-Disposition"]

    def test_a_file_that_is_not_a_document_is_refused_on_the_form(self, client, meeting, cora):
        client.force_login(cora)
        upload = SimpleUploadedFile("notes.pdf", b"just some text", content_type="application/pdf")
        response = client.post(url("meeting_paper_add", meeting), {"title": "Notes", "file": upload})
        assert "The selected file must be a PDF, DOCX, ODT, PNG or JPEG" in response.content.decode()
        assert not MeetingPaper.objects.exists()

    def test_a_paper_is_only_served_under_its_own_meeting(self, client, meeting, cora):
        other = MeetingFactory.create(partnership=meeting.partnership)
        client.force_login(cora)
        upload = SimpleUploadedFile("budget.pdf", demo_pdf("Budget"))
        client.post(url("meeting_paper_add", other), {"title": "Budget", "file": upload})
        paper = MeetingPaper.objects.get()
        assert client.get(url("meeting_paper_download", meeting, paper.pk)).status_code == 404
        assert client.post(url("meeting_paper_remove", meeting, paper.pk)).status_code == 404
        assert client.post(url("meeting_paper_remove", other, paper.pk)).status_code == 302
        assert not MeetingPaper.objects.exists()


class TestAttendanceAndMinutesPages:
    def test_the_coordinator_records_who_came_and_the_timeline_remembers(self, client, meeting, cora, charlie, sid):
        client.force_login(cora)
        page = client.get(url("meeting_attendance", meeting)).content.decode()
        assert "Hillside Food Bank, VCSE" in page and "Brackenmoor ICB, statutory" in page
        response = client.post(url("meeting_attendance", meeting), {"people": [charlie.pk, sid.pk]})
        assert response.status_code == 302
        assert set(Attendance.objects.values_list("user__email", flat=True)) == {
            "charlie@example.org",
            "sid@example.org",
        }
        assert Interaction.objects.filter(kind="partnership_meeting").count() == 1

    def test_someone_not_in_the_list_is_refused(self, client, meeting, cora, django_user_model):
        stranger = django_user_model.objects.create_user(email="out@example.org", password=None)
        client.force_login(cora)
        response = client.post(url("meeting_attendance", meeting), {"people": [stranger.pk]})
        assert "Choose people from the list" in response.content.decode()
        assert Attendance.objects.count() == 2

    def test_minutes(self, client, meeting, cora):
        client.force_login(cora)
        response = client.post(url("meeting_minutes", meeting), {"minutes": "We agreed three priorities."})
        assert response.status_code == 302 and response["Location"].endswith("#minutes")
        meeting.refresh_from_db()
        assert meeting.minutes == "We agreed three priorities."


class TestContributionPages:
    def test_someone_who_came_asks_and_another_follows_at_the_next_meeting(self, client, meeting, alice, sid):
        client.force_login(alice)
        client.post(url("contribution_add", meeting), {"kind": "question", "text": "Who holds the budget?"})
        question = Contribution.objects.get()
        later = MeetingFactory.create(partnership=meeting.partnership, starts_at=days_ago(2))
        AttendanceFactory.create(meeting=later, user=sid, organisation=sid.memberships.get().organisation)
        hanging = reverse("deciding:hanging_questions", args=[meeting.partnership.slug])
        assert "Who holds the budget?" in client.get(hanging).content.decode()
        client.force_login(sid)
        form = client.get(url("contribution_add", later) + f"?follows={question.pk}").content.decode()
        assert f'<option value="{question.pk}" selected>' in form
        response = client.post(
            url("contribution_add", later), {"kind": "follow", "text": "We do; see the paper.", "follows": question.pk}
        )
        follow = Contribution.objects.get(kind="follow")
        assert response["Location"].endswith(f"#contribution-{follow.pk}")
        assert "Who holds the budget?" not in client.get(hanging).content.decode()
        thread = client.get(url("contribution_detail", meeting, question.pk)).content.decode()
        assert "We do; see the paper." in thread

    def test_a_follow_pointing_at_another_partnerships_question_is_refused(self, client, meeting, alice):
        theirs = ContributionFactory.create(meeting=MeetingFactory.create(starts_at=days_ago(30)))
        client.force_login(alice)
        response = client.post(
            url("contribution_add", meeting), {"kind": "follow", "text": "Building on it", "follows": theirs.pk}
        )
        body = response.content.decode()
        assert response.status_code == 200 and "Choose a question from this partnership&#x27;s meetings" in body
        assert "Building on it" in body
        assert not Contribution.objects.filter(meeting=meeting).exists()

    def test_a_member_who_did_not_come_cannot_contribute(self, client, meeting, bob):
        client.force_login(bob)
        assert client.get(url("contribution_add", meeting)).status_code == 403
        assert client.post(url("contribution_add", meeting), {"kind": "point", "text": "x"}).status_code == 403
        assert not Contribution.objects.exists()

    def test_the_coordinator_records_what_someone_said(self, client, meeting, cora, sid):
        client.force_login(cora)
        form = client.get(url("contribution_add", meeting)).content.decode()
        assert "Who said it" in form
        client.post(url("contribution_add", meeting), {"kind": "point", "text": "Budgets are tight", "speaker": sid.pk})
        assert Contribution.objects.get().by == sid

    def test_only_the_coordinator_sees_who_put_a_question_to_the_room(self, client, meeting, alice, bob, cora):
        client.force_login(alice)
        assert "Who said it" not in client.get(url("contribution_add", meeting)).content.decode()
        client.post(
            url("contribution_add", meeting), {"kind": "question", "text": "Is this fair?", "to_the_room": "on"}
        )
        client.force_login(bob)
        body = client.get(url("meeting_detail", meeting)).content.decode()
        listing = body[body.index('id="contributions"') : body.index('id="minutes"')]
        assert "Is this fair?" in listing and "Put to the room" in listing and "Riverside Carers" not in listing
        assert alice.full_name not in listing
        client.force_login(cora)
        body = client.get(url("meeting_detail", meeting)).content.decode()
        listing = body[body.index('id="contributions"') : body.index('id="minutes"')]
        assert "Riverside Carers" in listing and "only coordinators see who asked" in listing

    def test_a_contribution_of_another_meeting_is_not_found_here(self, client, meeting, bob):
        other = ContributionFactory.create(meeting=MeetingFactory.create(partnership=meeting.partnership))
        client.force_login(bob)
        assert client.get(url("contribution_detail", meeting, other.pk)).status_code == 404


class TestQueryCounts:
    """List pages run the same queries whatever their length."""

    def count(self, client, address: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(address).status_code == 200
        return len(captured.captured_queries)

    def test_the_meeting_list(self, client, partnership, cora):
        client.force_login(cora)
        address = reverse("deciding:meeting_list", args=[partnership.slug])
        for _ in range(2):
            ContributionFactory.create(meeting=MeetingFactory.create(partnership=partnership))
        few = self.count(client, address)
        for _ in range(12):
            ContributionFactory.create(meeting=MeetingFactory.create(partnership=partnership))
        assert self.count(client, address) == few

    def test_the_hanging_questions(self, client, partnership, alice, org_a):
        client.force_login(alice)
        address = reverse("deciding:hanging_questions", args=[partnership.slug])

        def add(count: int) -> None:
            for _ in range(count):
                m = MeetingFactory.create(partnership=partnership, starts_at=days_ago(30))
                ContributionFactory.create(meeting=m, by=alice, organisation=org_a)

        add(2)
        few = self.count(client, address)
        add(12)
        assert self.count(client, address) == few

    def test_the_meeting_page(self, client, meeting, alice, org_a, django_user_model):
        client.force_login(alice)
        address = url("meeting_detail", meeting)

        def add(count: int) -> None:
            earlier = MeetingFactory.create(partnership=meeting.partnership, starts_at=days_ago(40))
            for n in range(count):
                user = django_user_model.objects.create_user(email=f"p{n}-{count}@example.org", password=None)
                AttendanceFactory.create(meeting=meeting, user=user, organisation=org_a)
                question = ContributionFactory.create(meeting=earlier, by=user, organisation=org_a)
                ContributionFactory.create(meeting=meeting, kind="follow", follows=question, by=user)
                asked = ContributionFactory.create(meeting=meeting, by=user, organisation=org_a)
                ContributionFactory.create(meeting=meeting, kind="follow", follows=asked, by=user)
                AgendaItemFactory.create(meeting=meeting)

        add(2)
        few = self.count(client, address)
        add(10)
        assert self.count(client, address) == few
