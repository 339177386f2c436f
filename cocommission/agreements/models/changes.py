"""How an agreement changes and ends: variations both parties approve, renewal decisions, and
the end-of-funding notices sent 9, 6 and 3 months ahead."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from cocommission.core.models import TimeStampedModel

from .agreement import Agreement
from .money import BudgetLine


class Variation(TimeStampedModel):
    class Kind(models.TextChoices):
        VALUE = "value", "Value"
        END_DATE = "end_date", "End date"
        SCOPE = "scope", "Scope"
        BUDGET = "budget", "Budget"
        TYPE = "type", "Grant or contract"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Waiting for approval"
        APPLIED = "applied", "Approved and applied"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="variations")
    number = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reason = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)

    new_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    new_end_date = models.DateField(null=True, blank=True)
    new_scope = models.TextField(blank=True)
    new_type = models.CharField(max_length=10, choices=Agreement.Type.choices, blank=True)
    new_vat_rate = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    # A budget variation sets one line's amount (a new line when none matches; £0 removes it).
    budget_year = models.PositiveSmallIntegerField(null=True, blank=True)
    budget_category = models.CharField(max_length=20, choices=BudgetLine.Category.choices, blank=True)
    budget_description = models.CharField(max_length=200, blank=True)
    budget_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    # For a change of type: the VAT in pounds over the remaining term (positive means more VAT).
    vat_effect = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    # What the agreement looked like before and after, for the history.
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)

    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    funder_approved_at = models.DateTimeField(null=True, blank=True)
    funder_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    provider_approved_at = models.DateTimeField(null=True, blank=True)
    provider_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    applied_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["agreement", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="one_variation_number_per_agreement"),
            models.CheckConstraint(
                condition=Q(new_value__isnull=True) | Q(new_value__gt=0), name="variation_value_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"Variation {self.number} to {self.agreement.reference}: {self.get_kind_display()}"


class RenewalDecision(TimeStampedModel):
    """What happens when the agreement ends. The latest one counts; earlier ones stay as history."""

    class Choice(models.TextChoices):
        RENEW = "renew", "Renew on new terms"
        EXTEND = "extend", "Extend the current agreement"
        RECOMMISSION = "recommission", "Re-commission the service"
        END = "end", "End the service"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="renewal_decisions")
    choice = models.CharField(max_length=12, choices=Choice.choices)
    reason = models.TextField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["agreement", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.agreement.reference}: {self.get_choice_display()}"


class EndingNotice(models.Model):
    """One end-of-funding warning, sent once per agreement and lead time."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="ending_notices")
    months_before = models.PositiveSmallIntegerField()
    end_date = models.DateField(help_text="The end date the warning was about.")
    sent_on = models.DateField()
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["agreement", "-months_before"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "months_before", "end_date"], name="one_ending_notice_per_lead_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.reference}: {self.months_before} months"
