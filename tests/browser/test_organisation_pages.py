"""In a real browser: an organisation admin finds their organisation in the directory, edits it
(seeing a clear error first), invites someone and reads the change history. Every page passes axe-core."""

import pytest

from cocommission.accounts.tests.factories import PASSWORD
from cocommission.organisations.models import Organisation
from cocommission.organisations.tests.factories import AreaFactory

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_edits_their_organisation_and_invites_someone(page, assert_accessible, alice, bob, org_a, org_b):
    AreaFactory(name="Northgate", slug="northgate")
    page.goto("/organisations/")
    assert_accessible(page)
    page.get_by_label("Organisation name").fill("riverside")
    page.get_by_role("button", name="Apply filters").click()
    assert page.get_by_role("heading", name="1 organisation found").is_visible()
    assert_accessible(page)

    sign_in(page, alice.email, PASSWORD)
    page.goto(f"/organisations/{org_a.slug}/")
    assert_accessible(page)
    page.get_by_role("link", name="Change details").click()
    assert_accessible(page)
    page.get_by_label("Charity number").fill("12345")
    page.get_by_label("Northgate").check()
    page.get_by_role("button", name="Save changes").click()
    assert page.title().startswith("Error:")
    assert page.locator(".govuk-error-summary").get_by_text("Charity number must be 6 or 7 digits").is_visible()
    assert page.get_by_label("Northgate").is_checked()  # the rest of the input is kept
    assert_accessible(page)
    page.get_by_label("Charity number").fill("1123456")
    page.get_by_role("button", name="Save changes").click()
    assert page.get_by_text("The organisation's details have been saved.").is_visible()
    assert Organisation.objects.get(pk=org_a.pk).charity_number == "1123456"

    page.get_by_role("link", name="Members").click()
    assert_accessible(page)
    page.get_by_role("button", name="Invite someone").click()
    page.get_by_label("Email address").fill("bob@example.org")
    page.get_by_role("button", name="Send invitation").click()
    assert page.locator(".govuk-error-summary").get_by_text("bob@example.org is already a member").is_visible()
    assert_accessible(page)
    page.get_by_label("Email address").fill("new.person@example.org")
    page.get_by_label("Admin").check()
    page.get_by_role("button", name="Send invitation").click()
    assert page.get_by_text("We have emailed an invitation to new.person@example.org.").is_visible()
    page.get_by_role("link", name="Invitations waiting for a reply").click()
    assert_accessible(page)
    page.get_by_role("link", name="Withdraw the invitation for new.person@example.org").click()
    assert_accessible(page)

    page.goto(f"/organisations/{org_a.slug}/members/")
    page.get_by_role("link", name="Remove " + alice.get_full_name()).click()
    page.get_by_role("button", name="Remove member").click()
    assert page.locator(".govuk-error-summary").get_by_text("must have at least one admin").is_visible()
    assert_accessible(page)

    page.goto(f"/organisations/{org_a.slug}/audit/")
    assert page.get_by_text("Created invitation").is_visible()
    assert_accessible(page)

    page.goto("/organisations/new/")
    assert_accessible(page)
