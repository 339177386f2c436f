"""Every decide-together URL pattern (needs, deciding) and every persona (see
tests/together_matrix/common.py). test_permission_matrix.py's every-URL check counts these too."""

import pytest
from django.urls import reverse

from cocommission.partnerships.tests.factories import PartnershipFactory

from .test_permission_matrix import login_as, outcome
from .together_matrix import indicators, meetings, moments, stories
from .together_matrix.common import PERSONAS, Case, TogetherWorld

PARTS = (stories, indicators, moments, meetings)
TOGETHER_MATRIX: dict[str, list[Case]] = {name: cases for part in PARTS for name, cases in part.MATRIX.items()}


@pytest.fixture
def world(org_a, org_b, alice, bob, charlie, partnership, cora, lena, pat, icb, sid, mfa_off) -> TogetherWorld:
    w = TogetherWorld(
        partnership=partnership,
        other_partnership=PartnershipFactory.create(name="Fellside Forum", slug="fellside-forum"),
        org_a=org_a,
        org_b=org_b,
        icb=icb,
    )
    for part in PARTS:
        part.build(w)
    return w


CASES = [(name, case) for name, cases in sorted(TOGETHER_MATRIX.items()) for case in cases]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "case"), CASES, ids=[f"{name}-{case.label}" for name, case in CASES])
def test_outcome_of_every_persona(name, case, world, client, request):
    url = reverse(name, kwargs=case.kwargs(world))
    actual = {}
    for persona in PERSONAS:
        client.logout()
        login_as(client, persona, request)
        actual[persona] = outcome(client.get(url))
    assert actual == case.expected, url
