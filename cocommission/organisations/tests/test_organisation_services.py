"""Creating and changing organisations: the rules the service keeps whoever calls it."""

from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from cocommission.core.forms import StaleFormError
from cocommission.core.models import AuditEvent
from cocommission.organisations.models import Area, Membership, Organisation
from cocommission.organisations.services import organisations as service
from cocommission.organisations.services.organisations import (
    STALE_MESSAGE,
    OrganisationDetails,
    create_organisation,
    update_organisation,
)

pytestmark = pytest.mark.django_db


def details(**overrides: Any) -> OrganisationDetails:
    values: dict[str, Any] = {"name": "Northgate Shared Lives", "kind": "vcse", "legal_form": "cio"}
    values.update(overrides)
    return OrganisationDetails(**values)


def test_the_creator_becomes_the_first_admin(pat: Any) -> None:
    user = pat
    organisation = create_organisation(actor=user, details=details())
    membership = Membership.objects.get(organisation=organisation)
    assert membership.user == user and membership.role == Membership.Role.ADMIN


def test_numbers_are_normalised_and_the_band_derived(alice: Any) -> None:
    area = Area.objects.create(name="Brackenmoor", slug="brackenmoor")
    organisation = create_organisation(
        actor=alice,
        details=details(
            charity_number=" sc 012345 ",
            company_number="123456",
            latest_annual_income=Decimal("250000.50"),
            areas_served=[area],
            postcode="ls1 4ap",
        ),
    )
    organisation.refresh_from_db()
    assert organisation.charity_number == "SC012345"
    assert organisation.company_number == "00123456"
    assert organisation.income_band == "medium"
    assert organisation.postcode == "LS1 4AP"
    assert list(organisation.areas_served.all()) == [area]


def test_blank_numbers_are_stored_as_null_so_many_organisations_can_have_none(alice: Any) -> None:
    first = create_organisation(actor=alice, details=details(name="One", charity_number="", company_number=""))
    second = create_organisation(actor=alice, details=details(name="Two", charity_number="", company_number=""))
    assert first.charity_number is None and second.charity_number is None


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Riverside Carers", "riverside-carers-2"),
        ("New", "new-2"),
        ("Invitations", "invitations-2"),
        ("Passport documents", "passport-documents-2"),
        ("!!!", "organisation"),
    ],
)
def test_slugs_are_unique_and_never_shadow_fixed_paths(alice: Any, org_a: Any, name: str, slug: str) -> None:
    assert create_organisation(actor=alice, details=details(name=name)).slug == slug


def test_a_duplicate_charity_number_names_the_organisation_that_has_it(alice: Any, org_a: Organisation) -> None:
    org_a.charity_number = "1123456"
    org_a.save()
    with pytest.raises(ValidationError) as caught:
        create_organisation(actor=alice, details=details(charity_number="112 3456"))
    assert caught.value.message_dict == {
        "charity_number": ["An organisation with this charity number is already registered: Riverside Carers"]
    }
    assert not Organisation.objects.filter(name="Northgate Shared Lives").exists()


def test_a_duplicate_company_number_is_refused_on_edit(alice: Any, org_a: Organisation, org_b: Organisation) -> None:
    org_b.company_number = "01234567"
    org_b.save()
    with pytest.raises(ValidationError) as caught:
        update_organisation(actor=alice, organisation=org_a, details=details(company_number="1234567"))
    assert caught.value.message_dict == {
        "company_number": ["An organisation with this company number is already registered: Hillside Food Bank"]
    }
    org_a.refresh_from_db()
    assert org_a.name == "Riverside Carers"


def test_keeping_your_own_number_is_not_a_duplicate(alice: Any, org_a: Organisation) -> None:
    org_a.charity_number = "1123456"
    org_a.save()
    updated = update_organisation(actor=alice, organisation=org_a, details=details(charity_number="1123456"))
    assert updated.charity_number == "1123456"


def test_losing_the_race_to_the_unique_constraint_is_a_field_error_not_a_crash(
    alice: Any, org_a: Organisation, org_b: Organisation
) -> None:
    org_b.charity_number = "1123456"
    org_b.save()
    # Pretend the duplicate appeared after the service looked: the first check finds nothing.
    real = service._duplicate_number_errors
    calls: list[int] = []

    def late(values: dict[str, Any], *, exclude_pk: int | None) -> dict[str, str]:
        calls.append(1)
        return {} if len(calls) == 1 else real(values, exclude_pk=exclude_pk)

    with mock.patch.object(service, "_duplicate_number_errors", late), pytest.raises(ValidationError) as caught:
        update_organisation(actor=alice, organisation=org_a, details=details(charity_number="1123456"))
    assert "already registered: Hillside Food Bank" in caught.value.message_dict["charity_number"][0]
    assert len(calls) == 2
    # The transaction is still usable after the savepoint rolled back.
    assert Organisation.objects.get(pk=org_a.pk).charity_number is None


def test_an_integrity_error_that_is_not_about_numbers_still_raises(alice: Any, org_a: Organisation) -> None:
    with (
        mock.patch.object(Organisation, "save", side_effect=IntegrityError("other")),
        pytest.raises(IntegrityError),
    ):
        update_organisation(actor=alice, organisation=org_a, details=details())


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("charity_number", "12345", "Charity number must be 6 or 7 digits"),
        ("company_number", "ABC", "Company number must be 8 digits"),
        ("latest_annual_income", Decimal("-1"), "Latest annual income must be £0 or more"),
        ("latest_annual_income", Decimal("1000000000000"), "Latest annual income must be less than"),
        ("name", "  ", "Enter the organisation's name"),
    ],
)
def test_the_service_refuses_bad_values_itself(alice: Any, field: str, value: Any, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        create_organisation(actor=alice, details=details(**{field: value}))
    assert caught.value.message_dict[field][0].startswith(message)
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Riverside Carers"]


def test_a_stale_version_is_refused_and_nothing_is_saved(alice: Any, org_a: Organisation) -> None:
    shown = org_a.updated_at.isoformat()
    update_organisation(actor=alice, organisation=org_a, details=details(name="Changed first"), version=shown)
    with pytest.raises(StaleFormError) as caught:
        update_organisation(actor=alice, organisation=org_a, details=details(name="Changed second"), version=shown)
    assert str(caught.value) == STALE_MESSAGE
    assert Organisation.objects.get(pk=org_a.pk).name == "Changed first"


def test_the_current_version_is_accepted(alice: Any, org_a: Organisation) -> None:
    updated = update_organisation(
        actor=alice, organisation=org_a, details=details(name="Renamed"), version=org_a.updated_at.isoformat()
    )
    assert updated.name == "Renamed"


def test_create_is_audited_with_its_values(alice: Any) -> None:
    area = Area.objects.create(name="Eastbrook", slug="eastbrook")
    organisation = create_organisation(
        actor=alice,
        details=details(charity_number="1123456", latest_annual_income=Decimal("5000"), areas_served=[area]),
    )
    events = AuditEvent.objects.filter(organisation_id=organisation.pk).order_by("id")
    created, membership = list(events)
    assert created.action == "create" and created.actor == alice
    assert created.object_type == "organisations.organisation"
    assert created.changes["name"] == [None, "Northgate Shared Lives"]
    assert created.changes["charity_number"] == [None, "1123456"]
    assert created.changes["latest_annual_income"] == [None, "5000.00"]
    assert created.changes["income_band"] == [None, "micro"]
    assert created.changes["areas_served"] == [None, ["Eastbrook"]]
    assert membership.object_type == "organisations.membership"
    assert membership.changes == {"person": [None, alice.email], "role": [None, "admin"]}


def test_update_records_only_what_changed_with_old_and_new_values(alice: Any, org_a: Organisation) -> None:
    area = Area.objects.create(name="Westmere", slug="westmere")
    update_organisation(
        actor=alice,
        organisation=org_a,
        details=details(name="Riverside Carers", latest_annual_income=Decimal("150000"), areas_served=[area]),
    )
    event = AuditEvent.objects.get(organisation_id=org_a.pk, action="update")
    assert event.actor == alice
    assert event.changes["latest_annual_income"] == ["85000.00", "150000.00"]
    assert event.changes["income_band"] == ["small", "medium"]
    assert event.changes["areas_served"] == [[], ["Westmere"]]
    assert "name" not in event.changes
    assert "public_email" in event.changes  # the details left it blank


def test_saving_without_changes_records_nothing(alice: Any, org_a: Organisation) -> None:
    same = details(
        name=org_a.name,
        kind=org_a.kind,
        legal_form=org_a.legal_form,
        latest_annual_income=org_a.latest_annual_income,
        public_email=org_a.public_email,
    )
    update_organisation(actor=alice, organisation=org_a, details=same)
    assert not AuditEvent.objects.filter(organisation_id=org_a.pk).exists()
