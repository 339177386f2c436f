"""The demo agreements, step by step, through the agreement services."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from cocommission.accounts.models import User
from cocommission.agreements.indexation import DEMO_CPI, add_years
from cocommission.agreements.models import Agreement, BudgetLine, IndexValue, Instalment, OverheadRate
from cocommission.agreements.permissions import FUNDER, PROVIDER
from cocommission.agreements.selectors.terms import signing_version
from cocommission.agreements.services import budget, indexation, renewals, schedule, terms, variations, vat
from cocommission.agreements.services.index_values import add_index_value
from cocommission.agreements.services.variation_rules import Proposal
from cocommission.commissioning.models import Consortium, ConsortiumMember
from cocommission.organisations.models import Organisation
from cocommission.partnerships.models import Partnership, PartnershipOrganisation

D = Decimal
CPI_SOURCE = "ONS, Consumer price inflation: CPI annual rate, all items (demo place)"
Category = BudgetLine.Category


def person(email: str) -> User:
    return User.objects.get(email=email)


def load_index_values() -> None:
    """The ONS CPI 12-month rates the demo uses, added by the platform admin."""
    admin = person("admin@cocommission.example")
    for month, rate in DEMO_CPI.items():
        if not IndexValue.objects.filter(index=IndexValue.Index.CPI, month=month).exists():
            add_index_value(actor=admin, index=IndexValue.Index.CPI, month=month, rate=rate, source=CPI_SOURCE)


@dataclass
class DemoAgreements:
    today: datetime.date
    orgs: dict[str, Organisation]
    partnership: Partnership

    def exists(self, title: str) -> bool:
        return Agreement.objects.filter(title=title).exists()

    def shared_partnership(self, *organisations: Organisation) -> Partnership | None:
        seated = PartnershipOrganisation.objects.filter(
            partnership=self.partnership, organisation__in=organisations
        ).count()
        return self.partnership if seated == len(organisations) else None

    def overhead_rate(self, slug: str, by: str, year: int, core: str, direct: str) -> None:
        organisation = self.orgs[slug]
        if not OverheadRate.objects.filter(organisation=organisation, financial_year=year).exists():
            budget.add_overhead_rate(
                actor=person(by),
                organisation=organisation,
                financial_year=year,
                annual_core_costs=D(core),
                total_direct_costs=D(direct),
            )

    def create(
        self,
        *,
        by: str,
        funder: str,
        provider: str,
        title: str,
        scope: str,
        value: str,
        start: datetime.date,
        end: datetime.date,
        frequency: str,
        recurring: bool = True,
        short_term_reason: str = "",
    ) -> Agreement:
        funder_org, provider_org = self.orgs[funder], self.orgs[provider]
        return terms.create_agreement(
            actor=person(by),
            funder=funder_org,
            provider=provider_org,
            partnership=self.shared_partnership(funder_org, provider_org),
            terms=terms.Terms(
                title=title,
                scope=scope,
                value=D(value),
                start_date=start,
                end_date=end,
                recurring=recurring,
                short_term_reason=short_term_reason,
                payment_frequency=frequency,
            ),
        )

    def budget(self, agreement: Agreement, by: str, lines: list[tuple[int, str, str, str]]) -> None:
        for year, category, description, amount in lines:
            budget.add_budget_line(
                actor=person(by),
                agreement=agreement,
                year=year,
                category=category,
                description=description,
                amount=D(amount),
            )

    def grant(self, agreement: Agreement, by: str) -> None:
        vat.record_vat_test(
            actor=person(by),
            agreement=agreement,
            consideration=Agreement.Answer.NO,
            direct_link=Agreement.Answer.NO,
            beneficiary=Agreement.Beneficiary.PUBLIC,
            purchase_conditions=Agreement.Answer.NO,
            vat_rate=None,
        )

    def offer_and_sign(self, agreement: Agreement, *, funder_by: str, provider_by: str | None) -> Agreement:
        terms.offer_agreement(actor=person(funder_by), agreement=agreement)
        agreement.refresh_from_db()
        terms.sign_agreement(
            actor=person(funder_by), agreement=agreement, side=FUNDER, version=signing_version(agreement)
        )
        if provider_by is not None:
            agreement.refresh_from_db()
            terms.sign_agreement(
                actor=person(provider_by), agreement=agreement, side=PROVIDER, version=signing_version(agreement)
            )
        agreement.refresh_from_db()
        return agreement

    def pay_what_is_due(self, agreement: Agreement, by: str) -> None:
        """The funder has paid every instalment due before today, each on its due date."""
        funder = person(by)
        for instalment in Instalment.objects.filter(agreement=agreement, paid_on__isnull=True).order_by("due_on"):
            if instalment.due_on >= self.today:
                break
            schedule.mark_instalment_paid(actor=funder, instalment=instalment, paid_on=instalment.due_on)

    def send_warnings(self) -> None:
        renewals.send_ending_warnings(today=self.today)


ICB = "brackenmoor-icb"
COUNCIL = "brackenmoor-city-council"
PRIYA = "priya.shah@brackenmoor-icb.example"
GARETH = "gareth.lloyd@brackenmoor-council.example"
SAM = "sam.okoro@lantern-theatre.example"


def indexed_grant(demo: DemoAgreements) -> None:
    title = "Community food and wellbeing hub"
    if demo.exists(title):
        return
    demo.overhead_rate("lantern-theatre-food-bank", SAM, 2024, "41000", "205000")
    agreement = demo.create(
        by=PRIYA,
        funder=ICB,
        provider="lantern-theatre-food-bank",
        title=title,
        scope="A weekly food bank with a hot meal, benefits checks and a wellbeing worker for the east of the city.",
        value="150000",
        start=datetime.date(2024, 5, 1),
        end=datetime.date(2027, 4, 30),
        frequency=Agreement.Frequency.QUARTERLY,
    )
    per_year = [
        (Category.STAFF, "Hub coordinator and wellbeing worker", "32000"),
        (Category.VOLUNTEER_EXPENSES, "Volunteer travel and lunches", "2500"),
        (Category.PREMISES, "Hall hire, two days a week", "4000"),
        (Category.OTHER, "Food top-up and kitchen supplies", "3000"),
    ]
    demo.budget(agreement, SAM, [(year, *line) for year in (1, 2, 3) for line in per_year])
    demo.grant(agreement, PRIYA)
    indexation.set_indexation(
        actor=person(PRIYA),
        agreement=agreement,
        kind=Agreement.IndexKind.CPI,
        base_month=datetime.date(2024, 4, 1),
        anniversary=datetime.date(2025, 5, 1),
        floor=D("1.0"),
        cap=D("5.0"),
    )
    agreement = demo.offer_and_sign(agreement, funder_by=PRIYA, provider_by=SAM)
    demo.pay_what_is_due(agreement, PRIYA)
    renewals.record_renewal_decision(
        actor=person(PRIYA),
        agreement=agreement,
        choice="renew",
        reason="The hub meets its outcomes and families rely on it: a new three-year agreement from May 2027.",
    )
    variations.propose_variation(
        actor=person(SAM),
        agreement=agreement,
        kind="scope",
        reason="Families asked for a Saturday session; the hall is free and volunteers have offered to run it.",
        proposal=Proposal(new_scope=agreement.scope + " From January, a Saturday morning session for families."),
    )


def capped_contract(demo: DemoAgreements) -> None:
    title = "Recovery cafés pilot"
    if demo.exists(title):
        return
    kit = "kit.ramsay@second-wind.example"
    demo.overhead_rate("second-wind-recovery", kit, 2027, "37000", "200000")
    agreement = demo.create(
        by=GARETH,
        funder=COUNCIL,
        provider="second-wind-recovery",
        title=title,
        scope="Two peer-led recovery cafés a week in the city centre, run for the council's drug and alcohol service.",
        value="60000",
        start=datetime.date(2027, 4, 1),
        end=datetime.date(2028, 3, 31),
        frequency=Agreement.Frequency.MONTHLY,
        short_term_reason="A one-year pilot: the council will decide on a longer agreement from what it shows.",
    )
    # The council caps overheads at 10%, below Second Wind's full rate: the page shows the gap.
    budget.set_overhead_cap(actor=person(GARETH), agreement=agreement, cap_percent=D("10"))
    demo.budget(
        agreement,
        kit,
        [
            (1, Category.STAFF, "Two peer workers (part time)", "45000"),
            (1, Category.EQUIPMENT, "Café equipment", "3000"),
            (1, Category.OTHER, "Food and drink", "4000"),
        ],
    )
    vat.record_vat_test(
        actor=person(GARETH),
        agreement=agreement,
        consideration=Agreement.Answer.YES,
        direct_link=Agreement.Answer.YES,
        beneficiary=Agreement.Beneficiary.FUNDER,
        purchase_conditions=Agreement.Answer.YES,
        vat_rate=D("20"),
    )
    demo.offer_and_sign(agreement, funder_by=GARETH, provider_by=None)


def unindexed_five_years(demo: DemoAgreements) -> None:
    title = "Carers' breaks and support"
    if demo.exists(title):
        return
    alan = "alan.reeve@carers-circle.example"
    agreement = demo.create(
        by=PRIYA,
        funder=ICB,
        provider="brackenmoor-carers-circle",
        title=title,
        scope="Short breaks, a carers' helpline and peer groups for unpaid carers across Brackenmoor.",
        value="200000",
        start=datetime.date(2022, 7, 1),
        end=datetime.date(2027, 6, 30),
        frequency=Agreement.Frequency.QUARTERLY,
    )
    demo.grant(agreement, PRIYA)
    agreement = demo.offer_and_sign(agreement, funder_by=PRIYA, provider_by=alan)
    demo.pay_what_is_due(agreement, PRIYA)
    renewals.record_renewal_decision(
        actor=person(PRIYA),
        agreement=agreement,
        choice="recommission",
        reason="Carers and the partnership will co-design the next service; the current agreement runs to its end.",
    )


def consortium(demo: DemoAgreements) -> None:
    title = "Minds Together: community mental health support"
    if demo.exists(title):
        return
    josh, farah, anya = (
        "josh.kerr@brackenmoor-mind.example",
        "farah.iqbal@saheli.example",
        "anya.cole@deaf-connect.example",
    )
    demo.overhead_rate("brackenmoor-mind", josh, 2026, "44000", "200000")
    agreement = demo.create(
        by=PRIYA,
        funder=ICB,
        provider="brackenmoor-mind",
        title=title,
        scope="Drop-in support, peer groups and support in British Sign Language and South Asian languages.",
        value="450000",
        start=datetime.date(2026, 4, 1),
        end=datetime.date(2029, 3, 31),
        frequency=Agreement.Frequency.QUARTERLY,
    )
    # An alliance with no lead: the three members share the budget and the risk.
    group = Consortium.objects.create(name="Minds Together", lead=None, created_by=person(josh))
    for slug, share in (("brackenmoor-mind", "50"), ("saheli-wellbeing", "30"), ("deaf-connect-brackenmoor", "20")):
        ConsortiumMember.objects.create(
            consortium=group,
            organisation=demo.orgs[slug],
            status=ConsortiumMember.Status.CONFIRMED,
            budget_share=D(share),
            risk_share=D(share),
        )
    Agreement.objects.filter(pk=agreement.pk).update(consortium=group)
    agreement.refresh_from_db()
    per_year = [
        (Category.STAFF, "Peer workers and a BSL-fluent support worker", "105000"),
        (Category.PREMISES, "Drop-in rooms in three places", "9000"),
        (Category.OTHER, "Interpreting and translation", "6000"),
    ]
    demo.budget(agreement, josh, [(year, *line) for year in (1, 2, 3) for line in per_year])
    demo.grant(agreement, PRIYA)
    indexation.set_indexation(
        actor=person(PRIYA),
        agreement=agreement,
        kind=Agreement.IndexKind.FIXED,
        base_month=datetime.date(2026, 3, 1),
        anniversary=datetime.date(2027, 4, 1),
        fixed_rate=D("2.0"),
    )
    agreement = demo.offer_and_sign(agreement, funder_by=PRIYA, provider_by=farah)
    demo.pay_what_is_due(agreement, PRIYA)
    _ = anya


def ending_soon(demo: DemoAgreements) -> None:
    title = "Debt and benefits advice in GP surgeries"
    if demo.exists(title):
        return
    # Ends on the last day of the month four months from today, with no renewal decision yet.
    month_index = demo.today.year * 12 + demo.today.month - 1 + 5
    end = datetime.date(month_index // 12, month_index % 12 + 1, 1) - datetime.timedelta(days=1)
    start = add_years(end, -2) + datetime.timedelta(days=1)
    agreement = demo.create(
        by=GARETH,
        funder=COUNCIL,
        provider="brackenmoor-citizens-advice",
        title=title,
        scope="Advisers in six GP surgeries, one day a week each, for debt, benefits and housing problems.",
        value="96000",
        start=start,
        end=end,
        frequency=Agreement.Frequency.MONTHLY,
        short_term_reason="Funded from a two-year public health grant to the council.",
    )
    demo.grant(agreement, GARETH)
    agreement = demo.offer_and_sign(agreement, funder_by=GARETH, provider_by="sunita.rao@ca-brackenmoor.example")
    demo.pay_what_is_due(agreement, GARETH)


STORIES: list[Callable[[DemoAgreements], None]] = [
    indexed_grant,
    capped_contract,
    unindexed_five_years,
    consortium,
    ending_soon,
]
