"""The money around an agreement: budget lines, organisations' overhead rates by year,
published index values, and the payment instalments."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from cocommission.core.models import TimeStampedModel
from cocommission.organisations.models import Organisation

from .agreement import Agreement


class BudgetLine(TimeStampedModel):
    class Category(models.TextChoices):
        STAFF = "staff", "Staff"
        VOLUNTEER_EXPENSES = "volunteer_expenses", "Volunteer expenses"
        PREMISES = "premises", "Premises"
        EQUIPMENT = "equipment", "Equipment"
        OTHER = "other", "Other"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="budget_lines")
    year = models.PositiveSmallIntegerField(help_text="The agreement year, 1 for the first.")
    category = models.CharField(max_length=20, choices=Category.choices)
    description = models.CharField(max_length=200)
    amount = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["year", "category", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_line_amount_not_negative"),
            models.CheckConstraint(condition=Q(year__gte=1), name="budget_line_year_from_one"),
        ]

    def __str__(self) -> str:
        return f"Year {self.year} {self.get_category_display()}: {self.description}"


class OverheadRate(TimeStampedModel):
    """An organisation's core costs and direct costs for one financial year, giving its overhead
    rate (core ÷ direct). Kept on the organisation's profile; budgets use the year's rate."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="overhead_rates")
    financial_year = models.PositiveSmallIntegerField(help_text="The year the financial year starts: 2026 is 2026-27.")
    annual_core_costs = models.DecimalField(max_digits=14, decimal_places=2)
    total_direct_costs = models.DecimalField(max_digits=14, decimal_places=2)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["organisation", "-financial_year"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "financial_year"], name="one_overhead_rate_per_year"),
            models.CheckConstraint(condition=Q(annual_core_costs__gte=0), name="overhead_core_not_negative"),
            models.CheckConstraint(condition=Q(total_direct_costs__gt=0), name="overhead_direct_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.financial_year}-{(self.financial_year + 1) % 100:02d}"


class IndexValue(TimeStampedModel):
    """A published 12-month rate of an index for one month, kept by platform admins."""

    class Index(models.TextChoices):
        CPI = "cpi", "CPI"
        CPIH = "cpih", "CPIH"

    index = models.CharField(max_length=5, choices=Index.choices)
    month = models.DateField(help_text="The first day of the month the rate describes.")
    rate = models.DecimalField(max_digits=5, decimal_places=2, help_text="The 12-month rate in percent.")
    source = models.CharField(max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["index", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["index", "month"], name="one_index_value_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="index_value_first_of_month"),
        ]

    def __str__(self) -> str:
        return f"{self.get_index_display()} {self.month:%B %Y}: {self.rate}%"


class Instalment(models.Model):
    """One payment due under an agreement. Regular instalments are rebuilt when the value
    changes; paid ones are kept. An adjustment carries a change to a year already paid for."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="instalments")
    due_on = models.DateField()
    period_start = models.DateField()
    period_end = models.DateField()
    financial_year = models.CharField(max_length=7)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    is_adjustment = models.BooleanField(default=False)
    note = models.CharField(max_length=300, blank=True)
    paid_on = models.DateField(null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "period_start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="instalment_period_in_order"),
            models.CheckConstraint(
                condition=Q(is_adjustment=True) | Q(amount__gte=0), name="instalment_regular_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.reference} {self.due_on}: £{self.amount}"
