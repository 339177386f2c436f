"""Factories for agreement tests.

AgreementFactory traits: `offered`, `signed` (both parties signed, active), `ended`. Dates
default to a three-year term from 1 April 2026, paid quarterly, with no indexation.
Add factories for new models at the END of this file.
"""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from cocommission.agreements.models import (
    Agreement,
    BreakClause,
    BudgetLine,
    IndexValue,
    OverheadRate,
    RenewalDecision,
    Variation,
)
from cocommission.organisations.tests.factories import OrganisationFactory


class AgreementFactory(DjangoModelFactory[Agreement]):
    class Meta:
        model = Agreement

    reference = factory.Sequence(lambda n: f"AGR-TST-{n:04d}")
    title = factory.Sequence(lambda n: f"Community support agreement {n}")
    scope = "Weekly support groups for carers across the valley."
    funder = factory.SubFactory(OrganisationFactory, statutory=True)
    provider = factory.SubFactory(OrganisationFactory)
    value = Decimal("90000.00")
    term_years = 3
    start_date = datetime.date(2026, 4, 1)
    end_date = datetime.date(2029, 3, 31)
    payment_frequency = Agreement.Frequency.QUARTERLY
    status = Agreement.Status.DRAFT

    class Params:
        offered = factory.Trait(status=Agreement.Status.OFFERED, offered_at=factory.LazyFunction(timezone.now))
        signed = factory.Trait(
            status=Agreement.Status.ACTIVE,
            offered_at=factory.LazyFunction(timezone.now),
            funder_signed_at=factory.LazyFunction(timezone.now),
            provider_signed_at=factory.LazyFunction(timezone.now),
            agreement_type=Agreement.Type.GRANT,
        )
        ended = factory.Trait(
            status=Agreement.Status.ENDED,
            funder_signed_at=factory.LazyFunction(timezone.now),
            provider_signed_at=factory.LazyFunction(timezone.now),
        )


class BreakClauseFactory(DjangoModelFactory[BreakClause]):
    class Meta:
        model = BreakClause

    agreement = factory.SubFactory(AgreementFactory)
    earliest_date = datetime.date(2027, 4, 1)
    notice_months = 3


class BudgetLineFactory(DjangoModelFactory[BudgetLine]):
    class Meta:
        model = BudgetLine

    agreement = factory.SubFactory(AgreementFactory)
    year = 1
    category = BudgetLine.Category.STAFF
    description = "Support worker (0.8 full-time equivalent)"
    amount = Decimal("20000.00")


class OverheadRateFactory(DjangoModelFactory[OverheadRate]):
    class Meta:
        model = OverheadRate

    organisation = factory.SubFactory(OrganisationFactory)
    financial_year = 2026
    annual_core_costs = Decimal("37000.00")
    total_direct_costs = Decimal("200000.00")


class IndexValueFactory(DjangoModelFactory[IndexValue]):
    class Meta:
        model = IndexValue

    index = IndexValue.Index.CPI
    month = datetime.date(2024, 3, 1)
    rate = Decimal("3.2")
    source = "ONS, CPI annual rate 00: all items"


class VariationFactory(DjangoModelFactory[Variation]):
    class Meta:
        model = Variation

    agreement = factory.SubFactory(AgreementFactory, signed=True)
    number = factory.Sequence(lambda n: n + 1)
    kind = Variation.Kind.VALUE
    reason = "More families are using the service than planned."
    new_value = Decimal("99000.00")


class RenewalDecisionFactory(DjangoModelFactory[RenewalDecision]):
    class Meta:
        model = RenewalDecision

    agreement = factory.SubFactory(AgreementFactory, signed=True)
    choice = RenewalDecision.Choice.RENEW
    reason = "The service meets its outcomes and is needed."
