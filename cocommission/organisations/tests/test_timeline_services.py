"""Recording contact between two organisations."""

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cocommission.core.models import AuditEvent
from cocommission.organisations.models import Interaction
from cocommission.organisations.services.timeline import record_interaction
from cocommission.partnerships.tests.factories import PartnershipFactory, PartnershipOrganisationFactory

pytestmark = pytest.mark.django_db


def _record(actor, organisation, other, **overrides):
    values: dict[str, Any] = {
        "kind": Interaction.Kind.MEETING,
        "occurred_on": timezone.localdate(),
        "summary": "Talked about the winter pressures bid.",
        "partnership": None,
    }
    values.update(overrides)
    return record_interaction(actor=actor, organisation=organisation, other=other, **values)


def test_the_pair_is_stored_lower_id_first_whichever_side_records_it(org_a, org_b, alice, charlie):
    low, high = sorted((org_a, org_b), key=lambda o: o.id)
    from_high = _record(charlie if high == org_b else alice, high, low, summary="one")
    from_low = _record(alice if low == org_a else charlie, low, high, summary="two")
    for entry in (from_high, from_low):
        assert (entry.organisation_a, entry.organisation_b) == (low, high)


def test_recording_audits_in_both_organisations_histories(org_a, org_b, charlie, partnership):
    entry = _record(charlie, org_b, org_a, partnership=partnership)
    events = AuditEvent.objects.filter(object_type="organisations.interaction", object_id=str(entry.pk))
    assert set(events.values_list("organisation_id", flat=True)) == {org_a.pk, org_b.pk} and events.count() == 2
    assert {e.partnership_id for e in events} == {partnership.pk}
    assert all(e.action == "create" and e.actor == charlie for e in events)
    assert entry.created_by == charlie and entry.partnership == partnership


def test_an_organisation_cannot_have_an_entry_with_itself(org_a, alice):
    with pytest.raises(ValidationError) as error:
        _record(alice, org_a, org_a)
    assert error.value.message_dict == {"acting_for": ["Choose another organisation"]}
    assert not Interaction.objects.exists()


def test_the_date_cannot_be_in_the_future(org_a, org_b, charlie):
    with pytest.raises(ValidationError) as error:
        _record(charlie, org_b, org_a, occurred_on=timezone.localdate() + datetime.timedelta(days=1))
    assert error.value.message_dict == {"occurred_on": ["The date must be today or in the past"]}


@pytest.mark.parametrize("summary", ["", "   \n "])
def test_a_summary_is_needed(org_a, org_b, charlie, summary):
    with pytest.raises(ValidationError) as error:
        _record(charlie, org_b, org_a, summary=summary)
    assert error.value.message_dict == {"summary": ["Enter a summary"]}


def test_a_summary_has_a_length_limit(org_a, org_b, charlie):
    with pytest.raises(ValidationError) as error:
        _record(charlie, org_b, org_a, summary="x" * 2001)
    assert error.value.message_dict == {"summary": ["Summary must be 2,000 characters or fewer"]}


def test_partnership_business_needs_a_partnership_both_belong_to(org_a, org_b, charlie):
    only_b = PartnershipFactory()
    PartnershipOrganisationFactory(partnership=only_b, organisation=org_b)
    with pytest.raises(ValidationError) as error:
        _record(charlie, org_b, org_a, partnership=only_b)
    assert error.value.message_dict == {"partnership": ["Choose a partnership that both organisations belong to"]}
    assert not AuditEvent.objects.exists()


def test_the_same_note_sent_twice_is_refused(org_a, org_b, charlie):
    _record(charlie, org_b, org_a)
    with pytest.raises(ValidationError) as error:
        _record(charlie, org_b, org_a)
    assert error.value.messages == ["This entry is already on the timeline"]
    assert Interaction.objects.count() == 1


def test_later_parts_of_the_service_record_their_own_kinds_without_a_person(org_a, org_b):
    first = _record(None, org_a, org_b, kind=Interaction.Kind.AWARD, summary="Grant awarded")
    second = _record(None, org_a, org_b, kind=Interaction.Kind.AWARD, summary="Grant awarded")
    assert first.created_by is None and second.pk != first.pk
    assert AuditEvent.objects.filter(actor__isnull=True, actor_label="system").count() == 4


def test_an_unknown_kind_is_refused(org_a, org_b, charlie):
    with pytest.raises(ValidationError) as error:
        _record(charlie, org_b, org_a, kind="telegram")
    assert "kind" in error.value.message_dict
