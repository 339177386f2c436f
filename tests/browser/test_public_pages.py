import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_explains_the_service_and_is_accessible(page, assert_accessible):
    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text() == "Decide, design and commission services together"
    # The GOV.UK Frontend module loaded under the Content-Security-Policy (no inline scripts).
    assert "govuk-frontend-supported" in (page.locator("body").get_attribute("class") or "")
    assert_accessible(page)
