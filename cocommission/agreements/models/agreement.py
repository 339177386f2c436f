"""The agreement itself: parties, term, status, signatures, the grant-or-contract answers,
indexation terms and the payment frequency. An award creates a draft; a funder can also
create one directly for a service that already runs."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from cocommission.core.models import TimeStampedModel
from cocommission.organisations.models import Organisation


class Agreement(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OFFERED = "offered", "Offered"
        SIGNED_BY_FUNDER = "signed_by_funder", "Signed by the funder"
        SIGNED_BY_PROVIDER = "signed_by_provider", "Signed by the provider"
        ACTIVE = "active", "Active"
        ENDED = "ended", "Ended"
        TERMINATED = "terminated", "Terminated"

    class Type(models.TextChoices):
        UNDECIDED = "undecided", "Not decided yet"
        GRANT = "grant", "Grant (outside the scope of VAT)"
        CONTRACT = "contract", "Contract (VAT may apply)"

    class Answer(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"

    class Beneficiary(models.TextChoices):
        FUNDER = "funder", "The funder itself"
        PUBLIC = "public", "The public or the people the service is for"

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", "Monthly, in arrears"
        QUARTERLY = "quarterly", "Quarterly, in arrears"
        ANNUALLY = "annually", "Annually, in arrears"
        IN_ADVANCE = "in_advance", "Each financial year, in advance"

    class IndexKind(models.TextChoices):
        CPI = "cpi", "Consumer prices index (CPI)"
        CPIH = "cpih", "CPI including owner occupiers' housing costs (CPIH)"
        FIXED = "fixed", "A fixed percentage each year"
        NONE = "none", "No indexation"

    reference = models.CharField(max_length=40, unique=True)
    title = models.CharField(max_length=200)
    scope = models.TextField(blank=True, help_text="What the provider will do: the service and who it is for.")
    funder = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="agreements_funded")
    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="agreements_provided")
    consortium = models.ForeignKey(
        "commissioning.Consortium", null=True, blank=True, on_delete=models.PROTECT, related_name="agreements"
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership", null=True, blank=True, on_delete=models.PROTECT, related_name="agreements"
    )
    opportunity = models.ForeignKey(
        "commissioning.Opportunity", null=True, blank=True, on_delete=models.PROTECT, related_name="agreements"
    )
    outcomes = models.ManyToManyField("commissioning.OpportunityOutcome", blank=True, related_name="agreements")
    award = models.OneToOneField(
        "commissioning.ApplicationDecision", null=True, blank=True, on_delete=models.PROTECT, related_name="agreement"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    # The whole-term value at the prices of the start (before any uplift).
    value = models.DecimalField(max_digits=14, decimal_places=2)
    term_years = models.PositiveSmallIntegerField(default=1)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    recurring = models.BooleanField(
        default=True, help_text="A service that people will need year after year, not a one-off project."
    )
    short_term_reason = models.TextField(blank=True)

    # Grant or contract: the answers to the guided test, the result and the reasoning shown.
    agreement_type = models.CharField(max_length=10, choices=Type.choices, default=Type.UNDECIDED)
    vat_consideration = models.CharField(max_length=3, choices=Answer.choices, blank=True)
    vat_direct_link = models.CharField(max_length=3, choices=Answer.choices, blank=True)
    vat_beneficiary = models.CharField(max_length=6, choices=Beneficiary.choices, blank=True)
    vat_purchase_conditions = models.CharField(max_length=3, choices=Answer.choices, blank=True)
    vat_rate = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    vat_reasoning = models.TextField(blank=True)
    vat_tested_at = models.DateTimeField(null=True, blank=True)
    vat_tested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Full cost recovery: the funder's cap on the core-cost share, as a ratio (0.1000 is 10%).
    overhead_cap = models.DecimalField(max_digits=6, decimal_places=4, null=True, blank=True)
    # The provider's overhead figures the budget used when both parties signed: kept, so a later
    # change to the provider's rate does not change a signed budget.
    signed_overhead_year = models.PositiveSmallIntegerField(null=True, blank=True)
    signed_overhead_core = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    signed_overhead_direct = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)

    # Indexation (see agreements/indexation.py for how the figures are worked out).
    index_kind = models.CharField(max_length=5, choices=IndexKind.choices, default=IndexKind.NONE)
    index_fixed_rate = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    index_base_month = models.DateField(null=True, blank=True)
    index_anniversary = models.DateField(null=True, blank=True)
    index_floor = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    index_cap = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)

    payment_frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.QUARTERLY)

    offered_at = models.DateTimeField(null=True, blank=True)
    funder_signed_at = models.DateTimeField(null=True, blank=True)
    funder_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    provider_signed_at = models.DateTimeField(null=True, blank=True)
    provider_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_reason = models.TextField(blank=True, help_text="Why the agreement ended early or was terminated.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(value__gt=0), name="agreement_value_positive"),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(end_date__isnull=True) | Q(end_date__gt=F("start_date")),
                name="agreement_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(index_floor__isnull=True) | Q(index_cap__isnull=True) | Q(index_cap__gte=F("index_floor")),
                name="agreement_index_cap_not_below_floor",
            ),
            models.CheckConstraint(
                condition=Q(vat_rate__isnull=True) | (Q(vat_rate__gte=0) & Q(vat_rate__lte=100)),
                name="agreement_vat_rate_in_range",
            ),
            models.CheckConstraint(
                condition=Q(overhead_cap__isnull=True) | Q(overhead_cap__gte=0),
                name="agreement_overhead_cap_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def is_signed(self) -> bool:
        """Both parties have signed: from here on, changes need a variation."""
        return self.funder_signed_at is not None and self.provider_signed_at is not None

    @property
    def is_open_for_editing(self) -> bool:
        return (
            self.status in (self.Status.DRAFT, self.Status.OFFERED)
            and self.funder_signed_at is None
            and self.provider_signed_at is None
        )


class BreakClause(TimeStampedModel):
    """A point at which a party may end the agreement early, with notice."""

    class Party(models.TextChoices):
        EITHER = "either", "Either party"
        FUNDER = "funder", "The funder"
        PROVIDER = "provider", "The provider"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="break_clauses")
    earliest_date = models.DateField()
    notice_months = models.PositiveSmallIntegerField(default=3)
    party = models.CharField(max_length=8, choices=Party.choices, default=Party.EITHER)
    conditions = models.TextField(blank=True)

    class Meta:
        ordering = ["earliest_date", "id"]

    def __str__(self) -> str:
        return f"Break from {self.earliest_date:%d %B %Y} on {self.notice_months} months' notice"
