"""In a real browser: a member uploads a passport document and sees it; another organisation's
member cannot reach it but can add to the timeline between the two. Every page passes axe-core."""

import pytest

from cocommission.accounts.tests.factories import PASSWORD
from cocommission.organisations.models import PassportDocument
from cocommission.organisations.tests import passport_files as files

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_uploads_a_document_and_an_outsider_cannot_see_it(
    page, assert_accessible, bob, charlie, org_a, tmp_path
):
    sign_in(page, bob.email, PASSWORD)
    page.goto(f"/organisations/{org_a.slug}/passport/")
    assert page.locator("#passport-summary").inner_text().startswith("0 of 6 documents in place")
    assert_accessible(page)

    page.get_by_role("button", name="Upload a document").click()
    assert_accessible(page)
    page.get_by_role("button", name="Upload document").click()  # nothing chosen: the errors are shown
    assert page.title().startswith("Error:")
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)

    policy = tmp_path / "Safeguarding policy.pdf"
    policy.write_bytes(files.PDF)
    page.get_by_label("Safeguarding policy").check()
    page.get_by_label("Upload a file").set_input_files(str(policy))
    page.get_by_label("Expiry or review date").fill("2099-04-01")
    page.get_by_role("button", name="Upload document").click()
    assert page.get_by_text("Safeguarding policy uploaded").is_visible()
    assert page.get_by_role("link", name="Safeguarding policy.pdf").is_visible()
    assert page.locator("#passport-summary").inner_text().startswith("1 of 6 documents in place")
    assert_accessible(page)

    document = PassportDocument.objects.get()
    page.goto(f"/organisations/passport-documents/{document.pk}/remove/")
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, charlie.email, PASSWORD)
    response = page.goto(f"/organisations/{org_a.slug}/passport/")
    assert response is not None and response.status == 404
    response = page.request.get(f"/organisations/passport-documents/{document.pk}/download/")
    assert response.status == 404


def test_another_organisation_s_member_adds_to_the_timeline(page, assert_accessible, charlie, org_a, partnership):
    sign_in(page, charlie.email, PASSWORD)
    page.goto(f"/organisations/{org_a.slug}/timeline/")
    assert page.get_by_text("There are no entries you can see yet.").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Add an entry").click()
    assert_accessible(page)
    page.get_by_role("button", name="Add entry").click()
    assert page.title().startswith("Error:")
    assert_accessible(page)
    page.get_by_label("Call").check()
    page.get_by_label("Date").fill("2025-03-04")
    page.get_by_label("Summary").fill("Agreed to share the carers' survey results.")
    page.get_by_label("Is this partnership business?").select_option(label="Brackenmoor Together")
    page.get_by_role("button", name="Add entry").click()
    assert page.get_by_text("Agreed to share the carers' survey results.").is_visible()
    assert page.get_by_role("heading", name="Call with Hillside Food Bank").is_visible()
    assert_accessible(page)
