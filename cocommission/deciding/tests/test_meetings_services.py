"""Services for meetings: details, agenda, papers, who came, minutes, and the relationship
timeline entries that meetings add."""

import datetime
import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from cocommission.core.models import AuditEvent
from cocommission.deciding.models import AgendaItem, Attendance, Meeting, MeetingPaper, Voice
from cocommission.deciding.selectors.meetings import eligible_attendees
from cocommission.deciding.services.meetings import (
    add_agenda_item,
    add_paper,
    create_meeting,
    move_agenda_item,
    record_attendance,
    record_minutes,
    remove_agenda_item,
    remove_paper,
    update_meeting,
)
from cocommission.deciding.services.memory import meeting_summary
from cocommission.deciding.tests.factories import AgendaItemFactory, MeetingFactory
from cocommission.demo.loader import demo_pdf
from cocommission.organisations.models import Interaction
from cocommission.organisations.tests.factories import MembershipFactory
from cocommission.partnerships.tests.factories import PartnershipPersonFactory

pytestmark = pytest.mark.django_db


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def meeting(partnership):
    return MeetingFactory.create(partnership=partnership, starts_at=days_ago(3), title="Spring board")


class TestMeetingDetails:
    def test_a_coordinator_adds_a_meeting_and_it_is_audited(self, partnership, cora):
        meeting = create_meeting(
            actor=cora, partnership=partnership, title="  Summer board ", starts_at=days_ago(-10), location="Hall"
        )
        assert (meeting.title, meeting.location, meeting.created_by) == ("Summer board", "Hall", cora)
        event = AuditEvent.objects.get(object_type="deciding.meeting", object_id=str(meeting.pk))
        assert event.partnership_id == partnership.pk and event.action == "create"

    @pytest.mark.parametrize(
        ("title", "starts_at", "field", "message"),
        [
            ("", days_ago(1), "title", "Enter the meeting's title"),
            ("x" * 201, days_ago(1), "title", "The title must be 200 characters or fewer"),
            ("Board", None, "date", "Enter the date of the meeting"),
        ],
    )
    def test_bad_details_are_refused_and_nothing_is_saved(self, partnership, cora, title, starts_at, field, message):
        with pytest.raises(ValidationError) as caught:
            create_meeting(actor=cora, partnership=partnership, title=title, starts_at=starts_at, location="")
        assert caught.value.message_dict == {field: [message]}
        assert not Meeting.objects.exists()

    def test_changing_the_details_records_what_changed(self, meeting, cora):
        update_meeting(
            actor=cora, meeting=meeting, title="Spring board", starts_at=meeting.starts_at, location="Online"
        )
        meeting.refresh_from_db()
        assert meeting.location == "Online"
        event = AuditEvent.objects.get(object_type="deciding.meeting", action="update")
        assert event.changes == {"location": ["Brackenmoor Community Hall", "Online"]}


class TestAgenda:
    def titles(self, meeting):
        return list(AgendaItem.objects.filter(meeting=meeting).order_by("position").values_list("position", "title"))

    def test_items_are_added_at_the_end_after_a_horizon_scan(self, meeting, cora):
        AgendaItemFactory.create(meeting=meeting, position=4, title="Horizon scan", kind="horizon_scan")
        add_agenda_item(actor=cora, meeting=meeting, title="Welcome")
        assert self.titles(meeting) == [(4, "Horizon scan"), (5, "Welcome")]

    def test_moving_swaps_with_the_neighbour_and_stays_put_at_the_ends(self, meeting, cora):
        first, second, third = (add_agenda_item(actor=cora, meeting=meeting, title=t) for t in "ABC")
        move_agenda_item(actor=cora, item=third, direction="up")
        assert self.titles(meeting) == [(1, "A"), (2, "C"), (3, "B")]
        move_agenda_item(actor=cora, item=first, direction="up")
        move_agenda_item(actor=cora, item=second, direction="down")
        assert self.titles(meeting) == [(1, "A"), (2, "C"), (3, "B")]
        with pytest.raises(ValidationError):
            move_agenda_item(actor=cora, item=first, direction="sideways")

    def test_removing_closes_the_gap(self, meeting, cora):
        items = [add_agenda_item(actor=cora, meeting=meeting, title=t) for t in "ABC"]
        remove_agenda_item(actor=cora, item=items[0])
        remove_agenda_item(actor=cora, item=items[0])  # sent twice: nothing more happens
        assert self.titles(meeting) == [(1, "B"), (2, "C")]
        assert AuditEvent.objects.filter(object_type="deciding.agendaitem", action="delete").count() == 1

    def test_an_item_needs_a_title(self, meeting, cora):
        with pytest.raises(ValidationError) as caught:
            add_agenda_item(actor=cora, meeting=meeting, title=" ")
        assert caught.value.message_dict == {"title": ["Enter the item's title"]}


class TestPapers:
    def test_a_paper_is_typed_by_its_content(self, meeting, cora):
        upload = SimpleUploadedFile("budget.txt", demo_pdf("Budget"), content_type="text/plain")
        paper = add_paper(actor=cora, meeting=meeting, title="Budget", uploaded_file=upload)
        assert (paper.content_type, paper.original_name) == ("application/pdf", "budget.pdf")
        assert paper.file.read().startswith(b"%PDF-")

    def test_a_file_that_is_not_a_document_is_refused(self, meeting, cora):
        upload = SimpleUploadedFile("paper.pdf", b"<script>alert(1)</script>", content_type="application/pdf")
        with pytest.raises(ValidationError) as caught:
            add_paper(actor=cora, meeting=meeting, title="Budget", uploaded_file=upload)
        assert caught.value.message_dict == {"file": ["The selected file must be a PDF, DOCX, ODT, PNG or JPEG"]}
        assert not MeetingPaper.objects.exists()

    def test_removing_a_paper_deletes_its_file_once_committed(self, meeting, cora, django_capture_on_commit_callbacks):
        upload = SimpleUploadedFile("budget.pdf", demo_pdf("Budget"))
        paper = add_paper(actor=cora, meeting=meeting, title="Budget", uploaded_file=upload)
        name, storage = paper.file.name, paper.file.storage
        with django_capture_on_commit_callbacks(execute=True):
            remove_paper(actor=cora, paper=paper)
        assert not MeetingPaper.objects.exists() and not storage.exists(name)


class TestAttendance:
    def test_voices_come_from_the_partnership(self, meeting, cora, alice, sid, lena):
        recorded = record_attendance(actor=cora, meeting=meeting, user_ids=[alice.pk, sid.pk, lena.pk])
        by_user = {a.user: (a.voice, a.organisation, a.lived_experience) for a in recorded}
        assert by_user == {
            alice: (Voice.VCSE, alice.memberships.get().organisation, False),
            sid: (Voice.STATUTORY, sid.memberships.get().organisation, False),
            lena: (Voice.LIVED_EXPERIENCE, None, True),
        }

    def test_recording_again_keeps_exactly_the_people_ticked(self, meeting, cora, alice, sid, lena):
        record_attendance(actor=cora, meeting=meeting, user_ids=[alice.pk, sid.pk])
        record_attendance(actor=cora, meeting=meeting, user_ids=[sid.pk, lena.pk])
        assert set(Attendance.objects.filter(meeting=meeting).values_list("user__email", flat=True)) == {
            "sid@example.org",
            "lena@example.org",
        }

    def test_someone_outside_the_partnership_cannot_be_recorded(self, meeting, cora, alice):
        stranger = MembershipFactory.create().user
        with pytest.raises(ValidationError) as caught:
            record_attendance(actor=cora, meeting=meeting, user_ids=[alice.pk, stranger.pk])
        assert "only the partnership's members can attend" in caught.value.message_dict["people"][0]
        assert not Attendance.objects.exists()

    def test_attendance_waits_for_the_day_of_the_meeting(self, partnership, cora, alice):
        future = MeetingFactory.create(partnership=partnership, starts_at=days_ago(-2))
        with pytest.raises(ValidationError) as caught:
            record_attendance(actor=cora, meeting=future, user_ids=[alice.pk])
        assert caught.value.message_dict == {"people": ["You can record who came from the day of the meeting"]}
        with pytest.raises(ValidationError):
            record_minutes(actor=cora, meeting=future, minutes="Notes")

    def test_the_form_lists_the_same_voices_as_voice_of(self, partnership, alice, bob, charlie, cora, lena, sid, org_b):
        from cocommission.deciding.permissions import voice_of

        # sid also speaks for organisation B in this partnership; the ICB comes first by name.
        PartnershipPersonFactory.create(partnership=partnership, user=bob, organisation=org_b)
        MembershipFactory.create(user=sid, organisation=org_b)
        listed = dict(eligible_attendees(partnership))
        assert set(listed) == {alice, bob, charlie, cora, lena, sid}
        assert all(listed[user] == voice_of(user, partnership) for user in listed)


class TestTimeline:
    def entries(self):
        return {
            (i.organisation_a.slug, i.organisation_b.slug)
            for i in Interaction.objects.filter(kind=Interaction.Kind.PARTNERSHIP_MEETING)
        }

    def test_each_statutory_organisation_meets_each_other_one_once(self, meeting, cora, alice, bob, charlie, sid, lena):
        record_attendance(actor=cora, meeting=meeting, user_ids=[alice.pk, bob.pk, charlie.pk, sid.pk, lena.pk])
        # The ICB with organisation A and with organisation B; never the two VCSE organisations.
        assert self.entries() == {
            tuple(sorted(["brackenmoor-icb", "riverside-carers"], key=self.pk_of)),
            tuple(sorted(["brackenmoor-icb", "hillside-food-bank"], key=self.pk_of)),
        }
        entry = Interaction.objects.all()[0]
        assert entry.partnership == meeting.partnership and entry.summary == meeting_summary(meeting)
        assert entry.occurred_on == timezone.localtime(meeting.starts_at).date()
        record_minutes(actor=cora, meeting=meeting, minutes="We agreed the priorities.")
        record_attendance(actor=cora, meeting=meeting, user_ids=[alice.pk, sid.pk])
        assert Interaction.objects.count() == 2

    def test_a_meeting_without_a_statutory_organisation_adds_nothing(self, meeting, cora, alice, charlie):
        record_attendance(actor=cora, meeting=meeting, user_ids=[alice.pk, charlie.pk])
        record_minutes(actor=cora, meeting=meeting, minutes="Notes")
        assert not Interaction.objects.exists()

    @staticmethod
    def pk_of(slug: str) -> int:
        from cocommission.organisations.models import Organisation

        return Organisation.objects.get(slug=slug).pk


def test_minutes_are_saved_and_audited(meeting, cora):
    record_minutes(actor=cora, meeting=meeting, minutes="  Agreed to fund the lunch clubs.  ")
    meeting.refresh_from_db()
    assert meeting.minutes == "Agreed to fund the lunch clubs."
    assert AuditEvent.objects.filter(object_type="deciding.meeting", action="update").exists()


def _at_once(count: int, work: Any) -> list[str]:
    """Run `work(n)` in `count` threads released together; what each returned, or its error."""
    barrier = threading.Barrier(count)
    outcomes: list[str] = []

    def run(n: int) -> None:
        try:
            barrier.wait()
            outcomes.append(work(n))
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_items_and_attendance_recorded_at_once_stay_consistent(partnership, cora, alice, sid):
    """Ten items added at the same moment take ten different places, and two coordinators saving
    who came at once add each timeline entry only once. Only PostgreSQL locks rows (SQLite
    serialises writers itself), so only there is this a real race."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    meeting = MeetingFactory.create(partnership=partnership, starts_at=days_ago(1))
    _at_once(10, lambda n: add_agenda_item(actor=cora, meeting=meeting, title=f"Item {n}").title)
    assert sorted(AgendaItem.objects.filter(meeting=meeting).values_list("position", flat=True)) == list(range(1, 11))
    _at_once(2, lambda n: str(len(record_attendance(actor=cora, meeting=meeting, user_ids=[alice.pk, sid.pk]))))
    assert Attendance.objects.filter(meeting=meeting).count() == 2
    assert Interaction.objects.filter(kind=Interaction.Kind.PARTNERSHIP_MEETING).count() == 1
