"""Priorities through the service: proposing, changing, choosing evidence, agreeing, retiring,
and who may do each."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404

from cocommission.core.models import AuditEvent
from cocommission.needs.models import Priority
from cocommission.needs.services import priorities as service

from .factories import IndicatorFactory, PriorityFactory, StoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposed(partnership, bob):
    return service.propose_priority(
        actor=bob, partnership=partnership, title="  Fewer   people lonely ", need="Older people in Eastfield."
    )


class TestProposing:
    def test_a_member_proposes_and_it_is_audited(self, proposed, partnership, bob):
        assert (proposed.title, proposed.status, proposed.created_by) == ("Fewer people lonely", "proposed", bob)
        event = AuditEvent.objects.get(object_type="needs.priority")
        assert (event.action, event.partnership_id, event.actor) == ("create", partnership.pk, bob)

    def test_the_words_are_needed(self, partnership, bob):
        with pytest.raises(ValidationError) as caught:
            service.propose_priority(actor=bob, partnership=partnership, title=" ", need="")
        assert caught.value.message_dict == {
            "title": ["Enter the priority, in a few words"],
            "need": ["Describe the need: who, what and where"],
        }
        assert not Priority.objects.exists()

    def test_two_live_priorities_cannot_share_a_title(self, proposed, partnership, lena):
        with pytest.raises(ValidationError) as caught:
            service.propose_priority(actor=lena, partnership=partnership, title="fewer people LONELY", need="x")
        assert caught.value.message_dict == {"title": ["There is already a priority called fewer people LONELY"]}

    def test_a_retired_title_can_be_used_again(self, partnership, lena):
        PriorityFactory.create(partnership=partnership, title="Warm homes", status=Priority.Status.RETIRED)
        assert service.propose_priority(actor=lena, partnership=partnership, title="Warm homes", need="x").pk

    def test_outsiders_cannot_propose(self, partnership):
        from cocommission.accounts.tests.factories import UserFactory

        with pytest.raises(Http404):
            service.propose_priority(actor=UserFactory.create(), partnership=partnership, title="x", need="y")


class TestChanging:
    def test_the_proposer_and_coordinators_change_the_words(self, proposed, bob, cora):
        service.change_priority(actor=bob, priority=proposed, title="Fewer lonely people", need="In Eastfield.")
        service.change_priority(actor=cora, priority=proposed, title="Fewer lonely people", need="Eastfield and Dale.")
        proposed.refresh_from_db()
        assert (proposed.title, proposed.need) == ("Fewer lonely people", "Eastfield and Dale.")
        changes = [e.changes for e in AuditEvent.objects.filter(action="update").order_by("pk")]
        assert changes[0]["title"] == ["Fewer people lonely", "Fewer lonely people"]

    def test_others_cannot(self, proposed, alice, lena):
        for person in (alice, lena):
            with pytest.raises(PermissionDenied):
                service.change_priority(actor=person, priority=proposed, title="Mine now", need="x")

    def test_once_agreed_only_coordinators_change_it(self, proposed, bob, cora):
        proposed.status = Priority.Status.AGREED
        proposed.save()
        assert not service.may_change(bob, proposed) and service.may_change(cora, proposed)
        proposed.status = Priority.Status.RETIRED
        assert not service.may_change(cora, proposed)


class TestEvidence:
    def test_choose_published_stories_and_indicators(self, proposed, partnership, bob):
        story = StoryFactory.create(partnership=partnership, published=True)
        indicator = IndicatorFactory.create(partnership=partnership)
        service.set_evidence(actor=bob, priority=proposed, stories=[story], indicators=[indicator])
        assert list(proposed.stories.all()) == [story] and list(proposed.indicators.all()) == [indicator]
        event = AuditEvent.objects.filter(object_type="needs.priority", action="update").get()
        assert event.changes == {"stories": [[], [story.pk]], "indicators": [[], [indicator.pk]]}

    def test_unpublished_stories_and_other_partnerships_evidence_are_refused(self, proposed, partnership, bob):
        waiting = StoryFactory.create(partnership=partnership)
        theirs = StoryFactory.create(published=True)
        other_indicator = IndicatorFactory.create()
        for stories in ([waiting], [theirs]):
            with pytest.raises(ValidationError) as caught:
                service.set_evidence(actor=bob, priority=proposed, stories=stories, indicators=[])
            assert caught.value.message_dict == {"stories": ["Choose stories this partnership has published"]}
        with pytest.raises(ValidationError) as caught:
            service.set_evidence(actor=bob, priority=proposed, stories=[], indicators=[other_indicator])
        assert caught.value.message_dict == {"indicators": ["Choose this partnership's indicators"]}
        assert not proposed.stories.exists() and not proposed.indicators.exists()

    def test_only_those_who_may_change_it(self, proposed, charlie):
        with pytest.raises(PermissionDenied):
            service.set_evidence(actor=charlie, priority=proposed, stories=[], indicators=[])


class TestAgreeingAndRetiring:
    def test_coordinators_agree_a_priority_with_evidence(self, proposed, partnership, cora):
        proposed.indicators.add(IndicatorFactory.create(partnership=partnership))
        agreed = service.agree_priority(actor=cora, priority=proposed)
        assert agreed.status == "agreed"
        event = AuditEvent.objects.filter(object_type="needs.priority", action="update").get()
        assert event.changes == {"status": ["proposed", "agreed"]} and event.actor == cora

    def test_a_priority_without_evidence_is_not_agreed(self, proposed, cora):
        with pytest.raises(ValidationError, match="Choose at least one story or indicator"):
            service.agree_priority(actor=cora, priority=proposed)
        proposed.refresh_from_db()
        assert proposed.status == "proposed"

    def test_members_cannot_agree_or_retire(self, proposed, bob, sid):
        for person in (bob, sid):
            with pytest.raises(PermissionDenied):
                service.agree_priority(actor=person, priority=proposed)
            with pytest.raises(PermissionDenied):
                service.retire_priority(actor=person, priority=proposed)

    def test_states_move_one_way(self, partnership, cora):
        agreed = PriorityFactory.create(partnership=partnership, status=Priority.Status.AGREED)
        with pytest.raises(ValidationError, match=r"Only a proposed priority can be agreed\. This one is agreed"):
            service.agree_priority(actor=cora, priority=agreed)
        retired = service.retire_priority(actor=cora, priority=agreed)
        assert retired.status == "retired"
        with pytest.raises(ValidationError, match="This priority is already retired"):
            service.retire_priority(actor=cora, priority=retired)
        with pytest.raises(ValidationError, match="This one is retired"):
            service.agree_priority(actor=cora, priority=retired)

    def test_a_stale_copy_cannot_undo_a_retirement(self, partnership, cora):
        priority = PriorityFactory.create(partnership=partnership, status=Priority.Status.AGREED)
        stale = Priority.objects.get(pk=priority.pk)
        service.retire_priority(actor=cora, priority=priority)
        with pytest.raises(ValidationError, match="already retired"):
            service.retire_priority(actor=cora, priority=stale)


@pytest.mark.django_db(transaction=True)
def test_many_coordinators_agreeing_at_once_agree_it_once(partnership, cora):
    """The row lock makes each later agreement see the first; only interesting on PostgreSQL."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself")
    priority = PriorityFactory.create(partnership=partnership)
    priority.indicators.add(IndicatorFactory.create(partnership=partnership))
    barrier = threading.Barrier(6)
    outcomes: list[str] = []

    def agree() -> None:
        try:
            barrier.wait()
            service.agree_priority(actor=cora, priority=priority)
            outcomes.append("agreed")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=agree) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["agreed", *["refused"] * 5]
    assert AuditEvent.objects.filter(object_type="needs.priority", action="update").count() == 1
