"""axe-core on every other page: accounts, organisations, partnerships and the directory (the
foundation matrix), and commissioning. As in test_every_page_accessible.py, each GET page that
the matrix says answers 200 is opened in Chromium, signed in as the first persona the matrix
lets in, and checked. The Django admin's pages are left to Django."""

import pytest

from ..test_permission_matrix import MATRIX
from ..test_permission_matrix import world as foundation_world  # noqa: F401 (a fixture)
from ..test_permission_matrix_commissioning import COMMISSIONING_MATRIX
from ..test_permission_matrix_commissioning import world as commissioning_world  # noqa: F401 (a fixture)
from .sweep import as_cases, check_all, pages_by_persona

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DJANGO_ADMIN = {name for name in MATRIX if name.startswith("admin:")}


@pytest.mark.usefixtures("mfa_off")
def test_every_foundation_page(page, assert_accessible, request):
    pages = pages_by_persona(as_cases(MATRIX), request.getfixturevalue("foundation_world"), skip=DJANGO_ADMIN)
    check_all(page, assert_accessible, request, pages)
    assert len(assert_accessible.checked) >= 45


@pytest.mark.usefixtures("mfa_off")
def test_every_commissioning_page(page, assert_accessible, request):
    pages = pages_by_persona(COMMISSIONING_MATRIX, request.getfixturevalue("commissioning_world"))
    check_all(page, assert_accessible, request, pages)
    assert len(assert_accessible.checked) >= 40
