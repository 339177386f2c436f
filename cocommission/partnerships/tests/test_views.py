from typing import Any

import pytest
from django.urls import reverse

from cocommission.core.models import AuditEvent
from cocommission.organisations.tests.factories import MembershipFactory, OrganisationFactory
from cocommission.partnerships.models import Partnership, PartnershipOrganisation, PartnershipPerson, Sector
from cocommission.partnerships.tests.factories import (
    PartnershipFactory,
    PartnershipOrganisationFactory,
    PartnershipPersonFactory,
)

pytestmark = pytest.mark.django_db


def _url(name: str, partnership: Partnership, pk: int | None = None) -> str:
    args: list[object] = [partnership.slug] + ([pk] if pk is not None else [])
    return reverse(f"partnerships:{name}", args=args)


def _seat(partnership: Partnership, organisation: Any) -> PartnershipOrganisation:
    return PartnershipOrganisation.objects.get(partnership=partnership, organisation=organisation)


# ---- Every page: anonymous people sign in, outsiders learn nothing ---------------------------


def _every_url(partnership: Partnership, org_a: Any, lena: Any) -> list[str]:
    seat = _seat(partnership, org_a).pk
    person = PartnershipPerson.objects.get(user=lena).pk
    return [
        reverse("partnerships:list"),
        reverse("partnerships:create"),
        _url("detail", partnership),
        _url("audit", partnership),
        _url("leave", partnership),
        _url("organisation_add", partnership),
        _url("organisation_change", partnership, seat),
        _url("organisation_remove", partnership, seat),
        _url("person_add", partnership),
        _url("person_change", partnership, person),
        _url("person_remove", partnership, person),
    ]


def test_anonymous_people_are_asked_to_sign_in(client, partnership, org_a, lena):
    for url in _every_url(partnership, org_a, lena):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login")), url


def test_outsiders_get_404_on_every_partnership_page(client, outsider, partnership, org_a, cora, lena):
    client.force_login(outsider)
    for url in _every_url(partnership, org_a, lena)[2:]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url
    assert PartnershipPerson.objects.count() == 2
    assert PartnershipOrganisation.objects.count() == 2


@pytest.mark.parametrize("persona", ["alice", "bob", "charlie", "lena"])
def test_non_coordinators_are_refused_management_pages(client, everyone, partnership, org_a, lena, persona):
    client.force_login(everyone[persona])
    for url in _every_url(partnership, org_a, lena)[5:]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"seat": "Taken over", "role": "member"}).status_code == 403, url
    assert not AuditEvent.objects.exists()


# ---- List ----------------------------------------------------------------------------------


def test_list_shows_my_partnerships_and_how_i_belong(client, alice, cora, partnership):
    PartnershipFactory.create(name="Someone Else's Partnership")
    client.force_login(alice)
    response = client.get(reverse("partnerships:list"))
    content = response.content.decode()
    assert "Brackenmoor Together" in content
    assert "Through Riverside Carers" in content
    assert "Someone Else" not in content

    client.force_login(cora)
    assert "Coordinator" in client.get(reverse("partnerships:list")).content.decode()


def test_list_empty_state_offers_to_start_one(client, outsider):
    client.force_login(outsider)
    response = client.get(reverse("partnerships:list"))
    assert response.status_code == 200
    assert "You are not in a partnership yet" in response.content.decode()
    assert reverse("partnerships:create") in response.content.decode()


def test_list_is_paginated_and_its_query_count_does_not_grow(client, django_assert_max_num_queries):
    person = MembershipFactory.create().user

    def add(n: int) -> None:
        for _ in range(n):
            p = PartnershipFactory.create()
            PartnershipPersonFactory.create(partnership=p, user=person, coordinator=True)
            PartnershipOrganisationFactory.create_batch(2, partnership=p)
            PartnershipPersonFactory.create_batch(2, partnership=p)

    client.force_login(person)
    add(2)
    client.get(reverse("partnerships:list"))  # warm up sessions and caches
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("partnerships:list"))
    add(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("partnerships:list"))
    assert response.context["page"].paginator.num_pages == 2
    assert len(response.context["page"].object_list) == 20
    assert client.get(reverse("partnerships:list") + "?page=2").context["page"].number == 2


# ---- Create --------------------------------------------------------------------------------


def test_create_page_offers_my_organisations(client, alice):
    client.force_login(alice)
    response = client.get(reverse("partnerships:create"))
    assert response.status_code == 200
    assert "Riverside Carers" in response.content.decode()


def test_create_without_organisations_hides_the_question(client):
    lonely = PartnershipPersonFactory.create().user
    client.force_login(lonely)
    assert "organisation" not in client.get(reverse("partnerships:create")).context["form"].fields


def test_create_makes_me_coordinator(client, alice, org_a):
    client.force_login(alice)
    response = client.post(
        reverse("partnerships:create"),
        {"name": "Carers Voice", "place": "Brackenmoor", "description": "", "organisation": org_a.pk},
    )
    partnership = Partnership.objects.get(name="Carers Voice")
    assert response.status_code == 302
    assert response["Location"] == _url("detail", partnership)
    person = PartnershipPerson.objects.get(partnership=partnership)
    assert (person.user, person.role, person.organisation) == (alice, "coordinator", org_a)
    page = client.get(response["Location"])
    assert "You started Carers Voice" in page.content.decode()


def test_create_errors_keep_what_was_typed(client, alice):
    client.force_login(alice)
    response = client.post(reverse("partnerships:create"), {"name": "", "place": "Brackenmoor", "description": "Kept"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Enter the name of the partnership" in content
    assert 'value="Brackenmoor"' in content
    assert "Kept" in content
    assert "<title>Error: " in content
    assert not Partnership.objects.exists()


# ---- Detail --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["alice", "bob", "charlie", "cora", "lena"])
def test_partnership_people_and_member_organisations_see_the_page(client, everyone, partnership, persona):
    client.force_login(everyone[persona])
    assert client.get(_url("detail", partnership)).status_code == 200


def test_platform_admin_may_view(client, pat, partnership, mfa_off):
    client.force_login(pat)
    response = client.get(_url("detail", partnership))
    assert response.status_code == 200
    assert response.context["can_manage"] is False


def test_detail_groups_by_sector_and_says_who_people_represent(client, cora, lena, alice, org_a, partnership):
    council = OrganisationFactory.create(statutory=True, name="Brackenmoor Council")
    PartnershipOrganisationFactory.create(
        partnership=partnership, organisation=council, sector=Sector.STATUTORY, seat="Adults"
    )
    PartnershipPersonFactory.create(partnership=partnership, user=alice, organisation=org_a)
    client.force_login(lena)
    response = client.get(_url("detail", partnership))
    content = response.content.decode()

    statutory, vcse, other = response.context["overview"].groups
    assert (statutory.organisation_count, vcse.organisation_count, other.organisation_count) == (1, 2, 0)
    names = [m.organisation.name for m in response.context["organisations"].object_list]
    assert names == ["Brackenmoor Council", "Hillside Food Bank", "Riverside Carers"]
    assert "Lived experience \N{EN DASH} represents no organisation" in content
    assert "Adults" in content
    assert "Voices by sector" in content
    assert "Add a member organisation" not in content  # lena is not a coordinator
    assert "Leave this partnership" in content


def test_coordinator_sees_management_links(client, cora, partnership):
    client.force_login(cora)
    content = client.get(_url("detail", partnership)).content.decode()
    assert _url("organisation_add", partnership) in content
    assert _url("person_add", partnership) in content
    assert _url("audit", partnership) in content


def test_detail_query_count_does_not_grow_with_members(client, cora, partnership, django_assert_max_num_queries):
    def add(n: int) -> None:
        for _ in range(n):
            seat = PartnershipOrganisationFactory.create(partnership=partnership)
            PartnershipPersonFactory.create(partnership=partnership, organisation=seat.organisation)

    client.force_login(cora)
    add(1)
    client.get(_url("detail", partnership))
    with django_assert_max_num_queries(20) as few:
        client.get(_url("detail", partnership))
    add(15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(_url("detail", partnership))
    assert response.context["overview"].people_total == 17
    assert response.context["people"].paginator.count == 17


def test_the_member_lists_are_paginated_each_with_its_own_page_number(client, cora, partnership, settings):
    settings.PAGE_SIZE = 5
    for _ in range(7):
        seat = PartnershipOrganisationFactory.create(partnership=partnership)
        PartnershipPersonFactory.create(partnership=partnership, organisation=seat.organisation)
    client.force_login(cora)
    response = client.get(_url("detail", partnership) + "?orgs=2&people=1")
    organisations, people = response.context["organisations"], response.context["people"]
    assert (organisations.number, organisations.paginator.count, len(organisations.object_list)) == (2, 9, 4)
    assert (people.number, people.paginator.count, len(people.object_list)) == (1, 8, 5)
    content = response.content.decode()
    assert "?orgs=1&amp;people=1" in content and "?orgs=2&amp;people=2" in content


# ---- Member organisations -------------------------------------------------------------------


def test_add_organisation_with_sector_from_its_kind(client, cora, partnership):
    council = OrganisationFactory.create(statutory=True, name="Brackenmoor Council")
    client.force_login(cora)
    assert client.get(_url("organisation_add", partnership)).status_code == 200
    data = {"organisation": council.pk, "sector": "", "seat": ""}
    response = client.post(_url("organisation_add", partnership), data)
    assert response.status_code == 302
    assert _seat(partnership, council).sector == Sector.STATUTORY


def test_add_duplicate_organisation_shows_the_error_and_keeps_input(client, cora, partnership, org_a):
    client.force_login(cora)
    response = client.post(
        _url("organisation_add", partnership), {"organisation": org_a.pk, "sector": "other", "seat": "Carers' voice"}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Riverside Carers is already a member of Brackenmoor Together" in content
    assert response.context["form"].errors["organisation"]
    assert "Carers&#x27; voice" in content
    assert _seat(partnership, org_a).sector == Sector.VCSE


def test_add_organisation_requires_a_choice(client, cora, partnership):
    client.force_login(cora)
    response = client.post(_url("organisation_add", partnership), {})
    assert "Choose an organisation" in response.content.decode()


def test_change_seat(client, cora, partnership, org_a):
    seat = _seat(partnership, org_a)
    client.force_login(cora)
    form = client.get(_url("organisation_change", partnership, seat.pk)).context["form"]
    response = client.post(
        _url("organisation_change", partnership, seat.pk),
        {"sector": "other", "seat": "Carers", "version": form.initial["version"]},
    )
    assert response.status_code == 302
    seat.refresh_from_db()
    assert (seat.sector, seat.seat) == ("other", "Carers")


def test_a_stale_seat_change_is_shown_and_the_input_kept(client, cora, partnership, org_a):
    seat = _seat(partnership, org_a)
    client.force_login(cora)
    url = _url("organisation_change", partnership, seat.pk)
    version = client.get(url).context["form"].initial["version"]
    client.post(url, {"sector": "vcse", "seat": "First", "version": version})

    response = client.post(url, {"sector": "other", "seat": "Second", "version": version})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed these details" in content
    assert 'value="Second"' in content
    seat.refresh_from_db()
    assert seat.seat == "First"
    # The form now carries the current stamp, so saving again is a deliberate choice.
    fresh = response.context["form"].data["version"]
    assert client.post(url, {"sector": "other", "seat": "Second", "version": fresh}).status_code == 302


def test_remove_organisation_asks_first(client, cora, partnership, org_b):
    seat = _seat(partnership, org_b)
    client.force_login(cora)
    url = _url("organisation_remove", partnership, seat.pk)
    confirm = client.get(url)
    assert "Remove Hillside Food Bank from Brackenmoor Together?" in confirm.content.decode()
    assert PartnershipOrganisation.objects.filter(pk=seat.pk).exists()

    response = client.post(url)
    assert response.status_code == 302
    assert not PartnershipOrganisation.objects.filter(pk=seat.pk).exists()
    assert client.post(url).status_code == 404  # a second click finds nothing to remove


def test_remove_organisation_with_representatives_explains(client, cora, partnership, org_a, alice):
    PartnershipPersonFactory.create(partnership=partnership, user=alice, organisation=org_a)
    seat = _seat(partnership, org_a)
    client.force_login(cora)
    response = client.post(_url("organisation_remove", partnership, seat.pk))
    assert response.status_code == 200
    assert "Change who they represent, or remove them" in response.content.decode()
    assert PartnershipOrganisation.objects.filter(pk=seat.pk).exists()


def test_another_partnerships_seat_is_404(client, cora, partnership):
    other = PartnershipOrganisationFactory.create()
    client.force_login(cora)
    assert client.get(_url("organisation_change", partnership, other.pk)).status_code == 404
    assert client.post(_url("organisation_remove", partnership, other.pk)).status_code == 404


# ---- Individual members ---------------------------------------------------------------------


def test_add_person_without_an_account_keeps_input(client, cora, partnership):
    client.force_login(cora)
    response = client.post(
        _url("person_add", partnership), {"email": "new@example.org", "role": "member", "lived_experience": "on"}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "There is no account with that email address. Ask them to create an account first" in content
    assert 'value="new@example.org"' in content
    assert response.context["form"]["lived_experience"].value() is True


def test_add_person_representing_their_organisation(client, cora, partnership, alice, org_a):
    client.force_login(cora)
    form = client.get(_url("person_add", partnership)).context["form"]
    assert {o.name for o in form.fields["organisation"].queryset} == {"Riverside Carers", "Hillside Food Bank"}
    response = client.post(
        _url("person_add", partnership), {"email": alice.email, "role": "coordinator", "organisation": org_a.pk}
    )
    assert response.status_code == 302
    person = PartnershipPerson.objects.get(user=alice)
    assert (person.role, person.organisation, person.lived_experience) == ("coordinator", org_a, False)


def test_add_person_already_a_member(client, cora, lena, partnership):
    client.force_login(cora)
    response = client.post(_url("person_add", partnership), {"email": lena.email, "role": "member"})
    assert f"{lena} is already a member of Brackenmoor Together" in response.content.decode()


def test_demoting_the_last_coordinator_is_refused_next_to_the_role(client, cora, partnership):
    person = PartnershipPerson.objects.get(user=cora)
    client.force_login(cora)
    response = client.post(_url("person_change", partnership, person.pk), {"role": "member", "organisation": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["role"] == ["Brackenmoor Together must have at least one coordinator"]
    person.refresh_from_db()
    assert person.role == "coordinator"


def test_change_person(client, cora, lena, partnership):
    person = PartnershipPerson.objects.get(user=lena)
    client.force_login(cora)
    assert client.get(_url("person_change", partnership, person.pk)).status_code == 200
    response = client.post(_url("person_change", partnership, person.pk), {"role": "coordinator", "organisation": ""})
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.role, person.lived_experience) == ("coordinator", False)


def test_remove_person_asks_first(client, cora, lena, partnership):
    person = PartnershipPerson.objects.get(user=lena)
    client.force_login(cora)
    url = _url("person_remove", partnership, person.pk)
    assert f"Remove {lena} from Brackenmoor Together?" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not PartnershipPerson.objects.filter(pk=person.pk).exists()


def test_removing_the_last_coordinator_is_explained(client, cora, partnership):
    person = PartnershipPerson.objects.get(user=cora)
    client.force_login(cora)
    response = client.post(_url("person_remove", partnership, person.pk))
    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content
    assert "Brackenmoor Together must have at least one coordinator" in content
    assert PartnershipPerson.objects.filter(pk=person.pk).exists()


def test_leave(client, lena, cora, partnership):
    client.force_login(lena)
    assert "Leave Brackenmoor Together?" in client.get(_url("leave", partnership)).content.decode()
    response = client.post(_url("leave", partnership))
    assert response["Location"] == reverse("partnerships:list")
    assert not PartnershipPerson.objects.filter(user=lena).exists()


def test_the_last_coordinator_cannot_leave(client, cora, partnership):
    client.force_login(cora)
    response = client.post(_url("leave", partnership))
    assert response.status_code == 200
    assert "must have at least one coordinator" in response.content.decode()


# ---- Audit ---------------------------------------------------------------------------------


def test_audit_log_shows_who_changed_what(client, cora, partnership, org_a):
    seat = _seat(partnership, org_a)
    client.force_login(cora)
    client.post(_url("organisation_change", partnership, seat.pk), {"sector": "other", "seat": "Carers"})
    response = client.get(_url("audit", partnership))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Changed member organisation" in content
    assert "VCSE" in content and "Other" in content
    assert str(cora) in content


def test_platform_admin_may_read_the_audit_log(client, pat, partnership, mfa_off):
    client.force_login(pat)
    assert client.get(_url("audit", partnership)).status_code == 200


def test_audit_log_is_paginated_with_constant_queries(client, cora, partnership, django_assert_max_num_queries):
    def add(n: int) -> None:
        from cocommission.partnerships import services

        for _ in range(n):
            organisation = OrganisationFactory.create()
            services.add_partnership_organisation(actor=cora, partnership=partnership, organisation=organisation)

    client.force_login(cora)
    add(2)
    client.get(_url("audit", partnership))
    with django_assert_max_num_queries(12) as few:
        client.get(_url("audit", partnership))
    add(25)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(_url("audit", partnership))
    assert response.context["page"].paginator.num_pages == 2
