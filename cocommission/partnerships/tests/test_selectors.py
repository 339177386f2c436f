from typing import Any

import pytest

from cocommission.organisations.tests.factories import MembershipFactory, OrganisationFactory
from cocommission.partnerships import selectors, services
from cocommission.partnerships.models import PartnershipOrganisation, PartnershipPerson, Sector
from cocommission.partnerships.tests.factories import (
    PartnershipFactory,
    PartnershipOrganisationFactory,
    PartnershipPersonFactory,
)

pytestmark = pytest.mark.django_db


def _listed(user: Any) -> list[tuple[Any, ...]]:
    # The annotations are added by the selector, so the type checker cannot know them.
    partnerships: Any = selectors.partnerships_for_user(user=user)
    return list(partnerships.values_list("name", "my_role", "through", "organisation_count", "people_count"))


def test_partnerships_for_user_in_person_and_through_an_organisation(alice, cora, lena, outsider, partnership):
    PartnershipFactory.create(name="Unrelated")

    assert _listed(cora) == [("Brackenmoor Together", "coordinator", None, 2, 2)]
    assert _listed(alice) == [("Brackenmoor Together", None, "Riverside Carers", 2, 2)]
    assert _listed(lena) == [("Brackenmoor Together", "member", None, 2, 2)]
    assert not selectors.partnerships_for_user(user=outsider).exists()


def test_partnerships_for_user_lists_each_partnership_once(alice, org_a, partnership):
    # alice is a member in person and through her organisation, which has a seat
    PartnershipPersonFactory.create(partnership=partnership, user=alice, organisation=org_a)
    second_seat = PartnershipOrganisationFactory.create(partnership=partnership)
    MembershipFactory.create(user=alice, organisation=second_seat.organisation)
    assert selectors.partnerships_for_user(user=alice).count() == 1


def test_overview_groups_organisations_by_sector_and_counts_voices(cora, lena, alice, org_a, partnership):
    council = OrganisationFactory.create(statutory=True, name="Brackenmoor Council")
    PartnershipOrganisationFactory.create(partnership=partnership, organisation=council, sector=Sector.STATUTORY)
    PartnershipPersonFactory.create(partnership=partnership, user=alice, organisation=org_a)

    overview = selectors.partnership_overview(partnership=partnership)

    assert [(g.sector, g.organisation_count, g.people_count) for g in overview.groups] == [
        ("statutory", 1, 0),
        ("vcse", 2, 1),
        ("other", 0, 0),
    ]
    rows = selectors.person_rows(partnership=partnership, people=selectors.partnership_people(partnership=partnership))
    by_user = {row.person.user: row.sector for row in rows}
    assert by_user == {cora: None, lena: None, alice: "vcse"}
    assert overview.people_total == 3
    assert (overview.coordinator_count, overview.lived_experience_count, overview.unaffiliated_count) == (1, 1, 2)
    assert overview.organisation_count == 3


def test_person_sectors_follow_the_seat_of_the_organisation_they_represent(alice, cora, org_a, partnership):
    PartnershipPersonFactory.create(partnership=partnership, user=alice, organisation=org_a)
    PartnershipOrganisation.objects.filter(organisation=org_a).update(sector=Sector.OTHER)
    assert selectors.person_sectors(partnership=partnership) == {cora.pk: None, alice.pk: "other"}


def test_audit_rows_are_readable(cora, partnership, alice, org_a):
    services.add_partnership_person(actor=cora, partnership=partnership, email=alice.email, organisation=org_a)
    person = PartnershipPerson.objects.get(user=alice)
    services.change_partnership_person(
        actor=cora, person=person, role="coordinator", organisation=org_a, lived_experience=True
    )

    changed, added = selectors.audit_rows(selectors.audit_events_for_partnership(partnership=partnership))

    assert changed.who == str(cora)
    assert changed.what == "Changed member"
    assert {(c.label, c.old, c.new) for c in changed.changes} == {
        ("Role", "Member", "Coordinator"),
        ("Brings lived experience", "No", "Yes"),
    }
    assert added.what == "Created member"
    shown = {c.label: c.new for c in added.changes}
    assert shown["Person"] == str(alice)
    assert shown["Organisation"] == "Riverside Carers"
    assert "Partnership" not in shown  # every row on the page is about this partnership


def test_audit_rows_name_people_and_organisations_in_constant_queries(cora, partnership, django_assert_num_queries):
    for _ in range(6):
        organisation = OrganisationFactory.create()
        user = MembershipFactory.create(organisation=organisation).user
        services.add_partnership_organisation(actor=cora, partnership=partnership, organisation=organisation)
        services.add_partnership_person(
            actor=cora, partnership=partnership, email=user.email, organisation=organisation
        )
    events = list(selectors.audit_events_for_partnership(partnership=partnership))
    with django_assert_num_queries(2):  # the people, then the organisations, named by id
        rows = selectors.audit_rows(events)
    assert len(rows) == 12
    assert all("#" not in c.new for row in rows for c in row.changes)
