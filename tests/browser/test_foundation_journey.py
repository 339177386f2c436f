"""The foundation journey end to end in Chromium: a VCSE admin signs in through the sign-in
page, edits the organisation, uploads a passport document and sees it listed; a member of
another organisation cannot see it. axe-core checks every page on the way."""

import pytest

from cocommission.accounts.tests.factories import PASSWORD
from cocommission.organisations.models import Organisation, PassportDocument
from cocommission.organisations.tests import passport_files as files

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_vcse_admin_edits_and_uploads_and_an_outsider_cannot_see_it(
    page, assert_accessible, alice, charlie, org_a, tmp_path
):
    sign_in(page, alice.email, PASSWORD)
    assert page.get_by_role("heading", name="Your dashboard").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name=org_a.name).click()
    assert_accessible(page)
    page.get_by_role("link", name="Change details").click()
    assert_accessible(page)
    page.get_by_label("Charity number").fill("12")  # malformed: refused, the rest is kept
    page.get_by_label("What the organisation does").fill("Breaks and advice for unpaid carers.")
    page.get_by_role("button", name="Save changes").click()
    assert page.title().startswith("Error:")
    assert page.get_by_label("What the organisation does").input_value() == "Breaks and advice for unpaid carers."
    assert_accessible(page)
    page.get_by_label("Charity number").fill("1123456")
    page.get_by_role("button", name="Save changes").click()
    assert page.get_by_text("Breaks and advice for unpaid carers.").is_visible()
    assert Organisation.objects.get(pk=org_a.pk).charity_number == "1123456"
    assert_accessible(page)

    page.get_by_role("link", name="Passport").first.click()
    page.get_by_role("button", name="Upload a document").click()
    insurance = tmp_path / "insurance.pdf"
    insurance.write_bytes(files.PDF)
    page.get_by_label("Insurance certificate").check()
    page.get_by_label("Upload a file").set_input_files(str(insurance))
    page.get_by_label("Expiry or review date").fill("2099-03-31")
    page.get_by_role("button", name="Upload document").click()
    assert page.get_by_role("link", name="insurance.pdf").is_visible()
    assert_accessible(page)
    document = PassportDocument.objects.get(organisation=org_a)

    page.context.clear_cookies()
    sign_in(page, charlie.email, PASSWORD)
    page.goto(f"/organisations/{org_a.slug}/")
    assert page.get_by_role("heading", name=org_a.name).is_visible()
    assert page.get_by_text("insurance.pdf").count() == 0
    assert_accessible(page)
    response = page.goto(f"/organisations/{org_a.slug}/passport/")
    assert response is not None and response.status == 404
    assert_accessible(page)
    assert page.request.get(f"/organisations/passport-documents/{document.pk}/download/").status == 404
