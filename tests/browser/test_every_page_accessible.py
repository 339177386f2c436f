"""axe-core on every page of the agreements and decide-together parts, as someone allowed to
see it: each GET page in the permission matrices that answers 200 is opened in Chromium, signed
in as the first persona the matrix lets in, and checked. The journeys check the pages on their
way; this makes sure no page is missed (forms, confirmations, lists, public pages)."""

from typing import Any

import pytest
from django.urls import reverse

from cocommission.accounts.tests.factories import PASSWORD

from ..test_permission_matrix_agreements import AGREEMENTS_MATRIX
from ..test_permission_matrix_agreements import world as agreements_world  # noqa: F401 (a fixture)
from ..test_permission_matrix_together import TOGETHER_MATRIX
from ..test_permission_matrix_together import world as together_world  # noqa: F401 (a fixture)
from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Files, not pages: downloads are checked by their own tests.
FILES = {"deciding:meeting_paper_download", "needs:indicator_sample"}
# Whom to look through first: the people with the widest view of each part.
ORDER = ("cora", "sid", "alice", "lena", "pat", "bob", "charlie", "anonymous")


def pages_by_persona(matrix: dict[str, Any], world: Any) -> dict[str, list[str]]:
    pages: dict[str, list[str]] = {}
    for name, cases in sorted(matrix.items()):
        if name in FILES:
            continue
        for case in cases:
            persona = next((p for p in ORDER if case.expected.get(p) == 200), None)
            if persona is not None:
                pages.setdefault(persona, []).append(reverse(name, kwargs=case.kwargs(world)))
    return pages


def check_all(page: Any, assert_accessible: Any, request: Any, pages: dict[str, list[str]]) -> None:
    for persona, urls in pages.items():
        page.context.clear_cookies()
        if persona != "anonymous":
            sign_in(page, request.getfixturevalue(persona).email, PASSWORD)
        for url in urls:
            response = page.goto(url)
            assert response is not None and response.status == 200, url
            assert_accessible(page)


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
