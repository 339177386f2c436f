"""Organisation pages through the web: create, edit, profile, and who is refused."""

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cocommission.core.models import AuditEvent
from cocommission.organisations.models import Area, Membership, Organisation
from cocommission.organisations.services.organisations import OrganisationDetails, update_organisation

pytestmark = pytest.mark.django_db

STALE = "Someone else changed these details while you were editing. Check the details below and save again."


def edit_url(organisation: Organisation) -> str:
    return reverse("organisations:edit", args=[organisation.slug])


def form_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Northgate Shared Lives",
        "kind": "vcse",
        "legal_form": "cio",
        "charity_number": "",
        "company_number": "",
        "latest_annual_income": "",
        "description": "",
        "website": "",
        "public_email": "",
        "public_phone": "",
        "address": "",
        "postcode": "",
    }
    data.update(overrides)
    return data


def edit_data(client: Client, organisation: Organisation, **overrides: Any) -> dict[str, Any]:
    """What the edit form shows, as a browser would send it back, with some fields changed."""
    form = client.get(edit_url(organisation)).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data.update(overrides)
    return data


# Create


def test_anonymous_people_are_sent_to_sign_in_to_create(client: Client) -> None:
    response = client.get(reverse("organisations:create"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=/organisations/new/" in response["Location"]


def test_anyone_signed_in_can_create_an_organisation_and_becomes_its_admin(client: Client, charlie: Any) -> None:
    area = Area.objects.create(name="Brackenmoor", slug="brackenmoor")
    client.force_login(charlie)
    assert client.get(reverse("organisations:create")).status_code == 200
    response = client.post(
        reverse("organisations:create"),
        form_data(
            charity_number="sc 012345",
            company_number="1234567",
            latest_annual_income="£85,000.50",
            areas_served=[area.pk],
            postcode="ls1 4ap",
        ),
    )
    organisation = Organisation.objects.get(name="Northgate Shared Lives")
    assert response.status_code == 302 and response["Location"] == reverse(
        "organisations:detail", args=["northgate-shared-lives"]
    )
    assert organisation.charity_number == "SC012345" and organisation.company_number == "01234567"
    assert organisation.latest_annual_income == Decimal("85000.50") and organisation.income_band == "small"
    assert organisation.postcode == "LS1 4AP"
    assert Membership.objects.get(organisation=organisation).user == charlie
    page = client.get(response["Location"]).content.decode()
    assert "Northgate Shared Lives has been added. You are its admin." in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("charity_number", "12345", "Charity number must be 6 or 7 digits, like 1123456"),
        ("company_number", "SC12", "Company number must be 8 digits, like 01234567"),
        ("latest_annual_income", "-5", "Latest annual income must be £0 or more"),
        ("latest_annual_income", "lots", "Latest annual income must be an amount of money"),
        ("latest_annual_income", "10.555", "Latest annual income must be in pounds and pence"),
        ("name", "", "Enter the organisation&#x27;s name"),
        ("postcode", "NOT A POSTCODE", "Enter a real postcode, like LS1 4AP"),
        ("website", "not a website", "Enter a website address in the correct format"),
    ],
)
def test_bad_input_is_explained_next_to_the_field_and_the_rest_is_kept(
    client: Client, charlie: Any, field: str, value: str, message: str
) -> None:
    client.force_login(charlie)
    data = form_data(description="Everything we typed", public_phone="0113 496 0000", **{field: value})
    response = client.post(reverse("organisations:create"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "<title>Error: " in html
    assert 'class="govuk-error-summary"' in html
    assert "Everything we typed" in html and "0113 496 0000" in html
    assert not Organisation.objects.filter(description="Everything we typed").exists()


def test_a_duplicate_charity_number_is_explained_next_to_the_field(
    client: Client, charlie: Any, org_a: Organisation
) -> None:
    org_a.charity_number = "1123456"
    org_a.save()
    client.force_login(charlie)
    response = client.post(reverse("organisations:create"), form_data(charity_number="1123456", description="Kept"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "An organisation with this charity number is already registered: Riverside Carers" in html
    assert 'id="id_charity_number-error"' in html
    assert "Kept" in html
    assert Organisation.objects.filter(charity_number="1123456").count() == 1


# Edit


def test_an_admin_edits_the_details(client: Client, alice: Any, org_a: Organisation) -> None:
    area = Area.objects.create(name="Eastbrook", slug="eastbrook")
    client.force_login(alice)
    page = client.get(edit_url(org_a)).content.decode()
    assert "Small (£10,000 to £99,999)" in page  # the band is shown, not editable
    assert 'name="income_band"' not in page
    data = edit_data(
        client, org_a, name="Riverside Carers Trust", latest_annual_income="2000000", areas_served=[area.pk]
    )
    response = client.post(edit_url(org_a), data)
    assert response.status_code == 302
    org_a.refresh_from_db()
    assert org_a.name == "Riverside Carers Trust" and org_a.income_band == "large"
    assert list(org_a.areas_served.all()) == [area]
    assert org_a.slug == "riverside-carers"  # links people saved keep working


@pytest.mark.parametrize("persona", ["bob", "charlie", "cora", "lena"])
def test_only_admins_of_the_organisation_may_edit(
    client: Client, request: Any, org_a: Organisation, persona: str
) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get(edit_url(org_a)).status_code == 403
    assert client.post(edit_url(org_a), form_data(name="Taken over")).status_code == 403
    assert Organisation.objects.get(pk=org_a.pk).name == "Riverside Carers"


def test_a_platform_admin_uses_the_django_admin_not_this_form(
    client: Client, pat: Any, mfa_off: Any, org_a: Organisation
) -> None:
    client.force_login(pat)
    assert client.get(edit_url(org_a)).status_code == 403


def test_anonymous_people_are_sent_to_sign_in_to_edit(client: Client, org_a: Organisation) -> None:
    response = client.get(edit_url(org_a))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_editing_an_organisation_that_does_not_exist_is_a_404(client: Client, alice: Any) -> None:
    client.force_login(alice)
    assert client.get(reverse("organisations:edit", args=["no-such-place"])).status_code == 404


def test_a_stale_form_is_refused_keeps_the_input_and_shows_what_is_saved(
    client: Client, alice: Any, bob: Any, org_a: Organisation
) -> None:
    client.force_login(alice)
    data = edit_data(client, org_a, description="Alice's words")
    # Someone else saves while Alice is typing.
    Membership.objects.filter(user=bob).update(role="admin")
    update_organisation(
        actor=bob,
        organisation=org_a,
        details=OrganisationDetails(name="Riverside Carers CIO", kind="vcse", legal_form="cio"),
    )
    response = client.post(edit_url(org_a), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert STALE in html
    assert "Alice&#x27;s words" in html
    assert "What is saved now" in html and "Riverside Carers CIO" in html
    org_a.refresh_from_db()
    assert org_a.description == "" and org_a.name == "Riverside Carers CIO"

    # The refreshed form carries the new version, so saving again works.
    again = dict(data)
    again["version"] = response.context["form"]["version"].value()
    assert client.post(edit_url(org_a), again).status_code == 302
    org_a.refresh_from_db()
    assert org_a.description == "Alice's words" and org_a.name == "Riverside Carers"


def test_submitting_the_same_form_twice_is_refused_the_second_time(
    client: Client, alice: Any, org_a: Organisation
) -> None:
    client.force_login(alice)
    data = edit_data(client, org_a, description="First")
    assert client.post(edit_url(org_a), data).status_code == 302
    data["description"] = "Second"
    response = client.post(edit_url(org_a), data)
    assert response.status_code == 200 and STALE in response.content.decode()
    assert Organisation.objects.get(pk=org_a.pk).description == "First"


def test_a_duplicate_company_number_on_edit_is_a_field_error(
    client: Client, alice: Any, org_a: Organisation, org_b: Organisation
) -> None:
    org_b.company_number = "01234567"
    org_b.save()
    client.force_login(alice)
    response = client.post(edit_url(org_a), edit_data(client, org_a, company_number="0123 4567", description="Keep me"))
    html = response.content.decode()
    assert "An organisation with this company number is already registered: Hillside Food Bank" in html
    assert "Keep me" in html
    assert Organisation.objects.get(pk=org_a.pk).company_number is None
    assert not AuditEvent.objects.filter(organisation_id=org_a.pk).exists()


# Profile


def test_the_public_profile_shows_public_fields_only(client: Client, org_a: Organisation) -> None:
    org_a.charity_number = "1123456"
    org_a.description = "We support unpaid carers."
    org_a.save()
    html = client.get(reverse("organisations:detail", args=[org_a.slug])).content.decode()
    assert "We support unpaid carers." in html and "1123456" in html
    assert "Small (£10,000 to £99,999)" in html
    assert "85,000" not in html  # the exact income is for members
    for private in ("members", "passport", "audit", "edit"):
        assert reverse(f"organisations:{private}", args=[org_a.slug]) not in html


def test_members_see_their_links_and_admins_see_more(client: Client, alice: Any, bob: Any, org_a: Organisation) -> None:
    url = reverse("organisations:detail", args=[org_a.slug])
    client.force_login(bob)
    html = client.get(url).content.decode()
    assert reverse("organisations:members", args=[org_a.slug]) in html
    assert reverse("organisations:passport", args=[org_a.slug]) in html
    assert "£85,000.00" in html
    assert reverse("organisations:edit", args=[org_a.slug]) not in html
    assert reverse("organisations:audit", args=[org_a.slug]) not in html
    client.force_login(alice)
    html = client.get(url).content.decode()
    assert reverse("organisations:edit", args=[org_a.slug]) in html
    assert reverse("organisations:audit", args=[org_a.slug]) in html


def test_another_organisations_member_sees_the_public_profile(
    client: Client, charlie: Any, org_a: Organisation
) -> None:
    client.force_login(charlie)
    html = client.get(reverse("organisations:detail", args=[org_a.slug])).content.decode()
    assert "Riverside Carers" in html
    assert reverse("organisations:members", args=[org_a.slug]) not in html
    assert "85,000" not in html


def test_an_unknown_organisation_is_a_404(client: Client) -> None:
    assert client.get(reverse("organisations:detail", args=["nowhere"])).status_code == 404
