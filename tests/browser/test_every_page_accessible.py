"""axe-core on every page of the agreements and decide-together parts, as someone allowed to
see it: each GET page in the permission matrices that answers 200 is opened in Chromium, signed
in as the first persona the matrix lets in, and checked. The journeys check the pages on their
way; this makes sure no page is missed (forms, confirmations, lists, public pages)."""

import pytest

from ..test_permission_matrix_agreements import AGREEMENTS_MATRIX
from ..test_permission_matrix_agreements import world as agreements_world  # noqa: F401 (a fixture)
from ..test_permission_matrix_together import TOGETHER_MATRIX
from ..test_permission_matrix_together import world as together_world  # noqa: F401 (a fixture)
from .sweep import check_all, pages_by_persona

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.usefixtures("mfa_off")
def test_every_agreement_page(page, assert_accessible, request):
    pages = pages_by_persona(AGREEMENTS_MATRIX, request.getfixturevalue("agreements_world"))
    check_all(page, assert_accessible, request, pages)
    assert len(assert_accessible.checked) >= 25


@pytest.mark.usefixtures("mfa_off")
def test_every_decide_together_page(page, assert_accessible, request):
    pages = pages_by_persona(TOGETHER_MATRIX, request.getfixturevalue("together_world"))
    check_all(page, assert_accessible, request, pages)
    assert len(assert_accessible.checked) >= 40
