"""The monthly horizon scan: one agenda item a month on each partnership's next meeting, listing
the policies that moved or were not reviewed for 60 days; the self-rescheduling task and the
commands that run it."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cocommission.deciding import tasks
from cocommission.deciding.models import AgendaItem
from cocommission.deciding.services.horizon import add_horizon_scan, run_horizon_scans, scan_lines
from cocommission.deciding.tests.factories import MeetingFactory
from cocommission.needs.models import PolicyReview, Stage
from cocommission.partnerships.tests.factories import PartnershipFactory

from .factories import PolicyFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2027, 3, 1)
NOW = timezone.make_aware(datetime.datetime(2027, 3, 1, 6, 0))


def at(day: datetime.date, hour: int = 18) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def policy(partnership, name, stage=Stage.PEAK, reviewed=TODAY - datetime.timedelta(days=10)):
    made = PolicyFactory.create(partnership=partnership, name=name, stage=stage, last_reviewed_on=reviewed)
    PolicyReview.objects.create(policy=made, stage=stage, reviewed_on=datetime.date(2026, 1, 1))
    return made


def moved(made, *, to, on):
    PolicyReview.objects.create(policy=made, stage=to, previous_stage=made.stage, reviewed_on=on)
    made.stage = to
    made.save()


@pytest.fixture
def next_meeting(partnership):
    MeetingFactory.create(partnership=partnership, title="February board", starts_at=at(datetime.date(2027, 2, 20)))
    later = MeetingFactory.create(partnership=partnership, title="April board", starts_at=at(datetime.date(2027, 4, 9)))
    MeetingFactory.create(partnership=partnership, title="March board", starts_at=at(datetime.date(2027, 3, 12)))
    return later


def test_the_scan_goes_on_the_first_meeting_after_now_listing_what_moved_and_what_is_stale(partnership):
    march = MeetingFactory.create(
        partnership=partnership, title="March board", starts_at=at(datetime.date(2027, 3, 12))
    )
    MeetingFactory.create(partnership=partnership, title="April board", starts_at=at(datetime.date(2027, 4, 9)))
    MeetingFactory.create(partnership=partnership, title="This morning", starts_at=at(TODAY, 5))
    march.agenda_items.create(position=1, title="Welcome")
    march.agenda_items.create(position=2, title="Minutes")
    moving = policy(partnership, "Neighbourhood health")
    moved(moving, to=Stage.TROUGH, on=datetime.date(2027, 2, 10))
    policy(partnership, "Carers strategy", stage=Stage.SLOPE, reviewed=TODAY - datetime.timedelta(days=61))
    policy(partnership, "Quiet policy", stage=Stage.PLATEAU)
    item = add_horizon_scan(partnership=partnership, today=TODAY, now=NOW)
    assert item is not None
    assert (item.meeting, item.position, item.kind, item.scan_month) == (march, 3, "horizon_scan", TODAY)
    assert item.title == "Horizon scan for March 2027"
    assert "Neighbourhood health (Department of Health and Social Care): moved from the peak of inflated " in (
        item.details
    )
    assert "to the trough of disillusionment on 10 February 2027" in item.details
    assert "Carers strategy" in item.details and "not reviewed since 30 December 2026" in item.details
    assert "Quiet policy" not in item.details


def test_once_a_month_however_often_it_runs(partnership, next_meeting):
    assert add_horizon_scan(partnership=partnership, today=TODAY, now=NOW) is not None
    assert add_horizon_scan(partnership=partnership, today=datetime.date(2027, 3, 20), now=NOW) is None
    april = add_horizon_scan(
        partnership=partnership, today=datetime.date(2027, 4, 1), now=at(datetime.date(2027, 4, 1), 6)
    )
    assert april is not None and april.meeting == next_meeting
    assert AgendaItem.objects.filter(kind="horizon_scan").count() == 2


def test_no_meeting_coming_up_is_skipped(partnership):
    MeetingFactory.create(partnership=partnership, starts_at=at(datetime.date(2027, 2, 20)))
    assert add_horizon_scan(partnership=partnership, today=TODAY, now=NOW) is None
    assert not AgendaItem.objects.exists()


def test_changes_since_the_last_scan_not_before(partnership, next_meeting):
    old = policy(partnership, "Moved in January")
    moved(old, to=Stage.TROUGH, on=datetime.date(2027, 1, 20))
    AgendaItem.objects.create(
        meeting=next_meeting, position=1, title="Scan", kind="horizon_scan", scan_month=datetime.date(2027, 2, 1)
    )
    recent = policy(partnership, "Moved in February")
    moved(recent, to=Stage.SLOPE, on=datetime.date(2027, 2, 3))
    names = [line.policy.name for line in scan_lines(partnership, today=TODAY)]
    assert names == ["Moved in February"]


def test_the_first_scan_looks_back_one_month_and_names_new_policies(partnership):
    moved(policy(partnership, "Moved long ago"), to=Stage.TROUGH, on=datetime.date(2027, 1, 20))
    fresh = PolicyFactory.create(
        partnership=partnership, name="Just added", last_reviewed_on=datetime.date(2027, 2, 15)
    )
    PolicyReview.objects.create(policy=fresh, stage=fresh.stage, reviewed_on=datetime.date(2027, 2, 15))
    lines = scan_lines(partnership, today=TODAY)
    assert [(line.policy.name, line.why) for line in lines] == [
        ("Just added", "new on the watch, at the peak of inflated expectations")
    ]


def test_with_nothing_to_list_the_scan_still_happens(partnership, next_meeting):
    item = add_horizon_scan(partnership=partnership, today=TODAY, now=NOW)
    assert item is not None and "No policy has moved on the hype cycle since the last scan" in item.details


def test_every_partnership_gets_its_own(partnership, next_meeting):
    other = PartnershipFactory.create()
    MeetingFactory.create(partnership=other, starts_at=at(datetime.date(2027, 3, 5)))
    PartnershipFactory.create()  # no meetings at all
    added = run_horizon_scans(today=TODAY, now=NOW)
    assert {item.meeting.partnership for item in added} == {partnership, other}
    assert run_horizon_scans(today=TODAY, now=NOW) == []


def test_a_day_other_than_today_counts_from_its_start(partnership):
    MeetingFactory.create(partnership=partnership, starts_at=at(TODAY, 5))
    added = run_horizon_scans(today=TODAY)
    assert [item.meeting.starts_at for item in added] == [at(TODAY, 5)]


class TestTaskAndCommands:
    def test_the_task_adds_the_scans(self, partnership, next_meeting):
        result = tasks.horizon_scan.enqueue(today=TODAY.isoformat())
        assert result.return_value == 1

    def test_with_the_database_backend_it_queues_next_months_run_once(self, settings):
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
        assert tasks.schedule_next_run() is True
        assert tasks.schedule_next_run() is False
        queued = DBTaskResult.objects.get(task_path=tasks.horizon_scan.module_path)
        first_of_next = (timezone.localdate().replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
        assert timezone.localtime(queued.run_after) == timezone.make_aware(
            datetime.datetime.combine(first_of_next, datetime.time(6, 0))
        )
        assert tasks.start_monthly_tasks() is False

    def test_next_run_time_crosses_the_year(self):
        december = timezone.make_aware(datetime.datetime(2027, 12, 31, 23, 0))
        assert tasks.next_run_time(december) == timezone.make_aware(datetime.datetime(2028, 1, 1, 6, 0))

    def test_the_immediate_backend_never_queues_a_later_run(self):
        assert tasks.schedule_next_run() is False

    def test_schedule_daily_tasks_starts_the_monthly_chain_too(self, settings):
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
        out = StringIO()
        call_command("schedule_daily_tasks", stdout=out)
        call_command("schedule_daily_tasks", stdout=out)
        assert DBTaskResult.objects.filter(task_path=tasks.horizon_scan.module_path).count() == 1
        assert "The monthly horizon scan is queued." in out.getvalue()
        assert "The monthly horizon scan is already queued." in out.getvalue()

    def test_the_command_runs_it_once_as_of_a_given_day(self, partnership, next_meeting):
        out = StringIO()
        call_command("horizon_scan", "--today", "2027-03-01", stdout=out)
        assert "Brackenmoor Together: added to “March board” on 12 March 2027" in out.getvalue()
        assert "1 horizon scan added for March 2027." in out.getvalue()
        call_command("horizon_scan", "--today", "2027-03-02", stdout=out)
        assert "0 horizon scans added for March 2027." in out.getvalue()
        with pytest.raises(CommandError, match="like 2027-03-01"):
            call_command("horizon_scan", "--today", "1/3/2027")
