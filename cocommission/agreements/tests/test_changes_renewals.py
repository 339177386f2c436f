"""Renewal decisions, the end-of-funding warnings, the daily task and its commands."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cocommission.agreements import tasks
from cocommission.agreements.models import Agreement, EndingNotice, RenewalDecision
from cocommission.agreements.selectors.changes import add_months, term_years_between
from cocommission.agreements.services.renewals import (
    lead_time_reached,
    record_renewal_decision,
    send_ending_warnings,
)
from cocommission.commissioning.tests.factories import ConsortiumFactory, ConsortiumMemberFactory
from cocommission.core.models import AuditEvent
from cocommission.organisations.models import Interaction
from cocommission.organisations.tests.factories import MembershipFactory

from .factories import AgreementFactory, RenewalDecisionFactory

TODAY = datetime.date(2026, 11, 30)


@pytest.fixture
def ending(db, icb, org_a, partnership, sid, alice, bob, cora):
    """Active, ending in four months: the 9- and 6-month lead times have passed."""
    return AgreementFactory.create(
        signed=True,
        funder=icb,
        provider=org_a,
        partnership=partnership,
        start_date=datetime.date(2024, 4, 1),
        end_date=datetime.date(2027, 3, 31),
    )


def test_months_are_added_to_the_last_day_of_short_months():
    assert add_months(datetime.date(2027, 3, 31), -3) == datetime.date(2026, 12, 31)
    assert add_months(datetime.date(2027, 3, 31), -1) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2026, 11, 30), 12) == datetime.date(2027, 11, 30)


def test_term_years_count_a_part_year_as_a_year():
    assert term_years_between(datetime.date(2026, 4, 1), datetime.date(2029, 3, 31)) == 3
    assert term_years_between(datetime.date(2026, 4, 1), datetime.date(2029, 6, 30)) == 4
    assert term_years_between(datetime.date(2026, 4, 1), datetime.date(2026, 9, 30)) == 1


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (datetime.date(2026, 6, 29), None),  # more than 9 months ahead
        (datetime.date(2026, 6, 30), 9),
        (datetime.date(2026, 9, 29), 9),
        (datetime.date(2026, 9, 30), 6),
        (datetime.date(2026, 12, 31), 3),
        (datetime.date(2027, 3, 31), 3),
        (datetime.date(2027, 4, 1), None),  # ended
    ],
)
def test_the_lead_time_reached(today, expected):
    assert lead_time_reached(end_date=datetime.date(2027, 3, 31), today=today) == expected


@pytest.mark.django_db
class TestRenewalDecision:
    def test_the_funder_records_a_decision_on_the_timeline(self, ending, sid, icb, org_a):
        decision = record_renewal_decision(
            actor=sid, agreement=ending, choice="extend", reason="  Needed for a year more. "
        )
        assert (decision.choice, decision.reason, decision.decided_by) == ("extend", "Needed for a year more.", sid)
        entry = Interaction.objects.get(kind=Interaction.Kind.AGREEMENT)
        assert (
            entry.summary
            == f"{ending.reference}: Renewal decision: extend the current agreement. Needed for a year more."
        )
        scopes = set(
            AuditEvent.objects.filter(object_type="agreements.renewaldecision").values_list(
                "organisation_id", flat=True
            )
        )
        assert scopes == {icb.pk, org_a.pk}

    def test_choice_and_reason_are_needed(self, ending, sid):
        with pytest.raises(ValidationError) as exc:
            record_renewal_decision(actor=sid, agreement=ending, choice="maybe", reason="")
        assert exc.value.message_dict == {
            "choice": ["Select what will happen when the agreement ends"],
            "reason": ["Enter the reason for the decision"],
        }
        assert not RenewalDecision.objects.exists()

    def test_only_an_active_agreement_gets_a_decision(self, icb, org_a, sid):
        draft = AgreementFactory.create(funder=icb, provider=org_a)
        with pytest.raises(ValidationError, match="only be recorded for an active agreement"):
            record_renewal_decision(actor=sid, agreement=draft, choice="end", reason="Not started.")


@pytest.mark.django_db
class TestEndingWarnings:
    def test_the_latest_lead_time_reached_is_sent_once_to_both_parties_and_the_coordinator(
        self, ending, alice, bob, sid, cora, charlie, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            sent = send_ending_warnings(today=TODAY)
        assert [(n.agreement_id, n.months_before, n.end_date, n.recipients) for n in sent] == [
            (ending.pk, 6, datetime.date(2027, 3, 31), 4)
        ]
        assert sorted(m.to[0] for m in mail.outbox) == sorted([alice.email, bob.email, sid.email, cora.email])
        assert all(len(m.to) == 1 for m in mail.outbox)  # nobody sees the others' addresses
        by_person = {m.to[0]: m for m in mail.outbox}
        assert by_person[alice.email].subject == f"Funding ends on 31 March 2027: {ending.reference} {ending.title}"
        assert f"/agreements/{ending.pk}/" in by_person[alice.email].body
        assert f"/agreements/{ending.pk}/" not in by_person[cora.email].body  # not a party: the list only
        assert "/agreements/ending/" in by_person[cora.email].body
        assert "Value: £90,000.00" in by_person[alice.email].body
        assert "£90,000.00" not in by_person[cora.email].body
        assert Interaction.objects.filter(summary__contains="The 6-month warning was sent").count() == 1

        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            assert send_ending_warnings(today=TODAY) == []
            assert send_ending_warnings(today=TODAY + datetime.timedelta(days=20)) == []
        assert mail.outbox == []

        with django_capture_on_commit_callbacks(execute=True):
            later = send_ending_warnings(today=datetime.date(2026, 12, 31))
        assert [n.months_before for n in later] == [3]
        assert EndingNotice.objects.filter(agreement=ending).count() == 2

    def test_a_renewal_decision_stops_the_warnings(self, ending, sid):
        RenewalDecisionFactory.create(agreement=ending)
        assert send_ending_warnings(today=TODAY) == []
        assert not EndingNotice.objects.exists()

    def test_agreements_far_from_their_end_or_not_running_get_none(self, icb, org_a):
        AgreementFactory.create(signed=True, funder=icb, provider=org_a, end_date=datetime.date(2027, 12, 31))
        AgreementFactory.create(funder=icb, provider=org_a, end_date=datetime.date(2027, 1, 31))  # draft
        AgreementFactory.create(ended=True, funder=icb, provider=org_a, end_date=datetime.date(2027, 1, 31))
        assert send_ending_warnings(today=TODAY) == []

    def test_a_new_end_date_starts_the_warnings_again(self, ending):
        send_ending_warnings(today=TODAY)
        Agreement.objects.filter(pk=ending.pk).update(end_date=datetime.date(2027, 8, 31))
        again = send_ending_warnings(today=TODAY)
        assert [(n.months_before, n.end_date) for n in again] == [(9, datetime.date(2027, 8, 31))]

    def test_consortium_members_are_warned_too(self, ending, org_b, charlie, django_capture_on_commit_callbacks):
        consortium = ConsortiumFactory.create()
        ConsortiumMemberFactory.create(consortium=consortium, organisation=ending.provider)
        ConsortiumMemberFactory.create(consortium=consortium, organisation=org_b)
        Agreement.objects.filter(pk=ending.pk).update(consortium=consortium)
        with django_capture_on_commit_callbacks(execute=True):
            send_ending_warnings(today=TODAY)
        assert charlie.email in {m.to[0] for m in mail.outbox}

    def test_people_who_left_are_not_emailed(self, ending, bob, django_capture_on_commit_callbacks):
        bob.is_active = False
        bob.save()
        with django_capture_on_commit_callbacks(execute=True):
            send_ending_warnings(today=TODAY)
        assert bob.email not in {m.to[0] for m in mail.outbox}


@pytest.mark.django_db
class TestDailyTask:
    def test_the_task_sends_the_warnings_due(self, ending):
        result = tasks.send_ending_warnings.enqueue(today=TODAY.isoformat())
        assert result.return_value == 1
        assert EndingNotice.objects.filter(agreement=ending, months_before=6).exists()

    def test_with_the_database_backend_it_queues_tomorrows_run_once(self, settings):
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
        assert tasks.schedule_next_run() is True
        assert tasks.schedule_next_run() is False  # one is already waiting
        queued = DBTaskResult.objects.get(task_path=tasks.send_ending_warnings.module_path)
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        assert timezone.localtime(queued.run_after) == timezone.make_aware(
            datetime.datetime.combine(tomorrow, datetime.time(6, 0))
        )
        assert tasks.start_daily_tasks() is False

    def test_schedule_daily_tasks_starts_the_chain_once(self, settings):
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
        out = StringIO()
        call_command("schedule_daily_tasks", stdout=out)
        call_command("schedule_daily_tasks", stdout=out)
        assert DBTaskResult.objects.filter(task_path=tasks.send_ending_warnings.module_path).count() == 1
        assert "already queued" in out.getvalue()

    def test_the_immediate_backend_never_queues_a_later_run(self):
        assert tasks.schedule_next_run() is False


@pytest.mark.django_db
def test_send_ending_warnings_command_acts_as_of_a_given_day(ending):
    out = StringIO()
    call_command("send_ending_warnings", "--today", "2026-11-30", stdout=out)
    assert f"{ending.reference}: 6-month warning sent to 4 people" in out.getvalue()
    assert "1 warning sent for 30 November 2026." in out.getvalue()
    with pytest.raises(CommandError, match="like 2027-01-31"):
        call_command("send_ending_warnings", "--today", "30/11/2026")


@pytest.mark.django_db
def test_a_person_on_both_sides_is_warned_once(ending, icb):
    both = MembershipFactory.create(organisation=icb).user
    MembershipFactory.create(organisation=ending.provider, user=both)
    notice = send_ending_warnings(today=TODAY)[0]
    assert notice.recipients == 5
