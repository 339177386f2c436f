import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from cocommission.core.models import AuditEvent
from cocommission.organisations.models import Organisation
from cocommission.organisations.tests.factories import MembershipFactory, OrganisationFactory
from cocommission.partnerships import services
from cocommission.partnerships.models import Partnership, PartnershipOrganisation, PartnershipPerson, Sector
from cocommission.partnerships.tests.factories import (
    PartnershipFactory,
    PartnershipOrganisationFactory,
    PartnershipPersonFactory,
)

pytestmark = pytest.mark.django_db

NO_ACCOUNT = "There is no account with that email address. Ask them to create an account first, then add them."


def _messages(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict if hasattr(exc.value, "error_dict") else {"__all__": exc.value.messages}


# ---- Starting a partnership -----------------------------------------------------------------


def test_create_makes_the_creator_the_coordinator_and_audits(alice):
    partnership = services.create_partnership(actor=alice, name="Brackenmoor Health Together", place="Brackenmoor")

    assert partnership.slug == "brackenmoor-health-together"
    assert partnership.created_by == alice
    person = PartnershipPerson.objects.get(partnership=partnership)
    assert (person.user, person.role, person.organisation) == (alice, "coordinator", None)
    assert not PartnershipOrganisation.objects.filter(partnership=partnership).exists()
    events = AuditEvent.objects.filter(partnership_id=partnership.pk)
    assert sorted(events.values_list("object_type", "action")) == [
        ("partnerships.partnership", "create"),
        ("partnerships.partnershipperson", "create"),
    ]
    created = events.get(object_type="partnerships.partnership")
    assert created.actor == alice
    assert created.changes["name"] == [None, "Brackenmoor Health Together"]
    assert created.changes["place"] == [None, "Brackenmoor"]


def test_create_representing_an_organisation_gives_it_a_seat(alice, org_a):
    partnership = services.create_partnership(actor=alice, name="Carers First", place="Brackenmoor", organisation=org_a)

    seat = PartnershipOrganisation.objects.get(partnership=partnership)
    assert (seat.organisation, seat.sector) == (org_a, Sector.VCSE)
    assert PartnershipPerson.objects.get(partnership=partnership).organisation == org_a
    seat_event = AuditEvent.objects.get(object_type="partnerships.partnershiporganisation")
    assert (seat_event.partnership_id, seat_event.organisation_id) == (partnership.pk, org_a.pk)


def test_create_refuses_an_organisation_the_creator_does_not_belong_to(alice, org_b):
    with pytest.raises(ValidationError) as exc:
        services.create_partnership(actor=alice, name="Carers First", place="Brackenmoor", organisation=org_b)
    assert "You are not a member of Hillside Food Bank" in _messages(exc)["organisation"][0]
    assert not Partnership.objects.exists()
    assert not AuditEvent.objects.exists()


def test_create_requires_name_and_place(alice):
    with pytest.raises(ValidationError) as exc:
        services.create_partnership(actor=alice, name="  ", place="")
    assert _messages(exc) == {
        "name": ["Enter the name of the partnership"],
        "place": ["Enter the place the partnership works for"],
    }


def test_slugs_are_unique_and_never_reserved(alice):
    first = services.create_partnership(actor=alice, name="Together", place="Brackenmoor")
    second = services.create_partnership(actor=alice, name="Together", place="Elsewhere")
    reserved = services.create_partnership(actor=alice, name="New", place="Brackenmoor")
    symbols = services.create_partnership(actor=alice, name="!!!", place="Brackenmoor")

    assert (first.slug, second.slug) == ("together", "together-2")
    assert reserved.slug == "new-2"
    assert symbols.slug == "partnership"


# ---- Member organisations -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "sector"),
    [
        (Organisation.Kind.STATUTORY, Sector.STATUTORY),
        (Organisation.Kind.VCSE, Sector.VCSE),
        (Organisation.Kind.PRIVATE, Sector.OTHER),
        (Organisation.Kind.OTHER, Sector.OTHER),
    ],
)
def test_sector_defaults_from_the_kind_of_organisation(cora, partnership, kind, sector):
    organisation = OrganisationFactory.create(kind=kind)
    member = services.add_partnership_organisation(actor=cora, partnership=partnership, organisation=organisation)
    assert member.sector == sector


def test_coordinator_can_choose_another_sector_and_seat(cora, partnership):
    council = OrganisationFactory.create(statutory=True, name="Brackenmoor Council")
    member = services.add_partnership_organisation(
        actor=cora, partnership=partnership, organisation=council, sector=Sector.OTHER, seat=" Housing "
    )
    assert (member.sector, member.seat) == (Sector.OTHER, "Housing")


def test_adding_an_organisation_is_audited_for_the_partnership_and_the_organisation(cora, partnership):
    council = OrganisationFactory.create(statutory=True, name="Brackenmoor Council")
    member = services.add_partnership_organisation(
        actor=cora, partnership=partnership, organisation=council, seat="Adult social care"
    )
    event = AuditEvent.objects.get(object_type="partnerships.partnershiporganisation", object_id=str(member.pk))
    assert event.action == "create"
    assert event.actor == cora
    assert (event.partnership_id, event.organisation_id) == (partnership.pk, council.pk)
    assert event.changes["sector"] == [None, "statutory"]
    assert event.changes["seat"] == [None, "Adult social care"]
    assert event.changes["organisation"] == [None, council.pk]


def test_duplicate_organisation_is_refused_on_the_field(cora, partnership, org_a):
    with pytest.raises(ValidationError) as exc:
        services.add_partnership_organisation(actor=cora, partnership=partnership, organisation=org_a)
    assert _messages(exc) == {"organisation": ["Riverside Carers is already a member of Brackenmoor Together"]}
    assert PartnershipOrganisation.objects.filter(partnership=partnership, organisation=org_a).count() == 1


def test_unknown_sector_is_refused(cora, partnership):
    with pytest.raises(ValidationError) as exc:
        services.add_partnership_organisation(
            actor=cora, partnership=partnership, organisation=OrganisationFactory.create(), sector="private"
        )
    assert "sector" in _messages(exc)


def test_changing_a_seat_records_old_and_new(cora, partnership, org_a):
    member = PartnershipOrganisation.objects.get(partnership=partnership, organisation=org_a)
    services.change_partnership_organisation(actor=cora, member=member, sector=Sector.OTHER, seat="Carers")

    member.refresh_from_db()
    assert (member.sector, member.seat) == (Sector.OTHER, "Carers")
    event = AuditEvent.objects.get(action="update")
    assert event.changes == {"sector": ["vcse", "other"], "seat": ["", "Carers"]}
    assert (event.partnership_id, event.organisation_id) == (partnership.pk, org_a.pk)


def test_changing_nothing_records_nothing(cora, partnership, org_a):
    member = PartnershipOrganisation.objects.get(partnership=partnership, organisation=org_a)
    services.change_partnership_organisation(actor=cora, member=member, sector=member.sector, seat=member.seat)
    assert not AuditEvent.objects.filter(action="update").exists()


def test_a_stale_seat_change_is_refused(cora, partnership, org_a):
    member = PartnershipOrganisation.objects.get(partnership=partnership, organisation=org_a)
    shown = member.updated_at.isoformat()
    services.change_partnership_organisation(actor=cora, member=member, sector=Sector.VCSE, seat="First", version=shown)

    with pytest.raises(ValidationError) as exc:
        services.change_partnership_organisation(
            actor=cora, member=member, sector=Sector.OTHER, seat="Second", version=shown
        )
    assert "Someone else changed these details" in _messages(exc)["__all__"][0]
    member.refresh_from_db()
    assert member.seat == "First"


def test_removing_an_organisation_is_audited(cora, partnership, org_b):
    member = PartnershipOrganisation.objects.get(partnership=partnership, organisation=org_b)
    services.remove_partnership_organisation(actor=cora, member=member)

    assert not PartnershipOrganisation.objects.filter(pk=member.pk).exists()
    event = AuditEvent.objects.get(action="delete")
    assert (event.partnership_id, event.organisation_id, event.object_id) == (partnership.pk, org_b.pk, str(member.pk))
    assert event.changes["sector"] == ["vcse", None]


def test_an_organisation_with_representatives_cannot_be_removed(cora, partnership, org_a, alice):
    PartnershipPersonFactory.create(partnership=partnership, user=alice, organisation=org_a)
    member = PartnershipOrganisation.objects.get(partnership=partnership, organisation=org_a)

    with pytest.raises(ValidationError) as exc:
        services.remove_partnership_organisation(actor=cora, member=member)
    assert f"{alice} represents Riverside Carers in Brackenmoor Together" in _messages(exc)["__all__"][0]
    assert PartnershipOrganisation.objects.filter(pk=member.pk).exists()
    assert not AuditEvent.objects.exists()


def test_removing_twice_is_harmless(cora, partnership, org_b):
    member = PartnershipOrganisation.objects.get(partnership=partnership, organisation=org_b)
    services.remove_partnership_organisation(actor=cora, member=member)
    services.remove_partnership_organisation(actor=cora, member=member)
    assert AuditEvent.objects.filter(action="delete").count() == 1


# ---- Individual members ---------------------------------------------------------------------


def test_adding_someone_without_an_account_says_what_to_do(cora, partnership):
    with pytest.raises(ValidationError) as exc:
        services.add_partnership_person(actor=cora, partnership=partnership, email="nobody@example.org")
    assert _messages(exc) == {"email": [NO_ACCOUNT]}


def test_adding_a_representative_is_audited(cora, partnership, alice, org_a):
    person = services.add_partnership_person(
        actor=cora, partnership=partnership, email="ALICE@example.org", organisation=org_a
    )
    assert (person.user, person.role, person.organisation, person.lived_experience) == (alice, "member", org_a, False)
    event = AuditEvent.objects.get(object_type="partnerships.partnershipperson")
    assert event.action == "create"
    assert (event.partnership_id, event.organisation_id) == (partnership.pk, org_a.pk)
    assert event.changes["user"] == [None, alice.pk]
    assert event.changes["role"] == [None, "member"]


def test_adding_a_lived_experience_member_who_represents_no_organisation(cora, partnership):
    newcomer = MembershipFactory.create(organisation=OrganisationFactory.create()).user
    person = services.add_partnership_person(
        actor=cora, partnership=partnership, email=newcomer.email, lived_experience=True
    )
    assert person.organisation is None
    assert person.lived_experience is True
    assert AuditEvent.objects.get().organisation_id is None


def test_duplicate_person_is_refused(cora, partnership, lena):
    with pytest.raises(ValidationError) as exc:
        services.add_partnership_person(actor=cora, partnership=partnership, email=lena.email)
    assert _messages(exc) == {"email": [f"{lena} is already a member of Brackenmoor Together"]}


def test_someone_can_only_represent_their_own_organisation(cora, partnership, bob, org_b):
    with pytest.raises(ValidationError) as exc:
        services.add_partnership_person(actor=cora, partnership=partnership, email=bob.email, organisation=org_b)
    assert _messages(exc)["organisation"] == [
        f"{bob} is not a member of Hillside Food Bank. Choose an organisation they belong to, or none."
    ]
    assert not PartnershipPerson.objects.filter(user=bob).exists()


def test_someone_can_only_represent_an_organisation_with_a_seat(cora, partnership):
    elsewhere = OrganisationFactory.create(name="Moorside Mutual Aid")
    newcomer = MembershipFactory.create(organisation=elsewhere).user
    with pytest.raises(ValidationError) as exc:
        services.add_partnership_person(
            actor=cora, partnership=partnership, email=newcomer.email, organisation=elsewhere
        )
    assert "Moorside Mutual Aid is not a member of Brackenmoor Together" in _messages(exc)["organisation"][0]


def test_the_last_coordinator_cannot_be_demoted(cora, partnership):
    person = PartnershipPerson.objects.get(user=cora)
    with pytest.raises(ValidationError) as exc:
        services.change_partnership_person(
            actor=cora, person=person, role="member", organisation=None, lived_experience=False
        )
    assert _messages(exc) == {"role": ["Brackenmoor Together must have at least one coordinator"]}
    person.refresh_from_db()
    assert person.role == "coordinator"


def test_a_coordinator_can_step_down_when_another_remains(cora, lena, partnership):
    lena_person = PartnershipPerson.objects.get(user=lena)
    services.change_partnership_person(
        actor=cora, person=lena_person, role="coordinator", organisation=None, lived_experience=True
    )
    cora_person = PartnershipPerson.objects.get(user=cora)
    services.change_partnership_person(
        actor=cora, person=cora_person, role="member", organisation=None, lived_experience=False
    )

    cora_person.refresh_from_db()
    assert cora_person.role == "member"
    changes = [e.changes for e in AuditEvent.objects.filter(action="update").order_by("id")]
    assert changes == [{"role": ["member", "coordinator"]}, {"role": ["coordinator", "member"]}]


def test_changing_who_someone_represents_is_audited_for_that_organisation(cora, partnership, alice, org_a):
    person = PartnershipPersonFactory.create(partnership=partnership, user=alice)
    services.change_partnership_person(
        actor=cora, person=person, role="member", organisation=org_a, lived_experience=False
    )
    event = AuditEvent.objects.get(action="update")
    assert event.changes == {"organisation": [None, org_a.pk]}
    assert event.organisation_id == org_a.pk


def test_the_last_coordinator_cannot_be_removed(cora, partnership):
    person = PartnershipPerson.objects.get(user=cora)
    with pytest.raises(ValidationError) as exc:
        services.remove_partnership_person(actor=cora, person=person)
    assert exc.value.messages == ["Brackenmoor Together must have at least one coordinator"]
    assert PartnershipPerson.objects.filter(pk=person.pk).exists()


def test_removing_a_member_is_audited(cora, lena, partnership):
    person = PartnershipPerson.objects.get(user=lena)
    services.remove_partnership_person(actor=cora, person=person)

    assert not PartnershipPerson.objects.filter(user=lena).exists()
    event = AuditEvent.objects.get(action="delete")
    assert event.partnership_id == partnership.pk
    assert event.changes["user"] == [lena.pk, None]
    assert event.changes["lived_experience"] == [True, None]


def test_a_member_may_leave(lena, cora, partnership):
    services.leave_partnership(actor=lena, partnership=partnership)
    assert not PartnershipPerson.objects.filter(user=lena).exists()
    assert AuditEvent.objects.get().actor == lena


def test_the_last_coordinator_cannot_leave(cora, partnership):
    with pytest.raises(ValidationError) as exc:
        services.leave_partnership(actor=cora, partnership=partnership)
    assert exc.value.messages == ["Brackenmoor Together must have at least one coordinator"]


def test_only_members_can_leave(alice, partnership):
    with pytest.raises(ValidationError) as exc:
        services.leave_partnership(actor=alice, partnership=partnership)
    assert exc.value.messages == ["You are not a member of Brackenmoor Together"]


def test_coordinators_are_counted_per_partnership(cora, partnership):
    # A coordinator of another partnership does not keep this one from losing its last coordinator.
    other = PartnershipFactory.create()
    PartnershipPersonFactory.create(partnership=other, coordinator=True)
    PartnershipPersonFactory.create(partnership=other, user=cora, coordinator=True)
    with pytest.raises(ValidationError):
        services.leave_partnership(actor=cora, partnership=partnership)
    services.leave_partnership(actor=cora, partnership=other)


def test_seats_of_other_partnerships_are_not_touched(cora, partnership, org_a):
    other_seat = PartnershipOrganisationFactory.create(organisation=org_a)
    with pytest.raises(ValidationError):
        services.add_partnership_organisation(actor=cora, partnership=partnership, organisation=org_a)
    assert PartnershipOrganisation.objects.filter(pk=other_seat.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_leaving_at_once_leave_one_in_charge(cora, partnership):
    """The partnership row lock makes the second departure see the first; SQLite locks the whole
    database for writes anyway, so the race is only interesting on PostgreSQL."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself")
    other = PartnershipPersonFactory.create(partnership=partnership, coordinator=True).user
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def leave(user: Any) -> None:
        try:
            barrier.wait()
            services.leave_partnership(actor=user, partnership=partnership)
            outcomes.append("left")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=leave, args=(u,)) for u in (cora, other)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert PartnershipPerson.objects.filter(partnership=partnership, role="coordinator").count() == 1
    assert outcomes.count("left") == 1
