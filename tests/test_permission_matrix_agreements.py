"""Every agreement URL pattern and every persona (see tests/agreements_matrix/common.py for the
world). test_permission_matrix.py's `test_every_url_pattern_has_an_entry` counts these names too."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from cocommission.agreements.models import Instalment
from cocommission.agreements.tests.factories import (
    AgreementFactory,
    BreakClauseFactory,
    BudgetLineFactory,
    IndexValueFactory,
    VariationFactory,
)

from .agreements_matrix import changes, money, schedule, terms
from .agreements_matrix.common import PERSONAS, AgreementWorld, Case
from .test_permission_matrix import login_as, outcome

AGREEMENTS_MATRIX: dict[str, list[Case]] = {**terms.MATRIX, **money.MATRIX, **schedule.MATRIX, **changes.MATRIX}


@pytest.fixture
def world(org_a, org_b, alice, bob, charlie, partnership, cora, lena, pat, icb, sid, mfa_off) -> AgreementWorld:
    parties = {"funder": icb, "provider": org_a, "partnership": partnership}
    draft = AgreementFactory.create(**parties)
    active = AgreementFactory.create(signed=True, **parties)
    instalment = Instalment.objects.create(
        agreement=active,
        due_on=datetime.date(2026, 6, 30),
        period_start=datetime.date(2026, 4, 1),
        period_end=datetime.date(2026, 6, 30),
        financial_year="2026-27",
        amount=Decimal("7500.00"),
    )
    return AgreementWorld(
        draft=draft,
        active=active,
        break_clause=BreakClauseFactory.create(agreement=draft),
        budget_line=BudgetLineFactory.create(agreement=draft),
        instalment=instalment,
        variation=VariationFactory.create(agreement=active, number=1),
        org_a=org_a,
        icb=icb,
        index_value=IndexValueFactory.create(),
    )


CASES = [(name, case) for name, cases in sorted(AGREEMENTS_MATRIX.items()) for case in cases]


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
