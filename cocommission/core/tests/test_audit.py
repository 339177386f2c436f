import pytest
from django.db import DatabaseError, connection, transaction

from cocommission.core import audit
from cocommission.core.models import AuditEvent
from cocommission.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_record_update_stores_old_and_new_values_of_changed_fields_only(alice, org_a):
    before = audit.snapshot(org_a)
    org_a.name = "Riverside Carers Together"
    org_a.save()
    event = audit.record_update(actor=alice, instance=org_a, before=before, organisation_id=org_a.pk)
    assert event is not None
    assert event.changes == {"name": ["Riverside Carers", "Riverside Carers Together"]}
    assert event.actor == alice and event.actor_label == "alice@example.org"
    assert event.object_type == "organisations.organisation"


def test_record_update_with_nothing_changed_records_nothing(alice, org_a):
    before = audit.snapshot(org_a)
    assert audit.record_update(actor=alice, instance=org_a, before=before) is None
    assert not AuditEvent.objects.filter(action="update").exists()


def test_entries_cannot_be_changed_or_deleted_through_the_orm():
    event = audit.record_create(actor=None, instance=OrganisationFactory.create())
    assert event.actor_label == "system"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(object_label="rewritten")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def test_the_database_refuses_to_change_an_entry_whatever_the_client():
    event = audit.record_create(actor=None, instance=OrganisationFactory.create())
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET object_label = 'rewritten' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).object_label == event.object_label


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row-delete trigger is PostgreSQL only")
def test_postgresql_refuses_to_delete_an_entry():
    event = audit.record_create(actor=None, instance=OrganisationFactory.create())
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()
